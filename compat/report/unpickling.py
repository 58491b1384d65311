"""Reading a checkpoint past a weights_only refusal without running anything it names.

``Reading`` is a ``pickle_module`` for ``torch.load(weights_only=False)``: torch keeps its own zip and
legacy readers (storages, ``mmap``, ``map_location``) and unpickles through ``Reading.Unpickler``,
which builds only torch's tensor types (with torch's rebuild functions, as the weights_only unpickler
does) and the inert data classes of ``INERT_DATA``. Every other global the file names, known to run
code (``io.open``, ``posix.system``, ``builtins.getattr``) or unknown (``__main__.MyConfig``), becomes a
``Placeholder`` that records what the pickle did with it. ``torch.load`` unpickles through the
``pickle_module`` it is given from torch 2.0 on; 1.13's ignores it, which ``honoured()`` detects.

NOTE: [why not torch's weights_only unpickler with placeholders allowlisted]
``torch.serialization.safe_globals([(placeholder, "io.open")])`` (the tuple form since torch 2.6)
could map each refused name to a placeholder, but that unpickler refuses modules ``os``, ``posix``,
``sys`` and ``nt`` even when allowlisted, and refuses REDUCE on anything but an allowlisted global, so
``getattr(pathlib.Path, "touch")(path)`` (a call of a call's result) cannot be read past; and it needs
torch 2.6 (2.4 has no tuple form, 2.5 no ``get_unsafe_globals_in_checkpoint``).
"""

from __future__ import annotations

import _compat_pickle
import argparse
import collections
import datetime
import functools
import importlib
import io
import pathlib
import pickle
import reprlib
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar

import torch

# NOTE: [inert data]
# A class is inert data when building it from whatever arguments and state a file gives stores
# them and does nothing else: no I/O, no import, no call of anything the file chose. These are read
# for real; torch.serialization.add_safe_globals may be suggested for them (compat.report.check).
# collections.defaultdict stores its default_factory and calls it, without arguments, only when a
# missing key is looked up later, never while unpickling; the factory is a global of the file like
# any other, so it is a placeholder (calling one only records) unless it is itself inert data here.
# So defaultdict is inert exactly when its factory is, and the factory is judged on its own name.
INERT_DATA: dict[str, Any] = {
    "argparse.Namespace": argparse.Namespace,
    "builtins.bool": bool,
    "builtins.bytearray": bytearray,
    "builtins.bytes": bytes,  # protocol 2 pickles b"" as bytes()
    "builtins.complex": complex,
    "builtins.dict": dict,
    "builtins.float": float,
    "builtins.frozenset": frozenset,
    "builtins.int": int,
    "builtins.list": list,
    "builtins.range": range,
    "builtins.set": set,
    "builtins.slice": slice,
    "builtins.str": str,
    "builtins.tuple": tuple,
    "collections.Counter": collections.Counter,
    "collections.OrderedDict": collections.OrderedDict,
    "collections.defaultdict": collections.defaultdict,
    "collections.deque": collections.deque,
    "datetime.date": datetime.date,
    "datetime.datetime": datetime.datetime,
    "datetime.time": datetime.time,
    "datetime.timedelta": datetime.timedelta,
    "datetime.timezone": datetime.timezone,
    # Building a path parses its string; it never touches the file system. Python 3.13 moved the
    # classes to pathlib._local, the name a file saved there carries.
    "pathlib.Path": pathlib.Path,
    **{
        f"{module}.{cls.__name__}": cls
        for cls in (pathlib.PosixPath, pathlib.PurePosixPath, pathlib.PureWindowsPath)
        for module in ("pathlib", "pathlib._local")
    },
}
# Inert, but torch.load(weights_only=True) cannot fill them even allowlisted: it runs SETITEMS only on
# dict, OrderedDict and Counter and APPENDS only on list (torch/_weights_only_unpickler.py), so only an
# empty one loads. Never suggested for the allowlist.
UNFILLABLE = frozenset({"collections.defaultdict", "collections.deque"})

# What torch's own weights_only unpickler builds tensors, parameters and storages with; a name missing
# on an older torch is left out (and read as a placeholder if a file names it).
TORCH_OWN = (
    "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_tensor_v3",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
    "torch._utils._rebuild_qtensor",
    "torch._utils._rebuild_sparse_tensor",
    "torch._utils._rebuild_meta_tensor_no_storage",
    "torch._utils._rebuild_wrapper_subclass",
    "torch._utils._rebuild_device_tensor_from_numpy",
    "torch._utils._rebuild_device_tensor_from_cpu_tensor",
    "torch._tensor._rebuild_from_type_v2",
    "torch.serialization._get_layout",
    "_codecs.encode",  # protocol 2 pickles bytes as _codecs.encode(text, "latin1")
    "torch.Size",
    "torch.Tensor",
    "torch.device",
    "torch.nn.parameter.Parameter",
    "torch.storage.TypedStorage",
    "torch.storage.UntypedStorage",
)


