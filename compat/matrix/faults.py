"""Faults injected into torch, to prove the property suite notices what it claims to check.

Loaded as a pytest plugin (``pytest props -p compat.matrix.faults --compat-fault NAME``), this module
patches ``torch.optim.Optimizer`` for the whole run. Every fault is a plausible torch bug of the
kind the suite exists to catch; with any of them, ``pytest props`` must fail.
``python -m compat.matrix.faults`` runs the suite once per fault and prints what turned red.
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
import torch
from hypothesis import Phase, settings

Patch = list[tuple[type, str, Callable[..., Any]]]
"""The methods a fault replaces: (class, attribute, replacement)."""

_ORIGINAL_STATE_DICT = torch.optim.Optimizer.state_dict
_ORIGINAL_LOAD_STATE_DICT = torch.optim.Optimizer.load_state_dict
_SCHEDULER = torch.optim.lr_scheduler.LRScheduler if hasattr(torch.optim.lr_scheduler, "LRScheduler") else None
_PLATEAU = torch.optim.lr_scheduler.ReduceLROnPlateau


def _after_load(after: Callable[[torch.optim.Optimizer, list[dict[str, Any]]], None]) -> Patch:
    """Return a ``load_state_dict`` that calls ``after(optimizer, groups_before_load)`` once loaded."""

    def load_state_dict(self: torch.optim.Optimizer, state_dict: dict[str, Any]) -> None:
        before = [{k: v for k, v in group.items() if k != "params"} for group in self.param_groups]
        _ORIGINAL_LOAD_STATE_DICT(self, state_dict)
        after(self, before)

    return [(torch.optim.Optimizer, "load_state_dict", load_state_dict)]


def _tensor_buffers(state: dict[str, Any]) -> list[str]:
    return [k for k, v in state.items() if isinstance(v, torch.Tensor) and v.numel() > 0 and k != "step"]


def drop_state_buffer() -> Patch:
    """``state_dict()`` leaves out one state buffer (e.g. ``exp_avg``) of every parameter."""

    def state_dict(self: torch.optim.Optimizer) -> dict[str, Any]:
        packed = _ORIGINAL_STATE_DICT(self)
        for entry in packed["state"].values():
            buffers = _tensor_buffers(entry)
            if buffers:
                del entry[buffers[0]]
        return packed

    return [(torch.optim.Optimizer, "state_dict", state_dict)]


def reset_hyperparameters() -> Patch:
    """``load_state_dict`` keeps the constructor's hyperparameters instead of the saved ones."""

    def after(opt: torch.optim.Optimizer, before: list[dict[str, Any]]) -> None:
        for group, constructed in zip(opt.param_groups, before, strict=True):
            group.update(constructed)

    return _after_load(after)


def perturb_one_ulp() -> Patch:
    """``load_state_dict`` moves one element of one floating state tensor by one ulp."""

    def after(opt: torch.optim.Optimizer, before: list[dict[str, Any]]) -> None:
        for entry in opt.state.values():
            buffers = [k for k in _tensor_buffers(entry) if entry[k].is_floating_point()]
            if buffers:
                flat = entry[buffers[0]].view(-1)
                flat[0] = torch.nextafter(flat[0], torch.tensor(math.inf, dtype=flat.dtype, device=flat.device))
                return

    return _after_load(after)


def reset_step() -> Patch:
    """``load_state_dict`` restarts every parameter's ``step`` count at zero."""

    def after(opt: torch.optim.Optimizer, before: list[dict[str, Any]]) -> None:
        for entry in opt.state.values():
            step = entry.get("step")
            if isinstance(step, torch.Tensor):
                step.zero_()
            elif step is not None:
                entry["step"] = 0

    return _after_load(after)


def _scheduler_keeps(attribute: str) -> Patch:
    """Return a scheduler ``load_state_dict`` that loads everything but keeps its own ``attribute``."""
    original = _SCHEDULER.load_state_dict

    def load_state_dict(self: Any, state_dict: dict[str, Any]) -> None:
        kept = getattr(self, attribute)
        original(self, state_dict)
        setattr(self, attribute, kept)

    return [(_SCHEDULER, "load_state_dict", load_state_dict)]


