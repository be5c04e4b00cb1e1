"""The validated guide: plain frozen values that rendering reads and nothing mutates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builder.dose import Dose, Span
from builder.media import MediaItem, Picture
from builder.words import ENGLISH, Words

__all__ = [
    "LEVELS",
    "Article",
    "CardLayout",
    "Equipment",
    "Exercise",
    "Guide",
    "LogSheet",
    "Muscle",
    "Region",
    "Routine",
    "RoutineItem",
    "Settings",
    "Taxonomy",
]

LEVELS = ("beginner", "intermediate", "advanced")


@dataclass(frozen=True)
class Settings:
    """site.yml, with the defaults of SPEC 3.1."""

    title: str
    description: str = ""
    base_url: str = ""
    language: str = "en"
    author: str = ""
    articles_per_page: int = 10
    seconds_per_rep: int = 3
    player_rest: int = 30
    player_change: int = 10
    player_switch: int = 5
    offline: bool = False
    trusted_html: bool = False
    media_formats: tuple[str, ...] = ("webp", "jpeg")
    """What pictures are published as, modern formats first; `jpeg` becomes `png` for a picture with transparency."""
    media_widths: tuple[int, ...] = (480, 960, 1440)
    media_require_license: bool = False


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Muscle:
    id: str
    name: str
    region: str


@dataclass(frozen=True)
class Equipment:
    id: str
    name: str


@dataclass(frozen=True)
class Taxonomy:
    """The controlled vocabulary front matter refers to by id, in the order the author listed it."""

    regions: dict[str, Region] = field(default_factory=dict)
    muscles: dict[str, Muscle] = field(default_factory=dict)
    equipment: dict[str, Equipment] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """What every Markdown file has: where it came from, its body, and the slugs its body links to."""

    slug: str
    path: Path
    title: str
    summary: str
    tags: tuple[str, ...]
    draft: bool
    body: str
    body_line: int
    links: tuple[str, ...]
    media: tuple[MediaItem, ...]
    """`media:` of the front matter; the first item, when it is a picture, is the page's main image."""
    body_media: tuple[Picture, ...]
    """The body's Markdown images, in the order they appear."""

    @property
    def main_image(self) -> Picture | None:
        first = self.media[0] if self.media else None
        return first if isinstance(first, Picture) else None

    @property
    def pictures(self) -> tuple[Picture, ...]:
        """Every picture the page shows: its media, the posters of its videos, and its body's images."""
        items = [item if isinstance(item, Picture) else item.poster for item in self.media]
        return (*(picture for picture in items if picture is not None), *self.body_media)


@dataclass(frozen=True)
class Exercise(Page):
    region: str
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    equipment: tuple[str, ...]
    level: str
    prescription: Dose
    cues: tuple[str, ...]
    related: tuple[str, ...]
    easier: tuple[str, ...]
    """Slugs of easier forms, as written; `builder.progressions` adds the ones implied by other exercises."""
    harder: tuple[str, ...]


@dataclass(frozen=True)
class RoutineItem:
    """One step of a routine, with the exercise's default dose merged with the routine's keys."""

    exercise: str
    dose: Dose
    note: str


@dataclass(frozen=True)
class CardLayout:
    """How a routine's card fits its page: base type size and the items (by index) in each column."""

    font_pt: float
    columns: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class LogSheet:
    """A routine's training log: its paper, the sessions it has room for, and the type size that fits them."""

    size: str
    sessions: int
    font_pt: float
    notes: float
    """The height of the row for notes in millimetres: most of what the exercises leave of the page."""


@dataclass(frozen=True)
class Routine(Page):
    level: str
    frequency: str
    card_size: str
    card_images: bool
    card_progressions: bool
    """Whether the card names each item's easier form under it."""
    items: tuple[RoutineItem, ...]
    estimate: Span
    """Seconds the player takes at the lower and the upper end of the doses' ranges."""
    card: CardLayout
    log: LogSheet


@dataclass(frozen=True)
class Article(Page):
    date: dt.date
    author: str


@dataclass(frozen=True)
class Guide:
    """Everything a build renders: drafts already left out unless asked for."""

    settings: Settings
    taxonomy: Taxonomy
    exercises: dict[str, Exercise]
    routines: dict[str, Routine]
    articles: dict[str, Article]
    words: Words = field(default=ENGLISH, compare=False, repr=False)
    """The theme's words in the guide's language, which cards and logs are measured in."""

    def pages_by_kind(self) -> dict[str, dict[str, Exercise] | dict[str, Routine] | dict[str, Article]]:
        return {"exercise": self.exercises, "routine": self.routines, "article": self.articles}

    def replaced(self, pages: Iterable[Page]) -> Guide:
        """The guide with `pages` in place of the pages of the same kind and slug, in the same order."""
        exercises, routines, articles = dict(self.exercises), dict(self.routines), dict(self.articles)
        for page in pages:
            if isinstance(page, Exercise):
                exercises[page.slug] = page
            elif isinstance(page, Routine):
                routines[page.slug] = page
            elif isinstance(page, Article):
                articles[page.slug] = page
        return dataclasses.replace(self, exercises=exercises, routines=routines, articles=articles)
