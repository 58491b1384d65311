"""Bad input gets one clear error line and a non-zero exit, and nothing recorded is overwritten."""

import pytest
import torch
from conftest import run_python

from compat.catalog import expectations
from compat.catalog.case import SaveLoad
from compat.run import engine
from compat.run.engine import TorchRefused

ONE_TEST = "props/test_state_dict.py::test_loaded_state_dict_equals_the_saved_one[SGD]"


def error_lines(done):
    """Return the non-empty lines of a child's stderr."""
    return [line for line in done.stderr.splitlines() if line.strip()]


@pytest.mark.slow
def test_an_unknown_hypothesis_profile_is_one_usage_error():
    done = run_python("-m", "pytest", ONE_TEST, "--hypothesis-profile", "nightly")
    assert done.returncode == 4
    assert error_lines(done) == ["ERROR: unknown Hypothesis profile 'nightly'; choose ci, matrix, dev or thorough"]


@pytest.mark.slow
@pytest.mark.parametrize("where", ["a-directory", "under-a-file"])
def test_an_unwritable_result_path_is_refused_before_anything_runs(where, tmp_path):
    blocker = tmp_path / "blocker"
    if where == "a-directory":
        blocker.mkdir()
        target = blocker
    else:
        blocker.write_text("recorded earlier\n")
        target = blocker / "result.json"
    done = run_python("-m", "pytest", ONE_TEST, "--hypothesis-profile", "ci", f"--compat-json={target}")
    assert done.returncode == 4
    (line,) = error_lines(done)
    assert line.startswith(f"ERROR: --compat-json {target}")
    assert "passed" not in done.stdout
    if where == "under-a-file":
        assert blocker.read_text() == "recorded earlier\n"


@pytest.mark.slow
def test_a_failing_run_does_not_replace_an_earlier_result_with_partial_data(tmp_path):
    result = tmp_path / "result.json"
    result.write_text('{"schema": 1, "records": []}\n')
    done = run_python("-m", "pytest", ONE_TEST, "--hypothesis-profile", "nightly", f"--compat-json={result}")
    assert done.returncode == 4
    assert result.read_text() == '{"schema": 1, "records": []}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


