"""Plain-torch checks appended to a case's script, one per claim: each fills ``problems``.

They use only the names the script prelude defines (``saved``, ``given``, ``loaded``,
``fresh``, ``fresh_params``, ``original``, ``params``, ``differences``, ``train`` ...), so the
reproducer stays a single file a user can paste into a bug report.
"""

ROUNDTRIP = 'problems = differences(saved, given, "state_dict")'

HYPERPARAMETERS = """
problems = differences(hyperparameters(saved["param_groups"]), hyperparameters(fresh.param_groups), "param_groups")
"""

FLAGS = """
problems = []
for i, (before, after) in enumerate(zip(saved["param_groups"], fresh.param_groups)):
    for flag in ("foreach", "fused", "capturable", "differentiable", "maximize"):
        if flag in before and (flag not in after or after[flag] != before[flag]):
            problems.append(f"param_groups[{i}].{flag}: saved {before[flag]!r}, after load {after.get(flag)!r}")
"""

STATE = 'problems = differences(saved["state"], state_by_position(fresh, fresh_params), "state")'

COMPLETE = 'problems = differences(state_by_position(original, params), saved["state"], "state")'

_STATE_TENSORS = """
problems = []
flat = [p for g in fresh.param_groups for p in g["params"]]
for position, entry in state_by_position(fresh, fresh_params).items():
    param = flat[position]
    group = next(g for g in fresh.param_groups if any(q is param for q in g["params"]))
    special_step = bool(group.get("fused") or group.get("capturable"))
    for key, value in entry.items():
        if not isinstance(value, torch.Tensor):
            continue
"""

DTYPE = (
    _STATE_TENSORS
    + """\
        if key == "step":
            want = torch.float32 if special_step else saved["state"][position]["step"].dtype
        elif value.is_floating_point():
            want = param.dtype
        else:
            continue
        if value.dtype != want:
            problems.append(f"state[{position}].{key}: dtype {value.dtype}, expected {want} (param is {param.dtype})")
"""
)

DEVICE = (
    _STATE_TENSORS
    + """\
        want = torch.device("cpu") if key == "step" and not special_step else param.device
        if value.device != want:
            problems.append(f"state[{position}].{key}: on {value.device}, expected {want} (param on {param.device})")
"""
)

RESUME = """
train(fresh, fresh_params, STEPS_BEFORE, STEPS_AFTER)
straight_params = make_params()
straight = make_optimizer(straight_params, KWARGS)
train(straight, straight_params, 0, STEPS_BEFORE + STEPS_AFTER)
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
problems += differences(snapshot(straight.state_dict()), snapshot(fresh.state_dict()), "state_dict")
"""

TENSOR_LR = """
problems = []
for i, (before, after) in enumerate(zip(saved["param_groups"], fresh.param_groups)):
    if not isinstance(before["lr"], torch.Tensor):
        continue
    if not isinstance(after["lr"], torch.Tensor):
        problems.append(f"param_groups[{i}].lr: saved a tensor, after load {after['lr']!r}")
    else:
        problems += differences(before["lr"], after["lr"], f"param_groups[{i}].lr")
"""

GROUP_MISMATCH = """
def mismatched(groups):
    groups = [list(g) for g in groups]
    for g in groups:
        if len(g) > 1:
            g.pop()
            return groups
    return [groups[0] + groups[1]] + groups[2:]

problems = []
other = make_optimizer(make_params(loaded["params"]), FRESH_KWARGS, overrides=False, groups=mismatched(GROUPS))
try:
    other.load_state_dict(given)
    problems.append(f"load_state_dict accepted groups {GROUPS} into groups {mismatched(GROUPS)}")
except ValueError:
    pass
"""

IDENTITY = """
def twins(groups):
    for g, group in enumerate(groups):
        for a in range(len(group)):
            for b in range(a + 1, len(group)):
                i, j = group[a], group[b]
                if SHAPES[i] == SHAPES[j] and DTYPES[i] == DTYPES[j] and ROLES[i] == ROLES[j] == "trained":
                    return g, a, b

g, a, b = twins(GROUPS)
swapped = [list(group) for group in GROUPS]
swapped[g][a], swapped[g][b] = swapped[g][b], swapped[g][a]
moved_params = make_params(loaded["params"])
moved = make_optimizer(moved_params, FRESH_KWARGS, overrides=False, groups=swapped)
moved.load_state_dict(given)
position = {i: n for n, i in enumerate(i for group in GROUPS for i in group)}
problems = []
for index in (swapped[g][a], swapped[g][b]):
    found = moved.state.get(moved_params[index], {})
    wanted = saved["state"].get(position[index], {})
    problems += differences(wanted, found, f"state of param {index} (saved at position {position[index]})")
"""

