"""Guides of routine cards for tests and measurements: a short, a typical and the longest routine of every size."""

from __future__ import annotations

import shutil
from pathlib import Path

from builder.cards import CARD_SIZES
from builder.diagnostics import Diagnostics
from builder.validate import load_guide

SHIPPED = Path(__file__).parent.parent / "content"
TITLE = "Strength for the long run"
FREQUENCY = "3 times a week"


def _item_lines(slugs: list[str]) -> list[str]:
    """Routine items cycling through the exercises, every third with a note and a dose override."""
    lines = []
    for number, slug in enumerate(slugs):
        if number % 3 == 2:
            lines += [f"  - exercise: {slug}", "    sets: 3", "    note: Slow and steady, rest as needed."]
        else:
            lines.append(f"  - {slug}")
    return lines


def _write(content: Path, slug: str, size: str, slugs: list[str], images: bool = False) -> None:
    front = ["---", f"title: {TITLE}", f"frequency: {FREQUENCY}", "card:", f"  size: {size}"]
    front += ["  images: true"] * images + ["exercises:"]
    (content / "routines" / f"{slug}.md").write_text("\n".join([*front, *_item_lines(slugs), "---", "Body.", ""]))


def _fits(content: Path, size: str, count: int, images: bool) -> bool:
    slugs = sorted(path.stem for path in (content / "exercises").glob("*.md"))
    _write(content, "probe", size, [slugs[n % len(slugs)] for n in range(count)], images)
    try:
        return load_guide(content, Diagnostics()) is not None
    finally:
        (content / "routines" / "probe.md").unlink()


def longest(content: Path, size: str, images: bool = False) -> int:
    """The most items of the cycling kind that `guide check` accepts on one card of `size` (a binary search)."""
    low, high = 1, 64
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if _fits(content, size, middle, images) else (low, middle - 1)
    return low


def write_card_guide(folder: Path, with_qr: bool = True) -> dict[str, tuple[str, int]]:
    """The shipped guide plus routines `<size>-<length>`, and `<size>-<length>-pictured` with `card.images: true`.

    Returns each new routine's size and item count.
    """
    content = folder / "content"
    shutil.copytree(SHIPPED, content)
    if not with_qr:
        settings = content / "site.yml"
        settings.write_text(
            "\n".join(line for line in settings.read_text().splitlines() if not line.startswith("base_url"))
        )
    exercises = sorted(path.stem for path in (content / "exercises").glob("*.md"))
    routines = {}
    for images, suffix in ((False, ""), (True, "-pictured")):
        for size in CARD_SIZES:
            most = longest(content, size, images)
            for name, count in {"short": 1, "typical": (most + 2) // 2, "longest": most}.items():
                slug = f"{size}-{name}{suffix}"
                _write(content, slug, size, [exercises[n % len(exercises)] for n in range(count)], images)
                routines[slug] = (size, count)
    return routines


def write_overlong(content: Path, size: str, count: int) -> Path:
    """A routine with `count` items on a card of `size`."""
    exercises = sorted(path.stem for path in (content / "exercises").glob("*.md"))
    _write(content, "overlong", size, [exercises[n % len(exercises)] for n in range(count)])
    return content / "routines" / "overlong.md"
