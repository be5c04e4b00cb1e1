"""Search: Pagefind's index of the shipped guide queried in headless Chromium, at the root and under a sub-path.

One served and one offline build of the shipped guide are shared by the whole module.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from builder import search
from builder.cli import main
from tests.conftest import Run, snapshot
from tests.serving import serve

REPOSITORY = Path(__file__).parent.parent
PLANKS = {"Plank", "Forearm plank", "Side plank"}
HIP_EXERCISES = {"Leg lift", "Kneeling hip flexor stretch", "Side-lying leg raise"}
NOTICE = "Search needs the site to be served over HTTP"
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def build(output: Path, *options: str) -> Path:
    assert main(["build", "--content", str(REPOSITORY / "content"), "--output", str(output), *options]) == 0
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("served") / "output")


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("offline") / "output", "--offline")


class Tab:
    """A page in its own browser context that records console errors and uncaught exceptions."""

    def __init__(self, browser: Browser, width: int = 1280, scheme: str = "light") -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.requested: list[str] = []
        self.page.on("request", lambda request: self.requested.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open_search(self, url: str) -> Locator:
        """Open a search page and wait until its box works; the widget stays hidden until the index has loaded."""
        self.page.goto(url)
        box = self.page.get_by_label("Words to find")
        expect(box).to_be_visible()
        return box

    def titles(self) -> list[str]:
        return self.page.locator(".search-result__title").all_inner_texts()

    def wait_for_status(self, text: str) -> None:
        expect(self.page.locator("[data-search-status]")).to_contain_text(text)


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    opened = Tab(browser)
    yield opened
    opened.context.close()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("mount", ["/", "/guide/"])
def test_plank_finds_the_plank_exercises_first(site: Path, tab: Tab, mount: str) -> None:
    with serve(site, mount) as url:
        tab.open_search(url + "search/").press_sequentially("plank")
        tab.wait_for_status("for “plank”")
        assert set(tab.titles()[:3]) == PLANKS
        plank = tab.page.locator(".search-result").filter(has=tab.page.get_by_role("link", name="Plank", exact=True))
        assert plank.locator(".kind").inner_text().lower() == "exercise"
        assert plank.locator(".dose-pill").inner_text() == "5-10 x 60 s hold, 30 s rest"
        assert plank.locator(".search-result__summary").inner_text().startswith("A long hold on the elbows and toes")
        marks = tab.page.locator(".search-result__excerpt mark").all_inner_texts()
        assert marks and all("plank" in mark.lower() for mark in marks)
        assert query_of(tab.page.url) == {"q": ["plank"]}
        links = tab.page.locator(".search-result__title a").evaluate_all("links => links.map(link => link.href)")
        assert all(link.startswith(url) for link in links)
        assert not [url for url in tab.requested if "/pagefind/filter/" in url], "facets load only when opened"
        tab.page.locator(".search-result__title a", has_text="Side plank").click()
        expect(tab.page).to_have_url(url + "exercises/side-plank/")
    assert tab.errors == []


@pytest.mark.parametrize("mount", ["/", "/guide/"])
def test_region_filter_shows_only_hip_exercises_and_the_url_keeps_it(site: Path, tab: Tab, mount: str) -> None:
    with serve(site, mount) as url:
        box = tab.open_search(url + "search/")
        tab.page.get_by_text("Filters").click()
        tab.page.get_by_role("group", name="Region").get_by_label("Hips").check()
        assert [url for url in tab.requested if "/pagefind/filter/" in url]
        tab.wait_for_status("filtered by Hips")
        assert set(tab.titles()) == HIP_EXERCISES
        assert query_of(tab.page.url) == {"region": ["hips"]}
        box.fill("stretch")
        tab.wait_for_status("for “stretch”, filtered by Hips")
        assert tab.titles() == ["Kneeling hip flexor stretch"]
        linked = tab.page.url
        assert query_of(linked) == {"q": ["stretch"], "region": ["hips"]}
        tab.page.goto(linked)
        tab.wait_for_status("for “stretch”, filtered by Hips")
        assert tab.titles() == ["Kneeling hip flexor stretch"]
        assert box.input_value() == "stretch"
        assert tab.page.get_by_role("group", name="Region").get_by_label("Hips").is_checked()
    assert tab.errors == []


def test_muscle_names_are_searchable(site: Path, tab: Tab) -> None:
    with serve(site) as url:
        tab.page.goto(url + "search/?q=serratus")
        tab.wait_for_status("for “serratus”")
        assert "Plank" in tab.titles()


def test_the_search_box_of_an_exercise_page_leads_to_results(site: Path, tab: Tab) -> None:
    with serve(site, "/guide/") as url:
        tab.page.goto(url + "exercises/back-extension/")
        box = tab.page.get_by_role("search").get_by_label("Search the guide")
        box.fill("side plank")
        box.press("Enter")
        tab.wait_for_status("for “side plank”")
        assert urlsplit(tab.page.url).path == "/guide/search/"
        assert tab.titles()[0] == "Side plank"
    assert tab.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_search_results_are_accessible_and_fit(site: Path, browser: Browser, width: int, scheme: str) -> None:
    opened = Tab(browser, width, scheme)
    try:
        with serve(site) as url:
            opened.page.goto(url + "search/?q=hip&level=beginner")
            opened.wait_for_status("for “hip”, filtered by Beginner")
            expect(opened.page.get_by_role("group", name="Level").get_by_label("Beginner")).to_be_checked()
            overflow = opened.page.evaluate(OVERFLOW)
            results = Axe().run(opened.page)
    finally:
        opened.context.close()
    assert opened.errors == []
    assert overflow <= 0
    assert results.violations_count == 0, results.generate_report()


def test_the_offline_build_shows_the_lists_and_no_widget(offline_site: Path, tab: Tab) -> None:
    assert not (offline_site / "pagefind").exists()
    tab.page.goto((offline_site / "search/index.html").as_uri())
    expect(tab.page.locator(".notice")).to_contain_text(NOTICE)
    assert tab.page.locator("[data-search], input[type=search], script:not([type='application/ld+json'])").count() == 0
    assert tab.page.get_by_role("link", name="Hips", exact=True).count() == 1
    tab.page.get_by_role("link", name="Gluteus medius", exact=True).click()
    assert tab.page.url.endswith("muscles/gluteus-medius/index.html")
    tab.page.goto((offline_site / "exercises/plank/index.html").as_uri())
    assert tab.page.get_by_role("search").count() == 0
    assert tab.errors == []


def test_the_served_build_opened_from_disk_shows_the_notice(site: Path, tab: Tab) -> None:
    tab.page.goto((site / "search/index.html").as_uri())
    expect(tab.page.locator("[data-search-unavailable]")).to_be_visible()
    expect(tab.page.locator("[data-search-unavailable]")).to_contain_text(NOTICE)
    expect(tab.page.locator("[data-search]")).to_be_hidden()
    assert tab.page.get_by_role("link", name="Hips", exact=True).count() == 1
    assert tab.errors == []


def test_a_missing_index_shows_the_notice(site: Path, tab: Tab, tmp_path: Path) -> None:
    copy = shutil.copytree(site, tmp_path / "site")
    shutil.rmtree(copy / "pagefind")
    with serve(copy) as url:
        tab.page.goto(url + "search/?q=plank")
        expect(tab.page.locator("[data-search-unavailable]")).to_be_visible()
        expect(tab.page.locator("[data-search]")).to_be_hidden()


def test_two_builds_make_the_same_bundle(site: Path, tmp_path: Path) -> None:
    again = build(tmp_path / "output", "--no-cache")
    bundle = {name: data for name, data in snapshot(site).items() if name.startswith("pagefind/")}
    assert bundle
    assert bundle == {name: data for name, data in snapshot(again).items() if name.startswith("pagefind/")}


def test_bundle_data_round_trips_through_the_cbor_reader(site: Path) -> None:
    """The index chunks, which the build leaves as Pagefind wrote them, read and write back to the same bytes."""
    chunks = sorted((site / "pagefind/index").glob("*.pf_index"))
    assert chunks
    for chunk in chunks:
        data = gzip.decompress(chunk.read_bytes())
        assert search.SIGNATURE + search._encode(search._read(chunk)) == data


def test_only_exercises_routines_and_articles_are_indexed(site: Path) -> None:
    marked = [page for page in site.rglob("*.html") if search.MARKER in page.read_bytes()]
    assert {page.relative_to(site).parts[0] for page in marked} == {"exercises", "routines", "articles"}
    assert all(len(page.relative_to(site).parts) == 3 for page in marked)
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(marked) == 9 + 4 + 2


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("exercises/plank/index.html", True),
        ("routines/back-and-hips/index.html", True),
        ("articles/page/index.html", True),
        ("routines/back-and-hips/card/index.html", False),
        ("routines/back-and-hips/log/index.html", False),
        ("articles/page/2/index.html", False),
        ("exercises/index.html", False),
        ("muscles/glutes/index.html", False),
        ("exercises/plank/card.pdf", False),
    ],
)
def test_pagefind_reads_only_the_files_of_pages_it_indexes(name: str, wanted: bool) -> None:
    assert search.indexed(name) is wanted


def test_a_missing_pagefind_names_what_to_install(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pagefind.service", None)
    with pytest.raises(search.SearchProblem, match=r"pip install 'pagefind\[bin\]'"):
        search.search_files(site)


def test_a_missing_pagefind_program_names_what_to_install(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site / "no-such-program"))
    with pytest.raises(search.SearchProblem, match=r"pip install 'pagefind\[bin\]'"):
        search.search_files(site)


def test_a_failing_pagefind_is_reported_with_its_output(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "false")
    with pytest.raises(search.SearchProblem, match="Pagefind failed"):
        search.search_files(site)


def test_build_without_pagefind_exits_2_and_changes_nothing(
    guide: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_guide("build").code == 0
    before = snapshot(guide / "output")
    plank = guide / "content/exercises/plank.md"
    plank.write_text(plank.read_text() + "\nMore.\n")
    monkeypatch.setitem(sys.modules, "pagefind.service", None)
    result = run_guide("build")
    assert result.code == 2
    (line,) = result.err_lines
    assert line.startswith("guide: ") and line.endswith("install it with: pip install 'pagefind[bin]'")
    assert snapshot(guide / "output") == before
