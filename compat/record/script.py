"""Write a case as a short, straight-line, plain-torch reproducer (no import of this project).

The script does what the engine does for the case and nothing else: the params of the example as
literal tensors, the optimizer with the arguments that differ from the constructor's defaults, the
steps on the same seeded loss, the save and load with the case's options, the fresh objects, then
the claim's check (``Claim.check``, beside the claim in ``compat/catalog/claims/<category>.py``), which
fills ``problems``. It prints the torch version, the values that differ and ``VIOLATED: <claim id>``,
and exits 1 while the violation is present.
A helper (the differ, the scheduler's lr reading, the schedule callables) is written only when the
check uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from compat.catalog import schedule_functions, schedulers, specs
from compat.catalog.case import Case, Sched, TensorLr
from compat.catalog.claims import Claim
from compat.catalog.sources import (
    SCHEDULE_FUNCTIONS,
    USED_CYCLED,
    defaults,
    is_default,
    literal,
    scheduler_source,
)
from compat.record.check_source import data_lines, function_source, helper_sources, local_sources, names_in
from compat.record.steps import params_source, save_load_source, train_source
from compat.run import runs, scheduling


@dataclass
class Writer:
    """A reproducer being written for one case: the sections a check asks for, in script order."""

    case: Case
    imports: set[str] = field(default_factory=lambda: {"sys"})
    helpers: list[str] = field(default_factory=list)
    newer_used: bool = False

    @property
    def spec(self) -> specs.OptimizerSpec:
        """Return the case's optimizer spec."""
        return specs.get(self.case.subject)

    @property
    def n(self) -> int:
        """Return the number of steps before the save."""
        return self.case.steps_before

    @property
    def m(self) -> int:
        """Return the number of steps after the load."""
        return self.case.steps_after

    def arguments(self, kwargs: dict[str, Any], device: str, target: str | None = None) -> str:
        """Return ``, key=value`` for every argument in ``kwargs`` that differs from the constructor's default."""
        given = defaults(target or self.spec.target)
        kept = {k: v for k, v in kwargs.items() if k == "lr" or k not in given or not is_default(v, given[k])}
        return "".join(f", {k}={self.value(v, device)}" for k, v in kept.items())

    def value(self, value: Any, device: str) -> str:
        """Return ``value`` as source (a tensor lr on ``device``)."""
        if isinstance(value, TensorLr) and device != "cpu":
            return f"torch.tensor({value.value!r}, device={device!r})"
        return literal(value)

    def groups(self, params: str, overrides: bool, groups: list[list[int]] | None = None) -> str:
        """Return the param-group argument over ``params`` (a plain list when one group holds them in order)."""
        layout = [list(g.params) for g in self.case.layout.groups] if groups is None else groups
        extras = [g.overrides if overrides else {} for g in self.case.layout.groups]
        keys = dict(self.spec.group_keys)
        count = len(self.case.layout.params)
        if len(layout) == 1 and layout[0] == list(range(count)) and not extras[0] and not keys:
            return params
        device = self.case.device
        entries = []
        for indices, extra in zip(layout, extras, strict=False):
            if indices and indices == list(range(indices[0], indices[-1] + 1)):
                chosen = f"{params}[{indices[0]}:{indices[-1] + 1}]"
            else:
                chosen = "[" + ", ".join(f"{params}[{i}]" for i in indices) + "]"
            more = "".join(f", {k!r}: {self.value(v, device)}" for k, v in {**keys, **extra}.items())
            entries.append(f'{{"params": {chosen}{more}}}')
        return "[" + ", ".join(entries) + "]"

    def old(self, params: str, groups: list[list[int]] | None = None) -> str:
        """Return the expression building the saving run's optimizer over ``params``."""
        case = self.case
        args = self.arguments(case.kwargs, case.device)
        return f"{self.spec.target}({self.groups(params, True, groups)}{args})"

    def new(self, params: str, groups: list[list[int]] | None = None) -> str:
        """Return the expression building the resumed code's optimizer over ``params`` (its own arguments)."""
        case = self.case
        args = self.arguments(case.fresh_kwargs, case.load_device)
        return f"{self.spec.target}({self.groups(params, False, groups)}{args})"

    def sched(self, opt: str, last_epoch: str = "") -> str:
        """Return the expression building the saving run's scheduler on ``opt``."""
        assert self.case.scheduler is not None
        return scheduler_source(self.case.scheduler, opt, last_epoch)

    def newer(self) -> Sched:
        """Return the scheduler the resumed code builds where its arguments or callables differ."""
        assert self.case.scheduler is not None
        self.newer_used = True
        return self.case.fresh_scheduler or schedule_functions.with_other_factors(self.case.scheduler)

    def fresh_params(self, source: str = "params") -> str:
        """Return the expression copying ``source`` as the resumed run's params (the case's load device and dtype).

        Each copy requires grad as the example's param does (none under differentiable=True).
        """
        case = self.case
        moved = []
        if case.load_dtype:
            moved.append(f"torch.{case.load_dtype}")
        if case.load_device != case.device:
            moved.append(repr(case.load_device))
        to = f".to({', '.join(moved)})" if moved else ""
        differentiable = bool(case.kwargs.get("differentiable"))
        grads = tuple(p.role != "frozen" and not differentiable for p in case.layout.params)
        if all(grads):
            return f"[p.detach().clone(){to}.requires_grad_() for p in {source}]"
        if not any(grads):
            return f"[p.detach().clone(){to} for p in {source}]"
        return f"[p.detach().clone(){to}.requires_grad_(grad) for p, grad in zip({source}, {grads!r})]"

    def resume(self, order: str, sched: Sched | None = None) -> str:
        """Return the lines building ``fresh`` and ``fresh_sched`` from ``loaded`` in ``order`` (compat.run.scheduling)."""
        source = sched or self.case.scheduler
        assert source is not None
        build = f"fresh_sched = {scheduler_source(source, 'fresh')}"
        optimizer = 'fresh.load_state_dict(loaded["optimizer"])'
        scheduler = 'fresh_sched.load_state_dict(loaded["scheduler"])'

        def rebuilt(convention: scheduling.Order) -> str:
            last_epoch = scheduling.passed_last_epoch(self.case, convention)
            return f"fresh_sched = {scheduler_source(source, 'fresh', str(last_epoch))}"

        steps = {
            "scheduler-first": [build, optimizer, scheduler],
            "built-after-load": [optimizer, build, scheduler],
            "optimizer-only": [optimizer, build],
            "scheduler-only": [build, scheduler],
            "last-epoch": [
                optimizer,
                f"# last_epoch: the index of the last epoch, as documented ({self.n} steps taken: {self.n - 1})",
                rebuilt("last-epoch"),
            ],
            "last-epoch-count": [
                optimizer,
                f"# last_epoch: the number of steps taken ({self.n}), where torch documents the index of the last epoch",
                rebuilt("last-epoch-count"),
            ],
            "repaired": [
                optimizer,
                build,
                scheduler,
                "for g, lr in zip(fresh.param_groups, fresh_sched._last_lr):  # the usual repair (_last_lr: get_last_lr())",
                '    g["lr"] = lr',
            ],
        }[order]
        return (
            "\n".join([f"fresh_params = {self.fresh_params()}", f"fresh = {self.new('fresh_params')}", *steps]) + "\n"
        )

    def use(self, helper: str) -> None:
        """Write ``helper`` (a definition) once, before the script's body."""
        if helper not in self.helpers:
            self.helpers.append(helper)


