"""Schedulers written for the harness tests: each breaks resuming in one known way."""

import torch

_BASE = getattr(torch.optim.lr_scheduler, "LRScheduler", None) or torch.optim.lr_scheduler._LRScheduler


class WrongStartLR(_BASE):
    """Halves the lr every step; its constructor sets the epoch-0 lr even on a loaded optimizer.

    Its next ``step()`` computes the right lr again (closed form from ``last_epoch``), so an lr read
    after every ``scheduler.step()`` never sees the wrong one: only the first resumed
    ``optimizer.step()`` uses it.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, gamma: float = 0.5, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]
