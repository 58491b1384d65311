"""A stand-in release for the matrix's interruption tests: the real runner and CLI, releases that only sleep.

``python tests/stand_in.py SECONDS matrix --torch 2.4 2.5 --jobs 1`` runs ``python -m compat`` with
the runner's venv creation (uv) replaced: a release's venv holds a ``python`` that sleeps SECONDS, then
writes what the real one would (a release's fixtures and formats, a complete result file with no
records, a verification line). Everything else (children in their own sessions, signals, the lock,
staging, the report) is the project's own code. Run it with PYTHONPATH on a copy of the project, so
its results/, reports/ and .matrix/ are the copy's.
"""

from __future__ import annotations

import sys
from pathlib import Path

FAKE_PYTHON = """#!{python}
import json, os, sys, time
from pathlib import Path
args = sys.argv[1:]
time.sleep({seconds})
if args[:3] == ["-m", "compat", "fixtures"]:
    folder = Path(args[3]) / "{release}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "formats.json").write_text("{{}}")
elif args[:2] == ["-m", "pytest"]:
    target = next(a.split("=", 1)[1] for a in args if a.startswith("--compat-json="))
    document = {{
        "schema": 1, "torch": "{release}.0", "build": {{}}, "python": "3", "device": "cpu", "platform": "stand-in",
        "profile": "ci", "started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:00:01+00:00",
        "packages": {{}}, "project_commit": "stand-in", "examples": 0, "records": [],
    }}
    Path(target).write_text(json.dumps(document))
    print("0 passed (stand-in), OMP_NUM_THREADS=" + os.environ.get("OMP_NUM_THREADS", "unset"))
elif args[:2] == ["-m", "compat.record.verify"]:
    out = next((args[i + 1] for i, a in enumerate(args) if a == "--out"), None)
    if out:
        Path(out).write_text(json.dumps({{"findings": {{}}}}))
    print("reproducers: stand-in")
"""


def main() -> int:
    """Replace the runner's venv creation with the stand-in, then run the CLI on the remaining arguments."""
    seconds = float(sys.argv[1])
    from compat import cli
    from compat.matrix import runner

    def created(release: str, env: Path, log: Path, extras: str) -> Path:
        python = env / "bin" / "python"
        if env.exists():  # as uv venv refuses a folder a killed run left
            raise runner.MatrixError(f"uv venv failed (exit 2): {env} exists; use --clear")
        python.parent.mkdir(parents=True)
        python.write_text(FAKE_PYTHON.format(python=sys.executable, seconds=seconds, release=release))
        python.chmod(0o755)
        return python

    runner._created = created
    return cli.main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
