"""The pinned example of every claim: one deterministic case per subject.

A known violation must not depend on Hypothesis's luck, so before drawing, every property
test first runs this case (see the plugin). The layout has what every claim needs: two
same-shaped trained params (to permute), a param that never gets a grad, a float64 param
beside float32 ones, two groups with an lr override, and steps on both sides of the save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from compat.catalog import versions
from compat.catalog.case import Case, Fn, FnKind, Group, Layout, Param, SaveLoad, Sched, TensorLr
from compat.catalog.claims import Claim
from compat.catalog.schedulers import SchedulerSpec
from compat.catalog.specs import OptimizerSpec
from compat.run import probe, resumption

_SAVE_LOAD = {
    "optimizer.state_dict.weights_only": SaveLoad(weights_only=True),
    "optimizer.state_dict.mmap": SaveLoad(mmap=True),
    "optimizer.state_dict.legacy-format": SaveLoad(legacy_format=True),
}
_DEVICES = {
    "cpu": ("cpu", "cpu"),
    "cuda": ("cuda", "cuda"),
    "cuda-to-cpu": ("cuda", "cpu"),
    "cpu-to-cuda": ("cpu", "cuda"),
}


def pinned_case(spec: OptimizerSpec | SchedulerSpec, claim: Claim, variant: str = "default") -> Case:
    """Return the deterministic case that every test of ``claim`` on ``spec`` runs first.

    ``variant`` (see VARIANTS) pins a known violation that the default layout does not show.
    """
    if isinstance(spec, SchedulerSpec):
        return VARIANTS[variant](pinned_scheduler_case(spec, claim))
    device, load_device = _DEVICES[claim.device]
    torch_version = versions.installed()
    available = probe.flags(spec, device)
    kwargs: dict[str, Any] = {"lr": 0.01, **spec.example_kwargs}
    fresh: dict[str, Any] = {"lr": 0.5}
    for flag, saved_value, fresh_value in (("foreach", False, True), ("maximize", False, True)):
        if flag in available:
            kwargs[flag] = saved_value
            fresh[flag] = fresh_value
    tensor_lr_claims = ("optimizer.lr.tensor.preserved", "optimizer.lr.type-follows-checkpoint")
    if claim.id in tensor_lr_claims and probe.verdict(spec, kwargs, tensor_lr=True).accepted:
        kwargs["lr"] = TensorLr(0.01)
    dtypes = probe.dtypes(spec, kwargs, device)
    if not dtypes:
        tensor_lr = isinstance(kwargs["lr"], TensorLr)
        refusals = (
            probe.verdict(spec, kwargs, dtype=d, tensor_lr=tensor_lr, device=device).because()
            for d in spec.param_dtypes
        )
        raise ValueError(f"no pinned case for {spec.name} with {kwargs} on {device}: " + "; ".join(refusals))
    dtype = "float32" if "float32" in dtypes else dtypes[0]
    shape = (3, 2) if spec.param_ndim == 2 else (3,)
    members = (
        Param(shape, dtype),
        Param(shape, dtype),
        Param(shape, dtype, "no-grad"),
        Param((2, 2), dtype),
    )
    if spec.mixed_dtypes and "float64" in dtypes and dtype != "float64":
        members += (Param((2, 2), "float64"),)
    if spec.single_group:
        groups: tuple[Group, ...] = (Group(tuple(range(len(members)))),)
    else:
        groups = (Group((0, 1, 2)), Group(tuple(range(3, len(members))), {"lr": 0.1}))
    load_dtype = None
    if claim.id == "optimizer.state.dtype-follows-param":
        load_dtype = next((d for d in probe.dtypes(spec, fresh, load_device) if d != dtype), None)
    case = Case(
        subject=spec.target,
        kwargs=spec.repaired(kwargs),
        fresh_kwargs=spec.repaired(fresh),
        layout=Layout(members, groups),
        steps_before=2,
        steps_after=2,
        seed=0,
        save_load=replace(
            _SAVE_LOAD.get(claim.id, SaveLoad()),
            weights_only=claim.id == "optimizer.state_dict.weights_only"
            or versions.weights_only_reads_floats(torch_version),
        ),
        device=device,
        load_device=load_device,
        load_dtype=load_dtype,
    )
    return VARIANTS[variant](_under_conditions(spec, claim, case))


def _under_conditions(spec: OptimizerSpec, claim: Claim, case: Case) -> Case:
    """Return ``case`` under the condition its claim is about (compat.run.resumption), if any.

    The step dtype is pinned under a float64 default; a checkpoint from another device gets
    capturable, else fused, else foreach: the flag a CPU is least likely to honour (the defaults claim gets
    the flags a run that passes none writes).
    """
    if claim.id == "optimizer.state.step-dtype":
        return case.with_(default_dtype="float64")
    if claim.id.startswith("optimizer.load.flags-from-another-device"):
        defaults = claim.id.endswith(".defaults")
        return case.with_(written_flags=(resumption.default_flags if defaults else resumption.pinned_flags)(spec))
    return case


def _float64(case: Case) -> Case:
    """Make every param float64 (the lr stays a float): float32 scalar state is cast to the params' dtype on load."""
    params = tuple(replace(p, dtype="float64") for p in case.layout.params)
    return case.with_(layout=Layout(params, case.layout.groups))


