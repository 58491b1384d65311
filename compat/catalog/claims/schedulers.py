"""Claims about an LR scheduler's round trip: its state dict and the lr each resumed step uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compat.catalog.claims import Check, Claim, applicability
from compat.catalog.refusals import SAVE, WEIGHTS_ONLY

if TYPE_CHECKING:
    from compat.record.script import Writer


def scheduler_roundtrip(w: Writer) -> str:
    return 'problems = differences(sched.state_dict(), loaded["scheduler"], "scheduler state_dict")'


def _compared(order: str, w: Writer) -> str:
    return f"""
got = train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
problems = [f"step {{i + 1}} after resuming: uninterrupted {{expected[i]}} vs resumed ({order}) {{got[i]}}" for i in differing]
"""


def trajectory(order: str) -> Check:
    def check(w: Writer) -> str:
        return w.resume(order) + _compared(order, w)

    return check


def scheduler_params(order: str) -> Check:
    def check(w: Writer) -> str:
        return (
            w.resume(order)
            + f"""train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
"""
        )

    return check


def last_lr(w: Writer) -> str:
    return (
        w.resume("scheduler-first")
        + 'problems = differences(list(sched.get_last_lr()), list(fresh_sched.get_last_lr()), "get_last_lr()")\n'
    )


def leaves_optimizer_lr(w: Writer) -> str:
    return f"""
fresh_params = {w.fresh_params()}
fresh = {w.new("fresh_params")}
fresh_sched = {w.sched("fresh")}
fresh.load_state_dict(loaded["optimizer"])
before = [g["lr"] for g in fresh.param_groups]
fresh_sched.load_state_dict(loaded["scheduler"])
problems = differences(before, [g["lr"] for g in fresh.param_groups], "optimizer lr, before vs after scheduler.load_state_dict")
"""


def scheduler_argument(w: Writer) -> str:
    return f"""
given = copy.deepcopy(loaded["scheduler"])
{w.resume("scheduler-first").strip()}
problems = differences(given, loaded["scheduler"], "the scheduler dict after load")
train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
problems += differences(given, loaded["scheduler"], "the scheduler dict after training")
"""


def composite(w: Writer) -> str:
    return (
        w.resume("scheduler-first")
        + """
children = lambda s: [c.state_dict() for c in s._schedulers]
problems = differences(children(sched), children(fresh_sched), "children")
"""
        + _compared("scheduler-first", w).replace("problems = ", "problems += ")
    )


def plateau(w: Writer) -> str:
    fields = ("best", "num_bad_epochs", "cooldown_counter", "mode", "last_epoch")
    return (
        w.resume("scheduler-first")
        + f"""
