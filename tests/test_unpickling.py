"""Reading a checkpoint past a weights_only refusal: placeholders for what it names, nothing run, safe advice."""

from __future__ import annotations

import argparse
import builtins
import collections
import datetime
import functools
import importlib
import io
import os
import pathlib
import pickle
import pickletools
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import torch
from conftest import run_python

from compat.catalog import versions
from compat.report import advice, checkpoint_files, unpickling
from compat.report.checkpoint_files import Opened
from compat.report.unpickling import Placeholder


class Runs:
    """Pickles as the call ``function(*args)``: unpickling it for real makes that call."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.function = function
        self.args = args

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.function, self.args)


class SavedConfig:
    """A class of the script that saved the file: pickled as __main__.SavedConfigOfTestUnpickling."""

    __module__ = "__main__"
    __qualname__ = "SavedConfigOfTestUnpickling"
    marker: Path | None = None  # building it for real (__new__ or __setstate__) creates this file

    def __new__(cls, *args: Any, **kwargs: Any) -> SavedConfig:
        if cls.marker is not None:
            cls.marker.touch()
        return super().__new__(cls)

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def __setstate__(self, state: dict[str, Any]) -> None:
        if self.marker is not None:
            self.marker.touch()
        self.__dict__.update(state)


def adam_state() -> dict[str, Any]:
    params = [torch.nn.Parameter(torch.randn(3, 2)) for _ in range(2)]
    optimizer = torch.optim.Adam(params, lr=0.01)
    for param in params:
        param.grad = torch.ones_like(param)
    optimizer.step()
    return optimizer.state_dict()


@pytest.fixture
def main_class_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """Return a file holding an Adam state beside a __main__ class instance, and the marker building it creates."""
    path, marker = tmp_path / "with-config.pt", tmp_path / "config-built"
    with monkeypatch.context() as patch:  # pickle saves a class by name: __main__ must hold it while saving
        patch.setattr(sys.modules["__main__"], SavedConfig.__qualname__, SavedConfig, raising=False)
        torch.save({"optimizer": adam_state(), "args": SavedConfig(lr=0.1)}, path)
    monkeypatch.setattr(SavedConfig, "marker", marker)
    yield path, marker


def test_a_main_class_is_a_placeholder_and_the_state_is_read(main_class_file: tuple[Path, Path]) -> None:
    """Without --trust-pickle the optimizer state is read, the script's class replaced, nothing of it built."""
    path, marker = main_class_file
    found = checkpoint_files.opened(path)
    assert found.refusal and not found.trusted and not marker.exists()
    assert checkpoint_files.is_optimizer_state(found.content["optimizer"])
    assert found.content["optimizer"]["param_groups"][0]["lr"] == 0.01
    config = found.content["args"]
    assert isinstance(config, Placeholder) and not isinstance(config, Mapping)
    assert (config.name, config.args, config.state) == ("__main__.SavedConfigOfTestUnpickling", (), {"lr": 0.1})
    assert found.replaced == ["__main__.SavedConfigOfTestUnpickling"]
    said = advice.how_read(found)
    assert "replaced 1 global with inert placeholders (nothing ran): __main__.SavedConfigOfTestUnpickling" in said
    assert "do not load this file unless you wrote it" in advice.to_load(found)


def test_trust_pickle_on_a_main_class_says_so_in_a_line_and_reads_with_placeholders(
    main_class_file: tuple[Path, Path],
) -> None:
    """--trust-pickle on a file naming the saving script's class: one line, no traceback, exit 1 (the refusal)."""
    path, marker = main_class_file
    done = run_python("-m", "compat", "check", str(path), "--torch", "2.15", "--trust-pickle", "--reports", "reports")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout and "AttributeError" not in done.stdout
    out = " ".join(done.stdout.split())  # lines are wrapped to a width
    assert (
        "--trust-pickle stopped: it names __main__.SavedConfigOfTestUnpickling, a class of the script that saved it, "
        "not importable here; weights_only=True refused it; read with inert placeholders"
    ) in out
    assert not marker.exists()


