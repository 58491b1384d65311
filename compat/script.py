"""Render a case as a stand-alone, plain-torch script (no import of this project).

The script rebuilds exactly what the engine runs: the same seeded parameters and targets, the
same groups and constructor arguments, the same save/load options. A claim's check, appended
after it, fills ``problems``; the script prints them and exits 1 while any is present.
"""

from __future__ import annotations

import math
import re
import textwrap
from typing import Any

from compat import engine, loading, resumption, schedule_functions, schedulers, scheduling, specs, versions
from compat.case import Case, Fn, Sched, TensorLr

PRELUDE = """\
import io
import os
import sys
import tempfile

import torch
{extra_import}
print("torch", torch.__version__)

SEED = {seed}
SHAPES = {shapes!r}
DTYPES = {dtypes}
ROLES = {roles!r}
GROUPS = {groups!r}
OVERRIDES = {overrides}
KWARGS = {kwargs}
GROUP_KEYS = {group_keys}
FRESH_KWARGS = {fresh_kwargs}
STEPS_BEFORE, STEPS_AFTER = {steps_before}, {steps_after}
DEVICE, LOAD_DEVICE, LOAD_DTYPE = {device!r}, {load_device!r}, {load_dtype}


def seeded(shape, index, step):
    seed = (SEED * 1000 + index) * 1000 + step + 1
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


def make_params(values=None, device=DEVICE, dtype=None):
    params = []
    for i, (shape, role) in enumerate(zip(SHAPES, ROLES)):
        base = values[i] if values is not None else seeded(shape, i, -1)
        p = base.detach().to(device=device, dtype=dtype or DTYPES[i]).clone()
        # differentiable=True updates under autograd: then no parameter may require grad.
        p.requires_grad_(role != "frozen" and not {differentiable})
        params.append(p)
    return params


def own_tensors(values):
    # each optimizer gets its own tensor lr, as a training script builds one: some optimizers write to it in place
    return {{k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in values.items()}}


def make_optimizer(params, kwargs, overrides=True, groups=GROUPS):
    param_groups = []
    for group, extra in zip(groups, OVERRIDES):
        extra = own_tensors(extra) if overrides else {{}}
        param_groups.append({{"params": [params[i] for i in group], **GROUP_KEYS, **extra}})
    return {constructor}(param_groups, **own_tensors(kwargs))


def gradients_at(params, step):
    total = torch.zeros((), device=params[0].device)
    params = [p.detach().requires_grad_(role == "trained") for p, role in zip(params, ROLES)]
    for i, (p, role) in enumerate(zip(params, ROLES)):
        if role != "trained":
            continue
        target = seeded(SHAPES[i], i, step).to(p.device)
{loss_body}
    if total.requires_grad:
        total.backward()
    return total.detach(), [v.grad for v in params]


def train(opt, params, start, steps):
{mode_switch}    for step in range(start, start + steps):
        torch.manual_seed((SEED * 1000 + {global_rng}) * 1000 + step + 1)  # the same random draws at each step

        def closure(step=step):
            opt.zero_grad(set_to_none=True)
            value, grads = gradients_at(params, step)
            for p, g in zip(params, grads):
                if g is not None:
                    p.grad = g
            return value
{step_body}


def snapshot(value):
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        copied = value.copy()
        for k, v in value.items():
            copied[k] = snapshot(v)
        return copied
    if isinstance(value, (list, tuple)):
        return type(value)(snapshot(v) for v in value)
    return value


def bits(t):
    t = t.detach().cpu().contiguous()
    if t.dtype.is_floating_point:
        return t.view({{1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}}[t.element_size()])
    return t


def differences(expected, actual, path=""):
    if isinstance(expected, torch.Tensor) or isinstance(actual, torch.Tensor):
        if not (isinstance(expected, torch.Tensor) and isinstance(actual, torch.Tensor)):
            return [f"{{path}}: type {{type(expected).__name__}} vs {{type(actual).__name__}}"]
        for kind, e, a in (("dtype", expected.dtype, actual.dtype), ("shape", expected.shape, actual.shape),
                           ("device", expected.device, actual.device)):
            if e != a:
                return [f"{{path}}: {{kind}} {{e}} vs {{a}}"]
        if not torch.equal(bits(expected), bits(actual)):
            e, a = expected.flatten()[:4].tolist(), actual.flatten()[:4].tolist()
            return [f"{{path}}: values differ: {{e}} vs {{a}}"]
        return []
    if type(expected) is not type(actual):
        return [f"{{path}}: type {{type(expected).__name__}} vs {{type(actual).__name__}}"]
    if isinstance(expected, dict):
        found = [f"{{path}}[{{k!r}}]: missing" for k in expected if k not in actual]
        found += [f"{{path}}[{{k!r}}]: unexpected" for k in actual if k not in expected]
        for k in expected:
            if k in actual:
                found += differences(expected[k], actual[k], f"{{path}}[{{k!r}}]")
        return found
    if isinstance(expected, (list, tuple)):
        if len(expected) != len(actual):
            return [f"{{path}}: length {{len(expected)}} vs {{len(actual)}}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{{path}}[{{i}}]")]
    if expected != actual and not (expected != expected and actual != actual):
        return [f"{{path}}: {{expected!r}} vs {{actual!r}}"]
    return []


def state_by_position(opt, params):
    positions = {{id(p): i for i, p in enumerate(q for g in opt.param_groups for q in g["params"])}}
    return {{positions[id(p)]: s for p, s in opt.state.items() if id(p) in positions}}


def hyperparameters(groups):
    return [{{k: v for k, v in g.items() if k != "params"}} for g in groups]

"""

