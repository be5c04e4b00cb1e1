"""The preview's quick paths: a save that changes only Markdown bodies, or only pictures, re-renders just the
pages that show them.

A body shows on its own page and nowhere else: lists, links, cards and the
feed show titles, summaries and doses, and a page's fingerprint covers its
own body only (see `incremental.py`). So when a file's front matter and the
links in its body are as the last good build left them, no other page can
change.

A picture file saved again changes its renditions' names (they carry the
digest of its bytes), and every page that shows it names them: its own page,
lists with thumbnails, routine pages, cards. Those pages are found by the old
names in the site's files, rendered again, and the new renditions made; the
rest of the site stays as it is.

Anything more (a title, a new link, a new file, a template) takes the full
incremental build, which compares the fingerprint of every page.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.crossref import cross_index
from builder.diagnostics import Diagnostics
from builder.files import regular_file
from builder.media import Picture
from builder.mediaread import MediaReader
from builder.model import Guide, Page
from builder.pages import PagePlan, output_file, plan_pages
from builder.publish_media import Made, made_files
from builder.render import Renderer, TemplateProblem
from builder.social import ShareCard, find_fonts, share_card
from builder.source import DocumentCache
from builder.validate import reread_page

__all__ = ["Edits", "LastBuild"]


@dataclass(frozen=True)
class Edits:
    """Pages read again after a save the quick path can take, and the pictures and share images to make for them.

    The builder starts making those on other cores, then renders the pages that show them meanwhile.
    """

    pages: dict[str, Page]
    """By the absolute path of their file."""
    made: tuple[Made, ...] = ()
    retired: frozenset[str] = frozenset()
    """Site paths of the files of the pictures' old versions, which no page shows any more."""
    stale: frozenset[bytes] | None = None
    """For pictures changed, not bodies: what the names of their old files begin with. Every page of the site
    that names one is rendered again."""
    renames: tuple[tuple[bytes, bytes], ...] | None = None
    """For pictures whose new bytes change nothing but their files' names (same size, same transparency): each old
    name, after the `/` of its folder, with the new one. The pages that name them are the same but for those
    names, so they are written by putting the new names in, not rendered."""

    @property
    def pictures(self) -> bool:
        return self.stale is not None


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
    samples: tuple[PagePlan, ...]
    """A plan of each template, for `warm_up`: pages the last build rendered in other processes compile nothing here."""

    @classmethod
    def of(
        cls, guide: Guide, renderer: Renderer, token: str, plans: Sequence[PagePlan], media: MediaReader
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
        samples = {plan.template: plan for plan in plans}
        return cls(guide, renderer, token, body_plans, sources, media, tuple(samples.values()))

    def warm_up(self) -> None:
        """Render a page of each template once, so the quick path never waits for Jinja to compile one."""
        for plan in self.samples:
            try:
                self.renderer.render(plan)
            except TemplateProblem:
                continue  # the next build reports it

    def edits(self, changed: list[Path], documents: DocumentCache) -> Edits | None:
        """What the saves of `changed` edited, when the quick path can build it; else None."""
        bodies = self.body_edits(changed, documents)
        return Edits(bodies) if bodies else self.picture_edits(changed, documents)

    def render(self, edits: Edits, output: Path) -> tuple[dict[str, bytes], LastBuild] | None:
        """The page files the edits change in the site `output` this build left, and what this build leaves;
        None when a template fails.
        """
        if edits.stale is None:
            return self._render_bodies(edits)
        return self._render_pictures(edits, edits.stale, output)

    def body_edits(self, changed: Iterable[Path], documents: DocumentCache) -> dict[str, Page] | None:
        """The pages of the `changed` files read again; None unless only their bodies changed, cleanly."""
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
            edits[os.path.abspath(page.path)] = edited
        return edits

    def picture_edits(self, changed: Iterable[Path], documents: DocumentCache) -> Edits | None:
        """The pages that show the `changed` files, read again; None unless each file is a picture a page shows
        and nothing else about those pages changed.
        """
        sources = {form for path in changed for form in (os.path.abspath(path), os.path.realpath(path))}
        showing: list[tuple[str, Page]] = []
        shown: set[str] = set()
        for kind, page in self.sources.values():
            found = {form for picture in page.pictures for form in _names_of(picture)}
            if sources & found:
                showing.append((kind, page))
                shown |= found
        if not showing or not sources <= shown:
            return None
        edits: dict[str, Page] = {}
        for kind, page in showing:
            diagnostics = Diagnostics()
            document = documents.read(page.path, diagnostics)
            edited = document and reread_page(self.guide, kind, page, document, self.media, diagnostics)
            if not edited or _without_pixels(edited, sources) != _without_pixels(page, sources):
                return None
            edits[os.path.abspath(page.path)] = edited
        before = {picture for _, page in showing for picture in page.pictures}
        after = {picture for page in edits.values() for picture in page.pictures}
        cards, old_cards = self._share_cards(edits.values()), self._share_cards(page for _, page in showing)
        pages_now = [edits.get(path, page) for path, (_, page) in self.sources.items()]
        in_use = {name for page in pages_now for picture in page.pictures for name in made_files(picture)}
        gone: list[Made] = [*(before - after), *old_cards]
        retired = {name for made in gone for name in made_files(made)} - in_use - {card.path for card in cards}
        made = {picture.fallback.path: picture for picture in after - before}  # a poster may be the main image too
        retired_names = {name.rsplit("/", 1)[-1] for name in retired}  # a theme may name a share image alone
        stale = {picture.name_stem for picture in before - after} | retired_names
        renames = _renames(before - after, after - before, old_cards, cards)
        stale_names = frozenset(map(str.encode, stale))
        return Edits(edits, (*made.values(), *cards), frozenset(retired), stale_names, renames)

    def _share_cards(self, pages: Iterable[Page]) -> list[ShareCard]:
        """The share images of `pages`, when the site has them (they need `base_url`)."""
        settings = self.guide.settings
        fonts = find_fonts(self.renderer.folders)
        words = self.guide.words
        return [share_card(page, settings, fonts, words) for page in pages] if settings.base_url else []

    def _render_bodies(self, edits: Edits) -> tuple[dict[str, bytes], LastBuild] | None:
        files: dict[str, bytes] = {}
        body_plans = dict(self.body_plans)
        sources = dict(self.sources)
        for path, page in edits.pages.items():
            kind, old = sources[path]
            plans = tuple(
                dataclasses.replace(
                    plan, body=page, values={key: page if value is old else value for key, value in plan.values.items()}
                )
                for plan in self.body_plans[page.slug]
            )
            try:
                files.update((output_file(plan.path), self.renderer.render(plan)) for plan in plans)
            except TemplateProblem:
                return None
            body_plans[page.slug] = plans
            sources[path] = (kind, page)
        return files, dataclasses.replace(self, body_plans=body_plans, sources=sources)

    def _render_pictures(
        self, edits: Edits, stale: frozenset[bytes], output: Path
    ) -> tuple[dict[str, bytes], LastBuild] | None:
        """Every page of `output` that names a file of an old version of the edited pictures, made again: with the
        new names put in where that is all that changed, else rendered.
        """
        guide = self.guide.replaced([*(page for _, page in self.sources.values()), *edits.pages.values()])
        renderer = self.renderer.for_guide(guide)
        plans = plan_pages(guide, cross_index(guide))
        files: dict[str, bytes] = {}
        try:
            for plan in plans:
                name = output_file(plan.path)
                shown = _names_any(output / name, stale)
                renamed = shown and _renamed(shown, edits.renames, stale)
                if renamed:
                    files[name] = renamed
                elif shown is not None or not regular_file(output / name):
                    files[name] = renderer.render(plan)
        except TemplateProblem:
            return None
        return files, LastBuild.of(guide, renderer, self.token, plans, self.media)


def _names_of(picture: Picture) -> tuple[str, str]:
    """The file a picture is named by, and the one it is read from, as links inside the guide lead to it."""
    return os.path.abspath(picture.source), _real_path(picture.source)


@functools.lru_cache(maxsize=65536)
def _real_path(path: Path) -> str:
    """Where a link leads, remembered: a guide's thousand pictures cost 40 ms to resolve on every save.

    A link changed since is a changed file itself, whose new target no page resolves to here: the full build takes it.
    """
    return os.path.realpath(path)


def _without_pixels(page: Page, sources: set[str]) -> Page:
    """`page` without what the bytes of the `sources` decide: their pictures' sizes, transparency, files and digest."""

    def blank(picture: Picture) -> Picture:
        if sources.isdisjoint(_names_of(picture)):
            return picture
        return dataclasses.replace(picture, width=0, height=0, alpha=False, formats=(), key="")

    media = tuple(
        blank(item)
        if isinstance(item, Picture)
        else dataclasses.replace(item, poster=None if item.poster is None else blank(item.poster))
        for item in page.media
    )
    return dataclasses.replace(page, media=media, body_media=tuple(map(blank, page.body_media)))


def _names_any(path: Path, names: frozenset[bytes]) -> bytes | None:
    """The page file at `path` if it names a file whose name begins with one of `names`; else, or if it cannot be
    read, None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if any(name in data for name in names) else None


def _renamed(page: bytes, renames: tuple[tuple[bytes, bytes], ...] | None, stale: frozenset[bytes]) -> bytes | None:
    """The page with the new names put in, or None where a name of an old file is left (not after a `/`)."""
    if renames is None:
        return None
    renamed = functools.reduce(lambda data, rename: data.replace(*rename), renames, page)
    return None if any(name in renamed for name in stale) else renamed


def _renames(
    old: Iterable[Picture], new: Iterable[Picture], old_cards: Iterable[ShareCard], cards: Iterable[ShareCard]
) -> tuple[tuple[bytes, bytes], ...] | None:
    """Each old file name with its new one, when each picture changed nothing but its digest; else None.

    Names are matched after their folder's `/`, so that another picture whose name ends like this one's (a copy
    of the same bytes named `x-plank.jpg`) keeps its own.
    """
    unnamed = {dataclasses.replace(picture, formats=(), key=""): picture for picture in new}
    renames: list[tuple[str, str]] = []
    for before in old:
        after = unnamed.pop(dataclasses.replace(before, formats=(), key=""), None)
        if after is None:
            return None  # another size or transparency, or a picture that came or went
        if [name.replace(before.name_stem, after.name_stem) for name in made_files(before)] != made_files(after):
            return None
        renames.append((before.name_stem, after.name_stem))
    cards_by_page = {(card.kind, card.slug): card for card in cards}
    for card in old_cards:
        now = cards_by_page.pop((card.kind, card.slug), None)
        if now is None:
            return None
        renames.append((card.path.rsplit("/", 1)[-1], now.path.rsplit("/", 1)[-1]))
    if unnamed or cards_by_page:
        return None
    return tuple((f"/{old_name}".encode(), f"/{new_name}".encode()) for old_name, new_name in renames)


def _beside_body(page: Page) -> tuple[Page, list[Picture]]:
    """A page without its body, and its body's pictures without their lines: what the quick path needs unchanged.

    A body picture moved by an edit is still published; a new or changed one must be made, which the full build does.
    """
    pictures = [dataclasses.replace(picture, line=0) for picture in page.body_media]
    return dataclasses.replace(page, body="", body_line=0, body_media=()), pictures
