"""``python -m compat``: commands print what they promise; bad input is one line and exit 2."""

from conftest import run_python

from compat.catalog import claims


def test_list_prints_every_claim_and_subject():
    done = run_python("-m", "compat", "list")
    assert done.returncode == 0, done.stderr
    for claim in claims.live():
        assert claim.id in done.stdout
    assert "torch.optim.Adam " in done.stdout


def test_an_unknown_command_is_a_usage_error():
    done = run_python("-m", "compat", "frobnicate")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("python -m compat: error: argument COMMAND: invalid choice")


def test_the_matrix_driver_runs_where_torch_is_not_installed(tmp_path):
    """`nox -s matrix` runs `python -m compat matrix` with the user's Python, which has no torch."""
    without_torch = "import runpy, sys; sys.modules['torch'] = None; runpy.run_module('compat', run_name='__main__')"
    listed = run_python("-c", without_torch, "list", "claims")
    assert listed.returncode == 0, listed.stderr
    assert "scheduler.resume.lr-trajectory.last-epoch" in listed.stdout
    refused = run_python("-c", without_torch, "matrix", "--torch", "9.9")
    assert refused.returncode == 2
    assert refused.stderr.strip().startswith("python -m compat matrix: error: unknown torch release 9.9; supported: ")
    rendered = run_python("-c", without_torch, "report", "--results", str(tmp_path), "--out", str(tmp_path / "out"))
    assert "No module named 'torch'" not in rendered.stderr
