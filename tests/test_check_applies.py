"""`check` says what applies to this file: the framework's layout and order, the file's flags and conditions, the
pitfalls its scheduler state shows, Adam told from AdamW, output a person reads and JSON for tools."""

import functools
import json
from pathlib import Path

import pytest
import torch
from test_check import REPORTS, run_check

from compat.report import applicable, check, pitfalls

FLAGS_CLAIM = "optimizer.load.flags-from-another-device"


def trained(cls: type = torch.optim.AdamW, steps: int = 3, **kwargs: object) -> torch.optim.Optimizer:
    params = [torch.nn.Parameter(torch.randn(3, 2)) for _ in range(2)]
    optimizer = cls(params, lr=0.01, **kwargs)
    for _ in range(steps):
        for param in params:
            param.grad = torch.ones_like(param)
        optimizer.step()
    return optimizer


def warmup(step: int, warmup_steps: int) -> float:
    return min(1.0, (step + 1) / warmup_steps)


def checked_json(path: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> dict:
    status, out, err = run_check(path, "--torch", "2.15", "--json", *args, capsys=capsys)
    assert status in (0, 1), err
    document = json.loads(out)
    assert document["status"] == status
    return document


def claims_found(document: dict) -> set[str]:
    return {f["claim"] for f in document["findings"]}


def test_an_hf_trainer_folder_with_fused_adamw_on_the_cpu_has_no_device_flag_alarm_and_its_partial_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """fused=True is what the HF Trainer writes on the CPU: no capturable, so the device-flag finding does not apply."""
    optimizer = trained(fused=True)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, functools.partial(warmup, warmup_steps=5))
    torch.save(optimizer.state_dict(), tmp_path / "optimizer.pt")
    torch.save(scheduler.state_dict(), tmp_path / "scheduler.pt")
    (tmp_path / "trainer_state.json").write_text(json.dumps({"global_step": 3, "max_steps": 10}))
    document = checked_json(tmp_path, capsys=capsys)
    assert (document["framework"], document["order"]) == ("hf-trainer", "scheduler-first")
    assert FLAGS_CLAIM not in claims_found(document)
    (partial,) = [f for f in document["findings"] if f["claim"] == "answer.scheduler-partial-not-saved"]
    assert (
        partial["because"] == "lr_lambdas[0] is {}: a functools.partial or a bound method, saved without its arguments"
    )
    assert "max_steps, 10 in this run" in partial["means"]


def test_capturable_in_the_groups_gets_the_device_flag_finding_saying_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    optimizer = trained()
    for group in optimizer.param_groups:
        group["capturable"] = True
    torch.save({"optimizer": optimizer.state_dict()}, tmp_path / "cuda.pt")
    document = checked_json(tmp_path / "cuda.pt", capsys=capsys)
    (flags,) = [f for f in document["findings"] if f["claim"] == FLAGS_CLAIM]
    assert flags["subjects"] == ["torch.optim.AdamW"] and flags["because"] == "its groups hold capturable=True"


