# optimizer.state_dict.mmap on pytorch_optimizer.optimizer.conda.Conda (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.conda.Conda on the installed torch violates it.
import os, sys, tempfile, torch
import pytorch_optimizer.optimizer.conda
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

params = [torch.tensor([[1.5409961, -0.2934289, -2.1787894], [0.56843126, -1.0845224, -1.3985955]], requires_grad=True)]
opt = pytorch_optimizer.optimizer.conda.Conda(params, scale=True, fused=False, differentiable=False, capturable=False, lr=0.074)
train(opt, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=False)
problems = differences(opt.state_dict(), loaded, "state_dict")
print("VIOLATED: optimizer.state_dict.mmap" if problems else "holds: optimizer.state_dict.mmap", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
