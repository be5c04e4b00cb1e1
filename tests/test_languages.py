"""The shipped guide in German, French and Spanish: no word of the theme left in English on any page.

The check compares each language's build with the English one, page by page:
a piece of text both builds show is either the guide's own content (which
is not translated) or a word of the theme nobody translated. So a template
whose words were never marked for translation fails the test as surely as a
message a catalog lacks.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.pofile import read_po
from playwright.sync_api import Browser

from builder.cli import main
from builder.theme import default_theme
from tests.cardguide import SHIPPED
from tests.serving import serve

THEME = default_theme()
LANGUAGES = ("de", "fr", "es")
_SEEN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "data-updated", "data-reload")
_NEUTRAL = re.compile(r"[\d\s.,:;·×x\-\u2013\u2014\u2212+/()%]*(s|min)?[\d\s.,:;·×x\-\u2013\u2014\u2212+/()%]*")
"""Text that reads the same in every language: numbers, times in seconds or minutes, punctuation."""
_LANGUAGE_FREE = {"PDF", "GitHub", "Pagefind"}
"""Names, the same in every language."""


class PageWords(HTMLParser):
    """Every piece of text a reader sees or hears on a page: text, labels, and the words pages give their scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: set[str] = set()
        self.skipping = 0
        self.strings = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in _SEEN_ATTRIBUTES:
            self.add(found.get(name) or "")
        if tag in ("script", "style"):
            self.skipping += 1
            self.strings = tag == "script" and "data-strings" in found

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping -= 1
            self.strings = False

    def handle_data(self, data: str) -> None:
        if self.strings:
            self.add_strings(json.loads(data))
        elif not self.skipping:
            self.add(data)

    def add_strings(self, value: object) -> None:
        if isinstance(value, str):
            self.add(value)
        elif isinstance(value, dict | list):
            for item in value.values() if isinstance(value, dict) else value:
                self.add_strings(item)

    def add(self, text: str) -> None:
        text = " ".join(text.split())
        if text and not _NEUTRAL.fullmatch(text) and text not in _LANGUAGE_FREE:
            self.words.add(text)


def page_words(page: Path) -> set[str]:
    parser = PageWords()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.words


def _same_in(language: str) -> set[str]:
    """The messages a catalog translates with the same words, as French does `Articles` or `Notes`."""
    with (THEME / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)
    same = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        same |= {text for text in ids if text and text in strings}
    return same


def _content_text(content: Path) -> str:
    """All the guide's own words, as one text with its whitespace folded."""
    files = sorted(path for path in content.rglob("*") if path.suffix in (".md", ".yml"))
    return " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in files)


def _reads_the_same(text: str, content: str, same: set[str]) -> bool:
    """Whether `text` may read the same in both languages: the guide's own words, words the catalog keeps as
    they are (`Articles` in French), and numbers, alone or joined by the theme's marks (`title · author`, `#tag`)."""
    pieces = [piece for piece in re.split(r"\s*[·#←]\s*|^\d+\.\s", text) if piece]
    return all(
        piece in content or piece in same or _NEUTRAL.fullmatch(re.sub(r"\{\w+\}", "", piece)) for piece in pieces
    )


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped guide built in English and in each shipped language."""
    built = {}
    for language in ("en", *LANGUAGES):
        folder = tmp_path_factory.mktemp(language)
        content = folder / "content"
        shutil.copytree(SHIPPED, content)
        settings = content / "site.yml"
        text = re.sub(r"^language: .*$", f"language: {language}", settings.read_text(encoding="utf-8"), flags=re.M)
        settings.write_text(text, encoding="utf-8")
        assert main(["build", "--content", str(content), "--output", str(folder / "output")]) == 0
        built[language] = folder / "output"
    return built


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_word_of_the_theme_is_left_in_english(sites: dict[str, Path], language: str) -> None:
    content, same = _content_text(SHIPPED), _same_in(language)
    english, translated = sites["en"], sites[language]
    left: dict[str, list[str]] = {}
    for page in sorted(english.rglob("*.html")):
        name = page.relative_to(english).as_posix()
        both = page_words(page) & page_words(translated / name)
        unchanged = sorted(words for words in both if not _reads_the_same(words, content, same))
        if unchanged:
            left[name] = unchanged
    assert left == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_search_and_dates_are_in_the_language(sites: dict[str, Path], language: str) -> None:
    site = sites[language]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in home
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [language]
    article = (site / "articles/warming-up-your-hips/index.html").read_text(encoding="utf-8")
    date = {"de": "2. Mai 2026", "fr": "2 mai 2026", "es": "2 de mayo de 2026"}[language]
    assert date in article


@pytest.mark.parametrize(
    ("language", "dose", "estimate"),
    [
        ("de", "2 × 8-10 Wiederholungen je Seite, 3 s halten", "etwa 20-24 Min."),
        ("fr", "2 × 8-10 répétitions de chaque côté, 3 s de maintien", "environ 20-24 min"),
        ("es", "2 × 8-10 repeticiones por lado, mantener 3 s", "unos 20-24 min"),
    ],
)
def test_doses_and_estimates_read_naturally(sites: dict[str, Path], language: str, dose: str, estimate: str) -> None:
    routine = (sites[language] / "routines/back-and-hip-strength-for-runners/index.html").read_text(encoding="utf-8")
    assert dose in " ".join(routine.split()).replace("\u00a0", " ").replace("\u202f", " ")
    assert estimate in routine.replace("\u00a0", " ").replace("\u202f", " ")


def test_a_german_page_and_player_are_accessible(browser: Browser, sites: dict[str, Path]) -> None:
    with serve(sites["de"]) as url:
        for path in ("exercises/side-plank/", "routines/pre-run-hip-warm-up/play/"):
            page = browser.new_page()
            try:
                page.goto(url + path)
                results = Axe().run(page)
                lang = page.evaluate("document.documentElement.lang")
            finally:
                page.close()
            assert lang == "de"
            assert results.violations_count == 0, results.generate_report()


def test_the_player_speaks_german(sites: dict[str, Path]) -> None:
    page = (sites["de"] / "routines/pre-run-hip-warm-up/play/index.html").read_text(encoding="utf-8")
    strings = json.loads(re.search(r"<script type=\"application/json\" data-strings>(.*?)</script>", page, re.S)[1])
    assert (strings["ready"], strings["rest"], strings["left"]) == ("Mach dich bereit", "Pause", "Linke Seite")
    assert '<html lang="de">' in page  # the spoken prompts take the page's language