@dataclass(eq=False, repr=False)
class Placeholder:
    """A global the file names, never looked up: what the pickle called it with and gave it, and nothing more.

    Compared and hashed by identity; not a Mapping, so a state is never looked for inside one.
    """

    name: str  # the global, e.g. io.open or __main__.MyConfig
    args: tuple[Any, ...] | None = None  # what it was called (or its class built) with; None: never called
    kwargs: dict[str, Any] = field(default_factory=dict)
    state: Any = None  # what BUILD gave its __setstate__
    appended: list[Any] = field(default_factory=list)  # APPEND(S) on it: a list subclass's items
    assigned: list[tuple[Any, Any]] = field(default_factory=list)  # SETITEM(S) on it: a dict subclass's items
    callee: Placeholder | None = None  # the placeholder called to make this one, when that was a call's result

    def __call__(self, /, *args: Any, **kwargs: Any) -> Placeholder:
        """Return a placeholder recording this call."""
        return Placeholder(self.name, args, kwargs, callee=self if self.args is not None else None)

    def __setstate__(self, state: Any) -> None:
        """Record ``state``, which the real class would have set itself from."""
        self.state = state

    def append(self, item: Any) -> None:
        """Record ``item``, which the real object would have appended."""
        self.appended.append(item)

    def __setitem__(self, key: Any, value: Any) -> None:
        """Record ``key`` and ``value``, which the real object would have stored."""
        self.assigned.append((key, value))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        """Return ``Placeholder(name=..., args=...)`` with the fields the pickle set."""
        shown = [f"name={self.name!r}"]
        if self.callee is not None:
            shown.append(f"callee={self.callee!r}")
        for label in ("args", "kwargs", "state", "appended", "assigned"):
            if getattr(self, label) or (label == "args" and self.args is not None):
                shown.append(f"{label}={getattr(self, label)!r}")
        return f"Placeholder({', '.join(shown)})"


class Reading:
    """One ``torch.load`` through the restricted unpickler: pass it as ``pickle_module``, then read ``replaced``."""

    def __init__(self) -> None:
        self.__name__ = __name__  # torch.load reads pickle_module.__name__ (to check dill's version)
        self.replaced: list[str] = []  # the globals read as placeholders, in the order the file names them
        self.Unpickler = type("Unpickler", (RestrictedUnpickler,), {"replaced": self.replaced})

    def load(self, file: BinaryIO, **options: Any) -> Any:
        """Return the next object pickled in ``file`` (the legacy format's headers are read this way)."""
        return self.Unpickler(file, **options).load()


class RestrictedUnpickler(pickle._Unpickler):
    """Pickle's own Python unpickler, calling nothing but torch's tensor rebuilds and inert data classes.

    Globals come only from ``find_class`` (inert, torch's own, or a placeholder), and every opcode
    that calls or sets state on an object (REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ, BUILD) is checked
    here; the C unpickler could not check BUILD, which would set attributes on a class it names.
    """

    replaced: ClassVar[list[str]]  # set per reading by Reading
    dispatch: ClassVar[dict[int, Any]] = dict(pickle._Unpickler.dispatch)

    def find_class(self, module: str, name: str) -> Any:
        """Return the inert class or torch function ``module.name`` stands for, else a placeholder; import nothing."""
        if self.proto < 3 and self.fix_imports:  # the Python 2 names a protocol-2 pickle writes, as pickle maps them
            if (module, name) in _compat_pickle.NAME_MAPPING:
                module, name = _compat_pickle.NAME_MAPPING[(module, name)]
            elif module in _compat_pickle.IMPORT_MAPPING:
                module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        found = _allowed().get(full)
        if found is not None:
            return found
        if full not in self.replaced:
            self.replaced.append(full)
        return Placeholder(full)

    def _instantiate(self, klass: Any, args: list[Any]) -> None:
        self.append(_called(klass, tuple(args), {}))

    def load_reduce(self) -> None:
        """REDUCE: call the function under the arguments, where it is a placeholder or allowed."""
        args = self.stack.pop()
        self.stack[-1] = _called(self.stack[-1], args, {})

    def load_newobj(self) -> None:
        """NEWOBJ: ``cls.__new__(cls, *args)``, where cls is a placeholder or allowed."""
        args = self.stack.pop()
        self.stack[-1] = _created(self.stack[-1], args, {})

    def load_newobj_ex(self) -> None:
        """NEWOBJ_EX: ``cls.__new__(cls, *args, **kwargs)``, where cls is a placeholder or allowed."""
        kwargs = self.stack.pop()
        args = self.stack.pop()
        self.stack[-1] = _created(self.stack[-1], args, kwargs)

    def load_build(self) -> None:
        """BUILD: set the state of a placeholder or of an instance of an allowed class, never of a class."""
        target = self.stack[-2]  # under the state BUILD pops first
        if not isinstance(target, Placeholder) and type(target) not in _allowed_classes():
            raise pickle.UnpicklingError(f"BUILD on {_named(target)}, neither a placeholder nor inert data")
        super().load_build()

    dispatch[pickle.REDUCE[0]] = load_reduce
    dispatch[pickle.NEWOBJ[0]] = load_newobj
    dispatch[pickle.NEWOBJ_EX[0]] = load_newobj_ex
    dispatch[pickle.BUILD[0]] = load_build


