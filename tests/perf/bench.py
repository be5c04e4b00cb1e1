"""The build benchmark: `python -m tests.perf.bench [SIZE ...]` (default 200 1000 5000).

For each size it generates a synthetic guide, measures the bare loop (read +
python-frontmatter + one reused Markdown(extra, toc) + a trivial Jinja
template + write, one core) on the same Markdown files, then times `guide
build` in a new process for each scenario and prints medians of at least
three runs, their ratio to the bare loop, and the peak memory of the build
process and of its largest worker.
"""

from __future__ import annotations

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

RUNS = 3
_RUN_BUILD = """
import json, resource, sys, time
from builder.cli import main
started = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "seconds": seconds, "self_kb": usage[0], "children_kb": usage[1]}), file=sys.stderr)
"""


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


def timed_build(folder: Path, *arguments: str) -> dict[str, float]:
    """One `guide build` in a new process: seconds inside it, peak memory of it and its workers, pictures made."""
    command = [sys.executable, "-c", _RUN_BUILD, "build", *arguments]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, result.stderr
    made = re.search(r"; (\d+) pictures? made", result.stdout)
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


def main() -> None:
    sizes = sizes_asked(__doc__.splitlines()[0])
    print(f"cores: {os.cpu_count()}; medians of {RUNS} runs; ratio = time / bare loop (one core, same files)")
    print(f"{'exercises':>9} {'scenario':<16} {'median s':>9} {'ratio':>6} {'peak MB':>8} {'worker MB':>9}")
    for size, folder in generated_guides(sizes, "bench"):
        bare = statistics.median(bare_loop(folder / "content", folder / f"bare-{n}") for n in range(RUNS))
        files = len(list((folder / "content").rglob("*.md")))
        each = bare / files * 1000
        print(f"{size:>9} {'bare loop':<16} {bare:>9.2f} {1:>6.2f} {'':>18}   ({each:.2f} ms a file, {files} files)")
        for name, reports in scenarios(folder).items():
            seconds = statistics.median(report["seconds"] for report in reports)
            peak = max(report["self_kb"] for report in reports) / 1024
            worker = max(report["children_kb"] for report in reports) / 1024
            print(f"{size:>9} {name:<16} {seconds:>9.2f} {seconds / bare:>6.2f} {peak:>8.0f} {worker:>9.0f}")
        seconds = statistics.median(in_process_rebuilds(folder))
        print(f"{size:>9} {'rebuild()':<16} {seconds:>9.2f} {seconds / bare:>6.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
