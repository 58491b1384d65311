# crossversion.scheduler.loads.weights-only on torch.optim.lr_scheduler.LambdaLR on torch.optim.SGD (plain torch): prints VIOLATED and exits 1 while torch violates it.
#   uv run --with 'torch==2.15.*' python crossversion.scheduler.loads.weights-only--LambdaLR_on_SGD--saved-by-2.15--cpu.py save   # step 1 writes the checkpoint
#   uv run --with 'torch==X.Y.*' python crossversion.scheduler.loads.weights-only--LambdaLR_on_SGD--saved-by-2.15--cpu.py   # step 2 loads it under the release to check
import os, sys, torch
print("torch", torch.__version__)
def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it
    used_lrs = []
    for step in range(start, start + steps):
        used_lrs.append([{"lr": float(g["lr"])} for g in opt.param_groups])
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()
        sched.step()
    return used_lrs + [[{"lr": float(g["lr"])} for g in opt.param_groups]]

params = [
    torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True),
    torch.tensor([[-1.1720492, -0.39288425], [0.5264795, 1.1065099]], requires_grad=True),
]
PATH = ([a for a in sys.argv[1:] if a != 'save'] or [os.path.join(os.path.dirname(os.path.abspath(__file__)), 'checkpoint-saved-by-torch-2.15.pt')])[0]
if "save" in sys.argv[1:]:  # step 1, under torch 2.15: train to the save point and save, with the continuation
    straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
    opt, straight = torch.optim.SGD([{"params": params[0:1]}, {"params": params[1:2], 'lr': 0.05}], lr=0.1, momentum=0.9), torch.optim.SGD([{"params": straight_params[0:1]}, {"params": straight_params[1:2], 'lr': 0.05}], lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda epoch: 0.9 ** epoch)
    train(opt, sched, params, 3)
    lrs = train(straight, torch.optim.lr_scheduler.LambdaLR(straight, lr_lambda=lambda epoch: 0.9 ** epoch), straight_params, 6)[3:]
    torch.save({
        "format": 1, "torch": str(torch.__version__), "subject": 'torch.optim.lr_scheduler.LambdaLR', "scheduler": sched.state_dict(), "optimizer": opt.state_dict(),
        "params": [p.detach() for p in params], "continuation": {"params": [p.detach() for p in straight_params], "lrs": lrs},
    }, PATH)
    print("saved", PATH, "- now run this script without 'save' under the torch release to check")
    sys.exit(0)
# Step 2, under the release being checked: load the checkpoint and resume from it.
if not os.path.exists(PATH):
    sys.exit(f"no checkpoint at {PATH}: first run 'python {sys.argv[0]} save' under torch 2.15")
try:
    checkpoint = torch.load(PATH, weights_only=True)
    fresh_params = [p.detach().clone().requires_grad_() for p in checkpoint["params"]]
    fresh = torch.optim.SGD([{"params": fresh_params[0:1]}, {"params": fresh_params[1:2]}], lr=0.5, momentum=0.9)
    fresh_sched = torch.optim.lr_scheduler.LambdaLR(fresh, lr_lambda=lambda epoch: 0.9 ** epoch)
    fresh.load_state_dict(checkpoint["optimizer"])
    fresh_sched.load_state_dict(checkpoint["scheduler"])
    problems = []
except Exception as error:  # torch refusing is the violation
    problems = [f"{error!r:.300}"]
print("VIOLATED: crossversion.scheduler.loads.weights-only" if problems else "holds: crossversion.scheduler.loads.weights-only", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
