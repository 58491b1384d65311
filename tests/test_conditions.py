"""The reduction of a violation's example to its simplest form, and the conditions read from it."""

import json
import re

from compat.catalog.case import Case, Group, Layout, Param, SaveLoad, TensorLr
from compat.run.checks import ClaimViolation
from compat.run.conditions import simplest
from tests.conftest import run_python

BUSY = Case(
    subject="torch.optim.NAdam",
    kwargs={"lr": TensorLr(0.01), "foreach": True},
    fresh_kwargs={"lr": 0.5},
    layout=Layout(
        (Param((3,)), Param((3,), role="no-grad"), Param((2, 2), "float64"), Param((2,), "float64")),
        (Group((0, 1)), Group((2, 3), {"lr": 0.1})),
    ),
    steps_before=3,
    steps_after=2,
    seed=7,
    save_load=SaveLoad(medium="buffer", weights_only=False),
)


def _cast_bug(case: Case) -> ClaimViolation | bool:
    """Stand in for a claim test where the violation needs a float64 param and a step before the save."""
    if case.steps_before == 0 or not any(p.dtype == "float64" for p in case.layout.params):
        return True
    violation = ClaimViolation("cast", ["dtype state[0].mu_product: saved float32, loaded float64"])
    violation.case = case
    return violation


def test_the_simplest_example_keeps_only_what_the_violation_needs():
    found = _cast_bug(BUSY)
    reduced = simplest(found, _cast_bug)
    case = reduced.violation.case
    assert case.layout == Layout((Param((2, 2), "float64"),), (Group((0,), {"lr": 0.1}),)) or case.layout == Layout(
        (Param((2, 2), "float64"),), (Group((0,)),)
    )
    assert (case.steps_before, case.steps_after, case.seed) == (1, 1, 0)
    assert case.kwargs == {"lr": 0.01, "foreach": False}
    assert case.save_load == SaveLoad()
    assert reduced.conditions == [
        "only with a param of another dtype than float32: seen with float64; not with float16 and bfloat16"
    ]


def test_a_reduction_that_shows_another_difference_is_not_taken():
    def slips(case: Case) -> ClaimViolation | bool:
        violation = _cast_bug(case)
        if isinstance(violation, ClaimViolation) and len(case.layout.params) == 1:
            violation = ClaimViolation("other", ["value state[0].step: saved 1, loaded 2"])
            violation.case = case
        return violation

    reduced = simplest(slips(BUSY), slips)
    assert len(reduced.violation.case.layout.params) == 2
    assert reduced.violation.signature == ("dtype state[*].mu_product",)


def test_nadam_state_shows_a_reduced_example_with_one_param_and_says_its_dtype_is_needed(tmp_path):
    result = tmp_path / "result.json"
    done = run_python(
        "-m",
        "pytest",
        "-q",
        "--hypothesis-profile=ci",
        "props/test_state.py::test_every_state_tensor_is_restored_bitwise[NAdam]",
        f"--compat-json={result}",
    )
    assert done.returncode == 0, done.stdout[-3000:]
    (record,) = json.loads(result.read_text())["records"]
    assert (record["outcome"], record["expected"]) == ("violated", True)
    assert record["example_source"] in ("search", "pinned")
    assert record["example"].count("Param(") == 1
    (dtype,) = re.findall(r"dtype='(\w+)'", record["example"])
    assert dtype != "float32"
    (condition,) = [c for c in record["conditions"] if "dtype" in c]
    assert condition.startswith(f"only with a param of another dtype than float32: seen with {dtype}")
    assert "float64" in condition.split(";")[0], "the float64 param the issue names shows it too"
