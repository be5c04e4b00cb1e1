"""Tests for builder.dose: every accepted spelling, every rejection, merging, the human form and the estimate's.

SPEC 3.4 (routine dose overrides) and 3.5 (dose keys, limits, human form) are the rules; the estimate's
seconds come from the player's step plan (tests/test_steps.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.dose import (
    DOSE_KEYS,
    LIMITS,
    Dose,
    DoseError,
    Span,
    canonical_fields,
    format_dose,
    format_estimate,
    format_seconds,
    make_dose,
    merge,
    parse_field,
)

COUNT_KEYS = ("sets", "reps")
TIME_KEYS = ("duration", "hold", "rest")
SPAN_KEYS = COUNT_KEYS + TIME_KEYS

COUNT_SPELLING = {
    "sets": "a whole number such as 3, or a range such as 5-10 or [5, 10]",
    "reps": "a whole number such as 12, or a range such as 12-15 or [12, 15]",
}
TIME_SPELLING = "seconds such as 30 or 30s, minutes such as 1 min or 1m30s, or a range such as 20-30s"
LIMIT_SHOWN = {"sets": "20", "reps": "200", "duration": "60 min", "hold": "60 min", "rest": "30 min"}


def s(low: int, high: int | None = None) -> Span:
    """Shorthand for a Span; one argument gives a single value."""
    return Span(low, low if high is None else high)


# --------------------------------------------------------------------------- constants


def test_keys_and_limits_follow_spec() -> None:
    assert DOSE_KEYS == ("sets", "reps", "duration", "hold", "per_side", "rest")
    # SPEC 3.5: sets <= 20, reps <= 200, duration <= 1 hour, rest <= 30 min; hold is a duration.
    assert LIMITS == {"sets": 20, "reps": 200, "duration": 3600, "hold": 3600, "rest": 1800}


@pytest.mark.parametrize(("span", "is_range"), [(s(5), False), (s(5, 10), True), (s(1, 2), True)])
def test_span_is_range(span: Span, is_range: bool) -> None:
    assert span.is_range is is_range


def test_dose_defaults() -> None:
    assert Dose() == Dose(sets=s(1), reps=None, duration=None, hold=None, per_side=False, rest=None)


# --------------------------------------------------------------------------- parse_field: accepted spellings


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        # counts: int, [min, max], "a-b"
        ("sets", 3, s(3)),
        ("sets", 1, s(1)),
        ("sets", 20, s(20)),
        ("sets", [5, 10], s(5, 10)),
        ("sets", "5-10", s(5, 10)),
        ("sets", "5 - 10", s(5, 10)),
        ("sets", [3, 3], s(3)),
        ("reps", 12, s(12)),
        ("reps", "12", s(12)),
        ("reps", " 12 ", s(12)),
        ("reps", "12-15", s(12, 15)),
        ("reps", [12, 15], s(12, 15)),
        ("reps", ["12", "15"], s(12, 15)),
        ("reps", [1, 200], s(1, 200)),
        # times: seconds as int, unit strings, ranges sharing the second end's unit
        ("duration", 30, s(30)),
        ("duration", 90, s(90)),
        ("duration", "90", s(90)),
        ("duration", "30s", s(30)),
        ("duration", "30 s", s(30)),
        ("duration", "30 sec", s(30)),
        ("duration", "30 seconds", s(30)),
        ("duration", "1m", s(60)),
        ("duration", "1 min", s(60)),
        ("duration", "2 minutes", s(120)),
        ("duration", "1m30s", s(90)),
        ("duration", "1m 30s", s(90)),
        ("duration", "1 min 30 s", s(90)),
        ("duration", "1M30S", s(90)),
        ("duration", "1h", s(3600)),
        ("duration", "1 hour", s(3600)),
        ("duration", "20-30s", s(20, 30)),
        ("duration", "20-30 s", s(20, 30)),
        ("duration", "20s-30s", s(20, 30)),
        ("duration", "20-30", s(20, 30)),
        ("duration", "1-2 min", s(60, 120)),
        ("duration", "1-2 min 30 s", s(60, 150)),
        ("duration", "1-2m", s(60, 120)),
        ("duration", "90 s-2 min 30 s", s(90, 150)),
        ("duration", "2 min 30 s-3 min", s(150, 180)),
        ("duration", [20, 30], s(20, 30)),
        ("duration", ["20s", "1 min"], s(20, 60)),
        ("hold", 5, s(5)),
        ("hold", "5s", s(5)),
        ("hold", "3-5 s", s(3, 5)),
        ("hold", "1h", s(3600)),
        ("rest", "30 s", s(30)),
        ("rest", "30 min", s(1800)),
        ("rest", "60-90s", s(60, 90)),
        # per_side booleans
        ("per_side", True, True),
        ("per_side", False, False),
    ],
)
def test_parse_field_accepts(key: str, value: object, expected: Span | bool) -> None:
    assert parse_field(key, value) == expected


# --------------------------------------------------------------------------- parse_field: rejections


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("reps", "15-12", "the range in 'reps' runs backwards (15-12); write the smaller number first"),
        ("sets", [10, 5], "the range in 'sets' runs backwards ([10, 5]); write the smaller number first"),
        ("duration", "30-20s", "the range in 'duration' runs backwards (30-20s); write the smaller number first"),
        ("reps", 0, "'reps' must be at least 1, not 0"),
        ("sets", -2, "'sets' must be at least 1, not -2"),
        ("reps", [0, 5], "'reps' must be at least 1, not 0"),
        ("duration", "0s", "'duration' must be at least 1, not 0"),
        ("sets", 21, "'sets' is over the limit of 20"),
        ("reps", 201, "'reps' is over the limit of 200"),
        ("reps", "10-201", "'reps' is over the limit of 200"),
        ("duration", "2h", "'duration' is over the limit of 60 min"),
        ("duration", 3601, "'duration' is over the limit of 60 min"),
        ("hold", "1h 1s", "'hold' is over the limit of 60 min"),
        ("rest", "31 min", "'rest' is over the limit of 30 min"),
        ("rest", "20-31 min", "'rest' is over the limit of 30 min"),
        ("reps", 1.5, f"'reps' must be {COUNT_SPELLING['reps']}"),
        ("reps", True, f"'reps' must be {COUNT_SPELLING['reps']}"),
        ("sets", False, f"'sets' must be {COUNT_SPELLING['sets']}"),
        ("reps", None, f"'reps' must be {COUNT_SPELLING['reps']}"),
        ("duration", 1.5, f"'duration' must be {TIME_SPELLING}"),
        ("rest", True, f"'rest' must be {TIME_SPELLING}"),
        ("reps", [1.5, 3], f"'reps' must be {COUNT_SPELLING['reps']}"),
        ("reps", "-5", f"cannot read '-5' as a count; 'reps' must be {COUNT_SPELLING['reps']}"),
        ("reps", "ten", f"cannot read 'ten' as a count; 'reps' must be {COUNT_SPELLING['reps']}"),
        ("sets", "3x", f"cannot read '3x' as a count; 'sets' must be {COUNT_SPELLING['sets']}"),
        ("reps", "12 reps", f"cannot read '12 reps' as a count; 'reps' must be {COUNT_SPELLING['reps']}"),
        ("duration", "-5", f"cannot read '-5' as a time; write {TIME_SPELLING}"),
        ("duration", "1min30", f"cannot read '1min30' as a time; write {TIME_SPELLING}"),
        ("duration", "1.5 min", f"cannot read '1.5 min' as a time; write {TIME_SPELLING}"),
        ("hold", "", f"cannot read '' as a time; write {TIME_SPELLING}"),
        ("duration", "5 parsecs", "unknown time unit 'parsecs' in '5 parsecs'; use s, min or h"),
        ("rest", "2 d", "unknown time unit 'd' in '2 d'; use s, min or h"),
        (
            "duration",
            "30s1m",
            "cannot read '30s1m' as a time; give hours, minutes and seconds once each, largest first",
        ),
        (
            "duration",
            "1m 1m",
            "cannot read '1m 1m' as a time; give hours, minutes and seconds once each, largest first",
        ),
        ("per_side", "yes", "'per_side' must be true or false"),
        ("per_side", 1, "'per_side' must be true or false"),
        ("reps", [1, 2, 3], "a range in 'reps' needs exactly two values, [min, max]"),
        ("duration", [30], "a range in 'duration' needs exactly two values, [min, max]"),
        ("tempo", 3, "unknown dose key 'tempo'"),
        ("note", "slowly", "unknown dose key 'note'"),
    ],
)
def test_parse_field_rejects(key: str, value: object, message: str) -> None:
    with pytest.raises(DoseError) as caught:
        parse_field(key, value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("reps", "²", f"cannot read '²' as a count; 'reps' must be {COUNT_SPELLING['reps']}"),
        ("duration", "²", f"cannot read '²' as a time; write {TIME_SPELLING}"),
    ],
)
def test_parse_field_rejects_non_decimal_digits_with_dose_error(key: str, value: str, message: str) -> None:
    with pytest.raises(DoseError) as caught:
        parse_field(key, value)
    assert str(caught.value) == message


# --------------------------------------------------------------------------- make_dose


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"reps": s(10)}, Dose(reps=s(10))),
        ({"duration": s(30)}, Dose(duration=s(30))),
        (
            {"sets": s(3), "reps": s(10, 12), "hold": s(5), "per_side": True, "rest": s(30)},
            Dose(sets=s(3), reps=s(10, 12), hold=s(5), per_side=True, rest=s(30)),
        ),
    ],
)
def test_make_dose_accepts(fields: dict[str, Span | bool], expected: Dose) -> None:
    assert make_dose(fields) == expected


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "a dose needs exactly one of 'reps' and 'duration'"),
        ({"sets": s(3), "rest": s(30)}, "a dose needs exactly one of 'reps' and 'duration'"),
        ({"reps": s(10), "duration": s(30)}, "a dose needs exactly one of 'reps' and 'duration'"),
        ({"duration": s(30), "hold": s(5)}, "'hold' is a pause in each repetition and needs 'reps'"),
    ],
)
def test_make_dose_rejects(fields: dict[str, Span | bool], message: str) -> None:
    with pytest.raises(DoseError) as caught:
        make_dose(fields)
    assert str(caught.value) == message


# --------------------------------------------------------------------------- merge (SPEC 3.4)

REPS_DEFAULT = Dose(sets=s(3), reps=s(10, 12), hold=s(5), per_side=True, rest=s(30, 45))
DURATION_DEFAULT = Dose(sets=s(2), duration=s(30), per_side=True, rest=s(60))


@pytest.mark.parametrize(
    ("default", "overrides", "expected"),
    [
        (REPS_DEFAULT, {}, REPS_DEFAULT),
        (DURATION_DEFAULT, {}, DURATION_DEFAULT),
        # key by key: only the given keys change
        (
            REPS_DEFAULT,
            {"sets": s(2)},
            Dose(sets=s(2), reps=s(10, 12), hold=s(5), per_side=True, rest=s(30, 45)),
        ),
        (
            REPS_DEFAULT,
            {"reps": s(8), "rest": s(90)},
            Dose(sets=s(3), reps=s(8), hold=s(5), per_side=True, rest=s(90)),
        ),
        (
            REPS_DEFAULT,
            {"per_side": False},
            Dose(sets=s(3), reps=s(10, 12), hold=s(5), per_side=False, rest=s(30, 45)),
        ),
        (
            REPS_DEFAULT,
            {"hold": s(3, 5)},
            Dose(sets=s(3), reps=s(10, 12), hold=s(3, 5), per_side=True, rest=s(30, 45)),
        ),
        (Dose(reps=s(10)), {"sets": s(1)}, Dose(reps=s(10))),
        # giving duration drops the default reps and hold; per_side and rest are kept
        (
            REPS_DEFAULT,
            {"duration": s(20, 30)},
            Dose(sets=s(3), duration=s(20, 30), per_side=True, rest=s(30, 45)),
        ),
        # giving reps drops the default duration; per_side and rest are kept
        (
            DURATION_DEFAULT,
            {"reps": s(15)},
            Dose(sets=s(2), reps=s(15), per_side=True, rest=s(60)),
        ),
        (
            DURATION_DEFAULT,
            {"reps": s(15), "hold": s(2)},
            Dose(sets=s(2), reps=s(15), hold=s(2), per_side=True, rest=s(60)),
        ),
        (
            DURATION_DEFAULT,
            {"duration": s(45)},
            Dose(sets=s(2), duration=s(45), per_side=True, rest=s(60)),
        ),
    ],
)
def test_merge(default: Dose, overrides: dict[str, Span | bool], expected: Dose) -> None:
    assert merge(default, overrides) == expected


@pytest.mark.parametrize(
    ("default", "overrides", "message"),
    [
        (DURATION_DEFAULT, {"hold": s(5)}, "'hold' is a pause in each repetition and needs 'reps'"),
        (REPS_DEFAULT, {"duration": s(30), "hold": s(5)}, "'hold' is a pause in each repetition and needs 'reps'"),
        (REPS_DEFAULT, {"reps": s(5), "duration": s(30)}, "a dose needs exactly one of 'reps' and 'duration'"),
    ],
)
def test_merge_rejects(default: Dose, overrides: dict[str, Span | bool], message: str) -> None:
    with pytest.raises(DoseError) as caught:
        merge(default, overrides)
    assert str(caught.value) == message


# --------------------------------------------------------------------------- human form (SPEC 3.5)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (s(1), "1 s"),
        (s(30), "30 s"),
        (s(60), "60 s"),
        (s(119), "119 s"),
        (s(120), "2 min"),
        (s(150), "2 min 30 s"),
        (s(1800), "30 min"),
        (s(3600), "60 min"),
        (s(20, 30), "20-30 s"),
        (s(1, 119), "1-119 s"),
        (s(120, 180), "2-3 min"),
        (s(90, 150), "90 s-2 min 30 s"),
        (s(60, 120), "60 s-2 min"),
        (s(119, 120), "119 s-2 min"),
        (s(120, 150), "2 min-2 min 30 s"),
        (s(150, 180), "2 min 30 s-3 min"),
    ],
)
def test_format_seconds(span: Span, text: str) -> None:
    assert format_seconds(span) == text


@pytest.mark.parametrize(
    ("dose", "text"),
    [
        (Dose(sets=s(5, 10), duration=s(60)), "5-10 x 60 s hold"),
        (Dose(reps=s(12, 15), per_side=True), "12-15 reps each side"),
        (Dose(reps=s(10), hold=s(5)), "10 reps, 5 s hold"),
        (Dose(reps=s(1)), "1 rep"),
        (Dose(reps=s(1, 2)), "1-2 reps"),
        (Dose(sets=s(1), reps=s(8)), "8 reps"),
        (Dose(sets=s(1, 2), reps=s(8)), "1-2 x 8 reps"),
        (Dose(sets=s(3), duration=s(20, 30), per_side=True), "3 x 20-30 s hold each side"),
        (Dose(sets=s(3), reps=s(10), rest=s(30)), "3 x 10 reps, 30 s rest"),
        (Dose(duration=s(120)), "2 min hold"),
        (Dose(duration=s(120, 180)), "2-3 min hold"),
        (Dose(duration=s(90, 150)), "90 s-2 min 30 s hold"),
        (Dose(sets=s(2), duration=s(45), rest=s(120)), "2 x 45 s hold, 2 min rest"),
        (
            Dose(sets=s(3), reps=s(10, 12), hold=s(5), per_side=True, rest=s(30, 45)),
            "3 x 10-12 reps each side, 5 s hold, 30-45 s rest",
        ),
        (
            Dose(sets=s(2), reps=s(8), hold=s(3, 5), per_side=True, rest=s(60, 90)),
            "2 x 8 reps each side, 3-5 s hold, 60-90 s rest",
        ),
    ],
)
def test_format_dose(dose: Dose, text: str) -> None:
    assert format_dose(dose) == text


# --------------------------------------------------------------------------- canonical_fields


def test_canonical_fields_front_matter_form() -> None:
    assert canonical_fields(REPS_DEFAULT) == {
        "sets": 3,
        "reps": "10-12",
        "hold": "5s",
        "per_side": True,
        "rest": "30-45s",
    }
    assert canonical_fields(Dose(sets=s(5, 10), duration=s(60))) == {"sets": "5-10", "duration": "60s"}
    # default sets and per_side false are left out
    assert canonical_fields(Dose(reps=s(12))) == {"reps": 12}


def test_canonical_fields_as_values() -> None:
    assert canonical_fields(REPS_DEFAULT, as_values=True) == {
        "sets": s(3),
        "reps": s(10, 12),
        "hold": s(5),
        "per_side": True,
        "rest": s(30, 45),
    }
    assert canonical_fields(Dose(duration=s(20, 30)), as_values=True) == {"duration": s(20, 30)}


# --------------------------------------------------------------------------- the estimate's human form


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (0, 0, "about 1 min"),
        (1, 1, "about 1 min"),
        (59, 60, "about 1 min"),
        (61, 61, "about 2 min"),
        (120, 120, "about 2 min"),
        (121, 121, "about 3 min"),
        (1441, 1500, "about 25 min"),
        (1188, 1420, "about 20-24 min"),
        (60, 61, "about 1-2 min"),
    ],
)
def test_format_estimate(low: int, high: int, text: str) -> None:
    assert format_estimate(Span(low, high)) == text


# --------------------------------------------------------------------------- hypothesis strategies


def values(key: str, low: int = 1) -> st.SearchStrategy[int]:
    """Valid values for a key from `low` up to its limit; for time keys often whole minutes (`2-3 min` forms)."""
    limit = LIMITS[key]
    plain = st.integers(low, limit) | st.sampled_from(sorted({low, limit}))
    if key in COUNT_KEYS:
        return plain
    return plain | st.integers(-(-low // 60), limit // 60).map(lambda minutes: minutes * 60)


def spans(key: str) -> st.SearchStrategy[Span]:
    """Valid Spans for a key: 1 <= low <= high <= LIMITS[key], single values often."""

    def with_high(low: int) -> st.SearchStrategy[Span]:
        return st.one_of(st.just(Span(low, low)), st.builds(Span, st.just(low), values(key, low)))

    return values(key).flatmap(with_high)


@st.composite
def doses(draw: st.DrawFn) -> Dose:
    """Valid doses: exactly one of reps and duration, hold only with reps, every Span within LIMITS."""
    sets = draw(st.one_of(st.just(Span(1, 1)), spans("sets")))
    if draw(st.booleans()):
        reps, duration = draw(spans("reps")), None
        hold = draw(st.none() | spans("hold"))
    else:
        reps, duration, hold = None, draw(spans("duration")), None
    per_side = draw(st.booleans())
    rest = draw(st.none() | spans("rest"))
    return Dose(sets=sets, reps=reps, duration=duration, hold=hold, per_side=per_side, rest=rest)


def _time_text(seconds: int, draw: st.DrawFn) -> str:
    """One time written with units, e.g. `90s`, `90 s`, `1m30s`, `1 min 30 s`, `0m 30s`, `1h`."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    form = draw(st.sampled_from(["s", " s", "m s", "m s spaced", "h m s", "h m s zeros", "min s"]))
    if form == "s":
        return f"{seconds}s"
    if form == " s":
        return f"{seconds} s"
    if form == "m s":
        return f"{seconds // 60}m{seconds % 60}s"
    if form == "m s spaced":
        return f"{seconds // 60}m {seconds % 60}s"
    if form == "min s":
        return f"{seconds // 60} min {seconds % 60} sec"
    parts = [(hours, "h"), (minutes, "m"), (secs, "s")]
    if form == "h m s":
        parts = [(n, unit) for n, unit in parts if n] or [(0, "s")]
    return " ".join(f"{n}{unit}" for n, unit in parts)


