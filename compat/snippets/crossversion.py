"""Checks of step 2 of a two-step script (compat.script.crossversion_script): another release's checkpoint."""

from __future__ import annotations

from compat.script import Writer

# Cross-version checks: step 2 of a two-step script (compat.script.crossversion_script). Any
# refusal by torch is itself the problem.


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
