"""Markdown bodies to HTML: one configured converter, cross-links, dose boxes and sanitising.

Python-Markdown passes raw `<script>` and `onerror=` through untouched, so
bodies are cleaned with nh3 unless the site trusts its authors' HTML. nh3's
defaults would strip the `id` and `class` attributes our own Markdown makes
(heading anchors, footnotes, code languages), so the allow-list keeps them.
Dose boxes come from a template, after cleaning, since they are our markup.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable

import markdown
import nh3
from markdown.preprocessors import Preprocessor

from builder.bodyimages import BodyImage, find_images
from builder.links import Link, find_links

__all__ = ["EXTENSIONS", "BodyConverter", "MarkdownTooDeep"]

EXTENSIONS = ("extra", "toc", "sane_lists")
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"id", "class", "title", "lang", "dir"}
_ATTRIBUTES["th"] = _ATTRIBUTES["th"] | {"style"}
_ATTRIBUTES["td"] = _ATTRIBUTES["td"] | {"style"}


class MarkdownTooDeep(Exception):
    """A body nested so deeply that Python-Markdown's recursive parser ran out of stack."""


_TAGS = nh3.ALLOWED_TAGS - {"img"}
"""Pictures in bodies are ours alone (`builder.bodyimages`): an `<img>` left to Markdown would be unchecked."""


def _clean(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel=None,
    )


_STEM = "(?P<stem>GUIDE[0-9A-F]{20})"
_LINK_MARKER = re.compile(_STEM + r"L(?P<number>\d+)X")
_PLACED = re.compile(
    r"(?P<open><p>(?=GUIDE[0-9A-F]{20}D\d+X</p>))?" + _STEM + r"(?P<kind>[DI])(?P<number>\d+)X(?(open)</p>)"
)
"""Markers of links, and of dose boxes and pictures, for any body's stem: compiled once, not once a body.

A box inside raw HTML is no paragraph of its own; it is written in all the same rather than shown as a marker.
Boxes and pictures are our own markup, written in after cleaning, which would take `<picture>` apart.
"""


def _marker_stem(body: str) -> str:
    """The stem of the markers that stand in for a body's links and dose boxes until they are written in.

    It is derived from the body itself: text that reproduced it would have to
    contain its own digest. A stem merely absent from the body is not enough,
    since Markdown and nh3 turn `\\-`, `&#71;`, comments and stripped tags into
    plain text that could spell it. Upper case, as heading ids are lower case.
    """
    return "GUIDE" + hashlib.blake2b(body.encode(), digest_size=10).hexdigest().upper()


class _StashLinks(Preprocessor):
    """Hands each link's finished `<a>` to Markdown as raw HTML, in place of its marker.

    Written into the source as HTML, each anchor would be two inline matches,
    and Markdown copies the rest of the paragraph after every match, so a
    paragraph of many links would take quadratic time. Stashed, an anchor is never
    parsed: its label stays plain text, even a `|` in a table.
    """

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.stem = ""
        self.anchors: list[str] = []

    def run(self, lines: list[str]) -> list[str]:
        def stash(match: re.Match[str]) -> str:
            if match.group("stem") != self.stem:
                return match.group(0)
            return self.md.htmlStash.store(self.anchors[int(match.group("number"))])

        return [_LINK_MARKER.sub(stash, line) for line in lines]


class BodyConverter:
    """Converts bodies with one reused Markdown instance (it is costly to build), never the same source twice.

    `cache` maps a digest of the Markdown and the anchors of its links to its
    HTML; the build cache keeps it between builds.
    """

    def __init__(self, trusted_html: bool, cache: dict[str, str] | None = None) -> None:
        self.trusted_html = trusted_html
        self.cache = {} if cache is None else cache
        self.used: set[str] = set()
        self.hits = 0

        self._markdown = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
        self._links = _StashLinks(self._markdown)
        # After whitespace is normalised (30) and before raw HTML blocks are taken out (20), which may hold links.
        self._markdown.preprocessors.register(self._links, "guide_links", 25)

    def convert(
        self,
        body: str,
        link_html: Callable[[Link], str],
        dose_box_html: Callable[[str], str],
        image_html: Callable[[int], str],
    ) -> str:
        """HTML for a body: `link_html` writes each `[[link]]`, `dose_box_html` each `[[dose:slug]]` block,
        `image_html` the body's images by their number (see `builder.bodyimages`).

        Raises `MarkdownTooDeep` when the body nests beyond what Markdown can parse.
        """
        stem = _marker_stem(body)
        anchors: list[str] = []
        boxes: list[str] = []
        pieces: list[str] = []
        position = 0
        images = find_images(body, 1)
        found_inline: list[Link | BodyImage] = [*find_links(body, 1), *images]
        inline = sorted(found_inline, key=lambda found: found.start)
        numbers = {image.start: number for number, image in enumerate(images)}
        for found in inline:
            if found.start < position:
                continue  # inside the one before: a link in an image's alt text is part of the text
            pieces.append(body[position : found.start])
            if not isinstance(found, Link):
                pieces.append(f"{stem}I{numbers[found.start]}X")
            elif found.is_dose_box:
                pieces.append(f"\n\n{stem}D{len(boxes)}X\n\n")
                boxes.append(found.slug)
            else:
                pieces.append(f"{stem}L{len(anchors)}X")
                anchors.append(link_html(found))
            position = found.end
        pieces.append(body[position:])
        source = "".join(pieces)
        key = hashlib.blake2b(json.dumps([self.trusted_html, source, anchors]).encode(), digest_size=20).hexdigest()
        self.used.add(key)
        converted = self.cache.get(key)

        if converted is None:
            converted = self._convert(source, stem, anchors)
            self.cache[key] = converted
        else:
            self.hits += 1

        def place(match: re.Match[str]) -> str:
            found_stem, kind, number = match.group("stem"), match.group("kind"), int(match.group("number"))
            if found_stem != stem:
                return match.group(0)  # text that spells a marker of another body is text
            return image_html(number) if kind == "I" else dose_box_html(boxes[number])

        return _PLACED.sub(place, converted)

    def _convert(self, source: str, stem: str, anchors: list[str]) -> str:
        self._markdown.reset()
        self._links.stem, self._links.anchors = stem, anchors
        try:
            converted = self._markdown.convert(source)
        except RecursionError as error:
            raise MarkdownTooDeep(str(error)) from error
        return converted if self.trusted_html else _clean(converted)


def anchor(url: str, label: str) -> str:
    """An `<a>` for a cross-link, escaped: labels are plain text, never Markdown or HTML."""
    return f'<a href="{html.escape(url)}">{html.escape(label)}</a>'
