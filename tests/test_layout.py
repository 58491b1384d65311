"""The package is laid out as the data flow: one folder per stage, each module small enough to read."""

import ast
from pathlib import Path

import pytest

COMPAT = Path(__file__).resolve().parents[1] / "compat"
STAGES = ("catalog", "run", "record", "matrix", "report")
MODULES = sorted(COMPAT.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(COMPAT)))
def test_every_module_is_under_400_lines(module: Path):
    assert len(module.read_text().splitlines()) < 400


def test_compat_holds_only_the_stages_and_its_entry_points():
    folders = sorted(p.name for p in COMPAT.iterdir() if p.is_dir() and p.name != "__pycache__")
    modules = sorted(p.name for p in COMPAT.glob("*.py"))
    assert folders == sorted(STAGES)
    assert modules == ["__init__.py", "__main__.py", "cli.py"]


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_says_what_it_holds(stage: str):
    docstring = ast.get_docstring(ast.parse((COMPAT / stage / "__init__.py").read_text()))
    assert docstring and len(docstring.splitlines()) >= 2
