"""Plain-sentence answers to the questions users ask, computed from the matrix."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from compat.catalog import schedulers, versions
from compat.catalog.specs import from_torch

RESTORE_ORDER = "In which order must I restore the optimizer and the scheduler?"
ORDERS = schedulers.RESTORE_ORDERS
ORDER_HEADINGS = {
    "scheduler-first": "optimizer, scheduler, load both",
    "built-after-load": "optimizer, load it, scheduler, load it",
    "optimizer-only": "load the optimizer only",
    "scheduler-only": "load the scheduler only",
    "last-epoch": "load the optimizer, scheduler(last_epoch=N-1), the documented index",
    "last-epoch-count": "load the optimizer, scheduler(last_epoch=N), the step count (pitfall)",
    "repaired": "built after load + get_last_lr() written back",
}
_EFFECT = re.compile(r"differs at (the first resumed step only|every resumed step|resumed steps [\d, ]+)")

QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Is the learning rate saved in the checkpoint?", ("answer.lr-in-state-dict", "answer.lr-not-in-per-param-state")),
    (
        "Is the saved lr restored by load_state_dict, over the constructor's?",
        ("optimizer.hyperparameters.restored", "answer.fresh-optimizer-uses-constructor-lr"),
    ),
    (
        "Is all of the optimizer's state in the checkpoint, and restored?",
        ("optimizer.state_dict.complete", "optimizer.state.restored"),
    ),
    ("Does training resume bit for bit?", ("optimizer.resume.bitwise", "scheduler.resume.params-bitwise")),
    (
        RESTORE_ORDER,
        tuple(
            f"scheduler.resume.{kind}{'' if order == 'scheduler-first' else '.' + order}"
            for order in ORDERS
            for kind in ("lr-trajectory", "params-bitwise")
        ),
    ),
    (
        "What loads with torch.load(weights_only=True)?",
        ("optimizer.state_dict.weights_only", "scheduler.state_dict.weights_only"),
    ),
    (
        "Is the state dict a snapshot, and does loading copy it?",
        ("optimizer.state_dict.is-snapshot", "optimizer.load.does-not-alias-argument"),
    ),
    ("Does load_state_dict match parameters by identity?", ("optimizer.load.matches-by-identity",)),
    (
        "What happens when load_state_dict fails, or gets a checkpoint for other shapes or another optimizer class?",
        ("optimizer.load.atomic", "optimizer.load.rejects-shape-mismatch", "optimizer.load.across-classes"),
    ),
    (
        "If I change T_max or milestones when I extend a run, does the change apply after loading the scheduler?",
        ("scheduler.load.keeps-constructor-arguments",),
    ),
    (
        "Which lr_lambda / scale_fn forms survive a checkpoint, and with which values?",
        (
            "answer.scheduler-lambda-not-saved",
            "answer.scheduler-callable-object-restored",
            "answer.scheduler-partial-not-saved",
            "answer.scheduler-bound-method-not-saved",
            "answer.scheduler-callables-load-weights-only",
        ),
    ),
    (
        "Does a checkpoint from another torch release load and resume?",
        (
            "crossversion.optimizer.loads",
            "crossversion.optimizer.loads.weights-only",
            "crossversion.optimizer.numerics",
            "crossversion.optimizer.resume.bitwise",
            "crossversion.optimizer.resume.close",
            "crossversion.scheduler.loads",
            "crossversion.scheduler.loads.weights-only",
            "crossversion.scheduler.resume",
        ),
    ),
    (
        "Can I resume a CUDA checkpoint's optimizer on the CPU?",
        ("optimizer.load.flags-from-another-device.defaults", "optimizer.load.flags-from-another-device"),
    ),
    ("What dtype is step after loading, under a float32 or a float64 default dtype?", ("optimizer.state.step-dtype",)),
    (
        "Does a tensor lr survive loading into a float-lr optimizer, and a float lr into a tensor-lr one?",
        ("optimizer.lr.type-follows-checkpoint",),
    ),
    (
        "What happens across devices?",
        (
            "device.cuda.optimizer.state_dict.roundtrip",
            "device.cuda.optimizer.resume.bitwise",
            "device.cuda-to-cpu.state-on-cpu",
            "device.cpu-to-cuda.state-on-cuda",
        ),
    ),
)


# The first screen of the front page: each question above as a yes/no question, and the claims whose
# outcomes answer it (all of them must hold for a plain Yes). Where an outcome depends on an opt-in
# flag, the default case comes first (docs/kinds.md).
SHORT: dict[str, tuple[str, tuple[str, ...]]] = {
    QUESTIONS[0][0]: ("Is the learning rate saved in the checkpoint?", ("answer.lr-in-state-dict",)),
    QUESTIONS[1][0]: (
        "Does load_state_dict restore the saved lr over the constructor's?",
        ("optimizer.hyperparameters.restored",),
    ),
    QUESTIONS[2][0]: (
        "Is all of the optimizer's state saved and restored as it was?",
        ("optimizer.state_dict.complete", "optimizer.state.restored"),
    ),
    QUESTIONS[3][0]: (
        "Does training resume bit for bit?",
        ("optimizer.resume.bitwise", "scheduler.resume.params-bitwise"),
    ),
    RESTORE_ORDER: (
        "Does PyTorch's documented order (build optimizer and scheduler, then load both) resume every lr exactly?",
        ("scheduler.resume.lr-trajectory", "scheduler.resume.params-bitwise"),
    ),
    QUESTIONS[5][0]: (
        "Do optimizer and scheduler state dicts load with torch.load(weights_only=True)?",
        ("optimizer.state_dict.weights_only", "scheduler.state_dict.weights_only"),
    ),
    QUESTIONS[6][0]: (
        "Is state_dict() a snapshot, and does load_state_dict copy what it is given?",
        ("optimizer.state_dict.is-snapshot", "optimizer.load.does-not-alias-argument"),
    ),
    QUESTIONS[7][0]: ("Does load_state_dict match parameters by identity?", ("optimizer.load.matches-by-identity",)),
    QUESTIONS[8][0]: (
        "Does load_state_dict refuse a checkpoint for other shapes or another class, and leave the optimizer intact?",
        ("optimizer.load.rejects-shape-mismatch", "optimizer.load.across-classes", "optimizer.load.atomic"),
    ),
    QUESTIONS[9][0]: (
        "Does a changed T_max or milestones apply after loading the scheduler?",
        ("scheduler.load.keeps-constructor-arguments",),
    ),
    QUESTIONS[10][0]: (
        "Does the new code's lambda lr_lambda / scale_fn apply after loading (it is not saved)?",
        ("answer.scheduler-lambda-not-saved",),
    ),
    QUESTIONS[11][0]: (
        "Does an optimizer checkpoint from another release load (by default) and resume bit for bit?",
        ("crossversion.optimizer.loads", "crossversion.optimizer.resume.bitwise"),
    ),
    QUESTIONS[12][0]: (
        "Does a CUDA checkpoint written with the default flags resume on the CPU?",
        ("optimizer.load.flags-from-another-device.defaults",),
    ),
    QUESTIONS[13][0]: (
        "Does step keep its dtype through a checkpoint under a float64 default dtype?",
        ("optimizer.state.step-dtype",),
    ),
    QUESTIONS[14][0]: (
        "Does an lr keep the checkpoint's type (tensor or float) when loaded into the other kind?",
        ("optimizer.lr.type-follows-checkpoint",),
    ),
    QUESTIONS[15][0]: (
        "Does an optimizer round-trip and resume bitwise on CUDA?",
        ("device.cuda.optimizer.state_dict.roundtrip", "device.cuda.optimizer.resume.bitwise"),
    ),
}


def short_answer(matrix: dict[str, Any], claim_ids: tuple[str, ...], conditions: dict[str, list[str]]) -> str:
    """Return Yes, No, "Yes, except ..." or "No, except ..." from the torch subjects' outcomes of ``claim_ids``.

    ``conditions``: per subject, what its violations need (shown beside it). Cross-release claims count
    a subject as violated where any saving -> loading pair is.
    """
    judged: dict[str, set[str]] = defaultdict(set)
    violated: dict[str, set[str]] = defaultdict(set)
    for o in matrix["outcomes"]:
        if o["claim"] in claim_ids and from_torch(o["subject"]) and o["outcome"] in ("holds", "violated", "fixed"):
            judged[short(o["subject"])].add(o["torch"])
            if o["outcome"] == "violated":
                violated[short(o["subject"])].add(o["torch"])
    if not judged:
        return "Not measured yet" + (" (no CUDA device)" if any(c.startswith("device.") for c in claim_ids) else "")
    everywhere = (
        f"{len(judged)} subject{'s' * (len(judged) != 1)}, torch {ranges([r for rs in judged.values() for r in rs])}"
    )
    if not violated:
        return f"**Yes** ({everywhere})"
    if violated == judged:
        return f"**No** ({everywhere})"

    cells = sum(len(r) for r in judged.values())
    if sum(len(r) for r in violated.values()) * 2 <= cells:
        return "**Yes, except** " + _grouped(violated, conditions, judged)
    holding = {s: judged[s] - violated.get(s, set()) for s in judged if judged[s] - violated.get(s, set())}
    return "**No, except** where it holds: " + _grouped(holding, {}, judged)


def _grouped(where: dict[str, set[str]], conditions: dict[str, list[str]], judged: dict[str, set[str]]) -> str:
    """Return subjects that share releases (and what they need) together: ``A, B (1.13); C (1.13–2.3; only ...)``.

    A release on which every subject measured there is in ``where`` reads "every subject on torch R" once.
    """
    releases = {r for found in where.values() for r in found}
    everyone = sorted(
        r for r in releases if all(r in where.get(s, ()) for s, measured in judged.items() if r in measured)
    )
    rest = {s: found - set(everyone) for s, found in where.items() if found - set(everyone)}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for subject, found in rest.items():
        groups[ranges(sorted(found)), (conditions.get(subject) or [""])[0]].append(subject)
    parts = [f"every subject on torch {ranges(everyone)}"] if everyone else []
    for (span, condition), subjects in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        parts.append(f"{', '.join(sorted(subjects))} (torch {span}{'; ' + condition if condition else ''})")
    return "; ".join(parts)


def ranges(releases: list[str]) -> str:
    """Return releases as runs of consecutive supported ones: ``1.13, 2.2–2.6``."""
    order = {r: i for i, r in enumerate(versions.SUPPORTED)}
    picked = sorted(set(releases), key=lambda r: order.get(r, -1))
    runs: list[list[str]] = []
    for release in picked:
        if runs and order.get(release, -9) == order.get(runs[-1][-1], -9) + 1:
            runs[-1].append(release)
        else:
            runs.append([release])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def short(subject: str) -> str:
    """Return ``Adam`` for ``torch.optim.Adam``."""
    return subject.rpartition(".")[2]


def sentence(matrix: dict[str, Any], claim_id: str) -> str:
    """Return where ``claim_id`` holds and where it is violated, in one paragraph."""
    if claim_id.startswith("crossversion."):
        return _pairs_sentence(matrix, claim_id)
    by_outcome: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    devices = set()
    for o in matrix["outcomes"]:
        if o["claim"] == claim_id and from_torch(o["subject"]):
            by_outcome[o["outcome"]][short(o["subject"])].append(o["torch"])
            devices.add(o["device"])
    if not by_outcome:
        return "no outcome recorded yet."
    parts = []
    held = by_outcome.get("holds", {})
    violated = by_outcome.get("violated", {})
    if held:
        parts.append(f"holds for {_subjects(held)}")
    if violated:
        parts.append(f"**violated** for {_subjects(violated)}")
    fixed = by_outcome.get("fixed", {})
    if fixed:
        parts.append(f"fixed (a known violation no longer shows) for {_subjects(fixed)}")
    errors = by_outcome.get("error", {})
    if errors:
        parts.append(f"the harness errored for {_subjects(errors)}")
    not_run = by_outcome.get("not-run", {})
    if not_run and not held and not violated:
        parts.append(f"not run: no CUDA device on the machines that ran torch {ranges(_all(not_run))}")
    return "; ".join(parts) + f" ({', '.join(sorted(devices))})."


def _pairs_sentence(matrix: dict[str, Any], claim_id: str) -> str:
    """Return how many saving -> loading pairs hold, and which violate, per subject."""
    judged = [
        o
        for o in matrix["outcomes"]
        if o["claim"] == claim_id and from_torch(o["subject"]) and o["outcome"] in ("holds", "violated")
    ]
    if not judged:
        return "no outcome recorded yet."
    bad: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for o in judged:
        if o["outcome"] == "violated":
            bad[short(o["subject"])][o["saved_by"]].add(o["torch"])
    held = len(judged) - sum(len(loaders) for savers in bad.values() for loaders in savers.values())
    text = f"{held} of {len(judged)} saving → loading release pairs hold"
    if not bad:
        return text + " (cpu)."
    parts = []
    for subject, savers in sorted(bad.items()):
        by_loaders: dict[str, list[str]] = defaultdict(list)
        for saver, loaders in savers.items():
            by_loaders[ranges(sorted(loaders))].append(saver)
        spans = "; ".join(f"saved by {ranges(s)} → loaded by {loaders}" for loaders, s in sorted(by_loaders.items()))
        parts.append(f"{subject} ({spans})")
    return f"{text}; **violated** for {', '.join(parts)} (cpu)."


def _all(found: dict[str, list[str]]) -> list[str]:
    return [r for rs in found.values() for r in rs]


def _subjects(found: dict[str, list[str]]) -> str:
    by_range: dict[str, list[str]] = defaultdict(list)
    for subject, releases in found.items():
        by_range[ranges(releases)].append(subject)
    return "; ".join(f"{', '.join(sorted(s))} on torch {r}" for r, s in sorted(by_range.items()))


def restore_orders(matrix: dict[str, Any]) -> list[str]:
    """Return a table: per scheduler and restore order, where the resumed run uses the uninterrupted lr.

    A cell says ✅ where the lr every resumed step uses and the final parameters both match the
    uninterrupted run on every release measured, else which steps go wrong (the first resumed step
    only, every step, some steps), whether the parameters differ, and on which releases.
    """
    cells: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for o in matrix["outcomes"]:
        if not o["claim"].startswith("scheduler.resume.") or "saved_by" in o or not from_torch(o["subject"]):
            continue
        kind, _, order = o["claim"].removeprefix("scheduler.resume.").partition(".")
        cells[short(o["subject"]), order or "scheduler-first"][_verdict(kind, o)].append(o["torch"])
    if not cells:
        return []
    subjects = sorted({subject for subject, _ in cells})
    lines = [
        "Per scheduler and restore order: ✅ the lr each resumed `optimizer.step()` uses (the first one "
        "included) and the final parameters equal the uninterrupted run's; otherwise which resumed steps "
        'use another lr, on which releases, and what the shown example needs ("only with a tensor lr": a float '
        "lr resumes right). N = the number of scheduler steps taken before the save.",
        "",
        "| scheduler | safe on every release | " + " | ".join(ORDER_HEADINGS[order] for order in ORDERS) + " |",
        "|---" * (len(ORDERS) + 2) + "|",
    ]
    for subject in subjects:
        row = [_cell(cells.get((subject, order), {})) for order in ORDERS]
        safe = ", ".join(order for order, cell in zip(ORDERS, row, strict=True) if cell == "✅") or "none"
        lines.append(f"| {subject} | {safe} | " + " | ".join(row) + " |")
    return [*lines, ""]


def _verdict(kind: str, outcome: dict[str, Any]) -> str:
    """Return what one outcome says of its order: holds, n/a, or the wrong steps (lr) or params."""
    if outcome["outcome"] in ("holds", "fixed", "not-applicable", "not-run", "error"):
        words = {"holds": "ok", "fixed": "ok (fixed)", "not-applicable": "n/a", "not-run": "not run"}
        return words.get(outcome["outcome"], "harness error")
    return _effect(kind, outcome) + "".join(f", {condition}" for condition in outcome.get("conditions") or ())


def _effect(kind: str, outcome: dict[str, Any]) -> str:
    """Return which resumed steps a violated outcome's lr goes wrong at, or that the params differ."""
    if kind == "params-bitwise":
        return "params differ"
    found = _EFFECT.search(outcome.get("reason", ""))
    if found is None:
        return "refused" if " raised " in outcome.get("reason", "") else "lr differs"
    effect = found.group(1).strip().replace("the first resumed step only", "first step only")
    effect = effect.replace("every resumed step", "every step").replace("resumed steps", "steps")
    what = "momentum" if re.search(r"\.(momentum|beta1):", outcome.get("reason", "")) else "lr"
    return f"{what}: {effect}"


def _cell(verdicts: dict[str, list[str]]) -> str:
    """Return one table cell: ✅, or each problem with its releases."""
    problems = {v: r for v, r in verdicts.items() if v != "ok"}
    if not problems:
        return "✅" if verdicts else "–"
    by_releases: dict[str, list[str]] = defaultdict(list)
    for verdict, releases in problems.items():
        by_releases[ranges(releases)].append(verdict)
    parts = [f"{', '.join(sorted(v))} ({r})" for r, v in sorted(by_releases.items())]
    mark = "" if set(problems) <= {"n/a", "not run"} else "❌ "
    return mark + "; ".join(parts)
