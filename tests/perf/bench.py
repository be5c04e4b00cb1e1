"""The build benchmark: `python -m tests.perf.bench [SIZE ...]` (default 200 1000 5000).

For each size it generates a synthetic guide, measures the bare loop (read +
python-frontmatter + one reused Markdown(extra, toc) + a trivial Jinja
template + write, one core) on the same Markdown files, then times `guide
build` in a new process for each scenario, and Pelican and MkDocs building
the same bodies (`tests.perf.peers`; they install from the `bench` extra and
are left out, with a note, where they are not installed). It prints medians
of at least three runs, their ratio to the bare loop and to the faster peer,
the processor time of the build and its workers (user and system), the share
of the cores' time left idle over the run, the page faults after forking
(minor faults of the workers), and the peak memory of the build process and
of its largest worker. The guide's `base_url` is left out, as no peer draws
share images; `tests.perf.media_bench` measures those.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import jinja2
import markdown

from builder.diagnostics import Diagnostics
from builder.pipeline import Builder, BuildOptions
from tests.perf.generate import generated_guides, sizes_asked
from tests.perf.peers import PEERS

RUNS = 3
CORES = os.cpu_count() or 1
_RUN = """
import importlib, json, resource, runpy, sys, time
importlib.import_module(sys.argv[1])
sys.argv = sys.argv[2:]
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
try:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    code = 0
except SystemExit as end:
    code = end.code or 0
seconds = time.perf_counter() - started
own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
report = {
    "code": code, "seconds": seconds, "self_kb": own.ru_maxrss, "children_kb": workers.ru_maxrss,
    "user": own.ru_utime - before.ru_utime + workers.ru_utime,
    "system": own.ru_stime - before.ru_stime + workers.ru_stime,
    "faults": own.ru_minflt - before.ru_minflt, "worker_faults": workers.ru_minflt,
}
print(json.dumps(report), file=sys.stderr)
"""
"""Imports PRELOAD, then runs `python -m MODULE ARGS...` and reports its time (imports aside, as the tables always
measured it), its processor time and peak memory, and its workers'."""


def bare_loop(content: Path, output: Path) -> float:
    """Seconds for the bare loop over every Markdown file of the guide, in this one process."""
    converter = markdown.Markdown(extensions=["extra", "toc"])
    template = jinja2.Template("<html><head><title>{{ title }}</title></head><body>{{ body }}</body></html>")
    sources = sorted(content.rglob("*.md"))
    output.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for number, path in enumerate(sources):
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        converter.reset()
        html = template.render(title=post.get("title", ""), body=converter.convert(post.content))
        (output / f"{number}.html").write_text(html, encoding="utf-8")
    return time.perf_counter() - started


def timed_run(folder: Path, preload: str, module: str, *arguments: str) -> tuple[dict[str, float], str]:
    """`python -m module arguments` in a new process in `folder`, `preload` imported before the clock starts:
    its report (see `_RUN`) and what it printed."""
    command = [sys.executable, "-c", _RUN, preload, module, *arguments]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, result.stderr
    return report, result.stdout


def timed_build(folder: Path, *arguments: str) -> dict[str, float]:
    """One `guide build` in a new process: seconds inside it, peak memory of it and its workers, pictures made."""
    report, printed = timed_run(folder, "builder.cli", "builder", "build", *arguments)
    made = re.search(r"; (\d+) pictures? made", printed)
    report["made"] = int(made.group(1)) if made else 0
    return report


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def scenarios(folder: Path) -> dict[str, list[dict[str, float]]]:
    """Every scenario RUNS times; edits alternate between two states so each run changes something."""
    content = folder / "content"
    exercise = content / "exercises" / "exercise-00001.md"
    theme = folder / "templates"
    theme.mkdir()
    shutil.copy(Path(__file__).parents[2] / "templates" / "exercise.html", theme / "exercise.html")
    runs: dict[str, list[dict[str, float]]] = {
        name: [] for name in ("clean", "clean, --jobs 1", "warm", "body edit", "title edit", "template edit")
    }
    for run in range(RUNS):
        for name, jobs in (("clean", []), ("clean, --jobs 1", ["--jobs", "1"])):
            shutil.rmtree(folder / "output", ignore_errors=True)
            shutil.rmtree(folder / ".guide-cache", ignore_errors=True)
            runs[name].append(timed_build(folder, *jobs))
        runs["warm"].append(timed_build(folder))
        edit(exercise, "## Part 1", f"## Part 1\n\nAn added sentence, run {run}.")
        runs["body edit"].append(timed_build(folder))
        edit(exercise, "\ntitle: ", f"\ntitle: Edited {run}, ")
        runs["title edit"].append(timed_build(folder))
        edit(theme / "exercise.html", "{% block main %}", f"{{% block main %}}<!-- run {run} -->")
        runs["template edit"].append(timed_build(folder))
    return runs


