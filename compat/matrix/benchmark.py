"""Benchmark of the property suite: wall time, peak memory and examples per second.

``python -m compat.matrix.benchmark`` runs ``pytest props`` under a profile (``ci`` by default) in a
child process, reads the result file it writes, and prints the figures, per claim category
too. ``--matrix`` instead runs the whole matrix afresh (every supported release, fixtures
included) and prints its wall time, each release's install and run time and the peak disk;
``--split`` runs it under cProfile and prints where the time goes (by package, and by step);
``--zoo`` runs the third-party zoo (``python -m compat.matrix.zoo``) and prints its probe, suite and
total times; ``--html [PAGE]`` opens reports/index.html in headless Chromium and prints its size,
DOMContentLoaded and the time each filter takes to the next frame.
Targets are printed beside the figures; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from compat.catalog import claims
from compat.matrix import bench_history, floor
from compat.record import recorder

TARGET_SECONDS = {"ci": 150.0}  # the whole ci run, optimizers and schedulers, on 2 cores
MATRIX_TARGET_SECONDS = 960.0  # every supported release, warm package cache, 2 cores


def matrix_figures(jobs: int, profile: str) -> int:
    """Run the full matrix afresh under ``profile`` and print its figures (the runner prints each release's)."""
    from compat.matrix import processes
    from compat.matrix import runner as matrix

    kind = f"matrix-{profile}-jobs{jobs}"
    commit = recorder.project_commit()
    before = bench_history.earlier(kind, commit)
    target = f"target < {MATRIX_TARGET_SECONDS:.0f} s"
    print(f"benchmark: full matrix, profile {profile}, {jobs} releases at a time, {os.cpu_count()} CPUs; {target}")
    started = time.monotonic()
    try:
        with processes.stoppable(matrix.ENVS):
            status = matrix.main([], fresh=True, keep_envs=False, profile=profile, jobs=jobs)
    except processes.Interrupted as stopped:
        print("\n".join(stopped.lines))
        return stopped.status
    wall = time.monotonic() - started
    verdict = "within" if wall < MATRIX_TARGET_SECONDS else "OVER"
    print(f"benchmark: full matrix wall time, s {bench_history.beside('wall_s', wall, before)} ({verdict} the target)")
    print(f"benchmark: figures kept in {bench_history.kept(kind, commit, {'wall_s': wall})}")
    return status


def zoo_figures() -> int:
    """Run the zoo on the installed torch and print its wall time (the zoo prints its parts)."""
    from compat.matrix import zoo

    print(f"benchmark: the third-party zoo on {os.cpu_count()} CPUs")
    started = time.monotonic()
    status = zoo.main([])
    print(f"benchmark: zoo wall time {time.monotonic() - started:.0f} s")
    return status


HTML_TARGETS = {"bytes": 2_000_000, "dom_content_loaded_ms": 2000.0, "filter_ms": 200.0}
FILTERS = (
    ("subject", "torch.optim.Adam"),
    ("subject", ""),
    ("torch", "2.6"),
    ("torch", ""),
    ("outcome", "violated"),
    ("outcome", ""),
)
MEASURE_FILTER = """async ([field, value]) => {
  const select = document.querySelector(`select[data-field="${field}"]`);
  const started = performance.now();
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - started;
}"""


def html_figures(page: Path) -> int:
    """Open ``page`` in headless Chromium; print its size, DOMContentLoaded and each filter's time to the next frame."""
    import shutil

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("benchmark: not run: playwright is not installed (pip install playwright)", file=sys.stderr)
        return 1
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("benchmark: not run: no chromium on this machine (apt-get install chromium)", file=sys.stderr)
        return 1
    size = page.stat().st_size
    print(f"benchmark: {page}, {os.cpu_count()} CPUs, headless {Path(chromium).name}")
    print(f"size                {size / 1e6:8.2f} MB  (target < {HTML_TARGETS['bytes'] / 1e6:.0f} MB)")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        opened = browser.new_page()
        opened.goto(page.resolve().as_uri(), wait_until="load")
        loaded = opened.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        nodes = opened.evaluate("document.getElementsByTagName('*').length")
        print(f"DOMContentLoaded    {loaded:8.0f} ms  (target < {HTML_TARGETS['dom_content_loaded_ms']:.0f} ms)")
        print(f"DOM nodes           {nodes:8d}")
        for field, value in FILTERS:
            spent = opened.evaluate(MEASURE_FILTER, [field, value])
            shown = f"{field}={value or 'all'}"
            print(f"filter {shown:<24} {spent:6.0f} ms to the next frame (target < {HTML_TARGETS['filter_ms']:.0f} ms)")
        browser.close()
    return 0


CHECK_TARGETS = {"seconds": 10.0, "memory_over_size": 2.0}


def check_figures(gigabytes: float) -> int:
    """Time ``check`` on a checkpoint of ``gigabytes`` of model weights beside an Adam and a scheduler state."""
    import torch

    with tempfile.TemporaryDirectory(prefix="compat-check-bench-") as folder:
        path = Path(folder) / "checkpoint.pt"
        weights = {f"layer{i}.weight": torch.randn(1024, 1024) for i in range(round(gigabytes * 256))}
        params = [torch.nn.Parameter(torch.randn(64, 64)) for _ in range(4)]
        optimizer = torch.optim.Adam(params, lr=1e-3)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
        for param in params:
            param.grad = torch.ones_like(param)
        optimizer.step()
        scheduler.step()
        torch.save(
            {"model": weights, "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, str(path)
        )
        del weights
        size = path.stat().st_size
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "compat", "check", str(path)], capture_output=True, text=True, check=False
        )
        wall = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    importing = subprocess.run(  # what importing torch alone takes (a CUDA build maps its libraries)
        [sys.executable, "-c", "import resource, torch; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
        capture_output=True,
        text=True,
        check=True,
    )
    baseline = int(importing.stdout.strip()) * 1024
    print(f"benchmark: python -m compat check on a {size / 2**30:.2f} GiB checkpoint, {os.cpu_count()} CPUs")
    print(done.stdout.strip().splitlines()[0] if done.stdout.strip() else done.stderr.strip())  # the summary
    print(f"wall time        {wall:8.2f} s    (target < {CHECK_TARGETS['seconds']:.0f} s)")
    print(
        f"peak memory      {peak / 2**20:8.0f} MiB  = {peak / size:.2f}x the file "
        f"(target < {CHECK_TARGETS['memory_over_size']:.0f}x; max RSS of the check process)"
    )
    print(
        f"  of which torch {baseline / 2**20:8.0f} MiB (importing it alone); the rest, "
        f"{(peak - baseline) / 2**20:.0f} MiB, is {(peak - baseline) / size:.2f}x the file"
    )
    return 0 if done.returncode in (0, 1) else done.returncode


# Where a props run's time goes: each function's own time (cProfile's tottime) by the package it is in, so the
# parts add up to the whole; and a few steps by their cumulative time (they overlap the packages).
PACKAGES = (("torch", "/torch/"), ("hypothesis", "/hypothesis/"), ("compat", "/compat/"), ("props", "/props/"))
STEPS = (
    ("drawing cases (props.strategies.cases)", "props/strategies.py", "cases"),
    ("training (compat.run.engine.train)", "compat/run/engine.py", "train"),
    ("building optimizers (engine.optimizer)", "compat/run/engine.py", "optimizer"),
    ("torch.save/torch.load (engine.through_storage)", "compat/run/engine.py", "through_storage"),
    ("reducing a violation (conditions.simplest)", "compat/run/conditions.py", "simplest"),
    ("writing reproducers (repro.repro_script)", "compat/record/repro.py", "repro_script"),
)


def split_figures(profile: str, pytest_args: list[str]) -> int:
    """Run the suite under cProfile and print where its time goes: by package, and by step."""
    import pstats

    with tempfile.TemporaryDirectory(prefix="compat-split-") as folder:
        out = Path(folder) / "props.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "pytest", "props", "-q", "-p", "no:randomly"]
        done = subprocess.run([*command, "--hypothesis-profile", profile, *pytest_args], capture_output=True, text=True)
        if not out.exists():
            print(done.stdout[-2000:] + done.stderr[-2000:], file=sys.stderr)
            return done.returncode or 1
        stats = pstats.Stats(str(out)).stats  # (file, line, name) -> (calls, primitive, tottime, cumtime, callers)
    total = sum(entry[2] for entry in stats.values())
    own: dict[str, float] = defaultdict(float)
    for (file, _, function), entry in stats.items():
        where = f"/torch/{function}" if file == "~" and "torch" in function else file  # torch's C ops are built-ins
        own[next((name for name, marker in PACKAGES if marker in where), "other (pytest, Python)")] += entry[2]
    print(f"benchmark: where the time of the {profile} props run goes (under cProfile: {total:.0f} s of own time)")
    for name, seconds in sorted(own.items(), key=lambda item: -item[1]):
        print(f"  own time in {name:<28} {seconds:8.1f} s  {seconds / total:6.1%}")
    for label, file, function in STEPS:
        spent = max((e[3] for (f, _, n), e in stats.items() if f.endswith(file) and n == function), default=0.0)
        print(f"  {label:<48} {spent:8.1f} s  {spent / total:6.1%} (cumulative)")
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    """Run the suite once and print its figures; return pytest's exit status."""
    parser = argparse.ArgumentParser(prog="python -m compat.matrix.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="ci", help="Hypothesis profile (default: ci)")
    parser.add_argument("--matrix", action="store_true", help="time the full matrix instead (rewrites results/)")
    parser.add_argument("--jobs", type=int, default=2, help="with --matrix: releases at a time (default 2)")
    parser.add_argument("--zoo", action="store_true", help="time the third-party zoo instead (rewrites results/zoo-*)")
    parser.add_argument(
        "--html", type=Path, nargs="?", const=Path("reports/index.html"), help="time the HTML report in Chromium"
    )
    parser.add_argument(
        "--floor-examples", type=int, default=32, help="cases per optimizer timed against the plain-torch floor"
    )
    parser.add_argument(
        "--check", type=float, nargs="?", const=1.0, metavar="GB", help="time `check` on a GB-sized checkpoint"
    )
    parser.add_argument("--split", action="store_true", help="where the props run's time goes, under cProfile")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    if args.split:
        return split_figures(args.profile, args.pytest_args)
    if args.html:
        return html_figures(args.html)
    if args.check:
        return check_figures(args.check)
    if args.matrix:
        return matrix_figures(args.jobs, args.profile)
    if args.zoo:
        return zoo_figures()
    with tempfile.TemporaryDirectory(prefix="compat-bench-") as folder:
        result = Path(folder) / "result.json"
        command = [sys.executable, "-m", "pytest", "props", "-q", "-p", "no:randomly"]
        command += ["--hypothesis-profile", args.profile, f"--compat-json={result}", *args.pytest_args]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if not result.exists():
            print(done.stdout[-2000:] + done.stderr[-2000:], file=sys.stderr)
            print("benchmark: the suite wrote no result file", file=sys.stderr)
            return done.returncode or 1
        document = json.loads(result.read_text(encoding="utf-8"))
    examples = document["examples"]
    by_file: dict[str, float] = defaultdict(float)
    by_part: dict[str, float] = defaultdict(float)
    for record in document["records"]:
        checked = claims.get(record["claim"])
        by_file[f"props/test_{checked.category}.py"] += record["seconds"]
        by_part[checked.subjects] += record["seconds"]
    timed = floor.timed_cases(args.floor_examples)
    figures = {
        "wall_s": wall,
        "peak_mib": peak_mib,
        "examples": float(examples),
        "examples_per_s": examples / wall,
        "cases": float(document.get("cases", examples)),
        "cases_per_s": document.get("cases", examples) / wall,
        **{f"part:{part}": seconds for part, seconds in by_part.items()},
        **{f"file:{name}": seconds for name, seconds in by_file.items()},
        **timed.figures(),
    }
    kind = f"props-{args.profile}-torch{document['torch'].split('+')[0]}"
    if args.pytest_args:  # a selection is compared only with the same selection
        kind += "-" + hashlib.sha256(" ".join(args.pytest_args).encode()).hexdigest()[:8]
    commit = recorder.project_commit()
    before = bench_history.earlier(kind, commit)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    target = TARGET_SECONDS.get(args.profile)
    print(f"torch {document['torch']}, Hypothesis profile {args.profile}, {os.cpu_count()} CPUs, commit {commit[:12]}")
    print(f"pytest: {summary}")
    shown = [
        ("wall time, s", "wall_s", f"target < {target:.0f}" if target else ""),
        ("peak memory, MiB", "peak_mib", "max RSS of the pytest process"),
        ("examples", "examples", ""),
        ("claim-examples/s", "examples_per_s", "a case checked against k claims counts k"),
        ("cases", "cases", "drawn or pinned (claims share a search: compat.record.traces)"),
        ("cases/s", "cases_per_s", ""),
    ]
    for label, name, note in shown:
        print(bench_history.row(label, name, figures[name], before, note))
    print("time in tests by part, s:")
    for part, seconds in sorted(by_part.items()):
        print("  " + bench_history.row(part, f"part:{part}", seconds, before, width=37))
    print("time in tests by file, s:")
    for name, seconds in sorted(by_file.items(), key=lambda item: -item[1]):
        print("  " + bench_history.row(name, f"file:{name}", seconds, before, width=37))
    print("\n".join(timed.lines(before)))
    print(f"benchmark: figures kept in {bench_history.kept(kind, commit, figures)}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