def _float64_tensor_lr(case: Case) -> Case:
    """Make every param float64 and the lr a (float32) tensor: state derived from the lr is float32."""
    return _float64(case).with_(kwargs={**case.kwargs, "lr": TensorLr(0.01)})


_METRICS = (1.0, 0.9, 0.9, 0.9, 0.95, 0.5, 0.5, 0.5)


def pinned_scheduler_case(spec: SchedulerSpec, claim: Claim) -> Case:
    """Return the scheduler's example on SGD (momentum 0.9) with two groups, 3 steps either side of the save."""
    sched = spec.example
    if claim.id in CALLABLE_FORMS:
        sched = _with_form(sched, CALLABLE_FORMS[claim.id])
    fresh = _newer(sched) if claim.id == "scheduler.load.keeps-constructor-arguments" else None
    layout = Layout((Param((3,)), Param((2, 2))), (Group((0,)), Group((1,), {"lr": 0.05})))
    weights_only = claim.id in ("scheduler.state_dict.weights_only", "answer.scheduler-callables-load-weights-only")
    return Case(
        subject="torch.optim.SGD",
        kwargs={"lr": 0.1, "momentum": 0.9},
        fresh_kwargs={"lr": 0.5, "momentum": 0.9},
        layout=layout,
        steps_before=3,
        steps_after=3,
        save_load=SaveLoad(weights_only=weights_only),
        scheduler=sched,
        metrics=_METRICS[:6] if spec.kind == "plateau" else (),
        fresh_scheduler=fresh,
    )


# The form of schedule callable a callable claim's pinned case carries: its lr_lambda, or CyclicLR's scale_fn.
CALLABLE_FORMS: dict[str, FnKind] = {
    "answer.scheduler-lambda-not-saved": "lambda",
    "answer.scheduler-callable-object-restored": "object",
    "answer.scheduler-partial-not-saved": "partial",
    "answer.scheduler-bound-method-not-saved": "method",
    "answer.scheduler-callables-load-weights-only": "object",
}


def _with_form(sched: Sched, form: FnKind) -> Sched:
    """Return ``sched`` with its lr_lambda written as ``form``, or a CyclicLR with a ``form`` scale_fn."""
    if sched.name == "CyclicLR":
        return replace(sched, kwargs={**sched.kwargs, "scale_fn": Fn(form, 0.9), "scale_mode": "cycle"})
    return replace(sched, kwargs={k: Fn(form, v.factor) if isinstance(v, Fn) else v for k, v in sched.kwargs.items()})


# The constructor arguments the resumed code passes instead of the example's (each changes the lr of
# the steps after the save): scheduler.load.keeps-constructor-arguments.
_NEWER_ARGUMENTS: dict[str, dict[str, Any]] = {
    "StepLR": {"step_size": 3, "gamma": 0.8},
    "MultiStepLR": {"milestones": [5], "gamma": 0.8},
    "ExponentialLR": {"gamma": 0.8},
    "CosineAnnealingLR": {"T_max": 8},
    "CosineAnnealingWarmRestarts": {"T_mult": 1, "eta_min": 1e-4},
    "CyclicLR": {"max_lr": 0.2, "step_size_up": 3},
    "OneCycleLR": {"total_steps": 14},
    "LinearLR": {"total_iters": 6},
    "ConstantLR": {"factor": 0.25, "total_iters": 6},
    "PolynomialLR": {"total_iters": 8},
    "ReduceLROnPlateau": {"factor": 0.1, "patience": 0, "cooldown": 0},
    "SequentialLR": {"milestones": [4]},
    "SWALR": {"swa_lr": 0.08, "anneal_epochs": 4},
}


def _newer(sched: Sched) -> Sched:
    """Return ``sched`` (and its children) with the constructor arguments the resumed code passes."""
    kwargs = {**sched.kwargs, **_NEWER_ARGUMENTS.get(sched.name, {})}
    return replace(sched, kwargs=kwargs, children=tuple(map(_newer, sched.children)))


def _tensor_lr_early_save(case: Case) -> Case:
    """Use a tensor lr and save after the first step (before a SequentialLR milestone)."""
    return case.with_(kwargs={**case.kwargs, "lr": TensorLr(0.1)}, steps_before=1)


