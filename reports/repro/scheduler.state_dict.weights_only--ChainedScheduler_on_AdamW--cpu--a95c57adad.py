# scheduler.state_dict.weights_only on torch.optim.lr_scheduler.ChainedScheduler on torch.optim.AdamW (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
def decay(epoch):  # reads DECAY, a module constant: module_decay() sets it as code defining it would
    return DECAY ** epoch
def module_decay(value):
    global DECAY
    DECAY = value
    return decay

def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it
    used_lrs = []
    for step in range(start, start + steps):
        used_lrs.append([{"lr": float(g["lr"])} for g in opt.param_groups])
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()
        sched.step()
    return used_lrs + [[{"lr": float(g["lr"])} for g in opt.param_groups]]

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
    torch.tensor([[1.5409961, -0.2934289, -2.1787894], [0.56843126, -1.0845224, -1.3985955]], requires_grad=True),
    torch.tensor([[-1.1720492, -0.39288425, 0.5264795], [1.1065099, 0.92727476, -1.7420607]], requires_grad=True),
    torch.tensor([-0.50732094], requires_grad=True),
]
opt = torch.optim.AdamW([{"params": params[0:1]}, {"params": params[1:2]}, {"params": params[2:3]}], betas=(0.4235, 0.6781), eps=2.3e-08, weight_decay=0.1, amsgrad=True, foreach=False, lr=1.0)
sched = torch.optim.lr_scheduler.ChainedScheduler([torch.optim.lr_scheduler.MultiplicativeLR(opt, lr_lambda=[module_decay(0.95), lambda epoch: 0.8816 ** epoch, module_decay(0.95)]), torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 3], gamma=0.5), torch.optim.lr_scheduler.PolynomialLR(opt, total_iters=7, power=1.2304)])
train(opt, sched, params, 1)
try:
    path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
    torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
    loaded = torch.load(path, weights_only=True)
except Exception as error:  # torch refusing to save or load it is the violation
    print("VIOLATED: scheduler.state_dict.weights_only\n  torch refused:", f"{error!r:.300}")
    sys.exit(1)
problems = differences(sched.state_dict(), loaded["scheduler"], "scheduler state_dict")
print("VIOLATED: scheduler.state_dict.weights_only" if problems else "holds: scheduler.state_dict.weights_only", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