VALIDATES = """
CANDIDATES = [("lr", -1.0), ("eps", -1.0), ("weight_decay", -1.0), ("momentum", -1.0), ("betas", (1.5, 0.999))]
problems = []
for key, value in CANDIDATES:
    try:
        make_optimizer(make_params(), {**FRESH_KWARGS, key: value}, overrides=False)
    except TypeError:
        continue
    except Exception as error:
        refusal = type(error)
        break
else:
    key = None
if key is not None:
    bad = snapshot(given)
    bad["param_groups"][0][key] = value
    other = make_optimizer(make_params(loaded["params"]), FRESH_KWARGS, overrides=False)
    try:
        other.load_state_dict(bad)
        problems.append(f"the constructor rejects {key}={value!r} but load_state_dict accepted it")
    except refusal:
        pass
"""

ARGUMENT_INTACT = 'problems = differences(given, loaded["optimizer"], "argument")'

NO_ALIAS = """
train(fresh, fresh_params, STEPS_BEFORE, STEPS_AFTER)
problems = differences(given, loaded["optimizer"], "loaded dict after training")
"""

SNAPSHOT = """
live = original.state_dict()
before = snapshot(live)
train(original, params, STEPS_BEFORE, 1)
problems = differences(before, live, "state_dict() result after one more step")
"""

NO_GRAD = """
flat = [i for group in GROUPS for i in group]
idle = {n for n, i in enumerate(flat) if ROLES[i] != "trained"}
problems = [f"state[{n}] exists before the save for a param that never had a grad" for n in saved["state"] if n in idle]
train(fresh, fresh_params, STEPS_BEFORE, STEPS_AFTER)
problems += [f"state[{n}] exists after resuming for a param that never had a grad"
             for n in state_by_position(fresh, fresh_params) if n in idle]
straight_params = make_params()
straight = make_optimizer(straight_params, KWARGS)
train(straight, straight_params, 0, STEPS_BEFORE + STEPS_AFTER)
problems += differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
"""

LR_SAVED = """
problems = []
for i, group in enumerate(saved["param_groups"]):
    wanted = {**KWARGS, **OVERRIDES[i]}["lr"]
    if "lr" not in group:
        problems.append(f"param_groups[{i}] has no 'lr' key")
    else:
        problems += differences(wanted, group["lr"], f"param_groups[{i}].lr")
"""

LR_NOT_PER_PARAM = """
problems = [f"state[{n}] holds an 'lr' entry" for n, entry in saved["state"].items() if "lr" in entry]
"""

FRESH_LR = """
other_params = make_params(loaded["params"])
other = make_optimizer(other_params, FRESH_KWARGS, overrides=False)
train(other, other_params, STEPS_BEFORE, 1)
problems = []
for i, group in enumerate(other.param_groups):
    problems += differences(FRESH_KWARGS["lr"], group["lr"], f"param_groups[{i}].lr")
"""

# Checks of cases under conditions (compat.resumption): the prelude then sets the default dtype, or
# defines WRITTEN_FLAGS (the flags a CUDA run writes into its param groups) and CPU_FLAGS (those of
# them the CPU runs, as this release's probe measured).

_TRAIN_ON = """\
try:  # train on from the loaded checkpoint; a refusal is a problem, with the step it came at
    for n in range(STEPS_AFTER):
        where = f"optimizer.step() {n + 1} after load_state_dict"
        train(fresh, fresh_params, STEPS_BEFORE + n, 1)
except Exception as error:
    text = str(error).strip()
    problems.append(f"{where} raised {type(error).__name__}: {text.splitlines()[0] if text else ''}")
"""

