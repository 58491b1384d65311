# scheduler.resume.lr-trajectory.optimizer-only on torch.optim.lr_scheduler.StepLR on torch.optim.RMSprop (plain torch): prints VIOLATED and exits 1 while torch violates it.
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

params = [torch.tensor([], requires_grad=True)]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.RMSprop(params, alpha=0.95, eps=1e-07, weight_decay=0.1, momentum=0.9, centered=True, lr=0.426)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.8202)
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=False)
straight = torch.optim.RMSprop(straight_params, alpha=0.95, eps=1e-07, weight_decay=0.1, momentum=0.9, centered=True, lr=0.426)
expected = train(straight, torch.optim.lr_scheduler.StepLR(straight, step_size=3, gamma=0.8202), straight_params, 3)[1:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.RMSprop(fresh_params, alpha=0.8258, eps=5.27e-09, weight_decay=0.0005, momentum=0.99, centered=True, foreach=False, lr=0.096)
fresh.load_state_dict(loaded["optimizer"])
fresh_sched = torch.optim.lr_scheduler.StepLR(fresh, step_size=3, gamma=0.8202)

got = train(fresh, fresh_sched, fresh_params, 2, 1)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (optimizer-only) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory.optimizer-only" if problems else "holds: scheduler.resume.lr-trajectory.optimizer-only", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
