# optimizer.load.matches-by-identity on torch.optim.SGD (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        for i, p in enumerate(params):
            p.grad = (p.detach().float() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1)).to(p.device)).to(p.dtype)
        opt.step()

params = [
    torch.tensor([[[1.539, -0.293]], [[-2.172, 0.5703]], [[-1.086, -1.398]], [[0.4043, 0.8398]]], dtype=torch.bfloat16, requires_grad=True),
    torch.tensor([[[-1.172, -0.3926]], [[0.5273, 1.109]], [[0.9258, -1.742]], [[-0.7695, 0.7852]]], dtype=torch.bfloat16, requires_grad=True),
]
opt = torch.optim.SGD(params, momentum=0.99, weight_decay=0.0005, foreach=False, lr=0.64)
train(opt, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=False)
moved = torch.optim.SGD([{"params": [params[1], params[0]]}], momentum=0.9, weight_decay=0.01, nesterov=True, foreach=True, lr=0.305)  # params 0 and 1 change places
moved.load_state_dict(loaded)
problems = [f"param {i} {k}: saved {v.tolist()}, after load {moved.state[params[i]].get(k)}"
            for i, position in ((0, 0), (1, 1)) for k, v in opt.state_dict()["state"].get(position, {}).items()
            if isinstance(v, torch.Tensor) and not torch.equal(v, moved.state[params[i]].get(k, torch.tensor(float("nan"))))]
print("VIOLATED: optimizer.load.matches-by-identity" if problems else "holds: optimizer.load.matches-by-identity", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
