"""The pinned example of every claim: one deterministic case per subject.

A known violation must not depend on Hypothesis's luck, so before drawing, every property
test first runs this case (see the plugin). The layout has what every claim needs: two
same-shaped trained params (to permute), a param that never gets a grad, a float64 param
beside float32 ones, two groups with an lr override, and steps on both sides of the save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from compat import versions
from compat.case import Case, Fn, Group, Layout, Param, SaveLoad, Sched, TensorLr
from compat.claims import Claim
from compat.schedulers import SchedulerSpec
from compat.specs import OptimizerSpec

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
    dtype = "float32" if "float32" in spec.param_dtypes else spec.param_dtypes[0]
    shape = (3, 2) if spec.param_ndim == 2 else (3,)
    members = (
        Param(shape, dtype),
        Param(shape, dtype),
        Param(shape, dtype, "no-grad"),
        Param((2, 2), dtype),
    )
    if spec.mixed_dtypes and "float64" in spec.param_dtypes and dtype != "float64":
        members += (Param((2, 2), "float64"),)
    if spec.single_group:
        groups: tuple[Group, ...] = (Group(tuple(range(len(members)))),)
    else:
        groups = (Group((0, 1, 2)), Group(tuple(range(3, len(members))), {"lr": 0.1}))
    available = spec.flags_on(torch_version, device)
    lr: float | TensorLr = 0.01
    if claim.id == "optimizer.lr.tensor.preserved" and spec.accepts_tensor_lr(torch_version):
        lr = TensorLr(0.01)
    kwargs = {"lr": lr, **spec.example_kwargs}
    fresh = {"lr": 0.5}
    for flag, saved_value, fresh_value in (("foreach", False, True), ("maximize", False, True)):
        if flag in available:
            kwargs[flag] = saved_value
            fresh[flag] = fresh_value
    load_dtype = None
    if claim.id == "optimizer.state.dtype-follows-param":
        load_dtype = next((d for d in spec.param_dtypes if d != dtype), None)
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
    return VARIANTS[variant](case)


def _float64_tensor_lr(case: Case) -> Case:
    """Make every param float64 and the lr a (float32) tensor: state derived from the lr is float32."""
    params = tuple(replace(p, dtype="float64") for p in case.layout.params)
    return case.with_(kwargs={**case.kwargs, "lr": TensorLr(0.01)}, layout=Layout(params, case.layout.groups))


_METRICS = (1.0, 0.9, 0.9, 0.9, 0.95, 0.5, 0.5, 0.5)


def pinned_scheduler_case(spec: SchedulerSpec, claim: Claim) -> Case:
    """Return the scheduler's example on SGD (momentum 0.9) with two groups, 3 steps either side of the save."""
    sched = spec.example
    if claim.id == "answer.scheduler-callable-object-restored":
        sched = replace(sched, kwargs={k: _as_object(v) for k, v in sched.kwargs.items()})
    layout = Layout((Param((3,)), Param((2, 2))), (Group((0,)), Group((1,), {"lr": 0.05})))
    weights_only = claim.id == "scheduler.state_dict.weights_only"
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
    )


def _as_object(value: object) -> object:
    return Fn("object", value.factor) if isinstance(value, Fn) else value


def _tensor_lr_early_save(case: Case) -> Case:
    """Use a tensor lr and save after the first step (before a SequentialLR milestone)."""
    return case.with_(kwargs={**case.kwargs, "lr": TensorLr(0.1)}, steps_before=1)


def _sequential_inside_chained(case: Case) -> Case:
    """Use a tensor lr, save after the first step, and chain StepLR with a SequentialLR of two StepLRs."""
    step = Sched("StepLR", {"step_size": 1, "gamma": 0.5})
    chained = Sched("ChainedScheduler", {}, (step, Sched("SequentialLR", {"milestones": [2]}, (step, step))))
    return _tensor_lr_early_save(case).with_(scheduler=chained)


def _multistep_inside(case: Case) -> Case:
    """Make the composite's children a StepLR and a MultiStepLR (whose milestones are a Counter)."""
    children = (Sched("StepLR", {"step_size": 2, "gamma": 0.5}), Sched("MultiStepLR", {"milestones": [1, 2]}))
    return case.with_(scheduler=replace(case.scheduler, children=children))


VARIANTS: dict[str, Callable[[Case], Case]] = {
    "default": lambda case: case,
    "float64-tensor-lr": _float64_tensor_lr,
    "tensor-lr-early-save": _tensor_lr_early_save,
    "sequential-inside-chained": _sequential_inside_chained,
    "multistep-inside": _multistep_inside,
}