OPTIMIZER_TAIL = """
# Train, checkpoint (optimizer + params), save and load.
params = make_params()
original = make_optimizer(params, KWARGS)
train(original, params, 0, STEPS_BEFORE)
saved = snapshot(original.state_dict())
checkpoint = {{"optimizer": original.state_dict(), "params": [p.detach() for p in params]}}
{save_load}
given = snapshot(loaded["optimizer"])

# Fresh objects built with different constructor arguments, then load_state_dict.
fresh_params = make_params(loaded["params"], device=LOAD_DEVICE, dtype=LOAD_DTYPE)
fresh = make_optimizer(fresh_params, FRESH_KWARGS, overrides=False)
fresh.load_state_dict(loaded["optimizer"])
"""

SCHEDULER_DEFINITIONS = """
METRICS = {metrics!r}
NEWER_VALUES, SAVED_VALUES = {newer_values!r}, {saved_values!r}  # what each schedule callable gives at 3
{schedule_functions}

def make_scheduler(opt, last_epoch=-1):
    return {scheduler}


def make_newer_scheduler(opt):  # the scheduler as the resumed code builds it: other arguments or schedule functions
    return {newer_scheduler}


def lrs(opt):
    return [float(g["lr"]) for g in opt.param_groups]


def used(opt):  # what the next opt.step() uses, per group
{used_body}


def train_scheduled(opt, sched, params, start, steps):
    trajectory = []
    for index in range(start, start + steps):
        trajectory.append(used(opt))  # read just before the step that uses it
        train(opt, params, index, 1)
        sched.step({metric_argument})
    return trajectory + [used(opt)]


def children_states(sched):
    found = []
    for child in getattr(sched, "_schedulers", []):
        found.append(snapshot(child.state_dict()))
        found += children_states(child)
    return found
"""

SCHEDULER_TAIL = """
# The uninterrupted run: the lr every step uses.
straight_params = make_params()
straight = make_optimizer(straight_params, KWARGS)
straight_lrs = train_scheduled(straight, make_scheduler(straight), straight_params, 0, STEPS_BEFORE + STEPS_AFTER)
straight_lrs = straight_lrs[STEPS_BEFORE:]  # what each step from the save point on used

# Train to the save point, checkpoint (optimizer + scheduler + params), save and load.
params = make_params()
original = make_optimizer(params, KWARGS)
original_sched = make_scheduler(original)
train_scheduled(original, original_sched, params, 0, STEPS_BEFORE)
saved_sched = snapshot(original_sched.state_dict())
last_lr_at_save = [float(x) for x in original_sched.get_last_lr()]
checkpoint = {{
    "optimizer": original.state_dict(),
    "scheduler": original_sched.state_dict(),
    "params": [p.detach() for p in params],
}}
{save_load}
given = snapshot(loaded["scheduler"])


def resume(order, make=make_scheduler):
    fresh_params = make_params(loaded["params"], device=LOAD_DEVICE, dtype=LOAD_DTYPE)
    fresh = make_optimizer(fresh_params, FRESH_KWARGS, overrides=False)
    sched = make(fresh) if order in ("scheduler-first", "scheduler-only") else None
    if order != "scheduler-only":
        fresh.load_state_dict(loaded["optimizer"])
    if sched is None:
        sched = make(fresh, last_epoch=STEPS_BEFORE) if order == "last-epoch" else make(fresh)
    if order not in ("optimizer-only", "last-epoch"):
        sched.load_state_dict(loaded["scheduler"])
    if order == "repaired":  # sched._last_lr is what get_last_lr() returns (ReduceLROnPlateau has none before 2.2)
        for group, lr in zip(fresh.param_groups, sched._last_lr):
            group["lr"] = lr
    return fresh, fresh_params, sched
"""