LR_TYPE = (
    """
print("lr in the checkpoint:", [g["lr"] for g in saved["param_groups"]], "constructor:", FRESH_KWARGS["lr"])
print("lr after load_state_dict:", [g["lr"] for g in fresh.param_groups])
problems = differences([g["lr"] for g in saved["param_groups"]], [g["lr"] for g in fresh.param_groups], "lr")
"""
    + _TRAIN_ON
)

DEVICE_FLAGS = """
def resumed(flags):
    written = snapshot(given)
    for group in written["param_groups"]:
        group.update(flags)  # as a checkpoint written with these flags carries them
    moved_params = make_params(loaded["params"], device=LOAD_DEVICE, dtype=LOAD_DTYPE)
    moved = make_optimizer(moved_params, FRESH_KWARGS, overrides=False)
    where = "load_state_dict"
    try:
        moved.load_state_dict(written)
        for n in range(STEPS_AFTER):
            where = f"optimizer.step() {n + 1} after load_state_dict"
            train(moved, moved_params, STEPS_BEFORE + n, 1)
    except Exception as error:
        text = str(error).strip()
        return moved, moved_params, f"{where} raised {type(error).__name__}: {text.splitlines()[0] if text else ''}"
    return moved, moved_params, ""


moved, moved_params, refused = resumed(WRITTEN_FLAGS)
print("flags written:", WRITTEN_FLAGS, "after load:",
      [{k: g.get(k) for k in WRITTEN_FLAGS} for g in moved.param_groups],
      "the CPU runs:", CPU_FLAGS)
_, cpu_params, cpu_refused = resumed(CPU_FLAGS)  # the same checkpoint with only the flags the CPU runs
problems = [refusal for refusal in (refused, cpu_refused) if refusal][:1]
if not problems:
    problems = differences([p.detach() for p in cpu_params], [p.detach() for p in moved_params], "params")
"""

STEP_DTYPE = (
    """
def step_dtypes(state):
    return {n: str(s["step"].dtype).replace("torch.", "") if isinstance(s["step"], torch.Tensor)
            else type(s["step"]).__name__ for n, s in state.items() if "step" in s}

print("default dtype:", torch.get_default_dtype(), "step saved:", step_dtypes(saved["state"]))
problems = differences(step_dtypes(saved["state"]), step_dtypes(state_by_position(fresh, fresh_params)), "after load")
"""
    + _TRAIN_ON
    + """\
train(original, params, STEPS_BEFORE, STEPS_AFTER)  # the saving run trains on uninterrupted
problems += differences(step_dtypes(state_by_position(original, params)),
                        step_dtypes(state_by_position(fresh, fresh_params)), "after training on")
"""
)

# Scheduler checks: the scheduler script defines straight_lrs, saved_sched, given, last_lr_at_save,
# resume(order, make), train_scheduled, children_states, NEWER_VALUES and SAVED_VALUES.

SCHEDULER_ROUNDTRIP = 'problems = differences(saved_sched, given, "scheduler")'


def _trajectory(order: str) -> str:
    return f"""
fresh, fresh_params, sched = resume({order!r})
resumed_lrs = train_scheduled(fresh, sched, fresh_params, STEPS_BEFORE, STEPS_AFTER)
differing = [n for n, (want, got) in enumerate(zip(straight_lrs, resumed_lrs), 1) if want != got]
if differing:
    print(f"first resumed step whose lr differs: {{differing[0]}} (differing: {{differing}} of {{len(resumed_lrs)}})")
    print("  uninterrupted run used:", straight_lrs[differing[0] - 1])
    print("  resumed ({order}) used:", resumed_lrs[differing[0] - 1])
problems = differences(straight_lrs, resumed_lrs, "lr used[step][group]")
"""


def _params(order: str) -> str:
    return f"""
fresh, fresh_params, sched = resume({order!r})
train_scheduled(fresh, sched, fresh_params, STEPS_BEFORE, STEPS_AFTER)
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
"""


TRAJECTORY = _trajectory("scheduler-first")
TRAJECTORY_BUILT_AFTER_LOAD = _trajectory("built-after-load")
TRAJECTORY_OPTIMIZER_ONLY = _trajectory("optimizer-only")
TRAJECTORY_SCHEDULER_ONLY = _trajectory("scheduler-only")
TRAJECTORY_LAST_EPOCH = _trajectory("last-epoch")
TRAJECTORY_REPAIRED = _trajectory("repaired")

