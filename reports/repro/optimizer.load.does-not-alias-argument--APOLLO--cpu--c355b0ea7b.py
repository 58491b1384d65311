# optimizer.load.does-not-alias-argument on pytorch_optimizer.optimizer.apollo.APOLLO (torch and pytorch_optimizer): prints VIOLATED and exits 1 while torch violates it.
import copy, os, sys, tempfile, torch
import pytorch_optimizer.optimizer.apollo
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
opt = pytorch_optimizer.optimizer.apollo.APOLLO(params, fixed_decay=0.0, fused=None, differentiable=False, capturable=False, lr=0.001)
train(opt, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=True)
given = copy.deepcopy(loaded)
fresh = pytorch_optimizer.optimizer.apollo.APOLLO(params, fixed_decay=0.0, fused=None, differentiable=False, capturable=False, lr=0.002)
fresh.load_state_dict(loaded)
train(fresh, params, 1, 1)
where = "the loaded dict's state, after training the optimizer it was loaded into"
problems = [
    f"{where}[{i}][{k!r}]: {given['state'][i].get(k)!r} vs {v!r}"
    for i, s in loaded["state"].items() for k, v in s.items() for was in [given["state"][i].get(k)]
    if not (torch.equal(v, was) if isinstance(v, torch.Tensor) and isinstance(was, torch.Tensor) else repr(v) == repr(was))
]
print("VIOLATED: optimizer.load.does-not-alias-argument" if problems else "holds: optimizer.load.does-not-alias-argument", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
