# scheduler.resume.lr-trajectory.last-epoch on torch.optim.lr_scheduler.CyclicLR on torch.optim.SGD (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it
    used_lrs = []
    for step in range(start, start + steps):
        used_lrs.append(used(opt))
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()
        sched.step()
    return used_lrs + [used(opt)]

def used(opt):  # the lr each group's next step uses, and the momentum (or beta1) the scheduler cycles
    found = [{"lr": float(g["lr"])} for g in opt.param_groups]
    for values, g in zip(found, opt.param_groups):
        values.update({"momentum": float(g["momentum"])} if "momentum" in g else {"beta1": float(g["betas"][0])})
    return found

params = [
    torch.tensor([1.5409961], requires_grad=True),
    torch.tensor([-0.530559, -0.2915139, -0.6320351, -0.20535779, -0.09212545, -0.70256764, 0.14930385, 0.062269263, -0.6042923, 0.109060876, -0.96443635, 0.102852926, 0.1335816, -1.5383344, -0.35719076, 0.46100345, -0.7925963], requires_grad=True),
]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.SGD([{"params": params[0:1]}, {"params": params[1:2]}], weight_decay=0.1, foreach=False, lr=0.058)
sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=[0.0014, 0.0014], max_lr=0.8419, step_size_up=4, mode='exp_range', gamma=0.9642, cycle_momentum=True)
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=True)
straight = torch.optim.SGD([{"params": straight_params[0:1]}, {"params": straight_params[1:2]}], weight_decay=0.1, foreach=False, lr=0.058)
expected = train(straight, torch.optim.lr_scheduler.CyclicLR(straight, base_lr=[0.0014, 0.0014], max_lr=0.8419, step_size_up=4, mode='exp_range', gamma=0.9642, cycle_momentum=True), straight_params, 2)[1:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.SGD([{"params": fresh_params[0:1]}, {"params": fresh_params[1:2]}], momentum=0.5, dampening=0.5, weight_decay=0.0005, foreach=True, maximize=True, lr=0.634)
fresh.load_state_dict(loaded["optimizer"])
# last_epoch: the index of the last epoch, as documented (1 steps taken: 0)
fresh_sched = torch.optim.lr_scheduler.CyclicLR(fresh, base_lr=[0.0014, 0.0014], max_lr=0.8419, step_size_up=4, mode='exp_range', gamma=0.9642, cycle_momentum=True, last_epoch=0)

got = train(fresh, fresh_sched, fresh_params, 1, 1)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (last-epoch) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory.last-epoch" if problems else "holds: scheduler.resume.lr-trajectory.last-epoch", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
