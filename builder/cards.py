"""Routine cards and training log sheets: paper sizes, and the layouts that fit a routine on one page.

Print CSS cannot shrink text to fit a page, so the layout is chosen here:
the largest type (from 11 pt down to a readable 8 pt), in one column or two
where the paper is wide enough, whose estimated height fits. Items are
placed in columns here too, so both renderers (Chromium and WeasyPrint) lay
out exactly what was measured. The estimate errs on the tall side; its
constants were measured in both renderers (tests/test_cards.py and
tests/test_logs.py print the longest routine of every size on one page).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import segno

from builder.dose import format_dose
from builder.model import CardLayout, Exercise, LogSheet, RoutineItem
from builder.words import ENGLISH, N_, Words

__all__ = [
    "CARD_PICTURE_WIDTH",
    "CARD_SIZES",
    "LOG_NAME_SHARE",
    "LOG_SIZES",
    "CardSize",
    "QrCodes",
    "card_layout",
    "larger_sizes",
    "log_layout",
    "tick_count",
]

_PT = 0.3528
"""Millimetres in a point."""


@dataclass(frozen=True)
class CardSize:
    name: str
    label: str
    width: float
    height: float
    margin: float
    qr: float
    max_columns: int


CARD_SIZES = {
    size.name: size
    for size in (
        CardSize("index-card", N_("index card (5 x 3 in)"), 127.0, 76.2, 4.0, 15.0, 2),
        CardSize("a6", N_("A6"), 105.0, 148.0, 6.0, 18.0, 1),
        CardSize("a5", N_("A5"), 148.0, 210.0, 8.0, 22.0, 2),
        CardSize("letter", N_("US letter"), 215.9, 279.4, 12.0, 28.0, 2),
        CardSize("a4", N_("A4"), 210.0, 297.0, 12.0, 28.0, 2),
    )
}
"""Sizes in millimetres, smallest first; index cards are landscape, the others portrait.

Labels are in English; pages show them in the guide's language (`_(size.label)`).
"""

LOG_SIZES = {
    size.name: size
    for size in (
        CARD_SIZES["letter"],
        CARD_SIZES["a4"],
        CardSize("a3", N_("A3"), 297.0, 420.0, 12.0, 28.0, 1),
    )
}
"""Papers a training log prints on, smallest first, turned to landscape: its width is the paper's height."""

FONT_STEPS = (11.0, 10.0, 9.0, 8.0)
"""Base type sizes in points, tried largest first; 8 pt is the smallest still read at arm's length."""

_LINE = 1.3  # line height, in ems
_CUE_SIZE = 0.85  # cues and notes, relative to the base size
_CHAR = 0.51  # average width of a character of cue text, in ems: 0.506 measured in Chromium, DejaVu Sans
_BOLD_CHAR = 0.585  # the same for bold titles and doses: 0.580 measured
_WRAP_LOSS = 5  # characters a wrapped line leaves unused at its end, on average a short word
_COLUMN_GAP = 5.0  # mm
_TICK = 1.35  # one tick box and its gap, in ems
_ITEM_PADDING = 0.85  # ems above and below an item, and its rule
CARD_PICTURE_WIDTH = 480
"""The rendition a card prints: some 20 mm wide, so 480 pixels are sharp at 600 dpi."""
_IMAGE_WIDTH = 4.2  # a card's picture of an item, in ems: its width, height and the gap before the text
_IMAGE_HEIGHT = 3.15
_IMAGE_GAP = 0.6
_CREDIT_LINE = 0.7 * _LINE  # the line under a card with pictures that credits them
LOG_NAME_SHARE = 0.28
"""The part of a log sheet's width its column of exercises takes; the sessions share the rest."""
_CELL_PADDING = 0.45  # a log cell's padding on each side, and its rule, in ems
_BOX_WIDTH = 1.9  # a log box and its gap, room for a number written by hand, in ems
_BOX_HEIGHT = 1.75
_LOG_HEAD = 2 * _CUE_SIZE * _LINE + 2 * _CELL_PADDING  # the row naming each session, with its date line
_LOG_NOTES = 4 * _LINE + 2 * _CELL_PADDING  # the row for notes under the exercises


