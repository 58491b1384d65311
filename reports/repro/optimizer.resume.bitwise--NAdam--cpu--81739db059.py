# optimizer.resume.bitwise on torch.optim.NAdam (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        for i, p in enumerate(params):
            p.grad = (p.detach().float() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1)).to(p.device)).to(p.dtype)
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

params = [
    torch.tensor([-1.1258398294448853, -1.6959311962127686, 0.5666506290435791, 0.7935083508491516, 0.5988394618034363, -1.5550950765609741, -0.3413603901863098, 1.85300612449646, 0.46809640526771545, -0.5854975581169128, -0.1733967512845993, 0.18347793817520142, 1.3893661499023438, 1.586334228515625, 0.946298360824585, -0.843676745891571, 0.9318265914916992], dtype=torch.float64, requires_grad=True),
]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.NAdam(params, betas=(0.177, 0.9999), eps=6.29e-08, momentum_decay=0.01, foreach=False, lr=0.001)
train(opt, params, 1)
try:
    path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
    torch.save(opt.state_dict(), path)
    loaded = torch.load(path, weights_only=False)
except Exception as error:  # torch refusing to save or load it is the violation
    print("VIOLATED: optimizer.resume.bitwise\n  torch refused:", f"{error!r:.300}")
    sys.exit(1)
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.NAdam(fresh_params, betas=(0.3528, 0.6694), eps=7.23e-10, foreach=True, lr=0.017)
fresh.load_state_dict(loaded)
straight = torch.optim.NAdam(straight_params, betas=(0.177, 0.9999), eps=6.29e-08, momentum_decay=0.01, foreach=False, lr=0.001)
train(straight, straight_params, 2)
train(fresh, fresh_params, 1, 1)
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
problems += differences(straight.state_dict(), fresh.state_dict(), "state_dict")
print("VIOLATED: optimizer.resume.bitwise" if problems else "holds: optimizer.resume.bitwise", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
