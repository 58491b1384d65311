"""Checks of a scheduler's round trip: its state dict, the resumed lr in each restore order, its arguments."""

from __future__ import annotations

from compat import schedule_functions
from compat.script import Check, Writer
from compat.sources import scheduler_source

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
