# optimizer.load.flags-from-another-device.defaults on pytorch_optimizer.optimizer.lamb.Lamb (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.lamb.Lamb on the installed torch violates it.
import copy, os, sys, tempfile, torch
import pytorch_optimizer.optimizer.lamb
print("torch", torch.__version__)
WRITTEN_FLAGS = {'foreach': None}  # set in the saved param groups, as a CUDA run writes them
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

def first_line(error):
    return f"{type(error).__name__}: {(str(error).strip().splitlines() or [''])[0]}"

params = [torch.tensor([[1.5409961, -0.2934289], [-2.1787894, 0.56843126]], requires_grad=True)]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = pytorch_optimizer.optimizer.lamb.Lamb(params, lr=0.01, foreach=False)
train(opt, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=True)
straight = pytorch_optimizer.optimizer.lamb.Lamb(straight_params, lr=0.01, foreach=False)
train(straight, straight_params, 2)
def resumed(flags):  # load the checkpoint with ``flags`` set in every group, then train on
    written = copy.deepcopy(loaded)
    for group in written["param_groups"]:
        group.update(flags)
    moved_params = [p.detach().clone().requires_grad_() for p in params]
    moved = pytorch_optimizer.optimizer.lamb.Lamb(moved_params, lr=0.5, foreach=True)
    try:
        moved.load_state_dict(written)
        train(moved, moved_params, 1, 1)
    except Exception as error:
        return moved_params, first_line(error)
    return moved_params, ""


moved_params, refused = resumed(WRITTEN_FLAGS)
problems = [refused] if refused else differences([p.detach() for p in straight_params], [p.detach() for p in moved_params], "params")
print("VIOLATED: optimizer.load.flags-from-another-device.defaults" if problems else "holds: optimizer.load.flags-from-another-device.defaults", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
