# optimizer.state_dict.is-snapshot on pytorch_optimizer.optimizer.aida.Aida (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.aida.Aida on the installed torch violates it.
import copy, sys, torch
import pytorch_optimizer.optimizer.aida
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

def changed(before, after, path=""):  # the entries of a nested dict whose value is not what it was
    if isinstance(after, dict):
        return [c for k, v in after.items() for c in changed(before.get(k) if isinstance(before, dict) else None, v, f"{path}[{k!r}]")]
    tensors = isinstance(before, torch.Tensor) and isinstance(after, torch.Tensor)
    return [] if (torch.equal(before, after) if tensors else repr(before) == repr(after)) else [" ".join(f"{path}: {before!r} -> {after!r}".split())]

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
opt = pytorch_optimizer.optimizer.aida.Aida(params, weight_decouple=0.0, fixed_decay=0.0, rectify=0.0, ams_bound=0.0, fused=None, differentiable=False, capturable=False, lr=0.001)
train(opt, params, 1)
live = opt.state_dict()
given = copy.deepcopy(live)
train(opt, params, 1, 1)  # one more step
problems = changed(given, live, "the dict state_dict() returned, one step later")
print("VIOLATED: optimizer.state_dict.is-snapshot" if problems else "holds: optimizer.state_dict.is-snapshot", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