EPILOGUE = """\
print("VIOLATED: {claim}" if problems else "holds: {claim}", *problems[:8], sep="\\n  ")
sys.exit(1 if problems else 0)
"""


def _uses(text: str, name: str) -> bool:
    """Return whether the code ``text`` names ``name`` (in strings and comments it does not count)."""
    return name in names_in(text)


def _header(case: Case, claim: str, note: str = "") -> str:
    spec = specs.get(case.subject)
    subject = spec.target
    if case.scheduler is not None:
        subject = f"{schedulers.get(case.scheduler.name).target} on {spec.target}"
    if specs.from_torch(spec.target):
        needs, violator = "plain torch", "torch"
    else:
        needs, violator = f"torch and {spec.target.partition('.')[0]}", f"{spec.target} on the installed torch"
    return f"# {claim} on {subject} ({needs}): prints VIOLATED and exits 1 while {violator} violates it.{note}\n"


def _imports(w: Writer, body: str) -> str:
    for module in ("io", "os", "tempfile", "copy", "math", "inspect"):
        if re.search(rf"(?<![\w.]){module}\.", body):
            w.imports.add(module)
    lines = f"import {', '.join([*sorted(w.imports), 'torch'])}\n"
    if _uses(body, "deque"):
        lines += "from collections import deque\n"
    if not specs.from_torch(w.spec.target):
        lines += f"import {w.spec.target.rpartition('.')[0]}\n"
    return lines


def _conditions(case: Case) -> str:
    if case.default_dtype:
        return f"torch.set_default_dtype(torch.{case.default_dtype})  # the whole run is under this default\n"
    return ""


def _schedule_definitions(w: Writer) -> str:
    scheds = [w.case.scheduler] if w.case.scheduler else []
    if w.newer_used:
        scheds.append(w.newer())
    kinds = {fn.kind for sched in scheds for fn in schedule_functions.fns_in(sched)}
    return "".join(
        SCHEDULE_FUNCTIONS[k] + "\n" for k in schedule_functions.KINDS if k in kinds and k in SCHEDULE_FUNCTIONS
    )


def _assembled(w: Writer, claim: str, body: str, *, note: str = "", top: str = "") -> str:
    """Return the whole script: header, imports, the definitions ``body`` uses (train first), then ``body``."""
    case = w.case
    scheduled = case.scheduler is not None
    if scheduled and scheduling.cycled(case.scheduler):
        w.use(USED_CYCLED)
    definitions = _schedule_definitions(w) + "\n".join([train_source(case, scheduled), *w.helpers])
    head = _header(case, claim, note) + _imports(w, body + definitions) + 'print("torch", torch.__version__)\n' + top
    return head + definitions + "\n" + body


