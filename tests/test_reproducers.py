"""Generated reproducers are plain torch, fail while a claim is violated and pass where it holds."""

import json
import math
import re

import pytest
import torch
from conftest import run_python

from compat.catalog import claims, expectations, schedulers, specs, versions
from compat.catalog.versions import release_of
from compat.record.repro import repro_script, write_repro
from compat.record.verify import CONFIRMED, exit_status, findings_verified
from compat.run import crossversion, differ
from compat.run.applicability import not_applicable_because
from compat.run.examples import pinned_case

# Runs every script given as an argument in its own namespace in one interpreter (torch is imported
# once) and prints {path: [exit status, stdout]}; a script that does not call sys.exit has status 0, one
# that raises has the error as its status.
DRIVER = """
import json, runpy, sys, io, contextlib
import torch
results = {}
for path in sys.argv[1:]:
    torch.set_default_dtype(torch.float32)  # a script may change it; each runs as if on its own
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            runpy.run_path(path, run_name="__main__")
            code = 0
        except SystemExit as stop:
            code = stop.code or 0
        except Exception as error:  # a crash is neither verdict: the test names it
            code = f"crash: {type(error).__name__}: {error}"
    results[path] = [code, out.getvalue()]
print(json.dumps(results))
"""

TORCH = versions.installed()
KNOWN = expectations.load()
OPTIMIZERS = [spec for spec in specs.specs().values() if not spec.absent_because(TORCH)]
SCHEDULERS = [spec for spec in schedulers.specs().values() if not spec.absent_because(TORCH)]
SUBJECTS = tuple(spec.name for spec in OPTIMIZERS + SCHEDULERS)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """Return {(claim id, subject): (exit status, stdout, violation expected)} of every pinned reproducer."""
    folder = tmp_path_factory.mktemp("repro")
    planned = {}
    for spec in OPTIMIZERS + SCHEDULERS:
        kind = "schedulers" if spec in SCHEDULERS else "optimizers"
        for claim in claims.live():
            if claim.device != "cpu" or claim.category == "crossversion" or claim.subjects != kind:
                continue
            if not_applicable_because(claim, spec, TORCH):
                continue
            path = folder / f"{claim.id}--{spec.name}.py"
            known = expectations.expected(KNOWN, claim.id, spec.target, TORCH)
            path.write_text(repro_script(claim, pinned_case(spec, claim, known.example if known else "default")))
            violated = known is not None
            planned[str(path)] = (claim.id, spec.name, violated)
    done = run_python("-c", DRIVER, *planned, cwd=folder)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    return {(c, s): (*results[path], v) for path, (c, s, v) in planned.items()}


@pytest.mark.parametrize("subject", SUBJECTS)
def test_pinned_reproducers_exit_1_exactly_where_a_violation_is_expected(ran, subject):
    wrong = {
        claim: f"exit {code}, expected {1 if violated else 0}: {out.strip().splitlines()[-1]}"
        for (claim, name), (code, out, violated) in ran.items()
        if name == subject and (code != (1 if violated else 0) or violated != (f"VIOLATED: {claim}" in out))
    }
    assert wrong == {}


def test_a_constructor_value_that_is_not_finite_is_written_so_a_script_reads_it_back():
    from compat.catalog.sources import literal

    values = {"max_grad_norm": float("inf"), "clip": (float("-inf"), 1.0)}
    assert eval(literal(values)) == values
    assert math.isnan(eval(literal(float("nan"))))


def test_a_reproducer_prints_the_torch_version_first_and_the_verdict_last(ran):
    _, out, _ = ran["optimizer.state_dict.roundtrip", "SGD"]
    assert out.splitlines()[0] == f"torch {torch.__version__}"
    assert out.splitlines()[-1] == "holds: optimizer.state_dict.roundtrip"
    _, out, _ = ran["optimizer.load.matches-by-identity", "SGD"]
    assert out.splitlines()[0] == f"torch {torch.__version__}"
    assert "VIOLATED: optimizer.load.matches-by-identity" in out


def test_a_reproducer_imports_only_the_standard_library_and_torch():
    claim = claims.get("optimizer.resume.bitwise")
    script = repro_script(claim, pinned_case(specs.get("Adam"), claim))
    imports = set(re.findall(r"^(?:import|from) (\w+)", script, flags=re.MULTILINE))
    assert imports <= {"collections", "copy", "io", "math", "os", "sys", "tempfile", "torch"}


RELEASE = release_of(TORCH)