def test_an_accelerate_folder_is_read_and_adamw_is_told_from_adam(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    optimizer = trained()
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    torch.save(optimizer.state_dict(), tmp_path / "optimizer.bin")
    torch.save(scheduler.state_dict(), tmp_path / "scheduler.bin")
    torch.save({"step": 3}, tmp_path / "random_states_0.pkl")
    document = checked_json(tmp_path, capsys=capsys)
    assert (document["framework"], document["order"]) == ("accelerate", "scheduler-first")
    states = {s["where"]: s for s in document["states"]}
    assert list(states["optimizer.bin"]["candidates"]) == ["torch.optim.AdamW"]
    assert list(states["scheduler.bin"]["candidates"]) == ["torch.optim.lr_scheduler.StepLR"]


def test_adam_is_told_from_adamw_by_decoupled_weight_decay(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    torch.save(trained(torch.optim.Adam).state_dict(), tmp_path / "adam.pt")
    (state,) = checked_json(tmp_path / "adam.pt", capsys=capsys)["states"]
    assert list(state["candidates"]) == ["torch.optim.Adam"]


def test_a_lambda_with_a_float_lr_names_the_pitfall_and_no_finding_needing_a_tensor_lr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    optimizer = trained(torch.optim.SGD, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 0.9**epoch)
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, tmp_path / "plain.pt")
    document = checked_json(tmp_path / "plain.pt", "--order", "repaired", capsys=capsys)
    assert document["order"] == "repaired" and document["framework"] is None
    assert "answer.scheduler-lambda-not-saved" in claims_found(document)
    assert not [f for f in document["findings"] if "tensor lr" in f["why"] + f["because"]], document["findings"]


def test_lightnings_one_cycle_names_the_total_steps_it_imposes_and_the_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    optimizer = trained(torch.optim.SGD, steps=0, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=10)
    for _ in range(4):
        optimizer.step()
        scheduler.step()
    checkpoint = {
        "epoch": 0,
        "global_step": 4,
        "pytorch-lightning_version": "2.6.0",
        "optimizer_states": [optimizer.state_dict()],
        "lr_schedulers": [scheduler.state_dict()],
    }
    torch.save(checkpoint, tmp_path / "last.ckpt")
    document = checked_json(tmp_path / "last.ckpt", capsys=capsys)
    assert (document["framework"], document["order"]) == ("lightning", "scheduler-first")
    (kept,) = [f for f in document["findings"] if f["claim"] == pitfalls.KEEPS_ARGUMENTS]
    assert "total_steps=10" in kept["because"] and "Tried to step 11 times" in kept["means"]
    _, out, _ = run_check(tmp_path / "last.ckpt", "--torch", "2.15", capsys=capsys)
    lines = out.splitlines()
    assert lines[0] == f"check: resume on torch 2.15: {len(document['findings'])} thing(s) to do"
    assert "framework: PyTorch Lightning (a .ckpt of Lightning 2.6.0); it restores in the scheduler-first" in out
    assert max(len(line) for line in lines) <= 120, max(lines, key=len)


@pytest.mark.parametrize(
    ("entry", "claim"),
    [
        (None, "answer.scheduler-lambda-not-saved"),
        ({}, "answer.scheduler-partial-not-saved"),
        ({"factor": 0.5}, "answer.scheduler-callable-object-restored"),
    ],
)
def test_each_kind_of_lr_lambda_entry_names_its_claim(entry: object, claim: str) -> None:
    (seen,) = pitfalls.shown({"last_epoch": 3, "lr_lambdas": [entry]}, {})
    assert seen.claim == claim


def test_a_condition_the_file_contradicts_leaves_the_finding_out_and_one_it_cannot_tell_keeps_it() -> None:
    held = applicable.facts(trained(torch.optim.SGD, momentum=0.9).state_dict())
    assert applicable.applies(["only with a tensor lr"], frozenset(), held)[0] is False
    assert applicable.applies([], frozenset({"capturable"}), held)[0] is False
    kept, why = applicable.applies(["only with two or more steps after the load"], frozenset(), held)
    assert kept and why == "if the resume has two or more steps after the load (the file cannot tell)"


def test_a_state_nested_deeper_than_check_looks_says_how_deep_it_looked(tmp_path: Path) -> None:
    nested: object = trained().state_dict()
    for level in range(9):
        nested = {f"level{level}": nested}
    torch.save(nested, tmp_path / "deep.pt")
    with pytest.raises(check.CheckpointError, match=r"no optimizer or scheduler state in it \(looked 8 dicts"):
        check.checked(tmp_path / "deep.pt", target="2.15", reports=REPORTS)


def test_a_callable_objects_attribute_names_are_shown_as_the_file_holds_them() -> None:
    """Names come from the file: braces in them are text, never a format field."""
    (seen,) = pitfalls.shown({"last_epoch": 1, "lr_lambdas": [{"{scale}": 2.0, "warmup": 3}]}, {})
    assert seen.because == "lr_lambdas[0] holds the attributes of a callable object (warmup, {scale})"
