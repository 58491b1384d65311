# scheduler.resume.lr-trajectory.repaired on torch.optim.lr_scheduler.ReduceLROnPlateau on torch.optim.RMSprop (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it
    used_lrs = []
    for step in range(start, start + steps):
        used_lrs.append([{"lr": float(g["lr"])} for g in opt.param_groups])
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()
        sched.step([0.5, 1.1, 0.9][step])
    return used_lrs + [[{"lr": float(g["lr"])} for g in opt.param_groups]]

params = [torch.tensor([1.5409961], requires_grad=True), torch.tensor([[], []], requires_grad=True)]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.RMSprop([{"params": params[0:1]}, {"params": params[1:2]}], alpha=0.5077, eps=1.83e-09, centered=True, foreach=False, lr=torch.tensor(0.02))
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode='max', factor=0.5, patience=0, threshold=0.0001, threshold_mode='abs', cooldown=0, min_lr=[0.001, 0.0])
train(opt, sched, params, 2)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=True)
straight = torch.optim.RMSprop([{"params": straight_params[0:1]}, {"params": straight_params[1:2]}], alpha=0.5077, eps=1.83e-09, centered=True, foreach=False, lr=torch.tensor(0.02))
expected = train(straight, torch.optim.lr_scheduler.ReduceLROnPlateau(straight, mode='max', factor=0.5, patience=0, threshold=0.0001, threshold_mode='abs', cooldown=0, min_lr=[0.001, 0.0]), straight_params, 3)[2:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.RMSprop([{"params": fresh_params[0:1]}, {"params": fresh_params[1:2]}], alpha=0.6948, eps=1.08e-10, weight_decay=0.0005, centered=True, foreach=False, maximize=True, lr=0.3)
fresh.load_state_dict(loaded["optimizer"])
fresh_sched = torch.optim.lr_scheduler.ReduceLROnPlateau(fresh, mode='max', factor=0.5, patience=0, threshold=0.0001, threshold_mode='abs', cooldown=0, min_lr=[0.001, 0.0])
fresh_sched.load_state_dict(loaded["scheduler"])
for g, lr in zip(fresh.param_groups, fresh_sched._last_lr):  # the usual repair (_last_lr: get_last_lr())
    g["lr"] = lr

got = train(fresh, fresh_sched, fresh_params, 1, 2)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (repaired) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory.repaired" if problems else "holds: scheduler.resume.lr-trajectory.repaired", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
