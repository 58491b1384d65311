"""Real frameworks' checkpoints: what ``python -m compat check`` says of each is what resuming it does.

Each framework trains once (module-scoped fixtures; the builders are in tests/frameworks.py). ``check``
runs as a user runs it: a child ``python -m compat check PATH --torch 2.15`` in the project root, where
reports/ holds the published matrix; with ``--json`` for the assertions, without it for the text a
person reads. The ground-truth tests resume with the framework itself and stand on their own: no false
alarm means the resume really is bitwise, a pitfall listed is one the resume really shows.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frameworks
import plain_checkpoints
import pytest
import torch
from conftest import ROOT, run_python

from compat.catalog.schedulers import RESTORE_ORDERS

pytestmark = pytest.mark.slow  # each framework trains and resumes for real; check runs in child processes

TARGET = "2.15"
NOT_RUN = "not-run: install the frameworks extra (pip install -e '.[frameworks]')"
WIDTH = 120  # the widest line check may print in text mode
CHECK_TIMEOUT = 300.0
# An allowlist suggestion naming a callable the file would call: never to be printed (docs/kinds.md).
ALLOWLISTED_CALLABLE = re.compile(r"add_safe_globals\(\[[^\]]*\b(io\.open|posix\.system|os\.system)\b")

FLAGS_FROM_ANOTHER_DEVICE = "optimizer.load.flags-from-another-device"
PARTIAL_NOT_SAVED = "answer.scheduler-partial-not-saved"
LAMBDA_NOT_SAVED = "answer.scheduler-lambda-not-saved"
KEEPS_CONSTRUCTOR_ARGUMENTS = "scheduler.load.keeps-constructor-arguments"


def needs(module: str) -> None:
    """Skip the test when the frameworks extra's ``module`` is not installed."""
    pytest.importorskip(module, reason=f"{NOT_RUN}: {module} is missing")


# --- check in a child process -------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRun:
    """One ``python -m compat check`` in a child process: its arguments, exit status and output."""

    args: tuple[str, ...]
    status: int
    out: str
    err: str

    def report(self) -> dict[str, Any]:
        """Return the JSON it printed; fail the test with its exit status and last error line when there is none."""
        __tracebackhide__ = True
        try:
            return json.loads(self.out)
        except ValueError:
            said = (self.err.strip() or self.out.strip() or "nothing").splitlines()[-1]
            pytest.fail(f"check {' '.join(self.args)} printed no JSON (exit {self.status}): {said}")


@dataclass(frozen=True)
class Checked:
    """A checkpoint and the check runs made of it, by name: "json", "text" and any extra ones."""

    path: Path
    runs: dict[str, CheckRun]

    def report(self, name: str = "json") -> dict[str, Any]:
        """Return the JSON the run ``name`` printed."""
        __tracebackhide__ = True
        return self.runs[name].report()


def checked(path: Path, **extra: tuple[str, ...]) -> Checked:
    """Return ``check PATH --torch 2.15`` run on ``path`` with --json, without, and with each ``extra``, at once."""
    variants = {"json": ("--json",), "text": (), **extra}
    with ThreadPoolExecutor(max_workers=len(variants)) as pool:
        done = {name: pool.submit(check_run, path, *args) for name, args in variants.items()}
        return Checked(path, {name: future.result() for name, future in done.items()})


def check_run(path: Path, *args: str) -> CheckRun:
    """Return the finished ``python -m compat check PATH --torch 2.15 *args`` run from the project root."""
    command = ("-m", "compat", "check", str(path), "--torch", TARGET, *args)
    finished = run_python(*command, cwd=ROOT, timeout=CHECK_TIMEOUT)
    return CheckRun(command[2:], finished.returncode, finished.stdout, finished.stderr)


def findings_of(report: dict[str, Any], claim: str) -> list[dict[str, Any]]:
    """Return the report's findings of ``claim``."""
    return [finding for finding in report["findings"] if finding["claim"] == claim]


