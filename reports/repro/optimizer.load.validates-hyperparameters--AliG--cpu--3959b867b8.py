# optimizer.load.validates-hyperparameters on pytorch_optimizer.optimizer.alig.AliG (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.alig.AliG on the installed torch violates it.
import os, sys, tempfile, torch
import pytorch_optimizer.optimizer.alig
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        def closure(step=step):
            loss = torch.zeros(())
            for i in (0,):
                p, view = params[i], params[i].detach().requires_grad_()
                term = ((view.float() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1)).to(p.device)) ** 2).sum() / 2
                term.backward()
                p.grad, loss = view.grad, loss + term.detach()
            return loss
        opt.step(closure)

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
opt = pytorch_optimizer.optimizer.alig.AliG(params, adjusted_momentum=0.0, lr=0.001)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=True)
loaded["param_groups"][0]['momentum'] = -1.0  # pytorch_optimizer.optimizer.alig.AliG(..., momentum=-1.0) raises ValueError
fresh = pytorch_optimizer.optimizer.alig.AliG(params, adjusted_momentum=0.0, lr=0.002)
try:
    fresh.load_state_dict(loaded)
    problems = [f"load_state_dict accepted momentum=-1.0: param_groups[0] holds {fresh.param_groups[0]['momentum']!r}"]
except ValueError:
    problems = []
print("VIOLATED: optimizer.load.validates-hyperparameters" if problems else "holds: optimizer.load.validates-hyperparameters", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