CROSSVERSION_TAIL = """
SAVED_BY, SCHEDULED = {saved_by!r}, {scheduled}
ARGUMENTS = sys.argv[1:]
SAVING = ARGUMENTS[:1] == ["save"]
ARGUMENTS = ARGUMENTS[1:] if SAVING else ARGUMENTS
HERE = os.path.dirname(os.path.abspath(__file__))
PATH = ARGUMENTS[0] if ARGUMENTS else os.path.join(HERE, "checkpoint-saved-by-torch-" + SAVED_BY + ".pt")

if SAVING:
    # Step 1, under torch SAVED_BY: train to the save point, save optimizer (+ scheduler) + params
    # and the continuation this release computes when it trains on without interruption.
    params = make_params()
    original = make_optimizer(params, KWARGS)
    straight_params = make_params()
    straight = make_optimizer(straight_params, KWARGS)
    checkpoint = {{"format": 1, "torch": str(torch.__version__), "subject": {subject!r}}}
    if SCHEDULED:
        original_sched = make_scheduler(original)
        train_scheduled(original, original_sched, params, 0, STEPS_BEFORE)
        straight_sched = make_scheduler(straight)
        straight_lrs = train_scheduled(straight, straight_sched, straight_params, 0, STEPS_BEFORE + STEPS_AFTER)
        checkpoint["scheduler"] = original_sched.state_dict()
        continuation = {{"params": [p.detach() for p in straight_params], "lrs": straight_lrs[STEPS_BEFORE:]}}
    else:
        train(original, params, 0, STEPS_BEFORE)
        train(straight, straight_params, 0, STEPS_BEFORE + STEPS_AFTER)
        continuation = {{"params": [p.detach() for p in straight_params]}}
    checkpoint.update(optimizer=original.state_dict(), params=[p.detach() for p in params], continuation=continuation)
    torch.save(checkpoint, PATH)
    print("saved", PATH, "- now run this script without 'save' under the torch release to check")
    sys.exit(0)

# Step 2, under the release being checked: load the checkpoint SAVED_BY wrote.
if not os.path.exists(PATH):
    sys.exit(f"no checkpoint at {{PATH}}: first run 'python {{sys.argv[0]}} save' under torch {{SAVED_BY}}")


# torch 1.13's weights_only unpickler cannot read a Python float: there the default (pickle) load reads it.
SAFE = None if torch.__version__.startswith("1.") else True


def load(weights_only):
    return torch.load(PATH, **({{}} if weights_only is None else {{"weights_only": weights_only}}))


def restored(checkpoint):
    fresh_params = make_params(checkpoint["params"])
    fresh = make_optimizer(fresh_params, FRESH_KWARGS, overrides=False)
    sched = make_scheduler(fresh) if SCHEDULED else None
    fresh.load_state_dict(checkpoint["optimizer"])
    if sched is not None:
        sched.load_state_dict(checkpoint["scheduler"])
    return fresh, sched, fresh_params


def first_line(error):
    text = str(error).strip()
    return f"{{type(error).__name__}}: {{text.splitlines()[0] if text else ''}}"
"""

EPILOGUE = """
if problems:
    print("VIOLATED: {claim}")
    for problem in problems:
        print("  ", problem)
    sys.exit(1)
print("holds: {claim}")
"""


