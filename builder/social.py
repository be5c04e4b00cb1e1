"""The 1200 x 630 picture a link to an exercise, routine or article shows when it is shared.

Drawn with Pillow alone (no Cairo, no browser): the site's title, the page's
title, one line saying what it asks of the reader (the dose, the routine's
time, the article's date), and the page's main image on the right half.

Like the media renditions, every card is named before anything is drawn, by
a digest of all it is drawn from (its texts, its picture's key, the font
files' bytes and `RECIPE`), so pages can link to it at once, the build can
draw it later, in any process, and a cache can keep it for as long as its
name holds. A card with a photo is a JPEG, one without a PNG: the format is
part of the name, so it is chosen from the inputs rather than by trying both.

The fonts come from the theme (`fonts/` in its folders, local first), so a
theme can replace them; DejaVu ships with the default theme.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

import PIL
from PIL import Image, ImageDraw, ImageFont

from builder.dates import long_date
from builder.dose import format_dose, format_estimate
from builder.imaging import in_srgb, open_upright, source_digest
from builder.media import Picture
from builder.model import Article, Exercise, Guide, Page, Routine, Settings
from builder.probe import MediaProblem
from builder.words import Words

__all__ = [
    "HEIGHT",
    "RECIPE",
    "TEXT_WIDTH",
    "TITLE_SIZES",
    "WIDTH",
    "Fonts",
    "ShareCard",
    "draw_share_image",
    "find_fonts",
    "fit_text",
    "share_card",
    "share_cards",
]

WIDTH, HEIGHT = 1200, 630
"""The size Open Graph and Twitter's large card crop least."""
RECIPE = f"share pillow={PIL.__version__} code={source_digest(__file__)}"
"""Part of every card's name: a new Pillow or a change to how cards are drawn draws them again."""
SOCIAL_FOLDER = "social/"
FONT_FILES = ("fonts/DejaVuSans-Bold.ttf", "fonts/DejaVuSans.ttf")
"""The bold face for the title, the regular one for the rest; a theme may replace either file."""

_MARGIN = 64
_SPLIT = WIDTH // 2
"""Where the picture (or the coloured panel) begins; the text keeps to the left of it."""
TEXT_WIDTH = _SPLIT - _MARGIN - 48
"""How wide the text column is; titles wrap to it."""
_BACKGROUND = "#fbfaf7"
_TEXT = "#1d2327"
_MUTED = "#55606a"
_ACCENT = "#0d6e5b"
_ON_ACCENT = "#dff1ec"
_DOSE_BACKGROUND = "#fff4d6"
_DOSE_TEXT = "#4a3500"
_PNG_COLOURS = 64
TITLE_SIZES = (68, 60, 54, 48, 42, 36, 32, 28)
"""The title's sizes in pixels, tried in order: the smallest fits 80 characters of ordinary words, the most allowed."""
_SUBTITLE_SIZES = (32, 28, 24)
_SITE_SIZES = (28, 24, 20)
_NUMBER_SPACE = re.compile(r"(?<=\d) (?=[a-z])")
"""The space between a number and its unit or noun (`10 s`, `12 reps`), which the subtitle never breaks at."""


@dataclass(frozen=True)
class Fonts:
    """The two font files cards are drawn with, and a digest of their bytes for the cards' names."""

    bold: Path
    regular: Path
    digest: str


@dataclass(frozen=True)
class ShareCard:
    """Everything one share image is drawn from; `path` is its place in the site, named by all of it."""

    kind: str
    label: str
    """The kind of page as the card says it, in the guide's language: `Exercise`."""
    slug: str
    site_title: str
    title: str
    subtitle: str
    picture: Picture | None
    fonts: Fonts
    width: ClassVar[int] = WIDTH
    height: ClassVar[int] = HEIGHT

    @property
    def photo(self) -> Picture | None:
        """The picture drawn on the card: none for an SVG, which Pillow cannot decode."""
        if self.picture is None or self.picture.formats[-1].extension == "svg":
            return None
        return self.picture

    @property
    def extension(self) -> str:
        """JPEG for a photo, whose noise PNG compresses badly; PNG for flat colour and text, which JPEG smears."""
        return "jpeg" if self.photo is not None else "png"

    @property
    def mime(self) -> str:
        return f"image/{self.extension}"

    @property
    def digest(self) -> str:
        """A digest of everything the card is drawn from."""
        inputs = [RECIPE, self.label, self.site_title, self.title, self.subtitle, self.fonts.digest, self.extension]
        inputs.append(self.photo.key if self.photo is not None else "")
        return hashlib.sha256("\0".join(inputs).encode()).hexdigest()

    @property
    def path(self) -> str:
        return f"{SOCIAL_FOLDER}{self.kind}-{self.slug}.{self.digest[:12]}.{self.extension}"

    @property
    def alt(self) -> str:
        """What the image says, for `og:image:alt`: its text, then what its picture shows."""
        text = f"{self.title}: {self.subtitle}"
        return f"{text}. {self.photo.alt}" if self.photo is not None and self.photo.alt else text


