"""Markdown images (`![alt](path "title")`) in bodies, found with their lines, outside code.

They are found here rather than left to Markdown so that they go through the
same checks and the same pipeline as front matter's `media:`: a body image is
published in the same widths and formats, and its alt text is held to the same rules.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from builder.links import mask_code

__all__ = ["BodyImage", "find_images"]

_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(\s*<?([^\s<>()]+)>?(?:\s+\"([^\"\n]*)\")?\s*\)")


class BodyImage(NamedTuple):
    """One image in a body: `start`/`end` index the body text, `line` is the file line."""

    alt: str
    src: str
    title: str
    line: int
    start: int
    end: int


def find_images(body: str, body_line: int) -> list[BodyImage]:
    """Every inline image outside code; `body_line` is the file line of the body's first line."""
    images = []
    line, counted = body_line, 0
    for match in _IMAGE.finditer(mask_code(body)):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        alt, src, title = match.group(1).strip(), match.group(2), match.group(3) or ""
        images.append(BodyImage(alt, src, title.strip(), line, match.start(), match.end()))
    return images
