"""Each claim's check as the reproducer writes it: plain torch that fills ``problems``.

A check is a function of the ``compat.script.Writer`` of the case, returning source. It may use
the names the writer defines when they appear in it (``opt`` and ``params`` trained to the save
point, ``loaded``, ``fresh`` and ``fresh_params`` resumed from it, ``straight`` and
``straight_params`` trained without interruption, ``expected`` (the uninterrupted lrs from the
save point), ``train``, ``differences``, ``by_position``, ``first_line``, ``hyperparameters``),
and ``w.old(...)`` / ``w.new(...)`` for the saving and the resumed code's optimizer. Anything a
check can decide from the case (which params are twins, which argument the constructor refuses)
is decided here, so the script states it as a literal.
"""

from __future__ import annotations

import inspect
from typing import Any

import torch

from compat import loading, schedule_functions
from compat.script import Check, Writer, literal, load, scheduler_source, seed_source


def _sd(w: Writer) -> str:
    return 'loaded["optimizer"]' if w.case.scheduler else "loaded"


def roundtrip(w: Writer) -> str:
    return 'problems = differences(opt.state_dict(), loaded, "state_dict")'


_CHANGED = """[
    f"{{where}}[{{i}}][{{k!r}}]: {{given['state'][i].get(k)!r}} vs {{v!r}}"
    for i, s in {after}["state"].items() for k, v in s.items() for was in [given["state"][i].get(k)]
    if not (torch.equal(v, was) if isinstance(v, torch.Tensor) and isinstance(was, torch.Tensor) else repr(v) == repr(was))
]"""


def snapshot(w: Writer) -> str:
    return f"""
live = opt.state_dict()
given = copy.deepcopy(live)
train(opt, params, 1, {w.n})  # one more step
where = "state_dict()['state'], one step later"
problems = {_CHANGED.format(after="live")}
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


def _mismatched(groups: list[list[int]]) -> list[list[int]]:
    groups = [list(g) for g in groups]
    for group in groups:
        if len(group) > 1:
            group.pop()
            return groups
    return [groups[0] + groups[1], *groups[2:]]


def group_mismatch(w: Writer) -> str:
    groups = [list(g.params) for g in w.case.layout.groups]
    other = _mismatched(groups)
    return f"""
other = {w.new(w.resumed_params(), other)}  # groups {other}, the checkpoint's are {groups}
try:
    other.load_state_dict(loaded)
    problems = ["load_state_dict accepted a checkpoint of groups {groups} into groups {other}"]
except ValueError:
    problems = []
"""


def _twins(w: Writer) -> tuple[int, int, int]:
    params, groups = w.case.layout.params, w.case.layout.groups
    for g, group in enumerate(groups):
        for a in range(len(group.params)):
            for b in range(a + 1, len(group.params)):
                i, j = params[group.params[a]], params[group.params[b]]
                if i.shape == j.shape and i.dtype == j.dtype and i.role == j.role == "trained":
                    return g, a, b
    raise ValueError("no twins")


def identity(w: Writer) -> str:
    g, a, b = _twins(w)
    groups = [list(group.params) for group in w.case.layout.groups]
    i, j = groups[g][a], groups[g][b]
    groups[g][a], groups[g][b] = j, i
    position = {p: n for n, p in enumerate(p for group in w.case.layout.groups for p in group.params)}
    resumed = w.resumed_params()
    return f"""
moved = {w.new(resumed, groups)}  # params {i} and {j} change places
moved.load_state_dict(loaded)
problems = [f"param {{i}} {{k}}: saved {{v.tolist()}}, after load {{moved.state[{resumed}[i]].get(k)}}"
            for i, position in (({i}, {position[i]}), ({j}, {position[j]})) for k, v in opt.state_dict()["state"].get(position, {{}}).items()
            if isinstance(v, torch.Tensor) and not torch.equal(v, moved.state[{resumed}[i]].get(k, torch.tensor(float("nan"))))]
