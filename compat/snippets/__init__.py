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

from compat.script import Check
from compat.snippets import crossversion, loads, schedulers, state

CHECKS: dict[str, Check] = {
    "optimizer.state_dict.roundtrip": state.roundtrip,
    "optimizer.state_dict.weights_only": state.roundtrip,
    "optimizer.state_dict.mmap": state.roundtrip,
    "optimizer.state_dict.legacy-format": state.roundtrip,
    "optimizer.state_dict.is-snapshot": state.snapshot,
    "optimizer.hyperparameters.restored": state.hyperparameters_restored,
    "optimizer.flags.restored": state.flags,
    "optimizer.lr.tensor.preserved": state.tensor_lr,
    "optimizer.lr.type-follows-checkpoint": state.lr_type,
    "optimizer.load.flags-from-another-device": state.device_flags,
    "optimizer.state_dict.complete": state.complete,
    "optimizer.state.restored": state.state,
    "optimizer.state.dtype-follows-param": state.dtype,
    "optimizer.state.device-follows-param": state.device,
    "optimizer.state.step-dtype": state.step_dtype,
    "optimizer.resume.bitwise": state.resume,
    "optimizer.load.no-grad-params": state.no_grad,
    "optimizer.load.rejects-group-mismatch": loads.group_mismatch,
    "optimizer.load.matches-by-identity": loads.identity,
    "optimizer.load.validates-hyperparameters": loads.validates,
    "optimizer.load.leaves-argument-intact": loads.argument_intact,
    "optimizer.load.does-not-alias-argument": loads.no_alias,
    "optimizer.load.atomic": loads.atomic,
    "optimizer.load.rejects-shape-mismatch": loads.shape_mismatch,
    "optimizer.load.across-classes": loads.across_classes,
    "answer.lr-in-state-dict": state.lr_saved,
    "answer.lr-not-in-per-param-state": state.lr_not_per_param,
    "answer.fresh-optimizer-uses-constructor-lr": state.fresh_lr,
    "device.cuda.optimizer.state_dict.roundtrip": state.roundtrip,
    "device.cuda.optimizer.resume.bitwise": state.resume,
    "device.cuda-to-cpu.state-on-cpu": state.device,
    "device.cpu-to-cuda.state-on-cuda": state.device,
    "scheduler.state_dict.roundtrip": schedulers.scheduler_roundtrip,
    "scheduler.state_dict.weights_only": schedulers.scheduler_roundtrip,
    "scheduler.resume.lr-trajectory": schedulers.trajectory("scheduler-first"),
    "scheduler.resume.lr-trajectory.built-after-load": schedulers.trajectory("built-after-load"),
    "scheduler.resume.lr-trajectory.optimizer-only": schedulers.trajectory("optimizer-only"),
    "scheduler.resume.lr-trajectory.scheduler-only": schedulers.trajectory("scheduler-only"),
    "scheduler.resume.lr-trajectory.last-epoch": schedulers.trajectory("last-epoch"),
    "scheduler.resume.lr-trajectory.repaired": schedulers.trajectory("repaired"),
    "scheduler.resume.params-bitwise": schedulers.scheduler_params("scheduler-first"),
    "scheduler.resume.params-bitwise.built-after-load": schedulers.scheduler_params("built-after-load"),
    "scheduler.resume.params-bitwise.optimizer-only": schedulers.scheduler_params("optimizer-only"),
    "scheduler.resume.params-bitwise.scheduler-only": schedulers.scheduler_params("scheduler-only"),
    "scheduler.resume.params-bitwise.last-epoch": schedulers.scheduler_params("last-epoch"),
    "scheduler.resume.params-bitwise.repaired": schedulers.scheduler_params("repaired"),
    "scheduler.last_lr.restored": schedulers.last_lr,
    "scheduler.load.leaves-optimizer-lr": schedulers.leaves_optimizer_lr,
    "scheduler.load.leaves-argument-intact": schedulers.scheduler_argument,
    "scheduler.composite.restored": schedulers.composite,
    "scheduler.plateau.restored": schedulers.plateau,
    "answer.scheduler-lambda-not-saved": schedulers.lambda_not_saved,
    "answer.scheduler-callable-object-restored": schedulers.callable_object,
    "answer.scheduler-partial-not-saved": schedulers.new_code_callable,
    "answer.scheduler-bound-method-not-saved": schedulers.new_code_callable,
    "answer.scheduler-callables-load-weights-only": schedulers.scheduler_roundtrip,
    "scheduler.load.keeps-constructor-arguments": schedulers.keeps_arguments,
    "crossversion.optimizer.loads": crossversion.cross_loads_default,
    "crossversion.optimizer.loads.weights-only": crossversion.cross_loads_weights_only,
    "crossversion.optimizer.hyperparameters": crossversion.cross_hyperparameters,
    "crossversion.optimizer.state": crossversion.cross_state,
    "crossversion.optimizer.numerics": crossversion.cross_numerics,
    "crossversion.optimizer.resume.bitwise": crossversion.cross_bitwise,
    "crossversion.optimizer.resume.close": crossversion.cross_close,
    "crossversion.scheduler.loads": crossversion.cross_loads_default,
    "crossversion.scheduler.loads.weights-only": crossversion.cross_loads_weights_only,
    "crossversion.scheduler.resume": crossversion.cross_scheduler_resume,
}


def check_of(claim_id: str) -> Check:
    """Return the reproducer check of ``claim_id`` (every live claim has one)."""
    return CHECKS[claim_id]
