"""Claims about an LR scheduler's round trip: its state dict and the lr each resumed step uses."""

from __future__ import annotations

from compat.catalog.claims import Claim, applicability
from compat.catalog.refusals import SAVE, WEIGHTS_ONLY

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="scheduler.state_dict.roundtrip",
        statement="The scheduler state dict torch.load returns (weights_only=False) equals the one saved.",
        category="schedulers",
        refusals=(SAVE,),
        subjects="schedulers",
        check="schedulers.state_dict_roundtrip",
    ),
    Claim(
        id="scheduler.state_dict.weights_only",
        statement="A scheduler state dict loads with torch.load(weights_only=True) and equals the one saved.",
        category="schedulers",
        refusals=(WEIGHTS_ONLY,),
        subjects="schedulers",
        check="schedulers.state_dict_roundtrip",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory",
        statement="Build optimizer, build scheduler, load optimizer state, load scheduler state: the lr every "
        "group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.lr_trajectory",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.built-after-load",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state: the lr every "
        "group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.lr_trajectory",
        order="built-after-load",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.optimizer-only",
        statement="Build optimizer, load optimizer state, build a new scheduler and load no scheduler state: "
        "the lr every group has just before each resumed optimizer.step() (the first one included; "
        "with cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same "
        "step.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.lr_trajectory",
        order="optimizer-only",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.scheduler-only",
        statement="Build a new optimizer (its state not loaded), build scheduler, load scheduler state: the lr "
        "every group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.lr_trajectory",
        order="scheduler-only",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.last-epoch",
        statement="Build optimizer, load optimizer state (its groups hold initial_lr), build scheduler with "
        "last_epoch=N-1, the index of the last epoch as torch documents it (N the scheduler steps taken "
        "before the save, at least one; with none it would be -1, the default, which starts a fresh "
        "schedule), and load no scheduler state: the lr every group has just before each resumed "
        "optimizer.step() (the first one included; with cycle_momentum also the momentum or beta1) "
        "equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        applies=applicability.takes_a_last_epoch,
        check="schedulers.lr_trajectory",
        order="last-epoch",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.last-epoch-count",
        statement="Build optimizer, load optimizer state, build scheduler with last_epoch=N, the number of "
        "scheduler steps taken before the save, where torch documents the index of the last epoch (N-1: "
        "the off-by-one pitfall), and load no scheduler state: the lr every group has just before each "
        "resumed optimizer.step() (the first one included; with cycle_momentum also the momentum or "
        "beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        applies=applicability.takes_a_last_epoch,
        check="schedulers.lr_trajectory",
        order="last-epoch-count",
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.repaired",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state, then write "
        "get_last_lr() into every group's lr (the usual repair): the lr every group has just before "
        "each resumed optimizer.step() (the first one included; with cycle_momentum also the momentum "
        "or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.lr_trajectory",
        order="repaired",
    ),
    Claim(
        id="scheduler.resume.params-bitwise",
        statement="Build optimizer, build scheduler, load optimizer state, load scheduler state: parameters end "
        "bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.params_bitwise",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.built-after-load",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state: parameters end "
        "bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.params_bitwise",
        order="built-after-load",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.optimizer-only",
        statement="Build optimizer, load optimizer state, build a new scheduler and load no scheduler state: "
        "parameters end bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.params_bitwise",
        order="optimizer-only",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.scheduler-only",
        statement="Build a new optimizer (its state not loaded), build scheduler, load scheduler state: "
        "parameters end bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.params_bitwise",
        order="scheduler-only",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.last-epoch",
        statement="Build optimizer, load optimizer state (its groups hold initial_lr), build scheduler with "
        "last_epoch=N-1, the index of the last epoch as torch documents it (N the scheduler steps taken "
        "before the save, at least one; with none it would be -1, the default, which starts a fresh "
        "schedule), and load no scheduler state: parameters end bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        applies=applicability.takes_a_last_epoch,
        check="schedulers.params_bitwise",
        order="last-epoch",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.last-epoch-count",
        statement="Build optimizer, load optimizer state, build scheduler with last_epoch=N, the number of "
        "scheduler steps taken before the save, where torch documents the index of the last epoch (N-1: "
        "the off-by-one pitfall), and load no scheduler state: parameters end bitwise equal to the "
        "uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        applies=applicability.takes_a_last_epoch,
        check="schedulers.params_bitwise",
        order="last-epoch-count",
    ),
    Claim(
        id="scheduler.resume.params-bitwise.repaired",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state, then write "
        "get_last_lr() into every group's lr (the usual repair): parameters end bitwise equal to the "
        "uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.params_bitwise",
        order="repaired",
    ),
    Claim(
        id="scheduler.last_lr.restored",
        statement="get_last_lr() after loading the scheduler state equals its value at save time.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.last_lr",
    ),
    Claim(
        id="scheduler.load.leaves-optimizer-lr",
        statement="scheduler.load_state_dict does not itself change the optimizer's lr.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.leaves_optimizer_lr",
    ),
    Claim(
        id="scheduler.load.leaves-argument-intact",
        statement="scheduler.load_state_dict does not mutate the dict it is given (during the load or the "
        "training after it), so one checkpoint can be loaded twice.",
        category="schedulers",
        subjects="schedulers",
        check="schedulers.leaves_argument_intact",
    ),
    Claim(
        id="scheduler.composite.restored",
        statement="SequentialLR and ChainedScheduler restore the state of every child scheduler, and resume "
        "the uninterrupted lr.",
        category="schedulers",
        subjects="schedulers",
        applies=applicability.kind("composite", "a composite scheduler"),
        check="schedulers.composite_restored",
    ),
    Claim(
        id="scheduler.plateau.restored",
        statement="ReduceLROnPlateau restores best, num_bad_epochs, cooldown_counter and mode, so a resumed "
        "run reduces the lr at the same step.",
        category="schedulers",
        subjects="schedulers",
        applies=applicability.kind("plateau", "ReduceLROnPlateau"),
        check="schedulers.plateau_restored",
    ),
)
