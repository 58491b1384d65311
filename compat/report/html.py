"""``reports/index.html``: one self-contained page, colour-coded, filterable by subject, claim, release, device.

Two grids: claims x releases per subject (one column per release and device), and the same rows
for checkpoints loaded from other releases (one column per loading release, counting saving
releases). Filters hide rows (subject, claim, outcome) and columns (release, device).
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from compat import versions
from compat.report.findings import Finding, page
from compat.report.pages import DOCUMENTED, SYMBOL, devices_run, finding_anchor

COLOURS = {
    "holds": "#c8f7c5",
    "violated": "#f7c5c5",
    "fixed": "#c5e8f7",
    "error": "#f7e3a1",
    "not-applicable": "#eeeeee",
    "not-run": "#dde6f7",
}
MEANING = {
    "holds": "the claim holds",
    "violated": "the claim is violated, 📘 where PyTorch documents it (click for the example and reproducer)",
    "fixed": "a known violation no longer shows on this release: fixed (its entry's range is to be narrowed)",
    "error": "the harness failed (not a finding)",
    "not-applicable": "the subject or feature does not exist on that release",
    "not-run": "not run here (for example no CUDA device)",
}

SCRIPT = """
const selects = Array.from(document.querySelectorAll('select[data-field]'));
function value(field) { return document.querySelector(`select[data-field="${field}"]`).value; }
function apply() {
  const subject = value('subject'), claim = value('claim'), release = value('torch');
  const device = value('device'), outcome = value('outcome');
  let shown = 0;
  for (const row of document.querySelectorAll('tbody tr')) {
    const visible = (!subject || row.dataset.subject === subject) && (!claim || row.dataset.claim === claim)
      && (!outcome || row.dataset.outcomes.split(' ').includes(outcome));
    row.hidden = !visible;
    if (visible && row.closest('#same')) shown += 1;
  }
  for (const cell of document.querySelectorAll('[data-torch]')) {
    cell.hidden = (release && cell.dataset.torch !== release) || (device && cell.dataset.device !== device);
  }
  document.getElementById('count').textContent = shown + ' claim x subject rows shown';
}
selects.forEach(s => s.addEventListener('change', apply));
apply();
"""


def _not_run(never: list[str]) -> str:
    if not never:
        return ""
    return f" Not run: no {escape(', '.join(never))} device on the machines that ran the matrix (columns left out)."


def _select(field: str, values: list[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<label>{field} <select data-field="{field}"><option value="">all</option>{options}</select></label>'


REASON_SHOWN = 200  # characters of a reason in a cell's title; the subject's page has all of it


def _target(finding: Finding) -> str:
    return f"{page(finding.subject)}#{finding_anchor(finding)}"


def _cell(o: dict[str, Any] | None, torch: str, device: str, found: dict[str, Finding]) -> str:
    where = f'data-torch="{escape(torch)}" data-device="{escape(device)}"'
    if o is None:
        return f"<td {where}></td>"
    symbol = SYMBOL[o["outcome"]]
    outcome = o["outcome"]
    if outcome == "violated":
        symbol = DOCUMENTED if o.get("kind") == "documented" else symbol
        symbol = f'<a href="{_target(found[o["finding"]])}">{symbol}</a>'
        outcome = f"violated ({o.get('kind', 'new')})"
    reason = o.get("reason") or ""
    reason = reason if len(reason) <= REASON_SHOWN else reason[:REASON_SHOWN] + "…"
    title = f"{outcome} on torch {o['torch_version']} ({o['device']}): {reason}"
    if o.get("conditions"):
        title += f" | needs: {'; '.join(o['conditions'])}"
    title = escape(title)
    return f'<td {where} style="background:{COLOURS[o["outcome"]]}" title="{title}">{symbol}</td>'


def _crossversion_cell(found: list[dict[str, Any]], torch: str, device: str, findings_by_id: dict[str, Finding]) -> str:
    where = f'data-torch="{escape(torch)}" data-device="{escape(device)}"'
    judged = [o for o in found if o["outcome"] in ("holds", "violated", "fixed", "error")]
    if not judged:
        return f'<td {where} style="background:{COLOURS["not-applicable"]}">–</td>'
    bad = sorted((o for o in judged if o["outcome"] != "holds"), key=lambda o: versions.release(o["saved_by"]))
    colour = COLOURS["violated"] if bad else COLOURS["holds"]
    title = "saved by " + ", ".join(f"{o['saved_by']}: {o['outcome']}" for o in bad) if bad else "all hold"
    text = f"{len(judged) - len(bad)}/{len(judged)}"
    first = next((o for o in bad if o.get("finding") in findings_by_id), None)
    if first is not None:
        text = f'<a href="{_target(findings_by_id[first["finding"]])}">{text}</a>'
    return f'<td {where} style="background:{colour}" title="{escape(title)}">{text}</td>'


def render(matrix: dict[str, Any], found: list[Finding]) -> str:
    """Return the HTML page (no network: styles and script are inline); columns only for devices that ran."""
    from compat.report import GENERATED

    by_id = {finding.id: finding for finding in found}
    devices, never = devices_run(matrix["outcomes"])
    outcomes = [o for o in matrix["outcomes"] if o["device"] in devices]
    releases = sorted({o["torch"] for o in outcomes}, key=versions.release)
    same: dict[tuple[str, str], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    crossed: dict[tuple[str, str], dict[tuple[str, str], list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for o in outcomes:
        if o.get("saved_by"):
            crossed[o["subject"], o["claim"]][o["torch"], o["device"]].append(o)
        else:
            same[o["subject"], o["claim"]][o["torch"], o["device"]] = o
    columns = [(r, d) for d in devices for r in releases]
    head = "".join(f'<th data-torch="{r}" data-device="{d}">{r}<br>{d}</th>' for r, d in columns)

    def row(subject: str, claim: str, cells: str, found: set[str]) -> str:
        kinds = " ".join(sorted(found))
        data = f'data-subject="{escape(subject)}" data-claim="{escape(claim)}" data-outcomes="{kinds}"'
        return f"<tr {data}><td>{escape(subject)}</td><td>{escape(claim)}</td>{cells}</tr>"

    same_rows = [
        row(
            s, c, "".join(_cell(cells.get(col), *col, by_id) for col in columns), {o["outcome"] for o in cells.values()}
        )
        for (s, c), cells in sorted(same.items())
    ]
    cross_rows = [
        row(
            s,
            c,
            "".join(_crossversion_cell(cells.get(col, []), *col, by_id) for col in columns),
            {o["outcome"] for found in cells.values() for o in found},
        )
        for (s, c), cells in sorted(crossed.items())
    ]
    legend = "".join(
        f'<li><span style="background:{COLOURS[k]};padding:0 8px">{SYMBOL[k]}</span> {k}: {MEANING[k]}</li>'
        for k in COLOURS
    )
    filters = " ".join(
        [
            _select("subject", sorted({o["subject"] for o in outcomes})),
            _select("claim", sorted({o["claim"] for o in outcomes})),
            _select("torch", releases),
            _select("device", devices),
            _select("outcome", list(COLOURS)),
        ]
    )
    totals = ", ".join(f"{k} {sum(o['outcome'] == k for o in outcomes)}" for k in COLOURS)
    table = (
        '<table id="{id}"><thead><tr><th>subject</th><th>claim</th>{head}</tr></thead>\n<tbody>{rows}</tbody></table>'
    )
    return f"""<!DOCTYPE html>
<!-- {escape(GENERATED)} -->
<html lang="en"><head><meta charset="utf-8"><title>torch-optim-compat matrix</title>
<style>body{{font-family:sans-serif;margin:1em}}table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:1px 4px;text-align:center}}td:nth-child(-n+2){{text-align:left}}
th{{background:#f4f4f4;position:sticky;top:0}}label{{margin-right:1em}}a{{text-decoration:none}}</style></head><body>
<h1>torch-optim-compat matrix</h1>
<p>Generated {escape(matrix["generated"])} from {len(matrix["runs"])} runs; {len(outcomes)} outcomes: {escape(totals)}.
Details, answers and reproducers: <a href="README.md">README.md</a> and each subject's page.{_not_run(never)}</p>
<ul>{legend}</ul>
<p>{filters}</p><p id="count"></p>
<h2>Each release on its own checkpoints</h2>
{table.format(id="same", head=head, rows=chr(10).join(same_rows))}
<h2>Checkpoints saved by other releases</h2>
<p>Each cell: saving releases whose checkpoint the loading release (column) handles / all saving releases tried.</p>
{table.format(id="crossed", head=head, rows=chr(10).join(cross_rows))}
<script>{SCRIPT}</script>
</body></html>
"""