@pytest.fixture
def checkpoint(tmp_path):
    """Return the path of a real optimizer checkpoint written by the engine."""
    param = torch.ones(3, requires_grad=True)
    opt = torch.optim.Adam([param], lr=0.1)
    param.grad = torch.ones(3)
    opt.step()
    path = tmp_path / "checkpoint.pt"
    engine.write_checkpoint({"optimizer": opt.state_dict()}, path, SaveLoad())
    return path


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_corrupt_checkpoint_is_one_line_naming_the_file(damage, checkpoint):
    data = checkpoint.read_bytes()
    damaged = {"truncated": data[: len(data) // 2], "garbage": b"\x00not a checkpoint" * 10, "empty": b""}[damage]
    checkpoint.write_bytes(damaged)
    with pytest.raises(TorchRefused) as raised:
        engine.read_checkpoint(checkpoint, SaveLoad())
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"torch.load({checkpoint}) raised ")
    assert checkpoint.read_bytes() == damaged


def test_an_intact_checkpoint_reads_back(checkpoint):
    loaded = engine.read_checkpoint(checkpoint, SaveLoad(weights_only=True))
    assert loaded["optimizer"]["param_groups"][0]["lr"] == 0.1


def test_a_malformed_expected_outcomes_file_names_the_entry(tmp_path):
    path = tmp_path / "expected_outcomes.toml"
    path.write_text('[[violation]]\nclaim = "optimizer.no-such-claim"\nsubjects = ["*"]\nreason = "x"\n')
    with pytest.raises(expectations.BadExpectations, match=r"entry 1: .*unknown claim 'optimizer\.no-such-claim'"):
        expectations.load(path)
    path.write_text("[[violation]\n")
    with pytest.raises(expectations.BadExpectations, match="cannot read"):
        expectations.load(path)
    path.write_text(
        '[[violation]]\nclaim = "optimizer.resume.bitwise"\nsubjects = ["*"]\nreason = "x"\nsince = "2.99"\n'
    )
    with pytest.raises(expectations.BadExpectations, match=r"entry 1: .*2\.99"):
        expectations.load(path)
    path.write_text('[[violation]]\nclaim = "optimizer.resume.bitwise"\nsubjects = ["*"]\nreason = "x"\n')
    with pytest.raises(expectations.BadExpectations, match=r"entry 1: lists no differences"):
        expectations.load(path)
    path.write_text(
        '[[violation]]\nclaim = "optimizer.resume.bitwise"\nsubjects = ["*"]\nreason = "x"\ndifferences = ["*"]\n'
    )
    with pytest.raises(expectations.BadExpectations, match=r"entry 1: kind None is not one of documented, by-design"):
        expectations.load(path)


ENTRY = '[[violation]]\nclaim = "optimizer.resume.bitwise"\nsubjects = ["*"]\nreason = "x"\ndifferences = ["*"]\n'


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ('kind = "documented"\n', "is documented without evidence.quote"),
        ('kind = "by-design"\nevidence = { where = "torch.optim.SGD", since = "2.0" }\n', "evidence lacks quote"),
        (
            'kind = "documented"\nevidence = { quote = "q", where = "torch.optim.SGD" }\n',
            "evidence lacks since",
        ),
        (
            'kind = "bug"\nupstream = { url = "https://github.com/pytorch/pytorch/issues/1" }\n',
            "upstream needs url and a state",
        ),
        ('kind = "bug"\nissue = "https://github.com/pytorch/pytorch/issues/1"\n', "has an issue key"),
        (
            'kind = "bug"\nupstream = { url = "https://github.com/pytorch/pytorch/issues/1", state = "closed", '
            'fixed_in = "2.4" }\nuntil = "2.4"\n',
            r"expects the violation up to 2\.4 \(until\), but upstream fixed it in 2\.4",
        ),
        (
            'kind = "bug"\nupstream = { url = "https://github.com/pytorch/pytorch/issues/1", state = "closed", '
            'fixed_in = "2.4" }\n',
            "up to the newest release",
        ),
        (
            'kind = "workaround"\nupstream = { url = "https://github.com/pytorch/pytorch/issues/1", state = "open" }\n',
            "is workaround and links an upstream report",
        ),
    ],
)
def test_an_entry_without_the_evidence_or_report_its_kind_needs_is_refused(tmp_path, fields, error):
    """docs/kinds.md: documented needs a quote, a linked bug its state, a fixed bug no release after its fix."""
    path = tmp_path / "expected_outcomes.toml"
    path.write_text(ENTRY + fields)
    with pytest.raises(expectations.BadExpectations, match=f"entry 1: .*{error}"):
        expectations.load(path)


# A real write failure, not a mock: the child may write at most 300 bytes per file (RLIMIT_FSIZE),
# so the result file's write fails the way a full disk makes it fail.
FULL_DISK = """
import resource, signal, sys
import pytest
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))
sys.exit(pytest.main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_a_full_disk_when_the_results_are_written_keeps_the_earlier_file(tmp_path):
    earlier = tmp_path / "2.15-cpu.json"
    earlier.write_text('{"schema": 1, "finished": "earlier"}\n')
    arguments = ["props/test_answers.py", "--collect-only", "-q", "-p", "no:cacheprovider"]
    done = run_python("-c", FULL_DISK, *arguments, f"--compat-json={earlier}")
    assert done.returncode != 0
    assert earlier.read_text() == '{"schema": 1, "finished": "earlier"}\n'
    assert [p.name for p in tmp_path.iterdir()] == [earlier.name]
    (line,) = [line for line in done.stdout.splitlines() if "cannot write" in line]
    assert line == (
        f"torch-optim-compat: cannot write {earlier}: File too large; an earlier result file there is left as it was"
    )
