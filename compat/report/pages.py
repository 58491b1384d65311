"""One Markdown page per subject: its claims x releases table, its cross-release grids, then its findings.

A page is sized for GitHub (which renders Markdown up to 1 MB, and shows less of a long page): only
the columns of devices that ran, one section per finding rather than per outcome, and one reproducer
per finding.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from compat.catalog import versions
from compat.report.answers import ranges, short
from compat.report.findings import Finding, page

SYMBOL = {"holds": "✅", "violated": "❌", "fixed": "🩹", "error": "⚠️", "not-applicable": "–", "not-run": "·"}
DOCUMENTED = "📘"  # a violated claim that PyTorch documents: an answer, not a failure
LEGEND = (
    "✅ holds · ❌ violated (a bug, a limitation, untriaged, a gap of our workaround, or new) · "
    "📘 does not hold, as PyTorch documents or its source intends · "
    "🩹 fixed (a known violation no longer shows) · ⚠️ harness error · – not applicable · · not run"
)


def anchor(*parts: str) -> str:
    """Return a stable anchor id made of ``parts`` (claim, subject, release, device)."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")


def releases_of(matrix: dict[str, Any]) -> list[str]:
    """Return the releases the matrix holds, oldest first."""
    order = {r: i for i, r in enumerate(versions.SUPPORTED)}
    return sorted({o["torch"] for o in matrix["outcomes"]}, key=lambda r: order.get(r, 99))


def devices_run(outcomes: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Return the devices with an outcome that ran (cpu first) and those that never ran anywhere."""
    ran = {o["device"] for o in outcomes if o["outcome"] in ("holds", "violated", "fixed", "error")}
    never = {o["device"] for o in outcomes} - ran
    return sorted(ran, key=lambda d: (d != "cpu", d)), sorted(never)


def finding_anchor(finding: Finding) -> str:
    """Return the anchor of ``finding`` on its subject's page."""
    return anchor("f", finding.id)


def link(finding: Finding, *, from_root: bool) -> str:
    """Return the link to ``finding`` from the front page (``from_root``) or from another subject page."""
    return f"{page(finding.subject) if from_root else '../' + page(finding.subject)}#{finding_anchor(finding)}"


KIND_NAMES = {
    "documented": "As documented",
    "by-design": "By design",
    "bug": "Bug",
    "limitation": "Limitation",
    "untriaged": "Untriaged",
    "workaround": "Gap of this project's workaround (not a PyTorch bug)",
}


def finding_line(finding: Finding) -> str:
    """Return the line that says what kind of finding it is (docs/kinds.md), why, and the evidence or report."""
    if finding.kind == "new":
        return "**New finding**: no entry of `compat/catalog/expected_outcomes.toml` expects it."
    name = KIND_NAMES.get(finding.kind, finding.kind.capitalize())
    inherited = f", inherited from `{finding.inherited}`" if finding.inherited else ""
    return f"**{name}**{inherited}: {finding.explanation}{evidence_text(finding)}{upstream_text(finding)}"


def evidence_text(finding: Finding) -> str:
    """Return the quote a documented or by-design finding rests on, where it is, and since when."""
    evidence = finding.evidence
    if not evidence:
        return ""
    said = "PyTorch's docs" if finding.kind == "documented" else "torch's source"
    where = evidence["where"]
    place = f"[the docs]({where})" if where.startswith("https://") else f"`{where}`"
    first = min((o["torch"] for o in finding.outcomes), key=versions.release)
    later = (
        f", from torch {evidence['since']} on; the behaviour is older"
        if versions.release(evidence["since"]) > versions.release(first)
        else ""
    )
    return f". {said}: “{evidence['quote']}” ({place}{later})"


def upstream_text(finding: Finding) -> str:
    """Return the upstream report, its state as read there, and the release with its fix."""
    upstream = finding.upstream
    if not upstream:
        return " (not reported upstream)" if finding.kind == "untriaged" else ""
    fixed = f", fixed in {upstream['fixed_in']}" if upstream.get("fixed_in") else ""
    return f" ([{report_name(upstream['url'])}]({upstream['url']}), {upstream['state']}{fixed})"


def report_name(url: str) -> str:
    """Return ``pytorch/pytorch#123`` for a GitHub issue or pull request address, else the address."""
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+)/(?:issues|pull)/(\d+)", url)
    return f"{match[1]}#{match[2]}" if match else url