fields = {fields!r}
problems = differences({{f: sched.state_dict().get(f) for f in fields}}, {{f: fresh_sched.state_dict().get(f) for f in fields}}, "plateau")
"""
        + _compared("scheduler-first", w).replace("problems = ", "problems += ")
    )


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="scheduler.state_dict.roundtrip",
        statement="The scheduler state dict torch.load returns (weights_only=False) equals the one saved.",
        category="schedulers",
        refusals=(SAVE,),
        subjects="schedulers",
        check=scheduler_roundtrip,
    ),
    Claim(
        id="scheduler.state_dict.weights_only",
        statement="A scheduler state dict loads with torch.load(weights_only=True) and equals the one saved.",
        category="schedulers",
        refusals=(WEIGHTS_ONLY,),
        subjects="schedulers",
        check=scheduler_roundtrip,
    ),
    Claim(
        id="scheduler.resume.lr-trajectory",
        statement="Build optimizer, build scheduler, load optimizer state, load scheduler state: the lr every "
        "group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        check=trajectory("scheduler-first"),
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.built-after-load",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state: the lr every "
        "group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        check=trajectory("built-after-load"),
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.optimizer-only",
        statement="Build optimizer, load optimizer state, build a new scheduler and load no scheduler state: "
        "the lr every group has just before each resumed optimizer.step() (the first one included; "
        "with cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same "
        "step.",
        category="schedulers",
        subjects="schedulers",
        check=trajectory("optimizer-only"),
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.scheduler-only",
        statement="Build a new optimizer (its state not loaded), build scheduler, load scheduler state: the lr "
        "every group has just before each resumed optimizer.step() (the first one included; with "
        "cycle_momentum also the momentum or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        check=trajectory("scheduler-only"),
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
        check=trajectory("last-epoch"),
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
        check=trajectory("last-epoch-count"),
    ),
    Claim(
        id="scheduler.resume.lr-trajectory.repaired",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state, then write "
        "get_last_lr() into every group's lr (the usual repair): the lr every group has just before "
        "each resumed optimizer.step() (the first one included; with cycle_momentum also the momentum "
        "or beta1) equals the uninterrupted run's at the same step.",
        category="schedulers",
        subjects="schedulers",
        check=trajectory("repaired"),
    ),
    Claim(
        id="scheduler.resume.params-bitwise",
        statement="Build optimizer, build scheduler, load optimizer state, load scheduler state: parameters end "
        "bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check=scheduler_params("scheduler-first"),
    ),
    Claim(
        id="scheduler.resume.params-bitwise.built-after-load",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state: parameters end "
        "bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check=scheduler_params("built-after-load"),
    ),
    Claim(
        id="scheduler.resume.params-bitwise.optimizer-only",
        statement="Build optimizer, load optimizer state, build a new scheduler and load no scheduler state: "
        "parameters end bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check=scheduler_params("optimizer-only"),
    ),
    Claim(
        id="scheduler.resume.params-bitwise.scheduler-only",
        statement="Build a new optimizer (its state not loaded), build scheduler, load scheduler state: "
        "parameters end bitwise equal to the uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check=scheduler_params("scheduler-only"),
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
        check=scheduler_params("last-epoch"),
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
        check=scheduler_params("last-epoch-count"),
    ),
    Claim(
        id="scheduler.resume.params-bitwise.repaired",
        statement="Build optimizer, load optimizer state, build scheduler, load scheduler state, then write "
        "get_last_lr() into every group's lr (the usual repair): parameters end bitwise equal to the "
        "uninterrupted run's.",
        category="schedulers",
        subjects="schedulers",
        check=scheduler_params("repaired"),
    ),
    Claim(
        id="scheduler.last_lr.restored",
        statement="get_last_lr() after loading the scheduler state equals its value at save time.",
        category="schedulers",
        subjects="schedulers",
        check=last_lr,
    ),
    Claim(
        id="scheduler.load.leaves-optimizer-lr",
        statement="scheduler.load_state_dict does not itself change the optimizer's lr.",
        category="schedulers",
        subjects="schedulers",
        check=leaves_optimizer_lr,
    ),
    Claim(
        id="scheduler.load.leaves-argument-intact",
        statement="scheduler.load_state_dict does not mutate the dict it is given (during the load or the "
        "training after it), so one checkpoint can be loaded twice.",
        category="schedulers",
        subjects="schedulers",
        check=scheduler_argument,
    ),
    Claim(
        id="scheduler.composite.restored",
        statement="SequentialLR and ChainedScheduler restore the state of every child scheduler, and resume "
        "the uninterrupted lr.",
        category="schedulers",
        subjects="schedulers",
        applies=applicability.kind("composite", "a composite scheduler"),
        check=composite,
    ),
    Claim(
        id="scheduler.plateau.restored",
        statement="ReduceLROnPlateau restores best, num_bad_epochs, cooldown_counter and mode, so a resumed "
        "run reduces the lr at the same step.",
        category="schedulers",
        subjects="schedulers",
        applies=applicability.kind("plateau", "ReduceLROnPlateau"),
        check=plateau,
    ),
)
