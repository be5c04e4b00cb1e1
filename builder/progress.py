"""A progress bar for long builds on a terminal, kept apart from building: the build only reports counts."""

from __future__ import annotations

import time
from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

__all__ = ["ProgressBar"]

_DELAY = 1.0
"""Seconds a build runs before a bar appears: quick builds print nothing but their summary."""


class ProgressBar:
    """`update(done, total)` shows a bar once a build has run for a second, if `enabled` (a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.task = TaskID(0)

    def __enter__(self) -> ProgressBar:
        return self

    def update(self, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < _DELAY:
            return
        if self.bar is None:
            columns = (TextColumn("rendering"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            self.bar = Progress(*columns, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("pages", total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.stop()
