"""Pages to bytes through Jinja: autoescape on, undefined names are errors, links relative to each page."""

from __future__ import annotations

import re
import traceback
import types
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from builder.cards import CARD_PICTURE_WIDTH, CARD_SIZES, LOG_NAME_SHARE, LOG_SIZES, QrCodes, tick_count
from builder.dates import long_date
from builder.diagnostics import Diagnostic, shown_path
from builder.dose import format_dose, format_estimate
from builder.links import Link
from builder.markup import BodyConverter, MarkdownTooDeep, anchor
from builder.media import Format
from builder.model import Article, Exercise, Guide, Page, Routine
from builder.pages import PagePlan
from builder.social import find_fonts, share_card
from builder.structured import json_ld, structured_data
from builder.urls import absolute_url, relative_url, site_path

__all__ = ["BODY_PICTURE", "DOSE_BOX", "Renderer", "TemplateProblem", "template_environment"]

DOSE_BOX = "partials/dose-box.html"
BODY_PICTURE = "partials/body-picture.html"
"""Partials a body's HTML is written with, outside any page template: page fingerprints cover them too."""

_NAVIGATION = (("Exercises", "exercises"), ("Routines", "routines"), ("Articles", "articles"), ("Search", "search"))
"""The site's sections; their labels are the titles `builder.pages` gives their pages, translated as those are."""


_ONCE_KEPT = 256
"""Outputs `once` keeps, the oldest dropped first: a muscle map is some 30 KB, and a guide of thousands of
exercises has thousands of pairs of muscle lists, most shown once, which kept all would hold 100 MB in each worker."""

_DEFERRED_LINK = re.compile("\x00link:([^\x00]*)\x00")
"""A link left for the page to write, in a macro's output made once for every page that shows it (`once`)."""


