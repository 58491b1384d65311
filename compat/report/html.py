"""``reports/index.html``: one self-contained page, colour-coded, filterable by subject, claim, release, device.

Three grids: torch's own subjects (claims x releases, one column per release and device that ran),
the third-party ones (only the releases they ran on), and checkpoints loaded from other releases
(one column per loading release, counting saving releases). A violated cell links to its finding's
section on this page (its kind, why, what it needs, its reproducer and its subject's page). A claim's
cell carries its statement as its title. The outcome filter reads the columns the release and device
filters leave, so the filters compose. The grids stay small: a cell is its class and symbol, the colours are in
the stylesheet, and the release and device filters hide columns through one generated CSS rule.
Symbols are plain characters any font has (no emoji), explained in the legend.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import escape
from typing import Any

from compat.catalog import versions
from compat.catalog.specs import from_torch
from compat.report.answers import short
from compat.report.findings import Finding, page
from compat.report.pages import devices_run, finding_anchor, finding_line

CLASS = {
    "holds": "h",
    "violated": "v",
    "documented": "d",
    "fixed": "f",
    "error": "e",
    "not-applicable": "n",
    "not-run": "r",
}
MARK = {
    "holds": "✓",
    "violated": "✗",
    "documented": "§",
    "fixed": "+",
    "error": "!",
    "not-applicable": "–",
    "not-run": "·",
}
COLOURS = {
    "h": "#c8f7c5",
    "v": "#f7c5c5",
    "d": "#e3d7f7",
    "f": "#c5e8f7",
    "e": "#f7e3a1",
    "n": "#eeeeee",
    "r": "#dde6f7",
}
MEANING = {
    "holds": "the claim holds",
    "violated": "the claim is violated: a bug, a limitation, untriaged, a gap of our workaround or new (click for it)",
    "documented": "the claim does not hold, as PyTorch documents or its source intends (click for the quote)",
    "fixed": "a known violation no longer shows on this release: fixed (its entry's range is to be narrowed)",
    "error": "the harness failed (not a finding)",
    "not-applicable": "the subject or feature does not exist on that release",
    "not-run": "not run here (for example no CUDA device)",
}

SCRIPT = """
const selects = Array.from(document.querySelectorAll('select[data-field]'));
const tables = Array.from(document.querySelectorAll('table[data-subject]'));
const rows = Array.from(document.querySelectorAll('table[data-subject] tbody tr')).map(row => ({
  row, claim: row.cells[0].textContent, outcomes: row.dataset.outcomes.split(' '),
  section: row.closest('section').id, table: row.closest('table'), counted: !row.closest('#crossed')}));
const heads = Array.from(document.querySelectorAll('thead th[data-torch]')).map(th => ({
  th, section: th.closest('section').id, index: th.cellIndex,
  rule: `#${th.closest('section').id} td:nth-child(${th.cellIndex + 1})`}));
const columns = document.getElementById('columns');
const CLASSES = {holds: ['h'], violated: ['v', 'd'], fixed: ['f'], error: ['e'], 'not-applicable': ['n'],
  'not-run': ['r']};