def tick_count(item: RoutineItem) -> int:
    """One box per set, per side where the dose is per side."""
    return item.dose.sets.high * (2 if item.dose.per_side else 1)


def _lines(characters: int, per_line: float) -> int:
    if characters <= per_line:
        return 1
    return math.ceil(characters / (per_line - _WRAP_LOSS))


def _item_height(
    item: RoutineItem, exercise: Exercise, dose: str, font_pt: float, column_width: float, images: bool, easier: str
) -> float:
    """The height of an item in millimetres; with `images`, its text runs beside the exercise's picture.

    `dose` is the item's dose as the card writes it; `easier` the line naming
    the item's easier forms, if the card shows one.
    """
    em = font_pt * _PT
    pictured = images and exercise.main_image is not None
    if pictured:
        column_width -= (_IMAGE_WIDTH + _IMAGE_GAP) * em
    bold_per_line = column_width / (em * _BOLD_CHAR)
    cue_per_line = column_width / (em * _CUE_SIZE * _CHAR)
    ticks_per_row = max(1, int(column_width / (em * _TICK)))
    title = len(exercise.title) + 4
    together = title + len(dose) + 1 <= bold_per_line
    heading_lines = 1 if together else _lines(title, bold_per_line) + _lines(len(dose), bold_per_line)
    cues = len(item.note) + sum(len(cue) + 3 for cue in exercise.cues)
    height = heading_lines * _LINE

    if cues:
        height += _lines(cues, cue_per_line) * _LINE * _CUE_SIZE
    if easier:
        height += _lines(len(easier), cue_per_line) * _LINE * _CUE_SIZE
    height += math.ceil(tick_count(item) / ticks_per_row) * _TICK
    return (max(height, _IMAGE_HEIGHT if pictured else 0) + _ITEM_PADDING) * em


def _header_height(title: str, frequency: str, width: float, font_pt: float, qr: float) -> float:
    """The header over `width` millimetres: title and facts, beside a QR code `qr` millimetres wide if any."""
    em = font_pt * _PT
    text_width = width - (qr + 4 if qr else 0)

    title_lines = _lines(len(title), text_width / (em * 1.35 * _BOLD_CHAR))
    meta_lines = _lines(len(frequency) + 40, text_width / (em * _CUE_SIZE * _CHAR))
    text = (title_lines * 1.35 * 1.15 + meta_lines * _CUE_SIZE * _LINE + 0.6) * em
    return max(text, qr + 2 if qr else 0)


def card_layout(
    title: str,
    frequency: str,
    items: tuple[RoutineItem, ...],
    exercises: dict[str, Exercise],
    size: CardSize,
    with_qr: bool,
    images: bool = False,
    easier: Mapping[str, str] | None = None,
    words: Words = ENGLISH,
) -> CardLayout | None:
    """The layout with the largest type that fits one page (one column before two), or None when none does.

    With `images`, each item whose exercise has a main image shows it small
    beside its text; `easier` holds, by exercise, the line shown under an item
    that names its easier forms. Doses are measured in the card's `words`.
    """
    easier = easier or {}
    doses = [format_dose(item.dose, words) for item in items]
    for font_pt in FONT_STEPS:
        em = font_pt * _PT
        credits = _CREDIT_LINE * em if images and any(exercises[item.exercise].main_image for item in items) else 0
        header = _header_height(title, frequency, size.width - 2 * size.margin, font_pt, size.qr if with_qr else 0)
        room = size.height - 2 * size.margin - header - 1.6 * em
        room -= credits
        for columns in range(1, size.max_columns + 1):
            column_width = (size.width - 2 * size.margin - (columns - 1) * _COLUMN_GAP) / columns
            heights = [
                _item_height(
                    item, exercises[item.exercise], dose, font_pt, column_width, images, easier.get(item.exercise, "")
                )
                for item, dose in zip(items, doses, strict=True)
            ]
            placed = _fill_columns(heights, room, columns)
            if placed is not None:
                return CardLayout(font_pt, placed)
    return None


