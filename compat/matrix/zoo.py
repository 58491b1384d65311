"""The third-party optimizer zoo: specs for ``pytorch-optimizer`` and ``schedulefree``.

``pytorch-optimizer`` exports more than a hundred optimizers; their specs are derived from each
constructor's signature (every argument at its default, ``maximize`` drawn where the class takes
it, the lr drawn by the suite). Each candidate is probed before the run (``python -m compat.matrix.zoo``):
it must import, build and train on the pinned example, as plain, closure or 2-D-parameter
optimizer, and on params of several shapes in one group, as the suite draws them. Candidates that
cannot (compiled kernels, process groups, models instead of params, LoRA factor pairs) are listed
with the reason and left out. The schedule-free optimizers get ``train_mode="train"``.

``python -m compat.matrix.zoo [--out results]`` probes, runs ``pytest props`` over the accepted specs
(``--spec compat.matrix.zoo:ACCEPTED``), and writes ``results/zoo-<release>-cpu.json`` beside the probe's
``results/zoo/<release>-probe.json`` (accepted and left-out candidates, with the reasons), which the
report lists; ``nox -s zoo`` does the same in a fresh venv.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import inspect
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from compat.catalog import specs
from compat.catalog.case import Case, Group, Layout, Param
from compat.catalog.space import Choice
from compat.catalog.specs import OptimizerSpec

PACKAGES = ("pytorch-optimizer", "schedulefree")
ACCEPTED_FILE = "ZOO_ACCEPTED"  # environment variable naming the probe's accepted list
_SKIPPED_ARGUMENTS = {"self", "params", "lr", "foreach", "maximize", "kwargs", "args"}
# Constructor arguments without a default that some optimizers require, and a value that fits the
# suite's few steps (Ranger21's schedule length, BSAM's dataset size).
_REQUIRED = {"num_iterations": 100, "num_data": 100}
# Params of several shapes in one group, in both orders: the suite draws such layouts (props/strategies.py),
# and an optimizer that pairs its params (LoRARite's LoRA factors) trains on some shapes and orders only.
_SHAPES: dict[int | None, tuple[tuple[int, ...], ...]] = {
    None: ((3,), (), (2, 3), (4, 1, 2)),
    2: ((2, 3), (3, 2), (1, 1), (4, 4)),
}


def _space(cls: type) -> dict[str, Any]:
    """Return the hyperparameters at their defaults, read from the constructor's signature.

    Flags (``maximize`` ...) are not listed: the probe (``compat.run.probe``) finds those the class takes.
    """
    hyperparameters: dict[str, Any] = {}
    parameters = inspect.signature(cls.__init__).parameters
    for name, parameter in parameters.items():
        if name in _REQUIRED and parameter.default is inspect.Parameter.empty:
            hyperparameters[name] = Choice((_REQUIRED[name],))
            continue
        if name in _SKIPPED_ARGUMENTS or parameter.default is inspect.Parameter.empty:
            continue
        if isinstance(parameter.default, bool | int | float | tuple | str):
            hyperparameters[name] = Choice((parameter.default,))
    return hyperparameters


def with_required(required: dict[str, Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return ``kwargs`` with the constructor's required arguments added where absent (a spec's repair)."""
    return {**required, **kwargs}


def _spec(cls: type, **extra: Any) -> OptimizerSpec:
    hyperparameters = _space(cls)
    required = {name: space.options[0] for name, space in hyperparameters.items() if name in _REQUIRED}
    return OptimizerSpec(
        target=f"{cls.__module__}.{cls.__qualname__}",
        hyperparameters=hyperparameters,
        example_kwargs=required,
        # every optimizer built gets them, the fresh one a pinned case loads into too
        repair=functools.partial(with_required, required) if required else None,
        param_dtypes=("float32",),
        mixed_dtypes=False,
        empty_params=False,
        since="2.0",
        notes="third-party (zoo): arguments at their defaults",
        **extra,
    )


def candidates() -> list[OptimizerSpec]:
    """Return a spec for every optimizer class the zoo packages export (torch's own re-exports left out)."""
    import pytorch_optimizer
    import schedulefree

    found: dict[str, OptimizerSpec] = {}
    for name in pytorch_optimizer.get_supported_optimizers():
        cls = pytorch_optimizer.load_optimizer(name)
        if specs.from_torch(cls.__module__):
            continue
        train_mode = "train" if hasattr(cls, "train") and "schedulefree" in name else None
        found.setdefault(f"{cls.__module__}.{cls.__qualname__}", _spec(cls, train_mode=train_mode))
    for name in dir(schedulefree):
        cls = getattr(schedulefree, name)
        if isinstance(cls, type) and name.endswith(("ScheduleFree", "ScheduleFreeClosure", "Reference", "Paper")):
            if "Wrapper" in name:
                continue  # wraps another optimizer: no constructor of its own to draw
            modes = {"train_mode": "train"} if hasattr(cls, "train") else {"closure": name.endswith("Closure")}
            found.setdefault(f"{cls.__module__}.{cls.__qualname__}", _spec(cls, **modes))
    return sorted(found.values(), key=lambda spec: spec.target)


def _variants(spec: OptimizerSpec) -> list[OptimizerSpec]:
    """Return the ways to try a candidate: as is, with a closure, with 2-D params, both.

    Muon-style optimizers route each param group by a ``use_muon`` key, which then goes into every group.
    """
    variants = [
        spec,
        replace(spec, closure=True),
        replace(spec, param_ndim=2),
        replace(spec, closure=True, param_ndim=2),
    ]
    if "use_muon" in inspect.getsource(spec.load()):
        variants += [replace(spec, param_ndim=2, group_keys={"use_muon": flag}) for flag in (True, False)]
    return variants


