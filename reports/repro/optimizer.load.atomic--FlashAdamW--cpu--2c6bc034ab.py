# optimizer.load.atomic on pytorch_optimizer.optimizer.flash_adamw.FlashAdamW (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.flash_adamw.FlashAdamW on the installed torch violates it.
import copy, sys, torch
import pytorch_optimizer.optimizer.flash_adamw
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

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
initial = [p.detach().clone() for p in params]  # the params as they were before training
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = pytorch_optimizer.optimizer.flash_adamw.FlashAdamW(params, decouple_lr=0.0, check_numerics=0.0, fused=0.0, differentiable=False, capturable=False, lr=0.001)
train(opt, params, 1)
straight = pytorch_optimizer.optimizer.flash_adamw.FlashAdamW(straight_params, decouple_lr=0.0, check_numerics=0.0, fused=0.0, differentiable=False, capturable=False, lr=0.001)
train(straight, straight_params, 2)
saver_params = [p.detach().clone().requires_grad_() for p in initial]
saver = torch.optim.SGD(saver_params, weight_decay=0.01, fused=0.0, lr=0.001, momentum=0.9)  # SGD's checkpoint
train(saver, saver_params, 1)
bad = saver.state_dict()
def view(o):  # the optimizer's groups (params as positions) and state
    groups = [{**g, "params": [next(i for i, p in enumerate(params) if p is q) for q in g["params"]]} for g in o.param_groups]
    return copy.deepcopy({"param_groups": groups, "state": by_position(o)})

before = view(opt)
try:
    opt.load_state_dict(bad)
    problems = []  # it loaded: a load that succeeds is not in question
except Exception as error:
    print("load_state_dict raised", f"{error!r:.200}")
    problems = differences(before, view(opt), "the optimizer after the failed load")
    try:  # then it must train on as an untouched twin does
        train(opt, params, 1, 1)
        problems = problems or differences([p.detach() for p in straight_params], [p.detach() for p in params], "params")
    except Exception as error:
        problems = problems or [f"step() after the failed load raised {error!r:.200}"]
print("VIOLATED: optimizer.load.atomic" if problems else "holds: optimizer.load.atomic", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
