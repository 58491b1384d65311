# scheduler.resume.lr-trajectory.last-epoch-count on torch.optim.lr_scheduler.ExponentialLR on torch.optim.SGD (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it
    used_lrs = []
    for step in range(start, start + steps):
        used_lrs.append([{"lr": float(g["lr"])} for g in opt.param_groups])
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()
        sched.step()
    return used_lrs + [[{"lr": float(g["lr"])} for g in opt.param_groups]]

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.SGD(params, lr=0.001)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=False)
straight = torch.optim.SGD(straight_params, lr=0.001)
expected = train(straight, torch.optim.lr_scheduler.ExponentialLR(straight, gamma=0.5), straight_params, 2)[1:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.SGD(fresh_params, lr=0.002)
fresh.load_state_dict(loaded["optimizer"])
# last_epoch: the number of steps taken (1), where torch documents the index of the last epoch
fresh_sched = torch.optim.lr_scheduler.ExponentialLR(fresh, gamma=0.5, last_epoch=1)

got = train(fresh, fresh_sched, fresh_params, 1, 1)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (last-epoch-count) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory.last-epoch-count" if problems else "holds: scheduler.resume.lr-trajectory.last-epoch-count", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