SCHEDULER_PARAMS = _params("scheduler-first")
SCHEDULER_PARAMS_BUILT_AFTER_LOAD = _params("built-after-load")
SCHEDULER_PARAMS_OPTIMIZER_ONLY = _params("optimizer-only")
SCHEDULER_PARAMS_SCHEDULER_ONLY = _params("scheduler-only")
SCHEDULER_PARAMS_LAST_EPOCH = _params("last-epoch")
SCHEDULER_PARAMS_REPAIRED = _params("repaired")

LAST_LR = """
fresh, fresh_params, sched = resume("scheduler-first")
problems = differences(last_lr_at_save, [float(x) for x in sched.get_last_lr()], "get_last_lr()")
"""

LEAVES_OPTIMIZER_LR = """
fresh_params = make_params(loaded["params"], device=LOAD_DEVICE, dtype=LOAD_DTYPE)
fresh = make_optimizer(fresh_params, FRESH_KWARGS, overrides=False)
sched = make_scheduler(fresh)
fresh.load_state_dict(loaded["optimizer"])
before = lrs(fresh)
sched.load_state_dict(loaded["scheduler"])
print("optimizer lr before scheduler.load_state_dict:", before, "after:", lrs(fresh))
problems = differences(before, lrs(fresh), "optimizer lr")
"""

SCHEDULER_ARGUMENT = """
fresh, fresh_params, sched = resume("scheduler-first")
problems = differences(given, snapshot(loaded["scheduler"]), "after load: state")
train_scheduled(fresh, sched, fresh_params, STEPS_BEFORE, STEPS_AFTER)
problems += differences(given, snapshot(loaded["scheduler"]), "after training: state")
"""

COMPOSITE = """
fresh, fresh_params, sched = resume("scheduler-first")
problems = differences(children_states(original_sched), children_states(sched), "children")
""" + TRAJECTORY.replace("problems = ", "problems += ").replace(
    'fresh, fresh_params, sched = resume("scheduler-first")\n', ""
)

PLATEAU = """
fields = ("best", "num_bad_epochs", "cooldown_counter", "mode", "last_epoch")
fresh, fresh_params, sched = resume("scheduler-first")
restored = snapshot(sched.state_dict())
problems = differences({f: saved_sched.get(f) for f in fields}, {f: restored.get(f) for f in fields}, "plateau")
resumed_lrs = train_scheduled(fresh, sched, fresh_params, STEPS_BEFORE, STEPS_AFTER)
print("uninterrupted lr per step:", straight_lrs)
print("resumed lr per step:      ", resumed_lrs)
problems += differences(straight_lrs, resumed_lrs, "lr[step][group]")
"""

LAMBDA_NOT_SAVED = """
def functions_in(value, path="state"):
    if isinstance(value, type(functions_in)) or type(value).__name__ == "function":
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in functions_in(v, f"{path}[{k!r}]")]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in functions_in(v, f"{path}[{i}]")]
    return []

problems = [f"{path}: a function is saved" for path in functions_in(saved_sched)]
fresh, fresh_params, sched = resume("scheduler-first", make=make_newer_scheduler)
print("the new code's schedule at 3:", NEWER_VALUES, "the resumed one's:", [fn(3) for fn in schedule_callables(sched)])
problems += differences(NEWER_VALUES, [float(fn(3)) for fn in schedule_callables(sched)], "schedule callables at 3")
"""

CALLABLE_OBJECT = """
fresh, fresh_params, sched = resume("scheduler-first", make=make_newer_scheduler)
print("the saved schedule at 3:", SAVED_VALUES, "the resumed one's:", [fn(3) for fn in schedule_callables(sched)])
problems = differences(SAVED_VALUES, [float(fn(3)) for fn in schedule_callables(sched)], "schedule callables at 3")
"""

NEW_CODE_CALLABLE = """
fresh, fresh_params, sched = resume("scheduler-first", make=make_newer_scheduler)
print("the new code's schedule at 3:", NEWER_VALUES, "the resumed one's:", [fn(3) for fn in schedule_callables(sched)])
problems = differences(NEWER_VALUES, [float(fn(3)) for fn in schedule_callables(sched)], "schedule callables at 3")
"""

