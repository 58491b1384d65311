"""Hypothesis strategies that draw cases: optimizers, layouts, lrs, save/load options.

Every strategy takes tri-state arguments: None draws, a value pins. Arguments are validated
eagerly, so a wrong call fails where it is written, not deep inside a draw.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import assume
from hypothesis import strategies as st

from compat.catalog import schedulers as scheduler_specs
from compat.catalog import specs, versions
from compat.catalog.case import Case, Fn, Group, Layout, Param, SaveLoad, Sched, TensorLr
from compat.catalog.schedulers import SchedulerSpec
from compat.catalog.space import Choice, Floats, Increasing, Ints, Pair
from compat.catalog.specs import IMPLEMENTATIONS, OptimizerSpec
from compat.run import probe, resumption, scheduler_arguments

TORCH = versions.installed()
WEIGHTS_ONLY_DRAWN = versions.weights_only_reads_floats(TORCH)

LR_LANDMARKS = (1e-3, 0.1, 0.3, 3e-4, 0.01, 1.0, 1e-8, 10.0, 0.7, 2e-5)
SHAPES_ANY = ((3,), (), (2, 3), (0,), (1,), (4, 1, 2), (17,), (2, 0))
SHAPES_2D = ((2, 3), (3, 2), (1, 1), (4, 4), (5, 1))
ROLES = ("trained", "no-grad", "frozen")
MAP_LOCATIONS = ("none", "cpu", "device", "callable")

Builder = TypeVar("Builder", bound=Callable[..., st.SearchStrategy[Any]])


def reused(builder: Builder) -> Builder:
    """Return ``builder`` memoised per (hashable) arguments.

    A draw then reuses one strategy object, built and validated once, instead of building and
    validating a new one for every example.
    """
    return functools.cache(builder)  # type: ignore[return-value]


@functools.cache
def one_of_values(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """Return the strategy of one of ``options``, built once per tuple of options."""
    return st.sampled_from(options)


def space(value: Any) -> st.SearchStrategy[Any]:
    """Return the strategy for one constructor argument's space (a strategy passes through)."""
    if isinstance(value, st.SearchStrategy):
        return value
    return _space(value)


@functools.cache  # built once per space: a draw reuses it instead of building and validating a new one
def _space(value: Any) -> st.SearchStrategy[Any]:
    if isinstance(value, Choice):
        return st.sampled_from(value.options)
    if isinstance(value, Ints):
        return st.integers(value.low, value.high)
    if isinstance(value, Pair):
        return st.tuples(space(value.first), space(value.second))
    if isinstance(value, Increasing):
        return st.lists(st.integers(value.low, value.high), min_size=1, max_size=value.most, unique=True).map(sorted)
    if isinstance(value, Floats):
        if value.log:
            exponents = st.floats(math.log10(value.low), math.log10(value.high))
            return exponents.map(lambda e: float(f"{10**e:.3g}")).filter(lambda x: value.low <= x <= value.high)
        return st.floats(value.low, value.high).map(lambda x: round(x, 4))
    raise TypeError(f"unknown constructor space {value!r}: use Floats, Ints, Choice, Pair or a strategy")


@functools.cache  # built once per kind of lr
def lrs(*, tensor: bool | None = False) -> st.SearchStrategy[float | TensorLr]:
    """Return lrs across 1e-8..10, landmarks with no exact binary form first; optionally tensors."""
    floats = st.one_of(
        st.sampled_from(LR_LANDMARKS),
        st.integers(1, 999).map(lambda k: k / 1000),
        st.floats(1e-8, 10.0, allow_subnormal=False),
    )
    if tensor is False:
        return floats
    tensors = floats.map(TensorLr)
    return tensors if tensor else st.one_of(floats, tensors)


