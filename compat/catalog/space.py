"""Plain descriptions of a constructor argument's space, readable without Hypothesis.

A spec describes each hyperparameter with one of these values; ``props/strategies.py`` turns
them into Hypothesis strategies. A spec may also give a Hypothesis strategy directly (anything
with a ``draw``-able interface); the strategies module passes those through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Floats:
    """A float in ``[low, high]``; ``log`` spreads draws over orders of magnitude."""

    low: float
    high: float
    log: bool = False

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(f"Floats: low {self.low} is above high {self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"Floats: log scale needs low > 0, got {self.low}")


@dataclass(frozen=True)
class Ints:
    """An int in ``[low, high]``."""

    low: int
    high: int


@dataclass(frozen=True)
class Choice:
    """One of ``options``, simplest first."""

    options: tuple[Any, ...]

    def __post_init__(self) -> None:
        if not self.options:
            raise ValueError("Choice needs at least one option")


@dataclass(frozen=True)
class Pair:
    """A 2-tuple whose items come from ``first`` and ``second`` (e.g. Adam's betas)."""

    first: Space
    second: Space


@dataclass(frozen=True)
class Increasing:
    """A strictly increasing list of 1 to ``most`` ints from ``[low, high]`` (e.g. milestones)."""

    low: int
    high: int
    most: int = 3


Space = Floats | Ints | Choice | Pair | Increasing | Any