@st.composite
def spelled_values(draw: st.DrawFn) -> tuple[str, object, Span]:
    """A key, a valid value for it in one of the accepted spellings, and the Span it means."""
    key = draw(st.sampled_from(SPAN_KEYS))
    span = draw(spans(key))
    low, high = span.low, span.high
    forms: list[object] = [[low, high], f"{low}-{high}", f"{low} - {high}", [str(low), str(high)]]
    if not span.is_range:
        forms += [low, str(low)]
    if key in TIME_KEYS:
        forms += [
            f"{low}-{high}s",
            f"{low}-{high} s",
            f"{_time_text(low, draw)}-{_time_text(high, draw)}",
            [_time_text(low, draw), _time_text(high, draw)],
        ]
        if not span.is_range:
            forms.append(_time_text(low, draw))
        if low % 60 == 0 and high % 60 == 0:
            forms.append(f"{low // 60}-{high // 60} min")
    return key, draw(st.sampled_from(forms)), span


@st.composite
def out_of_range_values(draw: st.DrawFn) -> tuple[str, object, str]:
    """A key, a value above its limit or below 1 in some spelling, and the exact DoseError message."""
    key = draw(st.sampled_from(SPAN_KEYS))
    limit = LIMITS[key]
    if draw(st.booleans()):
        value = draw(st.integers(limit + 1, limit * 100))
        message = f"'{key}' is over the limit of {LIMIT_SHOWN[key]}"
        forms: list[object] = [value, str(value), [1, value], f"1-{value}", [limit, value]]
        if key in TIME_KEYS:
            forms += [f"{value}s", f"{value} s", f"1-{value}s"]
    else:
        value = draw(st.integers(-1000, 0))
        message = f"'{key}' must be at least 1, not {value}"
        forms = [value, [value, 1], [value, limit]]
        if value == 0:
            forms += ["0", "0-5"] + (["0s", "0 min"] if key in TIME_KEYS else [])
    return key, draw(st.sampled_from(forms)), message


