"""``reports/README.md``: the answers first, then claims x releases per subject, then every violation."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from compat import versions
from compat.report.answers import QUESTIONS, RESTORE_ORDER, ranges, restore_orders, sentence, short
from compat.specs import from_torch

SYMBOL = {"holds": "✅", "violated": "❌", "fixed": "🩹", "error": "⚠️", "not-applicable": "–", "not-run": "·"}
DOCUMENTED = "📘"  # a violated claim that PyTorch documents: an answer, not a failure
LEGEND = (
    "✅ holds · ❌ violated (a bug, a limitation or a new finding) · 📘 does not hold, as PyTorch documents · "
    "🩹 fixed (a known violation no longer shows) · ⚠️ harness error · – not applicable · · not run"
)


def anchor(*parts: str) -> str:
    """Return a stable anchor id made of ``parts`` (claim, subject, release, device)."""
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")


def _releases(matrix: dict[str, Any]) -> list[str]:
    order = {r: i for i, r in enumerate(versions.SUPPORTED)}
    return sorted({o["torch"] for o in matrix["outcomes"]}, key=lambda r: order.get(r, 99))


def render(matrix: dict[str, Any]) -> str:
    """Return the Markdown report."""
    from compat.report import GENERATED

    releases = _releases(matrix)
    lines = [f"<!-- {GENERATED} -->", "# torch-optim-compat report", ""]
    runs = ", ".join(f"torch {r['torch']} ({r['device']}, {r['profile']} profile)" for r in matrix["runs"])
    lines += [f"Matrix generated {matrix['generated']} from {len(matrix['runs'])} runs: {runs}.", ""]
    lines += ["## Answers", ""]
    statements = {c["id"]: c["statement"] for c in matrix["claims"]}
    for question, claim_ids in QUESTIONS:
        lines += [f"### {question}", ""]
        if question == RESTORE_ORDER:
            lines += restore_orders(matrix)
        for claim_id in claim_ids:
            lines.append(f"- [`{claim_id}`](#{anchor('claim', claim_id)}): {statements.get(claim_id, '')} ")
            lines.append(f"  {sentence(matrix, claim_id)}")
        lines.append("")
    lines += ["## Claims", ""]
    for claim in matrix["claims"]:
        lines.append(
            f'- <a id="{anchor("claim", claim["id"])}"></a>`{claim["id"]}` ({claim["category"]}): {claim["statement"]}'
        )
    lines += ["", "## Claims × releases, per subject", "", LEGEND, ""]
    cells: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for o in matrix["outcomes"]:
        if "saved_by" not in o:
            cells[o["subject"]][o["claim"], f"{o['torch']}/{o['device']}"] = o
    lines += _subject_tables(cells, [s for s in sorted(cells) if from_torch(s)], releases)
    lines += _across_releases(matrix)
    lines += _third_party(matrix, cells, releases)
    lines += _violations(matrix)
    return "\n".join(lines) + "\n"


def _third_party(
    matrix: dict[str, Any], cells: dict[str, dict[tuple[str, str], dict[str, Any]]], releases: list[str]
) -> list[str]:
    """Return the zoo section: package versions, then a claims x releases table per third-party optimizer."""
    subjects = [s for s in sorted(cells) if not from_torch(s)]
    lines = ['## <a id="third-party"></a>Third-party optimizers', ""]
    if not subjects:
        return [*lines, "No third-party optimizers recorded yet (`nox -s zoo`).", ""]
    packages = sorted({(name, version) for run in matrix["runs"] for name, version in run.get("packages", {}).items()})
    lines += ["Packages: " + ", ".join(f"{name} {version}" for name, version in packages) + ".", ""]
    violated = [s for s in subjects if any(o["outcome"] == "violated" for o in cells[s].values())]
    lines += [f"{len(subjects)} optimizers checked; {len(violated)} violate at least one claim.", ""]
    left_out = matrix.get("third_party_left_out", [])
    if left_out:
        lines += [f"Left out ({len(left_out)}: they do not build or train on the pinned example):", ""]
        lines += [f"- `{entry['target']}`: {entry['reason']}" for entry in left_out]
        lines.append("")
    return lines + _subject_tables(cells, subjects, releases)


def _subject_tables(
    cells: dict[str, dict[tuple[str, str], dict[str, Any]]], subjects: list[str], releases: list[str]
) -> list[str]:
    """Return a claims x releases table for each of ``subjects``."""
    lines: list[str] = []
    for subject in subjects:
        columns = sorted(
            {key[1] for key in cells[subject]},
            key=lambda c: (c.split("/")[1] != "cpu", releases.index(c.split("/")[0]), c.split("/")[1]),
        )
        lines += [f'### <a id="{anchor("subject", subject)}"></a>{subject}', ""]
        lines.append("| claim | " + " | ".join(columns) + " |")
        lines.append("|---|" + "---|" * len(columns))
        for claim_id in sorted({key[0] for key in cells[subject]}):
            row = []
            for column in columns:
                o = cells[subject].get((claim_id, column))
                if o is None:
                    row.append(" ")
                elif o["outcome"] == "violated":
                    mark = DOCUMENTED if o.get("kind") == "documented" else SYMBOL["violated"]
                    row.append(f"[{mark}](#{anchor('v', claim_id, subject, o['torch'], o['device'])})")
                else:
                    row.append(SYMBOL[o["outcome"]])
            lines.append(f"| `{claim_id}` | " + " | ".join(row) + " |")
        lines.append("")
    return lines


def _across_releases(matrix: dict[str, Any]) -> list[str]:
    """Return the cross-release section: per claim and subject, which saving/loading pairs violate it."""
    pairs: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for o in matrix["outcomes"]:
        if "saved_by" in o and o["outcome"] in ("holds", "violated"):
            pairs[o["claim"], o["subject"]][o["outcome"]].append((o["saved_by"], o["torch"]))
    lines = ["## Across releases (saved by one release, loaded by another)", ""]
    if not pairs:
        return [*lines, "No cross-release outcomes recorded yet.", ""]
    lines += ["| claim | subject | pairs that hold | violated (saved by → loaded by) |", "|---|---|---|---|"]
    for (claim_id, subject), found in sorted(pairs.items()):
        bad = ", ".join(f"{s}→{t}" for s, t in sorted(found.get("violated", []), key=_pair_order))
        if bad:
            bad = f"[{bad}](#{anchor('x', claim_id, subject)})"
        lines.append(f"| `{claim_id}` | {short(subject)} | {len(found.get('holds', []))} | {bad or 'none'} |")
    return [*lines, "", *_crossversion_violations(matrix)]


def _pair_order(pair: tuple[str, str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return versions.release(pair[0]), versions.release(pair[1])


def _verified(found: list[dict[str, Any]]) -> str:
    statuses = {o.get("repro_exit") for o in found if o.get("repro")}
    if statuses == {1}:
        return "; each was run by the matrix on the loading release and exited 1"
    odd = sorted({f"{o['torch']} (exit {o['repro_exit']})" for o in found if o.get("repro_exit") not in (None, 1)})
    return f"; exits other than 1: {', '.join(odd)}" if odd else ""


def _crossversion_violations(matrix: dict[str, Any]) -> list[str]:
    """Return one entry per cross-release claim x subject: reason, pairs, and two-step reproducers."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for o in matrix["outcomes"]:
        if o["outcome"] == "violated" and "saved_by" in o:
            groups[o["claim"], o["subject"]].append(o)
    lines = ["## Cross-release violations", ""]
    for (claim_id, subject), found in sorted(groups.items()):
        found.sort(key=lambda o: _pair_order((o["saved_by"], o["torch"])))
        newest = found[-1]
        lines += [f'### <a id="{anchor("x", claim_id, subject)}"></a>`{claim_id}` — {short(subject)}', ""]
        lines += [f"{newest['reason']} (saved by {newest['saved_by']}, loaded by {newest['torch']})", ""]
        lines += [_finding(newest), ""]
        by_saver: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for o in found:
            by_saver[o["saved_by"]].append(o)
        lines += ["| saved by | loaded by | reproducer |", "|---|---|---|"]
        for saver, loaded in sorted(by_saver.items(), key=lambda item: versions.release(item[0])):
            script = next((o["repro"] for o in loaded if o.get("repro")), None)
            link = f"[two steps]({script})" if script else "none"
            lines.append(f"| {saver} | {ranges([o['torch'] for o in loaded])} | {link} |")
        lines += [
            "",
            "Run a reproducer's `save` step under the saving release, then the script itself under the "
            f"loading one; it exits 1 while the violation is present{_verified(found)}.",
            "",
        ]
    return lines if groups else [*lines, "None recorded.", ""]


