# scheduler.resume.params-bitwise.last-epoch-count on torch.optim.lr_scheduler.CosineAnnealingWarmRestarts on torch.optim.SGD (plain torch): prints VIOLATED and exits 1 while torch violates it.
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

def differences(a, b, path=""):  # where two nested values differ; tensors bitwise, with dtype, shape and device
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in {**a, **b} for d in differences(a.get(k, "(absent)"), b.get(k, "(absent)"), f"{path}[{k!r}]")]
    if isinstance(a, (list, tuple)) and type(a) is type(b) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        bits = [t.detach().cpu().reshape(-1).view(torch.uint8) for t in (a, b)]
        same = (a.dtype, a.shape, a.device) == (b.dtype, b.shape, b.device) and torch.equal(*bits)
    else:
        same = type(a) is type(b) and (a == b or a != a and b != b)
    return [] if same else [" ".join(f"{path}: {a!r} vs {b!r}".split())]

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.SGD(params, lr=0.001)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=1, eta_min=0.0)
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=False)
straight = torch.optim.SGD(straight_params, lr=0.001)
expected = train(straight, torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(straight, T_0=1, T_mult=1, eta_min=0.0), straight_params, 2)[1:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.SGD(fresh_params, lr=0.002)
fresh.load_state_dict(loaded["optimizer"])
# last_epoch: the number of steps taken (1), where torch documents the index of the last epoch
fresh_sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(fresh, T_0=1, T_mult=1, eta_min=0.0, last_epoch=1)
train(fresh, fresh_sched, fresh_params, 1, 1)
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
print("VIOLATED: scheduler.resume.params-bitwise.last-epoch-count" if problems else "holds: scheduler.resume.params-bitwise.last-epoch-count", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
