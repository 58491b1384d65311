"""``python -m compat``: commands print what they promise; bad input is one line and exit 2."""

from conftest import run_python

from compat import claims


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
