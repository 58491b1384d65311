# optimizer.state_dict.weights_only on pytorch_optimizer.optimizer.scion.SCIONLight (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.scion.SCIONLight on the installed torch violates it.
import os, sys, tempfile, torch
import pytorch_optimizer.optimizer.scion
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

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
opt = pytorch_optimizer.optimizer.scion.SCIONLight(params, lr=0.01, foreach=False)
train(opt, params, 1)
try:
    path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
    torch.save(opt.state_dict(), path)
    loaded = torch.load(path, weights_only=True)
except Exception as error:  # torch refusing to save or load it is the violation
    print("VIOLATED: optimizer.state_dict.weights_only\n  torch refused:", f"{error!r:.300}")
    sys.exit(1)
problems = differences(opt.state_dict(), loaded, "state_dict")
print("VIOLATED: optimizer.state_dict.weights_only" if problems else "holds: optimizer.state_dict.weights_only", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
