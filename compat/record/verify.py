"""Run reproducers on the installed torch and record what they showed.

``python -m compat.record.verify RESULT_FILE [--fixtures DIR]`` runs each violation's reproducer in this
interpreter (torch is imported once; every script gets a fresh namespace and its own argv) and
writes the exit status into the record as ``repro_exit``. A cross-version reproducer is run on the
checkpoint the saving release left in DIR. A reproducer that exits 0 where the suite saw a
violation is listed: the report cannot cite it.

``python -m compat.record.verify --findings reports/matrix.json --out FILE [--fixtures DIR]`` runs the one
reproducer each finding shows on the installed release, wherever the finding says it shows on it,
and writes the verdicts to FILE (``compat.report`` reads them). A verdict is ``confirmed`` only when
the script printed ``VIOLATED: <claim id>`` and exited 1; a crash, a missing file or another exit
is not a confirmation.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import runpy
import sys
from pathlib import Path
from typing import Any

import torch

from compat.catalog import schedulers, specs
from compat.record import recorder
from compat.run import crossversion


def exit_status(script: Path, arguments: list[str]) -> tuple[int, str]:
    """Return (exit status, stdout) of ``script`` run here with ``arguments`` (0 if it never exits)."""
    out = io.StringIO()
    saved_argv = sys.argv
    saved_dtype = torch.get_default_dtype()  # a script may set it; each script runs as if on its own
    sys.argv = [str(script), *arguments]
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(str(script), run_name="__main__")
        return 0, out.getvalue()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        return code, out.getvalue()
    except Exception as error:  # a script that crashes still fails on this release
        return 1, f"{out.getvalue()}{type(error).__name__}: {error}"
    finally:
        sys.argv = saved_argv
        torch.set_default_dtype(saved_dtype)


CONFIRMED = "confirmed"


def verdict(script: Path, arguments: list[str], claim: str) -> str:
    """Return ``confirmed`` if ``script`` printed ``VIOLATED: <claim>`` and exited 1, else what it did."""
    if not script.is_file():
        return f"missing: {script.name}"
    return verdict_of(*exit_status(script, arguments), claim)


def verdict_of(status: int, output: str, claim: str) -> str:
    """Return ``confirmed`` if a run printed ``VIOLATED: <claim>`` (``output``) and exited 1, else what it did."""
    if status == 1 and f"VIOLATED: {claim}" in output:
        return CONFIRMED
    if status == 0:
        return "exit 0: the violation did not show"
    last = output.strip().splitlines()[-1:] or ["no output"]
    return f"exit {status} without `VIOLATED: {claim}`: {last[0][:160]}"


def findings_verified(matrix: Path, fixtures: Path | None, earlier: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the verdict of each finding's reproducer on the installed release, per place it shows on here.

    The verdicts of ``earlier`` (this release's previous verification file) are kept and, on the
    same finding and script, not rerun: a report rendered again after a verification (a finding
    split where its script did not show) only runs the new scripts, and the finding it was split
    from keeps its verdicts on the places it no longer holds, so the next render splits it alike.
    """
    return _verdicts(json.loads(matrix.read_text(encoding="utf-8")), matrix.parent, fixtures, earlier)


def _verdicts(
    document: dict[str, Any], reports: Path, fixtures: Path | None, earlier: dict[str, Any] | None
) -> dict[str, Any]:
    """Return ``findings_verified`` for the matrix ``document`` published in ``reports``."""
    from compat.catalog.versions import release_of

    release = release_of(torch.__version__)
    known = (earlier or {}).get("findings", {}) if (earlier or {}).get("release") == release else {}
    verdicts: dict[str, dict[str, Any]] = {k: {**e, "places": dict(e["places"])} for k, e in known.items()}
    for finding in document.get("findings", []):
        if not finding.get("repro"):
            continue
        if verdicts.get(finding["id"], {}).get("script") != finding["repro"]:
            verdicts[finding["id"]] = {"script": finding["repro"], "places": {}}
        done = verdicts[finding["id"]]["places"]
        for place in finding["own_scripts"]:
            saver, _, loader = place.rpartition("->")
            if loader != release:
                continue
            arguments = []
            if saver:
                if fixtures is None:
                    continue
                arguments = [str(crossversion.fixture_path(fixtures, saver, _subject(finding["subject"])))]
            done[place] = done.get(place) or verdict(reports / finding["repro"], arguments, finding["claim"])
    return {"schema": recorder.SCHEMA, "torch": torch.__version__, "release": release, "findings": verdicts}


def _subject(target: str) -> specs.OptimizerSpec | schedulers.SchedulerSpec:
    return schedulers.specs().get(target) or specs.get(target)


def verified(result: Path, fixtures: Path | None) -> tuple[int, list[str]]:
    """Run the reproducers of ``result``, record their exit statuses in it; return (count, those exiting 0)."""
    document = json.loads(result.read_text(encoding="utf-8"))
    statuses: dict[tuple[str, ...], tuple[int, str]] = {}  # (reproducer, its arguments) -> exit status, verdict
    passing = []
    for record in document["records"]:
        if record["outcome"] != "violated" or not record.get("repro"):
            continue
        arguments = []
        if record.get("saved_by"):
            if fixtures is None:
                continue
            arguments = [str(crossversion.fixture_path(fixtures, record["saved_by"], _subject(record["subject"])))]
        key = (record["repro"], *arguments)
        if key not in statuses:
            status, output = exit_status(result.parent / record["repro"], arguments)
            statuses[key] = status, verdict_of(status, output, record["claim"])
            if status == 0:
                passing.append(record["repro"])
        record["repro_exit"], record["repro_verdict"] = statuses[key]
    recorder.write_atomically(result, json.dumps(document, indent=1) + "\n")
    return len(statuses), passing


def main(argv: list[str] | None = None) -> int:
    """Verify one result file's reproducers; print one summary line; return 0."""
    parser = argparse.ArgumentParser(prog="python -m compat.record.verify", description=__doc__.splitlines()[0])
    parser.add_argument("result", type=Path, nargs="?", help="a result file whose reproducers to run")
    parser.add_argument("--fixtures", type=Path, default=None, help="the cross-version checkpoints folder")
    parser.add_argument("--findings", type=Path, help="reports/matrix.json: run each finding's reproducer instead")
    parser.add_argument("--out", type=Path, help="with --findings: the file the verdicts are written to")
    options = parser.parse_args(argv)
    if options.findings:
        if options.out is None:
            parser.error("--findings needs --out")
        try:
            earlier = json.loads(options.out.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or cut short: every script is run
            earlier = None
        document = json.loads(options.findings.read_text(encoding="utf-8"))
        found = _verdicts(document, options.findings.parent, options.fixtures, earlier)
        current = {f["id"]: f.get("repro") for f in document["findings"]}
        places = [
            verdict
            for finding_id, entry in found["findings"].items()
            if current.get(finding_id) == entry["script"]
            for verdict in entry["places"].values()
        ]
        recorder.write_atomically(options.out, json.dumps(found, indent=1) + "\n")
        confirmed = sum(v == CONFIRMED for v in places)
        print(f"findings: {len(places)} reproducer verdicts on torch {found['release']}, {confirmed} confirmed")
        return 0
    if options.result is None:
        parser.error("give a result file or --findings")
    count, passing = verified(options.result, options.fixtures)
    print(f"reproducers: {count} run, {count - len(passing)} exit non-zero, {len(passing)} exit 0")
    for name in passing:
        print(f"  exits 0 although the suite saw a violation: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
