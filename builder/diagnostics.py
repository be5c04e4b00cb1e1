"""Content errors as `path:line: message` lines, collected so a run reports all of them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Diagnostic", "Diagnostics", "did_you_mean", "shown_path"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, at the line of the key or value at fault."""

    path: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.path}:{self.line}: {self.message}{hint}"


@dataclass
class Diagnostics:
    """Gathers every problem of a run, so one run shows an author all there is to fix."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(str(path), line, message, hint))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        """File by file and line by line, the order an author fixes them in."""
        return sorted(set(self.items))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choices, or nothing when none is close."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=3, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def shown_path(path: Path | str) -> str:
    """A path as messages show it: relative to the current folder when it lies below it."""
    absolute = Path(path).absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
