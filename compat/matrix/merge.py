"""Merge result files (one per release and device, from any machine) into the matrix.

Each input is validated: a file that is not JSON, has another schema, or lacks the header is
refused with one line naming it. Nothing is substituted for missing data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compat.catalog import claims, expectations, versions
from compat.catalog.specs import from_torch
from compat.record import recorder

RUN_FIELDS = ("torch", "build", "python", "device", "platform", "profile", "started", "finished")
CELL = tuple[str, str, str, str, str]  # claim, subject, release, device, saving release ("" for the same release)
RECORD_FIELDS = ("claim", "subject", "torch", "device", "outcome")


class MergeError(ValueError):
    """A result file that cannot be merged; the message is one line naming it."""


def read_result(path: Path) -> dict[str, Any]:
    """Return the validated content of one result file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MergeError(f"{path}: cannot read: {error.strerror}") from error
    except ValueError as error:
        raise MergeError(f"{path}: not a result file (invalid JSON: {error})") from error
    if not isinstance(document, dict) or "schema" not in document:
        raise MergeError(f"{path}: not a result file (no schema field)")
    if document["schema"] != recorder.SCHEMA:
        raise MergeError(f"{path}: result schema {document['schema']!r}; this project reads schema {recorder.SCHEMA}")
    missing = [f for f in (*RUN_FIELDS, "records") if f not in document]
    if missing:
        raise MergeError(f"{path}: result file lacks {', '.join(missing)}")
    if not document["finished"]:
        raise MergeError(f"{path}: the run never finished; rerun it")
    for number, record in enumerate(document["records"], start=1):
        absent = [f for f in RECORD_FIELDS if f not in record]
        if absent or record["outcome"] not in recorder.OUTCOMES:
            raise MergeError(f"{path}: record {number} is malformed ({', '.join(absent) or record['outcome']})")
    return document


def _explained(record: dict[str, Any], known: list[expectations.Expectation]) -> dict[str, Any]:
    """Return the kind of a violated record, with the explanation, evidence and link of the entry that expects it.

    The entry is looked up in the file as it is now, so a report rendered again says what the file
    says. A third-party subject's entry (one it inherits a method for) is matched by the run, which
    can import the class; here it is found again by claim, release and differences.
    """
    if not record.get("expected"):
        return {"kind": "new"}
    saved_by = record.get("saved_by")
    entry = expectations.expected(known, record["claim"], record["subject"], record["torch"], saved_by)
    if entry is None and record.get("kind") not in (None, "known") and not from_torch(record["subject"]):
        entry = next((e for e in known if e.inherits and _describes(e, record)), None)
        if entry is None:
            return {field: record.get(field) for field in EXPLAINED}
    if entry is None:  # an entry since removed or narrowed: the file still says it was expected
        return {"kind": "known"}
    return entry.explained(record["subject"])


EXPLAINED = ("kind", "explanation", "evidence", "upstream", "link", "inherited")


def _describes(entry: expectations.Expectation, record: dict[str, Any]) -> bool:
    return (
        entry.claim == record["claim"]
        and entry.applies_to(record["torch"])
        and entry.describes(tuple(record.get("signature") or ()))
    )


def merged(paths: list[Path]) -> dict[str, Any]:
    """Return the matrix of every outcome in ``paths`` (later files win for the same cell)."""
    known = expectations.load()
    runs = []
    cells: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for path in sorted(paths):
        document = read_result(path)
        runs.append(
            {field: document[field] for field in RUN_FIELDS}
            | {
                "file": path.name,
                "packages": document.get("packages") or {},
                "project_commit": document.get("project_commit", "unknown"),
            }
        )
        for record in document["records"]:
            outcome = {
                "claim": record["claim"],
                "subject": record["subject"],
                "torch": versions.release_of(record["torch"]),
                "torch_version": record["torch"],
                "device": record["device"],
                "outcome": record["outcome"],
                "reason": recorder.plain_text(record.get("reason", "")),
                "expected": record.get("expected", False),
                "run": path.name,
            }
            if record.get("saved_by"):
                outcome["saved_by"] = record["saved_by"]
            if record["outcome"] == "violated":
                outcome["example"] = record.get("example")
                outcome["repro"] = record.get("repro") and f"repro/{path.stem}/{Path(record['repro']).name}"
                outcome["repro_exit"] = record.get("repro_exit")
                outcome["repro_verdict"] = record.get("repro_verdict") or (
                    "confirmed" if record.get("repro_exit") == 1 else None
                )
                for field in ("signature", "example_source", "why_pinned", "conditions"):
                    if record.get(field) is not None:
                        outcome[field] = record[field]
                outcome.update(_explained(record, known))
            cells[cell(outcome)] = outcome
    return _matrix(runs, cells.values())