"""


CANDIDATES: tuple[tuple[str, Any], ...] = (
    ("lr", -1.0),
    ("eps", -1.0),
    ("weight_decay", -1.0),
    ("momentum", -1.0),
    ("betas", (1.5, 0.999)),
)


def _refused(w: Writer) -> tuple[str, Any, str] | None:
    """Return the first candidate the constructor refuses here: (key, value, the error's type)."""
    cls = load(w.spec.target)
    for key, value in CANDIDATES:
        try:
            cls([torch.zeros(2, requires_grad=True)], **{**w.case.fresh_kwargs, key: value})
        except TypeError:
            continue
        except Exception as error:
            return key, value, type(error).__name__
    return None


def validates(w: Writer) -> str:
    refused = _refused(w)
    if refused is None:
        return "problems = []  # the constructor refuses none of the values this check tries"
    key, value, error = refused
    return f"""
loaded["param_groups"][0][{key!r}] = {literal(value)}  # {w.spec.target}(..., {key}={literal(value)}) raises {error}
fresh = {w.new(w.resumed_params())}
try:
    fresh.load_state_dict(loaded)
    problems = [f"load_state_dict accepted {key}={literal(value)}: param_groups[0] holds {{fresh.param_groups[0][{key!r}]!r}}"]
except {error}:
    problems = []
"""


def argument_intact(w: Writer) -> str:
    return f"""
given = copy.deepcopy({_sd(w)})
fresh = {w.new("fresh_params")}
fresh.load_state_dict({_sd(w)})
problems = differences(given, {_sd(w)}, "the dict given to load_state_dict")
"""


def no_alias(w: Writer) -> str:
    resumed = w.resumed_params()
    return f"""
given = copy.deepcopy(loaded)
fresh = {w.new(resumed)}
fresh.load_state_dict(loaded)
train(fresh, {resumed}, {w.m}, {w.n})
where = "the loaded dict's state, after training the optimizer it was loaded into"
problems = {_CHANGED.format(after="loaded")}
"""


def _saver(w: Writer, saver: loading.Saver, params: str) -> str:
    """Return the expression building ``saver``'s class with the case's arguments it takes, plus its own."""
    accepted = inspect.signature(saver.load()).parameters
    groups = [g.params for g in w.case.layout.groups]
    overrides = [{k: v for k, v in g.overrides.items() if k in accepted} for g in w.case.layout.groups]
    if len(groups) == 1 and list(groups[0]) == list(range(len(w.case.layout.params))) and not overrides[0]:
        grouped = params
    else:
        entries = []
        for indices, extra in zip(groups, overrides, strict=True):
            more = "".join(f", {k!r}: {w.value(v, w.case.device)}" for k, v in extra.items())
            entries.append(f'{{"params": [{", ".join(f"{params}[{i}]" for i in indices)}]{more}}}')
        grouped = f"[{', '.join(entries)}]"
    kwargs = {**{k: v for k, v in w.case.kwargs.items() if k in accepted}, **saver.kwargs}
    return f"{saver.target}({grouped}{w.arguments(kwargs, w.case.device, saver.target)})"


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


def _failing_load(w: Writer) -> str:
    """Return which bad dict the engine saw load non-atomically ("" for the one-param-more group, else the class)."""
    for failed in loading.failed_loads(w.case):
        if _differs(failed.before, failed.after) or _differs(failed.twin, failed.stepped):
            return "" if failed.what.startswith("a group") else failed.what.split("'")[0]
    return ""


def _differs(a: Any, b: Any) -> bool:
    from compat.differ import differences

    return bool(differences(a, b))


def atomic(w: Writer) -> str:
    name = _failing_load(w)
    saver = next((s for s in loading.foreign(w.case.subject) if s.name == name), None)
    if saver is None:
        bad = f"""bad = copy.deepcopy(opt.state_dict())  # a group with one param more
bad["param_groups"][-1]["params"].append({len(w.case.layout.params)})"""
    else:
        bad = f"""saver_params = {w.fresh_params("initial")}
saver = {_saver(w, saver, "saver_params")}  # {saver.name}'s checkpoint
train(saver, saver_params, {w.n})
bad = saver.state_dict()"""
    return f"""
{bad}
def view(o):  # the optimizer's groups (params as positions) and state
    groups = [{{**g, "params": [next(i for i, p in enumerate(params) if p is q) for q in g["params"]]}} for g in o.param_groups]
    return copy.deepcopy({{"param_groups": groups, "state": by_position(o)}})

before = view(opt)
try:
    opt.load_state_dict(bad)
    problems = []  # it loaded: a load that succeeds is not in question
except Exception as error:
    print("load_state_dict raised", f"{{error!r:.200}}")
    problems = differences(before, view(opt), "the optimizer after the failed load")
    try:  # then it must train on as an untouched twin does
        train(opt, params, {w.m}, {w.n})
        problems = problems or differences([p.detach() for p in straight_params], [p.detach() for p in params], "params")
    except Exception as error:
        problems = problems or [f"step() after the failed load raised {{error!r:.200}}"]
"""


def shape_mismatch(w: Writer) -> str:
    shapes = [p.shape for p in w.case.layout.params]
    changed = [[change(s) for s in shapes] for change in loading.SHAPE_CHANGES.values()]
    changed = [other for other in changed if other != shapes]
    shown = next(
        (o for name, o in zip(loading.SHAPE_CHANGES, changed, strict=False) if _accepted_misfit(w, name)), changed[0]
    )
    seed = seed_source(w.case, "i", "-1")
    return f"""
shapes = {shown!r}  # other shapes than the params' {shapes}
other_params = [torch.randn(s, generator=torch.Generator().manual_seed({seed})).to(p.dtype).requires_grad_(p.requires_grad) for i, (s, p) in enumerate(zip(shapes, params))]
other = {w.old("other_params")}
train(other, other_params, {w.n})
target = {w.new("params")}
problems = []
try:  # a refusal by load_state_dict is what the claim asks for; one by the first step() is too late
    target.load_state_dict(other.state_dict())
    problems.append(f"load_state_dict accepted state saved for shapes {shown} into params of shapes {shapes}")
    train(target, params, 1)
    problems.append("the first step() then ran without error on the mis-shaped state")
except Exception as error:
    print("raised:", f"{{error!r:.200}}")
"""


def _accepted_misfit(w: Writer, change: str) -> bool:
    found = loading.misfit(w.case, change)
    return found is not None and found.refused is None


def across_classes(w: Writer) -> str:
    savers = loading.partners(w.case.subject)
    saver = next((s for s in savers if not loading.switch(w.case, s).holds), savers[0])
    name, loader = saver.target.rpartition(".")[2], w.spec.target.rpartition(".")[2]
    return f"""
own = {_saver(w, saver, "params")}  # the class the checkpoint comes from, with the arguments it takes
train(own, params, {w.n})
checkpoint = copy.deepcopy(own.state_dict())
loading_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
train(own, params, {w.m}, {w.n})  # how {name} trains on
other = {w.new("loading_params")}
problems = []
try:
    other.load_state_dict(checkpoint)  # refusing another class's checkpoint is what the claim allows
    problems.append("loaded {name}'s checkpoint into {loader}")
    train(other, loading_params, {w.m}, {w.n})
    problems = [f"params[{{i}}]: {name} {{a.tolist()}} vs {loader} {{b.tolist()}}" for i, (a, b) in enumerate(zip(params, loading_params)) if not torch.equal(a, b)]
except Exception as error:
    problems.append(f"then raised {{error!r:.200}}") if problems else print("load_state_dict refused it:", f"{{error!r:.200}}")
"""


# Scheduler checks: the writer defines opt and sched trained to the save point, loaded (optimizer and
# scheduler), expected (what each step from the save point used without interruption); w.resume(order)
# builds fresh and fresh_sched in that order.


def scheduler_roundtrip(w: Writer) -> str:
    return 'problems = differences(sched.state_dict(), loaded["scheduler"], "scheduler state_dict")'


def _compared(order: str, w: Writer) -> str:
    return f"""
got = train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {{i + 1}} after resuming: uninterrupted {{expected[i]}} vs resumed ({order}) {{got[i]}}" for i in differing]
"""


def trajectory(order: str) -> Check:
    def check(w: Writer) -> str:
        return w.resume(order) + _compared(order, w)

    return check


def scheduler_params(order: str) -> Check:
    def check(w: Writer) -> str:
        return (
            w.resume(order)
            + f"""
train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
"""
        )

    return check


def last_lr(w: Writer) -> str:
    return (
        w.resume("scheduler-first")
        + 'problems = differences(list(sched.get_last_lr()), list(fresh_sched.get_last_lr()), "get_last_lr()")\n'
    )


def leaves_optimizer_lr(w: Writer) -> str:
    return f"""
fresh_params = {w.fresh_params()}
fresh = {w.new("fresh_params")}
fresh_sched = {w.sched("fresh")}
fresh.load_state_dict(loaded["optimizer"])
before = [g["lr"] for g in fresh.param_groups]
fresh_sched.load_state_dict(loaded["scheduler"])
problems = differences(before, [g["lr"] for g in fresh.param_groups], "optimizer lr, before vs after scheduler.load_state_dict")
"""


def scheduler_argument(w: Writer) -> str:
    return f"""
given = copy.deepcopy(loaded["scheduler"])
{w.resume("scheduler-first").strip()}
problems = differences(given, loaded["scheduler"], "the scheduler dict after load")
train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
problems += differences(given, loaded["scheduler"], "the scheduler dict after training")
"""


def composite(w: Writer) -> str:
    return (
        w.resume("scheduler-first")
        + """
children = lambda s: [c.state_dict() for c in s._schedulers]
problems = differences(children(sched), children(fresh_sched), "children")
"""
        + _compared("scheduler-first", w).replace("problems = ", "problems += ")
    )


def plateau(w: Writer) -> str:
    fields = ("best", "num_bad_epochs", "cooldown_counter", "mode", "last_epoch")
    return (
        w.resume("scheduler-first")
        + f"""
fields = {fields!r}
problems = differences({{f: sched.state_dict().get(f) for f in fields}}, {{f: fresh_sched.state_dict().get(f) for f in fields}}, "plateau")
"""
        + _compared("scheduler-first", w).replace("problems = ", "problems += ")
    )


_CALLABLES = (
    'computed = [float(fn(3)) for fn in (getattr(fresh_sched, "lr_lambdas", None) or [fresh_sched.scale_fn])]\n'
)


def _schedule_at_three(w: Writer, wanted: list[float], what: str) -> str:
    return (
        w.resume("scheduler-first", w.newer())
        + _CALLABLES
        + f'print("{what} at epoch 3:", {wanted!r}, "the resumed scheduler\'s:", computed)\n'
        + f'problems = differences({wanted!r}, computed, "schedule callables at epoch 3")\n'
    )


def lambda_not_saved(w: Writer) -> str:
    groups = len(w.case.layout.groups)
    return (
        """
functions = [k for k, v in sched.state_dict().items() if type(v).__name__ == "function"
             or isinstance(v, list) and any(type(x).__name__ == "function" for x in v)]
extra = [f"{k}: a function is saved in the state dict" for k in functions]
"""
        + _schedule_at_three(w, schedule_functions.schedule_values_at(w.newer(), groups), "the new code's schedule")
        + "problems += extra\n"
    )


def callable_object(w: Writer) -> str:
    groups = len(w.case.layout.groups)
    return _schedule_at_three(w, schedule_functions.schedule_values_at(w.case.scheduler, groups), "the saved schedule")


def new_code_callable(w: Writer) -> str:
    groups = len(w.case.layout.groups)
    return _schedule_at_three(w, schedule_functions.schedule_values_at(w.newer(), groups), "the new code's schedule")


def keeps_arguments(w: Writer) -> str:
    newer = w.newer()
    return f"""
def resumed(checkpoint):  # the lr each resumed step uses under the new code's scheduler
    fresh_params = {w.fresh_params()}
    fresh = {w.new("fresh_params")}
    fresh_sched = {scheduler_source(newer, "fresh")}
    fresh.load_state_dict(copy.deepcopy(checkpoint["optimizer"]))
    fresh_sched.load_state_dict(copy.deepcopy(checkpoint["scheduler"]))
    return train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
def constructed(build):  # what the scheduler and the groups hold right after construction
    o = {w.old("[p.detach().clone().requires_grad_() for p in params]")}
    return {{"scheduler": build(o).state_dict(), "param_groups": [{{k: v for k, v in g.items() if k != "params"}} for g in o.param_groups]}}
def same(a, b):  # bound methods (an anneal function) are the same when they run the same function
    return a.__func__ is b.__func__ if hasattr(a, "__func__") and hasattr(b, "__func__") else repr(a) == repr(b)
def spliced(saved, old, new):  # the saved progress, with the new arguments where the arguments decide
    if all(type(x) is dict for x in (saved, old, new)):
        return {{**{{k: spliced(v, old[k], new[k]) if k in old and k in new else v for k, v in saved.items()}},
                **{{k: v for k, v in new.items() if k not in old and k not in saved}}}}
    if all(type(x) is list for x in (saved, old, new)) and len(saved) == len(old) == len(new) and saved and type(saved[0]) is dict:
        return [spliced(*values) for values in zip(saved, old, new)]
    return new if not same(old, new) and same(old, saved) else saved

old, new = constructed(lambda o: {w.sched("o")}), constructed(lambda o: {scheduler_source(newer, "o")})
groups = spliced(loaded["optimizer"]["param_groups"], old["param_groups"], new["param_groups"])
in_force = {{"optimizer": {{**loaded["optimizer"], "param_groups": groups}}, "scheduler": spliced(loaded["scheduler"], old["scheduler"], new["scheduler"])}}
wanted, got = resumed(in_force), resumed(loaded)
problems = [f"lr used with the new arguments in force: {{wanted}}; resumed with them: {{got}}"] if wanted != got else []
"""


# Cross-version checks: step 2 of a two-step script (compat.script.crossversion_script). Any
# refusal by torch is itself the problem.


def _guarded(body: str) -> str:
    indented = "".join(f"    {line}\n" if line else "\n" for line in body.strip().splitlines())
    return f'try:\n{indented}except Exception as error:  # torch refusing is the violation\n    problems = [f"{{error!r:.300}}"]\n'


def _restored(w: Writer, weights_only: str) -> str:
    load = f"torch.load(PATH{weights_only})"
    source = 'checkpoint["params"]'
    lines = f"checkpoint = {load}\nfresh_params = {w.fresh_params(source)}\nfresh = {w.new('fresh_params')}\n"
    if w.case.scheduler:
        lines += f"fresh_sched = {w.sched('fresh')}\n"
    lines += 'fresh.load_state_dict(checkpoint["optimizer"])\n'
    if w.case.scheduler:
        lines += 'fresh_sched.load_state_dict(checkpoint["scheduler"])\n'
    return lines


# torch 1.13's weights_only unpickler cannot read a Python float: there the default (pickle) load reads it.
_SAFE = ", **({} if torch.__version__ < '2' else {'weights_only': True})"


def cross_loads_default(w: Writer) -> str:
    return _guarded(_restored(w, "") + "problems = []")


def cross_loads_weights_only(w: Writer) -> str:
    return _guarded(_restored(w, ", weights_only=True") + "problems = []")


def cross_hyperparameters(w: Writer) -> str:
    return _guarded(
        _restored(w, _SAFE)
        + """
expected = hyperparameters(checkpoint["optimizer"]["param_groups"])
problems = differences(expected, [{k: g.get(k) for k in e} for e, g in zip(expected, fresh.param_groups)], "param_groups")
"""
    )


def cross_state(w: Writer) -> str:
    return _guarded(
        _restored(w, _SAFE)
        + 'problems = differences(checkpoint["optimizer"]["state"], fresh.state_dict()["state"], "state")'
    )


def cross_numerics(w: Writer) -> str:
    return _guarded(
        f"""
checkpoint = torch.load(PATH{_SAFE})
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
straight = {w.old("straight_params")}
train(straight, straight_params, {w.n + w.m})
problems = differences(checkpoint["continuation"]["params"], [p.detach() for p in straight_params], "params")
"""
    )


def cross_bitwise(w: Writer) -> str:
    return _guarded(
        _restored(w, _SAFE)
        + f"""train(fresh, fresh_params, {w.m}, {w.n})
problems = differences(checkpoint["continuation"]["params"], [p.detach() for p in fresh_params], "params")
"""
    )


def cross_close(w: Writer) -> str:
    return _guarded(
        _restored(w, _SAFE)
        + f"""train(fresh, fresh_params, {w.m}, {w.n})
problems = [f"params[{{i}}]: max difference {{float((e.double() - a.detach().double()).abs().max()):.3g}}"
            for i, (e, a) in enumerate(zip(checkpoint["continuation"]["params"], fresh_params))
            if e.numel() and not torch.allclose(e.double(), a.detach().double(), rtol=1e-5, atol=1e-7)]
"""
    )


def cross_scheduler_resume(w: Writer) -> str:
    return _guarded(
        _restored(w, ", weights_only=False")
        + f"""got = train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
expected = checkpoint["continuation"]["lrs"]  # what each step used in the saving release's own run
problems = [f"lr per step, saving release {{expected}} vs resumed here {{got}}"] if got != expected else []
"""
    )


CHECKS: dict[str, Check] = {
    "optimizer.state_dict.roundtrip": roundtrip,
    "optimizer.state_dict.weights_only": roundtrip,
    "optimizer.state_dict.mmap": roundtrip,
    "optimizer.state_dict.legacy-format": roundtrip,
    "optimizer.state_dict.is-snapshot": snapshot,
    "optimizer.hyperparameters.restored": hyperparameters_restored,
    "optimizer.flags.restored": flags,
    "optimizer.lr.tensor.preserved": tensor_lr,
    "optimizer.lr.type-follows-checkpoint": lr_type,
    "optimizer.load.flags-from-another-device": device_flags,
    "optimizer.state_dict.complete": complete,
    "optimizer.state.restored": state,
    "optimizer.state.dtype-follows-param": dtype,
    "optimizer.state.device-follows-param": device,
    "optimizer.state.step-dtype": step_dtype,
    "optimizer.resume.bitwise": resume,
    "optimizer.load.no-grad-params": no_grad,
    "optimizer.load.rejects-group-mismatch": group_mismatch,
    "optimizer.load.matches-by-identity": identity,
    "optimizer.load.validates-hyperparameters": validates,
    "optimizer.load.leaves-argument-intact": argument_intact,
    "optimizer.load.does-not-alias-argument": no_alias,
    "optimizer.load.atomic": atomic,
    "optimizer.load.rejects-shape-mismatch": shape_mismatch,
    "optimizer.load.across-classes": across_classes,
    "answer.lr-in-state-dict": lr_saved,
    "answer.lr-not-in-per-param-state": lr_not_per_param,
    "answer.fresh-optimizer-uses-constructor-lr": fresh_lr,
    "device.cuda.optimizer.state_dict.roundtrip": roundtrip,
    "device.cuda.optimizer.resume.bitwise": resume,
    "device.cuda-to-cpu.state-on-cpu": device,
    "device.cpu-to-cuda.state-on-cuda": device,
    "scheduler.state_dict.roundtrip": scheduler_roundtrip,
    "scheduler.state_dict.weights_only": scheduler_roundtrip,
    "scheduler.resume.lr-trajectory": trajectory("scheduler-first"),
    "scheduler.resume.lr-trajectory.built-after-load": trajectory("built-after-load"),
    "scheduler.resume.lr-trajectory.optimizer-only": trajectory("optimizer-only"),
    "scheduler.resume.lr-trajectory.scheduler-only": trajectory("scheduler-only"),
    "scheduler.resume.lr-trajectory.last-epoch": trajectory("last-epoch"),
    "scheduler.resume.lr-trajectory.repaired": trajectory("repaired"),
    "scheduler.resume.params-bitwise": scheduler_params("scheduler-first"),
    "scheduler.resume.params-bitwise.built-after-load": scheduler_params("built-after-load"),
    "scheduler.resume.params-bitwise.optimizer-only": scheduler_params("optimizer-only"),
    "scheduler.resume.params-bitwise.scheduler-only": scheduler_params("scheduler-only"),
    "scheduler.resume.params-bitwise.last-epoch": scheduler_params("last-epoch"),
    "scheduler.resume.params-bitwise.repaired": scheduler_params("repaired"),
    "scheduler.last_lr.restored": last_lr,
    "scheduler.load.leaves-optimizer-lr": leaves_optimizer_lr,
    "scheduler.load.leaves-argument-intact": scheduler_argument,
    "scheduler.composite.restored": composite,
    "scheduler.plateau.restored": plateau,
    "answer.scheduler-lambda-not-saved": lambda_not_saved,
    "answer.scheduler-callable-object-restored": callable_object,
    "answer.scheduler-partial-not-saved": new_code_callable,
    "answer.scheduler-bound-method-not-saved": new_code_callable,
    "answer.scheduler-callables-load-weights-only": scheduler_roundtrip,
    "scheduler.load.keeps-constructor-arguments": keeps_arguments,
    "crossversion.optimizer.loads": cross_loads_default,
    "crossversion.optimizer.loads.weights-only": cross_loads_weights_only,
    "crossversion.optimizer.hyperparameters": cross_hyperparameters,
    "crossversion.optimizer.state": cross_state,
    "crossversion.optimizer.numerics": cross_numerics,
    "crossversion.optimizer.resume.bitwise": cross_bitwise,
    "crossversion.optimizer.resume.close": cross_close,
    "crossversion.scheduler.loads": cross_loads_default,
    "crossversion.scheduler.loads.weights-only": cross_loads_weights_only,
    "crossversion.scheduler.resume": cross_scheduler_resume,
}


def check_of(claim_id: str) -> Check:
    """Return the reproducer check of ``claim_id`` (every live claim has one)."""
    return CHECKS[claim_id]
