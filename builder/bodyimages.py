"""Markdown images (`![alt](path "title")`) in bodies, found with their lines, outside code.

They are found here rather than left to Markdown so that they go through the
same checks and the same pipeline as front matter's `media:`: a body image is
published in the same widths and formats, and its alt text is held to the same
rules. Markdown's own `<img>` never reaches a page (sanitising removes it, see
`builder.markup`), so an image written in a form read here is published, and
any other (a reference-style image, a remote one) is an error rather than a
picture fetched from elsewhere or a broken one.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote

from builder.links import mask_code

__all__ = ["BodyImage", "find_images", "stray_images"]

_ALT = r"((?:[^\[\]\n]|\[[^\[\]\n]*\])*)"
"""Alt text: brackets may nest one level, as Markdown allows."""
_SOURCE = r"(?:<([^<>\n]+)>|((?:[^\s()\\]|\\.|\([^\s()]*\))+))"
"""A path in angle brackets (spaces allowed), or bare, with escapes and one level of balanced parentheses."""
_TITLE = r"(?:\s+(?:\"([^\"\n]*)\"|'([^'\n]*)'|\(([^()\n]*)\)))?"
_IMAGE = re.compile(rf"!\[{_ALT}\]\(\s*{_SOURCE}{_TITLE}\s*\)")
_OPENING = re.compile(r"!\[")
_ESCAPE = re.compile(r"\\(.)")


class BodyImage(NamedTuple):
    """One image in a body: `start`/`end` index the body text, `line` is the file line."""

    alt: str
    src: str
    title: str
    line: int
    start: int
    end: int


def find_images(body: str, body_line: int) -> list[BodyImage]:
    """Every inline image outside code; `body_line` is the file line of the body's first line.

    The path is given as the file system spells it: escapes and `%20`-style encoding undone.
    """
    images = []
    line, counted = body_line, 0
    for match in _IMAGE.finditer(mask_code(body)):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        text = body[match.start() : match.end()]
        found = _IMAGE.fullmatch(text)
        assert found is not None  # the mask keeps every character of text outside code
        alt, angled, bare = found.group(1), found.group(2), found.group(3)
        src = unquote(angled if angled is not None else _ESCAPE.sub(r"\1", bare))
        title = next((group for group in found.groups()[3:] if group is not None), "")
        images.append(BodyImage(alt.strip(), src, title.strip(), line, match.start(), match.end()))
    return images


def stray_images(body: str, body_line: int) -> list[int]:
    """The lines of image syntax outside code that `find_images` does not read: reference-style images and the like."""
    masked = mask_code(body)
    read = {image.start for image in find_images(body, body_line)}
    return [
        body_line + body.count("\n", 0, match.start())
        for match in _OPENING.finditer(masked)
        if match.start() not in read
    ]
