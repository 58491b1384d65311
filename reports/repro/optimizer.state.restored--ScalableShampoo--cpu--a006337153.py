# optimizer.state.restored on pytorch_optimizer.optimizer.shampoo.ScalableShampoo (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.shampoo.ScalableShampoo on the installed torch violates it.
import os, sys, tempfile, torch
import pytorch_optimizer.optimizer.shampoo
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

params = [
    torch.tensor([-1.1258398, -1.6959312, 0.5666506, 0.79350835, 0.59883946, -1.5550951, -0.3413604, 1.8530061, 0.4680964, -0.58549756, -0.17339675, 0.18347794, 1.3893661, 1.5863342, 0.94629836, -0.84367675, 0.9318266], requires_grad=True),
]
opt = pytorch_optimizer.optimizer.shampoo.ScalableShampoo(params, moving_average_for_momentum=0.0, decoupled_weight_decay=0.0, statistics_compute_steps=True, skip_preconditioning_rank_lt=True, graft_type=True, use_svd=0.0, lr=1.0)
train(opt, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=False)
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = pytorch_optimizer.optimizer.shampoo.ScalableShampoo(fresh_params, moving_average_for_momentum=0.0, decoupled_weight_decay=0.0, statistics_compute_steps=True, skip_preconditioning_rank_lt=True, graft_type=True, use_svd=0.0, lr=0.401)
fresh.load_state_dict(loaded)
problems = differences(opt.state_dict()["state"], by_position(fresh), "state")
print("VIOLATED: optimizer.state.restored" if problems else "holds: optimizer.state.restored", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
