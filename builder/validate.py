"""Content files to the validated `Guide`, collecting every problem on the way.

Exercises are read before routines, since a routine's items merge with their
exercise's dose; links are checked against the index that discovery built
from file names, so the order of files never matters for them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from builder.bodyimages import find_images, stray_images
from builder.cards import CARD_SIZES, LOG_SIZES, CardSize, card_layout, larger_sizes, log_layout
from builder.diagnostics import Diagnostics, did_you_mean
from builder.discovery import SourceFile, discover
from builder.dose import DOSE_KEYS, Dose, DoseError, FieldValue, Span, make_dose, merge, parse_field
from builder.fields import Fields
from builder.links import find_links
from builder.mediaread import MediaReader
from builder.model import (
    LEVELS,
    Article,
    CardLayout,
    Exercise,
    Guide,
    LogSheet,
    Page,
    Routine,
    RoutineItem,
    Settings,
    Taxonomy,
)
from builder.nesting import MAX_DEPTH, too_deep
from builder.probe import Probe
from builder.progressions import Edge, Progressions, closing_cycles, progressions
from builder.settings import load_settings
from builder.source import Document, DocumentCache
from builder.steps import ENDS, Timing, plan_seconds, step_plan
from builder.taxonomy import load_taxonomy
from builder.theme import theme_folders
from builder.words import Words, languages, translations
from builder.yamltree import Node

__all__ = ["load_guide", "reread_page"]

_Page = TypeVar("_Page", Exercise, Routine, Article)

_PAGE_KEYS = ("title", "summary", "tags", "draft", "media")
_EXERCISE_KEYS = (
    *_PAGE_KEYS,
    *("region", "muscles", "equipment", "level", "prescription", "cues", "related", "easier", "harder"),
)
_ROUTINE_KEYS = (*_PAGE_KEYS, "level", "frequency", "card", "log", "exercises")
_ARTICLE_KEYS = (*_PAGE_KEYS, "date", "author")
_ITEM_KEYS = ("exercise", "note", *DOSE_KEYS)


@dataclass(frozen=True)
class _Step:
    """One step of a ladder where it was written, kept to check at the end that no ladder goes round in a circle."""

    edge: Edge
    source: Path
    line: int


@dataclass(frozen=True)
class _Reference:
    """A slug named somewhere, kept to check at the end that no published page points at a draft."""

    source: Path
    line: int
    slug: str
    from_draft: bool


class _Loader:
    def __init__(
        self,
        settings: Settings,
        taxonomy: Taxonomy,
        kinds: dict[str, str],
        media: MediaReader,
        diagnostics: Diagnostics,
        words: Words,
    ) -> None:
        """`kinds` gives the kind of page of every slug there is, for checking links before all pages are read.

        `words`, the theme's in the guide's language, are what cards and logs are measured in.
        """
        self.settings = settings
        self.words = words
        self.media = media
        self.taxonomy = taxonomy
        self.diagnostics = diagnostics
        self.kinds = kinds
        self.targets = set(self.kinds) | set(taxonomy.regions) | set(taxonomy.muscles)
        self.references: list[_Reference] = []
        self.steps: list[_Step] = []
        self.ladders: Progressions | None = None
        """Worked out when the first routine card needs it: every exercise is read before any routine."""
        self.exercises: dict[str, Exercise] = {}
        self.routines: dict[str, Routine] = {}
        self.articles: dict[str, Article] = {}
        self.readers = {"exercise": self.exercise, "routine": self.routine, "article": self.article}
        self.pages: dict[str, Mapping[str, Page]] = {
            "exercise": self.exercises,
            "routine": self.routines,
            "article": self.articles,
        }

    def error(self, path: Path, line: int, message: str, hint: str = "") -> None:
        self.diagnostics.error(path, line, message, hint)

    def refer(self, fields: Fields, line: int, slug: str) -> None:
        draft = fields.entries.get("draft")
        self.references.append(_Reference(fields.path, line, slug, bool(draft and draft.value.value is True)))

    def page(self, source: SourceFile, document: Document, fields: Fields) -> dict[str, object]:
        """The keys every kind of page shares, and the links of its body."""
        links = []
        for link in find_links(document.body, document.body_line):
            if link.is_dose_box:
                self.check_dose_box(document, link.line, link.slug, link.start, link.end)
            elif link.target not in self.targets:
                hint = did_you_mean(link.target, self.targets)
                self.error(document.path, link.line, f"unknown link target '[[{link.target}]]'", hint)
                continue
            if link.slug in self.kinds:
                self.refer(fields, link.line, link.slug)
            links.append(link.slug)
        deep = too_deep(document.body)
        if deep is not None:
            message = f"the body nests more than {MAX_DEPTH} levels deep"
            hint = "flatten the lists, quotes, emphasis or HTML blocks nested here"
            self.error(document.path, document.body_line + deep, message, hint)
        media = self.media.items(fields)
        for line in stray_images(document.body, document.body_line):
            hint = 'write it as ![what it shows](path/to/picture.jpg "caption"), a file of the guide'
            self.error(document.path, line, "an image the site cannot publish", hint)
        return {
            "slug": source.slug,
            "path": source.path,
            "title": fields.text("title", required=True, max_length=80),
            "summary": fields.text("summary", required=source.kind == "exercise", max_length=200),
            "tags": tuple(tag for tag, _ in fields.slugs("tags")),
            "draft": fields.boolean("draft"),
            "body": document.body,
            "body_line": document.body_line,
            "links": tuple(dict.fromkeys(links)),
            "media": media,
            "body_media": self.media.body_pictures(fields, find_images(document.body, document.body_line), media),
        }

    def check_dose_box(self, document: Document, line: int, slug: str, start: int, end: int) -> None:
        body = document.body
        line_start = body.rfind("\n", 0, start) + 1
        line_end = body.find("\n", end)
        if body[line_start : line_end if line_end >= 0 else None].strip() != body[start:end]:
            self.error(document.path, line, "a dose box '[[dose:...]]' must stand on a line of its own")
        if self.kinds.get(slug) != "exercise":
            exercises = [s for s, kind in self.kinds.items() if kind == "exercise"]
            self.error(document.path, line, f"unknown exercise '{slug}' in a dose box", did_you_mean(slug, exercises))

    def exercise(self, source: SourceFile, document: Document) -> None:
        fields = Fields(document.front, source.path, self.diagnostics, _EXERCISE_KEYS)
        page = self.page(source, document, fields)
        muscles = fields.mapping("muscles", ("primary", "secondary"), required=True)
        primary = muscles.ids("primary", self.taxonomy.muscles, "muscle", required=True) if muscles else ()
        secondary = muscles.ids("secondary", self.taxonomy.muscles, "muscle") if muscles else ()
        if muscles:
            muscles.finish()
            for item in muscles.list_nodes("secondary"):
                if item.value in primary:
                    fields.error(item.line, f"muscle '{item.value}' is both primary and secondary", "list it once")
        related = self.exercise_slugs(fields, "related", source.slug, "related to itself")
        easier = self.exercise_slugs(fields, "easier", source.slug, "easier than itself")
        harder = self.exercise_slugs(fields, "harder", source.slug, "harder than itself")
        self.steps += [_Step((slug, source.slug), source.path, line) for slug, line in easier]
        self.steps += [_Step((source.slug, slug), source.path, line) for slug, line in harder]
        prescription = self.prescription(fields)
        exercise = Exercise(
            **page,  # type: ignore[arg-type]
            region=fields.choice("region", self.taxonomy.regions),
            primary=primary,
            secondary=tuple(m for m in secondary if m not in primary),
            equipment=fields.ids("equipment", self.taxonomy.equipment, "equipment"),
            level=fields.choice("level", LEVELS, "beginner"),
            prescription=prescription or Dose(reps=None),
            cues=fields.texts("cues", max_length=80),
            related=tuple(slug for slug, _ in related),
            easier=tuple(slug for slug, _ in easier),
            harder=tuple(slug for slug, _ in harder),
        )
        fields.finish()
        if prescription is not None:
            self.exercises[source.slug] = exercise

    def exercise_slugs(self, fields: Fields, key: str, own: str, itself: str) -> list[tuple[str, int]]:
        """The exercises a list names, with their lines: each must exist and be another exercise."""
        found = []
        for slug, line in fields.slugs(key):
            if slug == own:
                fields.error(line, f"an exercise cannot be {itself}")
            elif self.kinds.get(slug) != "exercise":
                exercises = [s for s, kind in self.kinds.items() if kind == "exercise"]
                fields.error(line, f"unknown exercise '{slug}' in '{key}'", did_you_mean(slug, exercises))
            else:
                self.refer(fields, line, slug)
                found.append((slug, line))
        return found

    def check_ladders(self) -> None:
        """A step that closes a circle is an error at its line, naming the circle from easier to harder."""
        for index, circle in closing_cycles([step.edge for step in self.steps]):
            step = self.steps[index]
            message = f"progressions go round in a circle: {' -> '.join(circle)}"
            self.error(step.source, step.line, message, "each step must be harder than the one before; remove one")

    def prescription(self, fields: Fields) -> Dose | None:
        dose_fields = fields.mapping("prescription", DOSE_KEYS, required=True)
        if dose_fields is None:
            return None
        dose_fields.finish()
        parsed = self.dose_fields(dose_fields)
        if parsed is None:
            return None
        try:
            return make_dose(parsed)
        except DoseError as error:
            fields.error(fields.line("prescription"), str(error))
            return None

    def dose_fields(self, fields: Fields) -> dict[str, FieldValue] | None:
        """The dose keys of a mapping, each parsed; None when any of them is wrong."""
        parsed: dict[str, FieldValue] = {}
        valid = True
        for key in DOSE_KEYS:
            entry = fields.entries.get(key)
            if entry is None:
                continue
            try:
                parsed[key] = parse_field(key, _plain(entry.value))
            except DoseError as error:
                fields.error(entry.value.line, str(error))
                valid = False
        return parsed if valid else None

    def routine(self, source: SourceFile, document: Document) -> None:
        fields = Fields(document.front, source.path, self.diagnostics, _ROUTINE_KEYS)
        page = self.page(source, document, fields)
        card = fields.mapping("card", ("size", "images", "progressions"))
        card_size = card.choice("size", CARD_SIZES, "a6") if card else "a6"
        card_images = card.boolean("images") if card else False
        card_progressions = card.boolean("progressions") if card else False
        if card:
            card.finish()
        log = fields.mapping("log", ("size", "sessions"))
        log_size = log.choice("size", LOG_SIZES, "a4") if log else "a4"
        sessions = log.integer("sessions", 6, 1, 12) if log else 6
        if log:
            log.finish()
        items = tuple(
            item for node in fields.list_nodes("exercises", required=True) if (item := self.routine_item(fields, node))
        )
        frequency = fields.text("frequency", max_length=60)
        title = str(page["title"])
        easier = self.easier_lines(items) if card_progressions else {}
        routine = Routine(
            **page,  # type: ignore[arg-type]
            level=fields.choice("level", LEVELS, "beginner"),
            frequency=frequency,
            card_size=card_size,
            card_images=card_images,
            card_progressions=card_progressions,
            items=items,
            estimate=Span(*(plan_seconds(step_plan(items, Timing.of(self.settings), end)) for end in ENDS)),
            card=self.card(fields, title, frequency, items, card_size, card_images, easier),
            log=self.log_sheet(fields, title, items, log_size, sessions),
        )
        fields.finish()
        self.routines[source.slug] = routine

    def easier_lines(self, items: tuple[RoutineItem, ...]) -> dict[str, str]:
        """The line a card shows under each item with an easier form, by exercise."""
        if self.ladders is None:
            self.ladders = progressions(self.exercises)
        lines = {}
        for item in items:
            easier = self.ladders.easier.get(item.exercise, ())
            if easier:
                titles = ", ".join(self.exercises[slug].title for slug in easier)
                lines[item.exercise] = self.words.gettext("Easier: %(exercises)s") % {"exercises": titles}
        return lines

    def card(
        self,
        fields: Fields,
        title: str,
        frequency: str,
        items: tuple[RoutineItem, ...],
        size: str,
        images: bool,
        easier: dict[str, str],
    ) -> CardLayout:
        """The card's layout; a routine too long for its card size is an error naming a size that fits."""
        with_qr = bool(self.settings.base_url)

        def layout(paper: CardSize) -> CardLayout | None:
            return card_layout(title, frequency, items, self.exercises, paper, with_qr, images, easier, self.words)

        found = layout(CARD_SIZES[size])
        if found is not None:
            return found
        fitting = [other.name for other in larger_sizes(CARD_SIZES[size]) if layout(other)]
        hint = f"use card size '{fitting[0]}'" if fitting else "split it into shorter routines"
        fields.error(fields.line("exercises"), f"routine too long for its card size '{size}'", hint)
        return CardLayout(0, ())

    def log_sheet(
        self, fields: Fields, title: str, items: tuple[RoutineItem, ...], size: str, sessions: int
    ) -> LogSheet:
        """The log's layout; a log that cannot fit is an error naming fewer sessions or a larger paper that fit."""

        def layout(paper: CardSize, count: int) -> LogSheet | None:
            return log_layout(title, items, self.exercises, paper, count, self.words)

        found = layout(LOG_SIZES[size], sessions)
        if found is not None:
            return found
        fewer = next((count for count in range(sessions - 1, 0, -1) if layout(LOG_SIZES[size], count)), 0)
        larger = [paper.name for paper in larger_sizes(LOG_SIZES[size], LOG_SIZES) if layout(paper, sessions)]
        ways = ([f"log.sessions: {fewer}"] if fewer else []) + ([f"log.size: {larger[0]}"] if larger else [])
        hint = f"it fits with {' or '.join(ways)}" if ways else "split it into shorter routines"
        message = f"routine too long for a log sheet of {sessions} sessions on '{size}'"
        fields.error(fields.line("exercises"), message, hint)
        return LogSheet(size, sessions, 0, 0)

    def routine_item(self, routine: Fields, node: Node) -> RoutineItem | None:
        """A bare slug takes the exercise's dose; a mapping's dose keys replace it key by key."""
        if node.kind == "mapping":
            fields = Fields(node, routine.path, self.diagnostics, _ITEM_KEYS)
            fields.finish()
            slug = fields.text("exercise", required=True)
            note = fields.text("note", max_length=100)
            overrides = self.dose_fields(fields)
            line = fields.line("exercise")
        else:
            slug = routine.text_of("exercises", node) or ""
            note, overrides, line = "", {}, node.line
        if not slug:
            return None
        if self.kinds.get(slug) != "exercise":
            exercises = [s for s, kind in self.kinds.items() if kind == "exercise"]
            routine.error(line, f"unknown exercise '{slug}' in 'exercises'", did_you_mean(slug, exercises))
            return None
        self.refer(routine, line, slug)
        exercise = self.exercises.get(slug)
        if exercise is None or overrides is None:
            return None
        try:
            dose = merge(exercise.prescription, overrides)
        except DoseError as error:
            routine.error(line, f"{error} (after merging with the dose of '{slug}')")
            return None
        return RoutineItem(slug, dose, note)

    def article(self, source: SourceFile, document: Document) -> None:
        fields = Fields(document.front, source.path, self.diagnostics, _ARTICLE_KEYS)
        page = self.page(source, document, fields)
        date = fields.date("date")
        author = fields.text("author", max_length=80, default=self.settings.author)
        fields.finish()
        if date is not None:
            self.articles[source.slug] = Article(**page, date=date, author=author)  # type: ignore[arg-type]

    def check_drafts(self) -> None:
        drafts = {
            slug
            for pages in (self.exercises, self.routines, self.articles)
            for slug, page in pages.items()
            if page.draft
        }
        for reference in self.references:
            if reference.slug in drafts and not reference.from_draft:
                self.error(
                    reference.source,
                    reference.line,
                    f"'{reference.slug}' is a draft and is left out of the build",
                    "publish it (draft: false) or build with --drafts",
                )


