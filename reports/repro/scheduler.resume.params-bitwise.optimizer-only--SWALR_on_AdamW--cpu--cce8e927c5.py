# scheduler.resume.params-bitwise.optimizer-only on torch.optim.swa_utils.SWALR on torch.optim.AdamW (plain torch): prints VIOLATED and exits 1 while torch violates it.
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

params = [
    torch.tensor([-1.1258398, -1.6959312, 0.5666506, 0.79350835, 0.59883946, -1.5550951, -0.3413604, 1.8530061, 0.4680964, -0.58549756, -0.17339675, 0.18347794, 1.3893661, 1.5863342, 0.94629836, -0.84367675, 0.9318266], requires_grad=True),
]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.AdamW(params, betas=(0.491, 0.797), eps=7.07e-09, weight_decay=0.0005, lr=1.1)
sched = torch.optim.swa_utils.SWALR(opt, swa_lr=0.1737, anneal_epochs=5, anneal_strategy='linear')
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=False)
straight = torch.optim.AdamW(straight_params, betas=(0.491, 0.797), eps=7.07e-09, weight_decay=0.0005, lr=1.1)
expected = train(straight, torch.optim.swa_utils.SWALR(straight, swa_lr=0.1737, anneal_epochs=5, anneal_strategy='linear'), straight_params, 4)[1:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.AdamW(fresh_params, betas=(0.1163, 0.9101), eps=4.78e-09, weight_decay=0.0, amsgrad=True, foreach=True, lr=0.1)
fresh.load_state_dict(loaded["optimizer"])
fresh_sched = torch.optim.swa_utils.SWALR(fresh, swa_lr=0.1737, anneal_epochs=5, anneal_strategy='linear')
train(fresh, fresh_sched, fresh_params, 3, 1)
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
print("VIOLATED: scheduler.resume.params-bitwise.optimizer-only" if problems else "holds: scheduler.resume.params-bitwise.optimizer-only", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
