# scheduler.load.keeps-constructor-arguments on torch.optim.lr_scheduler.ReduceLROnPlateau on torch.optim.AdamW (plain torch): prints VIOLATED and exits 1 while torch violates it.
import copy, os, sys, tempfile, torch
print("torch", torch.__version__)
def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it
    used_lrs = []
    for step in range(start, start + steps):
        used_lrs.append([{"lr": float(g["lr"])} for g in opt.param_groups])
        for i, p in enumerate(params):
            p.grad = p.detach() - torch.randn(p.shape, generator=torch.Generator().manual_seed(1000 * i + step + 1))
        opt.step()
        sched.step([1.0, 1.1, 1.0][step])
    return used_lrs + [[{"lr": float(g["lr"])} for g in opt.param_groups]]

params = [
    torch.tensor([-1.1258398, -1.6959312, 0.5666506, 0.79350835, 0.59883946, -1.5550951, -0.3413604, 1.8530061, 0.4680964, -0.58549756, -0.17339675, 0.18347794, 1.3893661, 1.5863342, 0.94629836, -0.84367675, 0.9318266], requires_grad=True),
]
opt = torch.optim.AdamW(params, betas=(0.9267, 0.59), eps=1e-07, amsgrad=True, fused=False, lr=0.013)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=0, threshold=0.0001, threshold_mode='abs', cooldown=1, min_lr=0.0)
train(opt, sched, params, 1)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save(dict(optimizer=opt.state_dict(), scheduler=sched.state_dict()), path)
loaded = torch.load(path, weights_only=True)
def resumed(checkpoint):  # the lr each resumed step uses under the new code's scheduler
    fresh_params = [p.detach().clone().requires_grad_() for p in params]
    fresh = torch.optim.AdamW(fresh_params, betas=(0.1451, 0.8545), eps=1e-09, weight_decay=0.0005, amsgrad=True, foreach=False, lr=9.082538507635078)
    fresh_sched = torch.optim.lr_scheduler.ReduceLROnPlateau(fresh, mode='max', factor=0.1, patience=1, threshold=0.1, threshold_mode='rel', cooldown=2, min_lr=0.001)
    fresh.load_state_dict(copy.deepcopy(checkpoint["optimizer"]))
    fresh_sched.load_state_dict(copy.deepcopy(checkpoint["scheduler"]))
    return train(fresh, fresh_sched, fresh_params, 1, 1)
def constructed(build):  # what the scheduler and the groups hold right after construction
    o = torch.optim.AdamW([p.detach().clone().requires_grad_() for p in params], betas=(0.9267, 0.59), eps=1e-07, amsgrad=True, fused=False, lr=0.013)
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

old, new = constructed(lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, mode='min', factor=0.5, patience=0, threshold=0.0001, threshold_mode='abs', cooldown=1, min_lr=0.0)), constructed(lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, mode='max', factor=0.1, patience=1, threshold=0.1, threshold_mode='rel', cooldown=2, min_lr=0.001))
groups = spliced(loaded["optimizer"]["param_groups"], old["param_groups"], new["param_groups"])
in_force = {"optimizer": {**loaded["optimizer"], "param_groups": groups}, "scheduler": spliced(loaded["scheduler"], old["scheduler"], new["scheduler"])}
wanted, got = resumed(in_force), resumed(loaded)
problems = [f"lr used with the new arguments in force: {wanted}; resumed with them: {got}"] if wanted != got else []
print("VIOLATED: scheduler.load.keeps-constructor-arguments" if problems else "holds: scheduler.load.keeps-constructor-arguments", *problems[:8], sep="\n  ")
sys.exit(1 if problems else 0)
