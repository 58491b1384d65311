"""``reports/README.md``: the front page. The answers, a line per subject linking its page, how to reproduce.

Each subject's table and findings are on its own page (``compat.report.pages``), so every page
stays small enough for GitHub to render.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from compat.catalog.specs import from_torch
from compat.catalog.versions import release_of
from compat.report.answers import (
    QUESTIONS,
    RESTORE_ORDER,
    SHORT,
    ranges,
    restore_orders,
    sentence,
    short,
    short_answer,
)
from compat.report.findings import Finding, is_scheduler, page
from compat.report.pages import LEGEND, anchor, finding_line, link, mark, releases_of

FAMILIES = (
    ("torch optimizers", lambda s: from_torch(s) and not is_scheduler(s)),
    ("torch LR schedulers", lambda s: from_torch(s) and is_scheduler(s)),
    ("Third-party optimizers", lambda s: not from_torch(s)),
)


def render(matrix: dict[str, Any], found: list[Finding]) -> str:
    """Return the front page."""
    from compat.report import GENERATED

    releases = releases_of(matrix)
    by_claim: dict[str, list[Finding]] = defaultdict(list)
    for finding in found:
        if from_torch(finding.subject):
            by_claim[finding.claim].append(finding)
    lines = [f"<!-- {GENERATED} -->", "# torch-optim-compat report", ""]
    lines += [
        f"What survives when a PyTorch optimizer and its LR scheduler go through `torch.save` / `torch.load` and "
        f"training resumes, measured on torch {ranges(releases)} by a property suite over real PyTorch. Each "
        "answer links its evidence: the claims, where they hold, and every violation's kind, its quote of PyTorch "
        "or upstream report, and a reproducer.",
        "",
        "## Short answers (default settings)",
        "",
        *_short_answers(matrix, by_claim),
        "",
        _causes(found),
        "",
        f"Matrix generated {matrix['generated']}. {_provenance(matrix)} Each subject has its own page with its "
        "claims × releases table, its cross-release grids and its findings.",
        "",
        LEGEND,
        "",
        CHECK_YOURS,
        "",
    ]
    lines += ["## Answers", ""]
    statements = {c["id"]: c["statement"] for c in matrix["claims"]}
    for question, claim_ids in QUESTIONS:
        lines += [f'### <a id="{anchor("q", question)}"></a>{question}', ""]
        if question == RESTORE_ORDER:
            lines += restore_orders(matrix)
        for claim_id in claim_ids:
            lines.append(f"- [`{claim_id}`](#{anchor('claim', claim_id)}): {statements.get(claim_id, '')} ")
            lines.append(f"  {sentence(matrix, claim_id)}")
            lines += _answer_findings(by_claim.get(claim_id, []))
        lines.append("")
    lines += _subjects(matrix, found)
    lines += ["## Claims", ""]
    for claim in matrix["claims"]:
        lines.append(
            f'- <a id="{anchor("claim", claim["id"])}"></a>`{claim["id"]}` ({claim["category"]}): {claim["statement"]}'
        )
    lines += ["", *HOW_TO_REPRODUCE]
    return "\n".join(lines) + "\n"


CHECK_YOURS = (
    "**Your own checkpoint:** `python -m compat check path/to/checkpoint.pt --torch 2.8` reads it safely "
    "(`weights_only=True`), names the optimizer and scheduler states in it and the releases that can have "
    "written them, and lists the findings below that apply when it is loaded on torch 2.8, with what to do; "
    "it exits 1 when any does. It reads a plain state dict, a dict of them, Lightning's `.ckpt` and a Hugging Face "
    "Trainer folder."
)

HOW_TO_REPRODUCE = [
    "## How to reproduce",
    "",
    "Every finding on a subject's page links one reproducer in `repro/`: plain torch, no project code. "
    "Run it with the torch release the finding names: it prints the two values that differ and "
    "`VIOLATED: <claim id>`, and exits 1 while the violation is present (0 once it is gone). A cross-release "
    "reproducer has two steps: `python SCRIPT save` under the saving release, then `python SCRIPT` under the "
    "loading one. `python -m compat cite CLAIM --subject NAME --torch X.Y` prints a finding as a Markdown snippet "
    "for a bug report; `python -m compat explain CLAIM` says what a claim checks and where it holds.",
    "",
]


def _provenance(matrix: dict[str, Any]) -> str:
    """Return which runs (releases, the zoo) come from which commit of this project, profile and day."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for run in matrix["runs"]:
        groups[run.get("project_commit", "unknown")[:12], run["profile"], run["finished"][:10]].append(run)
    parts = []
    for (commit, profile, day), runs in sorted(groups.items(), key=lambda item: item[0][2]):
        torch = [r for r in runs if not r["file"].startswith("zoo")]
        zoo = [r for r in runs if r["file"].startswith("zoo")]
        what = [f"torch {ranges([release_of(r['torch']) for r in torch])}"] if torch else []
        what += [f"the third-party zoo on torch {r['torch']}" for r in zoo]
        parts.append(f"{' and '.join(what)}: commit {commit}, {profile} profile, {day}")
    return "Runs: " + "; ".join(parts) + "."


