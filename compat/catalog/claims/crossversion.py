"""Claims about a checkpoint another torch release saved: step 2 of a two-step reproducer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim

if TYPE_CHECKING:
    from compat.record.script import Writer


def _guarded(body: str) -> str:
    indented = "".join(f"    {line}\n" if line else "\n" for line in body.strip().splitlines())
    return f'try:\n{indented}except Exception as error:  # torch refusing is the violation\n    problems = [f"{{error!r:.300}}"]\n'


def _restored(w: Writer, weights_only: str) -> str:
    load = f"torch.load(PATH{weights_only})"
    source = 'checkpoint["params"]'
    lines = f"checkpoint = {load}\nfresh_params = {w.fresh_params(source)}\nfresh = {w.new('fresh_params')}\n"
    if w.case.scheduler:
        lines += f"fresh_sched = {w.sched('fresh')}\n"
    lines += 'fresh.load_state_dict(checkpoint["optimizer"])\n'
    if w.case.scheduler:
        lines += 'fresh_sched.load_state_dict(checkpoint["scheduler"])\n'
    return lines


# torch 1.13's weights_only unpickler cannot read a Python float: there the default (pickle) load reads it.
_SAFE = ", **({} if torch.__version__ < '2' else {'weights_only': True})"


def cross_loads_default(w: Writer) -> str:
    return _guarded(_restored(w, "") + "problems = []")


def cross_loads_weights_only(w: Writer) -> str:
    return _guarded(_restored(w, ", weights_only=True") + "problems = []")


def cross_hyperparameters(w: Writer) -> str:
    return _guarded(
        _restored(w, _SAFE)
        + """
expected = hyperparameters(checkpoint["optimizer"]["param_groups"])
problems = differences(expected, [{k: g.get(k) for k in e} for e, g in zip(expected, fresh.param_groups)], "param_groups")
"""
    )


def cross_state(w: Writer) -> str:
    return _guarded(
        _restored(w, _SAFE)
        + 'problems = differences(checkpoint["optimizer"]["state"], fresh.state_dict()["state"], "state")'
    )


def cross_numerics(w: Writer) -> str:
    return _guarded(
        f"""
checkpoint = torch.load(PATH{_SAFE})
straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]
straight = {w.old("straight_params")}
train(straight, straight_params, {w.n + w.m})
problems = differences(checkpoint["continuation"]["params"], [p.detach() for p in straight_params], "params")
"""
    )


def cross_bitwise(w: Writer) -> str:
    return _guarded(
        _restored(w, _SAFE)
        + f"""train(fresh, fresh_params, {w.m}, {w.n})
problems = differences(checkpoint["continuation"]["params"], [p.detach() for p in fresh_params], "params")
"""
    )


def cross_close(w: Writer) -> str:
    return _guarded(
        _restored(w, _SAFE)
        + f"""train(fresh, fresh_params, {w.m}, {w.n})
problems = [f"params[{{i}}]: max difference {{float((e.double() - a.detach().double()).abs().max()):.3g}}"
            for i, (e, a) in enumerate(zip(checkpoint["continuation"]["params"], fresh_params))
            if e.numel() and not torch.allclose(e.double(), a.detach().double(), rtol=1e-5, atol=1e-7)]
"""
    )


def cross_scheduler_resume(w: Writer) -> str:
    return _guarded(
        _restored(w, ", weights_only=False")
        + f"""got = train(fresh, fresh_sched, fresh_params, {w.m}, {w.n})
expected = checkpoint["continuation"]["lrs"]  # what each step used in the saving release's own run
problems = [f"lr per step, saving release {{expected}} vs resumed here {{got}}"] if got != expected else []
"""
    )


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="crossversion.optimizer.loads",
        statement="An optimizer checkpoint saved by another torch release loads with this release's default "
        "torch.load (weights_only=False up to 2.5, True from 2.6) and load_state_dict accepts it.",
        category="crossversion",
        subjects="optimizers",
        check=cross_loads_default,
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
        check=cross_loads_weights_only,
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
        check=cross_hyperparameters,
        remedy="After load_state_dict, set the hyperparameters that changed in optimizer.param_groups yourself.",
    ),
    Claim(
        id="crossversion.optimizer.state",
        statement="After loading another release's optimizer checkpoint, every per-parameter state tensor "
        "equals the saved one bitwise.",
        category="crossversion",
        needs=(LAYOUT,),
        subjects="optimizers",
        check=cross_state,
        remedy="Expect the resumed run to differ from the saving release's; the reproducer shows which state entries"
        " change.",
    ),
    Claim(
        id="crossversion.optimizer.numerics",
        statement="Trained without interruption on the same case (same initial parameters, gradients and "
        "steps), this release computes the parameters the other release computed, bitwise.",
        category="crossversion",
        subjects="optimizers",
        check=cross_numerics,
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
        check=cross_bitwise,
        remedy="Expect the resumed run to differ bitwise from the saving release's; compare runs with a tolerance.",
    ),
    Claim(
        id="crossversion.optimizer.resume.close",
        statement="Training on from another release's checkpoint gives that release's parameters within rtol "
        "1e-5, atol 1e-7.",
        category="crossversion",
        subjects="optimizers",
        check=cross_close,
        remedy="The resumed run drifts beyond rtol 1e-5 from the saving release's: resume on that release, or check "
        "the drift in the reproducer and accept it.",
    ),
    Claim(
        id="crossversion.scheduler.loads",
        statement="A scheduler checkpoint saved by another torch release loads with this release's default "
        "torch.load (weights_only=False up to 2.5, True from 2.6) into a new scheduler.",
        category="crossversion",
        subjects="schedulers",
        check=cross_loads_default,
        remedy="Build the scheduler with its constructor arguments and the resumed step instead of loading its "
        "state, or load on a release that accepts it.",
    ),
    Claim(
        id="crossversion.scheduler.loads.weights-only",
        statement="A scheduler checkpoint saved by another torch release loads with torch.load(weights_only=True) "
        "into a new scheduler.",
        category="crossversion",
        subjects="schedulers",
        check=cross_loads_weights_only,
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
        check=cross_scheduler_resume,
        remedy="After loading, set each param group's lr from scheduler.get_last_lr() and compare the first resumed "
        "steps with your log.",
    ),
)
