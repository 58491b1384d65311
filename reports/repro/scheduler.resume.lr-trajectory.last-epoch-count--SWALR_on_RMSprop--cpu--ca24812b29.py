# scheduler.resume.lr-trajectory.last-epoch-count on torch.optim.swa_utils.SWALR on torch.optim.RMSprop (plain torch): prints VIOLATED and exits 1 while torch violates it.
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

params = [
    torch.tensor([-1.1258398, -1.6959312, 0.5666506, 0.79350835, 0.59883946, -1.5550951, -0.3413604, 1.8530061, 0.4680964, -0.58549756, -0.17339675, 0.18347794, 1.3893661, 1.5863342, 0.94629836, -0.84367675, 0.9318266], requires_grad=True),
]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.RMSprop(params, alpha=0.7069, eps=4.76e-07, weight_decay=0.1, momentum=0.5, centered=True, foreach=False, lr=0.339)
sched = torch.optim.swa_utils.SWALR(opt, swa_lr=0.3249, anneal_epochs=5, anneal_strategy='cos')
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=False)
straight = torch.optim.RMSprop(straight_params, alpha=0.7069, eps=4.76e-07, weight_decay=0.1, momentum=0.5, centered=True, foreach=False, lr=0.339)
expected = train(straight, torch.optim.swa_utils.SWALR(straight, swa_lr=0.3249, anneal_epochs=5, anneal_strategy='cos'), straight_params, 2)[1:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.RMSprop(fresh_params, alpha=0.5659, eps=1.23e-08, weight_decay=0.1, momentum=0.9, foreach=False, lr=1e-08)
fresh.load_state_dict(loaded["optimizer"])
# last_epoch: the number of steps taken (1), where torch documents the index of the last epoch
fresh_sched = torch.optim.swa_utils.SWALR(fresh, swa_lr=0.3249, anneal_epochs=5, anneal_strategy='cos', last_epoch=1)

got = train(fresh, fresh_sched, fresh_params, 1, 1)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (last-epoch-count) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory.last-epoch-count" if problems else "holds: scheduler.resume.lr-trajectory.last-epoch-count", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
