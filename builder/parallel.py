"""Rendering pages on every core: forked workers share the loaded guide and write straight into the new site.

Workers get only page numbers and send back counts, problems and the
Markdown they converted; page bytes never cross a pipe, so neither the
parent's memory nor a pipe has to hold the whole site.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from builder.diagnostics import Diagnostic
from builder.lifetime import worker_start
from builder.output import put_file
from builder.pages import PagePlan, output_file
from builder.render import Renderer, TemplateProblem

__all__ = ["RenderSummary", "forked_map", "forked_start", "render_pages"]

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

_CHUNK = 16
"""Pages a worker takes at a time: large enough to make messages rare, small enough to keep both cores busy."""


@dataclass
class RenderSummary:
    pages: int = 0
    written: int = 0
    cached: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    converted: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    qr_made: dict[str, str] = field(default_factory=dict)
    qr_used: set[str] = field(default_factory=set)

    def add(self, other: RenderSummary) -> None:
        self.pages += other.pages
        self.written += other.written
        self.cached += other.cached
        self.problems += other.problems
        self.converted.update(other.converted)
        self.used |= other.used
        self.qr_made.update(other.qr_made)
        self.qr_used |= other.qr_used


@dataclass(frozen=True)
class _Job:
    renderer: Renderer
    plans: list[PagePlan]
    staging: Path
    output: Path


_JOB: _Job | None = None
"""The job of the current build; set before workers fork, so they inherit it instead of receiving it."""


def _render(numbers: range) -> RenderSummary:
    assert _JOB is not None
    converter = _JOB.renderer.converter
    hits, known = converter.hits, set(converter.cache)
    summary = RenderSummary(pages=len(numbers))
    for number in numbers:
        plan = _JOB.plans[number]
        try:
            data = _JOB.renderer.render(plan)
        except TemplateProblem as problem:
            summary.problems.append(problem.diagnostic)
            continue
        summary.written += put_file(_JOB.staging, _JOB.output, output_file(plan.path), data)
    summary.cached = converter.hits - hits
    summary.converted = {key: html for key, html in converter.cache.items() if key not in known}
    summary.used, converter.used = converter.used, set()
    summary.qr_made, summary.qr_used = _JOB.renderer.qr_codes.take()
    return summary


def render_pages(
    renderer: Renderer,
    plans: list[PagePlan],
    staging: Path,
    output: Path,
    jobs: int,
    progress: Callable[[int, int], None],
) -> RenderSummary:
    """Render every plan into `staging` with `jobs` processes, calling `progress(done, total)` as pages finish."""
    global _JOB
    _JOB = _Job(renderer, plans, staging, output)
    chunks = [range(start, min(start + _CHUNK, len(plans))) for start in range(0, len(plans), _CHUNK)]
    total = RenderSummary()
    try:
        for summary in forked_map(_render, chunks, jobs if len(chunks) >= 2 * jobs else 1):
            total.add(summary)
            progress(total.pages, len(plans))
    finally:
        _JOB = None
    return total


def forked_map(function: Callable[[_Item], _Result], items: Sequence[_Item], jobs: int) -> Iterator[_Result]:
    """`function` over `items` in `jobs` forked workers, results as they finish; in this process when `jobs` is 1.

    Workers are forked so they inherit what the caller set up (a renderer, a
    list of pictures) rather than receive it through a pipe; they end with the build (see `builder.lifetime`).
    """
    if jobs <= 1 or len(items) < 2:
        yield from map(function, items)
        return
    with forked_start(function, items, jobs) as results:
        yield from results


@contextmanager
def forked_start(
    function: Callable[[_Item], _Result], items: Sequence[_Item], jobs: int
) -> Iterator[Iterator[_Result]]:
    """`function` over `items` begun in up to `jobs` forked workers while the caller goes on with other work.

    The block gets the results as they finish and must take them all: leaving it stops the workers. With one
    job, nothing to do, or where processes cannot be forked, the work is done in this process as they are taken.
    """
    if jobs <= 1 or not items or "fork" not in multiprocessing.get_all_start_methods():
        yield map(function, items)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, len(items)), worker_start, (os.getpid(),)) as pool:
        yield pool.imap_unordered(function, items)
