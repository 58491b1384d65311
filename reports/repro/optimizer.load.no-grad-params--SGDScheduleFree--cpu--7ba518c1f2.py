# optimizer.load.no-grad-params on schedulefree.sgd_schedulefree.SGDScheduleFree (torch and schedulefree): prints VIOLATED and exits 1 while schedulefree.sgd_schedulefree.SGDScheduleFree on the installed torch violates it.
import os, sys, tempfile, torch
import schedulefree.sgd_schedulefree
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    if hasattr(opt, 'train'):
        opt.train()
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in [(i, params[i]) for i in ()]:  # the params that get a grad
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
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = schedulefree.sgd_schedulefree.SGDScheduleFree(params, foreach=None, lr=0.001)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=True)
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = schedulefree.sgd_schedulefree.SGDScheduleFree(fresh_params, foreach=None, lr=0.002)
fresh.load_state_dict(loaded)
straight = schedulefree.sgd_schedulefree.SGDScheduleFree(straight_params, foreach=None, lr=0.001)
train(straight, straight_params, 1)
idle = [p for i, p in enumerate(params) if i in (0,)]  # params that never get a grad
problems = [f"a param that never had a grad has state before the save: {opt.state[p]}" for p in idle if p in opt.state]
train(fresh, fresh_params, 1, 0)
problems += [f"a param that never had a grad has state after resuming" for i in (0,) if fresh_params[i] in fresh.state]
problems += differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
print("VIOLATED: optimizer.load.no-grad-params" if problems else "holds: optimizer.load.no-grad-params", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
