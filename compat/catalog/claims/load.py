"""Claims about what load_state_dict checks, matches and leaves alone."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim, applicability
from compat.catalog.sources import literal, seed_source

if TYPE_CHECKING:
    from compat.catalog.case import Case
    from compat.record.script import Writer


def _sd(w: Writer) -> str:
    return 'loaded["optimizer"]' if w.case.scheduler else "loaded"


def group_mismatch(w: Writer) -> str:
    from compat.run import loading  # imports torch: only when a script is written

    groups = [list(g.params) for g in w.case.layout.groups]
    other = loading.mismatched_groups(groups)
    return f"""
other = {w.new(w.resumed_params(), other)}  # groups {other}, the checkpoint's are {groups}
try:
    other.load_state_dict(loaded)
    problems = ["load_state_dict accepted a checkpoint of groups {groups} into groups {other}"]
except ValueError:
    problems = []
"""


def _nested_state(case: Case) -> bool:
    """Return whether the case's saved per-param state nests dicts or lists (or cannot be looked at)."""
    from compat.run import engine  # imports torch: only when a script is written

    try:
        state = engine.checkpoint(case)[0].state_dict()["state"].values()
    except Exception:  # the script then compares with changed(), which walks any state
        return True
    return any(not isinstance(e, dict) or any(isinstance(v, (dict, list, tuple)) for v in e.values()) for e in state)


def identity(w: Writer) -> str:
    from compat.run import loading  # imports torch: only when a script is written

    g, a, b = loading.twins(w.case.layout)
    groups = [list(group.params) for group in w.case.layout.groups]
    i, j = groups[g][a], groups[g][b]
    groups[g][a], groups[g][b] = j, i
    position = {p: n for n, p in enumerate(p for group in w.case.layout.groups for p in group.params)}
    resumed = w.resumed_params()
    moved = f"""
moved = {w.new(resumed, groups)}  # params {i} and {j} change places
moved.load_state_dict(loaded)
"""
    if _nested_state(w.case):
        return f"""{moved}saved = opt.state_dict()["state"]  # by position: param {i}'s is {position[i]}, param {j}'s {position[j]}
problems = [f"param {{i}}{{c}}" for i, position in (({i}, {position[i]}), ({j}, {position[j]}))
            for c in changed(saved.get(position, {{}}), dict(moved.state[{resumed}[i]]))]
"""
    return f"""{moved}problems = [f"param {{i}} {{k}}: saved {{v.tolist()}}, after load {{moved.state[{resumed}[i]].get(k)}}"
            for i, position in (({i}, {position[i]}), ({j}, {position[j]})) for k, v in opt.state_dict()["state"].get(position, {{}}).items()
            if isinstance(v, torch.Tensor) and not torch.equal(v, moved.state[{resumed}[i]].get(k, torch.tensor(float("nan"))))]
"""


def validates(w: Writer) -> str:
    from compat.run import loading  # imports torch: only when a script is written

    refused = loading.rejected_value(w.case)
    if refused is None:
        return "problems = []  # the constructor refuses none of the values this check tries"
    key, value, refusal = refused
    error = refusal.__name__
    return f"""
loaded["param_groups"][0][{key!r}] = {literal(value)}  # {w.spec.target}(..., {key}={literal(value)}) raises {error}
fresh = {w.new(w.resumed_params())}
try:
    fresh.load_state_dict(loaded)
    problems = [f"load_state_dict accepted {key}={literal(value)}: param_groups[0] holds {{fresh.param_groups[0][{key!r}]!r}}"]
except {error}:
    problems = []
"""


def argument_intact(w: Writer) -> str:
    return f"""
given = copy.deepcopy({_sd(w)})
fresh = {w.new("fresh_params")}
fresh.load_state_dict({_sd(w)})
problems = differences(given, {_sd(w)}, "the dict given to load_state_dict")
"""


def no_alias(w: Writer) -> str:
    resumed = w.resumed_params()
    return f"""
given = copy.deepcopy(loaded)
fresh = {w.new(resumed)}
fresh.load_state_dict(loaded)
train(fresh, {resumed}, {w.m}, {w.n})
problems = changed(given, loaded, "the loaded dict, after training the optimizer it was loaded into")
"""


