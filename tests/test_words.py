"""Languages (SPEC 7): the theme's words from gettext catalogs, a theme's over the shipped ones, dates by Babel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from builder.dates import long_date
from builder.dose import Dose, Span, format_dose, format_estimate
from builder.theme import default_theme, theme_folders
from builder.words import languages, translations
from tests.conftest import TESTS, Run

ITALIAN_THEME = TESTS / "fixtures" / "theme-it"


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
    ("dose", "english", "italian"),
    [
        (Dose(reps=Span(1, 1)), "1 rep", "1 ripetizione"),
        (
            Dose(sets=Span(3, 3), reps=Span(12, 15), per_side=True),
            "3 x 12-15 reps each side",
            "3 × 12-15 ripetizioni per lato",
        ),
        (Dose(duration=Span(30, 30), rest=Span(60, 60)), "30 s hold, 60 s rest", "30 s di tenuta, 60 s di recupero"),
        (Dose(reps=Span(10, 10), hold=Span(5, 5)), "10 reps, 5 s hold", "10 ripetizioni, 5 s di tenuta"),
    ],
)
def test_doses_are_written_in_the_catalogs_words(dose: Dose, english: str, italian: str) -> None:
    words = translations(theme_folders(ITALIAN_THEME), "it")
    assert format_dose(dose) == english
    assert format_dose(dose, words) == italian


def test_a_message_no_catalog_has_stays_english() -> None:
    words = translations(theme_folders(ITALIAN_THEME), "it")
    assert format_estimate(Span(600, 600), words) == "circa 10 min"
    assert format_estimate(Span(600, 700), words) == "about 10-12 min"


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "14 March 2026"), ("de", "14. März 2026"), ("fr", "14 mars 2026"), ("es", "14 de marzo de 2026")],
)
def test_dates_take_each_languages_long_form(language: str, shown: str) -> None:
    assert long_date(dt.date(2026, 3, 14), language) == shown


def test_a_theme_adds_a_language_and_the_site_speaks_it(guide: Path, run_guide: Callable[..., Run]) -> None:
    settings = guide / "content/site.yml"
    settings.write_text(settings.read_text() + "\nlanguage: it\n")
    assert run_guide("check").code == 1
    assert run_guide("check", "--templates", str(ITALIAN_THEME)).code == 0
    result = run_guide("build", "--templates", str(ITALIAN_THEME))
    assert result.code == 0, result.err
    page = (guide / "output/exercises/plank/index.html").read_text(encoding="utf-8")
    assert '<html lang="it">' in page
    assert ">Pagina iniziale</a>" in page and ">Esercizi</a>" in page
    assert "5-10 × 60 s di tenuta" in page
    assert "<title>Esercizi · Test Guide</title>" in (guide / "output/exercises/index.html").read_text(encoding="utf-8")
    assert "15 gennaio 2026" in (guide / "output/articles/hello/index.html").read_text(encoding="utf-8")


SHIPPED_DOSES = [
    (Dose(reps=Span(1, 1)), {"de": "1 Wiederholung", "fr": "1 répétition", "es": "1 repetición"}),
    (
        Dose(sets=Span(2, 3), reps=Span(12, 15), per_side=True),
        {
            "de": "2-3 × 12-15 Wiederholungen je Seite",
            "fr": "2-3 × 12-15 répétitions de chaque côté",
            "es": "2-3 × 12-15 repeticiones por lado",
        },
    ),
    (
        Dose(sets=Span(3, 3), duration=Span(20, 30), rest=Span(30, 30)),
        {"de": "3 × 20-30 s halten, 30 s Pause", "fr": "3 × 20-30 s de maintien, 30 s de repos"},
    ),
    (Dose(reps=Span(10, 10), hold=Span(5, 5)), {"es": "10 repeticiones, mantener 5 s"}),
]


@pytest.mark.parametrize(("dose", "shown"), SHIPPED_DOSES)
def test_the_shipped_catalogs_write_doses_in_their_language(dose: Dose, shown: dict[str, str]) -> None:
    for language, text in shown.items():
        written = format_dose(dose, translations(theme_folders(None), language))
        assert written.replace("\u00a0", " ").replace("\u202f", " ") == text


def test_a_theme_overrides_one_message_of_a_shipped_catalog(tmp_path: Path) -> None:
    catalog = tmp_path / "theme/locale/de/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "Exercises"\nmsgstr "Übungsliste"\n')
    words = translations(theme_folders(tmp_path / "theme"), "de")
    assert words.gettext("Exercises") == "Übungsliste"
    assert words.gettext("Routines") == "Trainingspläne"  # the shipped catalog's, where the theme says nothing


def test_check_lists_the_messages_a_catalog_lacks(guide: Path, run_guide: Callable[..., Run]) -> None:
    settings = guide / "content/site.yml"
    settings.write_text(settings.read_text() + "\nlanguage: it\n")
    result = run_guide("check", "--templates", str(ITALIAN_THEME))
    assert result.code == 0, result.err
    note = result.out.splitlines()[1]
    with (default_theme() / "locale/messages.pot").open("rb") as file:
        expected = len([message for message in read_po(file) if message.id]) - 9  # the fixture translates 9
    assert note.startswith(f"note: the 'it' catalog lacks {expected} messages, written in English: ")
    assert "'Search'" in note and "'Front' (muscle map)" in note and "'Exercises'" not in note
    settings.write_text(settings.read_text().replace("language: it", "language: de"))
    assert run_guide("check").out.count("note:") == 0  # the shipped German catalog has every message


def test_init_starts_a_guide_in_a_language(tmp_path: Path, run_guide: Callable[..., Run], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_guide("init", "verein", "--language", "de").code == 0
    assert "language: de\n" in (tmp_path / "verein/content/site.yml").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path / "verein")
    assert run_guide("check").out == "content: 1 exercise, 1 routine, 1 article; no errors\n"
    monkeypatch.chdir(tmp_path)
    refused = run_guide("init", "club", "--language", "it")
    assert (refused.code, refused.err_lines) == (
        2,
        ["guide: no catalog for language 'it'; choose one of de, en, es, fr"],
    )
