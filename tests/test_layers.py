"""The stages import forward only: compat/catalog imports nothing from run, record, matrix or report.

Every module under compat/catalog is read as source, so an import inside a function or under
``if TYPE_CHECKING:`` counts as much as one at the top. What the catalog names in a later stage by a
string (a claim's torch-measured condition, a pinned example's variant) is checked to exist there.
"""

import ast
from pathlib import Path

import pytest

from compat.catalog import claims, expectations
from compat.run import applicability, examples

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "compat" / "catalog"
LATER = ("compat.run", "compat.record", "compat.matrix", "compat.report")
IMPORTERS = ("import_module", "__import__")


def _package(path):
    """Return the dotted package ``path`` (a module under compat/) is in."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts if path.name == "__init__.py" else parts[:-1])


def _absolute(node, package):
    """Return the module a ``from ... import`` names, a relative one resolved against ``package``."""
    if not node.level:
        return node.module
    parts = package.split(".")
    base = parts[: len(parts) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _imported(source, package):
    """Return (line, module) for everything ``source`` (a module of ``package``) imports, wherever it is."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)  # each name counts: ``from compat import run`` imports a stage
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in IMPORTERS and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def _later(module):
    return any(module == stage or module.startswith(f"{stage}.") for stage in LATER)


def test_the_catalog_imports_no_later_stage_anywhere_in_its_modules():
    offending = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted(CATALOG.rglob("*.py"))
        for line, module in _imported(path.read_text(encoding="utf-8"), _package(path))
        if _later(module)
    ]
    assert not offending, "compat/catalog imports a later stage:\n" + "\n".join(offending)


@pytest.mark.parametrize(
    ("source", "imported"),
    [
        ("from compat.run import engine", True),
        ("import compat.record.script", True),
        ("from compat import matrix", True),
        ("def f():\n    from compat.report.pages import x", True),
        ("if TYPE_CHECKING:\n    from compat.record.script import Writer", True),
        ("from ...run import engine", True),
        ("importlib.import_module('compat.run.resumption')", True),
        ("from compat.catalog import specs\nimport torch", False),
        ("from compat.runner import x", False),
        ("from .. import versions", False),
    ],
)
def test_the_layer_check_sees_every_form_of_import(source, imported):
    found = [module for _, module in _imported(source, "compat.catalog.claims")]
    assert any(map(_later, found)) is imported, found


def test_every_condition_a_claim_names_by_string_is_a_function_in_compat_run():
    named = [claim for claim in claims.CATALOG.values() if isinstance(claim.applies, str)]
    assert named, "no claim names a torch-measured condition: this test would check nothing"
    for claim in named:
        assert callable(applicability.condition(claim)), f"{claim.id}: {claim.applies}"


def test_the_pinned_examples_the_catalog_names_are_the_variants_compat_run_builds():
    assert tuple(examples.VARIANTS) == expectations.EXAMPLES
