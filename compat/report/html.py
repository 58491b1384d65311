"""``reports/index.html``: one self-contained page, colour-coded, filterable by subject, claim, release, device."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from compat.report.markdown import LEGEND, anchor

COLOURS = {
    "holds": "#c8f7c5",
    "violated": "#f7c5c5",
    "error": "#f7e3a1",
    "not-applicable": "#eeeeee",
    "not-run": "#dde6f7",
}

SCRIPT = """
const rows = Array.from(document.querySelectorAll('tbody tr'));
const filters = Array.from(document.querySelectorAll('select[data-field]'));
function apply() {
  let shown = 0;
  for (const row of rows) {
    const visible = filters.every(f => !f.value || row.dataset[f.dataset.field] === f.value);
    row.hidden = !visible;
    if (visible) shown += 1;
  }
  document.getElementById('count').textContent = shown + ' of ' + rows.length + ' outcomes shown';
}
filters.forEach(f => f.addEventListener('change', apply));
apply();
"""


def _select(field: str, label: str, values: list[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    name = field.replace("_", "")
    return f'<label>{label} <select data-field="{name}"><option value="">all</option>{options}</select></label>'


def render(matrix: dict[str, Any]) -> str:
    """Return the HTML page (no network: styles and script are inline)."""
    from compat.report import GENERATED

    outcomes = matrix["outcomes"]
    fields = {
        "subject": sorted({o["subject"] for o in outcomes}),
        "claim": sorted({o["claim"] for o in outcomes}),
        "torch": sorted({o["torch"] for o in outcomes}, key=lambda r: tuple(int(x) for x in r.split("."))),
        "device": sorted({o["device"] for o in outcomes}),
        "saved_by": sorted({o.get("saved_by") or "-" for o in outcomes}),
        "outcome": sorted({o["outcome"] for o in outcomes}),
    }
    rows = []
    for o in outcomes:
        data = " ".join(f'data-{k.replace("_", "")}="{escape(o.get(k) or "-")}"' for k in fields)
        repro = f'<a href="{escape(o["repro"])}">reproducer</a>' if o.get("repro") else ""
        link = (
            f'<a href="README.md#{anchor("v", o["claim"], o["subject"], o["torch"], o["device"])}">details</a>'
            if o["outcome"] == "violated"
            else ""
        )
        rows.append(
            f"<tr {data}><td>{escape(o['subject'])}</td><td>{escape(o['claim'])}</td><td>{escape(o['torch'])}</td>"
            f"<td>{escape(o['device'])}</td><td>{escape(o.get('saved_by') or '')}</td>"
            f'<td style="background:{COLOURS[o["outcome"]]}">{escape(o["outcome"])}</td>'
            f"<td>{escape(o['reason'] or '')}</td><td>{link} {repro}</td></tr>"
        )
    legend = "".join(
        f'<span style="background:{c};padding:2px 6px;margin-right:6px">{k}</span>' for k, c in COLOURS.items()
    )
    selects = " ".join(_select(k, k, v) for k, v in fields.items())
    summary = json.dumps({k: sum(o["outcome"] == k for o in outcomes) for k in COLOURS})
    return f"""<!DOCTYPE html>
<!-- {escape(GENERATED)} -->
<html lang="en"><head><meta charset="utf-8"><title>torch-optim-compat matrix</title>
<style>body{{font-family:sans-serif;margin:1em}}table{{border-collapse:collapse;font-size:13px}}
td,th{{border:1px solid #ccc;padding:2px 6px;vertical-align:top}}th{{background:#f4f4f4;position:sticky;top:0}}
label{{margin-right:1em}}</style></head><body>
<h1>torch-optim-compat matrix</h1>
<p>Generated {escape(matrix["generated"])} from {len(matrix["runs"])} runs. Totals: {escape(summary)}.</p>
<p>Legend: {legend}</p><p>{escape(LEGEND)}</p>
<p>{selects}</p><p id="count"></p>
<table><thead><tr><th>subject</th><th>claim</th><th>torch</th><th>device</th><th>saved by</th><th>outcome</th>
<th>reason</th><th></th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<script>{SCRIPT}</script>
</body></html>
"""
