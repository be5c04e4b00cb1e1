"""Who points at whom: the lists that muscle, region, tag and exercise pages show, built once per build."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from builder.model import Article, Exercise, Guide, Page, Routine, RoutineItem
from builder.progressions import Progressions, progressions

__all__ = ["CrossIndex", "cross_index"]

_Titled = TypeVar("_Titled", Exercise, Routine)
_Item = TypeVar("_Item")


@dataclass(frozen=True)
class CrossIndex:
    """Every list is in reading order: exercises and routines by title, articles newest first."""

    exercises: tuple[Exercise, ...]
    routines: tuple[Routine, ...]
    articles: tuple[Article, ...]
    primary_for: dict[str, tuple[Exercise, ...]]
    secondary_for: dict[str, tuple[Exercise, ...]]
    in_region: dict[str, tuple[Exercise, ...]]
    with_equipment: dict[str, tuple[Exercise, ...]]
    tagged: dict[str, tuple[Page, ...]]
    uses: dict[str, tuple[tuple[Routine, RoutineItem], ...]]
    mentions: dict[str, tuple[Page, ...]]
    ladders: Progressions

    def routines_for_muscle(self, muscle: str) -> tuple[Routine, ...]:
        """Routines with an exercise that works the muscle, first or second."""
        slugs = {e.slug for e in self.primary_for.get(muscle, ()) + self.secondary_for.get(muscle, ())}
        return tuple(r for r in self.routines if any(item.exercise in slugs for item in r.items))


def _by_title(pages: Mapping[str, _Titled]) -> tuple[_Titled, ...]:
    return tuple(sorted(pages.values(), key=lambda page: (page.title.casefold(), page.slug)))


def cross_index(guide: Guide) -> CrossIndex:
    exercises = _by_title(guide.exercises)
    routines = _by_title(guide.routines)
    articles = tuple(sorted(guide.articles.values(), key=lambda a: (a.date, a.slug), reverse=True))
    primary: defaultdict[str, list[Exercise]] = defaultdict(list)
    secondary: defaultdict[str, list[Exercise]] = defaultdict(list)
    regions: defaultdict[str, list[Exercise]] = defaultdict(list)
    equipment: defaultdict[str, list[Exercise]] = defaultdict(list)
    tagged: defaultdict[str, list[Page]] = defaultdict(list)
    uses: defaultdict[str, list[tuple[Routine, RoutineItem]]] = defaultdict(list)
    mentions: defaultdict[str, list[Page]] = defaultdict(list)
    for exercise in exercises:
        for muscle in exercise.primary:
            primary[muscle].append(exercise)
        for muscle in exercise.secondary:
            secondary[muscle].append(exercise)
        regions[exercise.region].append(exercise)
        for kind in exercise.equipment:
            equipment[kind].append(exercise)
    for routine in routines:
        for item in routine.items:
            uses[item.exercise].append((routine, item))
    for page in (*exercises, *routines, *articles):
        for tag in page.tags:
            tagged[tag].append(page)
        for slug in page.links:
            mentions[slug].append(page)

    def freeze(lists: defaultdict[str, list[_Item]]) -> dict[str, tuple[_Item, ...]]:
        return {key: tuple(values) for key, values in lists.items()}

    return CrossIndex(
        exercises=exercises,
        routines=routines,
        articles=articles,
        primary_for=freeze(primary),
        secondary_for=freeze(secondary),
        in_region=freeze(regions),
        with_equipment=freeze(equipment),
        tagged=freeze(tagged),
        uses=freeze(uses),
        mentions=freeze(mentions),
        ladders=progressions(guide.exercises),
    )