def test_trust_pickle_on_a_module_not_installed_reads_with_placeholders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A class from a module not installed here: --trust-pickle says which, and the state is read with placeholders."""
    module = type(sys)("module_not_installed_here")
    module.Config = type("Config", (), {"__module__": module.__name__})
    path = tmp_path / "elsewhere.pt"
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, module.__name__, module)
        torch.save({"optimizer": adam_state(), "args": module.Config()}, path)
    found = checkpoint_files.opened(path, trust_pickle=True)
    assert found.unimportable == "it names the module module_not_installed_here, not installed here"
    assert not found.trusted and found.replaced == ["module_not_installed_here.Config"]
    assert checkpoint_files.is_optimizer_state(found.content["optimizer"])


# Each payload, unpickled for real, creates its marker file (test_the_payloads_do_run proves it).
PAYLOADS: dict[str, tuple[str, Callable[[Path], Any]]] = {
    "io.open": ("io.open", lambda marker: Runs(io.open, str(marker), "w")),
    "os.system": ("posix.system", lambda marker: Runs(os.system, f"touch {marker}")),
    "eval": ("builtins.eval", lambda marker: Runs(builtins.eval, f"open({str(marker)!r}, 'w').close()")),
    "getattr": ("builtins.getattr", lambda marker: Runs(pathlib.Path.touch, marker)),  # getattr(Path, "touch")
    "partial": ("functools.partial", lambda marker: Runs(functools.partial(os.system, f"touch {marker}"))),
}


def saved_with(path: Path, payload: Any, *, zipped: bool = True) -> Path:
    torch.save({"optimizer": adam_state(), "payload": payload}, path, _use_new_zipfile_serialization=zipped)
    return path


@pytest.mark.parametrize("zipped", [True, False], ids=["zip", "legacy"])
@pytest.mark.parametrize("kind", PAYLOADS)
def test_a_payload_does_not_run_and_the_state_is_read(tmp_path: Path, kind: str, zipped: bool) -> None:
    """Nothing a payload names runs; the state is read; the advice names it as a danger and allowlists nothing."""
    name, payload = PAYLOADS[kind]
    marker = tmp_path / "ran"
    found = checkpoint_files.opened(saved_with(tmp_path / "evil.pt", payload(marker), zipped=zipped))
    assert not marker.exists()
    assert checkpoint_files.is_optimizer_state(found.content["optimizer"])
    assert isinstance(found.content["payload"], Placeholder)
    assert name in found.replaced and name in found.refused_globals
    said = advice.to_load(found)
    assert f"{name}" in said and "do not load this file unless you wrote it" in said
    assert "add_safe_globals" not in said


@pytest.mark.parametrize("kind", PAYLOADS)
def test_the_payloads_do_run(tmp_path: Path, kind: str) -> None:
    """Each payload does create its marker under full unpickling: the test above would see it run."""
    _, payload = PAYLOADS[kind]
    marker = tmp_path / "ran"
    torch.load(saved_with(tmp_path / "evil.pt", payload(marker)), weights_only=False)
    assert marker.exists()


def test_a_placeholder_records_and_says_what_it_stands_for() -> None:
    """Called, it records; its repr names the global; it is neither a Mapping nor equal to another."""
    opened = Placeholder("io.open")("/tmp/x", "w")
    assert repr(opened) == "Placeholder(name='io.open', args=('/tmp/x', 'w'))"
    assert opened != Placeholder("io.open", ("/tmp/x", "w")) and not isinstance(opened, Mapping)
    loop = Placeholder("__main__.Node")
    loop.state = {"next": loop}
    assert repr(loop) == "Placeholder(name='__main__.Node', state={'next': ...})"


def test_build_on_a_class_the_file_names_is_refused() -> None:
    """A pickle setting attributes on a class (BUILD with slot state) is refused; the class is left as it was."""
    # GLOBAL argparse.Namespace; (None, {"evil": 1}); BUILD
    data = b"\x80\x02cargparse\nNamespace\nN}X\x04\x00\x00\x00evilK\x01s\x86b."
    with pytest.raises(pickle.UnpicklingError, match=r"BUILD on a builtins\.type"):
        unpickling.Reading().load(io.BytesIO(data))
    assert not hasattr(argparse.Namespace, "evil")


# One value per name of advice.PLAIN_DATA, each pickling as that global.
SAMPLES: list[Any] = [
    argparse.Namespace(lr=0.1),
    collections.Counter("aab"),
    collections.OrderedDict(a=1),
    datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
    datetime.date(2026, 1, 2),
    datetime.time(3, 4),
    frozenset({1}),
    {1, 2},
    1 + 2j,
    slice(1, 2),
    range(3),
    bytearray(b"x"),
    b"",  # protocol 2 pickles empty bytes as bytes()
    pathlib.PosixPath("/a"),
    pathlib.PurePosixPath("/a"),
    pathlib.PureWindowsPath("c:/a"),
    [pathlib.Path, bool, dict, float, int, list, str, tuple],  # classes pickle as their names
]


def pickled_globals(value: Any) -> set[str]:
    """Return the globals ``value`` pickles as, by their Python 3 names."""
    data = pickle.dumps(value, protocol=2, fix_imports=False)
    return {str(arg).replace(" ", ".") for op, arg, _ in pickletools.genops(data) if op.name == "GLOBAL"}


def test_every_plain_data_class_has_a_sample() -> None:
    """Every name of PLAIN_DATA this Python pickles is pickled by a sample, and the samples pickle nothing else."""
    here = {f"{value.__module__}.{value.__qualname__}" for value in unpickling.INERT_DATA.values()}
    pickled = set().union(*map(pickled_globals, SAMPLES))
    assert advice.PLAIN_DATA & here <= pickled
    assert pickled <= advice.PLAIN_DATA | {"_codecs.encode"}  # torch's own, for bytes


def _refused(value: Any) -> bool:
    buffer = io.BytesIO()
    torch.save(value, buffer)
    buffer.seek(0)
    try:
        torch.load(buffer, weights_only=True)
    except pickle.UnpicklingError:
        return True
    return False


def resolved(expression: str) -> Any:
    """Return the object ``a.b.C`` (or a builtin's bare name) names, imported as a user's script would."""
    module, _, attribute = expression.rpartition(".")
    return getattr(importlib.import_module(module or "builtins"), attribute)


@pytest.mark.parametrize("value", SAMPLES, ids=lambda v: type(v).__name__)
def test_the_suggested_allowlist_loads_the_file(tmp_path: Path, value: Any) -> None:
    """For plain data, the suggested add_safe_globals call names exactly the refused classes, and it loads."""
    path = tmp_path / "data.pt"
    torch.save({"optimizer": adam_state(), "value": value}, path)
    found = checkpoint_files.opened(path)
    if found.refusal is None:  # this torch's weights_only unpickler reads it unasked: nothing to suggest
        assert found.content["value"] == value
        return
    assert found.replaced == [] and checkpoint_files.is_optimizer_state(found.content["optimizer"])
    assert set(found.refused_globals) <= advice.PLAIN_DATA
    said = advice.to_load(found)
    call = unpickling.allowlist_call(found.refused_globals)
    assert said == f"It holds only plain data torch does not allow by default: it loads after {call}."
    listed = call.removeprefix("torch.serialization.add_safe_globals([").removesuffix("])").split(", ")
    with torch.serialization.safe_globals([resolved(name) for name in listed]):
        torch.load(path, weights_only=True)


def test_counter_and_namespace_get_exactly_their_allowlist(tmp_path: Path) -> None:
    """A file holding a Counter and a Namespace: the allowlist names the refused ones of the two, nothing else."""
    path = tmp_path / "args.pt"
    torch.save({"optimizer": adam_state(), "counts": collections.Counter("ab"), "args": argparse.Namespace()}, path)
    found = checkpoint_files.opened(path)
    refused = sorted({"argparse.Namespace"} | ({"collections.Counter"} if _refused(collections.Counter()) else set()))
    assert found.refused_globals == refused
    assert advice.to_load(found).endswith(f"it loads after {unpickling.allowlist_call(refused)}.")
    both = Opened(path, refused_globals=["argparse.Namespace", "collections.Counter"])
    assert advice.to_load(both).endswith(
        "it loads after torch.serialization.add_safe_globals([argparse.Namespace, collections.Counter])."
    )


def test_a_defaultdict_is_read_but_never_suggested(tmp_path: Path) -> None:
    """A defaultdict is inert and read for real; torch cannot fill one even allowlisted, so re-saving is advised."""
    path = tmp_path / "counts.pt"
    torch.save({"optimizer": adam_state(), "seen": collections.defaultdict(list, {"a": [1]})}, path)
    found = checkpoint_files.opened(path)
    assert found.content["seen"] == {"a": [1]} and found.content["seen"].default_factory is list
    assert "add_safe_globals" not in advice.to_load(found)
    assert "cannot fill one even allowlisted" in advice.to_load(found)
    with (
        torch.serialization.safe_globals([collections.defaultdict, list]),
        pytest.raises(pickle.UnpicklingError, match="Can only SETITEM for dict"),
    ):
        torch.load(path, weights_only=True)


def test_a_mixed_file_suggests_no_allowlist(tmp_path: Path) -> None:
    """Plain data beside a callable: the callable is the danger, and no allowlist is printed at all."""
    marker = tmp_path / "ran"
    path = saved_with(tmp_path / "mixed.pt", [argparse.Namespace(), Runs(io.open, str(marker), "w")])
    found = checkpoint_files.opened(path)
    said = advice.to_load(found)
    assert "add_safe_globals" not in said and "(io.open)" in said and "argparse" not in said
    assert not marker.exists()


def test_the_refusal_applies_where_weights_only_is_the_default(tmp_path: Path) -> None:
    """torch.load refuses by default from 2.6 on; before, check says the default load runs the file's pickle."""
    assert [checkpoint_files.refusal_applies(r) for r in ("1.13", "2.5", "2.6", "2.15")] == [False, False, True, True]
    path = saved_with(tmp_path / "evil.pt", Runs(io.open, str(tmp_path / "ran"), "w"))
    if versions.at_least(versions.installed(), checkpoint_files.WEIGHTS_ONLY_DEFAULT):
        with pytest.raises(pickle.UnpicklingError):
            torch.load(path)  # this release's default: what the refusal line says
    found = checkpoint_files.opened(path)
    older = advice.to_load(found, "2.4")
    assert older.startswith("On torch 2.4 torch.load defaults to weights_only=False: the file loads there with")
    assert "do not load this file unless you wrote it" in older and "add_safe_globals" not in older
    assert advice.to_load(found, "2.15") == advice.to_load(found)


def test_a_torch_ignoring_pickle_module_is_not_read_past(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where torch.load ignores pickle_module (1.13's does), the file is not read past its refusal: nothing runs."""
    assert unpickling.honoured()  # this torch unpickles through it
    monkeypatch.setattr(unpickling, "honoured", lambda: False)
    marker = tmp_path / "ran"
    found = checkpoint_files.opened(saved_with(tmp_path / "evil.pt", Runs(io.open, str(marker), "w")))
    assert found.content is None and not marker.exists()
    assert found.unread is not None and found.unread.endswith("ignores pickle_module; it takes torch 2.0 or later")
    assert advice.how_read(found).startswith("not loaded: weights_only=True refused it")
