"""Claims about a checkpoint another torch release saved; their checks (compat/catalog/checks/crossversion.py) are step 2 of a two-step reproducer."""

from __future__ import annotations

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="crossversion.optimizer.loads",
        statement="An optimizer checkpoint saved by another torch release loads with this release's default "
        "torch.load (weights_only=False up to 2.5, True from 2.6) and load_state_dict accepts it.",
        category="crossversion",
        subjects="optimizers",
        check="crossversion.optimizer_loads",
        remedy="If torch.load refuses a plain-data class (collections.Counter), allowlist that class with "
        "torch.serialization.add_safe_globals; never allowlist a callable it names (getattr, a function, a bound "
        "method): re-save the checkpoint without it on the release that wrote it, or pass weights_only=False only "
        "for a file you wrote yourself. If load_state_dict refuses, its reproducer shows the key it wants.",
    ),
    Claim(
        id="crossversion.optimizer.loads.weights-only",
        statement="An optimizer checkpoint saved by another torch release loads with "
        "torch.load(weights_only=True) and load_state_dict accepts it.",
        category="crossversion",
        subjects="optimizers",
        check="crossversion.optimizer_loads",
        remedy="Load it on a release that reads it with weights_only=True (see the releases), or pass "
        "weights_only=False only for a file you wrote yourself.",
    ),
    Claim(
        id="crossversion.optimizer.hyperparameters",
        statement="After loading another release's optimizer checkpoint, every param group's hyperparameters "
        "equal the saved ones.",
        category="crossversion",
        needs=(LAYOUT,),
        subjects="optimizers",
        check="crossversion.hyperparameters_restored",
        remedy="After load_state_dict, set the hyperparameters that changed in optimizer.param_groups yourself.",
    ),
    Claim(
        id="crossversion.optimizer.state",
        statement="After loading another release's optimizer checkpoint, every per-parameter state tensor "
        "equals the saved one bitwise.",
        category="crossversion",
        needs=(LAYOUT,),
        subjects="optimizers",
        check="crossversion.state_restored",
        remedy="Expect the resumed run to differ from the saving release's; the reproducer shows which state entries"
        " change.",
    ),
    Claim(
        id="crossversion.optimizer.numerics",
        statement="Trained without interruption on the same case (same initial parameters, gradients and "
        "steps), this release computes the parameters the other release computed, bitwise.",
        category="crossversion",
        subjects="optimizers",
        check="crossversion.numerics",
        remedy="Nothing to fix in the checkpoint: the two releases compute different parameters even without one; "
        "expect small differences after the upgrade.",
    ),
    Claim(
        id="crossversion.optimizer.resume.bitwise",
        statement="Training on from another release's checkpoint gives the parameters that release computed "
        "itself, bitwise (where it does not and the two releases' uninterrupted runs already differ, "
        "crossversion.optimizer.numerics is the finding and this claim is not applicable).",
        category="crossversion",
        subjects="optimizers",
        check="crossversion.resumed_bitwise",
        remedy="Expect the resumed run to differ bitwise from the saving release's; compare runs with a tolerance.",
    ),
    Claim(
        id="crossversion.optimizer.resume.close",
        statement="Training on from another release's checkpoint gives that release's parameters within rtol "
        "1e-5, atol 1e-7.",
        category="crossversion",
        subjects="optimizers",
        check="crossversion.resumed_close",
        remedy="The resumed run drifts beyond rtol 1e-5 from the saving release's: resume on that release, or check "
        "the drift in the reproducer and accept it.",
    ),
    Claim(
        id="crossversion.scheduler.loads",
        statement="A scheduler checkpoint saved by another torch release loads with this release's default "
        "torch.load (weights_only=False up to 2.5, True from 2.6) into a new scheduler.",
        category="crossversion",
        subjects="schedulers",
        check="crossversion.scheduler_loads",
        remedy="Build the scheduler with its constructor arguments and the resumed step instead of loading its "
        "state, or load on a release that accepts it.",
    ),
    Claim(
        id="crossversion.scheduler.loads.weights-only",
        statement="A scheduler checkpoint saved by another torch release loads with torch.load(weights_only=True) "
        "into a new scheduler.",
        category="crossversion",
        subjects="schedulers",
        check="crossversion.scheduler_loads",
        remedy="Re-save the scheduler state on the release that wrote it without the callable the unpickler refuses "
        "(OneCycleLR up to 2.3: drop anneal_func; SWALR up to 2.9: drop anneal_func), or pass weights_only=False "
        "only for a file you wrote yourself; never allowlist a callable with add_safe_globals.",
    ),
    Claim(
        id="crossversion.scheduler.resume",
        statement="Resumed from another release's checkpoint (scheduler-first order), the scheduler gives "
        "the lr trajectory that release computed.",
        category="crossversion",
        subjects="schedulers",
        check="crossversion.scheduler_resumed",
        remedy="After loading, set each param group's lr from scheduler.get_last_lr() and compare the first resumed "
        "steps with your log.",
    ),
)