@reused
@st.composite
def hyperparameters(draw: st.DrawFn, spec: OptimizerSpec) -> dict[str, Any]:
    """Return constructor hyperparameters (no flags, no lr) drawn from the space the installed torch takes."""
    return {name: draw(space(value)) for name, value in probe.hyperparameters(spec).items()}


@reused
@st.composite
def flags(
    draw: st.DrawFn,
    spec: OptimizerSpec,
    *,
    device: str = "cpu",
    tensor_lr: bool = False,
    dtypes: tuple[str, ...] = ("float32",),
    foreach: bool | None = None,
    fused: bool | None = None,
    differentiable: bool | None = None,
) -> dict[str, Any]:
    """Return flags valid together (NOTE: [flag rules] in compat.catalog.specs), as the probe measured them.

    The implementation is one the installed torch builds and steps with ``dtypes`` params and
    this kind of lr (a tensor when ``tensor_lr``); a pinned one it refuses is an error quoting torch.
    """
    present = probe.flags(spec, device)
    pins = {"foreach": foreach, "fused": fused, "differentiable": differentiable}
    pinned = [flag for flag, on in pins.items() if on]
    if len(pinned) > 1:
        raise ValueError(f"at most one of foreach, fused, differentiable may be True: {pins}")
    for flag in pinned:
        if flag not in present:
            raise ValueError(probe.flag_verdict(spec, flag, device).because())
    measured = probe.implementations(spec, device, tensor_lr=tensor_lr, dtypes=dtypes)
    wanted = pinned or [None, *(f for f in IMPLEMENTATIONS if pins[f] is None)]
    candidates = [i for i in measured if i in wanted]
    if not candidates:
        lr = "a tensor lr" if tensor_lr else "a float lr"
        raise ValueError(f"torch {TORCH} steps {spec.name} with {lr} and {dtypes} params in none of {wanted}")
    implementation = draw(one_of_values(tuple(candidates)), label="implementation")
    chosen: dict[str, Any] = {}
    for flag in (f for f in IMPLEMENTATIONS if f in present):
        if implementation == flag:
            chosen[flag] = True
        elif pins[flag] is False or flag == "differentiable":
            chosen[flag] = False
        else:
            chosen[flag] = draw(one_of_values((None, False)), label=flag)
    for flag in ("maximize", "capturable"):
        if flag in present:
            chosen[flag] = draw(st.booleans(), label=flag)
    return chosen


@reused
@st.composite
def optimizers(
    draw: st.DrawFn,
    spec: OptimizerSpec,
    *,
    device: str = "cpu",
    tensor_lr: bool | None = None,
    dtypes: tuple[str, ...] = ("float32",),
    **pins: bool | None,
) -> dict[str, Any]:
    """Return constructor kwargs (lr, hyperparameters, flags) for ``spec`` that step ``dtypes`` params.

    ``tensor_lr=None`` draws a tensor lr where the drawn implementation takes one.
    """
    drawn_flags = draw(flags(spec, device=device, tensor_lr=bool(tensor_lr), dtypes=dtypes, **pins))
    kwargs = {**draw(hyperparameters(spec)), **drawn_flags}
    takes_tensor = probe.implementation(kwargs) in probe.implementations(spec, device, tensor_lr=True, dtypes=dtypes)
    kwargs["lr"] = draw(lrs(tensor=tensor_lr if tensor_lr is not None or takes_tensor else False))
    return spec.repaired(kwargs)


@reused
@st.composite
def params(
    draw: st.DrawFn,
    spec: OptimizerSpec,
    *,
    dtypes: tuple[str, ...] = ("float32",),
    role: str | None = None,
    dtype: str | None = None,
) -> Param:
    """Return one parameter whose shape the spec supports, of ``dtype`` or one of ``dtypes``."""
    shapes = SHAPES_2D if spec.param_ndim == 2 else SHAPES_ANY
    if not spec.empty_params:
        shapes = tuple(s for s in shapes if 0 not in s)
    shape = draw(one_of_values(shapes))
    dtype = dtype or draw(one_of_values(dtypes))
    return Param(shape, dtype, role or draw(one_of_values(ROLES)))


