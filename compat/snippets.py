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
    except ValueError:
        break
    except TypeError:
        continue
else:
    key = None
if key is not None:
    bad = snapshot(given)
    bad["param_groups"][0][key] = value
    other = make_optimizer(make_params(loaded["params"]), FRESH_KWARGS, overrides=False)
    try:
        other.load_state_dict(bad)
        problems.append(f"the constructor rejects {key}={value!r} but load_state_dict accepted it")
    except ValueError:
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

# Scheduler checks: the scheduler script defines straight_lrs, saved_sched, given, last_lr_at_save,
# resume(order, make), train_scheduled, children_states, NEWER_VALUES and SAVED_VALUES.

SCHEDULER_ROUNDTRIP = 'problems = differences(saved_sched, given, "scheduler")'


def _trajectory(order: str) -> str:
    return f"""
fresh, fresh_params, sched = resume({order!r})
resumed_lrs = train_scheduled(fresh, sched, fresh_params, STEPS_BEFORE, STEPS_AFTER)
print("uninterrupted lr per step (one value per group):", straight_lrs)
print("resumed lr per step ({order}):          ", resumed_lrs)
problems = differences(straight_lrs, resumed_lrs, "lr[step][group]")
"""


TRAJECTORY = _trajectory("scheduler-first")
TRAJECTORY_BUILT_AFTER_LOAD = _trajectory("built-after-load")
TRAJECTORY_OPTIMIZER_ONLY = _trajectory("optimizer-only")

SCHEDULER_PARAMS = """
fresh, fresh_params, sched = resume("scheduler-first")
train_scheduled(fresh, sched, fresh_params, STEPS_BEFORE, STEPS_AFTER)
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
"""

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
problems += differences(NEWER_VALUES, [float(fn(3)) for fn in sched.lr_lambdas], "lr_lambdas at epoch 3")
"""

CALLABLE_OBJECT = """
fresh, fresh_params, sched = resume("scheduler-first", make=make_newer_scheduler)
problems = differences(SAVED_VALUES, [float(fn(3)) for fn in sched.lr_lambdas], "lr_lambdas at epoch 3")
"""


# Cross-version checks: they run in step 2 of a cross-version script, which defines ``load``,
# ``restored`` and ``first_line`` beside the prelude; a refusal by torch is itself the problem.
def _guarded(body: str) -> str:
    indented = "".join(f"    {line}\n" if line else "\n" for line in body.strip().splitlines())
    return f"try:\n{indented}except Exception as error:\n    problems = [first_line(error)]\n"


CROSS_LOADS = """
problems = []
for weights_only in (None, True):
    try:
        restored(load(weights_only))
    except Exception as error:
        problems.append(f"weights_only={'default' if weights_only is None else weights_only}: {first_line(error)}")
"""

CROSS_HYPERPARAMETERS = _guarded("""
checkpoint = load(True)
fresh, _, _ = restored(checkpoint)
expected = hyperparameters(checkpoint["optimizer"]["param_groups"])
loaded_groups = [{k: g.get(k) for k in e} for e, g in zip(expected, fresh.param_groups)]
problems = differences(expected, loaded_groups, "param_groups")
""")

CROSS_STATE = _guarded("""
checkpoint = load(True)
fresh, _, _ = restored(checkpoint)
problems = differences(checkpoint["optimizer"]["state"], fresh.state_dict()["state"], "state")
""")

CROSS_BITWISE = _guarded("""
checkpoint = load(True)
fresh, _, fresh_params = restored(checkpoint)
train(fresh, fresh_params, STEPS_BEFORE, STEPS_AFTER)
problems = differences(checkpoint["continuation"]["params"], [p.detach() for p in fresh_params], "params")
""")

CROSS_CLOSE = _guarded("""
checkpoint = load(True)
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
