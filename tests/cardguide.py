"""Guides of printed routines for tests and measurements: a short, a typical and the longest routine of every size.

Cards and training logs are both laid out to fit one page, so a routine
written to test one must fit the other too: card routines keep a log of one
session on A3, log routines an A4 card, each roomier than any routine the
other kind of test writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.cards import CARD_SIZES
from builder.diagnostics import Diagnostics
from builder.validate import load_guide

SHIPPED = Path(__file__).parent.parent / "content"
TITLE = "Strength for the long run"
FREQUENCY = "3 times a week"
LOG_SESSIONS = {"letter": 6, "a4": 6, "a3": 12}
"""The sessions each log size is tested with: the default, and on A3 as many as a log takes, which fits fewer rows."""


def card_front(size: str, images: bool = False) -> list[str]:
    return ["card:", f"  size: {size}", *["  images: true"] * images, "log:", "  size: a3", "  sessions: 1"]


def log_front(size: str, sessions: int) -> list[str]:
    return ["card:", "  size: a4", "log:", f"  size: {size}", f"  sessions: {sessions}"]


def _item_lines(slugs: list[str]) -> list[str]:
    """Routine items cycling through the exercises, every third with a note and a dose override."""
    lines = []
    for number, slug in enumerate(slugs):
        if number % 3 == 2:
            lines += [f"  - exercise: {slug}", "    sets: 3", "    note: Slow and steady, rest as needed."]
        else:
            lines.append(f"  - {slug}")
    return lines


def _write(content: Path, slug: str, front: list[str], count: int) -> Path:
    exercises = sorted(path.stem for path in (content / "exercises").glob("*.md"))
    slugs = [exercises[n % len(exercises)] for n in range(count)]
    lines = ["---", f"title: {TITLE}", f"frequency: {FREQUENCY}", *front, "exercises:", *_item_lines(slugs), "---"]
    path = content / "routines" / f"{slug}.md"
    path.write_text("\n".join([*lines, "Body.", ""]))
    return path


def _fits(content: Path, front: list[str], count: int, about: str) -> bool:
    probe = _write(content, "probe", front, count)
    try:
        diagnostics = Diagnostics()
        load_guide(content, diagnostics)
        return not any(about in diagnostic.message for diagnostic in diagnostics.items)
    finally:
        probe.unlink()


def longest(content: Path, front: list[str], about: str = "") -> int:
    """The most items of the cycling kind that `guide check` accepts with this front matter (a binary search).

    With `about`, only errors whose message holds it count: a log's limit, say, whatever the card's.
    """
    low, high = 1, 64
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if _fits(content, front, middle, about) else (low, middle - 1)
    return low


def _copy_shipped(folder: Path, with_qr: bool) -> Path:
    content = folder / "content"
    shutil.copytree(SHIPPED, content)
    if not with_qr:
        settings = content / "site.yml"
        settings.write_text(
            "\n".join(line for line in settings.read_text().splitlines() if not line.startswith("base_url"))
        )
    return content


def _write_lengths(content: Path, name: str, front: list[str], suffix: str = "") -> dict[str, int]:
    """`<name>-short<suffix>`, `<name>-typical<suffix>` and `<name>-longest<suffix>`, with their item counts."""
    most = longest(content, front)
    lengths = {"short": 1, "typical": (most + 2) // 2, "longest": most}
    counts = {f"{name}-{length}{suffix}": count for length, count in lengths.items()}
    for slug, count in counts.items():
        _write(content, slug, front, count)
    return counts


def write_card_guide(folder: Path, with_qr: bool = True) -> dict[str, tuple[str, int]]:
    """The shipped guide plus routines `<size>-<length>`, and `<size>-<length>-pictured` with `card.images: true`.

    Returns each new routine's size and item count.
    """
    content = _copy_shipped(folder, with_qr)
    routines = {}
    for images, suffix in ((False, ""), (True, "-pictured")):
        for size in CARD_SIZES:
            counts = _write_lengths(content, size, card_front(size, images), suffix)
            routines |= {slug: (size, count) for slug, count in counts.items()}
    return routines


def write_log_guide(folder: Path) -> dict[str, tuple[str, int]]:
    """The shipped guide plus routines `log-<size>-<length>` with logs of `LOG_SESSIONS` on each size."""
    content = _copy_shipped(folder, with_qr=True)
    routines = {}
    for size, sessions in LOG_SESSIONS.items():
        counts = _write_lengths(content, f"log-{size}", log_front(size, sessions))
        routines |= {slug: (size, count) for slug, count in counts.items()}
    return routines


def write_overlong(content: Path, front: list[str], count: int) -> Path:
    """A routine with `count` items and this card or log."""
    return _write(content, "overlong", front, count)