@reused
@st.composite
def layouts(
    draw: st.DrawFn,
    spec: OptimizerSpec,
    dtypes: tuple[str, ...],
    *,
    twins: bool = False,
    idle: bool = False,
    min_params: int = 1,
) -> Layout:
    """Return params of ``dtypes`` split into 1 to 3 groups with drawn per-group overrides.

    ``twins`` puts two trained params of one shape and dtype in the first group (to permute them);
    ``idle`` adds a param that never gets a grad. The overrides are as drawn: ``overridden`` makes
    them valid beside the constructor's kwargs.
    """
    members = [draw(params(spec, dtypes=dtypes, role="trained"))]
    dtype = None if spec.mixed_dtypes else members[0].dtype
    if twins:
        members.append(members[0])
    if idle:
        members.append(draw(params(spec, dtypes=dtypes, role=draw(one_of_values(ROLES[1:])), dtype=dtype)))
    extra = draw(st.integers(max(0, min_params - len(members)), 3))
    members += [draw(params(spec, dtypes=dtypes, dtype=dtype)) for _ in range(extra)]
    if spec.single_group:
        return Layout(tuple(members), (Group(tuple(range(len(members)))),))
    count = draw(st.integers(1, min(3, len(members) - (1 if twins else 0))))
    first = 2 if twins else 1
    cuts = (
        sorted(draw(st.sets(st.integers(first, len(members) - 1), min_size=count - 1, max_size=count - 1)))
        if count > 1
        else []
    )
    bounds = [0, *cuts, len(members)]
    groups = tuple(Group(tuple(range(start, end)), draw(overrides(spec))) for start, end in itertools.pairwise(bounds))
    return Layout(tuple(members), groups)


@reused
@st.composite
def overrides(draw: st.DrawFn, spec: OptimizerSpec) -> dict[str, Any]:
    """Return per-group overrides of lr and other hyperparameters (often none), before ``overridden`` repairs them."""
    present = probe.hyperparameters(spec)
    names = draw(st.sets(one_of_values(("lr", *present)), max_size=2))
    return {n: draw(lrs() if n == "lr" else space(present[n])) for n in sorted(names)}


def overridden(spec: OptimizerSpec, kwargs: dict[str, Any], layout: Layout) -> Layout:
    """Return ``layout`` with each group's overrides valid beside ``kwargs``: what the group then differs in."""
    groups = []
    for group in layout.groups:
        merged = spec.repaired({**kwargs, **group.overrides})
        kept = {k: v for k, v in merged.items() if k in group.overrides or v != kwargs.get(k)}
        groups.append(Group(group.params, kept))
    return Layout(layout.params, tuple(groups))


@reused
@st.composite
def save_load_options(
    draw: st.DrawFn,
    *,
    medium: str | None = None,
    weights_only: bool | None = None,
    map_location: str | None = None,
    mmap: bool | None = None,
    legacy_format: bool | None = None,
) -> SaveLoad:
    """Return torch.save / torch.load options: file or buffer, weights_only, map_location, mmap, legacy."""
    refused = probe.mmap_refused(TORCH)
    mmap_possible = refused is None and medium in (None, "file") and not legacy_format
    if mmap and not mmap_possible:
        raise ValueError(f"mmap needs a file in the zip format and a torch that maps it ({refused or 'it does'})")
    use_mmap = mmap if mmap is not None else (mmap_possible and draw(st.booleans()))
    legacy = legacy_format if legacy_format is not None else (not use_mmap and draw(st.booleans()))
    return SaveLoad(
        medium="file" if use_mmap else (medium or draw(one_of_values(("file", "buffer")))),
        weights_only=weights_only if weights_only is not None else (WEIGHTS_ONLY_DRAWN and draw(st.booleans())),
        map_location=map_location or draw(one_of_values(MAP_LOCATIONS)),
        mmap=use_mmap,
        legacy_format=legacy,
    )