class TemplateProblem(Exception):
    """A template that cannot be loaded or rendered, located at its file and line."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def _kind_of(page: Page) -> str:
    return {Exercise: "exercise", Routine: "routine", Article: "article"}[type(page)]


def muscle_states(
    primary: Iterable[str], secondary: Iterable[str], drawn: Iterable[str], guide: Guide
) -> dict[str, str]:
    """Which shapes of the muscle map to highlight: a muscle the figure does not draw lights up its region."""
    shapes = set(drawn)
    states: dict[str, str] = {}
    for state, muscles in (("secondary", secondary), ("primary", primary)):
        for muscle in muscles:
            shape = muscle if muscle in shapes else guide.taxonomy.muscles[muscle].region
            if shape in shapes:
                states[shape] = state
    return states


def template_environment(folders: list[Path], compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Jinja for the theme: autoescape on, undefined names are errors, templates reloaded when their files change.

    Templates mark their words for translation with `_()` and `{% trans %}` (Jinja's i18n extension).
    `compiled` keeps their compiled code between processes (`builder.cache.CompiledTemplates`).
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in folders]),
        bytecode_cache=compiled,
        extensions=["jinja2.ext.i18n"],
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class Renderer:
    """Renders page plans; one per process, since the Jinja environment and Markdown converter are costly."""

    def __init__(
        self,
        guide: Guide,
        folders: list[Path],
        pdf: bool = False,
        bodies: dict[str, str] | None = None,
        environment: jinja2.Environment | None = None,
        qr_codes: QrCodes | None = None,
    ) -> None:
        """`environment`, from `template_environment`, may come from an earlier build: its templates stay compiled."""

        self.guide = guide
        self.settings = guide.settings
        self.folders = folders
        self.pdf = pdf
        self.root_path = urlsplit(self.settings.base_url).path or "/"
        self.converter = BodyConverter(self.settings.trusted_html, bodies)
        self.qr_codes = qr_codes or QrCodes()

        self.targets: dict[str, tuple[str, str]] = {
            **{slug: ("exercise", page.title) for slug, page in guide.exercises.items()},
            **{slug: ("routine", page.title) for slug, page in guide.routines.items()},
            **{slug: ("article", page.title) for slug, page in guide.articles.items()},
            **{key: ("muscle", muscle.name) for key, muscle in guide.taxonomy.muscles.items()},
            **{key: ("region", region.name) for key, region in guide.taxonomy.regions.items()},
        }
        self.environment = environment or template_environment(folders)
        self.made_once: dict[tuple[types.CodeType, str], str] = {}
        self.deferring = 0
        """How many `once` calls are making their macro's output now: while any is, links are left as markers."""
        self.words = guide.words
        self.environment.install_gettext_translations(self.words, newstyle=True)  # type: ignore[attr-defined]
        self.environment.filters.update(
            dose=partial(format_dose, words=self.words),
            estimate=partial(format_estimate, words=self.words),
            long_date=partial(long_date, language=self.settings.language),
        )
        self.environment.globals.update(
            site=self.settings,
            taxonomy=guide.taxonomy,
            navigation=tuple((self.words.gettext(label), kind) for label, kind in _NAVIGATION),
            href=self._href_function(),
            once=self._once_function(),
            srcset=self._srcset_function(),
            asset=self._asset_function(),
            absolute=lambda path: absolute_url(self.settings.base_url, path),
            site_path=site_path,
            kind_of=_kind_of,
            muscle_states=lambda primary, secondary, drawn: muscle_states(primary, secondary, drawn, guide),
            card_sizes=CARD_SIZES,
            log_sizes=LOG_SIZES,
            log_name_share=LOG_NAME_SHARE,
            card_picture_width=CARD_PICTURE_WIDTH,
            tick_count=tick_count,
            qr_code=lambda url: Markup(self.qr_codes.svg(url)),
            pdf=pdf,
            share_card=partial(share_card, settings=self.settings, fonts=find_fonts(folders), words=self.words),
            structured_data=partial(
                structured_data,
                settings=self.settings,
                taxonomy=guide.taxonomy,
                absolute=lambda path: absolute_url(self.settings.base_url, path),
                words=self.words,
            ),
            json_ld=json_ld,
        )

    def for_guide(self, guide: Guide) -> Renderer:
        """A renderer of the same theme for another state of the guide, with the templates and bodies done so far."""
        return Renderer(guide, self.folders, self.pdf, self.converter.cache, self.environment, self.qr_codes)

    def _href_function(self) -> Callable[..., str]:
        """`href(kind, key)` in templates: a link from the page being rendered to another page."""

        @jinja2.pass_context
        def href(context: jinja2.runtime.Context, kind: str, key: object = None) -> str:
            return self._link_from(context, site_path(kind, key))

        return href

    def _once_function(self) -> Callable[..., Markup]:
        """`once(macro, *arguments)` in templates: the macro's output for those arguments, made once per build.

        A costly drawing that many pages share (the muscle map of a pair of muscle lists) is then made once
        and copied, while its template stays the theme's. Its links are made as markers while the macro runs,
        and each page's call writes them relative to that page, as `href` would have.
        """

        @jinja2.pass_context
        def once(context: jinja2.runtime.Context, macro: jinja2.runtime.Macro, *arguments: object) -> Markup:
            key = (macro._func.__code__, repr(arguments))  # the same macro of the same compiled template
            made = self.made_once.get(key)
            if made is None:
                self.deferring += 1
                try:
                    made = str(macro(*arguments))
                finally:
                    self.deferring -= 1
                if len(self.made_once) >= _ONCE_KEPT:
                    del self.made_once[next(iter(self.made_once))]
                self.made_once[key] = made
            page_path = context["page_path"]
            return Markup(_DEFERRED_LINK.sub(lambda found: str(escape(self.link(page_path, found[1]))), made))

        return once

    def _srcset_function(self) -> Callable[..., str]:
        """`srcset(format)` in templates: each rendition of a picture in one format, linked, with its width.

        Written here rather than as a macro: a list of thumbnails calls it twice a picture, and a macro call costs
        Jinja ten times as much, which the preview's quick path for a replaced picture pays on every list showing it.
        """

        @jinja2.pass_context
        def srcset(context: jinja2.runtime.Context, format: Format) -> str:
            renditions = format.renditions
            return ", ".join(f"{self._link_from(context, one.path)} {one.width}w" for one in renditions)

        return srcset

    def _asset_function(self) -> Callable[..., str]:
        """`asset(name)` in templates: a link to a file of the theme's static/ folder."""

        @jinja2.pass_context
        def asset(context: jinja2.runtime.Context, name: str) -> str:
            return self._link_from(context, f"static/{name}")

        return asset

    def _link_from(self, context: jinja2.runtime.Context, to_path: str) -> str:
        """A link from the page being rendered; a marker for the page to fill in while `once` makes a macro's output."""
        if self.deferring:
            return f"\x00link:{to_path}\x00"
        return self.link(context["page_path"], to_path)

    def link(self, from_path: str, to_path: str) -> str:
        """A relative link; the 404 page, served at any depth, links from the site's root path instead."""
        if from_path == "404.html" and not self.settings.offline:
            return self.root_path + to_path
        return relative_url(from_path, to_path, self.settings.offline)

    def render(self, plan: PagePlan) -> bytes:
        try:
            values = {**plan.values, "page": plan, "page_path": plan.path}
            if plan.body is not None:
                values["body_html"] = Markup(self.body_html(plan.body, plan.path))
            return self.environment.get_template(plan.template).render(values).encode("utf-8")
        except jinja2.TemplateSyntaxError as error:
            location = shown_path(error.filename or plan.template)
            raise TemplateProblem(Diagnostic(location, error.lineno, error.message or "")) from error

        except jinja2.TemplateError as error:
            raise TemplateProblem(self._locate(error, plan.template)) from error

    def body_html(self, page: Page, page_path: str) -> str:
        def link_html(link: Link) -> str:
            kind, title = self.targets[link.slug]
            return anchor(self.link(page_path, site_path(kind, link.slug)), link.label or title)

        def dose_box_html(slug: str) -> str:
            template = self.environment.get_template(DOSE_BOX)
            return template.render(exercise=self.guide.exercises[slug], page_path=page_path)

        def image_html(number: int) -> str:
            template = self.environment.get_template(BODY_PICTURE)
            return template.render(picture=page.body_media[number], page_path=page_path)

        try:
            return self.converter.convert(page.body, link_html, dose_box_html, image_html)
        except MarkdownTooDeep as error:
            # The body begins on the front matter's closing line; point at the first line of its text instead.
            line = page.body_line + len(page.body) - len(page.body.lstrip("\n"))
            message = "the body nests too deeply for Markdown to convert"
            hint = "flatten its lists, quotes, emphasis or HTML blocks"
            raise TemplateProblem(Diagnostic(str(page.path), line, message, hint)) from error

    def _locate(self, error: jinja2.TemplateError, template: str) -> Diagnostic:
        """The template file and line a render error came from, read off the traceback Jinja rewrites."""
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            path = Path(frame.filename)
            if any(folder in path.parents for folder in self.folders):
                return Diagnostic(shown_path(path), frame.lineno or 1, f"template error: {error.message or error}")
        return Diagnostic(template, 1, f"template error: {error.message or error}")
