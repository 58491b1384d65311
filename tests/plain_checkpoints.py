"""The checkpoints a plain script writes: an SGD with a lambda schedule, a class of the writing script's
``__main__``, a pickle that calls ``io.open`` or ``os.system`` when loaded (tests/test_frameworks.py)."""

from __future__ import annotations

import inspect
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import torch
from frameworks import LR, batches, seeded_classifier


def plain_lambda_checkpoint(path: Path) -> Path:
    """Save {"optimizer": SGD, "scheduler": LambdaLR(lambda e: 0.9 ** e)} after 3 steps to ``path``; return it."""
    model = seeded_classifier()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 0.9**epoch)
    for batch, _ in zip(batches(), range(3), strict=False):
        model(**batch)["loss"].backward()
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, path)
    return path


@dataclass
class RunConfig:
    """A script's settings, saved beside its optimizer: run as a script, the class is ``__main__.RunConfig``."""

    lr: float = 0.001
    steps: int = 3


def save_config_beside_adam(path: str) -> None:
    """Train Adam ``RunConfig().steps`` steps and save {"config": RunConfig(), "optimizer": its state} to ``path``."""
    config = RunConfig()
    param = torch.nn.Parameter(torch.ones(2, 2))
    adam = torch.optim.Adam([param], lr=config.lr)
    for _ in range(config.steps):
        param.grad = torch.ones_like(param)
        adam.step()
    torch.save({"config": config, "optimizer": adam.state_dict()}, path)


def main_class_checkpoint(path: Path) -> Path:
    """Write ``path`` from a child ``python -c`` whose ``__main__`` defines RunConfig; return it.

    The script is this module's RunConfig and save_config_beside_adam, as their source reads.
    """
    script = "\n".join(
        [
            "import sys",
            "from dataclasses import dataclass",
            "import torch",
            inspect.getsource(RunConfig),
            inspect.getsource(save_config_beside_adam),
            "save_config_beside_adam(sys.argv[1])",
        ]
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, capture_output=True, text=True)
    return path


class OpensFile:
    """Unpickling it calls ``io.open(marker, "w")``: proof of whether a load ran what the file names."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (io.open, (str(self.marker), "w"))


class RunsShell:
    """Unpickling it calls ``os.system("touch marker")`` (pickled as ``posix.system`` on Linux)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


PAYLOADS = {"io.open": OpensFile, "os.system": RunsShell}


def payload_checkpoint(path: Path, marker: Path, *, via: Literal["io.open", "os.system"] = "io.open") -> Path:
    """Save an SGD state beside an object whose unpickling creates ``marker`` through ``via``; return ``path``."""
    model = seeded_classifier()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    model(**next(iter(batches())))["loss"].backward()
    optimizer.step()
    torch.save({"optimizer": optimizer.state_dict(), "hook": PAYLOADS[via](marker)}, path)
    return path