@pytest.fixture(scope="module")
def crossed(tmp_path_factory):
    """Return {(claim id, subject): (save status, payload differences, check status, stdout, expected)}.

    Each present subject's cross-version scripts run both steps on this release: ``save`` writes
    the checkpoint, then the check loads it, as another release would.
    """
    folder = tmp_path_factory.mktemp("crossversion")
    found = {}
    for spec in OPTIMIZERS + SCHEDULERS:
        kind = "schedulers" if spec in SCHEDULERS else "optimizers"
        checkpoint = folder / f"{spec.name}.pt"
        for claim in claims.live():
            if claim.category != "crossversion" or claim.subjects != kind:
                continue
            script = write_repro(claim, crossversion.fixture_case(spec), folder, saved_by=RELEASE)
            saved, _ = exit_status(script, ["save", str(checkpoint)])
            theirs = crossversion.payload(spec)
            mine = torch.load(checkpoint, weights_only=False)
            drift = [str(d) for d in differ.differences(theirs, mine)]
            code, out = exit_status(script, [str(checkpoint)])
            known = expectations.expected(KNOWN, claim.id, spec.target, TORCH, RELEASE)
            found[claim.id, spec.name] = (saved, drift, code, out, known is not None)
    return found


@pytest.mark.parametrize("subject", SUBJECTS)
def test_crossversion_reproducers_save_the_fixture_and_check_it(crossed, subject):
    """Step 1 writes what the matrix's fixture holds; step 2 exits 1 exactly where a violation is expected."""
    wrong = {
        claim: (saved, drift, code, out.strip().splitlines()[-1:])
        for (claim, name), (saved, drift, code, out, violated) in crossed.items()
        if name == subject and (saved != 0 or drift or code != (1 if violated else 0))
    }
    assert wrong == {}


def test_a_findings_reproducer_counts_only_when_it_prints_its_violated_line_and_exits_1(tmp_path):
    """A crash, a missing file, another claim's line or exit 0 is no confirmation."""
    here = release_of(versions.installed())
    scripts = {
        "shows.py": "import sys\nprint('VIOLATED: optimizer.state.restored')\nsys.exit(1)\n",
        "crashes.py": "import torch\ntorch.no_such_function()\n",
        "other.py": "import sys\nprint('VIOLATED: optimizer.resume.bitwise')\nsys.exit(1)\n",
        "holds.py": "print('holds: optimizer.state.restored')\n",
    }
    (tmp_path / "repro").mkdir()
    for name, text in scripts.items():
        (tmp_path / "repro" / name).write_text(text)
    findings = [
        {"id": name, "claim": "optimizer.state.restored", "subject": "torch.optim.Adam", "repro": f"repro/{name}"}
        | {"own_scripts": {here: None, "1.13": None}}
        for name in [*scripts, "missing.py"]
    ]
    (tmp_path / "matrix.json").write_text(json.dumps({"findings": findings}))
    verdicts = {k: v["places"] for k, v in findings_verified(tmp_path / "matrix.json", None)["findings"].items()}
    assert verdicts["shows.py"] == {here: CONFIRMED}
    assert verdicts["crashes.py"][here].startswith("exit 1 without `VIOLATED: optimizer.state.restored`")
    assert "AttributeError" in verdicts["crashes.py"][here]
    assert verdicts["other.py"][here].startswith("exit 1 without")
    assert verdicts["holds.py"][here] == "exit 0: the violation did not show"
    assert verdicts["missing.py"][here] == "missing: missing.py"


def test_a_verification_rerun_keeps_its_verdicts_and_runs_only_new_scripts(tmp_path):
    """Verdicts accumulate per finding and script: a finding split since keeps those of the places it gave up."""
    from compat.record import verify

    (tmp_path / "repro").mkdir()
    (tmp_path / "repro" / "a.py").write_text("import sys\nprint('VIOLATED: optimizer.resume.bitwise')\nsys.exit(1)\n")
    (tmp_path / "repro" / "b.py").write_text("raise SystemExit(0)\n")
    finding = {"id": "f", "claim": "optimizer.resume.bitwise", "subject": "torch.optim.Adam", "repro": "repro/a.py"}
    matrix = tmp_path / "matrix.json"
    matrix.write_text(json.dumps({"findings": [finding | {"own_scripts": {RELEASE: "confirmed"}}]}))
    first = verify.findings_verified(matrix, None)
    assert first["findings"] == {"f": {"script": "repro/a.py", "places": {RELEASE: "confirmed"}}}
    (tmp_path / "repro" / "a.py").write_text("raise SystemExit(0)\n")  # not rerun: the verdict is kept
    other = {"id": "g", "claim": "optimizer.resume.bitwise", "subject": "torch.optim.Adam", "repro": "repro/b.py"}
    matrix.write_text(json.dumps({"findings": [other | {"own_scripts": {RELEASE: "confirmed"}}]}))
    second = verify.findings_verified(matrix, None, first)
    assert second["findings"]["f"] == first["findings"]["f"]
    assert second["findings"]["g"]["places"][RELEASE].startswith("exit 0")
