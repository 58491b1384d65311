"""Render a case as a stand-alone, plain-torch script (no import of this project).

The script rebuilds exactly what the engine runs: the same seeded parameters and targets, the
same groups and constructor arguments, the same save/load options. A claim's check, appended
after it, fills ``problems``; the script prints them and exits 1 while any is present.
"""

from __future__ import annotations

import textwrap
from typing import Any

from compat import schedulers, scheduling, specs
from compat.case import Case, Fn, Sched, TensorLr

PRELUDE = """\
import io
import os
import sys
import tempfile

import torch

print("torch", torch.__version__)

SEED = {seed}
SHAPES = {shapes!r}
DTYPES = {dtypes}
ROLES = {roles!r}
GROUPS = {groups!r}
OVERRIDES = {overrides}
KWARGS = {kwargs}
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


def make_optimizer(params, kwargs, overrides=True, groups=GROUPS):
    param_groups = []
    for group, extra in zip(groups, OVERRIDES):
        param_groups.append({{"params": [params[i] for i in group], **(extra if overrides else {{}})}})
    return {constructor}(param_groups, **kwargs)


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
    for step in range(start, start + steps):
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

SCHEDULER_TAIL = """
METRICS = {metrics!r}
NEWER_VALUES, SAVED_VALUES = {newer_values!r}, {saved_values!r}  # each group's lr_lambda at epoch 3


class ScheduleObject:
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, epoch):
        return self.factor ** epoch


def schedule_function(factor):
    def schedule(epoch):
        return factor ** epoch
    return schedule


def make_scheduler(opt):
    return {scheduler}


def make_newer_scheduler(opt):  # the same scheduler with other schedule functions, as new code might pass
    return {newer_scheduler}


def lrs(opt):
    return [float(g["lr"]) for g in opt.param_groups]


def train_scheduled(opt, sched, params, start, steps):
    trajectory = []
    for index in range(start, start + steps):
        train(opt, params, index, 1)
        sched.step({metric_argument})
        trajectory.append(lrs(opt))
    return trajectory


def children_states(sched):
    found = []
    for child in getattr(sched, "_schedulers", []):
        found.append(snapshot(child.state_dict()))
        found += children_states(child)
    return found


# The uninterrupted run: its lr after every step past the save point.
straight_params = make_params()
straight = make_optimizer(straight_params, KWARGS)
straight_lrs = train_scheduled(straight, make_scheduler(straight), straight_params, 0, STEPS_BEFORE + STEPS_AFTER)
straight_lrs = straight_lrs[STEPS_BEFORE:]

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
    # scheduler-first: build optimizer, build scheduler, load optimizer state, load scheduler state
    # built-after-load: build optimizer, load optimizer state, build scheduler, load scheduler state
    # optimizer-only: build optimizer, load optimizer state, build scheduler (its state is not loaded)
    fresh_params = make_params(loaded["params"], device=LOAD_DEVICE, dtype=LOAD_DTYPE)
    fresh = make_optimizer(fresh_params, FRESH_KWARGS, overrides=False)
    sched = make(fresh) if order == "scheduler-first" else None
    fresh.load_state_dict(loaded["optimizer"])
    if sched is None:
        sched = make(fresh)
    if order != "optimizer-only":
        sched.load_state_dict(loaded["scheduler"])
    return fresh, fresh_params, sched
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
    return repr(value)


def _save_load(case: Case) -> str:
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
        'path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")\n'
        f"torch.save(checkpoint, path{save})\nloaded = torch.load(path, {', '.join(load)})"
    )


def fn_source(fn: Fn) -> str:
    """Return Python source for a schedule function, written the way its kind says."""
    if fn.kind == "function":
        return f"schedule_function({fn.factor!r})"
    if fn.kind == "object":
        return f"ScheduleObject({fn.factor!r})"
    return f"lambda epoch: {fn.factor!r} ** epoch"


def _argument_source(value: Any) -> str:
    if isinstance(value, Fn):
        return fn_source(value)
    if isinstance(value, list):
        return "[" + ", ".join(_argument_source(v) for v in value) + "]"
    return literal(value)


def scheduler_source(sched: Sched, opt: str = "opt") -> str:
    """Return the Python expression that builds ``sched`` on the optimizer named ``opt``."""
    target = schedulers.get(sched.name).target
    kwargs = "".join(f", {k}={_argument_source(v)}" for k, v in sched.kwargs.items())
    children = "[" + ", ".join(scheduler_source(child, opt) for child in sched.children) + "]"
    if sched.name == "SequentialLR":
        return f"{target}({opt}, schedulers={children}{kwargs})"
    if sched.name == "ChainedScheduler":
        return f"{target}({children}{kwargs})"
    return f"{target}({opt}{kwargs})"


def _scheduler_tail(case: Case) -> str:
    sched = case.scheduler
    plateau = schedulers.get(sched.name).kind == "plateau"
    groups = len(case.layout.groups)
    newer = scheduling.with_other_factors(sched)
    return SCHEDULER_TAIL.format(
        metrics=list(case.metrics),
        newer_values=scheduling.schedule_values_at(newer, groups),
        saved_values=scheduling.schedule_values_at(sched, groups),
        scheduler=scheduler_source(sched),
        newer_scheduler=scheduler_source(newer),
        metric_argument="METRICS[index]" if plateau else "",
        save_load=_save_load(case),
    )


def script(case: Case, check: str, claim: str = "") -> str:
    """Return the plain-torch script of ``case`` with ``check`` appended (it fills ``problems``)."""
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
    body = PRELUDE.format(
        seed=case.seed,
        shapes=[p.shape for p in params],
        dtypes="[" + ", ".join(f"torch.{p.dtype}" for p in params) + "]",
        roles=[p.role for p in params],
        groups=[list(g.params) for g in case.layout.groups],
        overrides=literal([g.overrides for g in case.layout.groups]),
        kwargs=literal(case.kwargs),
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
    )
    body += _scheduler_tail(case) if case.scheduler else OPTIMIZER_TAIL.format(save_load=_save_load(case))
    subject = schedulers.get(case.scheduler.name).target + " on " + spec.target if case.scheduler else spec.target
    header = f"# Reproducer{': ' + claim if claim else ''} ({subject}).\n"
    header += "# Generated by torch-optim-compat; plain torch only. Exits 1 while the violation is present.\n"
    checked = textwrap.dedent(check).strip() if check else "problems = []"
    return header + body + "\n# Check the claim.\n" + checked + "\n" + EPILOGUE.format(claim=claim or "claim")
