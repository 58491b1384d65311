# optimizer.load.validates-hyperparameters on pytorch_optimizer.optimizer.gravity.Gravity (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.gravity.Gravity on the installed torch violates it.
import os, sys, tempfile, torch
import pytorch_optimizer.optimizer.gravity
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
opt = pytorch_optimizer.optimizer.gravity.Gravity(params, lr=0.001)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=True)
loaded["param_groups"][0]['lr'] = -1.0  # pytorch_optimizer.optimizer.gravity.Gravity(..., lr=-1.0) raises NegativeLRError
fresh = pytorch_optimizer.optimizer.gravity.Gravity(params, lr=0.002)
try:
    fresh.load_state_dict(loaded)
    problems = [f"load_state_dict accepted lr=-1.0: param_groups[0] holds {fresh.param_groups[0]['lr']!r}"]
except NegativeLRError:
    problems = []
print("VIOLATED: optimizer.load.validates-hyperparameters" if problems else "holds: optimizer.load.validates-hyperparameters", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
