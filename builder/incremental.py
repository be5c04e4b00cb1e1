"""What a page is made from, as one fingerprint: a page whose fingerprint did not change is not rendered again.

A fingerprint covers the code, the settings, the taxonomy, every template the
page's template includes or extends, the page's own values, and, for each
exercise, routine or article it shows, a digest of that page's fields (its
body only when it is the page's own, or the target of a dose box). Listing
pages therefore change with any title they list, and not with a body edit.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable

import jinja2
from jinja2 import meta

from builder.cache import CODE_STAMP
from builder.links import find_links
from builder.model import Guide, Page
from builder.pages import PagePlan
from builder.render import BODY_PICTURE, DOSE_BOX

__all__ = ["Fingerprints"]


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


_REFERENCES: dict[str, list[str]] = {}
"""Templates a template's source includes, imports or extends, kept for a process's life: parsing is slow."""


def _references(environment: jinja2.Environment, source: str) -> list[str]:
    if source not in _REFERENCES:
        try:
            parsed = environment.parse(source)
        except jinja2.TemplateSyntaxError:
            return []  # its digest still changes with its source; rendering reports the error at its line
        _REFERENCES[source] = [found for found in meta.find_referenced_templates(parsed) if found]
    return _REFERENCES[source]


class Fingerprints:
    """Fingerprints of the pages of one build of one guide with one theme."""

    def __init__(self, guide: Guide, environment: jinja2.Environment, extra: str = "") -> None:
        self.environment = environment
        self.base = _digest(CODE_STAMP, repr(guide.settings), repr(guide.taxonomy), extra)
        self.fields: dict[int, str] = {}
        self.templates: dict[str, str] = {}
        self.pages: dict[str, Page] = {**guide.exercises, **guide.routines, **guide.articles}

    def of(self, plan: PagePlan) -> str:
        parts = [self.base, self._templates([plan.template]), plan.path, plan.template, plan.title]
        parts += [repr(plan.crumbs), repr(plan.in_sitemap), self._describe(plan.values)]
        if plan.body is not None:
            body = plan.body
            parts += [
                self._templates([DOSE_BOX, BODY_PICTURE]),
                body.body,
                self._body_targets(body),
                repr(body.body_media),
            ]
        return _digest(*parts)

    def _page(self, page: Page) -> str:
        """What lists and links show of a page: every field but its body and the pictures in it."""
        key = id(page)
        if key not in self.fields:
            self.fields[key] = _digest(repr(dataclasses.replace(page, body="", body_line=0, body_media=())))
        return self.fields[key]

    def _body_targets(self, page: Page) -> str:
        targets = sorted({link.slug for link in find_links(page.body, page.body_line)} & self.pages.keys())
        return ",".join(f"{slug}@{self._page(self.pages[slug])}" for slug in targets)

    def _describe(self, value: object) -> str:
        if isinstance(value, Page):
            return f"<{value.slug}@{self._page(value)}>"
        if isinstance(value, dict):
            return "{" + ",".join(f"{key!r}:{self._describe(item)}" for key, item in value.items()) + "}"
        if isinstance(value, list | tuple):
            return "[" + ",".join(self._describe(item) for item in value) + "]"
        return repr(value)

    def _templates(self, names: Iterable[str]) -> str:
        """A digest of the templates named and all they include, import or extend."""
        key = ",".join(names)
        if key not in self.templates:
            sources: dict[str, str] = {}
            waiting = list(names)
            while waiting:
                name = waiting.pop()
                if name not in sources:
                    sources[name] = self.environment.loader.get_source(self.environment, name)[0]  # type: ignore[union-attr]
                    waiting += _references(self.environment, sources[name])
            found = sorted(sources)
            self.templates[key] = _digest(*found, *(sources[name] for name in found))
        return self.templates[key]
