"""The Hypothesis profiles: the matrix's search is derandomized per release and differs between releases."""

import json

import pytest

from compat.record.profiles import release_seed

NODE = "props/test_resume.py::test_resume_is_bitwise[Adam]"


def test_the_matrix_profile_seeds_each_test_by_release_and_the_others_leave_the_seed_alone():
    assert release_seed("matrix", NODE, "2.4") == release_seed("matrix", NODE, "2.4")
    assert release_seed("matrix", NODE, "2.4") != release_seed("matrix", NODE, "2.5")
    assert release_seed("matrix", NODE, "2.4") != release_seed("matrix", NODE.replace("Adam", "SGD"), "2.4")
    assert {release_seed(p, NODE, "2.4") for p in ("ci", "dev", "thorough")} == {None}


@pytest.mark.slow
def test_a_matrix_run_searches_32_examples_per_test(run_props, tmp_path):
    """The matrix profile runs 32 searched examples per test, beside the pinned one."""
    result = tmp_path / "result.json"
    done = run_props(
        "props/test_answers.py::test_lr_is_saved_in_param_groups[Adam]",
        "--hypothesis-profile", "matrix", f"--compat-json={result}",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    document = json.loads(result.read_text())
    assert (document["profile"], document["examples"]) == ("matrix", 32 + 1)