def literal(value: Any) -> str:
    """Return Python source for a constructor value (tensor lrs, dtypes and tuples included)."""
    if isinstance(value, TensorLr):
        return f"torch.tensor({value.value!r})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"  # repr gives inf or nan, which a script cannot read back
    return repr(value)


def _save_load(case: Case, claim: str) -> str:
    """Return the save and load steps; torch refusing either is the violation the script reports."""
    return (
        "try:\n"
        + textwrap.indent(_save_and_load(case), "    ")
        + "\nexcept Exception as error:  # torch refusing to save or load this checkpoint is the violation\n"
        + f'    print("VIOLATED: {claim}")\n'
        + '    print("   torch refused:", type(error).__name__, (str(error).strip().splitlines() or [""])[0])\n'
        + "    sys.exit(1)"
    )


def _save_and_load(case: Case) -> str:
    options = case.save_load
    save = ", _use_new_zipfile_serialization=False" if options.legacy_format else ""
    load = [f"weights_only={options.weights_only}"]
    location = {
        "none": None,
        "cpu": "'cpu'",
        "device": "torch.device(LOAD_DEVICE)",
        "callable": "lambda storage, location: storage"
        if case.load_device == "cpu"
        else "lambda storage, location: storage.to(LOAD_DEVICE)",
    }[options.map_location]
    if location:
        load.append(f"map_location={location}")
    if options.mmap:
        load.append("mmap=True")
    if options.medium == "buffer":
        return (
            f"buffer = io.BytesIO()\ntorch.save(checkpoint, buffer{save})\nbuffer.seek(0)\n"
            f"loaded = torch.load(buffer, {', '.join(load)})"
        )
    return (
        "folder = tempfile.TemporaryDirectory()  # removed when the script ends\n"
        'path = os.path.join(folder.name, "checkpoint.pt")\n'
        f"torch.save(checkpoint, path{save})\nloaded = torch.load(path, {', '.join(load)})"
    )


# What a script defines for each kind of schedule callable (compat.schedule_functions builds the same).
SCHEDULE_FUNCTIONS = {
    "closure": """
def decay_closure(factor):
    def schedule(epoch):
        return factor ** epoch
    return schedule
""",
    "function": """
DECAY = None  # the module constant decay() reads; module_decay(value) stands for code defining DECAY = value


def decay(epoch):
    return DECAY ** epoch


def module_decay(value):
    global DECAY
    DECAY = value
    return decay
""",
    "object": """
class ScheduleObject:
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, epoch):
        return self.factor ** epoch
""",
    "partial": """
from functools import partial


def power(epoch, factor):
    return factor ** epoch
""",
    "method": """
class Decay:
    def __init__(self, factor):
        self.factor = factor

    def at(self, epoch):
        return self.factor ** epoch
""",
}
SCHEDULE_CALLABLES = """
def schedule_callables(sched):  # what the scheduler computes the lr with: lr_lambdas, or CyclicLR's scale_fn
    return list(getattr(sched, "lr_lambdas", [])) or [sched.scale_fn]
"""
_FN_SOURCES = {
    "lambda": "lambda epoch: {factor!r} ** epoch",
    "closure": "decay_closure({factor!r})",
    "function": "module_decay({factor!r})",
    "object": "ScheduleObject({factor!r})",
    "partial": "partial(power, factor={factor!r})",
    "method": "Decay({factor!r}).at",
}


def fn_source(fn: Fn) -> str:
    """Return Python source for a schedule callable, written the way its kind says."""
    return _FN_SOURCES[fn.kind].format(factor=fn.factor)


def schedule_functions_source(*scheds: Sched) -> str:
    """Return the definitions the schedule callables of ``scheds`` need (empty without any)."""
    kinds = {fn.kind for sched in scheds for fn in schedule_functions.fns_in(sched)}
    if not kinds:
        return ""
    defined = [SCHEDULE_FUNCTIONS[k] for k in schedule_functions.KINDS if k in kinds and k in SCHEDULE_FUNCTIONS]
    return "\n" + "\n".join([*defined, SCHEDULE_CALLABLES])


def _argument_source(value: Any) -> str:
    if isinstance(value, Fn):
        return fn_source(value)
    if isinstance(value, list):
        return "[" + ", ".join(_argument_source(v) for v in value) + "]"
    return literal(value)


