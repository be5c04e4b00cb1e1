"""`[[slug]]` cross-links and `[[dose:slug]]` dose boxes, found with their lines, outside code."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["DOSE_PREFIX", "Link", "find_links", "mask_code"]

DOSE_PREFIX = "dose:"
_LINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n(?=[ \t]*\n)")


class Link(NamedTuple):
    """One link in a body: `start`/`end` index the body text, `line` is the file line.

    A named tuple, cheap to make: a body may hold tens of thousands of links.
    """

    target: str
    label: str | None
    line: int
    start: int
    end: int

    @property
    def is_dose_box(self) -> bool:
        return self.target.startswith(DOSE_PREFIX)

    @property
    def slug(self) -> str:
        """The page or id linked to; for a dose box, the exercise whose dose it shows."""
        return self.target.removeprefix(DOSE_PREFIX)


def _code_spans(text: str) -> Iterator[tuple[int, int]]:
    """Start and end of every code span: a run of backticks, not escaped, to the next run as long in its paragraph.

    Each run knows the next run of its own length, found in one pass from
    the end, so runs that never close cost nothing more to skip.
    """
    start = 0
    for paragraph in [*_BLANK_LINE.finditer(text), None]:
        end = paragraph.start() if paragraph else len(text)
        runs = [run.span() for run in _BACKTICKS.finditer(text, start, end)]
        following: list[int] = []
        last: dict[int, int] = {}
        for number in range(len(runs) - 1, -1, -1):
            run_start, run_end = runs[number]
            following.append(last.get(run_end - run_start, -1))
            last[run_end - run_start] = number
        following.reverse()
        number = 0
        while number < len(runs):
            run_start = runs[number][0]
            closing = following[number]
            if closing >= 0 and text[run_start - 1 : run_start] != "\\":
                yield run_start, runs[closing][1]
                number = closing
            number += 1
        start = end + 1


@functools.lru_cache(maxsize=1)
def mask_code(body: str) -> str:
    """The body with fenced code and code spans blanked out, keeping every offset and line.

    Validation reads each body twice, for its links and for its nesting; the last mask is kept for the second.
    """
    if "`" not in body and "~~~" not in body:
        return body
    lines = body.split("\n")

    fence = ""
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if (
                opening
                and opening.group(1)[0] == fence[0]
                and len(opening.group(1)) >= len(fence)
                and not line[opening.end() :].strip()
            ):
                fence = ""
            lines[number] = " " * len(line)
        elif opening:
            fence = opening.group(1)
            lines[number] = " " * len(line)
    text = "\n".join(lines)
    pieces = []
    position = 0
    for start, end in _code_spans(text):
        span = text[start:end]
        pieces += [text[position:start], re.sub(r"[^\n]", " ", span) if "\n" in span else " " * len(span)]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def find_links(body: str, body_line: int) -> list[Link]:
    """Every link outside code; `body_line` is the file line of the body's first line."""
    links = []
    line, counted = body_line, 0
    for match in _LINK.finditer(mask_code(body)):
        target, label = match.group(1).strip(), match.group(2)
        line += body.count("\n", counted, match.start())
        counted = match.start()
        links.append(Link(target, label.strip() if label is not None else None, line, match.start(), match.end()))
    return links
