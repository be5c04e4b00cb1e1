"""Dates as pages show them, in the guide's language and the same whatever the machine's locale (Babel's data)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

__all__ = ["long_date"]


def long_date(day: dt.date, language: str = "en") -> str:
    """`14 March 2026`, `14. März 2026`, `14 mars 2026`: each language's long form.

    English takes the day-month-year order the theme has always written
    (Babel's `en_GB`), which reads the same on both sides of the Atlantic.
    """
    return format_date(day, format="long", locale="en_GB" if language == "en" else language)