def scheduler_source(sched: Sched, opt: str = "opt", last_epoch: str = "") -> str:
    """Return the Python expression that builds ``sched`` on the optimizer named ``opt``.

    ``last_epoch`` names the variable passed as ``last_epoch`` to every constructor that takes it.
    """
    spec = schedulers.get(sched.name)
    target = spec.target
    kwargs = "".join(f", {k}={_argument_source(v)}" for k, v in sched.kwargs.items())
    if last_epoch and schedulers.takes_last_epoch(spec.load()):
        kwargs += f", last_epoch={last_epoch}"
    children = "[" + ", ".join(scheduler_source(child, opt, last_epoch) for child in sched.children) + "]"
    if sched.name == "SequentialLR":
        return f"{target}({opt}, schedulers={children}{kwargs})"
    if sched.name == "ChainedScheduler":
        return f"{target}({children}{kwargs})"
    return f"{target}({opt}{kwargs})"


_USED = '    return [{"lr": float(g["lr"])} for g in opt.param_groups]'
_USED_CYCLED = """\
    found = []
    for g in opt.param_groups:  # the scheduler cycles the momentum (or Adam's beta1) too
        values = {"lr": float(g["lr"])}
        if "momentum" in g:
            values["momentum"] = float(g["momentum"])
        elif "betas" in g:
            values["beta1"] = float(g["betas"][0])
        found.append(values)
    return found"""


def _scheduler_definitions(case: Case) -> str:
    sched = case.scheduler
    plateau = schedulers.get(sched.name).kind == "plateau"
    groups = len(case.layout.groups)
    newer = case.fresh_scheduler or schedule_functions.with_other_factors(sched)
    return SCHEDULER_DEFINITIONS.format(
        metrics=list(case.metrics),
        newer_values=schedule_functions.schedule_values_at(newer, groups),
        saved_values=schedule_functions.schedule_values_at(sched, groups),
        schedule_functions=schedule_functions_source(sched, newer),
        scheduler=scheduler_source(sched, last_epoch="last_epoch"),
        used_body=_USED_CYCLED if scheduling.cycled(sched) else _USED,
        newer_scheduler=scheduler_source(newer),
        metric_argument="METRICS[index]" if plateau else "",
    )


def _scheduler_tail(case: Case, claim: str) -> str:
    return _scheduler_definitions(case) + SCHEDULER_TAIL.format(save_load=_save_load(case, claim))


def _prelude(case: Case) -> str:
    spec = specs.get(case.subject)
    if spec.grad == "sparse":
        loss_body = (
            "        rows = torch.randint(0, SHAPES[i][0], (max(1, SHAPES[i][0] // 2),),\n"
            "                             generator=torch.Generator().manual_seed(\n"
            "                                 (SEED * 1000 + i) * 1000 + step + 8))\n"
            "        picked = torch.nn.functional.embedding(rows.to(p.device), p, sparse=True)\n"
            "        total = total + ((picked.float() - target[rows.to(p.device)]) ** 2).sum() / 2"
        )
    else:
        loss_body = "        total = total + ((p.float() - target) ** 2).sum() / 2"
    step_body = "        opt.step(closure)" if spec.closure else "        closure()\n        opt.step()"
    params = case.layout.params
    return PRELUDE.format(
        seed=case.seed,
        shapes=[p.shape for p in params],
        dtypes="[" + ", ".join(f"torch.{p.dtype}" for p in params) + "]",
        roles=[p.role for p in params],
        groups=[list(g.params) for g in case.layout.groups],
        overrides=literal([g.overrides for g in case.layout.groups]),
        kwargs=literal(case.kwargs),
        group_keys=literal(dict(spec.group_keys)),
        fresh_kwargs=literal(case.fresh_kwargs),
        steps_before=case.steps_before,
        steps_after=case.steps_after,
        device=case.device,
        load_device=case.load_device,
        load_dtype=f"torch.{case.load_dtype}" if case.load_dtype else None,
        differentiable=bool(case.kwargs.get("differentiable")),
        constructor=spec.target,
        loss_body=loss_body,
        step_body=step_body,
        mode_switch=f"    opt.{spec.train_mode}()\n" if spec.train_mode else "",
        global_rng=engine.GLOBAL_RNG,
        extra_import="" if specs.from_torch(spec.target) else f"import {spec.target.rpartition('.')[0]}\n",
    )