function value(field) { return document.querySelector(`select[data-field="${field}"]`).value; }
function apply() {
  const subject = value('subject'), claim = value('claim'), release = value('torch');
  const device = value('device'), outcome = value('outcome');
  for (const table of tables) {
    const visible = !subject || table.dataset.subject === subject;
    if (table.parentElement.hidden === visible) table.parentElement.hidden = !visible;
    if (table.hidden === visible) table.hidden = !visible;
  }
  const rules = new Set(), hiddenColumns = {};
  for (const h of heads) {
    const th = h.th;
    const hidden = Boolean((release && th.dataset.torch !== release) || (device && th.dataset.device !== device));
    if (th.hidden !== hidden) th.hidden = hidden;
    if (hidden) { rules.add(h.rule); (hiddenColumns[h.section] ||= new Set()).add(h.index); }
  }
  const css = rules.size ? Array.from(rules).join(',') + '{display:none}' : '';
  if (columns.textContent !== css) columns.textContent = css;
  let shown = 0;
  for (const r of rows) {
    const hidden = hiddenColumns[r.section];
    // the outcome filter reads only the cells of the columns shown, so it composes with release and device
    const matches = !outcome || (hidden ? Array.from(r.row.cells).some((cell, i) => i > 0 && !hidden.has(i)
      && CLASSES[outcome].includes(cell.className)) : r.outcomes.includes(outcome));
    const visible = (!claim || r.claim === claim) && matches;
    if (r.row.hidden === visible) r.row.hidden = !visible;
    if (visible && r.counted && !r.table.hidden) shown += 1;
  }
  document.getElementById('count').textContent = shown + ' claim x subject rows shown';
}
selects.forEach(s => s.addEventListener('change', apply));
apply();
"""


def _select(field: str, values: list[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<label>{field} <select data-field="{field}"><option value="">all</option>{options}</select></label>'


def _target(finding: Finding) -> str:
    """Return the link to ``finding``'s section on this page (which links its subject's Markdown page)."""
    return f"#{finding_anchor(finding)}"


def _finding(finding: Finding) -> str:
    """Return ``finding`` as a section of this page: claim, subject, places, kind and why, needs, reproducer."""
    name = short(finding.subject) if from_torch(finding.subject) else finding.subject
    where = f"saved → loaded {', '.join(f'{s}→{t}' for s, t in finding.pairs)}" if finding.cross else finding.releases
    needs = finding.shown.get("conditions")
    parts = [
        f'<div class=fd id="{finding_anchor(finding)}"><h3>{escape(finding.claim)}: {escape(name)}, '
        f"torch {escape(where)}, {escape(finding.device)}</h3>",
        f"<p>{_linked(finding_line(finding))}</p>",
        f"<p>Needs: {escape('; '.join(needs))}.</p>" if needs else "",
        f'<p><a href="{finding.script}">Reproducer</a> · ' if finding.script else "<p>",
        f'<a href="{page(finding.subject)}#{finding_anchor(finding)}">its example, on its page</a></p></div>',
    ]
    return "".join(parts)


def _linked(markdown: str) -> str:
    """Return a finding line's Markdown (bold, code, links) as HTML, everything else escaped."""
    text = escape(markdown, quote=False)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", lambda m: f'<a href="{m[2]}">{m[1]}</a>', text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


def _cell(o: dict[str, Any] | None, found: dict[str, Finding]) -> str:
    if o is None:
        return "<td></td>"
    name = o["outcome"]
    if name != "violated":
        return f"<td class={CLASS[name]}>{MARK[name]}</td>"
    finding = found.get(o.get("finding", ""))
    kind = o.get("kind", "new")
    name = "documented" if kind in ("documented", "by-design") else name
    mark = f'<a href="{_target(finding)}">{MARK[name]}</a>' if finding else MARK[name]
    return f'<td class={CLASS[name]} title="{escape(kind)}">{mark}</td>'  # the finding's page says the rest


def _crossversion_cell(outcomes: list[dict[str, Any]], found: dict[str, Finding]) -> str:
    judged = [o for o in outcomes if o["outcome"] in ("holds", "violated", "fixed", "error")]
    if not judged:
        return f"<td class=n>{MARK['not-applicable']}</td>" if outcomes else "<td></td>"
    bad = sorted((o for o in judged if o["outcome"] != "holds"), key=lambda o: versions.release(o["saved_by"]))
    text = f"{len(judged) - len(bad)}/{len(judged)}"
    first = next((found[o["finding"]] for o in bad if o.get("finding") in found), None)
    if first is not None:
        text = f'<a href="{_target(first)}">{text}</a>'
    return f"<td class={'v' if bad else 'h'}>{text}</td>"


def _row(claim: str, statement: str, cells: str, outcomes: set[str]) -> str:
    """Return a claim's row: its id, with its statement as the cell's title (shown on hover), then its cells."""
    marks = " ".join(sorted(outcomes))
    return f'<tr data-outcomes="{marks}"><td title="{escape(statement)}">{escape(claim)}</td>{cells}</tr>'


def _table(subject: str, columns: list[tuple[str, str]], rows: list[str]) -> str:
    """Return one subject's table: its name linking its page, a column per release and device, a row per claim."""
    head = "".join(f'<th data-torch="{r}" data-device="{d}">{r}<br>{d}</th>' for r, d in columns)
    name = short(subject) if from_torch(subject) else subject
    return (
        f'<div class=s><table data-subject="{escape(subject)}"><caption><a href="{page(subject)}">{escape(name)}</a>'
        f"</caption><thead><tr><th>claim</th>{head}</tr></thead>\n<tbody>{chr(10).join(rows)}</tbody></table></div>"
    )


def _order(subject: str) -> tuple[bool, str]:
    return not from_torch(subject), short(subject).lower()