@reused
@st.composite
def cases(
    draw: st.DrawFn,
    spec: OptimizerSpec,
    *,
    tensor_lr: bool | None = None,
    twins: bool = False,
    idle: bool = False,
    min_params: int = 1,
    min_steps_before: int = 0,
    min_steps_after: int = 1,
    load_dtype: bool = False,
    save_load: st.SearchStrategy[SaveLoad] | None = None,
    device: str = "cpu",
    load_device: str | None = None,
) -> Case:
    """Return one round-trip case for ``spec``: kwargs, fresh kwargs, layout, steps, options."""
    kwargs = draw(optimizers(spec, device=device, tensor_lr=tensor_lr))
    drawn = draw(layouts(spec, probe.dtypes(spec, kwargs, device), twins=twins, idle=idle, min_params=min_params))
    layout = overridden(spec, kwargs, drawn)
    # The fresh optimizer keeps the original's differentiable flag (the params were built for it, see
    # engine.parameters) and steps the layout's params, cast to the load dtype if there is one.
    same = {"differentiable": kwargs["differentiable"]} if "differentiable" in kwargs else {}
    dtype = None
    if load_dtype:
        others = [d for d in probe.dtypes(spec, same, load_device or device) if d != layout.params[0].dtype]
        dtype = draw(one_of_values(tuple(others)), label="load dtype")
    stepped = tuple(sorted({dtype} if dtype else {p.dtype for p in layout.params}))
    fresh = draw(optimizers(spec, device=load_device or device, tensor_lr=False, dtypes=stepped, **same))
    if fresh["lr"] == _value(kwargs["lr"]):
        fresh["lr"] = fresh["lr"] * 2
    return Case(
        subject=spec.target,
        kwargs=kwargs,
        fresh_kwargs=fresh,
        layout=layout,
        steps_before=draw(st.integers(min_steps_before, 3)),
        steps_after=draw(st.integers(min_steps_after, 3)),
        seed=draw(st.integers(0, 2**16)),
        save_load=draw(save_load if save_load is not None else save_load_options()),
        device=device,
        load_device=load_device or device,
        load_dtype=dtype,
    )


def _value(lr: float | TensorLr) -> float:
    return lr.value if isinstance(lr, TensorLr) else lr


SCHEDULED_OPTIMIZERS = ("torch.optim.SGD", "torch.optim.Adam", "torch.optim.AdamW", "torch.optim.RMSprop")
CYCLES_BETAS_SINCE = "2.3"  # CyclicLR's cycle_momentum drives Adam's beta1 from 2.3; before, it needs momentum


def without_cycle_momentum(sched: Sched) -> Sched:
    """Return ``sched`` with cycle_momentum off in every CyclicLR it holds."""
    kwargs = {**sched.kwargs, "cycle_momentum": False} if sched.name == "CyclicLR" else sched.kwargs
    return Sched(sched.name, kwargs, tuple(without_cycle_momentum(child) for child in sched.children))


METRICS = (1.0, 0.9, 0.95, 1.1, 0.5, 0.99)


FN_KINDS = ("lambda", "function", "object")
FORMS = ("lambda", "closure", "function", "object", "partial", "method")  # every Fn kind
MODULE_FACTOR = (
    0.95  # one module constant per program: NOTE: [module-level function] in compat.catalog.schedule_functions
)


@reused
@st.composite
def fns(draw: st.DrawFn, kinds: tuple[str, ...] = FN_KINDS) -> Fn:
    """Return a schedule callable of one of ``kinds``; module-level functions all read ``MODULE_FACTOR``."""
    kind = draw(one_of_values(kinds))
    factor = draw(space(Floats(0.8, 0.99)))
    return Fn(kind, MODULE_FACTOR if kind == "function" else factor)


