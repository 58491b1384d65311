# optimizer.load.matches-by-identity on pytorch_optimizer.optimizer.adabound.AdaBound (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.adabound.AdaBound on the installed torch violates it.
import os, sys, tempfile, torch
import pytorch_optimizer.optimizer.adabound
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

params = [
    torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True),
    torch.tensor([-1.1720492, -0.39288425, 0.5264795], requires_grad=True),
]
opt = pytorch_optimizer.optimizer.adabound.AdaBound(params, fixed_decay=0.0, ams_bound=0.0, lr=0.001)
train(opt, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=True)
moved = pytorch_optimizer.optimizer.adabound.AdaBound([{"params": [params[1], params[0]]}], fixed_decay=0.0, ams_bound=0.0, lr=0.002)  # params 0 and 1 change places
moved.load_state_dict(loaded)
problems = [f"param {i} {k}: saved {v.tolist()}, after load {moved.state[params[i]].get(k)}"
            for i, position in ((0, 0), (1, 1)) for k, v in opt.state_dict()["state"].get(position, {}).items()
            if isinstance(v, torch.Tensor) and not torch.equal(v, moved.state[params[i]].get(k, torch.tensor(float("nan"))))]
print("VIOLATED: optimizer.load.matches-by-identity" if problems else "holds: optimizer.load.matches-by-identity", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