def mark(kind: str) -> str:
    """Return the symbol of a violated cell of this kind of finding."""
    return DOCUMENTED if kind in ("documented", "by-design") else SYMBOL["violated"]


def render_subject(subject: str, outcomes: list[dict[str, Any]], releases: list[str], found: list[Finding]) -> str:
    """Return the page of ``subject`` from its outcomes and findings: table, cross-release grids, findings."""
    from compat.report import GENERATED

    lines = [f"<!-- {GENERATED} -->", f"# {short(subject)}", ""]
    lines += [f"`{subject}`: every claim of the matrix on every release it ran. [All subjects](../README.md)", ""]
    lines += [LEGEND, ""]
    by_outcome = {_key(o): f for f in found for o in f.outcomes}
    lines += _table(outcomes, releases, by_outcome)
    lines += _grids(outcomes, releases, by_outcome)
    lines += ["## Findings", ""]
    if not found:
        lines += ["None: every claim that ran holds on every release.", ""]
    for finding in found:
        lines += _finding_section(finding)
    return "\n".join(lines) + "\n"


def _key(o: dict[str, Any]) -> tuple[str, str, str, str]:
    return o["claim"], o["torch"], o["device"], o.get("saved_by", "")


def _cell(o: dict[str, Any] | None, by_outcome: dict[Any, Finding]) -> str:
    """Return a table cell: the outcome's symbol, a violated one linking its finding."""
    if o is None:
        return " "
    if o["outcome"] != "violated":
        return SYMBOL[o["outcome"]]
    finding = by_outcome[_key(o)]
    return f"[{mark(finding.kind)}](#{finding_anchor(finding)})"


def _table(outcomes: list[dict[str, Any]], releases: list[str], by_outcome: dict[Any, Finding]) -> list[str]:
    same = [o for o in outcomes if "saved_by" not in o]
    ran, never = devices_run(same)
    cells = {(o["claim"], o["torch"], o["device"]): o for o in same}
    present = {(r, d) for _, r, d in cells}
    columns = [(r, d) for d in ran for r in releases if (r, d) in present]
    lines = ["## Claims × releases", ""]
    if never:
        skipped = sorted({o["claim"] for o in same if o["device"] in never})
        lines += [
            f"Not run: no {', '.join(never)} device on the machines that ran the matrix "
            f"({len(skipped)} claims: {', '.join(f'`{c}`' for c in skipped)}); their columns are left out.",
            "",
        ]
    multi = len(ran) > 1
    lines.append("| claim | " + " | ".join(f"{r}/{d}" if multi else r for r, d in columns) + " |")
    lines.append("|---|" + "---|" * len(columns))
    for claim_id in sorted({c for c, _, d in cells if d in ran}):
        row = []
        for release, device in columns:
            row.append(_cell(cells.get((claim_id, release, device)), by_outcome))
        lines.append(f"| `{claim_id}` | " + " | ".join(row) + " |")
    return [*lines, ""]


def _grids(outcomes: list[dict[str, Any]], releases: list[str], by_outcome: dict[Any, Finding]) -> list[str]:
    """Return a saving x loading release grid per cross-release claim that is violated somewhere."""
    cross: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for o in outcomes:
        if "saved_by" in o:
            cross[o["claim"]][o["saved_by"], o["torch"]] = o
    if not cross:
        return []
    lines = [
        "## Across releases",
        "",
        "Rows: the release that saved the checkpoint; columns: the release that loads it.",
        "",
    ]
    for claim_id, pairs in sorted(cross.items()):
        judged = [o for o in pairs.values() if o["outcome"] in ("holds", "violated")]
        bad = [o for o in judged if o["outcome"] == "violated"]
        if not bad:
            lines += [f"- `{claim_id}`: holds on all {len(judged)} saving → loading pairs measured.", ""]
            continue
        lines += [f"### `{claim_id}`", "", f"{len(judged) - len(bad)} of {len(judged)} pairs hold.", ""]
        loaders = [r for r in releases if any(t == r for _, t in pairs)]
        savers = [r for r in releases if any(s == r for s, _ in pairs)]
        lines.append("| saved by ↓ loaded by → | " + " | ".join(loaders) + " |")
        lines.append("|---|" + "---|" * len(loaders))
        for saver in savers:
            row = []
            for loader in loaders:
                row.append(_cell(pairs.get((saver, loader)), by_outcome))
            lines.append(f"| {saver} | " + " | ".join(row) + " |")
        lines.append("")
    return lines