def scheduler_ignores_last_epoch() -> Patch:
    """``LRScheduler.load_state_dict`` keeps its own ``last_epoch`` instead of the saved one."""
    return _scheduler_keeps("last_epoch")


def scheduler_forgets_last_lr() -> Patch:
    """``LRScheduler.load_state_dict`` keeps its own last lr instead of the saved one."""
    return _scheduler_keeps("_last_lr")


def plateau_forgets_bad_epochs() -> Patch:
    """``ReduceLROnPlateau.load_state_dict`` restarts ``num_bad_epochs`` at zero."""
    original = _PLATEAU.load_state_dict

    def load_state_dict(self: Any, state_dict: dict[str, Any]) -> None:
        original(self, state_dict)
        self.num_bad_epochs = 0

    return [(_PLATEAU, "load_state_dict", load_state_dict)]


def scheduler_sets_epoch_zero_lr() -> Patch:
    """``LRScheduler.__init__`` on an optimizer with a loaded ``initial_lr`` sets every group's lr to it (epoch 0)."""
    original = _SCHEDULER.__init__

    def __init__(self: Any, optimizer: Any, *args: Any, **kwargs: Any) -> None:
        groups = getattr(optimizer, "param_groups", [])
        loaded = bool(groups) and all("initial_lr" in group for group in groups)
        original(self, optimizer, *args, **kwargs)
        if loaded:
            for group in groups:
                group["lr"] = group["initial_lr"]

    return [(_SCHEDULER, "__init__", __init__)]


FAULTS: dict[str, Callable[[], Patch]] = {
    "drop-state-buffer": drop_state_buffer,
    "reset-hyperparameters": reset_hyperparameters,
    "perturb-one-ulp": perturb_one_ulp,
    "reset-step": reset_step,
    "scheduler-ignores-last-epoch": scheduler_ignores_last_epoch,
    "scheduler-forgets-last-lr": scheduler_forgets_last_lr,
    "plateau-forgets-bad-epochs": plateau_forgets_bad_epochs,
    "scheduler-sets-epoch-zero-lr": scheduler_sets_epoch_zero_lr,
}


def install(name: str) -> None:
    """Patch torch with fault ``name`` for the rest of the process."""
    for owner, attribute, replacement in FAULTS[name]():
        setattr(owner, attribute, replacement)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--compat-fault NAME``."""
    parser.getgroup("compat").addoption(
        "--compat-fault", metavar="NAME", choices=sorted(FAULTS), help="patch torch with this fault for the run"
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Apply the chosen fault before any test runs, and skip shrinking (the question is only: red or not)."""
    name = config.getoption("compat_fault")
    if name:
        install(name)
        current = settings.default
        settings.register_profile("fault", parent=current, phases=[p for p in current.phases if p != Phase.shrink])
        settings.load_profile("fault")


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say loudly that torch is patched."""
    name = config.getoption("compat_fault")
    return f"torch-optim-compat: FAULT INJECTED: {name} ({FAULTS[name].__doc__})" if name else None


def main(argv: list[str] | None = None) -> int:
    """Run ``pytest props`` once per fault; return 1 if any fault left the suite green."""
    argv = sys.argv[1:] if argv is None else argv
    ours, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(
        prog="python -m compat.matrix.faults",
        description=__doc__.splitlines()[0],
        epilog="arguments after -- go to pytest",
    )
    parser.add_argument("--fault", action="append", choices=sorted(FAULTS), help="inject only this fault (repeatable)")
    args = parser.parse_args(ours)
    missed = []
    print(f"{'fault':<30} {'result':<8} {'failed':>6} {'seconds':>8}")
    for name in args.fault or sorted(FAULTS):
        started = time.monotonic()
        command = [sys.executable, "-m", "pytest", "props", "-p", "compat.matrix.faults", "--compat-fault", name]
        command += ["--hypothesis-profile", "ci", "-q", "-p", "no:randomly", *extra]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        failed = re.search(r"(\d+) failed", done.stdout)
        caught = done.returncode == 1 and failed is not None
        if not caught:
            missed.append(name)
        result = "caught" if caught else f"MISSED (exit {done.returncode})"
        count = failed.group(1) if failed else "0"
        print(f"{name:<30} {result:<8} {count:>6} {time.monotonic() - started:>8.1f}", flush=True)
    if missed:
        print(f"the suite stayed green under: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