# The new code builds its scheduler with other constructor arguments (make_newer_scheduler). What it
# computes with those arguments in force at the saved epoch: the same resume from a checkpoint that keeps
# every entry training changed and takes the new scheduler's value where the arguments decide it.
KEEPS_ARGUMENTS = """
def constructed(make):  # the scheduler state and param groups right after construction, as the saved run began
    opt = make_optimizer(make_params(), KWARGS)
    return {"scheduler": snapshot(make(opt).state_dict()), "param_groups": hyperparameters(opt.param_groups)}


def same(a, b):  # bound methods (an anneal function) are the same when they run the same function
    if hasattr(a, "__func__") and hasattr(b, "__func__"):
        return a.__func__ is b.__func__
    return not differences(a, b)


def spliced(saved, old, new):  # the saved progress, the new arguments (and what only they create)
    if type(saved) is dict and type(old) is dict and type(new) is dict:
        kept = {k: spliced(v, old[k], new[k]) if k in old and k in new else v for k, v in saved.items()}
        return {**kept, **{k: snapshot(v) for k, v in new.items() if k not in old and k not in saved}}
    dicts = type(saved) is list and saved and all(type(v) is dict for v in saved)
    if dicts and type(old) is list and len(saved) == len(old) == len(new):
        return [spliced(*values) for values in zip(saved, old, new)]
    return snapshot(new) if not same(old, new) and same(old, saved) else saved


def resumed_lrs(checkpoint):
    checkpoint = snapshot(checkpoint)  # loading may keep or change what it is given
    fresh_params = make_params(checkpoint["params"], device=LOAD_DEVICE, dtype=LOAD_DTYPE)
    fresh = make_optimizer(fresh_params, FRESH_KWARGS, overrides=False)
    sched = make_newer_scheduler(fresh)
    fresh.load_state_dict(checkpoint["optimizer"])
    sched.load_state_dict(checkpoint["scheduler"])
    return train_scheduled(fresh, sched, fresh_params, STEPS_BEFORE, STEPS_AFTER)


old, new = constructed(make_scheduler), constructed(make_newer_scheduler)
groups = spliced(loaded["optimizer"]["param_groups"], old["param_groups"], new["param_groups"])
in_force = {**loaded, "optimizer": {**loaded["optimizer"], "param_groups": groups},
            "scheduler": spliced(loaded["scheduler"], old["scheduler"], new["scheduler"])}
wanted, got = resumed_lrs(in_force), resumed_lrs(loaded)
print("lr used with the new code's arguments in force:", wanted)
print("lr used resumed with the new code's arguments: ", got)
problems = differences(wanted, got, "lr used[step][group]")
"""


# Cross-version checks: they run in step 2 of a cross-version script, which defines ``load``,
# ``restored`` and ``first_line`` beside the prelude; a refusal by torch is itself the problem.
def _guarded(body: str) -> str:
    indented = "".join(f"    {line}\n" if line else "\n" for line in body.strip().splitlines())
    return f"try:\n{indented}except Exception as error:\n    problems = [first_line(error)]\n"


CROSS_LOADS_DEFAULT = _guarded("""
restored(load(None))
problems = []
""")

CROSS_LOADS_WEIGHTS_ONLY = _guarded("""
restored(load(True))
problems = []
""")

CROSS_HYPERPARAMETERS = _guarded("""
checkpoint = load(SAFE)
fresh, _, _ = restored(checkpoint)
expected = hyperparameters(checkpoint["optimizer"]["param_groups"])
loaded_groups = [{k: g.get(k) for k in e} for e, g in zip(expected, fresh.param_groups)]
problems = differences(expected, loaded_groups, "param_groups")
""")

CROSS_STATE = _guarded("""
checkpoint = load(SAFE)
fresh, _, _ = restored(checkpoint)
problems = differences(checkpoint["optimizer"]["state"], fresh.state_dict()["state"], "state")
""")

CROSS_NUMERICS = _guarded("""
checkpoint = load(SAFE)
straight_params = make_params()
straight = make_optimizer(straight_params, KWARGS)
train(straight, straight_params, 0, STEPS_BEFORE + STEPS_AFTER)
problems = differences(checkpoint["continuation"]["params"], [p.detach() for p in straight_params], "params")
""")