def find_fonts(folders: list[Path]) -> Fonts:
    """The card fonts from the first theme folder that has each file; the default theme always does."""
    found = []
    for name in FONT_FILES:
        candidates = [folder / name for folder in folders if (folder / name).is_file()]
        if not candidates:
            raise FileNotFoundError(f"no theme folder has {name}")
        found.append(candidates[0])
    digest = hashlib.sha256("".join(_file_digest(path) for path in found).encode()).hexdigest()
    return Fonts(found[0], found[1], digest)


def _file_digest(path: Path) -> str:
    """A file's digest, read again only when its size or time changes: a rebuild costs a `stat`, not 1.5 MB."""
    status = path.stat()
    return _digest_of(path, status.st_size, status.st_mtime_ns)


@cache
def _digest_of(path: Path, size: int, mtime: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def share_card(page: Page, settings: Settings, fonts: Fonts, words: Words) -> ShareCard:
    """The card of an exercise, routine or article."""
    if isinstance(page, Exercise):
        kind, label, subtitle = "exercise", words.gettext("Exercise"), format_dose(page.prescription, words)
    elif isinstance(page, Routine):
        kind, label, subtitle = "routine", words.gettext("Routine"), format_estimate(page.estimate, words)
    elif isinstance(page, Article):
        kind, label, subtitle = "article", words.gettext("Article"), long_date(page.date, settings.language)
    else:
        raise TypeError(f"only exercises, routines and articles have share cards, not {type(page).__name__}")
    return ShareCard(kind, label, page.slug, settings.title, page.title, subtitle, page.main_image, fonts)


def share_cards(guide: Guide, folders: list[Path]) -> dict[str, ShareCard]:
    """Every card the site publishes, by its site path: what the build draws, and what pages link to."""
    fonts = find_fonts(folders)
    pages: list[Page] = [*guide.exercises.values(), *guide.routines.values(), *guide.articles.values()]
    cards = [share_card(page, guide.settings, fonts, guide.words) for page in pages]
    return {card.path: card for card in cards}


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """A font file at one size, loaded once, and again if a theme's file changes while `guide serve` runs."""
    return _loaded_font(path, path.stat().st_mtime_ns, size)


@cache
def _loaded_font(path: Path, mtime: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of at most `width` pixels, broken at spaces (not no-break spaces), or inside a word longer than a line."""
    lines: list[str] = []
    line = ""
    for word in filter(None, text.split(" ")):
        joined = f"{line} {word}" if line else word
        if font.getlength(joined) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        line = word
        while font.getlength(line) > width:
            cut = next((end for end in range(len(line) - 1, 1, -1) if font.getlength(line[:end]) <= width), 1)
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line] if line else lines


def fit_text(text: str, font_path: Path, width: int, max_lines: int, sizes: tuple[int, ...]) -> tuple[int, list[str]]:
    """The largest of `sizes` at which `text` wraps to `max_lines` lines of `width` pixels, and those lines.

    Text too long even at the smallest size keeps its first lines, the last
    one cut short with an ellipsis, so nothing is drawn outside the card.
    """
    for size in sizes:
        lines = _wrap(text, _font(font_path, size), width)
        if len(lines) <= max_lines:
            return size, lines
    font = _font(font_path, sizes[-1])
    kept = lines[:max_lines]
    last = kept[-1]
    while last and font.getlength(last.rstrip() + "…") > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return sizes[-1], kept


def draw_share_image(card: ShareCard) -> bytes:
    """The card's file: JPEG or PNG as `card.extension` says, 1200 x 630, with no metadata at all.

    Raises `MediaProblem` when the picture will not decode, as publishing the picture itself would.
    """
    image = Image.new("RGB", (WIDTH, HEIGHT), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    if card.photo is not None:
        image.paste(_cropped(card.photo), (_SPLIT, 0))
    else:
        _panel(draw, card)
    _text(draw, card)
    buffer = io.BytesIO()
    if card.extension == "jpeg":
        image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    else:
        # Flat colours and the anti-aliased edges between them need few colours: a palette makes a third of the bytes.
        image.quantize(_PNG_COLOURS, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
            buffer, format="PNG", optimize=True
        )
    return buffer.getvalue()


def _text(draw: ImageDraw.ImageDraw, card: ShareCard) -> None:
    """The left half: site title and a rule at the top; below, the page's title and its dose, time or date, centred."""
    bold, regular = card.fonts.bold, card.fonts.regular
    size, lines = fit_text(card.site_title, regular, TEXT_WIDTH, 1, _SITE_SIZES)
    draw.text((_MARGIN, _MARGIN), lines[0], font=_font(regular, size), fill=_MUTED)
    draw.rectangle((_MARGIN, 116, _MARGIN + 72, 121), fill=_ACCENT)

    title_size, title_lines = fit_text(card.title, bold, TEXT_WIDTH, 3, TITLE_SIZES)
    title_step = round(title_size * 1.18)
    padding = 14
    size, lines = fit_text(
        _NUMBER_SPACE.sub("\u00a0", card.subtitle), regular, TEXT_WIDTH - 2 * padding, 2, _SUBTITLE_SIZES
    )
    font = _font(regular, size)
    ascent, descent = font.getmetrics()
    step = round(size * 1.3)
    box_height = step * (len(lines) - 1) + ascent + descent + 2 * padding
    gap = 32
    top, bottom = 150, HEIGHT - _MARGIN
    y = top + (bottom - top - (title_step * len(title_lines) + gap + box_height)) // 2

    for line in title_lines:
        draw.text((_MARGIN, y), line, font=_font(bold, title_size), fill=_TEXT)
        y += title_step
    y += gap
    widest = max(font.getlength(line) for line in lines)
    draw.rounded_rectangle(
        (_MARGIN, y, _MARGIN + widest + 2 * padding, y + box_height), radius=12, fill=_DOSE_BACKGROUND
    )
    for number, line in enumerate(lines):
        draw.text((_MARGIN + padding, y + padding + number * step), line, font=font, fill=_DOSE_TEXT)


def _panel(draw: ImageDraw.ImageDraw, card: ShareCard) -> None:
    """The right half of a card without a photo: the accent colour, naming what kind of page it is."""
    draw.rectangle((_SPLIT, 0, WIDTH, HEIGHT), fill=_ACCENT)
    font = _font(card.fonts.bold, 56)
    draw.text((_SPLIT + _MARGIN, HEIGHT - _MARGIN), card.label, font=font, fill=_ON_ACCENT, anchor="ls")


def _cropped(picture: Picture) -> Image.Image:
    """The picture upright, scaled and cropped to fill the right half, in sRGB.

    A JPEG is decoded at the smallest scale that still covers the half; other
    formats are decoded whole, then shrunk before their colours are converted,
    which is the costly step at full size.
    """
    size = (WIDTH - _SPLIT, HEIGHT)
    scale = max(size[0] / picture.width, size[1] / picture.height)
    try:
        with open_upright(picture, (round(picture.width * scale), round(picture.height * scale))) as upright:
            if upright.mode not in ("RGB", "RGBA", "CMYK"):
                upright = upright.convert("RGBA")  # palettes and grey: resizing needs full colour, and alpha kept
            scaled = upright.resize(size, Image.Resampling.LANCZOS, _cover(upright.size, size), reducing_gap=2.0)
            pixels = in_srgb(scaled, "RGBA")
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise MediaProblem(f"the image cannot be read ({error})", "export it again from the original") from error
    backed = Image.new("RGBA", size, _BACKGROUND)
    backed.alpha_composite(pixels)
    return backed.convert("RGB")


def _cover(source: tuple[int, int], target: tuple[int, int]) -> tuple[float, float, float, float]:
    """The centred part of `source` with the proportions of `target`: what is left after cropping to fill it."""
    scale = min(source[0] / target[0], source[1] / target[1])
    width, height = target[0] * scale, target[1] * scale
    left, top = (source[0] - width) / 2, (source[1] - height) / 2
    return (left, top, left + width, top + height)