def _subject(case: Case) -> str:
    target = specs.get(case.subject).target
    return f"{schedulers.get(case.scheduler.name).target} on {target}" if case.scheduler else target


def _checked(check: str, claim: str) -> str:
    checked = textwrap.dedent(check).strip() if check else "problems = []"
    return "\n# Check the claim.\n" + checked + "\n" + EPILOGUE.format(claim=claim or "claim")


# The conditions a case may add to the plain round trip (compat.resumption): they follow the prelude,
# so the whole run is under the default dtype, and the checks can read WRITTEN_FLAGS.
def conditions_source(case: Case) -> str:
    """Return the lines that set the case's default dtype and name the flags it writes (empty if neither)."""
    lines = []
    if case.default_dtype:
        lines.append(f"torch.set_default_dtype(torch.{case.default_dtype})  # the whole run is under this default")
    if case.written_flags:
        taken = resumption.cpu_flags(specs.get(case.subject), case.written_flags)
        lines.append(f"WRITTEN_FLAGS = {case.written_flags!r}  # set in the saved param groups, as CUDA writes them")
        lines.append(f"CPU_FLAGS = {taken!r}  # those of them torch {versions.installed()} runs on the CPU")
    return "\n# Conditions of this case.\n" + "\n".join(lines) + "\n" if lines else ""


def script(case: Case, check: str, claim: str = "") -> str:
    """Return the plain-torch script of ``case`` with ``check`` appended (it fills ``problems``)."""
    body = _prelude(case) + conditions_source(case)
    body += _scheduler_tail(case, claim) if case.scheduler else OPTIMIZER_TAIL.format(save_load=_save_load(case, claim))
    body += saver_definitions(case, check)
    header = f"# Reproducer{': ' + claim if claim else ''} ({_subject(case)}).\n"
    needs = "plain torch only" if specs.from_torch(case.subject) else "torch and the optimizer's package"
    header += f"# Generated by torch-optim-compat; {needs}. Exits 1 while the violation is present.\n"
    return header + body + _checked(check, claim)


def crossversion_script(case: Case, check: str, claim: str, saved_by: str, name: str = "repro.py") -> str:
    """Return the two-step plain-torch script of a checkpoint ``saved_by`` writes and another release loads.

    ``python SCRIPT save [PATH]`` under ``saved_by`` writes the checkpoint; ``python SCRIPT [PATH]``
    under the release being checked loads it, runs ``check`` and exits 1 while it finds problems.
    """
    body = _prelude(case)
    if case.scheduler:
        body += _scheduler_definitions(case)
    subject = schedulers.get(case.scheduler.name).target if case.scheduler else specs.get(case.subject).target
    body += CROSSVERSION_TAIL.format(saved_by=saved_by, scheduled=case.scheduler is not None, subject=subject)
    header = (
        f"# Reproducer: {claim} ({_subject(case)}), checkpoint saved by torch {saved_by}.\n"
        "# Generated by torch-optim-compat; plain torch only. Two steps, one release each:\n"
        f"#   uv run --with 'torch=={saved_by}.*' python {name} save   # writes the checkpoint\n"
        f"#   uv run --with 'torch==X.Y.*' python {name}               # loads it: exits 1 while violated\n"
    )
    return header + body + _checked(check, claim)


# Other optimizer classes whose checkpoints a check loads (compat.loading), rendered only into the
# scripts whose check names PARTNERS or FOREIGN.


def saver_definitions(case: Case, check: str) -> str:
    """Return ``PARTNERS = [...]`` and/or ``FOREIGN = [...]`` for the names ``check`` uses, else nothing."""
    found = ""
    for name, savers in (("PARTNERS", loading.partners), ("FOREIGN", loading.foreign)):
        if re.search(rf"\b{name}\b", check):
            listed = ", ".join(f"({s.target}, {literal(dict(s.kwargs))})" for s in savers(case.subject))
            found += "\n# Other classes whose checkpoints the check loads, each with arguments of its own.\n"
            found += f"{name} = [{listed}]\n"
    return found