def _builders(w: Writer, needs: set[str]) -> str:
    """Return the definitions of ``build``, ``build_saving`` and ``moved`` that the check takes."""
    case, spec = w.case, w.spec
    layout = [list(g.params) for g in case.layout.groups]
    keys = "".join(f", {k!r}: {w.value(v, case.device)}" for k, v in spec.group_keys.items())
    lines = ""
    if "build" in needs:
        args = w.arguments(case.fresh_kwargs, case.load_device)
        lines += (
            "def build(params, groups=None):  # the optimizer the resumed code builds: its own arguments\n"
            f"    groups = {layout!r} if groups is None else groups\n"
            f'    return {spec.target}([{{"params": [params[i] for i in g]{keys}}} for g in groups]{args})\n'
        )
    if "build_saving" in needs:
        overrides = "[" + ", ".join(literal(dict(g.overrides)) for g in case.layout.groups) + "]"
        args = w.arguments(case.kwargs, case.device)
        lines += (
            "def build_saving(params, groups=None):  # the optimizer the saving code builds, group overrides included\n"
            f"    groups, overrides = {layout!r} if groups is None else groups, {overrides}\n"
            f'    entries = [{{"params": [params[i] for i in g]{keys}}} for g in groups]\n'
            "    for entry, extra in zip(entries, overrides):\n"
            "        entry.update(extra)\n"
            f"    return {spec.target}(entries{args})\n"
        )
    if "build_sched" in needs:
        lines += f"def build_sched(opt):  # the scheduler the code builds\n    return {w.sched('opt')}\n"
    if "build_newer_sched" in needs:
        newer = scheduler_source(w.newer(), "opt")
        lines += "def build_newer_sched(opt):  # the scheduler newer code builds: other arguments or callables\n"
        lines += f"    return {newer}\n"
    if "moved" in needs:
        lines += (
            "def moved(params):  # copies of params as the resumed run holds them\n"
            f"    return {w.fresh_params('params')}\n"
        )
    return lines


def function_script(case: Case, claim: Claim, owns_refusal: bool = False) -> str:
    """Return the reproducer of ``claim`` on ``case``: the runs its check takes, the check's own source, its call."""
    w = Writer(case)
    function = runs.check_function(claim)
    setup = runs.data_function(claim)
    data = setup(case) if setup else {}
    names = runs.parameters(function)
    needs = {name for name in names if name in runs.LIVE}
    values = [name for name in names if name not in runs.LIVE and name not in ("m", "n", "order")]
    scheduled = case.scheduler is not None
    resumed = needs & {"fresh", "fresh_sched"}
    uninterrupted = needs & {"straight", "straight_params", "expected"}
    body = params_source(case)
    if "initial" in needs:
        body += "initial = [p.detach().clone() for p in params]  # the params as they were before training\n"
    if uninterrupted:
        body += "straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]\n"
    if needs & {"opt", "sched", "params", "loaded", "fresh_params"} or resumed or scheduled:
        body += f"opt = {w.old('params')}\n"
        if scheduled:
            body += f"sched = {w.sched('opt')}\n"
            body += f"train(opt, sched, params, {w.n})\n" if w.n else ""
        elif w.n:
            body += f"train(opt, params, {w.n})\n"
    if needs & {"loaded", "fresh_params"} or resumed:
        what = "dict(optimizer=opt.state_dict(), scheduler=sched.state_dict())" if scheduled else "opt.state_dict()"
        refused = owns_refusal or (scheduled and scheduling.save_refusal(case) is not None)
        body += save_load_source(case, what, claim.id, refused)
    if scheduled and resumed:
        order = claim.order or "scheduler-first"
        body += w.resume(order)  # type: ignore[arg-type]
    elif "fresh_params" in needs or resumed:
        body += f"fresh_params = {w.fresh_params()}\n"
    if resumed and not scheduled:
        body += f"fresh = {w.new('fresh_params')}\nfresh.load_state_dict(loaded)\n"
    if uninterrupted:
        body += f"straight = {w.old('straight_params')}\n"
        if scheduled:
            body += f"expected = train(straight, {w.sched('straight')}, straight_params, {w.n + w.m})[{w.n}:]\n"
        else:
            body += f"train(straight, straight_params, {w.n + w.m})\n"
    if "n" in names:
        body += f"n = {w.n}  # steps before the save\n"
    if "m" in names:
        body += f"m = {w.m}  # steps after the load\n"
    if "order" in names:
        body += f"order = {claim.order or 'scheduler-first'!r}  # how the resumed run was restored\n"
    body += data_lines(data, values)
    body += _builders(w, needs)
    source = "\n\n".join([*local_sources(function), function_source(function)])
    body += f"\n\n{source}\n\nproblems = {function.__name__}({', '.join(names)})\n"
    w.helpers.extend(helper_sources(names_in(source)))
    body += EPILOGUE.format(claim=claim.id)
    return _assembled(w, claim.id, body, top=_conditions(case))
