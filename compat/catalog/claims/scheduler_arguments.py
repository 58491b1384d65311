"""Claims about a scheduler's constructor arguments and schedule callables across a resume."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compat.catalog import schedule_functions
from compat.catalog.claims import Claim, applicability
from compat.catalog.claims.schedulers import scheduler_roundtrip
from compat.catalog.refusals import SAVE, WEIGHTS_ONLY
from compat.catalog.sources import scheduler_source

if TYPE_CHECKING:
    from compat.record.script import Writer


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


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="answer.scheduler-lambda-not-saved",
        statement="A function, lambda or closure given as lr_lambda (LambdaLR, MultiplicativeLR) or scale_fn "
        "(CyclicLR) is left out of the state dict: the checkpoint saves, and the resumed scheduler computes "
        "with the function the new code passes.",
        category="scheduler_arguments",
        refusals=(SAVE,),
        subjects="schedulers",
        applies=applicability.takes_callables,
        check=lambda_not_saved,
    ),
    Claim(
        id="answer.scheduler-callable-object-restored",
        statement="A callable object given as lr_lambda or scale_fn has its attributes saved, and loading writes "
        "them over the new object's: the resumed scheduler computes with the saved values.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=applicability.takes_callables,
        check=callable_object,
    ),
    Claim(
        id="answer.scheduler-partial-not-saved",
        statement="A functools.partial given as lr_lambda or scale_fn (as transformers' get_*_schedule_with_warmup "
        "builds its LambdaLR) is saved without its arguments: the resumed scheduler computes with the new "
        "code's partial.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=applicability.takes_callables,
        check=new_code_callable,
    ),
    Claim(
        id="answer.scheduler-bound-method-not-saved",
        statement="A bound method given as lr_lambda or scale_fn is saved without its object: the resumed "
        "scheduler computes with the new code's object and its attributes.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=applicability.takes_callables,
        check=new_code_callable,
    ),
    Claim(
        id="answer.scheduler-callables-load-weights-only",
        statement="A scheduler whose lr_lambda or scale_fn is a function, lambda, closure, callable object, "
        "functools.partial or bound method saves, and its state loads with torch.load(weights_only=True) "
        "(the default since 2.6).",
        category="scheduler_arguments",
        refusals=(SAVE, WEIGHTS_ONLY),
        subjects="schedulers",
        applies=applicability.takes_callables,
        check=scheduler_roundtrip,
    ),
    Claim(
        id="scheduler.load.keeps-constructor-arguments",
        statement="After scheduler.load_state_dict (optimizer state loaded too), the constructor arguments the new "
        "code passed (step_size, gamma, T_max, milestones, total_steps, patience, ...) stay in force: every later "
        "step uses the lr a scheduler with those arguments gives at that epoch.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=applicability.takes_arguments,
        check=keeps_arguments,
    ),
)
