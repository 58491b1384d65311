# scheduler.resume.lr-trajectory on torch.optim.lr_scheduler.SequentialLR on torch.optim.AdamW (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
def decay(epoch):  # reads DECAY, a module constant: module_decay() sets it as code defining it would
    return DECAY ** epoch
def module_decay(value):
    global DECAY
    DECAY = value
    return decay

class ScheduleObject:
    def __init__(self, factor):
        self.factor = factor
    def __call__(self, epoch):
        return self.factor ** epoch

def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it
    used_lrs = []
    for step in range(start, start + steps):
        used_lrs.append([{"lr": float(g["lr"])} for g in opt.param_groups])
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()
        sched.step()
    return used_lrs + [[{"lr": float(g["lr"])} for g in opt.param_groups]]

params = [torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True), torch.tensor([[], []], requires_grad=True)]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.AdamW([{"params": params[0:1]}, {"params": params[1:2]}], betas=(0.8892, 0.8015), eps=2.77e-07, weight_decay=0.1, foreach=False, fused=False, lr=torch.tensor(0.434))
sched = torch.optim.lr_scheduler.SequentialLR(opt, schedulers=[torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5), torch.optim.lr_scheduler.MultiplicativeLR(opt, lr_lambda=ScheduleObject(0.9147)), torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[ScheduleObject(0.8637), module_decay(0.95)])], milestones=[1, 2])
train(opt, sched, params, 3)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=True)
straight = torch.optim.AdamW([{"params": straight_params[0:1]}, {"params": straight_params[1:2]}], betas=(0.8892, 0.8015), eps=2.77e-07, weight_decay=0.1, foreach=False, fused=False, lr=torch.tensor(0.434))
expected = train(straight, torch.optim.lr_scheduler.SequentialLR(straight, schedulers=[torch.optim.lr_scheduler.StepLR(straight, step_size=3, gamma=0.5), torch.optim.lr_scheduler.MultiplicativeLR(straight, lr_lambda=ScheduleObject(0.9147)), torch.optim.lr_scheduler.LambdaLR(straight, lr_lambda=[ScheduleObject(0.8637), module_decay(0.95)])], milestones=[1, 2]), straight_params, 5)[3:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.AdamW([{"params": fresh_params[0:1]}, {"params": fresh_params[1:2]}], betas=(0.25, 0.9758), eps=6.34e-07, weight_decay=0.0005, maximize=True, lr=10.0)
fresh_sched = torch.optim.lr_scheduler.SequentialLR(fresh, schedulers=[torch.optim.lr_scheduler.StepLR(fresh, step_size=3, gamma=0.5), torch.optim.lr_scheduler.MultiplicativeLR(fresh, lr_lambda=ScheduleObject(0.9147)), torch.optim.lr_scheduler.LambdaLR(fresh, lr_lambda=[ScheduleObject(0.8637), module_decay(0.95)])], milestones=[1, 2])
fresh.load_state_dict(loaded["optimizer"])
fresh_sched.load_state_dict(loaded["scheduler"])

got = train(fresh, fresh_sched, fresh_params, 2, 3)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (scheduler-first) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory" if problems else "holds: scheduler.resume.lr-trajectory", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
