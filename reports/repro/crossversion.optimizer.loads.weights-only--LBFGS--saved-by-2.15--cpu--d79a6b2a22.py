# crossversion.optimizer.loads.weights-only on torch.optim.LBFGS (plain torch): prints VIOLATED and exits 1 while torch violates it.
#   uv run --with 'torch==2.15.*' python crossversion.optimizer.loads.weights-only--LBFGS--saved-by-2.15--cpu.py save   # step 1 writes the checkpoint
#   uv run --with 'torch==X.Y.*' python crossversion.optimizer.loads.weights-only--LBFGS--saved-by-2.15--cpu.py   # step 2 loads it under the release to check
import os, sys, torch
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        def closure(step=step):
            loss = torch.zeros(())
            for i in (0, 1, 3):
                p, view = params[i], params[i].detach().requires_grad_()
                term = ((view.float() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1)).to(p.device)) ** 2).sum() / 2
                term.backward()
                p.grad, loss = view.grad, loss + term.detach()
            return loss
        opt.step(closure)

params = [
    torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True),
    torch.tensor([-1.1720492, -0.39288425, 0.5264795], requires_grad=True),
    torch.tensor([-0.50732094, 0.28140324, -0.22562662], requires_grad=True),
    torch.tensor([[0.6890881, 0.5360584], [-0.8803456, -1.8900716]], requires_grad=True),
]
PATH = ([a for a in sys.argv[1:] if a != 'save'] or [os.path.join(os.path.dirname(os.path.abspath(__file__)), 'checkpoint-saved-by-torch-2.15.pt')])[0]
if "save" in sys.argv[1:]:  # step 1, under torch 2.15: train to the save point and save, with the continuation
    straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
    opt, straight = torch.optim.LBFGS(params, lr=0.01, max_iter=4), torch.optim.LBFGS(straight_params, lr=0.01, max_iter=4)
    train(opt, params, 2)
    train(straight, straight_params, 4)
    torch.save({
        "format": 1, "torch": str(torch.__version__), "subject": 'torch.optim.LBFGS', "optimizer": opt.state_dict(),
        "params": [p.detach() for p in params], "continuation": {"params": [p.detach() for p in straight_params]},
    }, PATH)
    print("saved", PATH, "- now run this script without 'save' under the torch release to check")
    sys.exit(0)
# Step 2, under the release being checked: load the checkpoint and resume from it.
if not os.path.exists(PATH):
    sys.exit(f"no checkpoint at {PATH}: first run 'python {sys.argv[0]} save' under torch 2.15")
try:
    checkpoint = torch.load(PATH, weights_only=True)
    fresh_params = [p.detach().clone().requires_grad_() for p in checkpoint["params"]]
    fresh = torch.optim.LBFGS(fresh_params, lr=0.5)
    fresh.load_state_dict(checkpoint["optimizer"])
    problems = []
except Exception as error:  # torch refusing is the violation
    problems = [f"{error!r:.300}"]
print("VIOLATED: crossversion.optimizer.loads.weights-only" if problems else "holds: crossversion.optimizer.loads.weights-only", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
