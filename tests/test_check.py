"""`python -m compat check`: real checkpoints (every release's fixtures, framework layouts) and what it says of them."""

from __future__ import annotations

import functools
import json
import pathlib
from pathlib import Path
from typing import Any

import pytest
import torch

from compat import cli
from compat.catalog import versions
from compat.matrix.merge import MergeError
from compat.report import check, state_formats
from compat.report.checkpoint_files import CheckpointError

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
CHECKPOINTS = Path(__file__).resolve().parent / "checkpoints"  # fixtures each release saved (compat fixtures)
SUBJECTS = {
    "SGD": "torch.optim.SGD",
    "Adam": "torch.optim.Adam",
    "AdamW": "torch.optim.AdamW",
    "RMSprop": "torch.optim.RMSprop",
    "StepLR": "torch.optim.lr_scheduler.StepLR",
    "OneCycleLR": "torch.optim.lr_scheduler.OneCycleLR",
    "SWALR": "torch.optim.swa_utils.SWALR",
}
TARGETS = ("1.13", "2.4", "2.15")


@functools.cache
def matrix() -> dict[str, Any]:
    return json.loads((REPORTS / "matrix.json").read_text(encoding="utf-8"))


def cross_release_findings(subject: str, saver: str, target: str) -> set[str]:
    """Return the ids of the matrix's cross-release findings of ``subject`` on the pair saver->target."""
    return {
        f["id"]
        for f in matrix()["findings"]
        if f["claim"].startswith("crossversion.") and f["subject"] == subject and f"{saver}->{target}" in f["pairs"]
    }


@pytest.mark.parametrize("saver", versions.SUPPORTED)
@pytest.mark.parametrize("name", SUBJECTS)
def test_a_fixture_is_traced_to_its_release_and_gets_the_pairs_findings(name: str, saver: str) -> None:
    """On each target, check names a release range holding the saving release and lists exactly that pair's findings."""
    path = CHECKPOINTS / saver / f"{name}.pt"
    if not path.is_file():
        pytest.skip(f"torch {saver} saved no {name} fixture ({path.with_suffix('.refused.txt').name} says why)")
    subject = SUBJECTS[name]
    where = (
        "checkpoint['scheduler']" if "lr_scheduler" in subject or "swa_utils" in subject else "checkpoint['optimizer']"
    )
    for target in TARGETS:
        done = check.checked(path, target=target, reports=REPORTS, trust_pickle=True)
        identity = done.identities[where]
        assert saver in identity.candidates.get(subject, []), (target, identity)
        listed = {a.finding for a in done.applied if a.where == where and a.subject == subject and saver in a.savers}
        assert listed == cross_release_findings(subject, saver, target), (target, done.lines)


