# scheduler.resume.lr-trajectory.last-epoch on torch.optim.lr_scheduler.CosineAnnealingWarmRestarts on torch.optim.Adam (plain torch): prints VIOLATED and exits 1 while torch violates it.
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
opt = torch.optim.Adam(params, betas=(0.1376, 0.7236), eps=1.12e-08, foreach=False, lr=0.1)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=2, eta_min=0.0001)
train(opt, sched, params, 3)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=False)
straight = torch.optim.Adam(straight_params, betas=(0.1376, 0.7236), eps=1.12e-08, foreach=False, lr=0.1)
expected = train(straight, torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(straight, T_0=1, T_mult=2, eta_min=0.0001), straight_params, 4)[3:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.Adam(fresh_params, betas=(0.5139, 0.7916), eps=1.63e-07, weight_decay=0.01, foreach=False, lr=1.0)
fresh.load_state_dict(loaded["optimizer"])
# last_epoch: the index of the last epoch, as documented (3 steps taken: 2)
fresh_sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(fresh, T_0=1, T_mult=2, eta_min=0.0001, last_epoch=2)

got = train(fresh, fresh_sched, fresh_params, 1, 3)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (last-epoch) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory.last-epoch" if problems else "holds: scheduler.resume.lr-trajectory.last-epoch", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