CROSS_BITWISE = _guarded("""
checkpoint = load(SAFE)
fresh, _, fresh_params = restored(checkpoint)
train(fresh, fresh_params, STEPS_BEFORE, STEPS_AFTER)
problems = differences(checkpoint["continuation"]["params"], [p.detach() for p in fresh_params], "params")
""")

CROSS_CLOSE = _guarded("""
checkpoint = load(SAFE)
fresh, _, fresh_params = restored(checkpoint)
train(fresh, fresh_params, STEPS_BEFORE, STEPS_AFTER)
problems = []
for i, (e, a) in enumerate(zip(checkpoint["continuation"]["params"], fresh_params)):
    e, a = e.double(), a.detach().double()
    if not torch.allclose(e, a, rtol=1e-5, atol=1e-7):
        problems.append(f"params[{i}]: max difference {float((e - a).abs().max()) if e.numel() else 0.0:.3g}")
""")

CROSS_SCHEDULER_RESUME = _guarded("""
checkpoint = load(False)
fresh, sched, fresh_params = restored(checkpoint)
resumed_lrs = train_scheduled(fresh, sched, fresh_params, STEPS_BEFORE, STEPS_AFTER)
print("lr per step computed by the saving release:", checkpoint["continuation"]["lrs"])
print("lr per step resumed here:                  ", resumed_lrs)
problems = differences(checkpoint["continuation"]["lrs"], resumed_lrs, "lr[step][group]")
""")


# Loading what the optimizer was not built for (compat.loading). A script whose check names PARTNERS
# or FOREIGN gets that list of (class, its own arguments) rendered before the check.
_SAVERS = """
import inspect


def takes(cls, kwargs):
    accepted = inspect.signature(cls).parameters
    return {k: v for k, v in kwargs.items() if k in accepted}


def saver_optimizer(cls, extra, params):
    # Another class, built with the arguments of this case that it takes too, plus its own.
    groups = [{"params": [params[i] for i in group], **takes(cls, o)} for group, o in zip(GROUPS, OVERRIDES)]
    return cls(groups, **{**takes(cls, KWARGS), **extra})


def train_plain(opt, params, start, steps):
    for step in range(start, start + steps):
        opt.zero_grad(set_to_none=True)
        _, grads = gradients_at(params, step)
        for p, g in zip(params, grads):
            if g is not None:
                p.grad = g
        opt.step()


def checkpoint_of(cls, extra):
    saver_params = make_params()
    saver = saver_optimizer(cls, extra, saver_params)
    train_plain(saver, saver_params, 0, STEPS_BEFORE)
    return snapshot(saver.state_dict()), [p.detach().clone() for p in saver_params]


def first_line(error):
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"
"""

ATOMIC = (
    _SAVERS
    + """

def view(opt, params):
    # The optimizer's groups (params as their positions) and state, detached.
    position = {id(p): n for n, p in enumerate(params)}
    groups = [{**{k: v for k, v in g.items() if k != "params"},
               "params": [position.get(id(p), -1) for p in g["params"]]}
              for g in opt.param_groups]
    return snapshot({"param_groups": groups, "state": state_by_position(opt, params)})


straight_params = make_params()
straight = make_optimizer(straight_params, KWARGS)
train(straight, straight_params, 0, STEPS_BEFORE + STEPS_AFTER)
one_more = snapshot(original.state_dict())
one_more["param_groups"][-1]["params"].append(sum(len(g["params"]) for g in one_more["param_groups"]))
bad_dicts = [("a group with one more param", one_more)]
for cls, extra in FOREIGN:
    try:
        bad_dicts.append((f"{cls.__name__}'s checkpoint", checkpoint_of(cls, extra)[0]))
    except Exception as error:
        print(f"{cls.__name__} cannot train this case, so it has no checkpoint: {first_line(error)}")
problems = []
for what, bad in bad_dicts:
    opt_params = make_params()
    opt = make_optimizer(opt_params, KWARGS)
    train(opt, opt_params, 0, STEPS_BEFORE)
    before = view(opt, opt_params)
    try:
        opt.load_state_dict(bad)
    except Exception as error:
        raised = first_line(error)
    else:
        print(f"load_state_dict({what}) loaded without error")
        continue
    print(f"load_state_dict({what}) raised {raised}")
    changed = differences(before, view(opt, opt_params), "optimizer")
    if not changed:
        try:
            train(opt, opt_params, STEPS_BEFORE, STEPS_AFTER)
            changed = differences([p.detach() for p in straight_params], [p.detach() for p in opt_params], "params")
        except Exception as error:
            changed = [f"step() raised {first_line(error)}"]
    problems += [f"after load_state_dict({what}) raised: {change} (before vs after)" for change in changed]
"""
)

