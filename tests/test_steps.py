"""Tests for builder.steps: the player's step plan, table by table, and the estimate that is its sum (SPEC 4.2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.dose import Dose, Span
from builder.model import RoutineItem
from builder.steps import Step, Timing, plan_seconds, player_plans, step_plan
from tests.test_dose import doses

TIMING = Timing(seconds_per_rep=3, rest=30, change=10, switch=5)


def s(low: int, high: int | None = None) -> Span:
    return Span(low, low if high is None else high)


def item(dose: Dose, slug: str = "plank") -> RoutineItem:
    return RoutineItem(slug, dose, "")


def shape(steps: tuple[Step, ...]) -> list[str]:
    """Each step as `phase set/sets side rep/reps seconds`, the parts it has, for tables a reader can check."""
    shown = []
    for step in steps:
        parts = [step.phase]
        if step.sets:
            parts.append(f"{step.set}/{step.sets}")
        if step.side:
            parts.append(step.side)
        if step.rep:
            parts.append(f"rep {step.rep}/{step.reps}")
        elif step.reps:
            parts.append(f"{step.reps} reps")
        parts.append("until done" if step.seconds is None and step.phase != "done" else f"{step.seconds}s")
        shown.append(" ".join(parts) if step.phase != "done" else "done")
    return shown


@pytest.mark.parametrize(
    ("dose", "end", "expected"),
    [
        # a timed hold, sets with the dose's rest between them, none after the last
        (
            Dose(sets=s(2), duration=s(30), rest=s(45)),
            "low",
            ["ready 10s", "work 1/2 30s", "rest 2/2 45s", "work 2/2 30s", "done"],
        ),
        # no rest in the dose: the player's 30 s
        (Dose(sets=s(2), duration=s(20)), "low", ["ready 10s", "work 1/2 20s", "rest 2/2 30s", "work 2/2 20s", "done"]),
        # ranges: lower end by default, upper end when chosen
        (Dose(sets=s(1, 2), duration=s(20, 30)), "low", ["ready 10s", "work 1/1 20s", "done"]),
        (
            Dose(sets=s(1, 2), duration=s(20, 30)),
            "high",
            ["ready 10s", "work 1/2 30s", "rest 2/2 30s", "work 2/2 30s", "done"],
        ),
        # per side: left, a switch, right, in every set
        (
            Dose(sets=s(2), duration=s(30), per_side=True, rest=s(20)),
            "low",
            [
                "ready 10s",
                "work 1/2 left 30s",
                "switch 1/2 right 5s",
                "work 1/2 right 30s",
                "rest 2/2 20s",
                "work 2/2 left 30s",
                "switch 2/2 right 5s",
                "work 2/2 right 30s",
                "done",
            ],
        ),
        # repetitions with no hold: one step until Done
        (Dose(reps=s(12, 15)), "high", ["ready 10s", "work 1/1 15 reps until done", "done"]),
        # repetitions with a hold: counted down rep by rep, each the movement (seconds_per_rep) and the hold
        (
            Dose(reps=s(2, 3), hold=s(5), per_side=True),
            "low",
            [
                "ready 10s",
                "work 1/1 left rep 1/2 8s",
                "work 1/1 left rep 2/2 8s",
                "switch 1/1 right 5s",
                "work 1/1 right rep 1/2 8s",
                "work 1/1 right rep 2/2 8s",
                "done",
            ],
        ),
    ],
)
def test_step_plan_of_one_item(dose: Dose, end: str, expected: list[str]) -> None:
    assert shape(step_plan([item(dose)], TIMING, end)) == expected


def test_each_next_exercise_is_announced_with_the_change_time() -> None:
    steps = step_plan([item(Dose(duration=s(30)), "plank"), item(Dose(reps=s(10)), "bird-dog")], TIMING)
    assert [(step.phase, step.item, step.exercise, step.seconds) for step in steps] == [
        ("ready", 0, "plank", 10),
        ("work", 0, "plank", 30),
        ("next", 1, "bird-dog", 10),
        ("work", 1, "bird-dog", None),
        ("done", 2, "", None),
    ]


@pytest.mark.parametrize(
    ("doses_", "timing", "low", "high"),
    [
        # ready 10 + 3 x 60 + 2 rests x 30; upper: 10 + 5 x 60 + 4 x 30
        ([Dose(sets=s(3, 5), duration=s(60), rest=s(30))], TIMING, 250, 430),
        # ready 10 + 10 reps x 3 s (until Done, reckoned at seconds_per_rep)
        ([Dose(reps=s(10))], TIMING, 40, 40),
        # ready 10 + 2 sides x 8 reps x (3 + 5) + switch 5 ; upper: reps 10
        ([Dose(reps=s(8, 10), hold=s(5), per_side=True)], TIMING, 143, 175),
        # seconds_per_rep 4, rest 60, change 20, switch 2: ready 20 + 2 x 2 x 30 + 2 switches + 1 rest 60,
        # then change 20 + 5 reps x 4
        ([Dose(sets=s(2), duration=s(30), per_side=True), Dose(reps=s(5))], Timing(4, 60, 20, 2), 244, 244),
    ],
)
def test_the_estimate_is_the_plan_summed(doses_: list[Dose], timing: Timing, low: int, high: int) -> None:
    items = [item(dose) for dose in doses_]
    assert (plan_seconds(step_plan(items, timing, "low")), plan_seconds(step_plan(items, timing, "high"))) == (
        low,
        high,
    )


def spec_formula(dose: Dose, timing: Timing, end: str) -> int:
    """SPEC 3.4's sum for one item at one end, with the player's rest for a dose that names none, and its switches.

    SPEC 3.4 counts neither, and only the upper end: the estimate is now the player's time, so that the two agree.
    """
    at = (lambda span: span.high) if end == "high" else (lambda span: span.low)
    sides = 2 if dose.per_side else 1
    effort = at(dose.reps) * (timing.seconds_per_rep + (at(dose.hold) if dose.hold else 0)) if dose.reps else 0
    effort += at(dose.duration) if dose.duration else 0
    rest = at(dose.rest) if dose.rest else timing.rest
    return at(dose.sets) * sides * effort + (at(dose.sets) - 1) * rest + at(dose.sets) * (sides - 1) * timing.switch


@settings(max_examples=60, deadline=None)
@given(st.lists(doses(), min_size=1, max_size=3), st.sampled_from(["low", "high"]))
def test_any_plan_sums_to_the_formula_and_counts_every_set_and_side(items_: list[Dose], end: str) -> None:
    items = [item(dose, f"exercise-{number}") for number, dose in enumerate(items_)]
    steps = step_plan(items, TIMING, end)
    changes = TIMING.change * len(items)
    assert plan_seconds(steps) == changes + sum(spec_formula(dose, TIMING, end) for dose in items_)
    assert steps[-1].phase == "done" and all(step.phase != "done" for step in steps[:-1])
    for number, dose in enumerate(items_):
        sets = dose.sets.high if end == "high" else dose.sets.low
        work = {(step.set, step.side) for step in steps if step.item == number and step.phase == "work"}
        assert work == {
            (one, side) for one in range(1, sets + 1) for side in (("left", "right") if dose.per_side else ("",))
        }


def test_the_player_gets_an_upper_plan_only_where_a_range_changes_it() -> None:
    assert set(player_plans([item(Dose(duration=s(30)))], TIMING)) == {"low"}
    assert set(player_plans([item(Dose(duration=s(20, 30)))], TIMING)) == {"low", "high"}
    first = player_plans([item(Dose(duration=s(30)))], TIMING)["low"][0]
    assert first == {
        "phase": "ready",
        "item": 0,
        "exercise": "plank",
        "set": 0,
        "sets": 0,
        "side": "",
        "rep": 0,
        "reps": 0,
        "seconds": 10,
        "expected": 10,
    }
