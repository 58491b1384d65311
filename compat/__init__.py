"""torch-optim-compat: what survives when an optimizer and its LR scheduler go through a checkpoint.

The public spec API (see docs/extending.md): describe an optimizer or scheduler class with a
spec and its constructor space, then hand it to the suite with ``pytest props --spec
MODULE:ATTRIBUTE`` or the ``torch_optim_compat.specs`` entry-point group.
"""

from compat.catalog.case import Sched
from compat.catalog.schedulers import SchedulerSpec
from compat.catalog.space import Choice, Floats, Increasing, Ints, Pair
from compat.catalog.specs import OptimizerSpec

__all__ = ["Choice", "Floats", "Increasing", "Ints", "OptimizerSpec", "Pair", "Sched", "SchedulerSpec"]
