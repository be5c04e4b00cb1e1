"""Progressions (SPEC 3.9): ladders checked where they are written, and read in order from the easiest step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.cards import CARD_SIZES, card_layout
from builder.diagnostics import Diagnostics
from builder.dose import Dose, Span
from builder.model import RoutineItem
from builder.progressions import Progressions, closing_cycles, progressions
from builder.validate import load_guide
from tests.cardguide import SHIPPED
from tests.conftest import BASE_GUIDE


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ([], []),
        ([("a", "b"), ("b", "c")], []),
        ([("a", "b"), ("b", "a")], [(1, ("b", "a", "b"))]),
        ([("a", "b"), ("b", "c"), ("c", "a")], [(2, ("c", "a", "b", "c"))]),
        ([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")], []),
        ([("a", "b"), ("b", "a"), ("c", "d"), ("d", "c")], [(1, ("b", "a", "b")), (3, ("d", "c", "d"))]),
        ([("a", "b"), ("b", "c"), ("c", "a"), ("c", "b")], [(2, ("c", "a", "b", "c")), (3, ("c", "b", "c"))]),
    ],
    ids=["none", "chain", "pair", "triangle", "diamond", "two-pairs", "every-closing-step"],
)
def test_the_step_that_closes_a_circle_is_named_with_the_circle(
    edges: list[tuple[str, str]], expected: list[tuple[int, tuple[str, ...]]]
) -> None:
    assert closing_cycles(edges) == expected


LADDERS = Progressions(
    easier={"b": ("a",), "c": ("b",), "d": ("b",), "e": ("x",)},
    harder={"a": ("b",), "b": ("c", "d"), "x": ("e",)},
)


@pytest.mark.parametrize(
    ("slug", "ladder"),
    [
        ("a", ("a", "b", "c", "d")),
        ("b", ("a", "b", "c", "d")),
        ("c", ("a", "b", "c")),
        ("e", ("x", "e")),
        ("alone", ("alone",)),
    ],
)
def test_a_ladder_runs_from_the_easiest_step_to_the_hardest(slug: str, ladder: tuple[str, ...]) -> None:
    assert LADDERS.ladder(slug) == ladder


EXERCISE = """---
title: {title}
summary: A step.
region: core
muscles:
  primary: [transverse-abdominis]
prescription:
  reps: 10
{extra}---
Body.
"""


def check(tmp_path: Path, exercises: dict[str, str]) -> list[str]:
    """`guide check`'s lines for the base guide's taxonomy and these exercises: slugs with extra front matter."""
    content = tmp_path / "content"
    (content / "exercises").mkdir(parents=True)
    for name in ("site.yml", "taxonomy.yml"):
        shutil.copy(BASE_GUIDE / "content" / name, content / name)
    for slug, extra in exercises.items():
        text = EXERCISE.format(title=slug.replace("-", " ").capitalize(), extra=extra)
        (content / "exercises" / f"{slug}.md").write_text(text)
    diagnostics = Diagnostics()
    load_guide(content, diagnostics)
    return [str(diagnostic).replace(str(tmp_path) + "/", "") for diagnostic in diagnostics.sorted()]


@pytest.mark.parametrize(
    ("exercises", "expected"),
    [
        (
            {"plank": "easier: [forearm-plnak]\n", "forearm-plank": ""},
            [
                "content/exercises/plank.md:9: unknown exercise 'forearm-plnak' in 'easier'; "
                "did you mean 'forearm-plank'?"
            ],
        ),
        (
            {"plank": "harder:\n  - plank\n"},
            ["content/exercises/plank.md:10: an exercise cannot be harder than itself"],
        ),
        (
            {"plank": "easier: [forearm-plank]\n", "forearm-plank": "easier: [plank]\n"},
            [
                "content/exercises/plank.md:9: progressions go round in a circle: "
                "forearm-plank -> plank -> forearm-plank; each step must be harder than the one before; remove one"
            ],
        ),
        (
            {"a": "harder: [b]\n", "b": "harder: [c]\n", "c": "harder:\n  - x\n  - a\n", "x": ""},
            [
                "content/exercises/c.md:11: progressions go round in a circle: c -> a -> b -> c; "
                "each step must be harder than the one before; remove one"
            ],
        ),
        (
            {"plank": "easier: [forearm-plank]\n", "forearm-plank": "draft: true\n"},
            [
                "content/exercises/plank.md:9: 'forearm-plank' is a draft and is left out of the build; "
                "publish it (draft: false) or build with --drafts"
            ],
        ),
        ({"plank": "easier: [forearm-plank]\n", "forearm-plank": "harder: [plank]\n"}, []),
    ],
    ids=["unknown", "itself", "pair", "triangle", "draft", "both-sides"],
)
def test_chains_are_checked_where_they_are_written(
    tmp_path: Path, exercises: dict[str, str], expected: list[str]
) -> None:
    lines = check(tmp_path, exercises)
    assert lines == expected


def test_a_step_written_on_either_side_is_one_step_and_drafts_drop_out(tmp_path: Path) -> None:
    check(tmp_path, {})
    content = tmp_path / "content"
    for slug, extra in {"wall": "harder: [plank]\n", "plank": "easier: [wall]\n", "side": "draft: true\n"}.items():
        (content / "exercises" / f"{slug}.md").write_text(EXERCISE.format(title=slug, extra=extra))
    (content / "exercises" / "wall.md").write_text(EXERCISE.format(title="wall", extra="harder: [plank, side]\n"))
    diagnostics = Diagnostics()
    guide = load_guide(content, diagnostics, drafts=True)
    assert guide is not None and not diagnostics
    assert guide.exercises["wall"].harder == ("plank", "side")
    with_drafts = progressions(guide.exercises)
    assert with_drafts.harder == {"wall": ("plank", "side")}
    assert with_drafts.easier == {"plank": ("wall",), "side": ("wall",)}
    published = progressions({slug: e for slug, e in guide.exercises.items() if not e.draft})
    assert published.ladder("wall") == ("wall", "plank")


def test_a_card_that_names_easier_forms_counts_their_lines() -> None:
    guide = load_guide(SHIPPED, Diagnostics())
    assert guide is not None
    ladders = progressions(guide.exercises)
    stepped = [slug for slug in sorted(guide.exercises) if ladders.easier.get(slug)]
    easier = {slug: "Easier: " + ", ".join(guide.exercises[s].title for s in ladders.easier[slug]) for slug in stepped}

    def most(lines: dict[str, str]) -> int:
        """The most items, cycling through the exercises with an easier form, that fit one A6 card."""
        count = 1
        while count < 60:
            items = tuple(RoutineItem(stepped[n % len(stepped)], Dose(reps=Span(10, 10)), "") for n in range(count + 1))
            if card_layout("Title", "", items, guide.exercises, CARD_SIZES["a6"], True, False, lines) is None:
                break
            count += 1
        return count

    assert easier == {
        "plank": "Easier: Forearm plank",
        "side-lying-leg-raise": "Easier: Leg lift",
        "side-plank": "Easier: Side-lying leg raise",
    }
    assert 1 <= most(easier) < most({})
