"""A routine as the player walks through it: every step, in order, with how long each takes.

Made at build time so that the player's script only keeps time, and so
that the routine's estimated time is the sum of the very steps the player
runs: the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields

from builder.dose import Dose, Span
from builder.model import RoutineItem, Settings

__all__ = ["ENDS", "Step", "Timing", "plan_seconds", "player_plans", "step_plan"]

ENDS = ("low", "high")
"""Which end of each range a session uses: the lower by default, the upper if the reader chooses it."""


@dataclass(frozen=True)
class Timing:
    """The seconds the player gives to what a dose leaves open (site.yml's `player` and `seconds_per_rep`)."""

    seconds_per_rep: int
    rest: int
    """Between sets, when the dose gives no rest."""
    change: int
    """Before each exercise: to read what comes and get into position; the get-ready step too."""
    switch: int
    """Between the sides of a `per_side` set."""

    @classmethod
    def of(cls, settings: Settings) -> Timing:
        return cls(settings.seconds_per_rep, settings.player_rest, settings.player_change, settings.player_switch)


@dataclass(frozen=True)
class Step:
    """One screen of the player, in one of the phases `ready`, `work`, `rest`, `switch`, `next` and `done`.

    `seconds` is counted down; None waits for the reader's Done.

    `item` is the routine item the step belongs to (or, for `ready` and
    `next`, the one it leads to); `expected` is what the step is reckoned to take, counted down or not.
    """

    phase: str
    item: int
    exercise: str
    set: int = 0
    sets: int = 0
    side: str = ""
    rep: int = 0
    reps: int = 0
    seconds: int | None = None
    expected: int = 0


def _at(span: Span, end: str) -> int:
    return span.high if end == "high" else span.low


def _timed(phase: str, item: int, exercise: str, seconds: int, **where: int | str) -> Step:
    return Step(phase, item, exercise, seconds=seconds, expected=seconds, **where)  # type: ignore[arg-type]


def _sides(dose: Dose) -> tuple[str, ...]:
    return ("left", "right") if dose.per_side else ("",)


def _work(number: int, item: RoutineItem, timing: Timing, end: str, where: dict[str, int | str]) -> Iterator[Step]:
    """One side of one set: a timed effort, a countdown per repetition held, or repetitions until Done."""
    dose, slug = item.dose, item.exercise
    if dose.duration is not None:
        yield _timed("work", number, slug, _at(dose.duration, end), **where)
        return
    assert dose.reps is not None
    reps = _at(dose.reps, end)
    if dose.hold is None:
        yield Step("work", number, slug, reps=reps, expected=reps * timing.seconds_per_rep, **where)  # type: ignore[arg-type]
        return
    each = timing.seconds_per_rep + _at(dose.hold, end)
    for rep in range(1, reps + 1):
        yield _timed("work", number, slug, each, rep=rep, reps=reps, **where)


def _item_steps(number: int, item: RoutineItem, timing: Timing, end: str) -> Iterator[Step]:
    dose = item.dose
    sets = _at(dose.sets, end)
    rest = _at(dose.rest, end) if dose.rest is not None else timing.rest
    for set_number in range(1, sets + 1):
        for side in _sides(dose):
            where: dict[str, int | str] = {"set": set_number, "sets": sets, "side": side}
            if side == "right":
                yield _timed("switch", number, item.exercise, timing.switch, **where)
            yield from _work(number, item, timing, end, where)
        if set_number < sets:
            yield _timed("rest", number, item.exercise, rest, set=set_number + 1, sets=sets)


def step_plan(items: Sequence[RoutineItem], timing: Timing, end: str = "low") -> tuple[Step, ...]:
    """Get ready, then each item set by set and side by side, a change before each next item, then done."""
    steps: list[Step] = []
    for number, item in enumerate(items):
        steps.append(_timed("ready" if number == 0 else "next", number, item.exercise, timing.change))
        steps.extend(_item_steps(number, item, timing, end))
    steps.append(Step("done", len(items), ""))
    return tuple(steps)


def plan_seconds(steps: Sequence[Step]) -> int:
    return sum(step.expected for step in steps)


_STEP_FIELDS = tuple(field.name for field in fields(Step))


def player_plans(items: Sequence[RoutineItem], timing: Timing) -> dict[str, list[dict[str, object]]]:
    """The plans the player page embeds as JSON, by end of the ranges; `high` only when a range makes it differ.

    A step holds numbers and text alone, so its fields are read as they are: `dataclasses.asdict` copies each one
    deeply, which took most of the time of planning a thousand-exercise guide's pages.
    """
    plans = {
        end: [{name: getattr(step, name) for name in _STEP_FIELDS} for step in step_plan(items, timing, end)]
        for end in ENDS
    }
    return plans if plans["high"] != plans["low"] else {"low": plans["low"]}
