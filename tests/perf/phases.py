"""Where a clean build's time goes: `python -m tests.perf.phases [SIZE ...]` (default 1000).

Builds a synthetic guide (without `base_url`, as `tests.perf.bench` does)
once with a cold cache, in a new process, timing each phase of
`builder.pipeline` by wrapping the functions that make it, and sampling
`/proc/stat` every 20 ms to tell how busy each core was meanwhile. Printed
for each phase: its wall time, the processor time this process and its
children (render workers, Pagefind) spent in it, and each core's busy
share. Pagefind runs beside the phases after the indexed pages are
rendered; its own processor time is what the wait for it adds to the
children's (it is the only child ending there). Then the costs of the
named engines alone on one core: Python-Markdown converting every body
with the build's extensions, nh3 cleaning them, and Pagefind indexing the
built site by itself.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import markdown

from builder import pipeline
from builder.diagnostics import Diagnostics
from builder.markup import EXTENSIONS, _clean
from builder.search import INDEXED_PAGES, _pagefind
from tests.perf.bench import without_base_url
from tests.perf.generate import generated_guides, sizes_asked

SAMPLE = 0.02


def _core_times() -> list[tuple[int, int]]:
    """Each core's (busy, total) clock ticks since boot, from /proc/stat."""
    cores = []
    with open("/proc/stat", encoding="ascii") as stat:
        for line in stat:
            if line.startswith("cpu") and line[3].isdigit():
                ticks = [int(value) for value in line.split()[1:]]
                idle = ticks[3] + ticks[4]
                cores.append((sum(ticks) - idle, sum(ticks)))
    return cores


def _processor_seconds() -> float:
    """This process's and its waited-for children's user and system time."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    processor: float = 0.0
    busy: list[float] = field(default_factory=list)


@dataclass
class Timeline:
    """The phases of one build, in the order they ended."""

    phases: list[Phase] = field(default_factory=list)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        cores, processor, started = _core_times(), _processor_seconds(), time.perf_counter()
        try:
            yield
        finally:
            now = _core_times()
            busy = [(b - b0) / max(1, t - t0) for (b, t), (b0, t0) in zip(now, cores, strict=True)]
            seconds = time.perf_counter() - started
            self.phases.append(Phase(name, seconds, _processor_seconds() - processor, busy))

    def wrap(self, owner: Any, name: str, label: str) -> None:
        """Time every call of `owner.name` as the phase `label`."""
        original = getattr(owner, name)

        def timed(*arguments: Any, **keywords: Any) -> Any:
            with self.phase(label):
                return original(*arguments, **keywords)

        setattr(owner, name, timed)


def timed_build(folder: Path) -> tuple[Timeline, float]:
    """One clean build of the guide in `folder`, in this process, with its phases timed; and its total."""
    timeline = Timeline()
    counts: dict[str, int] = {}
    original_render = pipeline.render_pages

    def render(*arguments: Any, **keywords: Any) -> Any:
        counts["render"] = counts.get("render", 0) + 1
        label = "render indexed pages" if counts["render"] == 1 else "render the other pages (Pagefind beside)"
        with timeline.phase(label):
            return original_render(*arguments, **keywords)

    for owner, name, label in [
        (pipeline, "load_guide", "read and check the guide"),
        (pipeline, "plan_pages", "plan the pages"),
        (pipeline._Work, "since", "fingerprint the pages"),
        (pipeline, "publish_media", "media"),
        (pipeline, "manifest_files", "web app manifest and icons"),
        (pipeline, "worker_file", "service worker"),
        (pipeline, "_finish_search", "wait for Pagefind"),
        (pipeline, "commit_site", "swap the new site in"),
    ]:
        timeline.wrap(owner, name, label)
    pipeline.render_pages = render  # type: ignore[assignment]
    shutil.rmtree(folder / "output", ignore_errors=True)
    shutil.rmtree(folder / ".guide-cache", ignore_errors=True)
    output, cache = folder / "output", folder / ".guide-cache"
    options = pipeline.BuildOptions(content=folder / "content", output=output, cache=cache, worker=True)  # as the CLI
    started = time.perf_counter()
    with timeline.phase("whole build"):
        assert pipeline.Builder(options).build(Diagnostics()) is not None
    return timeline, time.perf_counter() - started


_IN_NEW_PROCESS = """
import dataclasses, json, sys
from pathlib import Path
from tests.perf.phases import timed_build
timeline, total = timed_build(Path(sys.argv[1]))
print(json.dumps({"phases": [dataclasses.asdict(phase) for phase in timeline.phases], "total": total}))
"""


def _from_json(printed: str) -> tuple[Timeline, float]:
    report = json.loads(printed.strip().splitlines()[-1])
    return Timeline([Phase(**phase) for phase in report["phases"]]), report["total"]


def engines(folder: Path) -> dict[str, float]:
    """Seconds on one core for the named engines alone: Markdown, nh3, Pagefind over the built site."""
    bodies = [frontmatter.load(str(path)).content for path in sorted((folder / "content").rglob("*.md"))]
    converter = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    started = time.perf_counter()
    converted = []
    for body in bodies:
        converter.reset()
        converted.append(converter.convert(body))
    seconds = {"Python-Markdown, every body": time.perf_counter() - started}
    started = time.perf_counter()
    for html in converted:
        _clean(html)
    seconds["nh3, every body"] = time.perf_counter() - started
    glob = "{" + ",".join(INDEXED_PAGES) + "}"
    bundle = folder / "bench-pagefind"
    command = [_pagefind(), "--site", str(folder / "output"), "--glob", glob, "--output-path", str(bundle), "--silent"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds["Pagefind alone, wall"] = time.perf_counter() - started
    seconds["Pagefind alone, processor"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    seconds["Pagefind alone, peak MB"] = after.ru_maxrss / 1024
    return seconds


def _report(size: int, timeline: Timeline, total: float, alone: dict[str, float]) -> None:
    print(f"{size} exercises: clean build {total:.2f} s")
    print(f"{'phase':<42} {'wall s':>7} {'cpu s':>6} " + " ".join(f"{'core ' + str(n):>7}" for n in range(2)))
    for phase in sorted(timeline.phases, key=lambda found: found.name == "whole build"):
        cores = " ".join(f"{share:>7.0%}" for share in phase.busy)
        print(f"{phase.name:<42} {phase.seconds:>7.2f} {phase.processor:>6.2f} {cores}")
    for name, value in alone.items():
        print(f"{name:<42} {value:>7.2f}")


def main() -> None:
    sizes = sizes_asked(__doc__.splitlines()[0], default=(1000,))
    for size, folder in generated_guides(sizes, "phases"):
        without_base_url(folder)
        command = [sys.executable, "-c", _IN_NEW_PROCESS, str(folder)]  # as `guide build` runs: a new process
        timeline, total = _from_json(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        _report(size, timeline, total, engines(folder))


if __name__ == "__main__":
    main()
