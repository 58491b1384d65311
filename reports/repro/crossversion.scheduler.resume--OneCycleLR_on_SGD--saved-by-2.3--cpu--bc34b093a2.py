# crossversion.scheduler.resume on torch.optim.lr_scheduler.OneCycleLR on torch.optim.SGD (plain torch): prints VIOLATED and exits 1 while torch violates it.
#   uv run --with 'torch==2.3.*' python crossversion.scheduler.resume--OneCycleLR_on_SGD--saved-by-2.3--cpu.py save   # step 1 writes the checkpoint
#   uv run --with 'torch==X.Y.*' python crossversion.scheduler.resume--OneCycleLR_on_SGD--saved-by-2.3--cpu.py   # step 2 loads it under the release to check
import os, sys, torch
print("torch", torch.__version__)
def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it
    used_lrs = []
    for step in range(start, start + steps):
        used_lrs.append(used(opt))
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()
        sched.step()
    return used_lrs + [used(opt)]

def used(opt):  # the lr each group's next step uses, and the momentum (or beta1) the scheduler cycles
    found = [{"lr": float(g["lr"])} for g in opt.param_groups]
    for values, g in zip(found, opt.param_groups):
        values.update({"momentum": float(g["momentum"])} if "momentum" in g else {"beta1": float(g["betas"][0])})
    return found

params = [
    torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True),
    torch.tensor([[-1.1720492, -0.39288425], [0.5264795, 1.1065099]], requires_grad=True),
]
PATH = ([a for a in sys.argv[1:] if a != 'save'] or [os.path.join(os.path.dirname(os.path.abspath(__file__)), 'checkpoint-saved-by-torch-2.3.pt')])[0]
if "save" in sys.argv[1:]:  # step 1, under torch 2.3: train to the save point and save, with the continuation
    straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
    opt, straight = torch.optim.SGD([{"params": params[0:1]}, {"params": params[1:2], 'lr': 0.05}], lr=0.1, momentum=0.9), torch.optim.SGD([{"params": straight_params[0:1]}, {"params": straight_params[1:2], 'lr': 0.05}], lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10, three_phase=True)
    train(opt, sched, params, 3)
    lrs = train(straight, torch.optim.lr_scheduler.OneCycleLR(straight, max_lr=0.1, total_steps=10, three_phase=True), straight_params, 6)[3:]
    torch.save({
        "format": 1, "torch": str(torch.__version__), "subject": 'torch.optim.lr_scheduler.OneCycleLR', "scheduler": sched.state_dict(), "optimizer": opt.state_dict(),
        "params": [p.detach() for p in params], "continuation": {"params": [p.detach() for p in straight_params], "lrs": lrs},
    }, PATH)
    print("saved", PATH, "- now run this script without 'save' under the torch release to check")
    sys.exit(0)
# Step 2, under the release being checked: load the checkpoint and resume from it.
if not os.path.exists(PATH):
    sys.exit(f"no checkpoint at {PATH}: first run 'python {sys.argv[0]} save' under torch 2.3")
try:
    checkpoint = torch.load(PATH, weights_only=False)
    fresh_params = [p.detach().clone().requires_grad_() for p in checkpoint["params"]]
    fresh = torch.optim.SGD([{"params": fresh_params[0:1]}, {"params": fresh_params[1:2]}], lr=0.5, momentum=0.9)
    fresh_sched = torch.optim.lr_scheduler.OneCycleLR(fresh, max_lr=0.1, total_steps=10, three_phase=True)
    fresh.load_state_dict(checkpoint["optimizer"])
    fresh_sched.load_state_dict(checkpoint["scheduler"])
    got = train(fresh, fresh_sched, fresh_params, 3, 3)
    expected = checkpoint["continuation"]["lrs"]  # what each step used in the saving release's own run
    problems = [f"lr per step, saving release {expected} vs resumed here {got}"] if got != expected else []
except Exception as error:  # torch refusing is the violation
    problems = [f"{error!r:.300}"]
print("VIOLATED: crossversion.scheduler.resume" if problems else "holds: crossversion.scheduler.resume", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