def example_lines(outcome: dict[str, Any]) -> list[str]:
    """Return the example a violation shows, where it came from, and what it needs."""
    if outcome.get("example_source") == "search":
        where = "Example found by the search, reduced to its simplest form"
    elif outcome.get("example_source") == "pinned":
        where = f"Pinned example, reduced to its simplest form ({outcome.get('why_pinned') or 'not searched'})"
    elif outcome.get("example_source") == "fixture":
        where = "The checkpoint the saving release wrote (the cross-release fixture)"
    else:
        where = "Pinned example" if outcome["expected"] else "Shrunk example"
    lines = [f"{where}, on {outcome['torch_version']}:", "", "```python", outcome["example"], "```", ""]
    if outcome.get("conditions"):
        lines += [
            "Needs (the claim holds when this one feature is made plain): " + "; ".join(outcome["conditions"]) + ".",
            "",
        ]
    elif outcome.get("conditions") is not None:
        lines += [
            "Needs nothing this example could do without: no one-feature simplification of it makes the claim hold.",
            "",
        ]
    return lines


def verification(finding: Finding) -> str:
    """Return what running this one reproducer on each place of the finding showed, grouped by verdict."""
    where = "saving -> loading pairs" if finding.cross else "releases"
    by_verdict: dict[str, list[str]] = defaultdict(list)
    for place in finding.places:
        by_verdict[finding.checks.get(place) or "not run yet"].append(place)
    confirmed = by_verdict.pop("confirmed", [])
    if not by_verdict:
        return f"run on each of its {len(confirmed)} {where}, it printed the VIOLATED line and exited 1"
    parts = [f"confirmed on {len(confirmed)} of its {len(finding.places)} {where} ({_places(confirmed)})"]
    for verdict, places in sorted(by_verdict.items(), key=lambda item: -len(item[1])):
        own = sum(finding.own_scripts.get(p) == "confirmed" for p in places)
        parts.append(f"on {_places(places)}: {verdict} (the reproducer written there confirmed it on {own})")
    return "; ".join(parts)


def _places(places: list[str]) -> str:
    if places and "->" in places[0]:
        return f"{len(places)} pairs" if len(places) > 3 else ", ".join(places)
    return ranges(places) if places else "none"


def _finding_section(finding: Finding) -> list[str]:
    shown = finding.shown
    span = (
        f"saved by {ranges([s for s, _ in finding.pairs])}, loaded by {finding.releases}"
        if finding.cross
        else f"torch {finding.releases}"
    )
    lines = [f'### <a id="{finding_anchor(finding)}"></a>`{finding.claim}`: {span}, {finding.device}', ""]
    lines += [finding_line(finding), ""]
    where = f"saved by {shown['saved_by']}, loaded by {shown['torch']}" if finding.cross else shown["torch_version"]
    lines += [f"{shown['reason']} (on {where})", ""]
    if finding.cross and len(finding.pairs) > 1:
        by_saver: dict[str, list[str]] = defaultdict(list)
        for saver, loader in finding.pairs:
            by_saver[saver].append(loader)
        spans = "; ".join(f"{s} → {ranges(loaders)}" for s, loaders in sorted(by_saver.items(), key=_release_key))
        lines += [f"Pairs (saved by → loaded by): {spans}.", ""]
    if shown.get("example"):
        lines += example_lines(shown)
    if finding.script:
        steps = " (two steps: its `save` step under the saving release, then the script under the loading one)"
        lines += [
            f"Reproducer: [{finding.script.rpartition('/')[2]}](../{finding.script}), plain torch, exits 1 and prints "
            f"`VIOLATED: {finding.claim}` while the violation is present{steps if finding.cross else ''}; "
            f"{verification(finding)}.",
            "",
        ]
    return lines


def _release_key(item: tuple[str, Any]) -> tuple[int, ...]:
    return versions.release(item[0])