def _plain(node: Node) -> object:
    """A dose value as the dose parser takes it: YAML 1.1 oddities such as `10:00` stay as written."""
    if node.kind == "list":
        return [_plain(item) for item in node.items]
    if node.kind == "whole number" and not node.text.lstrip("+-").isdigit():
        return node.text
    return node.value


def load_guide(
    content: Path,
    diagnostics: Diagnostics,
    drafts: bool = False,
    overrides: Mapping[str, Any] | None = None,
    documents: DocumentCache | None = None,
    probe: Probe | None = None,
    theme: list[Path] | None = None,
) -> Guide | None:
    """The whole guide, or None when anything is wrong; `diagnostics` then says what.

    `overrides` replace settings (from the command line) before anything is
    checked against them; `documents` saves parsing unchanged files again,
    and `probe` reading media files again. `theme`, the theme's folders
    (the default theme's alone when not given), has the languages a guide may be written in.
    """
    theme = theme or theme_folders(None)
    settings = load_settings(content, diagnostics, languages(theme))
    taxonomy = load_taxonomy(content, diagnostics)
    if settings is None or taxonomy is None:
        return None
    settings = dataclasses.replace(settings, **(overrides or {}))
    files = discover(content, taxonomy, diagnostics)
    media = MediaReader(content, settings, probe or Probe())
    words = translations(theme, settings.language)
    loader = _Loader(settings, taxonomy, {source.slug: source.kind for source in files}, media, diagnostics, words)
    documents = documents or DocumentCache()
    for source in files:
        document = documents.read(source.path, diagnostics)
        if document is not None:
            loader.readers[source.kind](source, document)
    loader.check_ladders()
    if not drafts:
        loader.check_drafts()
    if diagnostics:
        return None

    def published(pages: dict[str, _Page]) -> dict[str, _Page]:
        return {slug: page for slug, page in pages.items() if drafts or not page.draft}

    pages = (published(loader.exercises), published(loader.routines), published(loader.articles))
    return Guide(settings, taxonomy, *pages, words=words)


def reread_page(
    guide: Guide, kind: str, page: Page, document: Document, media: MediaReader, diagnostics: Diagnostics
) -> Page | None:
    """`page` read again from `document` and checked on its own against the rest of `guide`, the last good one.

    Only the guide's published pages are known as link targets here, so a
    new link to a draft is an error; the caller, which wants nothing but a
    page whose front matter and links are as before, then checks the whole guide.
    """
    kinds = {slug: kind for kind, pages in guide.pages_by_kind().items() for slug in pages}
    loader = _Loader(guide.settings, guide.taxonomy, kinds, media, diagnostics, guide.words)
    loader.exercises.update(guide.exercises)
    problems = len(diagnostics)
    loader.readers[kind](SourceFile(kind, page.slug, page.path), document)
    return loader.pages[kind].get(page.slug) if len(diagnostics) == problems else None