def assert_finding(report: dict[str, Any], claim: str) -> list[dict[str, Any]]:
    """Assert that the report lists a finding of ``claim``; return them."""
    __tracebackhide__ = True
    found = findings_of(report, claim)
    listed = sorted({finding["claim"] for finding in report["findings"]})
    assert found, f"no {claim} finding; check listed {listed or 'none'}"
    return found


def assert_no_finding(report: dict[str, Any], claim: str) -> None:
    """Assert that the report lists no finding of ``claim``."""
    __tracebackhide__ = True
    found = findings_of(report, claim)
    assert not found, f"{claim} listed for {[f['where'] for f in found]}: {found[0]['because']}"


def assert_framework(report: dict[str, Any], framework: str | None, *, order: str | None = None) -> None:
    """Assert the framework check recognized, and the restore order whose findings it applied where given."""
    __tracebackhide__ = True
    assert report["framework"] == framework, f"framework: said {report['framework']!r}, wrote {framework!r}"
    if order is not None:
        assert report["order"] == order, f"order: said {report['order']!r}, expected {order!r}"


def optimizer_states(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the report's optimizer states."""
    return [state for state in report["states"] if state["kind"] == "optimizer"]


def wide_lines(run: CheckRun) -> list[str]:
    """Return the lines of the run's output (stdout and stderr) wider than WIDTH."""
    return [line for line in (run.out + run.err).splitlines() if len(line) > WIDTH]


# --- the checkpoints, each written once -----------------------------------------------------------------


@pytest.fixture(scope="module")
def hf_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs("transformers")
    needs("accelerate")  # the Trainer runs on accelerate
    return frameworks.hf_trainer_checkpoint(tmp_path_factory.mktemp("hf-trainer"))


@pytest.fixture(scope="module")
def hf_truth(hf_checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> frameworks.HfTruth:
    return frameworks.hf_ground_truth(hf_checkpoint, tmp_path_factory.mktemp("hf-resumed"))


@pytest.fixture(scope="module")
def hf_checks(hf_checkpoint: Path) -> Checked:
    return checked(hf_checkpoint)


@pytest.fixture(scope="module")
def lightning_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs("pytorch_lightning")
    return frameworks.lightning_onecycle_checkpoint(tmp_path_factory.mktemp("lightning"))


@pytest.fixture(scope="module")
def lightning_truth(lightning_checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> frameworks.LightningTruth:
    return frameworks.lightning_ground_truth(lightning_checkpoint, tmp_path_factory.mktemp("lightning-resumed"))


@pytest.fixture(scope="module")
def lightning_checks(lightning_checkpoint: Path) -> Checked:
    return checked(lightning_checkpoint)


@pytest.fixture(scope="module")
def accelerate_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs("accelerate")
    return frameworks.accelerate_state_folder(tmp_path_factory.mktemp("accelerate"))


@pytest.fixture(scope="module")
def accelerate_checks(accelerate_folder: Path) -> Checked:
    return checked(accelerate_folder)


@pytest.fixture(scope="module")
def lambda_checks(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    path = plain_checkpoints.plain_lambda_checkpoint(tmp_path_factory.mktemp("plain") / "lambda.pt")
    return checked(path, repaired=("--json", "--order", "repaired"))


@pytest.fixture(scope="module")
def main_class_checks(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return checked(plain_checkpoints.main_class_checkpoint(tmp_path_factory.mktemp("main-class") / "config.pt"))


def payload_marker(path: Path) -> Path:
    """Return the file that loading the payload checkpoint at ``path`` creates."""
    return path.with_suffix(".ran")


def payload_checks(folder: Path, via: str) -> Checked:
    """Return the check runs of a payload checkpoint whose unpickling calls ``via``."""
    path = folder / "payload.pt"
    return checked(plain_checkpoints.payload_checkpoint(path, payload_marker(path), via=via))


@pytest.fixture(scope="module")
def open_payload_checks(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return payload_checks(tmp_path_factory.mktemp("io-open"), "io.open")


@pytest.fixture(scope="module")
def system_payload_checks(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return payload_checks(tmp_path_factory.mktemp("os-system"), "os.system")


CHECKPOINTS = ("hf", "lightning", "accelerate", "lambda", "main_class", "open_payload", "system_payload")


# --- ground truth: what the frameworks do ---------------------------------------------------------------


def test_the_hf_trainer_saves_a_fused_adamw_on_the_cpu(hf_checkpoint: Path) -> None:
    """transformers' default optim (adamw_torch_fused on torch >= 2.8) writes fused=True into a CPU run's groups."""
    assert frameworks.hf_default_optimizer() == "adamw_torch_fused"
    groups = torch.load(hf_checkpoint / "optimizer.pt", weights_only=True)["param_groups"]
    assert [(g["fused"], g["decoupled_weight_decay"]) for g in groups] == [(True, True)] * len(groups)


def test_an_hf_resume_with_the_same_max_steps_is_bitwise_the_uninterrupted_run(hf_truth: frameworks.HfTruth) -> None:
    """resume_from_checkpoint=checkpoint-N, to the same max_steps, ends with the uninterrupted run's params."""
    assert hf_truth.resumed_bitwise


def test_an_hf_resume_with_a_longer_max_steps_follows_the_new_schedule(hf_truth: frameworks.HfTruth) -> None:
    """scheduler.pt holds no partial (lr_lambdas entries are empty): the resumed lr follows the new code's schedule."""
    assert hf_truth.saved_lr_lambdas == [{}] * len(hf_truth.saved_lr_lambdas)
    assert hf_truth.follows_new_schedule, (hf_truth.longer_lrs, hf_truth.longer_schedule, hf_truth.saved_schedule)


def test_a_lightning_resume_with_the_same_total_steps_is_bitwise_the_uninterrupted_run(
    lightning_truth: frameworks.LightningTruth,
) -> None:
    """fit(ckpt_path=...) with the code that wrote the .ckpt ends with the uninterrupted run's params."""
    assert lightning_truth.resumed_bitwise


def test_a_lightning_resume_with_a_larger_total_steps_keeps_the_saved_one_and_stops(
    lightning_truth: frameworks.LightningTruth,
) -> None:
    """OneCycleLR's load_state_dict writes the saved total_steps over the new code's: a longer run stops."""
    total = frameworks.ONECYCLE_TOTAL_STEPS
    assert lightning_truth.total_steps_after_load == total
    assert lightning_truth.larger_error == (
        f"ValueError: Tried to step {total + 1} times. The specified number of total steps is {total}"
    )


def test_an_accelerate_load_state_then_training_on_is_bitwise_the_uninterrupted_run(accelerate_folder: Path) -> None:
    """accelerator.load_state(folder) and the remaining steps end with the uninterrupted run's params."""
    assert sorted(p.name for p in accelerate_folder.iterdir()) == [
        "model.safetensors",
        "optimizer.bin",
        "random_states_0.pkl",
        "scheduler.bin",
    ]
    assert frameworks.accelerate_resume_is_bitwise(accelerate_folder)


# --- what check says of them ----------------------------------------------------------------------------


def test_check_raises_no_device_flag_alarm_on_an_hf_cpu_checkpoint_that_resumes_bitwise(
    hf_checks: Checked, hf_truth: frameworks.HfTruth
) -> None:
    """fused=True written by a CPU run resumes on the CPU bitwise: check lists no flags-from-another-device."""
    report = hf_checks.report()
    assert_framework(report, "hf-trainer", order="scheduler-first")
    assert hf_truth.resumed_bitwise
    assert_no_finding(report, FLAGS_FROM_ANOTHER_DEVICE)


def test_check_lists_the_partial_pitfall_of_an_hf_checkpoint_that_a_longer_resume_shows(
    hf_checks: Checked, hf_truth: frameworks.HfTruth
) -> None:
    """The warm-up's partial is not in scheduler.pt: check says so, and a longer resume follows the new schedule."""
    assert_finding(hf_checks.report(), PARTIAL_NOT_SAVED)
    assert hf_truth.follows_new_schedule


def test_check_lists_onecycle_keeping_total_steps_that_a_larger_lightning_resume_shows(
    lightning_checks: Checked, lightning_truth: frameworks.LightningTruth
) -> None:
    """check names total_steps among the arguments the .ckpt's OneCycleLR keeps; a larger resume stops on it."""
    report = lightning_checks.report()
    assert_framework(report, "lightning")
    assert report["order"] in RESTORE_ORDERS, f"order: said {report['order']!r}, not one of {RESTORE_ORDERS}"
    found = assert_finding(report, KEEPS_CONSTRUCTOR_ARGUMENTS)
    assert any("total_steps" in finding["because"] for finding in found), [f["because"] for f in found]
    assert lightning_truth.larger_error is not None and "Tried to step" in lightning_truth.larger_error


def test_check_reads_an_accelerate_folder_and_names_its_optimizer_adamw_only(accelerate_checks: Checked) -> None:
    """optimizer.bin and scheduler.bin are read; decoupled_weight_decay=True leaves AdamW, not Adam."""
    report = accelerate_checks.report()
    assert accelerate_checks.runs["json"].status in (0, 1), accelerate_checks.runs["json"].err
    assert_framework(report, "accelerate")
    states = optimizer_states(report)
    assert [set(state["candidates"]) for state in states] == [{"torch.optim.AdamW"}], states


def test_check_lists_the_lambda_pitfall_of_a_plain_script_and_no_tensor_lr_finding_when_repaired(
    lambda_checks: Checked,
) -> None:
    """A lambda lr_lambda is not saved; with --order repaired, no finding that needs a tensor lr (its lr is a float)."""
    assert_finding(lambda_checks.report(), LAMBDA_NOT_SAVED)
    repaired = lambda_checks.report("repaired")
    assert repaired["order"] == "repaired"
    needing = [
        finding["claim"]
        for finding in repaired["findings"]
        if "tensor lr" in " ".join([finding["because"], *(finding.get("conditions") or [])])
    ]
    assert not needing, f"findings that need a tensor lr, on a float lr: {needing}"


def test_check_reads_a_main_class_file_without_trust_through_a_placeholder(main_class_checks: Checked) -> None:
    """A class of the writing script's __main__ is read as an inert placeholder: the Adam state is still checked."""
    report = main_class_checks.report()
    assert main_class_checks.runs["json"].status != 2, main_class_checks.runs["json"].err
    assert "__main__.RunConfig" in report["replaced"], report["replaced"]
    assert any("torch.optim.Adam" in state["candidates"] for state in optimizer_states(report)), report["states"]
    for run in main_class_checks.runs.values():
        assert "Traceback" not in run.err, run.err


@pytest.mark.parametrize("name", ["open_payload", "system_payload"])
def test_check_runs_nothing_a_payload_names_and_never_offers_it_for_the_allowlist(
    name: str, request: pytest.FixtureRequest
) -> None:
    """Neither run creates the marker, and no add_safe_globals([...]) names io.open, posix.system or os.system."""
    done: Checked = request.getfixturevalue(f"{name}_checks")
    assert not payload_marker(done.path).exists()
    for run in done.runs.values():
        said = ALLOWLISTED_CALLABLE.search(run.out + run.err)
        assert said is None, f"check {' '.join(run.args)} offers a callable for the allowlist: {said.group(0)}"


@pytest.mark.parametrize("name", CHECKPOINTS)
def test_no_line_check_prints_is_wider_than_120(name: str, request: pytest.FixtureRequest) -> None:
    """Text mode: every line of stdout and stderr fits in 120 characters."""
    run = request.getfixturevalue(f"{name}_checks").runs["text"]
    wide = wide_lines(run)
    assert not wide, f"{len(wide)} line(s) over {WIDTH}; the widest ({max(map(len, wide))}): {max(wide, key=len)}"
