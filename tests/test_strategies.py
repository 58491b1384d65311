"""The strategies draw only valid cases, for every subject present, and pin what they are told."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compat.catalog import schedule_functions, specs, versions
from compat.catalog import schedulers as schedulers_registry
from compat.catalog.case import TensorLr
from compat.run import engine, probe, scheduler_arguments, scheduling
from props.strategies import (
    FORMS,
    callable_cases,
    cases,
    flags,
    layouts,
    lrs,
    optimizers,
    rescheduled_cases,
    save_load_options,
    scheduler_cases,
    schedulers,
)

TORCH = versions.installed()
PRESENT = [spec for spec in specs.specs().values() if not spec.absent_because(TORCH)]
FEW = settings(max_examples=15, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize("spec", PRESENT, ids=lambda s: s.name)
@FEW
@given(data=st.data())
def test_every_drawn_case_builds_both_optimizers_and_steps(spec, data):
    case = data.draw(cases(spec), label="case")
    params = engine.parameters(case)
    opt = engine.optimizer(case, params, case.kwargs)
    engine.train(case, opt, params, 0, 1)
    fresh = engine.optimizer(case, engine.parameters(case), case.fresh_kwargs, overrides=False)
    assert len(fresh.param_groups) == len(case.layout.groups)


@pytest.mark.parametrize("spec", PRESENT, ids=lambda s: s.name)
@FEW
@given(data=st.data())
def test_at_most_one_implementation_flag_is_on(spec, data):
    drawn = data.draw(flags(spec), label="flags")
    assert sum(bool(drawn.get(f)) for f in ("foreach", "fused", "differentiable")) <= 1
    assert set(drawn) <= set(probe.flags(spec))


@FEW
@given(data=st.data())
def test_sgd_nesterov_is_drawn_only_with_momentum_and_no_dampening(data):
    kwargs = data.draw(optimizers(specs.get("SGD")), label="kwargs")
    if kwargs["nesterov"]:
        assert kwargs["momentum"] > 0
        assert kwargs["dampening"] == 0


@FEW
@given(lr=lrs(tensor=None))
def test_lrs_stay_in_range(lr):
    value = lr.value if isinstance(lr, TensorLr) else lr
    assert 1e-8 <= value <= 10


@FEW
@given(data=st.data())
def test_a_pinned_tensor_lr_is_drawn_as_a_tensor(data):
    spec = specs.get("Adam")
    kwargs = data.draw(optimizers(spec, tensor_lr=True), label="kwargs")
    assert isinstance(kwargs["lr"], TensorLr)
    assert probe.verdict(spec, kwargs, tensor_lr=True).accepted


@FEW
@given(data=st.data())
def test_layouts_partition_the_params_and_honour_twins_and_idle(data):
    spec = specs.get("Adam")
    layout = data.draw(layouts(spec, probe.dtypes(spec), twins=True, idle=True), label="layout")
    assert layout.params[0] == layout.params[1]
    assert any(p.role != "trained" for p in layout.params)
    assert 1 <= len(layout.groups) <= 3


@pytest.mark.parametrize("spec", [s for s in PRESENT if not s.mixed_dtypes or not s.empty_params], ids=lambda s: s.name)
@FEW
@given(data=st.data())
def test_restricted_specs_get_one_dtype_and_no_empty_params(spec, data):
    layout = data.draw(layouts(spec, probe.dtypes(spec), min_params=3), label="layout")
    if not spec.mixed_dtypes:
        assert len({p.dtype for p in layout.params}) == 1
    if not spec.empty_params:
        assert all(0 not in p.shape for p in layout.params)


@FEW
@given(options=save_load_options())
def test_mmap_is_drawn_only_for_zip_files(options):
    if options.mmap:
        assert options.medium == "file"
        assert not options.legacy_format


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_pinning_an_impossible_combination_is_an_error_at_the_first_draw():
    with pytest.raises(ValueError, match="mmap needs"):
        save_load_options(mmap=True, legacy_format=True).example()
    with pytest.raises(ValueError, match=r"refuses SparseAdam\(foreach=True\) on float32 cpu params: TypeError"):
        flags(specs.get("SparseAdam"), foreach=True).example()


SCHEDULERS = [spec for spec in schedulers_registry.specs().values() if not spec.absent_because(TORCH)]


@pytest.mark.parametrize("spec", SCHEDULERS, ids=lambda s: s.name)
@FEW
@given(data=st.data())
def test_every_drawn_scheduler_case_builds_and_steps_to_the_end(spec, data):
    case = data.draw(scheduler_cases(spec), label="case")
    run = scheduling.uninterrupted(case)
    assert len(run.trajectory) == case.steps_after + 1  # each resumed step, then the step after the run
    assert all(len(used) == len(case.layout.groups) for used in run.trajectory)


@FEW
@given(data=st.data())
def test_sequential_lr_gets_one_milestone_fewer_than_children(data):
    sched = data.draw(schedulers(schedulers_registry.get("SequentialLR"), groups=2, horizon=5), label="sched")
    assert len(sched.kwargs["milestones"]) == len(sched.children) - 1
    assert all(child.name not in ("SequentialLR", "ChainedScheduler") for child in sched.children)


REARGUED = [spec for spec in SCHEDULERS if spec.kind != "lambda"]


@pytest.mark.parametrize("spec", REARGUED, ids=lambda s: s.name)
@settings(FEW, max_examples=4)
@given(data=st.data())
def test_every_newer_scheduler_changes_arguments_each_valid_alone(spec, data):
    case = data.draw(rescheduled_cases(spec), label="case")
    changed = scheduler_arguments.changed(case.scheduler, case.fresh_scheduler)
    assert changed
    try:
        checkpoint = scheduling.saved(case).loaded
    except engine.TorchRefused as refused:  # 1.13 cannot pickle CyclicLR's WeakMethod: the matrix records that
        pytest.skip(f"torch {versions.installed()} refuses {spec.name}'s checkpoint: {refused}")
    for argument in changed:
        sched = scheduler_arguments.with_argument(case.scheduler, argument)
        scheduler_arguments.resumed(case, scheduler_arguments.in_force(case, checkpoint, sched), sched)


TAKE_CALLABLES = [spec for spec in SCHEDULERS if spec.kind == "lambda" or spec.name == "CyclicLR"]


@pytest.mark.parametrize("spec", TAKE_CALLABLES, ids=lambda s: s.name)
@FEW
@given(data=st.data())
def test_every_callable_case_carries_only_the_forms_asked_for_and_runs(spec, data):
    kinds = tuple(data.draw(st.lists(st.sampled_from(FORMS), min_size=1, unique=True), label="kinds"))
    case = data.draw(callable_cases(spec, kinds), label="case")
    drawn = schedule_functions.fns_in(case.scheduler)
    assert drawn and {fn.kind for fn in drawn} <= set(kinds)
    assert len({fn.factor for fn in drawn if fn.kind == "function"}) <= 1  # one module constant
    scheduling.uninterrupted(case)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_callable_cases_refuse_a_scheduler_without_a_schedule_callable():
    with pytest.raises(ValueError, match="StepLR takes no schedule callable"):
        callable_cases(schedulers_registry.get("StepLR")).example()
