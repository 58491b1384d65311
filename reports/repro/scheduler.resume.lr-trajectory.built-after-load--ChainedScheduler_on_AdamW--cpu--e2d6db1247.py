# scheduler.resume.lr-trajectory.built-after-load on torch.optim.lr_scheduler.ChainedScheduler on torch.optim.AdamW (plain torch): prints VIOLATED and exits 1 while torch violates it.
import os, sys, tempfile, torch
print("torch", torch.__version__)
DECAY = None  # the module constant decay() reads, set as the code defining it would

def decay(epoch):
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

params = [
    torch.tensor([1.5409961, -0.2934289, -2.1787894], requires_grad=True),
    torch.tensor([-1.1720492, -0.39288425, 0.5264795], requires_grad=True),
    torch.tensor(-0.50732094, requires_grad=True),
]
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
opt = torch.optim.AdamW([{"params": params[0:1]}, {"params": params[1:2]}, {"params": params[2:3]}], betas=(0.6387, 0.6594), eps=2.96e-08, weight_decay=0.0005, lr=9.060479870385379)
sched = torch.optim.lr_scheduler.ChainedScheduler([torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.8339, end_factor=0.8144, total_iters=4), torch.optim.lr_scheduler.SequentialLR(opt, schedulers=[torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[ScheduleObject(0.8073), module_decay(0.95), module_decay(0.95)]), torch.optim.lr_scheduler.ConstantLR(opt, factor=0.972, total_iters=1), torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda epoch: 0.9377 ** epoch, ScheduleObject(0.9), ScheduleObject(0.8013)])], milestones=[2, 4]), torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.6421)])
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=False)
straight = torch.optim.AdamW([{"params": straight_params[0:1]}, {"params": straight_params[1:2]}, {"params": straight_params[2:3]}], betas=(0.6387, 0.6594), eps=2.96e-08, weight_decay=0.0005, lr=9.060479870385379)
expected = train(straight, torch.optim.lr_scheduler.ChainedScheduler([torch.optim.lr_scheduler.LinearLR(straight, start_factor=0.8339, end_factor=0.8144, total_iters=4), torch.optim.lr_scheduler.SequentialLR(straight, schedulers=[torch.optim.lr_scheduler.LambdaLR(straight, lr_lambda=[ScheduleObject(0.8073), module_decay(0.95), module_decay(0.95)]), torch.optim.lr_scheduler.ConstantLR(straight, factor=0.972, total_iters=1), torch.optim.lr_scheduler.LambdaLR(straight, lr_lambda=[lambda epoch: 0.9377 ** epoch, ScheduleObject(0.9), ScheduleObject(0.8013)])], milestones=[2, 4]), torch.optim.lr_scheduler.ExponentialLR(straight, gamma=0.6421)]), straight_params, 2)[1:]
fresh_params = [p.detach().clone().requires_grad_() for p in params]
fresh = torch.optim.AdamW([{"params": fresh_params[0:1]}, {"params": fresh_params[1:2]}, {"params": fresh_params[2:3]}], betas=(0.7106, 0.8841), eps=6.8e-07, weight_decay=0.0, amsgrad=True, foreach=True, maximize=True, lr=0.001)
fresh.load_state_dict(loaded["optimizer"])
fresh_sched = torch.optim.lr_scheduler.ChainedScheduler([torch.optim.lr_scheduler.LinearLR(fresh, start_factor=0.8339, end_factor=0.8144, total_iters=4), torch.optim.lr_scheduler.SequentialLR(fresh, schedulers=[torch.optim.lr_scheduler.LambdaLR(fresh, lr_lambda=[ScheduleObject(0.8073), module_decay(0.95), module_decay(0.95)]), torch.optim.lr_scheduler.ConstantLR(fresh, factor=0.972, total_iters=1), torch.optim.lr_scheduler.LambdaLR(fresh, lr_lambda=[lambda epoch: 0.9377 ** epoch, ScheduleObject(0.9), ScheduleObject(0.8013)])], milestones=[2, 4]), torch.optim.lr_scheduler.ExponentialLR(fresh, gamma=0.6421)])
fresh_sched.load_state_dict(loaded["scheduler"])

got = train(fresh, fresh_sched, fresh_params, 1, 1)
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {i + 1} after resuming: uninterrupted {expected[i]} vs resumed (built-after-load) {got[i]}" for i in differing]
print("VIOLATED: scheduler.resume.lr-trajectory.built-after-load" if problems else "holds: scheduler.resume.lr-trajectory.built-after-load", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
