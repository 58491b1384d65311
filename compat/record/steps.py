"""The steps of a reproducer's run as source: literal params, the training function, the save and load.

The engine's run written out: the same initial values (``engine.seed_for``), the same seeded loss
and its gradients, the same optimizer step (with a closure where the optimizer takes one), the same
save/load options.
"""

from __future__ import annotations

import textwrap

from compat.catalog import schedulers, specs
from compat.catalog.case import Case
from compat.catalog.sources import seed_source, tensor_source
from compat.run import engine, scheduling


def params_source(case: Case) -> str:
    """Return ``params = [...]``: the example's initial params (``engine.parameters``) as literal tensors."""
    tensors = []
    for param, values in zip(case.layout.params, engine.parameters(case), strict=True):
        options = "" if param.dtype == "float32" else f", dtype=torch.{param.dtype}"
        if case.device != "cpu":
            options += f", device={case.device!r}"
        if values.requires_grad:
            options += ", requires_grad=True"
        tensors.append(f"torch.tensor({tensor_source(values.detach())}{options})")
    if len(", ".join(tensors)) < 120:
        return f"params = [{', '.join(tensors)}]\n"
    return "params = [\n" + "".join(f"    {t},\n" for t in tensors) + "]\n"


def _trained(case: Case) -> list[int]:
    """Return the positions of the params that get a grad."""
    return [i for i, p in enumerate(case.layout.params) if p.role == "trained"]


def _target(case: Case) -> str:
    """Return the source of param ``i``'s seeded target at ``step`` (``engine.targets``)."""
    return f"torch.randn(p.shape, generator=torch.Generator().manual_seed({seed_source(case, 'i', 'step')}))"


def _gradient_lines(case: Case, indent: str) -> str:
    """Return the lines giving every trained param its grad of sum((p - target) ** 2) / 2 at ``step``."""
    spec = specs.get(case.subject)
    trained = _trained(case)
    plain = all(p.dtype == "float32" for p in case.layout.params) and case.device == "cpu"
    if trained == list(range(len(case.layout.params))):
        loop = "for i, p in enumerate(params):\n"
    else:
        loop = f"for i, p in [(i, params[i]) for i in {tuple(trained)!r}]:  # the params that get a grad\n"
    target = _target(case)
    if spec.grad == "sparse":
        body = (
            f"target = {target}.to(p.device)\n"
            "rows = torch.randint(0, p.shape[0], (max(1, p.shape[0] // 2),), "
            f"generator=torch.Generator().manual_seed({seed_source(case, 'i', 'step')} + 7)).to(p.device)\n"
            "view = p.detach().requires_grad_()\n"
            "loss = ((torch.nn.functional.embedding(rows, view, sparse=True).float() - target[rows]) ** 2).sum() / 2\n"
            "loss.backward()\n"
            "p.grad = view.grad\n"
        )
    elif plain:
        body = f"p.grad = p.detach() - {target}\n"
    else:
        body = f"p.grad = (p.detach().float() - {target}.to(p.device)).to(p.dtype)\n"
    return textwrap.indent(loop + textwrap.indent(body, "    "), indent)


def train_source(case: Case, scheduled: bool) -> str:
    """Return the ``train`` function: steps on the seeded loss (and the scheduler, returning the lr each used)."""
    spec = specs.get(case.subject)
    head = "def train(opt, sched, params, steps, start=0):  # returns what each step used, read just before it\n"
    if not scheduled:
        head = "def train(opt, params, steps, start=0):  # each step: grad of sum((p - target) ** 2) / 2\n"
    lines = head
    if spec.train_mode:  # another class's optimizer (a checkpoint to load) has no such mode
        lines += f"    if hasattr(opt, {spec.train_mode!r}):\n        opt.{spec.train_mode}()\n"
    if scheduled:
        lines += "    used_lrs = []\n"
    lines += "    for step in range(start, start + steps):\n"
    if scheduled:
        lines += f"        used_lrs.append({_used(case)})\n"
    if not specs.from_torch(spec.target):
        seed = engine.seed_for(case.seed, engine.GLOBAL_RNG, 0)
        lines += f"        torch.manual_seed({seed} + step)  # the optimizer's random draws, the same at each step\n"
    if spec.closure:
        lines += "        def closure(step=step):\n            loss = torch.zeros(())\n"
        lines += _closure_gradients(case)
        lines += "            return loss\n        opt.step(closure)\n"
    else:
        lines += _gradient_lines(case, "        ") + "        opt.step()\n"
    if scheduled:
        plateau = schedulers.get(case.scheduler.name).kind == "plateau"
        metric = f"{list(case.metrics)!r}[step]" if plateau else ""
        lines += f"        sched.step({metric})\n    return used_lrs + [{_used(case)}]\n"
    return lines


def _closure_gradients(case: Case) -> str:
    return (
        f"            for i in {tuple(_trained(case))!r}:\n"
        "                p, view = params[i], params[i].detach().requires_grad_()\n"
        f"                term = ((view.float() - {_target(case)}.to(p.device)) ** 2).sum() / 2\n"
        "                term.backward()\n"
        "                p.grad, loss = view.grad, loss + term.detach()\n"
    )


def _used(case: Case) -> str:
    if case.scheduler is not None and scheduling.cycled(case.scheduler):
        return "used(opt)"
    return '[{"lr": float(g["lr"])} for g in opt.param_groups]'


def save_load_source(case: Case, what: str, claim: str, owns_refusal: bool) -> str:
    """Return the lines saving ``what`` and loading it back as ``loaded``, with the case's options.

    Where the claim is about torch refusing (weights_only), a refusal prints the violation.
    """
    options = case.save_load
    save = ", _use_new_zipfile_serialization=False" if options.legacy_format else ""
    load = [f"weights_only={options.weights_only}"]
    location = {
        "none": None,
        "cpu": "'cpu'",
        "device": f"torch.device({case.load_device!r})",
        "callable": "lambda storage, location: storage"
        if case.load_device == "cpu"
        else f"lambda storage, location: storage.to({case.load_device!r})",
    }[options.map_location]
    if location:
        load.append(f"map_location={location}")
    if options.mmap:
        load.append("mmap=True")
    if options.medium == "buffer":
        lines = [
            "buffer = io.BytesIO()",
            f"torch.save({what}, buffer{save})",
            f"loaded = torch.load(io.BytesIO(buffer.getvalue()), {', '.join(load)})",
        ]
    else:
        lines = [
            'path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")',
            f"torch.save({what}, path{save})",
            f"loaded = torch.load(path, {', '.join(load)})",
        ]
    if not owns_refusal:
        return "\n".join(lines) + "\n"
    return (
        "try:\n"
        + "".join(f"    {line}\n" for line in lines)
        + "except Exception as error:  # torch refusing to save or load it is the violation\n"
        + f'    print("VIOLATED: {claim}\\n  torch refused:", f"{{error!r:.300}}")\n'
        + "    sys.exit(1)\n"
    )