# --------------------------------------------------------------------------- hypothesis properties


@given(doses())
def test_every_valid_dose_formats(dose: Dose) -> None:
    text = format_dose(dose)
    assert text
    if dose.sets != Span(1, 1):
        sets = f"{dose.sets.low}-{dose.sets.high}" if dose.sets.is_range else str(dose.sets.low)
        assert text.startswith(f"{sets} x ")
    else:
        assert " x " not in text
    assert ("each side" in text) == dose.per_side
    if dose.rest is not None:
        assert text.endswith(f", {format_seconds(dose.rest)} rest")
    else:
        assert not text.endswith(" rest")


@given(doses())
def test_canonical_fields_round_trip(dose: Dose) -> None:
    fields = {key: parse_field(key, value) for key, value in canonical_fields(dose).items()}
    assert make_dose(fields) == dose


@given(doses())
def test_merge_with_own_fields_is_identity(dose: Dose) -> None:
    assert merge(dose, canonical_fields(dose, as_values=True)) == dose  # type: ignore[arg-type]


@given(spans("duration"))
def test_format_seconds_round_trip(span: Span) -> None:
    assert parse_field("duration", format_seconds(span)) == span


@given(spelled_values())
def test_nothing_valid_is_rejected(case: tuple[str, object, Span]) -> None:
    key, value, span = case
    assert parse_field(key, value) == span


@given(out_of_range_values())
def test_nothing_out_of_range_is_accepted(case: tuple[str, object, str]) -> None:
    key, value, message = case
    with pytest.raises(DoseError) as caught:
        parse_field(key, value)
    assert str(caught.value) == message
