"""`[[slug]]` cross-links and `[[dose:slug]]` dose boxes, found with their lines, outside code."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DOSE_PREFIX", "Link", "find_links"]

DOSE_PREFIX = "dose:"
_LINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)((?:[^\n]|\n(?![ \t]*\n))+?)(?<!`)\1(?!`)")


@dataclass(frozen=True)
class Link:
    """One link in a body: `start`/`end` index the body text, `line` is the file line."""

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


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _mask_code(body: str) -> str:
    """The body with fenced code and code spans blanked out, keeping every offset and line."""
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
    return _CODE_SPAN.sub(_blank, "\n".join(lines))


def find_links(body: str, body_line: int) -> list[Link]:
    """Every link outside code; `body_line` is the file line of the body's first line."""
    links = []
    for match in _LINK.finditer(_mask_code(body)):
        target, label = match.group(1).strip(), match.group(2)
        line = body_line + body.count("\n", 0, match.start())
        links.append(Link(target, label.strip() if label is not None else None, line, match.start(), match.end()))
    return links
