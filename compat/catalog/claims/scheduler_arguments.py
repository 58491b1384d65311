"""Claims about a scheduler's constructor arguments and schedule callables across a resume."""

from __future__ import annotations

from compat.catalog.claims import Claim, applicability
from compat.catalog.refusals import SAVE, WEIGHTS_ONLY

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
        check="scheduler_arguments.no_function_saved",
        data="scheduler_arguments.new_code_schedule",
    ),
    Claim(
        id="answer.scheduler-callable-object-restored",
        statement="A callable object given as lr_lambda or scale_fn has its attributes saved, and loading writes "
        "them over the new object's: the resumed scheduler computes with the saved values.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=applicability.takes_callables,
        check="scheduler_arguments.computes_with",
        data="scheduler_arguments.saved_schedule",
    ),
    Claim(
        id="answer.scheduler-partial-not-saved",
        statement="A functools.partial given as lr_lambda or scale_fn (as transformers' get_*_schedule_with_warmup "
        "builds its LambdaLR) is saved without its arguments: the resumed scheduler computes with the new "
        "code's partial.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=applicability.takes_callables,
        check="scheduler_arguments.computes_with",
        data="scheduler_arguments.new_code_schedule",
    ),
    Claim(
        id="answer.scheduler-bound-method-not-saved",
        statement="A bound method given as lr_lambda or scale_fn is saved without its object: the resumed "
        "scheduler computes with the new code's object and its attributes.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=applicability.takes_callables,
        check="scheduler_arguments.computes_with",
        data="scheduler_arguments.new_code_schedule",
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
        check="schedulers.state_dict_roundtrip",
    ),
    Claim(
        id="scheduler.load.keeps-constructor-arguments",
        statement="After scheduler.load_state_dict (optimizer state loaded too), the constructor arguments the new "
        "code passed (step_size, gamma, T_max, milestones, total_steps, patience, ...) stay in force: every later "
        "step uses the lr a scheduler with those arguments gives at that epoch.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=applicability.takes_arguments,
        check="scheduler_arguments.keeps_arguments",
        data="scheduler_arguments.changed_arguments",
    ),
)
