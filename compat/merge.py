"""Merge result files (one per release and device, from any machine) into the matrix.

Each input is validated: a file that is not JSON, has another schema, or lacks the header is
refused with one line naming it. Nothing is substituted for missing data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compat import claims, expectations, recorder, versions

RUN_FIELDS = ("torch", "build", "python", "device", "platform", "profile", "started", "finished")
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


def release_of(version: str) -> str:
    """Return ``2.6`` for ``2.6.0+cu124``."""
    major, minor = versions.release(version)
    return f"{major}.{minor}"


def _explained(record: dict[str, Any], known: list[expectations.Expectation]) -> dict[str, Any]:
    """Return the kind of a violated record, with the explanation and link of the entry that expects it."""
    if not record.get("expected"):
        return {"kind": "new"}
    entry = expectations.expected(known, record["claim"], record["subject"], record["torch"], record.get("saved_by"))
    if entry is None:  # an entry since removed or narrowed: the file still says it was expected
        return {"kind": "known"}
    return {"kind": entry.kind, "explanation": entry.reason, "link": entry.issue or None}


def merged(paths: list[Path]) -> dict[str, Any]:
    """Return the matrix of every outcome in ``paths`` (later files win for the same cell)."""
    known = expectations.load()
    runs = []
    cells: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for path in sorted(paths):
        document = read_result(path)
        runs.append(
            {field: document[field] for field in RUN_FIELDS}
            | {"file": path.name, "packages": document.get("packages") or {}}
        )
        for record in document["records"]:
            outcome = {
                "claim": record["claim"],
                "subject": record["subject"],
                "torch": release_of(record["torch"]),
                "torch_version": record["torch"],
                "device": record["device"],
                "outcome": record["outcome"],
                "reason": recorder.plain_text(record.get("reason", "")),
                "expected": record.get("expected", False),
            }
            if record.get("saved_by"):
                outcome["saved_by"] = record["saved_by"]
            if record["outcome"] == "violated":
                outcome["example"] = record.get("example")
                outcome["repro"] = record.get("repro") and f"repro/{path.stem}/{Path(record['repro']).name}"
                outcome["repro_exit"] = record.get("repro_exit")
                for field in ("signature", "example_source", "why_pinned", "conditions"):
                    if record.get(field) is not None:
                        outcome[field] = record[field]
                outcome.update(_explained(record, known))
            key = (record["claim"], record["subject"], outcome["torch"], record["device"], record.get("saved_by") or "")
            cells[key] = outcome
    return {
        "schema": recorder.SCHEMA,
        "generated": recorder.now(),
        "runs": runs,
        "claims": [{"id": c.id, "statement": c.statement, "category": c.category} for c in claims.live()],
        "outcomes": sorted(
            cells.values(),
            key=lambda o: (o["subject"], o["claim"], versions.release(o["torch"]), o["device"], o.get("saved_by", "")),
        ),
    }
