# optimizer.load.validates-hyperparameters on torch.optim.SparseAdam (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        for i, p in enumerate(params):
            target = torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1)).to(p.device)
            rows = torch.randint(0, p.shape[0], (max(1, p.shape[0] // 2),), generator=torch.Generator().manual_seed(1000 * i + step + 1 + 7)).to(p.device)
            view = p.detach().requires_grad_()
            loss = ((torch.nn.functional.embedding(rows, view, sparse=True).float() - target[rows]) ** 2).sum() / 2
            loss.backward()
            p.grad = view.grad
        opt.step()

params = [torch.tensor([[1.5409961, -0.2934289, -2.1787894], [0.56843126, -1.0845224, -1.3985955]], requires_grad=True)]
opt = torch.optim.SparseAdam(params, betas=(0.0, 0.5), eps=1e-10, lr=0.001)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(opt.state_dict(), path)
loaded = torch.load(path, weights_only=False)
loaded["param_groups"][0]['lr'] = -1.0  # torch.optim.SparseAdam(..., lr=-1.0) raises ValueError
fresh = torch.optim.SparseAdam(params, betas=(0.0, 0.5), eps=1e-10, lr=0.002)
try:
    fresh.load_state_dict(loaded)
    problems = [f"load_state_dict accepted lr=-1.0: param_groups[0] holds {fresh.param_groups[0]['lr']!r}"]
except ValueError:
    problems = []
print("VIOLATED: optimizer.load.validates-hyperparameters" if problems else "holds: optimizer.load.validates-hyperparameters", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
