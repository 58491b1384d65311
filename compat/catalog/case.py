"""A case: one drawn configuration of an optimizer round trip, as plain data.

A case holds everything the engine needs and nothing it computes: the subject, the
constructor arguments before and after the save, the parameters and how they split into
groups, the step counts, the seed, and the save/load options. ``compat.record.repro`` prints the
same round trip as a plain-torch script.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

Role = Literal["trained", "no-grad", "frozen"]
MapLocation = Literal["none", "cpu", "device", "callable"]


@dataclass(frozen=True)
class TensorLr:
    """An lr given as a 0-d float32 tensor holding ``value``."""

    value: float

    def __repr__(self) -> str:
        return f"torch.tensor({self.value!r})"


@dataclass(frozen=True)
class Param:
    """One parameter: its shape, dtype and whether it trains, never gets a grad, or is frozen."""

    shape: tuple[int, ...]
    dtype: str = "float32"
    role: Role = "trained"


@dataclass(frozen=True)
class Group:
    """One param group: indices into ``Layout.params`` and per-group constructor overrides."""

    params: tuple[int, ...]
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """The parameters and their split into param groups (every index in exactly one group)."""

    params: tuple[Param, ...]
    groups: tuple[Group, ...]

    def __post_init__(self) -> None:
        indices = sorted(i for group in self.groups for i in group.params)
        if indices != list(range(len(self.params))):
            raise ValueError(f"groups must partition params 0..{len(self.params) - 1}: {indices}")


@dataclass(frozen=True)
class SaveLoad:
    """How the checkpoint goes through ``torch.save`` / ``torch.load``."""

    medium: Literal["file", "buffer"] = "file"
    weights_only: bool = True
    map_location: MapLocation = "none"
    mmap: bool = False
    legacy_format: bool = False

    def __post_init__(self) -> None:
        if self.mmap and (self.medium != "file" or self.legacy_format):
            raise ValueError("mmap needs a file in the zip format")


FnKind = Literal["lambda", "closure", "function", "object", "partial", "method"]


@dataclass(frozen=True)
class Fn:
    """A schedule callable (LambdaLR / MultiplicativeLR ``lr_lambda``, CyclicLR ``scale_fn``): ``factor ** x``.

    ``kind`` is how the user wrote it (``compat.catalog.schedule_functions`` builds each): a ``lambda``; a
    ``closure`` (a function defined in a function); a module-level ``function`` reading a module
    constant; a callable ``object`` (class with ``__call__`` and a ``factor`` attribute); a
    ``partial`` (``functools.partial`` of a module-level function, as transformers builds its
    warmup schedules); or a bound ``method`` of an object holding ``factor``.
    """

    kind: FnKind
    factor: float

    def __repr__(self) -> str:
        return f"Fn({self.kind!r}, {self.factor!r})"


@dataclass(frozen=True)
class Sched:
    """A scheduler to build on the case's optimizer: class name, kwargs, and children if composite."""

    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    children: tuple[Sched, ...] = ()

    def __repr__(self) -> str:
        inner = f", children={self.children!r}" if self.children else ""
        return f"Sched({self.name!r}, {self.kwargs!r}{inner})"


@dataclass(frozen=True)
class Case:
    """One optimizer round trip: train, save, load into fresh objects, train on."""

    subject: str
    kwargs: dict[str, Any]
    fresh_kwargs: dict[str, Any]
    layout: Layout
    steps_before: int = 2
    steps_after: int = 2
    seed: int = 0
    save_load: SaveLoad = SaveLoad()
    device: str = "cpu"
    load_device: str = "cpu"
    load_dtype: str | None = None
    scheduler: Sched | None = None
    metrics: tuple[float, ...] = ()
    # The scheduler the resumed code builds, where its constructor arguments differ from ``scheduler``'s.
    fresh_scheduler: Sched | None = None
    # The default dtype (torch.set_default_dtype) the whole run is under; None keeps torch's float32.
    # Only the claims that draw it honour it, through compat.run.resumption.
    default_dtype: str | None = None
    # Flags set in every param group of the saved dict before it is loaded, as a checkpoint another
    # device wrote carries them ({"capturable": True}); honoured by compat.run.resumption.
    written_flags: dict[str, bool] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Return the subject's class name (``Adam``; ``StepLR on SGD`` for a scheduler case)."""
        optimizer = self.subject.rpartition(".")[2]
        return f"{self.scheduler.name} on {optimizer}" if self.scheduler else optimizer

    def group_kwargs(self, index: int) -> dict[str, Any]:
        """Return the hyperparameters group ``index`` trains with (constructor + overrides)."""
        return {**self.kwargs, **self.layout.groups[index].overrides}

    def with_(self, **changes: Any) -> Case:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)