def _called(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Return ``function(*args, **kwargs)`` where function is a placeholder or allowed; refuse anything else."""
    if not isinstance(function, Placeholder) and id(function) not in _allowed_ids():
        raise pickle.UnpicklingError(f"the pickle calls {_named(function)}, neither a placeholder nor allowed")
    return function(*args, **kwargs)


def _created(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Return ``cls.__new__(cls, *args, **kwargs)`` (a placeholder records it); refuse a class not allowed."""
    if isinstance(cls, Placeholder):
        return cls(*args, **kwargs)
    if cls not in _allowed_classes():
        raise pickle.UnpicklingError(f"the pickle creates {_named(cls)}, neither a placeholder nor allowed")
    return cls.__new__(cls, *args, **kwargs)


def _named(value: Any) -> str:
    """Return what ``value`` is, for an error line, without calling anything of it."""
    return f"a {type(value).__module__}.{type(value).__qualname__}"


@functools.cache
def _allowed() -> dict[str, Any]:
    """Return every global the reader builds for real, by the name a pickle gives it."""
    allowed = dict(INERT_DATA)
    for name in TORCH_OWN:
        module, _, attribute = name.rpartition(".")
        value = getattr(importlib.import_module(module), attribute, None)
        if value is not None:
            allowed[name] = value
    # dtypes, layouts and quantization schemes pickle as torch.<name> (torch.float32, torch.per_tensor_affine)
    kinds = (torch.dtype, torch.layout, torch.qscheme)
    allowed.update({f"torch.{name}": value for name, value in vars(torch).items() if isinstance(value, kinds)})
    return allowed


@functools.cache
def _allowed_ids() -> frozenset[int]:
    """Return the ids of the allowed objects (functions and classes), which _allowed keeps alive."""
    return frozenset(id(value) for value in _allowed().values())


@functools.cache
def _allowed_classes() -> frozenset[type]:
    """Return the allowed classes: the only ones the reader creates and sets the state of."""
    return frozenset(value for value in _allowed().values() if isinstance(value, type))


class _Canary:
    """Pickles as ``len(())``: harmless if run, a placeholder if torch.load unpickles through a Reading."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (len, ((),))


@functools.cache
def honoured() -> bool:
    """Return whether this torch's ``torch.load(weights_only=False)`` unpickles with the pickle_module it is given.

    torch 1.13's replaces it with pickle whenever weights_only is False (2.0 fixed it), so a Reading
    passed there would run the file's code: it is tried on a canary that is harmless if run.
    """
    buffer = io.BytesIO()
    torch.save(_Canary(), buffer)
    buffer.seek(0)
    return isinstance(torch.load(buffer, weights_only=False, pickle_module=Reading()), Placeholder)


def allowlist_call(names: list[str]) -> str:
    """Return the ``torch.serialization.add_safe_globals([...])`` call that allowlists ``names`` (inert data only)."""
    shown = []
    for name in names:
        module, _, attribute = name.rpartition(".")
        public = ".".join(part for part in module.split(".") if not part.startswith("_"))
        shown.append(attribute if public == "builtins" else f"{public}.{attribute}")
    return f"torch.serialization.add_safe_globals([{', '.join(shown)}])"
