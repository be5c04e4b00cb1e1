"""Doses: every accepted spelling parsed to one model, and one human form for showing it.

Pure functions with no I/O: validation attaches the lines, pages and cards
only format.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from builder.words import ENGLISH, Words

__all__ = [
    "DOSE_KEYS",
    "LIMITS",
    "Dose",
    "DoseError",
    "Span",
    "canonical_fields",
    "format_dose",
    "format_estimate",
    "format_seconds",
    "make_dose",
    "merge",
    "parse_field",
]

DOSE_KEYS = ("sets", "reps", "duration", "hold", "per_side", "rest")
_COUNT_KEYS = ("sets", "reps")
_TIME_KEYS = ("duration", "hold", "rest")

LIMITS = {"sets": 20, "reps": 200, "duration": 3600, "hold": 3600, "rest": 1800}
"""Largest value of each key: sets and reps as counts, the others in seconds."""

_UNITS = {
    "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
}  # fmt: skip
_TIME_PART = re.compile(r"(\d+)\s*([a-z]+)")
_DIGITS = re.compile(r"[0-9]+")
_RANGE = re.compile(r"^\s*(\S.*?)\s*-\s*(\S.*?)\s*$")
_SPELLINGS = {
    "sets": "a whole number such as 3, or a range such as 5-10 or [5, 10]",
    "reps": "a whole number such as 12, or a range such as 12-15 or [12, 15]",
    "duration": "seconds such as 30 or 30s, minutes such as 1 min or 1m30s, or a range such as 20-30s",
}


class DoseError(ValueError):
    """A dose value or combination that cannot be used; the message says what is expected."""


@dataclass(frozen=True, order=True)
class Span:
    """A whole number or a range of them: a count, or a time in seconds."""

    low: int
    high: int

    @property
    def is_range(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class Dose:
    """A prescription after merging: exactly one of `reps` and `duration` is set."""

    sets: Span = Span(1, 1)
    reps: Span | None = None
    duration: Span | None = None
    hold: Span | None = None
    per_side: bool = False
    rest: Span | None = None


FieldValue = Span | bool


def _spelling(key: str) -> str:
    return _SPELLINGS["duration" if key in _TIME_KEYS else key]


def _parse_seconds(text: str, key: str) -> int:
    """One time such as `90`, `30s`, `1 min` or `1m30s`, in seconds."""
    compact = text.strip().lower()
    if _DIGITS.fullmatch(compact):
        return int(compact)
    parts = _TIME_PART.findall(compact)
    if not parts or _TIME_PART.sub("", compact).strip():
        raise DoseError(f"cannot read '{text}' as a time; write {_spelling(key)}")
    sizes = []
    for _, unit in parts:
        if unit not in _UNITS:
            raise DoseError(f"unknown time unit '{unit}' in '{text}'; use s, min or h")
        sizes.append(_UNITS[unit])
    if sizes != sorted(sizes, reverse=True) or len(set(sizes)) != len(sizes):
        raise DoseError(f"cannot read '{text}' as a time; give hours, minutes and seconds once each, largest first")
    return sum(int(number) * size for (number, _), size in zip(parts, sizes, strict=True))


def _parse_one(value: object, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DoseError(f"'{key}' must be {_spelling(key)}")
    if isinstance(value, int):
        return value
    if key in _TIME_KEYS:
        return _parse_seconds(value, key)
    if not _DIGITS.fullmatch(value.strip()):
        raise DoseError(f"cannot read '{value}' as a count; '{key}' must be {_spelling(key)}")
    return int(value)


def _split_range(value: str, key: str) -> tuple[str, str] | None:
    """`"5-10"` as its two ends; in `"20-30s"` and `"1-2 min 30 s"` a bare first end takes the second's leading unit."""
    match = _RANGE.match(value)
    if match is None:
        return None
    first, second = match.groups()
    leading = _TIME_PART.match(second)
    if key in _TIME_KEYS and _DIGITS.fullmatch(first) and leading:
        first += leading.group(2)
    return first, second


def _parse_span(value: object, key: str) -> Span:
    if isinstance(value, list):
        if len(value) != 2:
            raise DoseError(f"a range in '{key}' needs exactly two values, [min, max]")
        low, high = (_parse_one(v, key) for v in value)
    elif isinstance(value, str) and (ends := _split_range(value, key)):
        low, high = (_parse_one(end, key) for end in ends)
    else:
        low = high = _parse_one(value, key)
    if low < 1:
        raise DoseError(f"'{key}' must be at least 1, not {low}")
    if low > high:
        raise DoseError(f"the range in '{key}' runs backwards ({value}); write the smaller number first")
    limit = LIMITS[key]
    if high > limit:
        shown = str(limit) if key in _COUNT_KEYS else format_seconds(Span(limit, limit))
        raise DoseError(f"'{key}' is over the limit of {shown}")
    return Span(low, high)