@reused
@st.composite
def schedulers(
    draw: st.DrawFn,
    spec: SchedulerSpec,
    *,
    groups: int,
    horizon: int,
    depth: int = 0,
    fn_kinds: tuple[str, ...] = FN_KINDS,
) -> Sched:
    """Return a scheduler valid for ``groups`` param groups and ``horizon`` steps (composites recurse once)."""
    kwargs: dict[str, Any] = {}
    for name, value in spec.space.items():
        per_group = name in spec.per_group and groups > 1 and draw(st.booleans())
        kwargs[name] = [draw(space(value)) for _ in range(groups)] if per_group else draw(space(value))
    if spec.kind == "lambda":
        kinds = fns(fn_kinds)
        kwargs["lr_lambda"] = [draw(kinds) for _ in range(groups)] if draw(st.booleans()) else draw(kinds)
    if spec.horizon:
        kwargs[spec.horizon] = draw(st.integers(horizon + 1, horizon + 4))
    if spec.name == "OneCycleLR":
        # A phase of zero steps divides by zero in get_lr (seen on 2.1): give each phase a step.
        kwargs["total_steps"] = max(kwargs["total_steps"], 4)
        kwargs["pct_start"] = max(kwargs["pct_start"], 2 / kwargs["total_steps"])
    if spec.kind != "composite":
        return Sched(spec.name, kwargs)
    pool = scheduler_specs.children()
    if depth == 0 and spec.name == "ChainedScheduler":
        # SequentialLR steps a child with an epoch at each milestone, which a composite child refuses
        # (NotImplementedError), so composites nest only inside ChainedScheduler.
        pool += [s for s in scheduler_specs.specs().values() if s.kind == "composite" and not s.absent_because(TORCH)]
    count = draw(st.integers(1, 3))
    pool_strategy = one_of_values(tuple(pool))
    children = tuple(
        draw(schedulers(draw(pool_strategy), groups=groups, horizon=horizon, depth=depth + 1, fn_kinds=fn_kinds))
        for _ in range(count)
    )
    if spec.name == "SequentialLR":
        kwargs["milestones"] = sorted(
            draw(st.lists(st.integers(1, max(horizon, count)), min_size=count - 1, max_size=count - 1, unique=True))
        )
    return Sched(spec.name, kwargs, children)


@reused
@st.composite
def scheduler_cases(
    draw: st.DrawFn,
    spec: SchedulerSpec,
    *,
    save_load: st.SearchStrategy[SaveLoad] | None = None,
    fn_kinds: tuple[str, ...] = FN_KINDS,
) -> Case:
    """Return a round-trip case for scheduler ``spec`` on a drawn optimizer, layout and metric sequence.

    The checkpoint loads with ``weights_only=False`` unless ``save_load`` says otherwise: only the
    weights_only claim is about the unpickler, the others about what the state holds.
    """
    optimizer = specs.get(draw(one_of_values(SCHEDULED_OPTIMIZERS)))
    options = save_load if save_load is not None else save_load_options(weights_only=False)
    case = draw(cases(optimizer, save_load=options, min_steps_before=1))
    horizon = case.steps_before + case.steps_after
    sched = draw(schedulers(spec, groups=len(case.layout.groups), horizon=horizon, fn_kinds=fn_kinds))
    if "momentum" not in optimizer.hyperparameters and not versions.at_least(TORCH, CYCLES_BETAS_SINCE):
        sched = without_cycle_momentum(sched)
    metrics = tuple(draw(st.lists(one_of_values(METRICS), min_size=horizon, max_size=horizon)))
    return case.with_(scheduler=sched, metrics=metrics if spec.kind == "plateau" else ())


SCALE_MODES = ("cycle", "iterations")


