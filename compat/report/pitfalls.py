"""What a scheduler state shows by itself: the callables it did not save, the constructor arguments it imposes.

A LambdaLR's ``lr_lambdas`` holds ``None`` for a function or lambda and the attributes of anything
else (``{}`` for a ``functools.partial`` or a bound method, as transformers' warm-up schedules
are): none of them is the function the resumed run computes with. Every attribute a scheduler
saved (``total_steps``, ``T_max``, ``milestones``, ...) is written over the new code's by
``load_state_dict``. Each is a claim of the matrix; here the file says which applies to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Constructor arguments a scheduler keeps as attributes, which load_state_dict brings back.
IMPOSED = (
    "total_steps",
    "T_max",
    "T_0",
    "T_mult",
    "eta_min",
    "step_size",
    "milestones",
    "gamma",
    "max_lrs",
    "total_size",
    "total_iters",
    "start_factor",
    "end_factor",
    "factor",
    "power",
    "patience",
    "cooldown",
    "threshold",
    "min_lrs",
    "anneal_epochs",
)
KEEPS_ARGUMENTS = "scheduler.load.keeps-constructor-arguments"
CALLABLE_CLAIMS = {
    "function": "answer.scheduler-lambda-not-saved",
    "partial": "answer.scheduler-partial-not-saved",
    "object": "answer.scheduler-callable-object-restored",
}


@dataclass(frozen=True)
class Shown:
    """A claim the state itself shows applies: which, because of what in the file, and what it means."""

    claim: str
    because: str
    means: str


def shown(state: Mapping[str, Any], steps: Mapping[str, Any]) -> list[Shown]:
    """Return what the scheduler ``state`` shows; ``steps`` are the framework's own counts (max_steps, global_step)."""
    return [*_callables(state, steps), *_imposed(state, steps)]


def _callables(state: Mapping[str, Any], steps: Mapping[str, Any]) -> list[Shown]:
    entries = [(f"lr_lambdas[{i}]", e) for i, e in enumerate(state.get("lr_lambdas") or [])]
    if isinstance(state.get("_scale_fn_custom"), Mapping):  # None: no custom scale_fn, or a function (not saved)
        entries.append(("_scale_fn_custom", state["_scale_fn_custom"]))
    changed = f" (such as max_steps, {steps['max_steps']} in this run)" if "max_steps" in steps else ""
    by_kind: dict[str, list[str]] = {}
    attributes: set[str] = set()
    for where, entry in entries:
        kind = _kind(entry)
        if kind:
            by_kind.setdefault(kind, []).append(where)
        if kind == "object":
            attributes.update(map(str, entry))
    found = []
    for kind, places in by_kind.items():
        one, listed = len(places) == 1, ", ".join(places)
        is_, holds = ("is", "holds") if one else ("are", "hold")
        if kind == "function":
            because = f"{listed} {is_} None: a function or lambda, which is not saved"
            means = "the resumed run computes the lr with the function the new code passes"
        elif kind == "partial":
            because = f"{listed} {is_} {{}}: a functools.partial or a bound method, saved without its arguments"
            means = (
                f"the resumed run computes the lr with the new code's partial: change its arguments{changed} and the "
                "schedule changes silently"
            )
        else:
            because = f"{listed} {holds} the attributes of a callable object ({', '.join(sorted(attributes))})"
            means = "load_state_dict writes them over the new object's: the resumed lr uses the saved values"
        found.append(Shown(CALLABLE_CLAIMS[kind], because, means))
    return found


def _kind(entry: Any) -> str:
    """Return what a saved lr_lambdas / _scale_fn_custom entry was: a function, a partial, an object ("": none)."""
    if entry is None:
        return "function"
    if isinstance(entry, Mapping):
        return "object" if entry else "partial"
    return ""


def _imposed(state: Mapping[str, Any], steps: Mapping[str, Any]) -> list[Shown]:
    held = {key: state[key] for key in IMPOSED if key in state}
    if not held:
        return []
    values = ", ".join(f"{key}={_short(value)}" for key, value in held.items())
    means = "load_state_dict writes them over the new code's arguments: the resumed lr follows the checkpoint's"
    total = held.get("total_steps")
    if isinstance(total, int):
        at = next((f"{name} {steps[name]}" for name in ("max_steps", "global_step") if name in steps), None)
        means += (
            f"; a resume that trains past step {total} stops ('Tried to step {total + 1} times'), whatever total_steps "
            f"the new code passes" + (f" (the checkpoint's {at})" if at else "")
        )
    return [Shown(KEEPS_ARGUMENTS, f"it holds {values}", means)]


def _short(value: Any) -> str:
    text = repr(dict(value) if isinstance(value, Mapping) else value)
    return text if len(text) <= 40 else text[:37] + "..."
