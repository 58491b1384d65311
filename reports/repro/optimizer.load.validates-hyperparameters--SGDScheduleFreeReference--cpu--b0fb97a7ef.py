# optimizer.load.validates-hyperparameters on schedulefree.sgd_schedulefree_reference.SGDScheduleFreeReference (torch and schedulefree): prints VIOLATED and exits 1 while schedulefree.sgd_schedulefree_reference.SGDScheduleFreeReference on the installed torch violates it.
import os, sys, tempfile, torch
import schedulefree.sgd_schedulefree_reference
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    if hasattr(opt, 'train'):
        opt.train()
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
opt = schedulefree.sgd_schedulefree_reference.SGDScheduleFreeReference(params, foreach=None, lr=0.001)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=True)
loaded["param_groups"][0]['lr'] = -1.0  # schedulefree.sgd_schedulefree_reference.SGDScheduleFreeReference(..., lr=-1.0) raises ValueError
fresh = schedulefree.sgd_schedulefree_reference.SGDScheduleFreeReference(params, foreach=None, lr=0.002)
try:
    fresh.load_state_dict(loaded)
    problems = [f"load_state_dict accepted lr=-1.0: param_groups[0] holds {fresh.param_groups[0]['lr']!r}"]
except ValueError:
    problems = []
print("VIOLATED: optimizer.load.validates-hyperparameters" if problems else "holds: optimizer.load.validates-hyperparameters", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
