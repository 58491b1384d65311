"""Checks of what a round trip keeps: the state dict, hyperparameters, state, resuming, the answers."""

from __future__ import annotations

from compat.script import Writer
from compat.snippets.shared import CHANGED


def roundtrip(w: Writer) -> str:
    return 'problems = differences(opt.state_dict(), loaded, "state_dict")'


def snapshot(w: Writer) -> str:
    return f"""
live = opt.state_dict()
given = copy.deepcopy(live)
train(opt, params, 1, {w.n})  # one more step
where = "state_dict()['state'], one step later"
problems = {CHANGED.format(after="live")}
"""


def hyperparameters_restored(w: Writer) -> str:
    return (
        'problems = differences(hyperparameters(opt.param_groups), hyperparameters(fresh.param_groups), "param_groups")'
    )


def flags(w: Writer) -> str:
    return """
problems = []
for i, (before, after) in enumerate(zip(opt.state_dict()["param_groups"], fresh.param_groups)):
    for flag in ("foreach", "fused", "capturable", "differentiable", "maximize"):
        if flag in before and after.get(flag) != before[flag]:
            problems.append(f"param_groups[{i}].{flag}: saved {before[flag]!r}, after load {after.get(flag)!r}")
"""


def tensor_lr(w: Writer) -> str:
    return """
saved_lrs, got = [g["lr"] for g in opt.param_groups], [g["lr"] for g in fresh.param_groups]
print("lr saved:", saved_lrs, "after load:", got)
problems = [f"param_groups[{i}].lr: {a!r} vs {b!r}" for i, (a, b) in enumerate(zip(saved_lrs, got))
            if isinstance(a, torch.Tensor) and (not isinstance(b, torch.Tensor) or differences(a, b))]
"""


_TRAIN_ON = """
try:  # train on from the checkpoint
    train(fresh, fresh_params, {m}, {n})
except Exception as error:
    problems.append(f"optimizer.step() after load_state_dict raised {{first_line(error)}}")
"""


def lr_type(w: Writer) -> str:
    return """
print("lr in the checkpoint:", [g["lr"] for g in opt.param_groups], "after load_state_dict:", [g["lr"] for g in fresh.param_groups])
problems = differences([g["lr"] for g in opt.param_groups], [g["lr"] for g in fresh.param_groups], "lr")
""" + _TRAIN_ON.format(m=w.m, n=w.n)


def device_flags(w: Writer) -> str:
    return f"""
def resumed(flags):  # load the checkpoint with ``flags`` set in every group, then train on
    written = copy.deepcopy(loaded)
    for group in written["param_groups"]:
        group.update(flags)
    moved_params = {w.fresh_params()}
    moved = {w.new("moved_params")}
    try:
        moved.load_state_dict(written)
        train(moved, moved_params, {w.m}, {w.n})
    except Exception as error:
        return moved_params, first_line(error)
    return moved_params, ""


moved_params, refused = resumed(WRITTEN_FLAGS)
cpu_params, cpu_refused = resumed(CPU_FLAGS)  # the same checkpoint with only the flags the CPU runs
problems = [refusal for refusal in (refused, cpu_refused) if refusal][:1]
problems = problems or differences([p.detach() for p in cpu_params], [p.detach() for p in moved_params], "params")
"""


def complete(w: Writer) -> str:
    return 'problems = differences(by_position(opt), opt.state_dict()["state"], "state")'


def state(w: Writer) -> str:
    return 'problems = differences(opt.state_dict()["state"], by_position(fresh), "state")'


def _state_tensors(want: str, what: str) -> str:
    return f"""
problems, position, saved_state = [], 0, opt.state_dict()["state"]
for group in fresh.param_groups:
    special = bool(group.get("fused") or group.get("capturable"))  # then step lives with the param, in float32
    for param in group["params"]:
        for key, value in [(k, v) for k, v in fresh.state.get(param, {{}}).items() if isinstance(v, torch.Tensor)]:
            {want}
            if want is not None and value.{what} != want:
                problems.append(f"state[{{position}}].{{key}} of a {{param.dtype}} param on {{param.device}}: {{value.{what}}}, expected {{want}}")
        position += 1
"""


def dtype(w: Writer) -> str:
    step = 'torch.float32 if special else saved_state[position]["step"].dtype'
    want = f'want = ({step}) if key == "step" else param.dtype if value.is_floating_point() else None'
    return _state_tensors(want, "dtype")


def device(w: Writer) -> str:
    want = 'want = torch.device("cpu") if key == "step" and not special else param.device'
    return _state_tensors(want, "device")


def step_dtype(w: Writer) -> str:
    return (
        """
def step_dtypes(opt):
    return {i: getattr(s["step"], "dtype", type(s["step"]).__name__) for i, s in by_position(opt).items() if "step" in s}


print("default dtype:", torch.get_default_dtype(), "step saved:", step_dtypes(opt), "after load:", step_dtypes(fresh))
problems = differences(step_dtypes(opt), step_dtypes(fresh), "step after load")
"""
        + _TRAIN_ON.format(m=w.m, n=w.n)
        + f"""train(opt, params, {w.m}, {w.n})  # the saving run trains on uninterrupted
problems += differences(step_dtypes(opt), step_dtypes(fresh), "step after training on")
"""
    )


def resume(w: Writer) -> str:
    return f"""
train(fresh, fresh_params, {w.m}, {w.n})
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
problems += differences(straight.state_dict(), fresh.state_dict(), "state_dict")
"""


def no_grad(w: Writer) -> str:
    idle = [i for i, p in enumerate(w.case.layout.params) if p.role != "trained"]
    return f"""
idle = [p for i, p in enumerate(params) if i in {tuple(idle)!r}]  # params that never get a grad
problems = [f"a param that never had a grad has state before the save: {{opt.state[p]}}" for p in idle if p in opt.state]
train(fresh, fresh_params, {w.m}, {w.n})
problems += [f"a param that never had a grad has state after resuming" for i in {tuple(idle)!r} if fresh_params[i] in fresh.state]
problems += differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
"""


def lr_saved(w: Writer) -> str:
    wanted = [w.value(w.case.group_kwargs(i)["lr"], w.case.device) for i in range(len(w.case.layout.groups))]
    return f"""
given = [{", ".join(wanted)}]  # the lr of every group, as built
groups = opt.state_dict()["param_groups"]
problems = [f"param_groups[{{i}}] has no 'lr'" for i, g in enumerate(groups) if "lr" not in g]
problems = problems or differences(given, [g["lr"] for g in groups], "lr")
"""


def lr_not_per_param(w: Writer) -> str:
    return 'problems = [f"state[{i}] holds an lr: {s[\'lr\']!r}" for i, s in opt.state_dict()["state"].items() if "lr" in s]'


def fresh_lr(w: Writer) -> str:
    return f"""
other = {w.new("fresh_params")}  # re-created, the checkpoint not loaded
train(other, fresh_params, 1, {w.n})
problems = differences([{w.value(w.case.fresh_kwargs["lr"], w.case.load_device)}] * len(other.param_groups), [g["lr"] for g in other.param_groups], "lr")
"""
