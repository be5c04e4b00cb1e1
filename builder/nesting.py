"""How deeply a body nests, read before Markdown sees it.

Python-Markdown parses nested lists and `markdown="1"` HTML blocks by
recursion, and walks nested emphasis by recursion too, so a few hundred
levels exhaust Python's stack (lists at about 250, such blocks at about 330,
emphasis at about 1,000). The scan counts generously, code left out, so that
a body it passes converts with room to spare wherever the converter is called.
"""

from __future__ import annotations

import re

from builder.links import mask_code

__all__ = ["MAX_DEPTH", "too_deep"]

MAX_DEPTH = 100
_CONTAINER = re.compile(r"([ \t]*)(?:>[ \t]?|(?P<item>[-*+:]|\d{1,9}[.)])(?:[ \t]|$))")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown\s*=", re.IGNORECASE)
_EMPHASIS = re.compile(r"\*+|_+")


def _containers(line: str) -> tuple[int, int, bool]:
    """How many quotes and list items hold a line, where its text starts, and whether it starts a list item.

    Markdown nests a list by indenting it 4 columns, so each 4 count as a level.
    """
    markers = columns = position = 0
    item = False
    while match := _CONTAINER.match(line, position):
        markers += 1
        columns += len(match.group(1).expandtabs(4))
        position = match.end()
        item = item or bool(match.group("item"))
    if not markers:
        return 0, 0, False
    return markers + columns // 4, position, item


class _Emphasis:
    """Emphasis left open in the paragraph so far, from runs of `*` and `_` that can open or close it."""

    def __init__(self) -> None:
        self.depth = 0

    def deepest(self, text: str) -> int:
        deepest = self.depth
        for run in _EMPHASIS.finditer(text) if "*" in text or "_" in text else ():
            before = text[run.start() - 1] if run.start() else " "
            after = text[run.end()] if run.end() < len(text) else " "
            opens, closes = not after.isspace(), not before.isspace()
            if run.group()[0] == "_":
                opens, closes = opens and not before.isalnum(), closes and not after.isalnum()
            if closes and (self.depth or not opens):
                self.depth -= min(self.depth, len(run.group()))
            elif opens:
                self.depth += len(run.group())
                deepest = max(deepest, self.depth)
        return deepest


def too_deep(body: str, limit: int = MAX_DEPTH) -> int | None:
    """The index of the first line of `body` nested more than `limit` levels deep, or None.

    A line's depth is the quotes and list items around it, the HTML blocks
    with a `markdown` attribute still open, and the emphasis open within it.
    """
    masked = mask_code(body)
    if _depth_bound(masked) <= limit:
        return None
    blocks: dict[str, list[bool]] = {}
    open_blocks = 0
    emphasis = _Emphasis()
    for number, line in enumerate(masked.split("\n")):
        deepest_block = open_blocks
        for tag in _TAG.finditer(line) if "<" in line else ():
            closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
            stack = blocks.setdefault(name, [])
            if closing:
                open_blocks -= stack.pop() if stack else 0
            elif not attributes.rstrip().endswith("/"):
                stack.append(bool(_MARKDOWN_ATTRIBUTE.search(attributes)))
                open_blocks += stack[-1]
                deepest_block = max(deepest_block, open_blocks)
        containers, text_start, starts_item = _containers(line)
        if starts_item or not line[text_start:].strip():
            emphasis.depth = 0
        if containers + deepest_block + emphasis.deepest(line[text_start:]) > limit:
            return number
    return None


_PREFIX = re.compile(r"^[ \t>*+:\-\d.)]*", re.MULTILINE)
"""The start of a line made only of what quotes, list markers and their indentation are written with."""


def _depth_bound(masked: str) -> int:
    """A depth no line of the body can pass, found without reading it line by line: nearly every body is far
    below the limit, and the scan above costs a build of a thousand pages half a second.

    A line's containers take at least a character each (four columns, a tab, or a marker), all in its start;
    emphasis opens at most one level a `*` or `_`; a block with a `markdown` attribute names it.
    """
    prefix = max((len(found) for found in _PREFIX.findall(masked)), default=0)
    return prefix + masked.count("*") + masked.count("_") + masked.lower().count("markdown")
