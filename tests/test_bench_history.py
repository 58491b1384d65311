"""The benchmark's figures kept in bench/: the earlier run a figure is printed beside."""

from __future__ import annotations

import json
from pathlib import Path

from compat.matrix import bench_history


def test_a_run_is_compared_with_the_newest_run_at_another_commit(tmp_path: Path) -> None:
    """The newest file of the kind written at another commit is the comparison; this commit's own is not."""
    bench_history.kept("props-ci", "aaa", {"wall_s": 100.0}, tmp_path)
    bench_history.kept("props-ci", "bbb", {"wall_s": 90.0}, tmp_path)
    bench_history.kept("props-ci", "ccc", {"wall_s": 80.0}, tmp_path)
    bench_history.kept("matrix-ci", "ddd", {"wall_s": 5.0}, tmp_path)
    documents = sorted(tmp_path.glob("props-ci-*.json"))
    for minute, path in enumerate(documents):  # written in one second: order them explicitly
        document = json.loads(path.read_text())
        path.write_text(json.dumps({**document, "written": f"2026-01-01T00:0{minute}:00+00:00"}))
    earlier = bench_history.earlier("props-ci", "ccc", tmp_path)
    assert earlier is not None and earlier.commit == "bbb" and earlier.figures == {"wall_s": 90.0}


def test_a_file_it_cannot_read_gives_no_comparison(tmp_path: Path) -> None:
    """A half-written or foreign file in bench/ is passed over, not an error."""
    (tmp_path / "props-ci-broken.json").write_text('{"kind": "props-ci", "comm')
    (tmp_path / "props-ci-foreign.json").write_text('{"something": "else"}')
    assert bench_history.earlier("props-ci", "now", tmp_path) is None
    assert bench_history.earlier("props-ci", "now", tmp_path / "absent") is None


def test_a_figure_is_shown_beside_its_earlier_value_and_the_change() -> None:
    """beside() prints the earlier figure with its commit and the relative change; none without one."""
    earlier = bench_history.Earlier("0123456789abcdef", {"examples_per_s": 40.0})
    assert bench_history.beside("examples_per_s", 60.0, earlier).split() == [
        "60.0",
        "was",
        "40.0",
        "at",
        "0123456789",
        "(+50%)",
    ]
    assert bench_history.beside("wall_s", 60.0, earlier).strip() == "60.0"
    assert bench_history.beside("wall_s", 60.0, None).strip() == "60.0"