def parse_field(key: str, value: object) -> FieldValue:
    """One dose key's value as written in YAML, checked against its limits."""
    if key == "per_side":
        if not isinstance(value, bool):
            raise DoseError("'per_side' must be true or false")
        return value
    if key not in LIMITS:
        raise DoseError(f"unknown dose key '{key}'")
    return _parse_span(value, key)


def make_dose(fields: dict[str, FieldValue]) -> Dose:
    """A dose from parsed fields, checking the rules that involve more than one key."""
    if ("reps" in fields) == ("duration" in fields):
        raise DoseError("a dose needs exactly one of 'reps' and 'duration'")
    if "hold" in fields and "reps" not in fields:
        raise DoseError("'hold' is a pause in each repetition and needs 'reps'")
    return Dose(**fields)  # type: ignore[arg-type]


def merge(default: Dose, overrides: dict[str, FieldValue]) -> Dose:
    """A routine's dose: the exercise's default with the given keys replaced.

    Giving `reps` drops a default `duration`; giving `duration` drops the
    default `reps` and its `hold`, which only make sense together.
    """
    fields = canonical_fields(default, as_values=True)
    if "reps" in overrides:
        fields.pop("duration", None)
    if "duration" in overrides:
        fields.pop("reps", None)
        fields.pop("hold", None)
    fields.update(overrides)
    return make_dose(fields)  # type: ignore[arg-type]


def canonical_fields(dose: Dose, as_values: bool = False) -> dict[str, object]:
    """The dose as front matter would write it (`"5-10"`, `"60s"`), or as parsed values."""
    fields: dict[str, object] = {}
    for key in DOSE_KEYS:
        value = getattr(dose, key)
        if value is None or value is False or (key == "sets" and value == Span(1, 1)):
            continue
        if as_values or isinstance(value, bool):
            fields[key] = value
        elif key in _COUNT_KEYS:
            fields[key] = f"{value.low}-{value.high}" if value.is_range else value.low
        else:
            fields[key] = f"{value.low}-{value.high}s" if value.is_range else f"{value.low}s"
    return fields


def _format_time(seconds: int, words: Words) -> str:
    if seconds < 120:
        return words.gettext("%(seconds)d s") % {"seconds": seconds}
    minutes, rest = divmod(seconds, 60)
    if rest:
        return words.gettext("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": rest}
    return words.gettext("%(minutes)d min") % {"minutes": minutes}


def format_seconds(span: Span, words: Words = ENGLISH) -> str:
    """A time or range of times as people read it: `30 s`, `20-30 s`, `2-3 min`, `90 s-2 min 30 s`."""
    if not span.is_range:
        return _format_time(span.low, words)
    if span.high < 120:
        return words.gettext("%(low)d-%(high)d s") % {"low": span.low, "high": span.high}
    if span.low >= 120 and span.low % 60 == 0 and span.high % 60 == 0:
        return words.gettext("%(low)d-%(high)d min") % {"low": span.low // 60, "high": span.high // 60}
    ends = {"low": _format_time(span.low, words), "high": _format_time(span.high, words)}
    return words.gettext("%(low)s-%(high)s") % ends


def _format_count(span: Span) -> str:
    return f"{span.low}-{span.high}" if span.is_range else str(span.low)


def format_dose(dose: Dose, words: Words = ENGLISH) -> str:
    """The one human form of a dose: `5-10 x 60 s hold`, `12-15 reps each side`, `10 reps, 5 s hold`.

    Each part is a message of its own, so a language can order and spell it
    its own way; a count takes its plural form from its upper end.
    """
    if dose.reps is not None:
        count = _format_count(dose.reps)
        effort = words.ngettext("%(count)s rep", "%(count)s reps", dose.reps.high) % {"count": count}
    else:
        assert dose.duration is not None
        effort = words.gettext("%(time)s hold") % {"time": format_seconds(dose.duration, words)}
    text = effort
    if dose.sets != Span(1, 1):
        text = words.gettext("%(sets)s x %(effort)s") % {"sets": _format_count(dose.sets), "effort": effort}
    if dose.per_side:
        text = words.gettext("%(dose)s each side") % {"dose": text}
    if dose.hold is not None:
        text = words.gettext("%(dose)s, %(time)s hold") % {"dose": text, "time": format_seconds(dose.hold, words)}
    if dose.rest is not None:
        text = words.gettext("%(dose)s, %(time)s rest") % {"dose": text, "time": format_seconds(dose.rest, words)}
    return text


def format_estimate(seconds: Span, words: Words = ENGLISH) -> str:
    """A routine's time as `about 25 min`, or `about 20-25 min` when its ranges matter; rounded up to the minute."""
    low, high = (max(1, math.ceil(end / 60)) for end in (seconds.low, seconds.high))
    if low == high:
        return words.gettext("about %(minutes)d min") % {"minutes": low}
    return words.gettext("about %(low)d-%(high)d min") % {"low": low, "high": high}
