"""Checks of what a resumed scheduler computes with when the new code passes other arguments or callables."""

from __future__ import annotations

import copy
import inspect

import torch

from compat.catalog.checks.helpers import differences, hyperparameters


def no_function_saved(sched, loaded, fresh_params, build, build_newer_sched, schedule):
    """Return where the scheduler state holds a function; else where the resumed callables at 3 are not ``schedule``.

    The new code passes the same forms with other factors; ``schedule`` is what its callables give at epoch 3.
    """

    def functions(value, path):  # the paths in a state that hold a function, lambda or closure
        if inspect.isfunction(value):
            return [path]
        if isinstance(value, dict):
            return [found for k, v in value.items() for found in functions(v, f"{path}[{k!r}]")]
        if isinstance(value, (list, tuple)):
            return [found for i, v in enumerate(value) for found in functions(v, f"{path}[{i}]")]
        return []

    saved = functions(sched.state_dict(), "state")
    if saved:
        return differences([], saved, "state", ("expected", "functions saved at"))
    return computes_with(loaded, fresh_params, build, build_newer_sched, schedule)


def computes_with(loaded, fresh_params, build, build_newer_sched, schedule):
    """Return where the resumed scheduler's callables at epoch 3 are not ``schedule``.

    The new code passes the same forms with other factors; ``schedule`` is what the callables the
    claim names (the saved ones or the new code's) give at epoch 3.
    """
    fresh = build(fresh_params)
    fresh_sched = build_newer_sched(fresh)
    fresh.load_state_dict(loaded["optimizer"])
    fresh_sched.load_state_dict(loaded["scheduler"])
    computed = [float(fn(3)) for fn in getattr(fresh_sched, "lr_lambdas", None) or [fresh_sched.scale_fn]]
    return differences(schedule, computed, "schedule callables", ("wanted at 3", "resumed scheduler's"))


def keeps_arguments(params, loaded, build, build_saving, moved, train, m, n, saved_scheduler, changes):
    """Return the changed arguments whose saved value the resumed lr follows, where the new code's are not in force.

    ``saved_scheduler`` is the saving code's scheduler as (class name, arguments, children), a schedule
    callable given by its factor (it computes factor ** epoch); ``changes`` holds (child positions,
    name, saved value, new value) per argument the new code passes otherwise. The new arguments are
    in force when the resumed lr is that of the checkpoint with them spliced in: every entry training
    changed kept, every entry the arguments decide (in the scheduler state and the param groups)
    taken from a scheduler just built with them. Each argument is then tried alone: the resumed lr
    follows the new value, the saved one, or neither.
    """

    def built(description, opt):  # the scheduler ``description`` gives on ``opt``, children first
        name, arguments, children = description
        cls = getattr(torch.optim.lr_scheduler, name, None) or getattr(torch.optim.swa_utils, name)
        if "lr_lambda" in arguments:
            factors = arguments["lr_lambda"]
            powers = [lambda epoch, f=f: f**epoch for f in (factors if isinstance(factors, list) else [factors])]
            arguments = {**arguments, "lr_lambda": powers if isinstance(factors, list) else powers[0]}
        schedulers = [built(child, opt) for child in children]
        if name == "ChainedScheduler":
            return cls(schedulers, **arguments)
        if name == "SequentialLR":
            return cls(opt, schedulers=schedulers, **arguments)
        return cls(opt, **arguments)

    def changed(description, positions, name, value):  # ``description`` with one argument set to ``value``
        cls, arguments, children = description
        if not positions:
            return cls, {**arguments, name: value}, children
        inner = [changed(c, positions[1:], name, value) if i == positions[0] else c for i, c in enumerate(children)]
        return cls, arguments, inner

    def constructed(description):  # the scheduler state and param groups right after construction
        opt = build_saving([p.detach().clone() for p in params])
        return {"scheduler": built(description, opt).state_dict(), "param_groups": hyperparameters(opt.param_groups)}

    def same(a, b):  # bound methods (an anneal function) are the same when they run the same function
        return a.__func__ is b.__func__ if hasattr(a, "__func__") and hasattr(b, "__func__") else not differences(a, b)

    def spliced(saved, old, new):  # the saved progress, with the new arguments where the arguments decide
        if type(saved) is dict and type(old) is dict and type(new) is dict:
            kept = {k: spliced(v, old[k], new[k]) if k in old and k in new else v for k, v in saved.items()}
            return {**kept, **{k: v for k, v in new.items() if k not in old and k not in saved}}
        lists = type(saved) is list and type(old) is list and len(saved) == len(old) == len(new)
        if lists and saved and all(type(v) is dict for v in saved):
            return [spliced(*values) for values in zip(saved, old, new, strict=True)]
        return new if not same(old, new) and same(old, saved) else saved

    def in_force(description):  # the checkpoint with ``description``'s arguments in force
        old, new = constructed(saved_scheduler), constructed(description)
        groups = spliced(loaded["optimizer"]["param_groups"], old["param_groups"], new["param_groups"])
        optimizer = {**loaded["optimizer"], "param_groups": groups}
        return {"optimizer": optimizer, "scheduler": spliced(loaded["scheduler"], old["scheduler"], new["scheduler"])}

    def resumed(description, checkpoint):  # the lr each resumed step uses: build, load (scheduler-first), train
        checkpoint = copy.deepcopy(checkpoint)  # loading may keep or change what it is given
        fresh_params = moved(params)
        fresh = build(fresh_params)
        fresh_sched = built(description, fresh)
        fresh.load_state_dict(checkpoint["optimizer"])
        fresh_sched.load_state_dict(checkpoint["scheduler"])
        return train(fresh, fresh_sched, fresh_params, m, n)

    newer = saved_scheduler
    for positions, name, _, value in changes:
        newer = changed(newer, positions, name, value)
    wanted, got = resumed(newer, in_force(newer)), resumed(newer, loaded)
    if not differences(wanted, got):
        return []
    kept = resumed(saved_scheduler, loaded)
    new, followed = {}, {}
    for positions, name, saved, value in changes:
        alone = changed(saved_scheduler, positions, name, value)
        wanted_alone, got_alone = resumed(alone, in_force(alone)), resumed(alone, loaded)
        if not differences(wanted_alone, kept):
            continue  # this change alone does not show in the resumed steps
        path = "".join(f"schedulers[{i}]." for i in positions) + name
        new[path] = value
        if not differences(wanted_alone, got_alone):
            followed[path] = value
        elif not differences(kept, got_alone):
            followed[path] = saved
        else:
            followed[path] = "neither (the lr follows neither value)"
    names = ("with the new code's arguments in force", "resumed")
    return differences(new, followed, "arguments", ("new code's", "in force")) or differences(
        wanted, got, "lr used[step][group]", names
    )
