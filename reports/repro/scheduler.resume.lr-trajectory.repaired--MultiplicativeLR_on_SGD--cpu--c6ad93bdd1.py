# scheduler.resume.lr-trajectory.repaired on torch.optim.lr_scheduler.MultiplicativeLR on torch.optim.SGD (plain torch): prints VIOLATED and exits 1 while torch violates it.
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
    torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True),
    torch.tensor([[-1.1720492, -0.39288425], [0.5264795, 1.1065099]], requires_grad=True),
]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.SGD([{"params": params[0:1]}, {"params": params[1:2]}], lr=torch.tensor(0.1), momentum=0.9)
sched = torch.optim.lr_scheduler.MultiplicativeLR(opt, lr_lambda=[lambda epoch: 0.95 ** epoch, lambda epoch: 0.855 ** epoch])
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=True)
straight = torch.optim.SGD([{"params": straight_params[0:1]}, {"params": straight_params[1:2]}], lr=torch.tensor(0.1), momentum=0.9)
expected = train(straight, torch.optim.lr_scheduler.MultiplicativeLR(straight, lr_lambda=[lambda epoch: 0.95 ** epoch, lambda epoch: 0.855 ** epoch]), straight_params, 2)[1:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.SGD([{"params": fresh_params[0:1]}, {"params": fresh_params[1:2]}], lr=0.5, momentum=0.9)
fresh.load_state_dict(loaded["optimizer"])
fresh_sched = torch.optim.lr_scheduler.MultiplicativeLR(fresh, lr_lambda=[lambda epoch: 0.95 ** epoch, lambda epoch: 0.855 ** epoch])
fresh_sched.load_state_dict(loaded["scheduler"])
for g, lr in zip(fresh.param_groups, fresh_sched._last_lr):  # the usual repair (_last_lr: get_last_lr())
    g["lr"] = lr

got = train(fresh, fresh_sched, fresh_params, 1, 1)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (repaired) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory.repaired" if problems else "holds: scheduler.resume.lr-trajectory.repaired", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