def _short_answers(matrix: dict[str, Any], by_claim: dict[str, list[Finding]]) -> list[str]:
    """Return one line per question: Yes, No or "Yes, except ...", linking the question's evidence."""
    lines = []
    for question, _ in QUESTIONS:
        asked, claim_ids = SHORT[question]
        conditions = {
            short(f.subject): f.shown["conditions"]
            for claim_id in reversed(claim_ids)
            for f in by_claim.get(claim_id, [])
            if f.shown.get("conditions")
        }
        lines.append(f"- [{asked}](#{anchor('q', question)}) {short_answer(matrix, claim_ids, conditions)}.")
    return lines


def _causes(found: list[Finding]) -> str:
    """Return how many distinct causes (explanation and link) torch's own findings come down to, by kind."""
    own = [f for f in found if from_torch(f.subject)]
    if not own:
        return "No violation of torch's own classes."
    causes = len({f.cause for f in own})
    return (
        f"Violations of torch's own classes come down to {causes} distinct cause{'s' * (causes != 1)} "
        f"({_by_kind(own)}), shown as {len(own)} finding{'s' * (len(own) != 1)} (one per claim, subject and "
        "difference, each with its reproducer). Kinds: [docs/kinds.md](../docs/kinds.md)."
    )


def _by_kind(found: list[Finding]) -> str:
    """Return how many distinct causes of each kind ``found`` comes down to: ``3 bug, 2 documented``."""
    counts: dict[str, int] = defaultdict(int)
    for kind, _, _ in {f.cause for f in found}:
        counts[kind] += 1
    return ", ".join(f"{counts[k]} {k}" for k in KIND_ORDER if counts.get(k))


KIND_ORDER = ("new", "bug", "untriaged", "limitation", "workaround", "by-design", "documented", "known")


def _answer_findings(found: list[Finding]) -> list[str]:
    """Return one line per kind and cause among a claim's findings: subjects linked, releases, conditions."""
    groups: dict[tuple[str, str, str | None], list[Finding]] = defaultdict(list)
    for finding in found:
        groups[finding.cause].append(finding)
    lines = []
    for (kind, _, _), members in sorted(groups.items(), key=lambda item: (item[0][0] != "new", repr(item[0]))):
        subjects = sorted({f.subject for f in members}, key=short)
        first = {s: next(f for f in members if f.subject == s) for s in subjects}
        named = ", ".join(f"[{short(s)}]({link(first[s], from_root=True)})" for s in subjects)
        releases = ranges([o["torch"] for f in members for o in f.outcomes])
        lines.append(f"  - {mark(kind)} {named} (torch {releases}): {finding_line(members[0])}{_needs(members)}")
    return lines


def _needs(members: list[Finding]) -> str:
    """Return what the findings' shown examples need, grouped by subject where they differ."""
    by_needs: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for finding in members:
        conditions = finding.shown.get("conditions")
        if conditions:
            by_needs[tuple(conditions)].append(short(finding.subject))
    if not by_needs:
        return ""
    if len(by_needs) == 1 and sum(len(s) for s in by_needs.values()) == len(members):
        return " Needs: " + "; ".join(next(iter(by_needs))) + "."
    parts = [f"{', '.join(sorted(set(s)))}: {'; '.join(c)}" for c, s in sorted(by_needs.items(), key=lambda i: i[1])]
    return " Needs: " + " | ".join(parts) + "."


def _subjects(matrix: dict[str, Any], found: list[Finding]) -> list[str]:
    """Return a table per family: one line per subject, linking its page."""
    outcomes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in matrix["outcomes"]:
        outcomes[o["subject"]].append(o)
    by_subject: dict[str, list[Finding]] = defaultdict(list)
    for finding in found:
        by_subject[finding.subject].append(finding)
    lines = ["## Subjects", ""]
    for family, belongs in FAMILIES:
        subjects = sorted((s for s in outcomes if belongs(s)), key=lambda s: (short(s).lower(), s))
        if not subjects:
            continue
        lines += [f"### {family}", ""]
        if family.startswith("Third-party"):
            lines += _third_party_header(matrix)
        lines += ["| subject | claims that hold wherever they ran | findings |", "|---|---|---|"]
        for subject in subjects:
            same = [o for o in outcomes[subject] if "saved_by" not in o]
            ran = {o["claim"] for o in same if o["outcome"] in ("holds", "violated", "fixed", "error")}
            broken = {o["claim"] for o in same if o["outcome"] in ("violated", "fixed", "error")}
            name = short(subject) if from_torch(subject) else subject
            holding = f"{len(ran - broken)} of {len(ran)}"
            lines.append(f"| [{name}]({page(subject)}) | {holding} | {_kinds(by_subject[subject])} |")
        lines.append("")
    return lines


def _kinds(found: list[Finding]) -> str:
    """Return the subject's distinct causes (explanation and link) by kind, and how many findings show them."""
    if not found:
        return "none"
    return f"{_by_kind(found)} ({len(found)} finding{'s' * (len(found) != 1)})"


def _third_party_header(matrix: dict[str, Any]) -> list[str]:
    packages = sorted({(name, version) for run in matrix["runs"] for name, version in run.get("packages", {}).items()})
    lines = []
    if packages:
        lines += ["Packages: " + ", ".join(f"{name} {version}" for name, version in packages) + ".", ""]
    left_out = matrix.get("third_party_left_out", [])
    if left_out:
        lines += [f"Left out ({len(left_out)}: they do not build or train on the pinned example):", ""]
        lines += [f"- `{entry['target']}`: {entry['reason']}" for entry in left_out]
        lines.append("")
    return lines
