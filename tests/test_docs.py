"""The docs as written: every repository path README.md and docs/ name exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = ("compat/", "props/", "tests/", "docs/", "reports/", ".ci/", "noxfile.py", "tox.ini", "pyproject.toml")


def named_paths(text: str) -> set[str]:
    """Return the repository paths a page names in backticks or links (placeholders and generated runs left out)."""
    found = set(re.findall(r"`([^`\s]+)`", text)) | set(re.findall(r"\]\(([^)#\s]+)", text))
    return {
        p.split(":")[0]
        for p in found
        if p.startswith(TOP) and not re.search(r"[<>*]|\.\.\.|\{", p) and "/third-party/" not in p
    }


def test_every_path_the_docs_name_exists():
    named = {(page, path) for page in DOCS for path in named_paths(page.read_text(encoding="utf-8"))}
    assert len(named) > 20  # the pattern finds the paths the pages name
    missing = [
        f"{page.relative_to(ROOT)}: {path}"
        for page, path in sorted(named)
        if not ((ROOT / path).exists() or (page.parent / path).exists())  # from the root, or relative to the page
    ]
    assert missing == []


def test_a_path_that_is_not_there_is_found_missing():
    assert named_paths("see `compat/optimizers.py:SPECS` and [x](docs/nowhere.md)") == {
        "compat/optimizers.py",
        "docs/nowhere.md",
    }
    assert not (ROOT / "compat/optimizers.py").exists()
