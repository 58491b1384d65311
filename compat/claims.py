"""The claims catalog: every statement this project checks, with a stable, public id.

Ids never change once published; a claim that stops being checked stays here marked retired.
Each claim names the category (the ``props/test_<category>.py`` file that checks it), the
device it runs on, which subjects it applies to, and the plain-torch check its reproducers use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from compat import snippets, versions
from compat.schedulers import SchedulerSpec
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
    script_check: str = ""
    retired: bool = False

    def not_applicable_because(self, spec: OptimizerSpec | SchedulerSpec, version: str) -> str | None:
        """Return why this claim does not apply to ``spec`` on ``version``, or None."""
        absent = spec.absent_because(version)
        if absent:
            return absent
        return self.applies(spec, version) if self.applies else None


class UnknownClaim(KeyError):
    """A claim id that is not in the catalog."""

    def __str__(self) -> str:
        return str(self.args[0])


def _tensor_lr(spec: OptimizerSpec, version: str) -> str | None:
    return None if spec.accepts_tensor_lr(version) else f"{spec.name} takes no tensor lr on torch {version}"


def _mmap(spec: OptimizerSpec, version: str) -> str | None:
    return None if versions.at_least(version, "2.1") else f"torch.load has no mmap before 2.1 (torch {version})"


def _flags(spec: OptimizerSpec, version: str) -> str | None:
    return None if spec.flags_on(version, "cpu") else f"{spec.name} has no implementation flags on torch {version}"


def _dtypes(spec: OptimizerSpec, version: str) -> str | None:
    return None if len(spec.param_dtypes) > 1 else f"{spec.name} supports only {spec.param_dtypes[0]} params"


def _kind(kind: str, what: str) -> Applies:
    def applies(spec: SchedulerSpec, version: str) -> str | None:
        return None if spec.kind == kind else f"{spec.name} is not {what}"

    return applies


_CATALOG: tuple[Claim, ...] = (
    Claim(
        id="optimizer.state_dict.roundtrip",
        statement="The dict torch.load returns equals the optimizer.state_dict() that was saved: "
        "same structure, Python values exactly, tensors bitwise with dtype and shape.",
        category="state_dict",
        script_check=snippets.ROUNDTRIP,
    ),
    Claim(
        id="optimizer.state_dict.weights_only",
        statement="An optimizer state dict loads with torch.load(weights_only=True) and round-trips exactly.",
        category="state_dict",
        script_check=snippets.ROUNDTRIP,
    ),
    Claim(
        id="optimizer.state_dict.mmap",
        statement="An optimizer state dict loads with torch.load(mmap=True) and round-trips exactly.",
        category="state_dict",
        applies=_mmap,
        script_check=snippets.ROUNDTRIP,
    ),
    Claim(
        id="optimizer.state_dict.legacy-format",
        statement="An optimizer state dict saved in the legacy non-zip format "
        "(_use_new_zipfile_serialization=False) loads and round-trips exactly.",
        category="state_dict",
        script_check=snippets.ROUNDTRIP,
    ),
    Claim(
        id="optimizer.state_dict.is-snapshot",
        statement="The dict optimizer.state_dict() returns does not change when training continues, "
        "so it can be kept in memory as a checkpoint.",
        category="state_dict",
        script_check=snippets.SNAPSHOT,
    ),
    Claim(
        id="optimizer.hyperparameters.restored",
        statement="After load_state_dict every param group's hyperparameters, lr included, equal the "
        "saved ones, whatever the constructor was given.",
        category="hyperparameters",
        script_check=snippets.HYPERPARAMETERS,
    ),
    Claim(
        id="optimizer.flags.restored",
        statement="After load_state_dict the foreach, fused, capturable, differentiable and maximize "
        "flags of every param group are the saved ones, not the constructor's.",
        category="hyperparameters",
        applies=_flags,
        script_check=snippets.FLAGS,
    ),
    Claim(
        id="optimizer.lr.tensor.preserved",
        statement="A tensor lr is still a tensor of the same value after the round trip.",
        category="hyperparameters",
        applies=_tensor_lr,
        script_check=snippets.TENSOR_LR,
    ),
    Claim(
        id="optimizer.state_dict.complete",
        statement="state_dict() holds every per-parameter state entry the optimizer keeps (optimizer.state), "
        "bitwise: nothing the update uses is left out of the checkpoint.",
        category="state_dict",
        script_check=snippets.COMPLETE,
    ),
    Claim(
        id="optimizer.state.restored",
        statement="After load_state_dict every per-parameter state tensor equals the saved one bitwise.",
        category="state",
        script_check=snippets.STATE,
    ),
    Claim(
        id="optimizer.state.dtype-follows-param",
        statement="Loading into params of another floating dtype casts floating state to the param's "
        "dtype; step keeps its own dtype (float32 under fused or capturable).",
        category="state",
        applies=_dtypes,
        script_check=snippets.DTYPE,
    ),
    Claim(
        id="optimizer.state.device-follows-param",
        statement="After loading with any map_location, state lives on the param's device; step stays "
        "on the CPU unless the group is capturable or fused.",
        category="state",
        script_check=snippets.DEVICE,
    ),
    Claim(
        id="optimizer.resume.bitwise",
        statement="N steps, save, load into fresh objects, M steps equals N+M uninterrupted steps "
        "bitwise, parameters and optimizer state.",
        category="resume",
        script_check=snippets.RESUME,
    ),
    Claim(
        id="optimizer.load.no-grad-params",
        statement="Params that never had a grad have no optimizer state before or after the round "
        "trip, and resuming stays bitwise.",
        category="resume",
        script_check=snippets.NO_GRAD,
    ),
    Claim(
        id="optimizer.load.rejects-group-mismatch",
        statement="load_state_dict raises ValueError when the number of param groups, or of params "
        "in a group, differs from the saved one.",
        category="load",
        script_check=snippets.GROUP_MISMATCH,
    ),
    Claim(
        id="optimizer.load.matches-by-identity",
        statement="Permuting same-shaped params between save and load does not swap their state.",
        category="load",
        script_check=snippets.IDENTITY,
    ),
    Claim(
        id="optimizer.load.validates-hyperparameters",
        statement="load_state_dict rejects hyperparameter values the constructor rejects (e.g. a negative lr).",
        category="load",
        script_check=snippets.VALIDATES,
    ),
    Claim(
        id="optimizer.load.leaves-argument-intact",
        statement="load_state_dict does not mutate the dict it is given.",
        category="load",
        script_check=snippets.ARGUMENT_INTACT,
    ),
    Claim(
        id="optimizer.load.does-not-alias-argument",
        statement="Training after load_state_dict leaves the loaded dict's tensors unchanged "
        "(the optimizer does not keep the caller's tensors as its state).",
        category="load",
        script_check=snippets.NO_ALIAS,
    ),
    Claim(
        id="answer.lr-in-state-dict",
        statement="The lr is saved: it is at state_dict()['param_groups'][i]['lr'] for every group.",
        category="answers",
        script_check=snippets.LR_SAVED,
    ),
    Claim(
        id="answer.lr-not-in-per-param-state",
        statement="No per-parameter state entry holds an 'lr' key, so state[...]['lr'] raises KeyError.",
        category="answers",
        script_check=snippets.LR_NOT_PER_PARAM,
    ),
    Claim(
        id="answer.fresh-optimizer-uses-constructor-lr",
        statement="An optimizer re-created without load_state_dict trains with its constructor's lr, "
        "whatever the checkpoint held.",
        category="answers",
        script_check=snippets.FRESH_LR,
    ),
    Claim(
        id="device.cuda.optimizer.state_dict.roundtrip",
        statement="On CUDA, the loaded optimizer state dict equals the saved one.",
        category="device",
        device="cuda",
        script_check=snippets.ROUNDTRIP,
    ),
    Claim(
        id="device.cuda.optimizer.resume.bitwise",
        statement="On CUDA, N steps, save, load, M steps equals N+M uninterrupted steps bitwise.",
        category="device",
        device="cuda",
        script_check=snippets.RESUME,
    ),
    Claim(
        id="device.cuda-to-cpu.state-on-cpu",
        statement="State saved on CUDA and loaded into CPU params (map_location='cpu' or a callable) lives on the CPU.",
        category="device",
        device="cuda-to-cpu",
        script_check=snippets.DEVICE,
    ),
    Claim(
        id="device.cpu-to-cuda.state-on-cuda",
        statement="State saved on the CPU and loaded into CUDA params lives on CUDA "
        "(step on the CPU unless capturable or fused).",
        category="device",
        device="cpu-to-cuda",
        script_check=snippets.DEVICE,
    ),
    Claim(
        id="scheduler.state_dict.roundtrip",
        statement="The scheduler state dict torch.load returns (weights_only=False) equals the one saved.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.SCHEDULER_ROUNDTRIP,
    ),
    Claim(
        id="scheduler.state_dict.weights_only",
        statement="A scheduler state dict loads with torch.load(weights_only=True) and equals the one saved.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.SCHEDULER_ROUNDTRIP,
    ),
    Claim(
        id="scheduler.resume.lr-trajectory",
        statement="Build optimizer, build scheduler, load optimizer state, load scheduler state: "
        "every group's lr at every later step equals the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.TRAJECTORY,
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.built-after-load",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state: "
        "every group's lr at every later step equals the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.TRAJECTORY_BUILT_AFTER_LOAD,
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.optimizer-only",
        statement="Restoring only the optimizer and building a new scheduler (its state not loaded) gives "
        "every group's lr at every later step of the uninterrupted run.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.TRAJECTORY_OPTIMIZER_ONLY,
    ),
    Claim(
        id="scheduler.resume.params-bitwise",
        statement="Resumed in the order optimizer, scheduler, load both, parameters end bitwise equal to "
        "the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.SCHEDULER_PARAMS,
    ),
    Claim(
        id="scheduler.last_lr.restored",
        statement="get_last_lr() after loading the scheduler state equals its value at save time.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.LAST_LR,
    ),
    Claim(
        id="scheduler.load.leaves-optimizer-lr",
        statement="scheduler.load_state_dict does not itself change the optimizer's lr.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.LEAVES_OPTIMIZER_LR,
    ),
    Claim(
        id="scheduler.load.leaves-argument-intact",
        statement="scheduler.load_state_dict does not mutate the dict it is given (during the load or the "
        "training after it), so one checkpoint can be loaded twice.",
        category="schedulers",
        subjects="schedulers",
        script_check=snippets.SCHEDULER_ARGUMENT,
    ),
    Claim(
        id="scheduler.composite.restored",
        statement="SequentialLR and ChainedScheduler restore the state of every child scheduler, and resume "
        "the uninterrupted lr.",
        category="schedulers",
        subjects="schedulers",
        applies=_kind("composite", "a composite scheduler"),
        script_check=snippets.COMPOSITE,
    ),
    Claim(
        id="scheduler.plateau.restored",
        statement="ReduceLROnPlateau restores best, num_bad_epochs, cooldown_counter and mode, so a resumed "
        "run reduces the lr at the same step.",
        category="schedulers",
        subjects="schedulers",
        applies=_kind("plateau", "ReduceLROnPlateau"),
        script_check=snippets.PLATEAU,
    ),
    Claim(
        id="answer.scheduler-lambda-not-saved",
        statement="A LambdaLR/MultiplicativeLR state dict holds no plain function or lambda, so the resumed "
        "scheduler uses whatever function the new code passes.",
        category="schedulers",
        subjects="schedulers",
        applies=_kind("lambda", "LambdaLR or MultiplicativeLR"),
        script_check=snippets.LAMBDA_NOT_SAVED,
    ),
    Claim(
        id="answer.scheduler-callable-object-restored",
        statement="A callable object given as lr_lambda has its attributes saved, and loading writes them over "
        "the new object's: the resumed scheduler computes with the saved values.",
        category="schedulers",
        subjects="schedulers",
        applies=_kind("lambda", "LambdaLR or MultiplicativeLR"),
        script_check=snippets.CALLABLE_OBJECT,
    ),
    Claim(
        id="crossversion.optimizer.loads",
        statement="An optimizer checkpoint saved by another torch release loads (weights_only as this "
        "release's default, and True) and load_state_dict accepts it.",
        category="crossversion",
        script_check=snippets.CROSS_LOADS,
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.hyperparameters",
        statement="After loading another release's optimizer checkpoint, every param group's hyperparameters "
        "equal the saved ones.",
        category="crossversion",
        script_check=snippets.CROSS_HYPERPARAMETERS,
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.state",
        statement="After loading another release's optimizer checkpoint, every per-parameter state tensor "
        "equals the saved one bitwise.",
        category="crossversion",
        script_check=snippets.CROSS_STATE,
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.resume.bitwise",
        statement="Training on from another release's checkpoint gives the parameters that release computed "
        "itself, bitwise.",
        category="crossversion",
        script_check=snippets.CROSS_BITWISE,
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.optimizer.resume.close",
        statement="Training on from another release's checkpoint gives that release's parameters within rtol "
        "1e-5, atol 1e-7.",
        category="crossversion",
        script_check=snippets.CROSS_CLOSE,
        subjects="optimizers",
    ),
    Claim(
        id="crossversion.scheduler.loads",
        statement="A scheduler checkpoint saved by another torch release loads (weights_only as this "
        "release's default, and True) into a new scheduler.",
        category="crossversion",
        script_check=snippets.CROSS_LOADS,
        subjects="schedulers",
    ),
    Claim(
        id="crossversion.scheduler.resume",
        statement="Resumed from another release's checkpoint (scheduler-first order), the scheduler gives "
        "the lr trajectory that release computed.",
        category="crossversion",
        script_check=snippets.CROSS_SCHEDULER_RESUME,
        subjects="schedulers",
    ),
)

CATALOG: dict[str, Claim] = {claim.id: claim for claim in _CATALOG}


def get(claim_id: str) -> Claim:
    """Return the claim with ``claim_id``; an unknown id names the closest valid ones."""
    try:
        return CATALOG[claim_id]
    except KeyError:
        prefix = claim_id.split(".")[0]
        near = [c for c in CATALOG if c.startswith(prefix)] or list(CATALOG)
        raise UnknownClaim(f"unknown claim {claim_id!r}; known: {', '.join(near)}") from None


def live() -> list[Claim]:
    """Return the claims that are checked (not retired), in catalog order."""
    return [claim for claim in CATALOG.values() if not claim.retired]
