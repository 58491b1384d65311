"""Run every reproducer a result file names, on the installed torch, and record its exit status.

``python -m compat.verify RESULT_FILE [--fixtures DIR]`` runs each violation's reproducer in this
interpreter (torch is imported once; every script gets a fresh namespace and its own argv) and
writes the exit status into the record as ``repro_exit``. A cross-version reproducer is run on the
checkpoint the saving release left in DIR. A reproducer that exits 0 where the suite saw a
violation is listed: the report cannot cite it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import runpy
import sys
from pathlib import Path

import torch

from compat import crossversion, recorder, schedulers, specs


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


def _subject(target: str) -> specs.OptimizerSpec | schedulers.SchedulerSpec:
    return schedulers.specs().get(target) or specs.get(target)


def verified(result: Path, fixtures: Path | None) -> tuple[int, list[str]]:
    """Run the reproducers of ``result``, record their exit statuses in it; return (count, those exiting 0)."""
    document = json.loads(result.read_text(encoding="utf-8"))
    statuses: dict[tuple[str, ...], int] = {}  # (reproducer, its arguments) -> exit status
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
            statuses[key], _ = exit_status(result.parent / record["repro"], arguments)
            if statuses[key] == 0:
                passing.append(record["repro"])
        record["repro_exit"] = statuses[key]
    recorder.write_atomically(result, json.dumps(document, indent=1) + "\n")
    return len(statuses), passing


def main(argv: list[str] | None = None) -> int:
    """Verify one result file's reproducers; print one summary line; return 0."""
    parser = argparse.ArgumentParser(prog="python -m compat.verify", description=__doc__.splitlines()[0])
    parser.add_argument("result", type=Path)
    parser.add_argument("--fixtures", type=Path, default=None, help="the cross-version checkpoints folder")
    options = parser.parse_args(argv)
    count, passing = verified(options.result, options.fixtures)
    print(f"reproducers: {count} run, {count - len(passing)} exit non-zero, {len(passing)} exit 0")
    for name in passing:
        print(f"  exits 0 although the suite saw a violation: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
