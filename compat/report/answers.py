"""Plain-sentence answers to the questions users ask, computed from the matrix."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from compat import versions
from compat.specs import from_torch

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
        "In which order must I restore the optimizer and the scheduler?",
        (
            "scheduler.resume.lr-trajectory",
            "scheduler.resume.lr-trajectory.built-after-load",
            "scheduler.resume.lr-trajectory.optimizer-only",
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
        "Does a checkpoint from another torch release load and resume?",
        (
            "crossversion.optimizer.loads",
            "crossversion.optimizer.resume.bitwise",
            "crossversion.optimizer.resume.close",
            "crossversion.scheduler.loads",
            "crossversion.scheduler.resume",
        ),
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
