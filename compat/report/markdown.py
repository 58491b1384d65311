"""``reports/README.md``: the answers first, then claims x releases per subject, then every violation."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from compat import versions
from compat.report.answers import QUESTIONS, sentence, short

SYMBOL = {"holds": "✅", "violated": "❌", "error": "⚠️", "not-applicable": "–", "not-run": "·"}
LEGEND = "✅ holds · ❌ violated (known: strict expected failure) · ⚠️ harness error · – not applicable · · not run"


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
        cells[o["subject"]][o["claim"], f"{o['torch']}/{o['device']}"] = o
    for subject in sorted(cells):
        columns = sorted(
            {key[1] for key in cells[subject]},
            key=lambda c: (c.split("/")[1] != "cpu", releases.index(c.split("/")[0])),
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
                    row.append(f"[{SYMBOL['violated']}](#{anchor('v', claim_id, subject, o['torch'], o['device'])})")
                else:
                    row.append(SYMBOL[o["outcome"]])
            lines.append(f"| `{claim_id}` | " + " | ".join(row) + " |")
        lines.append("")
    lines += ["## Violations", ""]
    for o in matrix["outcomes"]:
        if o["outcome"] != "violated":
            continue
        lines.append(
            f'### <a id="{anchor("v", o["claim"], o["subject"], o["torch"], o["device"])}"></a>'
            f"`{o['claim']}` — {short(o['subject'])}, torch {o['torch_version']}, {o['device']}"
        )
        lines += ["", f"{o['reason']}", ""]
        if o.get("example"):
            lines += ["Shrunk example:", "", "```python", o["example"], "```", ""]
        if o.get("repro"):
            lines += [
                f"Reproducer: [{o['repro']}]({o['repro']}) (plain torch; exits 1 while the violation is present)",
                "",
            ]
    return "\n".join(lines) + "\n"
