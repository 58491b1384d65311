"""Checks of what load_state_dict checks, matches and leaves alone."""

from __future__ import annotations

import copy

import torch

from compat.catalog.checks.helpers import by_position, detached, differences, first_line


def rejects_group_mismatch(loaded, fresh_params, build, groups):
    """Return a problem unless loading the checkpoint into an optimizer of other ``groups`` raises ValueError."""
    other = build(fresh_params, groups)  # other groups than the checkpoint's: one param fewer, or two merged
    try:
        other.load_state_dict(loaded)
    except ValueError:
        return []
    except Exception as error:
        return [f"raises {type(error).__name__}: load_state_dict into groups {groups} raised {first_line(error)}"]
    return [f"raises nothing: load_state_dict accepted the checkpoint into groups {groups}, not ValueError"]


def matches_by_identity(opt, params, loaded, fresh_params, build, twins, groups):
    """Return where a param's state after loading into ``groups``, which list the ``twins`` swapped, is not its own."""
    permuted = build(fresh_params, groups)
    permuted.load_state_dict(loaded)
    names = ("its saved state", "state after permuted load")
    for i in twins:
        saved, after = dict(opt.state.get(params[i], {})), dict(permuted.state.get(fresh_params[i], {}))
        found = differences(saved, after, f"param {i}", names)
        if found:
            return found
    return []


def validates_hyperparameters(loaded, fresh_params, build, key, value, refusal):
    """Return a problem unless load_state_dict refuses ``key=value`` as the constructor does, with ``refusal``."""
    if key is None:
        return []  # the constructor refuses none of the values tried: there is nothing to validate
    loaded["param_groups"][0][key] = value
    try:
        build(fresh_params).load_state_dict(loaded)
    except refusal:
        return []
    except Exception as error:
        return [f"raises {type(error).__name__}: load_state_dict with {key}={value!r} raised {first_line(error)}"]
    return [f"raises nothing: load_state_dict accepted {key}={value!r}, which the constructor refuses"]


def leaves_argument_intact(loaded, fresh_params, build):
    """Return what load_state_dict changed in the dict it was given."""
    given = copy.deepcopy(loaded)
    build(fresh_params).load_state_dict(loaded)
    return differences(given, loaded, "argument", ("before load_state_dict", "after"))


def does_not_alias_argument(loaded, fresh_params, build, train, m, n):
    """Return what changed in the loaded dict while the optimizer it was loaded into trained on."""
    given = copy.deepcopy(loaded)
    resumed = build(fresh_params)
    resumed.load_state_dict(loaded)
    train(resumed, fresh_params, m, n)
    return differences(given, loaded, "argument", ("as loaded", "after training"))


def atomic(opt, params, initial, moved, build_saving, straight_params, train, m, n, saver, saver_kwargs, saver_groups):
    """Return how a load_state_dict that raised changed the optimizer, or made it train unlike an untouched twin.

    The dicts it is given, each into an optimizer trained N steps: its own with one param more in the last
    group, and the checkpoint of ``saver``, another class built with the case's arguments it takes.
    """

    def view(o, ps):  # the optimizer's groups (params as positions in ps) and state, copied
        position = {id(p): i for i, p in enumerate(ps)}
        groups = [{**g, "params": [position.get(id(q), -1) for q in g["params"]]} for g in o.param_groups]
        return copy.deepcopy({"param_groups": groups, "state": by_position(o)})

    one_more = copy.deepcopy(opt.state_dict())
    one_more["param_groups"][-1]["params"].append(len(params))
    bad = [("a group with one more param", one_more)]
    try:
        saver_params = moved(initial)
        other = saver([{**g, "params": [saver_params[i] for i in g["params"]]} for g in saver_groups], **saver_kwargs)
        train(other, saver_params, n)
        bad.append((f"{saver.__name__}'s checkpoint", copy.deepcopy(other.state_dict())))
    except Exception as error:
        print(f"{saver.__name__} cannot train this case: {first_line(error)}")
    for index, (what, state_dict) in enumerate(bad):
        if index:  # the previous load changed or trained the optimizer: train another one
            params = moved(initial)
            opt = build_saving(params)
            train(opt, params, n)
        before = view(opt, params)
        try:
            opt.load_state_dict(state_dict)
        except Exception as error:
            during = f"after load_state_dict({what}) raised {first_line(error)}"
        else:
            continue  # it loaded: a load that succeeds is not in question
        problems = differences(before, view(opt, params), "optimizer", ("before", during))
        if not problems:  # then it must train on as its untouched twin, the uninterrupted run, does
            try:
                train(opt, params, m, n)
            except Exception as error:
                problems = [f"type params: the untouched twin trained on, step() raised {first_line(error)} {during}"]
            else:
                names = ("untouched twin", during)
                problems = differences(detached(straight_params), detached(params), "params", names)
        if problems:
            return problems
    return []


def rejects_shape_mismatch(opt, params, build, shapes):
    """Return each of ``shapes`` for whose params load_state_dict took the state saved for ``params``."""
    saved = opt.state_dict()
    if not any(isinstance(v, torch.Tensor) for s in saved["state"].values() for v in s.values()):
        return []  # no state tensor (SGD without momentum): no shape to refuse
    problems, saved_shapes = [], [tuple(p.shape) for p in params]
    for tried in shapes:
        others = [
            torch.zeros(s, dtype=p.dtype, device=p.device).requires_grad_(p.requires_grad)
            for s, p in zip(tried, params, strict=True)
        ]
        try:
            target = build(others)
        except Exception as error:
            print(f"no optimizer over params of shapes {tried}: {first_line(error)}")
            continue
        try:
            target.load_state_dict(saved)
        except Exception as error:
            print(f"load_state_dict refused the state saved for other shapes: {first_line(error)}")
            continue
        problems.append(f"load_state_dict accepted state saved for params of shapes {saved_shapes} into shapes {tried}")
    return problems


def across_classes(initial, moved, build, train, m, n, savers):
    """Return, for each class whose checkpoint the optimizer loaded, how it then trained unlike that class.

    ``savers``: each class (its name in torch.optim) with the case's arguments it takes and the case's groups.
    It trains N steps and saves, then trains M more; the optimizer given its checkpoint must refuse it, or train
    copies of the same params to the same values, bitwise.
    """
    problems = []
    for name, kwargs, groups in savers:
        own_params = moved(initial)
        try:
            entries = [{**g, "params": [own_params[i] for i in g["params"]]} for g in groups]
            own = getattr(torch.optim, name)(entries, **kwargs)
            train(own, own_params, n)
            checkpoint = copy.deepcopy(own.state_dict())
            loading_params = moved(own_params)
            train(own, own_params, m, n)  # how the saving class trains on
        except Exception as error:
            print(f"{name} cannot train this case: {first_line(error)}")
            continue
        other = build(loading_params)
        loader = type(other).__name__
        try:
            other.load_state_dict(checkpoint)
        except Exception as error:
            print(f"{loader} refused {name}'s checkpoint: {first_line(error)}")  # what the claim allows
            continue
        try:
            train(other, loading_params, m, n)
        except Exception as error:
            problems.append(f"{name}'s checkpoint loaded into {loader}; step() then raised {first_line(error)}")
            continue
        drift = differences(detached(own_params), detached(loading_params), "params", (name, loader))
        if drift:
            problems.append(f"{name}'s checkpoint loaded into {loader}, which trains unlike {name}: {drift[0]}")
    return problems
