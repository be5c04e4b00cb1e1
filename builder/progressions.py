"""Progressions: which exercise is an easier or a harder form of which (SPEC 3.9).

An author writes either side of a step (`harder: [plank]` on the forearm
plank, or `easier: [forearm-plank]` on the plank, or both); each becomes one
edge from the easier to the harder exercise, so the inverse is implied. The
edges must not go round in a circle: a ladder has a bottom and a top.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from builder.model import Exercise

__all__ = ["Edge", "Neighbours", "Progressions", "closing_cycles", "edges_of", "progressions"]

Edge = tuple[str, str]
"""An easier exercise's slug and a harder one's."""


def _reachable(start: str, harder: Mapping[str, Sequence[str]]) -> dict[str, str | None]:
    """Every exercise harder than `start`, step by step, with the exercise each was first reached from."""
    came_from: dict[str, str | None] = {start: None}
    waiting = [start]
    while waiting:
        current = waiting.pop()
        for following in harder.get(current, ()):
            if following not in came_from:
                came_from[following] = current
                waiting.append(following)
    return came_from


def closing_cycles(edges: Sequence[Edge]) -> list[tuple[int, tuple[str, ...]]]:
    """The edges, by index, that would close a circle with the edges before them, each with that circle.

    An edge that closes one is left out, so every later circle is found on its
    own and an author sees every step to remove in one run. A circle reads from
    easier to harder and returns to its start: `(a, b, a)` for a pair.
    """
    harder: dict[str, list[str]] = {}
    found = []
    for index, (easier, hardest) in enumerate(edges):
        came_from = _reachable(hardest, harder)
        if easier in came_from:
            path = [easier]
            while path[-1] != hardest:
                step = came_from[path[-1]]
                assert step is not None
                path.append(step)
            found.append((index, (easier, *reversed(path))))
            continue
        harder.setdefault(easier, []).append(hardest)
    return found


class Neighbours(NamedTuple):
    """An exercise's direct easier and harder forms: what a routine offers a reader an item does not suit.

    A tuple, so a page's fingerprint covers each exercise in it as it covers any other listed page.
    """

    easier: tuple[Exercise, ...]
    harder: tuple[Exercise, ...]


@dataclass(frozen=True)
class Progressions:
    """The direct neighbours of every exercise on its ladders, declared either way, in the order written."""

    easier: Mapping[str, tuple[str, ...]]
    harder: Mapping[str, tuple[str, ...]]

    def ladder(self, slug: str) -> tuple[str, ...]:
        """Every exercise easier than `slug`, itself, and every harder one, easiest first.

        Exercises on a side branch (harder than an easier step, but not
        comparable with `slug`) belong to another ladder and are left out.
        Steps are ordered by their longest climb from the bottom, then by slug.
        """
        steps = set(_reachable(slug, self.easier)) | set(_reachable(slug, self.harder))
        height: dict[str, int] = {}

        def climb(step: str) -> int:
            if step not in height:
                lower = [climb(easier) for easier in self.easier.get(step, ()) if easier in steps]
                height[step] = 1 + max(lower, default=-1)
            return height[step]

        return tuple(sorted(steps, key=lambda step: (climb(step), step)))

    def neighbours(self, slug: str, exercises: Mapping[str, Exercise]) -> Neighbours:
        return Neighbours(
            tuple(exercises[easier] for easier in self.easier.get(slug, ())),
            tuple(exercises[harder] for harder in self.harder.get(slug, ())),
        )


def edges_of(exercises: Iterable[Exercise]) -> list[Edge]:
    """Every step written on `exercises`, in the order they were written, each once."""
    edges: dict[Edge, None] = {}
    for exercise in exercises:
        for easier in exercise.easier:
            edges[(easier, exercise.slug)] = None
        for harder in exercise.harder:
            edges[(exercise.slug, harder)] = None
    return list(edges)


def progressions(exercises: Mapping[str, Exercise]) -> Progressions:
    """The ladders among `exercises`: steps to an exercise left out of the build (a draft) are dropped."""
    easier: dict[str, list[str]] = {}
    harder: dict[str, list[str]] = {}
    for lower, upper in edges_of(exercises.values()):
        if lower in exercises and upper in exercises:
            harder.setdefault(lower, []).append(upper)
            easier.setdefault(upper, []).append(lower)
    return Progressions(
        {slug: tuple(found) for slug, found in easier.items()},
        {slug: tuple(found) for slug, found in harder.items()},
    )
