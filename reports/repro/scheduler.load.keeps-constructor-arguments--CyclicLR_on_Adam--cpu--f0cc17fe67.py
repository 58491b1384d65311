# scheduler.load.keeps-constructor-arguments on torch.optim.lr_scheduler.CyclicLR on torch.optim.Adam (plain torch): prints VIOLATED and exits 1 while torch violates it.
import copy, os, sys, tempfile, torch
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

params = [torch.tensor([[1.5409961, -0.2934289, -2.1787894], [0.56843126, -1.0845224, -1.3985955]], requires_grad=True)]
opt = torch.optim.Adam(params, betas=(0.0, 0.75), eps=1.4e-09, weight_decay=0.01, foreach=False, lr=10.0)
sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=0.4724, step_size_up=4, mode='triangular2', gamma=0.8136, cycle_momentum=True)
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=True)
def resumed(checkpoint):  # the lr each resumed step uses under the new code's scheduler
    fresh_params = [p.detach().clone().requires_grad_() for p in params]
    fresh = torch.optim.Adam(fresh_params, betas=(0.9, 0.6341), eps=2.91e-07, weight_decay=0.1, amsgrad=True, maximize=True, lr=20.0)
    fresh_sched = torch.optim.lr_scheduler.CyclicLR(fresh, base_lr=0.01, max_lr=0.8431, step_size_up=1, mode='triangular', gamma=0.8136, cycle_momentum=True)
    fresh.load_state_dict(copy.deepcopy(checkpoint["optimizer"]))
    fresh_sched.load_state_dict(copy.deepcopy(checkpoint["scheduler"]))
    return train(fresh, fresh_sched, fresh_params, 1, 1)
def constructed(build):  # what the scheduler and the groups hold right after construction
    o = torch.optim.Adam([p.detach().clone().requires_grad_() for p in params], betas=(0.0, 0.75), eps=1.4e-09, weight_decay=0.01, foreach=False, lr=10.0)
    return {"scheduler": build(o).state_dict(), "param_groups": [{k: v for k, v in g.items() if k != "params"} for g in o.param_groups]}
def same(a, b):  # bound methods (an anneal function) are the same when they run the same function
    return a.__func__ is b.__func__ if hasattr(a, "__func__") and hasattr(b, "__func__") else repr(a) == repr(b)
def spliced(saved, old, new):  # the saved progress, with the new arguments where the arguments decide
    if all(type(x) is dict for x in (saved, old, new)):
        return {**{k: spliced(v, old[k], new[k]) if k in old and k in new else v for k, v in saved.items()},
                **{k: v for k, v in new.items() if k not in old and k not in saved}}
    if all(type(x) is list for x in (saved, old, new)) and len(saved) == len(old) == len(new) and saved and type(saved[0]) is dict:
        return [spliced(*values) for values in zip(saved, old, new)]
    return new if not same(old, new) and same(old, saved) else saved

old, new = constructed(lambda o: torch.optim.lr_scheduler.CyclicLR(o, base_lr=0.001, max_lr=0.4724, step_size_up=4, mode='triangular2', gamma=0.8136, cycle_momentum=True)), constructed(lambda o: torch.optim.lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.8431, step_size_up=1, mode='triangular', gamma=0.8136, cycle_momentum=True))
groups = spliced(loaded["optimizer"]["param_groups"], old["param_groups"], new["param_groups"])
in_force = {"optimizer": {**loaded["optimizer"], "param_groups": groups}, "scheduler": spliced(loaded["scheduler"], old["scheduler"], new["scheduler"])}
wanted, got = resumed(in_force), resumed(loaded)
problems = [f"lr used with the new arguments in force: {wanted}; resumed with them: {got}"] if wanted != got else []
print("VIOLATED: scheduler.load.keeps-constructor-arguments" if problems else "holds: scheduler.load.keeps-constructor-arguments", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