def probe(candidate: OptimizerSpec) -> tuple[OptimizerSpec | None, str]:
    """Return (the first variant of ``candidate`` that trains, "") or (None, why none does)."""
    from compat.catalog.extensions import SpecError
    from compat.run.extensions import check_trains
    from compat.run.probe import verdict

    reason = ""
    for variant in _variants(candidate):
        specs.unregister(variant.target)
        specs.register(variant)
        try:
            trial = verdict(variant, {})  # the probe's own trial on one param, which the pinned example needs
            if not trial.accepted:
                reason = reason or f"cannot train with its example: {trial.refusal}"
                continue
            check_trains(variant, "zoo")
            refused = shapes_refusal(variant)
            if not refused:
                return variant, ""
            reason = reason or refused
        except SpecError as error:
            reason = reason or str(error).split("): ", 1)[-1]
        except Exception as error:  # a constructor that hangs onto something odd
            reason = reason or f"{type(error).__name__}: {error}"
        finally:
            specs.unregister(variant.target)
    return None, reason


def shapes_refusal(spec: OptimizerSpec) -> str:
    """Return why the registered ``spec`` cannot train on params of several shapes in one group ("" if it can)."""
    from compat.run import engine

    kwargs = spec.repaired({"lr": 0.01, **spec.example_kwargs})
    shapes = _SHAPES[spec.param_ndim]
    for order in (shapes, shapes[::-1]):
        layout = Layout(tuple(Param(shape, "float32") for shape in order), (Group(tuple(range(len(order)))),))
        try:
            engine.uninterrupted(Case(subject=spec.target, kwargs=kwargs, fresh_kwargs=kwargs, layout=layout))
        except Exception as error:  # whatever the optimizer raises is why it cannot be drawn for
            shown = ", ".join(str(shape) for shape in order)
            return f"cannot train on params of shapes {shown} in one group: {engine.error_line(error)}"
    return ""


def _describe(spec: OptimizerSpec) -> dict[str, Any]:
    return {
        "target": spec.target,
        "closure": spec.closure,
        "param_ndim": spec.param_ndim,
        "group_keys": dict(spec.group_keys),
    }


def _accepted() -> list[OptimizerSpec]:
    path = os.environ.get(ACCEPTED_FILE)
    if not path:
        return []
    wanted = {entry["target"]: entry for entry in json.loads(Path(path).read_text(encoding="utf-8"))["accepted"]}
    return [
        replace(
            spec,
            closure=wanted[spec.target]["closure"],
            param_ndim=wanted[spec.target]["param_ndim"],
            group_keys=wanted[spec.target].get("group_keys", {}),
        )
        for spec in candidates()
        if spec.target in wanted
    ]


def versions_of_packages() -> dict[str, str]:
    """Return the installed version of each zoo package."""
    return {name: importlib.metadata.version(name) for name in PACKAGES}


def main(argv: list[str] | None = None) -> int:
    """Probe the zoo, run the suite over the accepted specs, and write the result files; return pytest's status."""
    from compat.catalog import versions
    from compat.catalog.versions import release_of
    from compat.matrix import runner
    from compat.record.recorder import write_atomically

    parser = argparse.ArgumentParser(prog="python -m compat.matrix.zoo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results"), help="folder for the result files")
    parser.add_argument("--profile", default="ci", help="Hypothesis profile (default: ci)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    accepted, excluded = [], []
    for candidate in candidates():
        variant, reason = probe(candidate)
        if variant is None:
            excluded.append({"target": candidate.target, "reason": reason})
        else:
            accepted.append(_describe(variant))
    probed = time.monotonic()
    release = release_of(versions.installed())
    listing = args.out / "zoo" / f"{release}-probe.json"
    document = {"packages": versions_of_packages(), "accepted": accepted, "excluded": excluded}
    write_atomically(listing, json.dumps(document, indent=1) + "\n")
    print(f"zoo: {len(accepted)} optimizers accepted, {len(excluded)} left out ({listing}); {probed - started:.0f} s")
    result = args.out / f"zoo-{release}-cpu.json"
    staged = args.out / f"zoo-{release}-cpu{runner.STAGED}"  # put in place of result only once through
    runner.discard(staged)
    command = [sys.executable, "-m", "pytest", "props", "-q", "-p", "no:randomly", "--hypothesis-profile", args.profile]
    command += ["--spec", "compat.matrix.zoo:ACCEPTED", "--compat-subjects", "third-party", f"--compat-json={staged}"]
    environment = {**os.environ, ACCEPTED_FILE: str(listing)}
    try:
        done = subprocess.run(command, env=environment, check=False)
        if done.returncode not in (0, 1) or not runner.complete(staged):
            runner.discard(staged)
            print(f"zoo: the suite stopped (exit {done.returncode}); {result} is left as it was", file=sys.stderr)
            return done.returncode or 1
        suite = time.monotonic() - probed
        checked = subprocess.run(
            [sys.executable, "-m", "compat.record.verify", str(staged)],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    except KeyboardInterrupt:
        runner.discard(staged)
        print(f"zoo: interrupted; {result} is left as it was; the same command reruns it", file=sys.stderr)
        return 130
    runner.publish(staged, result)
    print(f"zoo: suite over {len(accepted)} optimizers in {suite:.0f} s -> {result}; {checked.stdout.strip()}")
    print(f"zoo: total {time.monotonic() - started:.0f} s")
    return 0


ACCEPTED = _accepted()

if __name__ == "__main__":
    sys.exit(main())