SHAPE_MISMATCH = """
import math


def grown(shape):
    return (shape[0] + 1, *shape[1:]) if shape else (2,)


def reshaped(shape):
    count = math.prod(shape)
    for other in (tuple(reversed(shape)), (count, 1) if len(shape) == 2 else (1, count)):
        if other != shape:
            return other
    return shape


def has_shaped_tensor(value):
    if isinstance(value, torch.Tensor):
        return value.dim() > 0
    if isinstance(value, dict):
        return any(has_shaped_tensor(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_shaped_tensor(v) for v in value)
    return False


def first_line(error):
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"


problems = []
loading_shapes = SHAPES
for change in (grown, reshaped):
    saved_shapes = [change(s) for s in loading_shapes]
    if saved_shapes == loading_shapes:
        continue
    SHAPES = saved_shapes  # make_params and gradients_at read SHAPES: this run trains params of other shapes
    other_params = make_params()
    other = make_optimizer(other_params, KWARGS)
    train(other, other_params, 0, STEPS_BEFORE)
    SHAPES = loading_shapes
    saved_for_other = snapshot(other.state_dict())
    if not has_shaped_tensor(saved_for_other["state"]):
        continue
    target_params = make_params()
    target = make_optimizer(target_params, FRESH_KWARGS, overrides=False)
    try:
        target.load_state_dict(saved_for_other)
    except Exception as error:
        print(f"load_state_dict refused state saved for shapes {saved_shapes}: {first_line(error)}")
        continue
    try:
        train(target, target_params, STEPS_BEFORE, 1)
        then = "ran without error on the mis-shaped state"
    except Exception as error:
        then = f"raised {first_line(error)}"
    problems.append(f"load_state_dict accepted state saved for params of shapes {saved_shapes} into params of "
                    f"shapes {loading_shapes}; the first step() then {then}")
"""

ACROSS_CLASSES = (
    _SAVERS
    + """

problems = []
for cls, extra in PARTNERS:
    pair = f"{cls.__name__} -> {type(fresh).__name__}"
    try:
        checkpoint_state, values = checkpoint_of(cls, extra)
        own_params = make_params(values)  # the saving class's own continuation
        own = saver_optimizer(cls, extra, own_params)
        own.load_state_dict(snapshot(checkpoint_state))
        train_plain(own, own_params, STEPS_BEFORE, STEPS_AFTER)
    except Exception as error:
        print(f"{pair}: not tried, {cls.__name__} cannot train this case ({first_line(error)})")
        continue
    other_params = make_params(values)
    other = make_optimizer(other_params, FRESH_KWARGS, overrides=False)
    before = hyperparameters(other.param_groups)
    try:
        other.load_state_dict(snapshot(checkpoint_state))
    except Exception as error:
        print(f"{pair}: refused by load_state_dict ({first_line(error)})")
        continue
    after = hyperparameters(other.param_groups)
    print(f"{pair}: loaded; the groups now: {after}")
    gone = sorted({k for b, a in zip(before, after) for k in b if k not in a})
    print(f"{pair}: keys the constructor set that are gone: {gone}")
    try:
        train(other, other_params, STEPS_BEFORE, STEPS_AFTER)
    except Exception as error:
        problems.append(f"{pair}: loaded, then step() raised {first_line(error)}")
        continue
    drift = differences([p.detach() for p in own_params], [p.detach() for p in other_params], "params")
    problems += [f"{pair}: trains unlike {cls.__name__} would: {d} ({cls.__name__} vs {type(fresh).__name__})"
                 for d in drift]
"""
)