@reused
@st.composite
def callable_cases(
    draw: st.DrawFn,
    spec: SchedulerSpec,
    kinds: tuple[str, ...] = FORMS,
    *,
    save_load: st.SearchStrategy[SaveLoad] | None = None,
) -> Case:
    """Return a case whose schedule callables are of ``kinds``.

    They are the lr_lambda of LambdaLR or MultiplicativeLR, or a CyclicLR scale_fn with its scale_mode.
    """
    if spec.kind != "lambda" and spec.name != "CyclicLR":
        raise ValueError(f"{spec.name} takes no schedule callable; LambdaLR, MultiplicativeLR and CyclicLR do")
    case = draw(scheduler_cases(spec, save_load=save_load, fn_kinds=kinds), label="case")
    if spec.kind == "lambda":
        return case
    extra = {
        "scale_fn": draw(fns(kinds), label="scale_fn"),
        "scale_mode": draw(one_of_values(SCALE_MODES), label="scale_mode"),
    }
    return case.with_(scheduler=Sched(case.scheduler.name, {**case.scheduler.kwargs, **extra}))


def _other_values(spec: SchedulerSpec, sched: Sched, name: str, groups: int, horizon: int) -> Any:
    """Return the strategy of a value for ``name`` other than ``sched``'s and valid beside its others, or None."""
    old = sched.kwargs[name]
    if name == spec.horizon:
        return st.integers(old + 1, old + 4)  # the run is extended: total_steps only grows
    if spec.name == "SequentialLR" and name == "milestones":
        count = len(sched.children)
        if count < 2:
            return None
        points = st.integers(1, max(horizon, count))
        return (
            st.lists(points, min_size=count - 1, max_size=count - 1, unique=True).map(sorted).filter(lambda v: v != old)
        )
    if name not in spec.space or name == "cycle_momentum":
        # Turning cycle_momentum on mid-run gives RMSprop a momentum its loaded state has no buffer for
        # (KeyError in step()): that change cannot be in force, so it is not drawn.
        return None
    value = spec.space[name]
    if spec.name == "OneCycleLR" and name == "pct_start":
        low = max(value.low, 2 / sched.kwargs["total_steps"])  # a step in each phase, as schedulers() draws
        if low >= value.high:
            return None
        value = Floats(low, value.high)
    one = space(value)
    if name in spec.per_group and groups > 1:
        one = st.one_of(one, st.lists(one, min_size=groups, max_size=groups))
    return one.filter(lambda v: v != old)


def _changeable(sched: Sched, groups: int, horizon: int, children: tuple[int, ...] = ()) -> list[Any]:
    """Return (children, name, saved value, strategy of another) per argument of ``sched`` new code could change."""
    spec = scheduler_specs.get(sched.name)
    found = []
    for name in sched.kwargs:
        other = _other_values(spec, sched, name, groups, horizon)
        if other is not None:
            found.append((children, name, sched.kwargs[name], other))
    for index, child in enumerate(sched.children):
        found += _changeable(child, groups, horizon, (*children, index))
    return found


@st.composite
def newer_schedulers(draw: st.DrawFn, sched: Sched, *, groups: int, horizon: int) -> Sched:
    """Return ``sched`` with one or more constructor arguments changed, as the code resuming a run might pass.

    Each new value is valid beside the saved ones, so every change can also be checked alone.
    """
    options = _changeable(sched, groups, horizon)
    assume(options)
    chosen = draw(st.sets(st.sampled_from(range(len(options))), min_size=1), label="changed arguments")
    newer = sched
    for index in sorted(chosen):
        children, name, saved, other = options[index]
        changed = scheduler_arguments.Argument(children, name, saved, draw(other, label=f"new {name}"))
        newer = scheduler_arguments.with_argument(newer, changed)
    return newer


