"""The claims catalog: every statement this project checks, with a stable, public id.

Ids never change once published; a claim that stops being checked stays here marked retired.
Each claim names the category (the ``props/test_<category>.py`` file that checks it), the
device it runs on and which subjects it applies to; compat.snippets holds the plain-torch check
its reproducers print.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from compat import anatomy, probe
from compat.anatomy import LAYOUT, LR
from compat.refusals import LOAD_STATE_DICT, WEIGHTS_ONLY
from compat.schedulers import SchedulerSpec, takes_last_epoch
from compat.specs import OptimizerSpec

Applies = Callable[[Any, str], "str | None"]


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One statement about PyTorch, checked per subject, torch release and device."""

    id: str
    statement: str
    category: str
    device: str = "cpu"
    subjects: Literal["optimizers", "schedulers"] = "optimizers"
    applies: Applies | None = None
    # What the subject's optimizer must hold for the claim's test to read it (compat.anatomy.NEEDS):
    # a subject without it is not-applicable, with what it holds instead.
    needs: tuple[str, ...] = ()
    # The refusals this claim is about (NOTE: [refusals a claim owns] in compat.engine).
    refusals: tuple[str, ...] = ()
    retired: bool = False

    def not_applicable_because(self, spec: OptimizerSpec | SchedulerSpec, version: str) -> str | None:
        """Return why this claim does not apply to ``spec`` on ``version``, or None."""
        absent = spec.absent_because(version)
        if absent:
            return absent
        inapplicable = self.applies(spec, version) if self.applies else None
        if inapplicable or not isinstance(spec, OptimizerSpec):
            return inapplicable
        return next((lack for need in self.needs if (lack := anatomy.lacks(spec, need))), None)


class UnknownClaim(KeyError):
    """A claim id that is not in the catalog."""

    def __str__(self) -> str:
        return str(self.args[0])


def _tensor_lr(spec: OptimizerSpec, version: str) -> str | None:
    return probe.tensor_lr_refused(spec, version)


def _mmap(spec: OptimizerSpec, version: str) -> str | None:
    return probe.mmap_refused(version)


def _flags(spec: OptimizerSpec, version: str) -> str | None:
    return probe.flags_refused(spec, version)


def _dtypes(spec: OptimizerSpec, version: str) -> str | None:
    return probe.dtypes_refused(spec, version)


def _device_flags(spec: OptimizerSpec, version: str) -> str | None:
    from compat import resumption  # imports torch: only when a claim is checked

    return resumption.device_flags_absent(spec, version)


def _step(spec: OptimizerSpec, version: str) -> str | None:
    from compat import resumption  # imports torch: only when a claim is checked

    return resumption.step_absent(spec, version)


def _has_partner(spec: OptimizerSpec, version: str) -> str | None:
    from compat import loading  # imports torch: only when a claim is checked

    refused = loading.sparse_refusal(spec.target)
    if refused is None:
        return None
    return f"{spec.name} trains on sparse gradients, which the classes a user would switch from refuse ({refused})"


def _kind(kind: str, what: str) -> Applies:
    def applies(spec: SchedulerSpec, version: str) -> str | None:
        return None if spec.kind == kind else f"{spec.name} is not {what}"

    return applies


def _takes_callables(spec: SchedulerSpec, version: str) -> str | None:
    if spec.kind == "lambda" or spec.name == "CyclicLR":
        return None
    return f"{spec.name} takes no schedule callable (lr_lambda or scale_fn)"


def _takes_arguments(spec: SchedulerSpec, version: str) -> str | None:
    if spec.kind != "lambda":
        return None
    return f"{spec.name} takes no constructor argument but lr_lambda, whose forms the answer.scheduler-* claims check"


def _takes_last_epoch(spec: SchedulerSpec, version: str) -> str | None:
    if spec.kind == "composite" or takes_last_epoch(spec.load()):
        return None
    return f"{spec.name}.__init__ takes no last_epoch argument on torch {version}"


