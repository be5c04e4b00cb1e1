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
import re
from collections.abc import Callable

import markdown
import nh3

from builder.links import Link, find_links

__all__ = ["EXTENSIONS", "BodyConverter"]

EXTENSIONS = ("extra", "toc", "sane_lists")
_PLACEHOLDER = "GUIDE-DOSE-BOX-{}"
_PLACEHOLDER_PARAGRAPH = re.compile(r"<p>GUIDE-DOSE-BOX-(\d+)</p>")
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"id", "class", "title", "lang", "dir"}
_ATTRIBUTES["th"] = _ATTRIBUTES["th"] | {"style"}
_ATTRIBUTES["td"] = _ATTRIBUTES["td"] | {"style"}


def _clean(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=nh3.ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel=None,
    )


class BodyConverter:
    """Converts bodies with one reused Markdown instance (it is costly to build), never the same source twice.

    `cache` maps a digest of the Markdown, with its links already written in,
    to its HTML; the build cache keeps it between builds.
    """

    def __init__(self, trusted_html: bool, cache: dict[str, str] | None = None) -> None:
        self.trusted_html = trusted_html
        self.cache = {} if cache is None else cache
        self.used: set[str] = set()
        self.hits = 0

        self._markdown = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")

    def convert(self, body: str, link_html: Callable[[Link], str], dose_box_html: Callable[[str], str]) -> str:
        """HTML for a body: `link_html` writes each `[[link]]`, `dose_box_html` each `[[dose:slug]]` block."""
        boxes: list[str] = []
        pieces: list[str] = []
        position = 0
        for link in find_links(body, 1):
            pieces.append(body[position : link.start])
            if link.is_dose_box:
                pieces.append("\n\n" + _PLACEHOLDER.format(len(boxes)) + "\n\n")
                boxes.append(link.slug)
            else:
                pieces.append(link_html(link))
            position = link.end
        pieces.append(body[position:])
        source = "".join(pieces)
        key = hashlib.blake2b(f"{self.trusted_html}\0{source}".encode(), digest_size=20).hexdigest()
        self.used.add(key)
        converted = self.cache.get(key)

        if converted is None:
            converted = self._convert(source)
            self.cache[key] = converted
        else:
            self.hits += 1
        return _PLACEHOLDER_PARAGRAPH.sub(lambda match: dose_box_html(boxes[int(match.group(1))]), converted)

    def _convert(self, source: str) -> str:
        self._markdown.reset()
        converted = self._markdown.convert(source)
        return converted if self.trusted_html else _clean(converted)


def anchor(url: str, label: str) -> str:
    """An `<a>` for a cross-link, escaped: labels are plain text, never Markdown or HTML."""
    return f'<a href="{html.escape(url)}">{html.escape(label)}</a>'
