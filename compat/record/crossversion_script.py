"""The two-step reproducer of a cross-version claim whose check is a plain function (compat/catalog/checks).

``python SCRIPT save [PATH]`` under the saving release trains the claim's pinned case to the save
point and writes the checkpoint with its own continuation, as the matrix's fixture holds them
(compat.run.crossversion). ``python SCRIPT [PATH]`` under the release being checked reads it, builds
the runs the check takes (``loaded``, ``continuation``, ``fresh``, ``straight_params`` ...) as
``compat.run.crossversion.Fixture`` does, then defines the check from its source, calls it and exits 1
while it finds problems; torch refusing to read or load the checkpoint is the violation too.
"""

from __future__ import annotations

import textwrap

from compat.catalog import schedulers
from compat.catalog.case import Case
from compat.catalog.claims import Claim
from compat.record.check_source import function_source, helper_sources, names_in
from compat.record.script import (
    EPILOGUE,
    Writer,
    _assembled,
)
from compat.record.steps import params_source
from compat.run import crossversion, runs

CROSS_SAVE = """\
if "save" in sys.argv[1:]:  # step 1, under torch {saved_by}: train to the save point and save, with the continuation
{run}    torch.save({{
        "format": 1, "torch": str(torch.__version__), "subject": {subject!r}, {scheduler}"optimizer": opt.state_dict(),
        "params": [p.detach() for p in params], "continuation": {continuation},
    }}, PATH)
    print("saved", PATH, "- now run this script without 'save' under the torch release to check")
    sys.exit(0)
"""

# A claim that reads the checkpoint weights_only where the release can (crossversion.SAFE) decides so when
# step 2 runs, under the release that loads it.
SAFE_LOAD = (
    "torch.load(PATH, **({} if torch.__version__ < '2' else {'weights_only': True}))"
    "  # 1.13 reads no float weights_only"
)
SAVED_PARAMS = 'loaded["params"]'


def two_step_script(case: Case, claim: Claim, saved_by: str, name: str = "repro.py") -> str:
    """Return the two-step reproducer of ``claim`` on the checkpoint ``saved_by`` writes for ``case``.

    Step 1 (``save``) writes it under ``saved_by``; step 2 loads it under the release being checked,
    calls the claim's check and exits 1 while it finds problems.
    """
    w = Writer(case)
    function = runs.check_function(claim)
    names = runs.parameters(function)
    source = function_source(function)
    body = params_source(case) + _path(saved_by) + _saving(w, saved_by) + _loading(w, claim, names, saved_by)
    body += f"\n\n{source}\n\nproblems = {function.__name__}({', '.join(names)})\n"
    body += EPILOGUE.format(claim=claim.id)
    w.helpers.extend(helper_sources(names_in(source)))
    w.imports.add("os")
    note = (
        f"\n#   uv run --with 'torch=={saved_by}.*' python {name} save   # step 1 writes the checkpoint\n"
        f"#   uv run --with 'torch==X.Y.*' python {name}   # step 2 loads it under the release to check"
    )
    return _assembled(w, claim.id, body, note=note)


def _path(saved_by: str) -> str:
    """Return ``PATH = ...``: the argument that is not ``save``, else the checkpoint beside the script."""
    return (
        "PATH = ([a for a in sys.argv[1:] if a != 'save'] or "
        f"[os.path.join(os.path.dirname(os.path.abspath(__file__)), 'checkpoint-saved-by-torch-{saved_by}.pt')])[0]\n"
    )


def _saving(w: Writer, saved_by: str) -> str:
    """Return step 1: train to the save point and save, with the uninterrupted continuation (the fixture's payload)."""
    scheduled = w.case.scheduler is not None
    run = "straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]\n"
    run += f"opt, straight = {w.old('params')}, {w.old('straight_params')}\n"
    if scheduled:
        run += f"sched = {w.sched('opt')}\ntrain(opt, sched, params, {w.n})\n"
        run += f"lrs = train(straight, {w.sched('straight')}, straight_params, {w.n + w.m})[{w.n}:]\n"
        continuation = '{"params": [p.detach() for p in straight_params], "lrs": lrs}'
    else:
        run += f"train(opt, params, {w.n})\ntrain(straight, straight_params, {w.n + w.m})\n"
        continuation = '{"params": [p.detach() for p in straight_params]}'
    subject = schedulers.get(w.case.scheduler.name).target if scheduled else w.spec.target
    return CROSS_SAVE.format(
        saved_by=saved_by,
        run=textwrap.indent(run, "    "),
        subject=subject,
        scheduler='"scheduler": sched.state_dict(), ' if scheduled else "",
        continuation=continuation,
    )


def _load(claim: Claim) -> str:
    """Return the expression reading the checkpoint as ``claim`` reads it (compat.run.crossversion.READS)."""
    if claim.id not in crossversion.READS:
        return SAFE_LOAD
    weights_only = crossversion.READS[claim.id]
    return "torch.load(PATH)" if weights_only is None else f"torch.load(PATH, weights_only={weights_only})"


def _loading(w: Writer, claim: Claim, names: list[str], saved_by: str) -> str:
    """Return step 2 up to the check: read the checkpoint and build the runs ``names`` takes."""
    case = w.case
    scheduled = case.scheduler is not None
    resumed = {"fresh_params", "fresh", "fresh_sched"} & set(names)
    built = [f"loaded = {_load(claim)}"]
    if resumed:
        built.append(f"fresh_params = {w.fresh_params(SAVED_PARAMS)}")
    if resumed - {"fresh_params"}:
        built.append(f"fresh = {w.new('fresh_params')}")
        if scheduled:
            built.append(f"fresh_sched = {w.sched('fresh')}  # built before the optimizer's load")
        built.append('fresh.load_state_dict(loaded["optimizer"])')
        if scheduled:
            built.append('fresh_sched.load_state_dict(loaded["scheduler"])')
    if "straight_params" in names:
        built.append("straight_params = [p.detach().clone().requires_grad_(p.requires_grad) for p in params]")
        built.append(f"straight = {w.old('straight_params')}  # this release's own uninterrupted run")
        scheduler = f"{w.sched('straight')}, " if scheduled else ""
        built.append(f"train(straight, {scheduler}straight_params, {w.n + w.m})")
    lines = (
        "# Step 2, under the release being checked: read the checkpoint and resume from it.\n"
        "if not os.path.exists(PATH):\n"
        "    sys.exit(f\"no checkpoint at {PATH}: first run 'python {sys.argv[0]} save' "
        f'under torch {saved_by}")\n'
        "try:\n"
        + textwrap.indent("\n".join(built), "    ")
        + "\nexcept Exception as error:  # torch refusing the checkpoint (or the run) is the violation\n"
        + f'    print("VIOLATED: {claim.id}\\n  torch refused:", f"{{error!r:.300}}")\n'
        + "    sys.exit(1)\n"
    )
    if "continuation" in names:
        lines += 'continuation = loaded["continuation"]  # what the saving release computed on from the save point\n'
    if "n" in names:
        lines += f"n = {w.n}  # steps before the save\n"
    if "m" in names:
        lines += f"m = {w.m}  # steps after the load\n"
    return lines