def _finding(outcome: dict[str, Any]) -> str:
    """Return the line that says what kind of finding a violation is, why, and where upstream."""
    if not outcome["expected"]:
        return "**New finding**: no entry of `compat/expected_outcomes.toml` expects it."
    kind = outcome.get("kind", "known")
    explanation = outcome.get("explanation", "")
    link = outcome.get("link")
    if kind == "documented":
        return f"**As documented**: {explanation}" + (f" ([docs or source]({link}))" if link else "")
    return f"**{kind.capitalize()}**: {explanation}" + (f" ([upstream]({link}))" if link else "")


def _example(outcome: dict[str, Any]) -> list[str]:
    """Return the example a violation shows, where it came from, and what it needs."""
    if outcome.get("example_source") == "search":
        where = "Example found by the search, reduced to its simplest form"
    elif outcome.get("example_source") == "pinned":
        where = f"Pinned example, reduced to its simplest form ({outcome.get('why_pinned') or 'not searched'})"
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


def _violations(matrix: dict[str, Any]) -> list[str]:
    """Return one entry per violated claim x subject x device: releases, reason, example, reproducers."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for o in matrix["outcomes"]:
        if o["outcome"] == "violated" and "saved_by" not in o:
            groups[o["claim"], o["subject"], o["device"]].append(o)
    lines = ["## Violations", ""]
    order = {r: i for i, r in enumerate(versions.SUPPORTED)}
    for (claim_id, subject, device), found in sorted(groups.items()):
        found.sort(key=lambda o: order.get(o["torch"], 99))
        releases = ranges([o["torch"] for o in found])
        for o in found:
            lines.append(f'<a id="{anchor("v", claim_id, subject, o["torch"], device)}"></a>')
        newest = found[-1]
        lines += [f"### `{claim_id}` — {short(subject)}, {device}, torch {releases}", ""]
        lines += [f"{newest['reason']} (on {newest['torch_version']})", ""]
        lines += [_finding(newest), ""]
        if newest.get("example"):
            lines += _example(newest)
        links = [f"[{o['torch']}]({o['repro']})" for o in found if o.get("repro")]
        if links:
            lines += [
                "Reproducers (plain torch; exit 1 while the violation is present): "
                + ", ".join(links)
                + _verified(found)
                + ".",
                "",
            ]
    return lines