_CATALOG: tuple[Claim, ...] = (
    Claim(
        id="optimizer.state_dict.roundtrip",
        statement="The dict torch.load returns equals the optimizer.state_dict() that was saved: "
        "same structure, Python values exactly, tensors bitwise with dtype and shape.",
        category="state_dict",
    ),
    Claim(
        id="optimizer.state_dict.weights_only",
        statement="An optimizer state dict loads with torch.load(weights_only=True) and round-trips exactly.",
        category="state_dict",
        refusals=(WEIGHTS_ONLY,),
    ),
    Claim(
        id="optimizer.state_dict.mmap",
        statement="An optimizer state dict loads with torch.load(mmap=True) and round-trips exactly.",
        category="state_dict",
        applies=_mmap,
    ),
    Claim(
        id="optimizer.state_dict.legacy-format",
        statement="An optimizer state dict saved in the legacy non-zip format "
        "(_use_new_zipfile_serialization=False) loads and round-trips exactly.",
        category="state_dict",
    ),
    Claim(
        id="optimizer.state_dict.is-snapshot",
        statement="The dict optimizer.state_dict() returns does not change when training continues, "
        "so it can be kept in memory as a checkpoint.",
        category="state_dict",
    ),
    Claim(
        id="optimizer.hyperparameters.restored",
        statement="After load_state_dict every param group's hyperparameters, lr included, equal the "
        "saved ones, whatever the constructor was given.",
        category="hyperparameters",
        needs=(LAYOUT,),
    ),
    Claim(
        id="optimizer.flags.restored",
        statement="After load_state_dict the foreach, fused, capturable, differentiable and maximize "
        "flags of every param group are the saved ones, not the constructor's.",
        category="hyperparameters",
        needs=(LAYOUT,),
        applies=_flags,
    ),
    Claim(
        id="optimizer.lr.tensor.preserved",
        statement="A tensor lr is still a tensor of the same value after the round trip.",
        category="hyperparameters",
        needs=(LR, LAYOUT),
        applies=_tensor_lr,
    ),
    Claim(
        id="optimizer.lr.type-follows-checkpoint",
        statement="Loading a float-lr checkpoint into an optimizer built with a tensor lr, or a tensor-lr "
        "checkpoint into one built with a float lr, leaves every group's lr of the checkpoint's type and value "
        "(a float, or a tensor of its dtype), and step() runs with it.",
        category="hyperparameters",
        needs=(LR, LAYOUT),
        applies=_tensor_lr,
    ),
    Claim(
        id="optimizer.load.flags-from-another-device",
        statement="A checkpoint whose param groups carry the flags a CUDA run writes (fused, capturable, foreach; "
        "set in the saved dict as a CUDA-written checkpoint carries them, and run on the CPU) loads into an "
        "optimizer on the CPU, steps, and trains bitwise as the same checkpoint carrying only those of the flags "
        "the CPU runs.",
        category="hyperparameters",
        needs=(LAYOUT,),
        applies=_device_flags,
    ),
    Claim(
        id="optimizer.state_dict.complete",
        statement="state_dict() holds every per-parameter state entry the optimizer keeps (optimizer.state), "
        "bitwise: nothing the update uses is left out of the checkpoint.",
        category="state_dict",
        needs=(LAYOUT,),
    ),
    Claim(
        id="optimizer.state.restored",
        statement="After load_state_dict every per-parameter state tensor equals the saved one bitwise.",
        category="state",
        needs=(LAYOUT,),
    ),
    Claim(
        id="optimizer.state.dtype-follows-param",
        statement="Loading into params of another floating dtype casts floating state to the param's "
        "dtype; step keeps its own dtype (float32 under fused or capturable).",
        category="state",
        needs=(LAYOUT,),
        applies=_dtypes,
    ),
    Claim(
        id="optimizer.state.device-follows-param",
        statement="After loading with any map_location, state lives on the param's device; step stays "
        "on the CPU unless the group is capturable or fused.",
        category="state",
    ),
    Claim(
        id="optimizer.state.step-dtype",
        statement="Under the default dtype and under torch.set_default_dtype(torch.float64), step has after "
        "load_state_dict the dtype (or number type) it was saved with, and after training on the one the "
        "uninterrupted optimizer has.",
        category="state",
        needs=(LAYOUT,),
        applies=_step,
    ),
    Claim(
        id="optimizer.resume.bitwise",
        statement="N steps, save, load into fresh objects, M steps equals N+M uninterrupted steps "
        "bitwise, parameters and optimizer state.",
        category="resume",
        refusals=(LOAD_STATE_DICT,),
    ),
    Claim(
        id="optimizer.load.no-grad-params",
        statement="Params that never had a grad have no optimizer state before or after the round "
        "trip, and resuming stays bitwise.",
        category="resume",
        needs=(LAYOUT,),
    ),
    Claim(
        id="optimizer.load.rejects-group-mismatch",
        statement="load_state_dict raises ValueError when the number of param groups, or of params "
        "in a group, differs from the saved one.",
        category="load",
    ),
    Claim(
        id="optimizer.load.matches-by-identity",
        statement="Permuting same-shaped params between save and load does not swap their state.",
        category="load",
        needs=(LAYOUT,),
    ),
    Claim(
        id="optimizer.load.validates-hyperparameters",
        statement="load_state_dict rejects hyperparameter values the constructor rejects (e.g. a negative lr).",
        category="load",
        needs=(LAYOUT,),
    ),
    Claim(
        id="optimizer.load.leaves-argument-intact",
        statement="load_state_dict does not mutate the dict it is given.",
        category="load",
    ),
    Claim(
        id="optimizer.load.does-not-alias-argument",
        statement="Training after load_state_dict leaves the loaded dict's tensors unchanged "
        "(the optimizer does not keep the caller's tensors as its state).",
        category="load",
    ),
    Claim(
        id="optimizer.load.atomic",
        statement="A load_state_dict that raises (another class's checkpoint, a group of another size) leaves the "
        "optimizer as it was: param_groups and state unchanged, and it steps on exactly as an untouched twin.",
        category="load",
        needs=(LAYOUT,),
    ),
    Claim(
        id="optimizer.load.rejects-shape-mismatch",
        statement="State saved for params of other shapes (same groups, same param counts) is refused by "
        "load_state_dict, not left to fail at the first step() or to train on silently.",
        category="load",
        needs=(LAYOUT,),
    ),
    Claim(
        id="optimizer.load.across-classes",
        statement="A checkpoint of another optimizer class, one a user switching class would load (AdamW into "
        "Adam, Adam into AdamW or SGD, SGD or RMSprop into Adam, ...), is refused by load_state_dict, or the "
        "loading optimizer trains on from it exactly as the saving class would (params bitwise).",
        category="load",
        applies=_has_partner,
    ),
    Claim(
        id="answer.lr-in-state-dict",
        statement="The lr is saved: it is at state_dict()['param_groups'][i]['lr'] for every group.",
        category="answers",
        needs=(LR, LAYOUT),
    ),
    Claim(
        id="answer.lr-not-in-per-param-state",
        statement="No per-parameter state entry holds an 'lr' key, so state[...]['lr'] raises KeyError.",
        category="answers",
        needs=(LAYOUT,),
    ),
    Claim(
        id="answer.fresh-optimizer-uses-constructor-lr",
        statement="An optimizer re-created without load_state_dict trains with its constructor's lr, "
        "whatever the checkpoint held.",
        category="answers",
        needs=(LR,),
    ),
    Claim(
        id="device.cuda.optimizer.state_dict.roundtrip",
        statement="On CUDA, the loaded optimizer state dict equals the saved one.",
        category="device",
        device="cuda",
    ),
    Claim(
        id="device.cuda.optimizer.resume.bitwise",
        statement="On CUDA, N steps, save, load, M steps equals N+M uninterrupted steps bitwise.",
        category="device",
        device="cuda",
    ),
    Claim(
        id="device.cuda-to-cpu.state-on-cpu",
        statement="State saved on CUDA and loaded into CPU params (map_location='cpu' or a callable) lives on the CPU.",
        category="device",
        device="cuda-to-cpu",
    ),
    Claim(
        id="device.cpu-to-cuda.state-on-cuda",
        statement="State saved on the CPU and loaded into CUDA params lives on CUDA "
        "(step on the CPU unless capturable or fused).",
        category="device",
        device="cpu-to-cuda",
    ),
    Claim(
        id="scheduler.state_dict.roundtrip",
        statement="The scheduler state dict torch.load returns (weights_only=False) equals the one saved.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.state_dict.weights_only",
        statement="A scheduler state dict loads with torch.load(weights_only=True) and equals the one saved.",
        category="schedulers",
        refusals=(WEIGHTS_ONLY,),
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory",
        statement="Build optimizer, build scheduler, load optimizer state, load scheduler state: the lr every "
        "group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.built-after-load",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state: the lr every "
        "group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.optimizer-only",
        statement="Build optimizer, load optimizer state, build a new scheduler and load no scheduler state: "
        "the lr every group has just before each resumed optimizer.step() (the first one included; "
        "with cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same "
        "step.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.scheduler-only",
        statement="Build a new optimizer (its state not loaded), build scheduler, load scheduler state: the lr "
        "every group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.last-epoch",
        statement="Build optimizer, load optimizer state, build scheduler with last_epoch=N (the number of "
        "scheduler steps taken before the save) and load no scheduler state: the lr every group has "
        "just before each resumed optimizer.step() (the first one included; with cycle_momentum also "
        "the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        applies=_takes_last_epoch,
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.repaired",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state, then write "
        "get_last_lr() into every group's lr (the usual repair): the lr every group has just before "
        "each resumed optimizer.step() (the first one included; with cycle_momentum also the momentum "
        "or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.params-bitwise",
        statement="Build optimizer, build scheduler, load optimizer state, load scheduler state: parameters end "
        "bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.built-after-load",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state: parameters end "
        "bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.optimizer-only",
        statement="Build optimizer, load optimizer state, build a new scheduler and load no scheduler state: "
        "parameters end bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.scheduler-only",
        statement="Build a new optimizer (its state not loaded), build scheduler, load scheduler state: "
        "parameters end bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.last-epoch",
        statement="Build optimizer, load optimizer state, build scheduler with last_epoch=N (the number of "
        "scheduler steps taken before the save) and load no scheduler state: parameters end bitwise "
        "equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        applies=_takes_last_epoch,
    ),
    Claim(
        id="scheduler.resume.params-bitwise.repaired",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state, then write "
        "get_last_lr() into every group's lr (the usual repair): parameters end bitwise equal to the "
        "uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.last_lr.restored",
        statement="get_last_lr() after loading the scheduler state equals its value at save time.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.load.leaves-optimizer-lr",
        statement="scheduler.load_state_dict does not itself change the optimizer's lr.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.load.leaves-argument-intact",
        statement="scheduler.load_state_dict does not mutate the dict it is given (during the load or the "
        "training after it), so one checkpoint can be loaded twice.",
        category="schedulers",
        subjects="schedulers",
    ),
    Claim(
        id="scheduler.composite.restored",
        statement="SequentialLR and ChainedScheduler restore the state of every child scheduler, and resume "
        "the uninterrupted lr.",
        category="schedulers",
        subjects="schedulers",
        applies=_kind("composite", "a composite scheduler"),
    ),
    Claim(
        id="scheduler.plateau.restored",
        statement="ReduceLROnPlateau restores best, num_bad_epochs, cooldown_counter and mode, so a resumed "
        "run reduces the lr at the same step.",
        category="schedulers",
        subjects="schedulers",
        applies=_kind("plateau", "ReduceLROnPlateau"),
    ),
    Claim(
        id="answer.scheduler-lambda-not-saved",
        statement="A function, lambda or closure given as lr_lambda (LambdaLR, MultiplicativeLR) or scale_fn "
        "(CyclicLR) is left out of the state dict: the checkpoint saves, and the resumed scheduler computes "
        "with the function the new code passes.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=_takes_callables,
    ),
    Claim(
        id="answer.scheduler-callable-object-restored",
        statement="A callable object given as lr_lambda or scale_fn has its attributes saved, and loading writes "
        "them over the new object's: the resumed scheduler computes with the saved values.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=_takes_callables,
    ),
    Claim(
        id="answer.scheduler-partial-not-saved",
        statement="A functools.partial given as lr_lambda or scale_fn (as transformers' get_*_schedule_with_warmup "
        "builds its LambdaLR) is saved without its arguments: the resumed scheduler computes with the new "
        "code's partial.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=_takes_callables,
    ),
    Claim(
        id="answer.scheduler-bound-method-not-saved",
        statement="A bound method given as lr_lambda or scale_fn is saved without its object: the resumed "
        "scheduler computes with the new code's object and its attributes.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=_takes_callables,
    ),
    Claim(
        id="answer.scheduler-callables-load-weights-only",
        statement="A scheduler whose lr_lambda or scale_fn is a function, lambda, closure, callable object, "
        "functools.partial or bound method saves, and its state loads with torch.load(weights_only=True) "
        "(the default since 2.6).",
        category="scheduler_arguments",
        refusals=(WEIGHTS_ONLY,),
        subjects="schedulers",
        applies=_takes_callables,
    ),
    Claim(
        id="scheduler.load.keeps-constructor-arguments",
        statement="After scheduler.load_state_dict (optimizer state loaded too), the constructor arguments the new "
        "code passed (step_size, gamma, T_max, milestones, total_steps, patience, ...) stay in force: every later "
        "step uses the lr a scheduler with those arguments gives at that epoch.",
        category="scheduler_arguments",
        subjects="schedulers",
        applies=_takes_arguments,
    ),
    Claim(
        id="crossversion.optimizer.loads",
        statement="An optimizer checkpoint saved by another torch release loads with this release's default "
        "torch.load (weights_only=False up to 2.5, True from 2.6) and load_state_dict accepts it.",
        category="crossversion",
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.loads.weights-only",
        statement="An optimizer checkpoint saved by another torch release loads with "
        "torch.load(weights_only=True) and load_state_dict accepts it.",
        category="crossversion",
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.hyperparameters",
        statement="After loading another release's optimizer checkpoint, every param group's hyperparameters "
        "equal the saved ones.",
        category="crossversion",
        needs=(LAYOUT,),
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.state",
        statement="After loading another release's optimizer checkpoint, every per-parameter state tensor "
        "equals the saved one bitwise.",
        category="crossversion",
        needs=(LAYOUT,),
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.numerics",
        statement="Trained without interruption on the same case (same initial parameters, gradients and "
        "steps), this release computes the parameters the other release computed, bitwise.",
        category="crossversion",
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.resume.bitwise",
        statement="Training on from another release's checkpoint gives the parameters that release computed "
        "itself, bitwise (where it does not and the two releases' uninterrupted runs already differ, "
        "crossversion.optimizer.numerics is the finding and this claim is not applicable).",
        category="crossversion",
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.resume.close",
        statement="Training on from another release's checkpoint gives that release's parameters within rtol "
        "1e-5, atol 1e-7.",
        category="crossversion",
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.scheduler.loads",
        statement="A scheduler checkpoint saved by another torch release loads with this release's default "
        "torch.load (weights_only=False up to 2.5, True from 2.6) into a new scheduler.",
        category="crossversion",
        subjects="schedulers",
    ),
    Claim(
        id="crossversion.scheduler.loads.weights-only",
        statement="A scheduler checkpoint saved by another torch release loads with torch.load(weights_only=True) "
        "into a new scheduler.",
        category="crossversion",
        subjects="schedulers",
    ),
    Claim(
        id="crossversion.scheduler.resume",
        statement="Resumed from another release's checkpoint (scheduler-first order), the scheduler gives "
        "the lr trajectory that release computed.",
        category="crossversion",
        subjects="schedulers",
    ),
)

CATALOG: dict[str, Claim] = {claim.id: claim for claim in _CATALOG}


def get(claim_id: str) -> Claim:
    """Return the claim with ``claim_id``; an unknown id names the closest valid ones."""
    try:
        return CATALOG[claim_id]
    except KeyError:
        near = difflib.get_close_matches(claim_id, [c.id for c in live()], n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(near)}?" if near else "`python -m compat list claims` lists them"
        raise UnknownClaim(f"unknown claim {claim_id!r}; {hint}") from None


def live() -> list[Claim]:
    """Return the claims that are checked (not retired), in catalog order."""
    return [claim for claim in CATALOG.values() if not claim.retired]