def _fill_columns(heights: list[float], room: float, columns: int) -> tuple[tuple[int, ...], ...] | None:
    """Items in order, each column filled before the next, as a reader goes down and across."""
    placed: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        if used + height > room:
            if len(placed) == columns or height > room:
                return None
            placed.append([])
            used = 0.0
        placed[-1].append(index)
        used += height
    return tuple(tuple(column) for column in placed)


def larger_sizes(size: CardSize, sizes: Mapping[str, CardSize] = CARD_SIZES) -> list[CardSize]:
    return [other for other in sizes.values() if other.width * other.height > size.width * size.height]


def _log_row_height(
    item: RoutineItem, title: str, dose: str, font_pt: float, name_width: float, session_width: float
) -> float:
    """A log row in millimetres: the exercise and its dose beside a box per set in every session's cell."""
    em = font_pt * _PT
    name_room = name_width - 2 * _CELL_PADDING * em
    name = _lines(len(title), name_room / (em * _BOLD_CHAR)) * _LINE
    name += _lines(len(dose), name_room / (em * _CUE_SIZE * _CHAR)) * _LINE * _CUE_SIZE
    per_row = max(1, int((session_width - 2 * _CELL_PADDING * em) / (em * _BOX_WIDTH)))
    boxes = math.ceil(tick_count(item) / per_row) * _BOX_HEIGHT
    return (max(name, boxes) + 2 * _CELL_PADDING) * em


def log_layout(
    title: str,
    items: tuple[RoutineItem, ...],
    exercises: Mapping[str, Exercise],
    size: CardSize,
    sessions: int,
    words: Words = ENGLISH,
) -> LogSheet | None:
    """The largest type at which a log of `sessions` fits one landscape page of `size`, or None when none does.

    The notes row takes most of the room the rows leave, so a short routine
    gets a page to write on rather than a blank lower half; 15 per cent of it
    stays free in case the rows come out taller than measured.
    """
    width, height = size.height - 2 * size.margin, size.width - 2 * size.margin
    name_width = width * LOG_NAME_SHARE
    session_width = (width - name_width) / sessions
    doses = [format_dose(item.dose, words) for item in items]
    for font_pt in FONT_STEPS:
        em = font_pt * _PT
        room = height - _header_height(title, "", width, font_pt, 0)
        room -= (_LOG_HEAD + _LOG_NOTES + 1.6) * em
        rows = 0.0
        for item, dose in zip(items, doses, strict=True):  # stops at the first row too many: a routine may be long
            rows += _log_row_height(item, exercises[item.exercise].title, dose, font_pt, name_width, session_width)
            if rows > room:
                break
        else:
            return LogSheet(size.name, sessions, font_pt, round(_LOG_NOTES * em + 0.85 * (room - rows), 1))
    return None


class QrCodes:
    """Inline SVG QR codes by URL, each made once and kept between builds in the build cache.

    segno takes some 14 ms a code to choose its mask, and a routine's code
    appears on its card, the print-all page and the four-up sheets; `made`
    and `used` tell the build what to keep.
    """

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self.known = dict(known or {})
        self.made: dict[str, str] = {}
        self.used: set[str] = set()

    def svg(self, url: str) -> str:
        """The code for `url`, sized by CSS; medium error correction survives a crumpled card."""
        self.used.add(url)
        found = self.known.get(url)
        if found is None:
            found = segno.make(url, error="m").svg_inline(omitsize=True, border=0, dark="#000")
            self.known[url] = self.made[url] = found
        return found

    def take(self) -> tuple[dict[str, str], set[str]]:
        """The codes made and the URLs used since the last call, for the build to keep."""
        taken = self.made, self.used
        self.made, self.used = {}, set()
        return taken
