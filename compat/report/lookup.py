"""What ``explain`` and ``cite`` print, read from reports/matrix.json: findings, never a guess.

A short subject name resolves to torch's own class first; a name several third-party classes
share is refused with the candidates. ``cite`` cites a violation only: on a claim that holds it
prints the evidence that it holds and where it is violated instead, never a bug-report snippet.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from compat.catalog import claims, versions
from compat.catalog.specs import from_torch
from compat.report.answers import ranges, short
from compat.report.findings import order


class NotFound(ValueError):
    """Nothing in the matrix matches; the message is one line and says what would."""


def subject(name: str, subjects: set[str]) -> str:
    """Return the subject ``name`` names: a full target, or a short name (torch's own class first)."""
    if name in subjects:
        return name
    candidates = sorted(s for s in subjects if short(s) == name) or sorted(
        s for s in subjects if short(s).lower() == name.lower()
    )
    own = [s for s in candidates if from_torch(s)]
    if len(own) == 1:
        return own[0]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise NotFound(f"subject {name!r} is ambiguous: {', '.join(candidates)}; pass the full name")
    near = difflib.get_close_matches(name, sorted({short(s) for s in subjects}), n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else "; `python -m compat list subjects` lists them"
    raise NotFound(f"no subject {name!r} in the matrix{hint}")


def explanation(matrix: dict[str, Any], claim_id: str, *, name: str | None, torch: str | None, kind: str | None) -> str:
    """Return a claim's statement, where it holds, and one line per finding (torch's own subjects first)."""
    from compat.report.answers import sentence

    claim = claims.get(claim_id)
    wanted = subject(name, {o["subject"] for o in matrix["outcomes"]}) if name else None
    release = versions.supported(torch) if torch else None
    lines = [f"{claim.id} ({claim.category})", f"  {claim.statement}", f"  {sentence(matrix, claim.id)}"]
    for finding in matrix.get("findings", []):
        if finding["claim"] != claim.id or (wanted and finding["subject"] != wanted):
            continue
        if (kind and finding["kind"] != kind) or (release and release not in _releases(finding)):
            continue
        shown = short(finding["subject"]) if from_torch(finding["subject"]) else finding["subject"]
        why = finding["explanation"] or "no entry expects it"
        kind = finding["kind"] + inherited(finding)
        lines.append(f"  {kind}: {shown}, {_where(finding)}: {why}{said(finding)}{needs(finding)}")
        if finding.get("repro"):
            lines.append(f"    reproducer: reports/{finding['repro']}  (details: reports/{finding['page']})")
    return "\n".join(lines)


def _releases(finding: dict[str, Any]) -> set[str]:
    return {place.rpartition("->")[2] for place in finding["own_scripts"]}


def citation(
    matrix: dict[str, Any], claim_id: str, *, name: str | None, torch: str | None, saved_by: str | None, reports: Any
) -> str:
    """Return the bug-report snippet of a violation, or the evidence that the claim holds."""
    claim = claims.get(claim_id)
    cross = claim.id.startswith("crossversion.")
    if saved_by and not cross:
        raise NotFound(f"--saved-by is for cross-release claims (crossversion.*), not {claim.id}")
    subjects = {o["subject"] for o in matrix["outcomes"] if o["claim"] == claim.id}
    if not name:
        violated = sorted(
            {o["subject"] for o in matrix["outcomes"] if o["claim"] == claim.id and o["outcome"] == "violated"}
        )
        if len(violated) != 1:
            raise NotFound(f"pass --subject: {claim.id} is violated for {len(violated)} subjects")
        name = violated[0]
    target = subject(name, subjects)
    release = versions.supported(torch) if torch else None
    saver = versions.supported(saved_by) if saved_by else None
    mine = [o for o in matrix["outcomes"] if o["claim"] == claim.id and o["subject"] == target]
    chosen = sorted(
        (
            o
            for o in mine
            if o["outcome"] == "violated"
            and (release is None or o["torch"] == release)
            and (saver is None or o.get("saved_by") == saver)
        ),
        key=order,
    )
    if not chosen:
        return _holds(matrix, claim, target, mine, release, saver)
    o = chosen[-1]
    finding = next(f for f in matrix["findings"] if f["id"] == o["finding"])
    run = next((r for r in matrix["runs"] if r["torch"] == o["torch_version"]), {})
    where = f"saved by torch {o['saved_by']}, loaded by " if "saved_by" in o else ""
    lines = [
        f"**Claim** `{claim.id}`: {claim.statement}",
        "",
        f"**Subject**: `{target}`",
        "",
        f"**Environment**: {where}torch {o['torch_version']} ({run.get('build', {}).get('git', '?')[:10]}), "
        f"Python {run.get('python', '?')}, {run.get('platform', '?')}, device {o['device']}",
        "",
        f"**Observed**: {o['reason']}",
        "",
        f"**Kind**: {kind_line(finding)}",
        "",
        f"**Releases**: {_where(finding)}",
        "",
    ]
    if finding.get("conditions"):
        lines += [f"**Needs**: {'; '.join(finding['conditions'])}", ""]
    if finding.get("repro"):
        script = reports / finding["repro"]
        body = script.read_text(encoding="utf-8") if script.is_file() else f"(missing: {script})"
        lines += [
            f"**Reproducer** (`reports/{finding['repro']}`, plain torch, prints `VIOLATED: {claim.id}` and exits 1 "
            "while the violation is present):",
            "",
            f"```python\n{body.rstrip()}\n```",
        ]
        if "saved_by" in o and f"--saved-by-{o['saved_by']}--" not in finding["repro"]:
            lines += [
                "",
                f"The reproducer saves under the release its header names (this finding's newest pair); the matrix "
                f"shows the same violation for the checkpoint saved by torch {o['saved_by']}.",
            ]
    return "\n".join(lines)


def _place(o: dict[str, Any]) -> str:
    return f"{o['saved_by']} -> {o['torch']}" if "saved_by" in o else o["torch"]


def _where(finding: dict[str, Any]) -> str:
    return (
        f"pairs (saved -> loaded) {', '.join(finding['pairs'])}" if finding["pairs"] else f"torch {finding['releases']}"
    )


def _savers(held: list[dict[str, Any]]) -> str:
    savers = [o["saved_by"] for o in held if "saved_by" in o]
    return f" (checkpoints saved by torch {ranges(savers)})" if savers else ""


def kind_line(finding: dict[str, Any]) -> str:
    """Return the finding's kind, explanation and the quote or report it rests on (its needs are a line apart)."""
    if finding["kind"] == "new":
        return "new finding (no entry of compat/catalog/expected_outcomes.toml expects it)"
    return f"{finding['kind']}{inherited(finding)}: {finding['explanation']}{said(finding)}"


def inherited(finding: Mapping[str, Any]) -> str:
    """Return ", inherited from <torch method>" for a third-party class's violation that comes with torch's method."""
    return f", inherited from {finding['inherited']}" if finding.get("inherited") else ""


def said(finding: Mapping[str, Any]) -> str:
    """Return the quote of PyTorch or the upstream report a finding carries, as plain text."""
    text = ""
    if finding.get("evidence"):
        evidence = finding["evidence"]
        text += f'. PyTorch: "{evidence["quote"]}" ({evidence["where"]}, from torch {evidence["since"]})'
    if finding.get("upstream"):
        upstream = finding["upstream"]
        fixed = f", fixed in {upstream['fixed_in']}" if upstream.get("fixed_in") else ""
        text += f" ({upstream['url']}, {upstream['state']}{fixed})"
    return text


def needs(finding: Mapping[str, Any]) -> str:
    """Return what the finding's example needs (its conditions), or nothing where it needs nothing special."""
    conditions = finding.get("conditions")
    return f"; needs: {'; '.join(conditions)}" if conditions else ""


def _holds(
    matrix: dict[str, Any],
    claim: claims.Claim,
    target: str,
    mine: list[dict[str, Any]],
    release: str | None,
    saver: str | None,
) -> str:
    """Return the evidence that ``claim`` holds for ``target`` (on the releases asked), and where it does not."""
    held = [
        o
        for o in mine
        if o["outcome"] == "holds"
        and (release is None or o["torch"] == release)
        and (saver is None or o.get("saved_by") == saver)
    ]
    profiles = ", ".join(sorted({r["profile"] for r in matrix["runs"]}))
    asked = f" on torch {release}" if release else ""
    if not held:
        outcomes = sorted({o["outcome"] for o in mine if release is None or o["torch"] == release})
        return (
            f"No violation of {claim.id} for {target}{asked} to cite, and no outcome that holds either "
            f"({', '.join(outcomes) or 'nothing recorded'}); nothing to report."
        )
    lines = [
        f"Nothing to cite: {claim.id} holds for {target}{asked}.",
        f"  {claim.statement}",
        f"  Evidence: {len(held)} outcomes that hold, torch {ranges([o['torch'] for o in held])}{_savers(held)}"
        + f"; each ran its pinned example and a Hypothesis search ({profiles} profile).",
    ]
    elsewhere = sorted(
        {_place(o) for o in mine if o["outcome"] == "violated"},
        key=lambda p: [versions.release(r) for r in p.split(" -> ")],
    )
    if elsewhere:
        lines.append(f"  Violated for {target} on {', '.join(elsewhere)}: pass --torch (and --saved-by) to cite it.")
    others = sorted(
        {o["subject"] for o in matrix["outcomes"] if o["claim"] == claim.id and o["outcome"] == "violated"} - {target}
    )
    named = ", ".join(short(s) if from_torch(s) else s for s in others)
    lines.append(f"  Violated for other subjects: {named}." if others else "  Violated for no other subject.")
    return "\n".join(lines)
