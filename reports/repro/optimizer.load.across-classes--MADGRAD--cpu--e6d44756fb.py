# optimizer.load.across-classes on pytorch_optimizer.optimizer.madgrad.MADGRAD (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.madgrad.MADGRAD on the installed torch violates it.
import copy, sys, torch
import pytorch_optimizer.optimizer.madgrad
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True)]
own = torch.optim.Adam(params, eps=1e-06, lr=0.001)  # the class the checkpoint comes from, with the arguments it takes
train(own, params, 1)
checkpoint = copy.deepcopy(own.state_dict())
loading_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
train(own, params, 1, 1)  # how Adam trains on
other = pytorch_optimizer.optimizer.madgrad.MADGRAD(loading_params, weight_decouple=0.0, lr=0.002)
problems = []
try:
    other.load_state_dict(checkpoint)  # refusing another class's checkpoint is what the claim allows
    problems.append("loaded Adam's checkpoint into MADGRAD")
    train(other, loading_params, 1, 1)
    problems = [f"params[{i}]: Adam {a.tolist()} vs MADGRAD {b.tolist()}" for i, (a, b) in enumerate(zip(params, loading_params)) if not torch.equal(a, b)]
except Exception as error:
    problems.append(f"then raised {error!r:.200}") if problems else print("load_state_dict refused it:", f"{error!r:.200}")
print("VIOLATED: optimizer.load.across-classes" if problems else "holds: optimizer.load.across-classes", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
