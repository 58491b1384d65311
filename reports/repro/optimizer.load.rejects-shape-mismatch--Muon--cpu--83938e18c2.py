# optimizer.load.rejects-shape-mismatch on pytorch_optimizer.optimizer.muon.muon.Muon (torch and pytorch_optimizer): prints VIOLATED and exits 1 while pytorch_optimizer.optimizer.muon.muon.Muon on the installed torch violates it.
import sys, torch
import pytorch_optimizer.optimizer.muon.muon
print("torch", torch.__version__)
def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2
    for step in range(start, start + steps):
        torch.manual_seed(999001 + step)  # the optimizer's random draws, the same at each step
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()

params = [torch.tensor([[1.5409961, -0.2934289, -2.1787894], [0.56843126, -1.0845224, -1.3985955]], requires_grad=True)]
shapes = [(3, 3)]  # other shapes than the params' [(2, 3)]
other_params = [torch.randn(s, generator=torch.Generator().manual_seed(1000 * i + -1 + 1)).to(p.dtype).requires_grad_(p.requires_grad) for i, (s, p) in enumerate(zip(shapes, params))]
other = pytorch_optimizer.optimizer.muon.muon.Muon([{"params": other_params[0:1], 'use_muon': True}], use_adjusted_lr=0.0, fused=None, differentiable=False, capturable=False, lr=0.001)
train(other, other_params, 1)
target = pytorch_optimizer.optimizer.muon.muon.Muon([{"params": params[0:1], 'use_muon': True}], use_adjusted_lr=0.0, fused=None, differentiable=False, capturable=False, lr=0.002)
problems = []
try:  # a refusal by load_state_dict is what the claim asks for; one by the first step() is too late
    target.load_state_dict(other.state_dict())
    problems.append(f"load_state_dict accepted state saved for shapes [(3, 3)] into params of shapes [(2, 3)]")
    train(target, params, 1)
    problems.append("the first step() then ran without error on the mis-shaped state")
except Exception as error:
    print("raised:", f"{error!r:.200}")
print("VIOLATED: optimizer.load.rejects-shape-mismatch" if problems else "holds: optimizer.load.rejects-shape-mismatch", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