def cell(outcome: dict[str, Any]) -> CELL:
    """Return the cell an outcome fills."""
    return outcome["claim"], outcome["subject"], outcome["torch"], outcome["device"], outcome.get("saved_by", "")


def _matrix(runs: list[dict[str, Any]], outcomes: Any) -> dict[str, Any]:
    return {
        "schema": recorder.SCHEMA,
        "generated": recorder.now(),
        "runs": runs,
        "claims": [{"id": c.id, "statement": c.statement, "category": c.category} for c in claims.live()],
        "outcomes": sorted(
            outcomes,
            key=lambda o: (o["subject"], o["claim"], versions.release(o["torch"]), o["device"], o.get("saved_by", "")),
        ),
    }


def overlaid(published: dict[str, Any], fresh: dict[str, Any], reports: Path) -> dict[str, Any]:
    """Return the published matrix with the runs of ``fresh`` in place of its runs of the same result file.

    A run of ``fresh`` replaces every cell of the published run with its file name (a release on a
    device, or the zoo) unless it finished earlier than that one (a stale result file, left out).
    Every other published run is kept with its outcomes; a kept violation is explained by the
    expected-outcomes file as it is now (so a report rendered again says what the file says) and points
    at its finding's reproducer in ``reports`` so that the new report carries it over.
    """
    published_runs = {run["file"]: run for run in published["runs"]}
    newer = {
        run["file"]: run
        for run in fresh["runs"]
        if run["file"] not in published_runs or run["finished"] >= published_runs[run["file"]]["finished"]
    }
    scripts = {f["id"]: f.get("repro") for f in published.get("findings", [])}
    known = expectations.load()
    cells: dict[CELL, dict[str, Any]] = {}
    for outcome in published["outcomes"]:
        if outcome.get("run") in newer:
            continue
        kept = dict(outcome)
        script = scripts.get(kept.pop("finding", None))
        if kept["outcome"] == "violated":
            # explained by the expected-outcomes file as it is now, as merged() explains a fresh record
            explained = _explained(kept, known)
            for field in EXPLAINED:
                kept.pop(field, None)
            kept.update(explained)
            if script:
                kept["repro"] = str((reports / script).resolve())
        cells[cell(kept)] = kept
    for outcome in fresh["outcomes"]:
        if outcome["run"] in newer:
            cells[cell(outcome)] = outcome
    runs = [run for name, run in published_runs.items() if name not in newer] + list(newer.values())
    return _matrix(
        sorted(runs, key=lambda run: (run["file"].startswith("zoo"), versions.release(run["torch"]))), cells.values()
    )


def published(reports: Path) -> dict[str, Any] | None:
    """Return the matrix published in ``reports`` (its matrix.json), or None where there is none."""
    path = reports / "matrix.json"
    if not path.is_file():
        return None
    try:
        matrix = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise MergeError(f"{path}: the published matrix is not valid JSON ({error}); rerun with --fresh") from None
    if matrix.get("schema") != recorder.SCHEMA or "runs" not in matrix or "outcomes" not in matrix:
        raise MergeError(f"{path}: not a schema-{recorder.SCHEMA} matrix; rerun with --fresh")
    for outcome in matrix["outcomes"]:  # a matrix from before outcomes named their run: torch's or the zoo's file
        zoo = "" if outcome["subject"].startswith("torch.") else "zoo-"
        outcome.setdefault("run", f"{zoo}{outcome['torch']}-cpu.json")
    return matrix
