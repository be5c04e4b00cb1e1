"""Training log sheets (SPEC 4.3): one landscape page in Chromium and WeasyPrint, each checked at its line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from builder.cards import LOG_SIZES
from builder.cli import main
from tests.browser import printed
from tests.cardguide import LOG_SESSIONS, log_front, write_log_guide, write_overlong
from tests.conftest import Run
from tests.serving import serve
from tests.test_cards import page_sizes

LogSite = tuple[str, Path, dict[str, tuple[str, int]]]


def assert_one_landscape_page(pdf: bytes, size: str) -> None:
    """Within half a millimetre, as Chromium rounds page sizes to whole pixels; the paper's height is the width."""
    first, *rest = page_sizes(pdf)
    assert rest == [], f"{len(rest) + 1} pages"
    paper = LOG_SIZES[size]
    assert abs(first[0] - paper.height) <= 0.5 and abs(first[1] - paper.width) <= 0.5, first


@pytest.fixture(scope="module")
def log_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LogSite]:
    folder = tmp_path_factory.mktemp("logs")
    routines = write_log_guide(folder)
    output = folder / "output"
    assert main(["build", "--content", str(folder / "content"), "--output", str(output), "--pdf"]) == 0
    with serve(output) as url:
        yield url, output, routines


LENGTHS = ["short", "typical", "longest"]


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("size", list(LOG_SIZES))
def test_chromium_prints_one_landscape_page(browser: Browser, log_site: LogSite, size: str, length: str) -> None:
    url, _, _ = log_site
    assert_one_landscape_page(printed(browser, f"{url}routines/log-{size}-{length}/log/"), size)


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("size", list(LOG_SIZES))
def test_weasyprint_writes_one_landscape_page(log_site: LogSite, size: str, length: str) -> None:
    _, output, _ = log_site
    assert_one_landscape_page((output / f"routines/log-{size}-{length}/log/log.pdf").read_bytes(), size)


def test_the_longest_logs_are_long(log_site: LogSite) -> None:
    _, _, routines = log_site
    longest = {size: count for slug, (size, count) in routines.items() if slug.endswith("-longest")}
    assert longest["letter"] >= 12 and longest["a4"] >= 12 and longest["a3"] >= 16, longest


def test_a_log_has_a_row_per_exercise_and_a_box_per_set_and_side_in_every_session(log_site: LogSite) -> None:
    _, output, _ = log_site
    html = (output / "routines/back-and-hip-strength-for-runners/log/index.html").read_text()
    rows = re.findall(
        r'<th scope="row"><strong class="log__name">([^<]+)</strong><span class="log__dose">([^<]+)<', html
    )
    assert rows[:4] == [
        ("Cat-cow", "2 x 10 reps"),
        ("Back extension", "2 x 10 reps, 5 s hold"),
        ("Bird dog", "2 x 8-10 reps each side, 3 s hold"),
        ("Plank", "3 x 30-60 s hold, 30 s rest"),
    ]
    assert len(rows) == 8
    assert html.count('<span class="log__date">Date</span>') == 6
    boxes = re.findall(r'<span class="log__boxes" aria-label="(\d+) boxes">', html)
    assert [int(count) for count in boxes[::6]] == [2, 2, 4, 3, 4, 2, 4, 2]
    assert len(boxes) == 8 * 6
    assert html.count('data-side="L"') == html.count('data-side="R"') == 6 * (2 + 2 + 1 + 2 + 1)
    assert '<tr class="log__notes">' in html


def test_routine_pages_and_print_all_link_each_log_and_its_pdf(log_site: LogSite) -> None:
    _, output, _ = log_site
    routine = (output / "routines/pre-run-hip-warm-up/index.html").read_text()
    assert '<a class="button button--quiet" href="log/">Training log</a>' in routine
    assert '<a href="log/log.pdf" download>Log as PDF</a>' in routine
    assert (output / "routines/pre-run-hip-warm-up/log/log.pdf").is_file()
    cards = (output / "cards/index.html").read_text()
    assert '<a href="../routines/pre-run-hip-warm-up/log/">training log</a> (8 sessions, A4)' in cards
    assert '<a href="../routines/spine-and-hip-mobility/log/">training log</a> (12 sessions, US letter)' in cards


def test_the_shipped_four_up_sheets_hold_its_a6_cards(browser: Browser, log_site: LogSite) -> None:
    url, output, _ = log_site
    for paper in ("a4", "letter"):
        html = (output / f"cards/{paper}/index.html").read_text()
        titles = re.findall(r'<h1 class="sheet__title">([^<]+)</h1>', html)
        assert titles == ["Core for runners", "Pre-run hip warm-up"]
        assert html.count('<li class="sheet__item') == 4 + 4
        assert "Easier: Leg lift" in html and "Easier: Side-lying leg raise" in html
    assert len(page_sizes(printed(browser, f"{url}cards/a4/"))) == 1


def test_a_log_too_long_names_fewer_sessions_or_a_larger_paper(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    routines = write_log_guide(tmp_path)
    monkeypatch.chdir(tmp_path)
    cases = [
        ("a4", routines["log-a4-longest"][1] + 1, "it fits with log.sessions: 5 or log.size: a3"),
        ("a3", routines["log-a3-longest"][1] + 1, "it fits with log.sessions: 11"),
        ("a3", 60, "split it into shorter routines"),
    ]
    for size, count, hint in cases:
        path = write_overlong(tmp_path / "content", log_front(size, LOG_SESSIONS[size]), count)
        result = run_guide("check")
        line = path.read_text().splitlines().index("exercises:") + 1
        message = f"routine too long for a log sheet of {LOG_SESSIONS[size]} sessions on '{size}'; {hint}"
        assert f"content/routines/overlong.md:{line}: {message}" in result.err_lines


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        ("  sessions: 0", "'sessions' must be from 1 to 12, not 0"),
        ("  sessions: 13", "'sessions' must be from 1 to 12, not 13"),
        ("  size: a5", "unknown size 'a5'; expected one of 'a3', 'a4', 'letter'"),
    ],
)
def test_log_settings_out_of_range_are_errors_at_their_line(
    guide: Path, run_guide: Callable[..., Run], log: str, expected: str
) -> None:
    path = guide / "content/routines/core-basics.md"
    path.write_text(path.read_text().replace("exercises:", f"log:\n{log}\nexercises:"))
    result = run_guide("check")
    assert result.err_lines == [f"content/routines/core-basics.md:6: {expected}", "guide: 1 error"]
