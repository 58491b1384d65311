# optimizer.state_dict.is-snapshot on pytorch_optimizer.optimizer.sgd.AccSGD (torch and pytorch_optimizer): prints VIOLATED and exits 1 while torch violates it.
import copy, sys, torch
import pytorch_optimizer.optimizer.sgd
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
opt = pytorch_optimizer.optimizer.sgd.AccSGD(params, lr=0.001)
train(opt, params, 1)
live = opt.state_dict()
given = copy.deepcopy(live)
train(opt, params, 1, 1)  # one more step
where = "state_dict()['state'], one step later"
problems = [
    f"{where}[{i}][{k!r}]: {given['state'][i].get(k)!r} vs {v!r}"
    for i, s in live["state"].items() for k, v in s.items() for was in [given["state"][i].get(k)]
    if not (torch.equal(v, was) if isinstance(v, torch.Tensor) and isinstance(was, torch.Tensor) else repr(v) == repr(was))
]
print("VIOLATED: optimizer.state_dict.is-snapshot" if problems else "holds: optimizer.state_dict.is-snapshot", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
