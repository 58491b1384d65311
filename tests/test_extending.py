"""Specs from outside the package: --spec, entry points, and what a bad or broken spec gives."""

import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT, run_python

pytestmark = pytest.mark.slow  # each test starts the suite in a child pytest

BROKEN = "tests/broken_optimizers.py"
SPEC = ("--spec", "docs/examples/heavy_ball.py:SPECS")


def test_the_worked_example_is_covered_by_the_whole_suite_and_holds(run_props):
    done = run_props("--spec", "docs/examples/heavy_ball.py:SPECS", "-k", "HeavyBall", "-rs")
    assert done.returncode == 0, done.stdout[-3000:]
    counts = dict(reversed(part.split()[:2]) for part in done.stdout.strip().splitlines()[-1].split(", "))
    assert "failed" not in counts
    assert int(counts["passed"]) >= 15


def test_a_state_dict_that_drops_a_buffer_fails_naming_the_buffer(run_props):
    done = run_props("--spec", f"{BROKEN}:DROPS_BUFFER", "-k", "DropsBuffer")
    assert done.returncode == 1
    tensor = r"(tensor of shape \([\d, ]*\), float32|tensor\([-\d.e]+, dtype=float32\))"  # a 0-d one shows its value
    missing = rf"missing state\[0\]\.buffer: in optimizer\.state \({tensor}\), not in state_dict\(\)"
    assert re.search(missing, done.stdout), done.stdout[-3000:]


def test_a_load_that_ignores_the_saved_lr_fails_naming_the_lr(run_props):
    done = run_props("--spec", f"{BROKEN}:IGNORES_SAVED_LR", "-k", "IgnoresSavedLr")
    assert done.returncode == 1
    assert re.search(r"param_groups\[0\]\.lr: saved [\d.e-]+, after load_state_dict [\d.e-]+$", done.stdout, re.M)


def test_a_load_that_drops_a_buffer_fails_in_a_few_lines_each_naming_its_claim_first(run_props):
    """What docs/extending.md shows: the claim first, the differences, the example, the reproducer's command."""
    done = run_props("--spec", f"{BROKEN}:DROPS_BUFFER_ON_LOAD", "-k", "DropsBufferOnLoad")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) < 60, done.stdout
    firsts = [lines[i + 1] for i, line in enumerate(lines) if re.match(r"_+ test_\w+\[DropsBufferOnLoad\] _+$", line)]
    head = "optimizer.state.restored violated by broken_optimizers.DropsBufferOnLoad: "
    assert any(f.startswith(head) for f in firsts)
    assert all(re.match(r"[a-z_.-]+ violated by broken_optimizers\.DropsBufferOnLoad: ", f) for f in firsts), firsts
    command = next(line for line in lines if "reproducer: " in line and "state.restored" in line)
    script = re.search(r"python (\S+\.py)", command).group(1)
    assert "on broken_optimizers.DropsBufferOnLoad" in (ROOT / script).read_text().splitlines()[0]
    shown = run_python(script, env={"PYTHONPATH": "tests"})
    assert (shown.returncode, shown.stdout.splitlines()[1]) == (1, "VIOLATED: optimizer.state.restored")


def test_an_override_through_super_passes_with_torchs_violations_listed_as_inherited(run_props):
    """HeavyBall.load_state_dict calls super(): torch's known violations of that method are its expected failures."""
    done = run_props("--spec", "docs/examples/heavy_ball.py:SPECS", "-k", "HeavyBall and test_load")
    assert done.returncode == 0, done.stdout[-3000:]
    inherited = "inherited from torch.optim.Optimizer.load_state_dict: documented: load_state_dict pairs saved state"
    assert re.search(rf"XFAIL props/test_load.py::test_permuting_params\w+\[HeavyBall\] - {inherited}", done.stdout)


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        ("NOT_A_SPEC", "is a type, not an OptimizerSpec or SchedulerSpec"),
        (
            "MISSING_CLASS",
            "spec broken_optimizers.NoSuchOptimizer (--spec tests/broken_optimizers.py:MISSING_CLASS): "
            "the class does not exist",
        ),
        (
            "INVALID_SPACE",
            "spec broken_optimizers.Momentum (--spec tests/broken_optimizers.py:INVALID_SPACE): "
            "cannot train with lr=-1.0: ValueError: invalid lr -1.0",
        ),
        ("NO_SUCH_ATTRIBUTE", "broken_optimizers.py has no attribute 'NO_SUCH_ATTRIBUTE'"),
    ],
)
def test_a_bad_spec_is_one_usage_error_naming_it(run_props, attribute, message):
    done = run_props("--spec", f"{BROKEN}:{attribute}")
    assert done.returncode == 4
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("ERROR: ") and message in line
    assert "Traceback" not in done.stdout + done.stderr


