# scheduler.load.keeps-constructor-arguments on torch.optim.lr_scheduler.MultiStepLR on torch.optim.RMSprop (plain torch): prints VIOLATED and exits 1 while torch violates it.
import copy, os, sys, tempfile, torch
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

params = [torch.tensor([1.5409961], requires_grad=True)]
opt = torch.optim.RMSprop(params, alpha=0.9603, eps=8.54e-10, weight_decay=0.1, momentum=0.99, lr=3.813795421237492)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[3, 4, 6], gamma=0.8811)
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=False)
def resumed(checkpoint):  # the lr each resumed step uses under the new code's scheduler
    fresh_params = [p.detach().clone().requires_grad_() for p in params]
    fresh = torch.optim.RMSprop(fresh_params, alpha=0.6859, eps=6.14e-09, weight_decay=0.1, momentum=0.5, foreach=True, lr=0.219)
    fresh_sched = torch.optim.lr_scheduler.MultiStepLR(fresh, milestones=[3, 4, 6], gamma=0.8928)
    fresh.load_state_dict(copy.deepcopy(checkpoint["optimizer"]))
    fresh_sched.load_state_dict(copy.deepcopy(checkpoint["scheduler"]))
    return train(fresh, fresh_sched, fresh_params, 2, 1)
def constructed(build):  # what the scheduler and the groups hold right after construction
    o = torch.optim.RMSprop([p.detach().clone().requires_grad_() for p in params], alpha=0.9603, eps=8.54e-10, weight_decay=0.1, momentum=0.99, lr=3.813795421237492)
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

old, new = constructed(lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[3, 4, 6], gamma=0.8811)), constructed(lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[3, 4, 6], gamma=0.8928))
groups = spliced(loaded["optimizer"]["param_groups"], old["param_groups"], new["param_groups"])
in_force = {"optimizer": {**loaded["optimizer"], "param_groups": groups}, "scheduler": spliced(loaded["scheduler"], old["scheduler"], new["scheduler"])}
wanted, got = resumed(in_force), resumed(loaded)
problems = [f"lr used with the new arguments in force: {wanted}; resumed with them: {got}"] if wanted != got else []
print("VIOLATED: scheduler.load.keeps-constructor-arguments" if problems else "holds: scheduler.load.keeps-constructor-arguments", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