def _saver(w: Writer, saver: Any, params: str) -> str:
    """Return the expression building ``saver``'s class with the case's arguments it takes, plus its own."""
    accepted = inspect.signature(saver.load()).parameters
    groups = [g.params for g in w.case.layout.groups]
    overrides = [{k: v for k, v in g.overrides.items() if k in accepted} for g in w.case.layout.groups]
    if len(groups) == 1 and list(groups[0]) == list(range(len(w.case.layout.params))) and not overrides[0]:
        grouped = params
    else:
        entries = []
        for indices, extra in zip(groups, overrides, strict=True):
            more = "".join(f", {k!r}: {w.value(v, w.case.device)}" for k, v in extra.items())
            entries.append(f'{{"params": [{", ".join(f"{params}[{i}]" for i in indices)}]{more}}}')
        grouped = f"[{', '.join(entries)}]"
    kwargs = {**{k: v for k, v in w.case.kwargs.items() if k in accepted}, **saver.kwargs}
    return f"{saver.target}({grouped}{w.arguments(kwargs, w.case.device, saver.target)})"


def _failing_load(w: Writer) -> str:
    """Return which bad dict the engine saw load non-atomically ("" for the one-param-more group, else the class)."""
    from compat.run import loading  # imports torch: only when a script is written

    for failed in loading.failed_loads(w.case):
        if _differs(failed.before, failed.after) or _differs(failed.twin, failed.stepped):
            return "" if failed.what.startswith("a group") else failed.what.split("'")[0]
    return ""


def _differs(a: Any, b: Any) -> bool:
    from compat.run.differ import differences  # imports torch: only when a script is written

    return bool(differences(a, b))


def atomic(w: Writer) -> str:
    from compat.run import savers  # imports torch: only when a script is written

    name = _failing_load(w)
    saver = next((s for s in savers.foreign(w.case.subject) if s.name == name), None)
    if saver is None:
        bad = f"""bad = copy.deepcopy(opt.state_dict())  # a group with one param more
bad["param_groups"][-1]["params"].append({len(w.case.layout.params)})"""
    else:
        bad = f"""saver_params = {w.fresh_params("initial")}
saver = {_saver(w, saver, "saver_params")}  # {saver.name}'s checkpoint
train(saver, saver_params, {w.n})
bad = saver.state_dict()"""
    return f"""
{bad}
def view(o):  # the optimizer's groups (params as positions) and state
    groups = [{{**g, "params": [next(i for i, p in enumerate(params) if p is q) for q in g["params"]]}} for g in o.param_groups]
    return copy.deepcopy({{"param_groups": groups, "state": by_position(o)}})

before = view(opt)
try:
    opt.load_state_dict(bad)
    problems = []  # it loaded: a load that succeeds is not in question
except Exception as error:
    print("load_state_dict raised", f"{{error!r:.200}}")
    problems = differences(before, view(opt), "the optimizer after the failed load")
    try:  # then it must train on as an untouched twin does
        train(opt, params, {w.m}, {w.n})
        problems = problems or differences([p.detach() for p in straight_params], [p.detach() for p in params], "params")
    except Exception as error:
        problems = problems or [f"step() after the failed load raised {{error!r:.200}}"]
"""


def shape_mismatch(w: Writer) -> str:
    from compat.run import loading  # imports torch: only when a script is written

    shapes = [p.shape for p in w.case.layout.params]
    changed = [[change(s) for s in shapes] for change in loading.SHAPE_CHANGES.values()]
    changed = [other for other in changed if other != shapes]
    shown = next(
        (o for name, o in zip(loading.SHAPE_CHANGES, changed, strict=False) if _accepted_misfit(w, name)), changed[0]
    )
    seed = seed_source(w.case, "i", "-1")
    return f"""
shapes = {shown!r}  # other shapes than the params' {shapes}
other_params = [torch.randn(s, generator=torch.Generator().manual_seed({seed})).to(p.dtype).requires_grad_(p.requires_grad) for i, (s, p) in enumerate(zip(shapes, params))]
other = {w.old("other_params")}
train(other, other_params, {w.n})
target = {w.new("params")}
problems = []
try:  # a refusal by load_state_dict is what the claim asks for; one by the first step() is too late
    target.load_state_dict(other.state_dict())
    problems.append(f"load_state_dict accepted state saved for shapes {shown} into params of shapes {shapes}")
    train(target, params, 1)
    problems.append("the first step() then ran without error on the mis-shaped state")
except Exception as error:
    print("raised:", f"{{error!r:.200}}")
"""


