"""Languages (SPEC 7): the theme's words from gettext catalogs, a theme's over the shipped ones, dates by Babel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.dates import long_date
from builder.dose import Dose, Span, format_dose, format_estimate
from builder.theme import theme_folders
from builder.words import languages, translations
from tests.conftest import TESTS, Run

GERMAN_THEME = TESTS / "fixtures" / "theme-de"


def test_a_language_without_a_catalog_is_an_error_at_its_line(guide: Path, run_guide: Callable[..., Run]) -> None:
    settings = guide / "content/site.yml"
    settings.write_text(settings.read_text() + "\nlanguage: xx\n")
    line = settings.read_text().splitlines().index("language: xx") + 1
    result = run_guide("check")
    expected = ", ".join(f"'{language}'" for language in languages(theme_folders(None)))
    assert result.err_lines == [
        f"content/site.yml:{line}: unknown language 'xx'; expected one of {expected}",
        "guide: 1 error",
    ]


@pytest.mark.parametrize(
    ("dose", "english", "german"),
    [
        (Dose(reps=Span(1, 1)), "1 rep", "1 Wiederholung"),
        (
            Dose(sets=Span(3, 3), reps=Span(12, 15), per_side=True),
            "3 x 12-15 reps each side",
            "3 × 12-15 Wiederholungen je Seite",
        ),
        (Dose(duration=Span(30, 30), rest=Span(60, 60)), "30 s hold, 60 s rest", "30 s halten, 60 s Pause"),
        (Dose(reps=Span(10, 10), hold=Span(5, 5)), "10 reps, 5 s hold", "10 Wiederholungen, 5 s halten"),
    ],
)
def test_doses_are_written_in_the_catalogs_words(dose: Dose, english: str, german: str) -> None:
    words = translations(theme_folders(GERMAN_THEME), "de")
    assert format_dose(dose) == english
    assert format_dose(dose, words) == german


def test_a_message_no_catalog_has_stays_english() -> None:
    words = translations(theme_folders(GERMAN_THEME), "de")
    assert format_estimate(Span(600, 600), words) == "etwa 10 Min."
    assert format_estimate(Span(600, 700), words) == "about 10-12 min"


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "14 March 2026"), ("de", "14. März 2026"), ("fr", "14 mars 2026"), ("es", "14 de marzo de 2026")],
)
def test_dates_take_each_languages_long_form(language: str, shown: str) -> None:
    assert long_date(dt.date(2026, 3, 14), language) == shown


def test_a_theme_adds_a_language_and_the_site_speaks_it(guide: Path, run_guide: Callable[..., Run]) -> None:
    settings = guide / "content/site.yml"
    settings.write_text(settings.read_text() + "\nlanguage: de\n")
    assert run_guide("check").code == 1
    assert run_guide("check", "--templates", str(GERMAN_THEME)).code == 0
    result = run_guide("build", "--templates", str(GERMAN_THEME))
    assert result.code == 0, result.err
    page = (guide / "output/exercises/plank/index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page
    assert ">Startseite</a>" in page and ">Übungen</a>" in page
    assert "5-10 × 60 s halten" in page
    assert "<title>Übungen · Test Guide</title>" in (guide / "output/exercises/index.html").read_text(encoding="utf-8")