def _save_after(steps: int) -> Callable[[Case], Case]:
    """Return a variant that saves after ``steps`` steps, at a boundary of the scheduler examples.

    Two and four: StepLR's step_size 2, MultiStepLR's milestones 2 and 4, ConstantLR's total_iters 4,
    ChainedScheduler's ConstantLR at 2, where a scheduler rebuilt with last_epoch applies that epoch's factor
    again; six: CosineAnnealingWarmRestarts past its second restart.
    """
    return lambda case: case.with_(steps_before=steps)


def _rounding_sensitive(case: Case) -> Case:
    """Pick schedule values whose lr, computed another way by a rebuilt scheduler, rounds differently in the last bit.

    CyclicLR: a tensor lr and a base_lr float32 does not hold (0.0026), saved after the first step.
    CosineAnnealingLR: T_max 10 and float64 params, saved after three steps.
    """
    sched = case.scheduler
    if sched is not None and sched.name == "CyclicLR":
        kwargs = {**sched.kwargs, "base_lr": 0.0026, "max_lr": 0.9075, "mode": "triangular2", "gamma": 0.8811}
        return _tensor_lr_early_save(case).with_(scheduler=replace(sched, kwargs=kwargs))
    if sched is not None and sched.name == "CosineAnnealingLR":
        return _float64(case).with_(scheduler=replace(sched, kwargs={**sched.kwargs, "T_max": 10}), steps_before=3)
    return case


def _sequential_inside_chained(case: Case) -> Case:
    """Use a tensor lr, save after the first step, and chain StepLR with a SequentialLR of two StepLRs."""
    step = Sched("StepLR", {"step_size": 1, "gamma": 0.5})
    chained = Sched("ChainedScheduler", {}, (step, Sched("SequentialLR", {"milestones": [2]}, (step, step))))
    return _tensor_lr_early_save(case).with_(scheduler=chained)


def _multistep_inside(case: Case) -> Case:
    """Make the composite's children a StepLR and a MultiStepLR (whose milestones are a Counter)."""
    children = (Sched("StepLR", {"step_size": 2, "gamma": 0.5}), Sched("MultiStepLR", {"milestones": [1, 2]}))
    return case.with_(scheduler=replace(case.scheduler, children=children))


def _weight_decay(case: Case) -> Case:
    """Train with weight_decay=0.1, so coupled and decoupled weight decay differ."""
    return case.with_(kwargs={**case.kwargs, "weight_decay": 0.1})


def _shared_tensor_lr(case: Case) -> Case:
    """Give every group the constructor's one tensor lr (no per-group lr) and per-group schedule values.

    Save after the first step and resume for two (a plateau keeps its steps): a tensor lr shared by the
    groups is written by each group's schedule in turn; the groups of a repaired optimizer do not share it.
    """
    groups = tuple(Group(g.params, {k: v for k, v in g.overrides.items() if k != "lr"}) for g in case.layout.groups)
    scheduler = _per_group(case.scheduler, len(groups))
    if scheduler.name == "ChainedScheduler":  # its children's lrs multiply: one child with per-group lambdas
        fns = [Fn("lambda", 0.9), Fn("lambda", 0.81)][: len(groups)]
        scheduler = replace(scheduler, children=(*scheduler.children, Sched("LambdaLR", {"lr_lambda": fns})))
    steps = {} if case.metrics else {"steps_before": 1, "steps_after": 2}  # a plateau reduces only later
    return case.with_(
        kwargs={**case.kwargs, "lr": TensorLr(0.1)},
        layout=Layout(case.layout.params, groups),
        scheduler=scheduler,
        **steps,
    )


def _per_group(sched: Sched, groups: int) -> Sched:
    """Return ``sched`` (and its children) with per-group schedule values where it takes schedule callables."""
    kwargs = dict(sched.kwargs)
    for key, value in sched.kwargs.items():
        if isinstance(value, Fn):
            kwargs[key] = [value, replace(value, factor=round(value.factor * 0.9, 6))][:groups]
        elif key == "swa_lr":
            kwargs[key] = [value, value / 2][:groups]
    return replace(sched, kwargs=kwargs, children=tuple(_per_group(child, groups) for child in sched.children))


# The variants an expected outcome may pin (its ``example``), by the names compat.catalog.expectations.EXAMPLES
# lists; tests/test_layers.py keeps the two equal.
VARIANTS: dict[str, Callable[[Case], Case]] = {
    "default": lambda case: case,
    "float64": _float64,
    "float64-tensor-lr": _float64_tensor_lr,
    "tensor-lr-early-save": _tensor_lr_early_save,
    "rounding-sensitive": _rounding_sensitive,
    "save-after-two": _save_after(2),
    "save-after-four": _save_after(4),
    "save-after-six": _save_after(6),
    "sequential-inside-chained": _sequential_inside_chained,
    "multistep-inside": _multistep_inside,
    "weight-decay": _weight_decay,
    "shared-tensor-lr": _shared_tensor_lr,
}