def render(matrix: dict[str, Any], found: list[Finding]) -> str:
    """Return the HTML page (no network: styles and script are inline); columns only for devices that ran."""
    from compat.report import GENERATED

    by_id = {finding.id: finding for finding in found}
    statements = {c["id"]: c["statement"] for c in matrix["claims"]}
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
    sections = []
    for section_id, title, belongs in (
        ("same", "torch's own optimizers and schedulers, each release on its own checkpoints", from_torch),
        ("third", "Third-party optimizers, on the releases they ran on", lambda s: not from_torch(s)),
    ):
        subjects = sorted({s for s, _ in same if belongs(s)}, key=_order)
        if not subjects:
            continue
        ran = {column for (s, _), cells in same.items() if belongs(s) for column in cells}
        columns = [(r, d) for d in devices for r in releases if (r, d) in ran]
        tables = [
            _table(
                subject,
                columns,
                [
                    _row(
                        c,
                        statements.get(c, ""),
                        "".join(_cell(same[s, c].get(col), by_id) for col in columns),
                        _outcomes(same[s, c].values()),
                    )
                    for s, c in sorted(k for k in same if k[0] == subject)
                ],
            )
            for subject in subjects
        ]
        sections.append(f'<section id="{section_id}"><h2>{escape(title)}</h2>\n{chr(10).join(tables)}</section>')
    if crossed:
        subjects = sorted({s for s, _ in crossed}, key=_order)
        columns = [(r, d) for d in devices for r in releases if any((r, d) in cells for cells in crossed.values())]
        tables = [
            _table(
                subject,
                columns,
                [
                    _row(
                        c,
                        statements.get(c, ""),
                        "".join(_crossversion_cell(crossed[s, c].get(col, []), by_id) for col in columns),
                        _outcomes(o for here in crossed[s, c].values() for o in here),
                    )
                    for s, c in sorted(k for k in crossed if k[0] == subject)
                ],
            )
            for subject in subjects
        ]
        sections.append(
            '<section id="crossed"><h2>Checkpoints saved by other releases</h2>\n<p>Each cell: saving releases whose '
            "checkpoint the loading release (column) handles / all saving releases tried.</p>\n"
            + "\n".join(tables)
            + "</section>"
        )
    sections.append(
        '<section id="findings"><h2>Findings</h2>\n<p>What each violated cell links: its kind and why (docs/kinds.md), '
        "what it needs, its reproducer.</p>\n" + "\n".join(_finding(f) for f in found) + "</section>"
    )
    legend = "".join(f"<li><span class={CLASS[k]}>{MARK[k]}</span> {k}: {MEANING[k]}</li>" for k in CLASS)
    filters = " ".join(
        [
            _select("subject", sorted({o["subject"] for o in outcomes}, key=_order)),
            _select("claim", sorted({o["claim"] for o in outcomes})),
            _select("torch", releases),
            _select("device", devices),
            _select("outcome", [k for k in CLASS if k != "documented"]),
        ]
    )
    counted = ("holds", "violated", "fixed", "error", "not-applicable", "not-run")
    totals = ", ".join(f"{k} {sum(o['outcome'] == k for o in matrix['outcomes'])}" for k in counted)
    colours = "".join(f".{c}{{background:{colour}}}" for c, colour in COLOURS.items())
    not_run = (
        f" Not run: no {escape(', '.join(never))} device on the machines that ran the matrix (columns left out)."
        if never
        else ""
    )
    return f"""<!DOCTYPE html>
<!-- {escape(GENERATED)} -->
<html lang="en"><head><meta charset="utf-8"><title>torch-optim-compat matrix</title>
<style>body{{font-family:sans-serif;margin:1em}}table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:1px 4px;text-align:center}}td:nth-child(-n+2){{text-align:left}}
th{{background:#f4f4f4}}caption{{text-align:left;font-weight:bold;padding-top:.6em}}label{{margin-right:1em}}
a{{text-decoration:none}}.s,.fd{{content-visibility:auto;contain-intrinsic-size:auto 700px}}
.fd{{contain-intrinsic-size:auto 120px;border-top:1px solid #ccc}}.fd:target{{background:#fff6d5}}h3{{font-size:14px}}
{colours}</style>
<style id="columns"></style></head><body>
<h1>torch-optim-compat matrix</h1>
<p>Generated {escape(matrix["generated"])} from {len(matrix["runs"])} runs; {len(matrix["outcomes"])} outcomes:
{escape(totals)}. Answers, findings and reproducers: <a href="README.md">README.md</a> and each subject's
page.{not_run}</p>
<ul>{legend}</ul>
<p>{filters}</p><p id="count"></p>
{chr(10).join(sections)}
<script>{SCRIPT}</script>
</body></html>
"""


def _outcomes(outcomes: Any) -> set[str]:
    return {o["outcome"] for o in outcomes}
