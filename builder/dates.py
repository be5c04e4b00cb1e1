"""Dates as pages show them, the same whatever the machine's locale."""

from __future__ import annotations

import datetime as dt

__all__ = ["long_date"]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """`14 March 2026`."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