def test_an_installed_package_adds_specs_through_the_entry_point_group(run_props, tmp_path):
    shutil.copy("docs/examples/heavy_ball.py", tmp_path / "heavy_ball.py")
    info = tmp_path / "heavy_ball_specs-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: heavy-ball-specs\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[torch_optim_compat.specs]\nheavy_ball = heavy_ball:SPECS\n")
    done = run_props("props/test_resume.py", "-k", "HeavyBall", env={"PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stdout[-2000:]
    assert done.stdout.strip().splitlines()[-1].startswith("2 passed")


def test_a_recorded_run_gives_the_optimizer_its_line_and_its_page_in_the_report(run_props, tmp_path):
    result = tmp_path / "results" / "heavy-ball-cpu.json"
    done = run_props("--spec", "docs/examples/heavy_ball.py:SPECS", "-k", "HeavyBall", f"--compat-json={result}")
    assert done.returncode == 0, done.stdout[-2000:]
    rendered = run_python("-m", "compat", "report", "--results", str(result.parent), "--out", str(tmp_path / "out"))
    assert rendered.returncode == 0, rendered.stderr
    assert (
        "| [heavy_ball.HeavyBall](third-party/heavy_ball.HeavyBall.md) |"
        in (tmp_path / "out" / "README.md").read_text()
    )
    page = (tmp_path / "out" / "third-party" / "heavy_ball.HeavyBall.md").read_text()
    assert page.startswith("<!-- Generated") and "| `optimizer.resume.bitwise` |" in page


RECORDING_UV = """#!/bin/sh
echo "${{UV_TORCH_BACKEND:-none}} $*" >> "{record}"
exec env -u UV_TORCH_BACKEND "{uv}" "$@"
"""


@pytest.mark.skipif(shutil.which("nox") is None or shutil.which("uv") is None, reason="not-run: nox or uv not on PATH")
def test_nox_props_passes_spec_to_the_suite_and_the_torch_backend_to_uv(tmp_path):
    """The backend reaches every uv call (a stand-in records it and installs from the registry, the only index here)."""
    uv, record = tmp_path / "uv", tmp_path / "uv-calls"
    uv.write_text(RECORDING_UV.format(record=record, uv=shutil.which("uv")))
    uv.chmod(0o755)
    done = subprocess.run(
        ["nox", "-s", "props", "--", "--torch-backend", "cpu", *SPEC, "-k", "HeavyBall and resume"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "UV": str(uv)},
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    assert "2 passed" in done.stdout
    installs = [call for call in record.read_text().splitlines() if " pip install " in call]
    assert installs and all(call.startswith("cpu pip install") for call in installs), installs


def test_a_violation_predicted_by_an_inherited_method_records_its_entrys_kind_and_link(run_props, tmp_path):
    """HeavyBall inherits torch's state_dict: the run, which can see that, records the entry's kind and report."""
    result = tmp_path / "results" / "heavy-ball-cpu.json"
    done = run_props(
        "--spec",
        "docs/examples/heavy_ball.py:SPECS",
        "-k",
        "HeavyBall and does_not_change_when_training",
        f"--compat-json={result}",
    )
    assert done.returncode == 0, done.stdout[-2000:]
    (record,) = json.loads(result.read_text())["records"]
    assert (record["outcome"], record["expected"], record["kind"]) == ("violated", True, "untriaged")
    assert record["link"] == "https://github.com/pytorch/pytorch/issues/196083"
    assert record["upstream"] == {"url": record["link"], "state": "open", "fixed_in": None}
    assert record["explanation"].startswith("state_dict() returns references to the live state tensors")