def trained_adam(**flags: bool) -> tuple[torch.optim.Optimizer, Any]:
    params = [torch.nn.Parameter(torch.randn(3, 2)) for _ in range(2)]
    optimizer = torch.optim.Adam(params, lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    for _ in range(3):
        for param in params:
            param.grad = torch.ones_like(param)
        optimizer.step()
        scheduler.step()
    for group in optimizer.param_groups:
        group.update(flags)
    return optimizer, scheduler


def run_check(path: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(["check", str(path), "--reports", str(REPORTS), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_says(path: Path, *lines: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Assert that check on ``path`` for torch 2.15 runs (exit 0 or 1) and prints each of ``lines``."""
    status, out, err = run_check(path, "--torch", "2.15", capsys=capsys)
    assert status in (0, 1), err
    for line in lines:
        assert line in out


def test_lightning_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Lightning's optimizer_states and lr_schedulers lists are found, each state named by where it lies."""
    optimizer, scheduler = trained_adam()
    path = tmp_path / "epoch=3.ckpt"
    torch.save(
        {
            "epoch": 3,
            "global_step": 3,
            "pytorch-lightning_version": "2.4.0",
            "state_dict": {"layer.weight": torch.zeros(4, 4)},
            "optimizer_states": [optimizer.state_dict()],
            "lr_schedulers": [scheduler.state_dict()],
        },
        path,
    )
    assert_says(
        path,
        "checkpoint['optimizer_states'][0]: optimizer torch.optim.Adam",
        "checkpoint['lr_schedulers'][0]: scheduler torch.optim.lr_scheduler.StepLR",
        "its param groups hold initial_lr: an LR scheduler ran on it",
        capsys=capsys,
    )


def test_trainer_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Hugging Face Trainer folder: optimizer.pt and scheduler.pt are read, trainer_state.json's step shown."""
    optimizer, scheduler = trained_adam()
    torch.save(optimizer.state_dict(), tmp_path / "optimizer.pt")
    torch.save(scheduler.state_dict(), tmp_path / "scheduler.pt")
    (tmp_path / "trainer_state.json").write_text(json.dumps({"global_step": 3}))
    assert_says(
        tmp_path,
        "optimizer.pt: optimizer torch.optim.Adam",
        "scheduler.pt: scheduler torch.optim.lr_scheduler.StepLR",
        "trainer_state.json: global_step 3",
        capsys=capsys,
    )


def test_several_optimizers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A list of optimizer states: each is identified on its own."""
    adam, _ = trained_adam()
    sgd = torch.optim.SGD([torch.nn.Parameter(torch.randn(2))], lr=0.1, momentum=0.9)
    path = tmp_path / "two.pt"
    torch.save([sgd.state_dict(), adam.state_dict()], path)
    assert_says(
        path, "checkpoint[0]: optimizer torch.optim.SGD", "checkpoint[1]: optimizer torch.optim.Adam", capsys=capsys
    )


def test_flags_a_cuda_run_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Groups carrying fused/capturable get the device-flag findings of the target release."""
    optimizer, _ = trained_adam(fused=True, capturable=True)
    path = tmp_path / "cuda-written.pt"
    torch.save({"optimizer": optimizer.state_dict()}, path)
    done = check.checked(path, target="2.15", reports=REPORTS)
    assert "  flags set in its param groups: capturable=True, fused=True" in done.lines
    expected = {
        f["id"]
        for f in matrix()["findings"]
        if f["claim"] in check.FLAG_CLAIMS and f["subject"] == "torch.optim.Adam" and "2.15" in f["own_scripts"]
    }
    assert {a.finding for a in done.applied if a.subject == "torch.optim.Adam"} >= expected


class Touches:
    """Unpickling it creates a file: proof of whether a load ran code from the checkpoint."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (pathlib.Path.touch, (self.marker,))  # pickled as getattr(Path, "touch")


def test_a_file_only_pickle_reads_is_not_run_without_trust(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The weights_only refusal is the first finding; a callable is never offered for the allowlist; nothing runs."""
    optimizer, _ = trained_adam()
    marker = tmp_path / "ran"
    path = tmp_path / "pickled.pt"
    torch.save({"optimizer": optimizer.state_dict(), "hook": Touches(marker)}, path)
    status, out, _ = run_check(path, "--torch", "2.15", capsys=capsys)
    out = " ".join(out.split())  # lines are wrapped to a width
    assert status == 1 and not marker.exists()
    assert "[refused] torch.load(weights_only=True) refuses it: it holds builtins.getattr" in out
    assert "add_safe_globals" not in out
    assert "It names 1 global that can run code" in out and "(builtins.getattr)" in out
    assert "do not load this file unless you wrote it, and never allowlist it." in out
    assert "replaced 1 global with inert placeholders (nothing ran): builtins.getattr" in out
    assert "checkpoint['optimizer']: optimizer torch.optim.Adam" in out
    status, out, _ = run_check(path, "--torch", "2.15", "--trust-pickle", capsys=capsys)
    assert status == 1 and marker.exists()
    assert "checkpoint['optimizer']: optimizer torch.optim.Adam" in out


def test_a_corrupt_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A truncated checkpoint and a file of another kind: one error line each, exit 2."""
    optimizer, _ = trained_adam()
    whole = tmp_path / "whole.pt"
    torch.save(optimizer.state_dict(), whole)
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(whole.read_bytes()[:300])
    other = tmp_path / "notes.txt"
    other.write_text("not a checkpoint")
    for path, said in ((truncated, "a truncated or corrupt checkpoint"), (other, "not a torch checkpoint")):
        status, out, err = run_check(path, capsys=capsys)
        assert status == 2 and out == "" and said in err and len(err.strip().splitlines()) == 1


def test_an_empty_dict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A checkpoint holding no state says so, with what it saw, exit 2."""
    path = tmp_path / "empty.pt"
    torch.save({}, path)
    status, _, err = run_check(path, capsys=capsys)
    assert status == 2
    assert "no optimizer or scheduler state in it (looked 8 dicts or lists deep); it holds an empty dict" in err


def test_unknown_layout_names_the_keys(tmp_path: Path) -> None:
    """A dict of other things: the error lists the keys it saw."""
    path = tmp_path / "weights.pt"
    torch.save({"model": {"w": torch.zeros(2)}, "epoch": 4}, path)
    with pytest.raises(CheckpointError, match=r"it holds a dict with keys 'model', 'epoch'"):
        check.checked(path, target="2.15", reports=REPORTS)


def test_formats_are_gathered_per_release_keeping_the_published_ones(tmp_path: Path) -> None:
    """A release's fixtures replace its published formats; the other releases' are kept; a broken file is an error."""
    published = tmp_path / "formats.json"
    published.write_text(json.dumps({"schema": 1, "releases": {"2.0": {"old": {}}, "2.4": {"kept": {}}}}))
    fixtures = tmp_path / "fixtures"
    (fixtures / "2.0").mkdir(parents=True)
    (fixtures / "2.0" / "formats.json").write_text(json.dumps({"new": {}}))
    gathered = state_formats(fixtures, published)
    assert gathered["releases"] == {"2.0": {"new": {}}, "2.4": {"kept": {}}}
    (fixtures / "2.0" / "formats.json").write_text('{"half')
    with pytest.raises(MergeError, match="save that release's fixtures again"):
        state_formats(fixtures, published)
