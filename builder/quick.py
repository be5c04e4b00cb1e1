"""The preview's quick path: a save that changes only the Markdown body of pages re-renders just those pages.

A body shows on its own page and nowhere else: lists, links, cards and the
feed show titles, summaries and doses, and a page's fingerprint covers its
own body only (see `incremental.py`). So when a file's front matter and the
links in its body are as the last good build left them, no other page can
change. Anything more (a title, a new link, a new file, a template) takes the
full incremental build, which compares the fingerprint of every page.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.files import regular_file
from builder.media import Picture
from builder.mediaread import MediaReader
from builder.model import Guide, Page
from builder.pages import PagePlan, output_file
from builder.render import Renderer, TemplateProblem
from builder.source import DocumentCache
from builder.validate import reread_page

__all__ = ["LastBuild"]


@dataclass(frozen=True)
class LastBuild:
    """What the last good build of a running builder leaves in memory: its guide, renderer and body pages.

    `token` names the site it describes (see `output.site_token`). Pages
    edited since are in `sources` and `body_plans`; `guide` keeps them as
    they were, which differs only in bodies, and is read for nothing else.
    """

    guide: Guide
    renderer: Renderer
    token: str
    body_plans: dict[str, tuple[PagePlan, ...]]
    """The plans that show each page's body, by the page's slug."""
    sources: Mapping[str, tuple[str, Page]]
    """Every page, with its kind, by the absolute path of its file."""
    media: MediaReader
    """Reads the media of edited pages, with the builder's probe, so unchanged pictures are not read again."""

    @classmethod
    def of(
        cls, guide: Guide, renderer: Renderer, token: str, plans: Iterable[PagePlan], media: MediaReader
    ) -> LastBuild:
        body_plans: dict[str, tuple[PagePlan, ...]] = {}
        for plan in plans:
            if plan.body is not None:
                body_plans[plan.body.slug] = (*body_plans.get(plan.body.slug, ()), plan)
        sources = {
            os.path.abspath(page.path): (kind, page)
            for kind, pages in guide.pages_by_kind().items()
            for page in pages.values()
        }
        return cls(guide, renderer, token, body_plans, sources, media)

    def warm_up(self) -> None:
        """Render a page of each kind once, so the quick path never waits for Jinja to compile a template."""
        first = {plan.template: plan for plans in self.body_plans.values() for plan in plans}
        for plan in first.values():
            try:
                self.renderer.render(plan)
            except TemplateProblem:
                continue  # the next build reports it

    def body_edits(self, changed: Iterable[Path], documents: DocumentCache) -> dict[str, Page] | None:
        """The pages of the `changed` files read again, by slug; None unless only their bodies changed, cleanly."""
        edits: dict[str, Page] = {}
        for path in changed:
            known = self.sources.get(os.path.abspath(path))
            if known is None or not regular_file(path):  # a new file, one deleted, or a link put in its place
                return None
            kind, page = known
            diagnostics = Diagnostics()
            document = documents.read(page.path, diagnostics)
            edited = document and reread_page(self.guide, kind, page, document, self.media, diagnostics)
            if not edited or _beside_body(edited) != _beside_body(page):
                return None
            edits[page.slug] = edited
        return edits

    def render(self, edits: dict[str, Page]) -> tuple[dict[str, bytes], LastBuild] | None:
        """The files the edited bodies change, and what this build leaves; None when a template fails."""
        files: dict[str, bytes] = {}
        body_plans = dict(self.body_plans)
        for slug, page in edits.items():
            old = self.sources[os.path.abspath(page.path)][1]
            plans = tuple(
                dataclasses.replace(
                    plan, body=page, values={key: page if value is old else value for key, value in plan.values.items()}
                )
                for plan in self.body_plans[slug]
            )
            try:
                files.update((output_file(plan.path), self.renderer.render(plan)) for plan in plans)
            except TemplateProblem:
                return None
            body_plans[slug] = plans
        sources = dict(self.sources)
        for page in edits.values():
            sources[os.path.abspath(page.path)] = (sources[os.path.abspath(page.path)][0], page)
        return files, dataclasses.replace(self, body_plans=body_plans, sources=sources)


def _beside_body(page: Page) -> tuple[Page, list[Picture]]:
    """A page without its body, and its body's pictures without their lines: what the quick path needs unchanged.

    A body picture moved by an edit is still published; a new or changed one must be made, which the full build does.
    """
    pictures = [dataclasses.replace(picture, line=0) for picture in page.body_media]
    return dataclasses.replace(page, body="", body_line=0, body_media=()), pictures
