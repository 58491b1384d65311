# optimizer.state_dict.complete on pytorch_optimizer.optimizer.madgrad.MADGRAD (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.madgrad.MADGRAD on the installed torch violates it.
import sys, torch
import pytorch_optimizer.optimizer.madgrad
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

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

def by_position(opt):  # the optimizer's state keyed by position, as state_dict() numbers it
    return {i: opt.state[p] for i, p in enumerate(p for g in opt.param_groups for p in g["params"]) if p in opt.state}

params = [torch.tensor(1.5409961, requires_grad=True)]
opt = pytorch_optimizer.optimizer.madgrad.MADGRAD(params, weight_decouple=0.0, foreach=False, lr=0.043)
train(opt, params, 1)
problems = differences(by_position(opt), opt.state_dict()["state"], "state")
print("VIOLATED: optimizer.state_dict.complete" if problems else "holds: optimizer.state_dict.complete", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