def in_process_rebuilds(folder: Path) -> list[float]:
    """Seconds for `Builder.rebuild` after a body edit, in a process that built the guide once before."""
    content = folder / "content"
    exercise = content / "exercises" / "exercise-00002.md"
    builder = Builder(BuildOptions(content=content, output=folder / "rebuilt", cache=folder / "rebuild-cache"))
    assert builder.build(Diagnostics()) is not None
    seconds = []
    for run in range(RUNS):
        edit(exercise, "## Part 1", f"## Part 1\n\nRebuilt, run {run}.")
        started = time.perf_counter()
        assert builder.rebuild([exercise], Diagnostics()) is not None
        seconds.append(time.perf_counter() - started)
    return seconds


def peer_runs(folder: Path) -> dict[str, list[dict[str, float]]]:
    """Each installed peer's clean builds of the guide's bodies, RUNS times; a peer not installed is left out."""
    runs: dict[str, list[dict[str, float]]] = {}
    for name, (make_project, (preload, module, *arguments)) in PEERS.items():
        if importlib.util.find_spec(module) is None:
            print(f"({name} is not installed: pip install -e '.[bench]')")
            continue
        project = make_project(folder / "content", folder / f"peer-{module}")
        runs[name] = []
        for _ in range(RUNS):
            shutil.rmtree(project / "output", ignore_errors=True)
            runs[name].append(timed_run(project, preload, module, *arguments)[0])
    return runs


def without_base_url(folder: Path) -> None:
    """No share images, no feed: what the peers build with their quick start's settings (see the module's notes)."""
    settings = folder / "content" / "site.yml"
    settings.write_text(re.sub(r"base_url: .*\n", "", settings.read_text(encoding="utf-8")), encoding="utf-8")


_HEADER = (
    f"{'exercises':>9} {'scenario':<16} {'median s':>9} {'x bare':>6} {'x peer':>6} {'cpu s':>6} {'sys s':>6}"
    f" {'idle':>5} {'faults':>7} {'peak MB':>8} {'worker MB':>9}"
)


def row(size: int, name: str, reports: list[dict[str, float]], bare: float, peer: float | None) -> None:
    """One line of the table: medians over `reports`, ratios to the bare loop and to the faster peer."""
    seconds = statistics.median(report["seconds"] for report in reports)
    cpu = statistics.median(report["user"] + report["system"] for report in reports)
    system = statistics.median(report["system"] for report in reports)
    idle = statistics.median(1 - (r["user"] + r["system"]) / (CORES * r["seconds"]) for r in reports)
    faults = statistics.median(report["worker_faults"] for report in reports) / 1000
    peak = max(report["self_kb"] for report in reports) / 1024
    worker = max(report["children_kb"] for report in reports) / 1024
    versus = f"{seconds / peer:>6.2f}" if peer else f"{'':>6}"
    print(
        f"{size:>9} {name:<16} {seconds:>9.2f} {seconds / bare:>6.2f} {versus} {cpu:>6.1f} {system:>6.1f}"
        f" {idle:>5.0%} {faults:>6.0f}k {peak:>8.0f} {worker:>9.0f}"
    )


def main() -> None:
    sizes = sizes_asked(__doc__.splitlines()[0])
    print(f"cores: {CORES}; medians of {RUNS} runs; x bare = time / bare loop (one core, same files);")
    print("x peer = time / the faster peer's; idle = share of all cores' time unused; faults = workers' minor faults")
    print(_HEADER)
    for size, folder in generated_guides(sizes, "bench"):
        without_base_url(folder)
        bare = statistics.median(bare_loop(folder / "content", folder / f"bare-{n}") for n in range(RUNS))
        files = len(list((folder / "content").rglob("*.md")))
        each = bare / files * 1000
        print(f"{size:>9} {'bare loop':<16} {bare:>9.2f} {1:>6.2f} {'':>6}   ({each:.2f} ms a file, {files} files)")
        peers = peer_runs(folder)
        fastest = min((statistics.median(r["seconds"] for r in runs) for runs in peers.values()), default=None)
        for name, reports in peers.items():
            row(size, name, reports, bare, fastest)
        for name, reports in scenarios(folder).items():
            row(size, name, reports, bare, fastest)
        seconds = statistics.median(in_process_rebuilds(folder))
        print(f"{size:>9} {'rebuild()':<16} {seconds:>9.2f} {seconds / bare:>6.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