@reused
@st.composite
def rescheduled_cases(draw: st.DrawFn, spec: SchedulerSpec) -> Case:
    """Return a scheduler case whose resumed code builds the scheduler with other arguments (``fresh_scheduler``)."""
    case = draw(scheduler_cases(spec), label="case")
    horizon = case.steps_before + case.steps_after
    newer = draw(newer_schedulers(case.scheduler, groups=len(case.layout.groups), horizon=horizon), label="newer")
    if "momentum" not in specs.get(case.subject).hyperparameters and not versions.at_least(TORCH, CYCLES_BETAS_SINCE):
        newer = without_cycle_momentum(newer)
    return case.with_(fresh_scheduler=newer)


# Cases under conditions the plain round trip keeps fixed (compat.run.resumption).

DEFAULT_DTYPES = ("float32", "float64")


@reused
@st.composite
def device_flag_sets(draw: st.DrawFn, spec: OptimizerSpec) -> dict[str, bool]:
    """Return flags a CUDA run of ``spec`` writes into its groups: foreach, fused, capturable, alone or together."""
    combinations = tuple(tuple(c.items()) for c in resumption.flag_combinations(spec))
    return dict(draw(one_of_values(combinations), label="written flags"))


@reused
@st.composite
def device_flag_cases(draw: st.DrawFn, spec: OptimizerSpec) -> Case:
    """Return a case whose saved param groups get the flags a CUDA run writes (``Case.written_flags``).

    The saving run passes none of the device flags (nor differentiable), so its groups hold the
    defaults, as a CUDA run's groups do for the flags it did not pass.
    """
    case = draw(cases(spec, tensor_lr=False), label="case")
    passed = (*resumption.DEVICE_FLAGS, "differentiable")
    kwargs = {k: v for k, v in case.kwargs.items() if k not in passed}
    assume({p.dtype for p in case.layout.params} <= set(probe.dtypes(spec, kwargs)))
    fresh = {k: v for k, v in case.fresh_kwargs.items() if k != "differentiable"}
    return case.with_(kwargs=kwargs, fresh_kwargs=fresh, written_flags=draw(device_flag_sets(spec)))


@reused
@st.composite
def default_flag_cases(draw: st.DrawFn, spec: OptimizerSpec) -> Case:
    """Return a case whose saved param groups get the flags a CUDA run that passes none writes (the defaults)."""
    case = draw(device_flag_cases(spec), label="case")
    return case.with_(written_flags=resumption.default_flags(spec))


@reused
@st.composite
def default_dtype_cases(draw: st.DrawFn, spec: OptimizerSpec, *, default: str | None = None) -> Case:
    """Return a case run under a default dtype (``Case.default_dtype``): float32 or float64.

    A combination torch refuses to train under that default (measured once) is not drawn.
    """
    chosen = default or draw(one_of_values(DEFAULT_DTYPES), label="default dtype")
    case = draw(cases(spec, tensor_lr=False), label="case")
    assume(not resumption.refusal_under_default(spec, case.kwargs, {p.dtype for p in case.layout.params}, chosen))
    return case.with_(default_dtype=chosen)


@reused
@st.composite
def lr_type_cases(draw: st.DrawFn, spec: OptimizerSpec, *, checkpoint_tensor: bool | None = None) -> Case:
    """Return a case whose fresh optimizer gets the other kind of lr than the checkpoint: float <-> tensor.

    The fresh optimizer keeps the checkpoint's differentiable flag, as ``cases`` does: step() reads it
    from the constructor's defaults, which load_state_dict leaves as they were.
    """
    tensor = draw(st.booleans(), label="checkpoint lr is a tensor") if checkpoint_tensor is None else checkpoint_tensor
    case = draw(cases(spec, tensor_lr=tensor), label="case")
    if tensor:
        return case
    same = {"differentiable": case.kwargs["differentiable"]} if "differentiable" in case.kwargs else {}
    assume(not same.get("differentiable") or "differentiable" in probe.implementations(spec, tensor_lr=True))
    return case.with_(fresh_kwargs=draw(optimizers(spec, tensor_lr=True, **same), label="fresh kwargs"))