def _accepted_misfit(w: Writer, change: str) -> bool:
    from compat.run import loading  # imports torch: only when a script is written

    found = loading.misfit(w.case, change)
    return found is not None and found.refused is None


def across_classes(w: Writer) -> str:
    from compat.run import (
        loading,
        savers,  # imports torch: only when a script is written
    )

    partners = savers.partners(w.case.subject)
    saver = next((s for s in partners if not loading.switch(w.case, s).holds), partners[0])
    name, loader = saver.target.rpartition(".")[2], w.spec.target.rpartition(".")[2]
    return f"""
own = {_saver(w, saver, "params")}  # the class the checkpoint comes from, with the arguments it takes
train(own, params, {w.n})
checkpoint = copy.deepcopy(own.state_dict())
loading_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
train(own, params, {w.m}, {w.n})  # how {name} trains on
other = {w.new("loading_params")}
problems = []
try:
    other.load_state_dict(checkpoint)  # refusing another class's checkpoint is what the claim allows
    problems.append("loaded {name}'s checkpoint into {loader}")
    train(other, loading_params, {w.m}, {w.n})
    problems = [f"params[{{i}}]: {name} {{a.tolist()}} vs {loader} {{b.tolist()}}" for i, (a, b) in enumerate(zip(params, loading_params)) if not torch.equal(a, b)]
except Exception as error:
    problems.append(f"then raised {{error!r:.200}}") if problems else print("load_state_dict refused it:", f"{{error!r:.200}}")
"""


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.load.rejects-group-mismatch",
        statement="load_state_dict raises ValueError when the number of param groups, or of params "
        "in a group, differs from the saved one.",
        category="load",
        check=group_mismatch,
    ),
    Claim(
        id="optimizer.load.matches-by-identity",
        statement="Permuting same-shaped params between save and load does not swap their state.",
        category="load",
        needs=(LAYOUT,),
        check=identity,
    ),
    Claim(
        id="optimizer.load.validates-hyperparameters",
        statement="load_state_dict rejects hyperparameter values the constructor rejects (e.g. a negative lr).",
        category="load",
        needs=(LAYOUT,),
        check=validates,
    ),
    Claim(
        id="optimizer.load.leaves-argument-intact",
        statement="load_state_dict does not mutate the dict it is given.",
        category="load",
        check=argument_intact,
    ),
    Claim(
        id="optimizer.load.does-not-alias-argument",
        statement="Training after load_state_dict leaves the loaded dict's tensors unchanged "
        "(the optimizer does not keep the caller's tensors as its state).",
        category="load",
        check=no_alias,
    ),
    Claim(
        id="optimizer.load.atomic",
        statement="A load_state_dict that raises (another class's checkpoint, a group of another size) leaves the "
        "optimizer as it was: param_groups and state unchanged, and it steps on exactly as an untouched twin.",
        category="load",
        needs=(LAYOUT,),
        check=atomic,
    ),
    Claim(
        id="optimizer.load.rejects-shape-mismatch",
        statement="State saved for params of other shapes (same groups, same param counts) is refused by "
        "load_state_dict, not left to fail at the first step() or to train on silently.",
        category="load",
        needs=(LAYOUT,),
        check=shape_mismatch,
    ),
    Claim(
        id="optimizer.load.across-classes",
        statement="A checkpoint of another optimizer class, one a user switching class would load (AdamW into "
        "Adam, Adam into AdamW or SGD, SGD or RMSprop into Adam, ...), is refused by load_state_dict, or the "
        "loading optimizer trains on from it exactly as the saving class would (params bitwise).",
        category="load",
        applies=applicability.has_partner,
        check=across_classes,
    ),
)
