"""Routine cards print on exactly one page of their size, in Chromium and in WeasyPrint, with a QR code that scans."""

from __future__ import annotations

import io
import math
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdf
import pytest
import segno
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser

from builder.cards import CARD_SIZES
from builder.cli import main
from builder.diagnostics import Diagnostics
from builder.validate import load_guide
from tests.browser import printed
from tests.cardguide import SHIPPED, card_front, write_card_guide, write_overlong
from tests.conftest import TESTS, Run
from tests.serving import serve

MM_PER_POINT = 25.4 / 72


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in millimetres, read from the PDF's media boxes."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [
        (float(page.mediabox.width) * MM_PER_POINT, float(page.mediabox.height) * MM_PER_POINT) for page in reader.pages
    ]


def same_size(measured: tuple[float, float], size: str) -> bool:
    """Within half a millimetre: Chromium rounds page sizes to whole pixels."""
    expected = CARD_SIZES[size]
    return abs(measured[0] - expected.width) <= 0.5 and abs(measured[1] - expected.height) <= 0.5


def assert_one_page(pdf: bytes, size: str) -> None:
    first, *rest = page_sizes(pdf)
    assert rest == [], f"{len(rest) + 1} pages"
    assert same_size(first, size), first


@pytest.fixture(scope="module")
def card_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict[str, tuple[str, int]]]]:
    folder = tmp_path_factory.mktemp("cards")
    routines = write_card_guide(folder)
    output = folder / "output"
    code = main(["build", "--content", str(folder / "content"), "--output", str(output), "--pdf"])
    assert code == 0
    with serve(output) as url:
        yield url, output, routines


def test_every_card_size_is_measured() -> None:
    assert set(CARD_SIZES) == {"a6", "a5", "a4", "letter", "index-card"}


LENGTHS = ["short", "typical", "longest", "short-pictured", "typical-pictured", "longest-pictured"]


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("size", list(CARD_SIZES))
def test_chromium_prints_one_page_of_the_card_size(
    browser: Browser,
    card_site: tuple[str, Path, dict[str, tuple[str, int]]],
    size: str,
    length: str,
) -> None:
    url, _, _ = card_site
    assert_one_page(printed(browser, f"{url}routines/{size}-{length}/card/"), size)


@pytest.mark.parametrize("length", LENGTHS)
@pytest.mark.parametrize("size", list(CARD_SIZES))
def test_weasyprint_pdf_is_one_page_of_the_card_size(
    card_site: tuple[str, Path, dict[str, tuple[str, int]]], size: str, length: str
) -> None:
    _, output, _ = card_site
    assert_one_page((output / f"routines/{size}-{length}/card/card.pdf").read_bytes(), size)


def test_routine_and_card_pages_link_the_pdf(card_site: tuple[str, Path, dict[str, tuple[str, int]]]) -> None:
    _, output, _ = card_site
    assert 'href="card/card.pdf"' in (output / "routines/a6-short/index.html").read_text()
    assert 'href="card.pdf"' in (output / "routines/a6-short/card/index.html").read_text()


def test_the_longest_routines_are_long(card_site: tuple[str, Path, dict[str, tuple[str, int]]]) -> None:
    _, _, routines = card_site
    longest = {size: count for slug, (size, count) in routines.items() if slug.endswith("-longest")}
    assert longest["a6"] >= 4 and longest["a5"] >= 10 and longest["a4"] >= 18 and longest["letter"] >= 18
    assert longest["a4"] >= longest["letter"] >= longest["a5"] >= longest["a6"] >= longest["index-card"] >= 1
    pictured = {size: count for slug, (size, count) in routines.items() if slug.endswith("-longest-pictured")}
    assert all(1 <= pictured[size] <= longest[size] for size in longest) and pictured != longest, pictured


def test_pictured_cards_show_each_exercise_picture(card_site: tuple[str, Path, dict[str, tuple[str, int]]]) -> None:
    _, output, routines = card_site
    card = (output / "routines/a5-typical-pictured/card/index.html").read_text()
    assert card.count('<img class="sheet__image" src="../../../media/') == routines["a5-typical-pictured"][1]
    assert "sheet__image" not in (output / "routines/a5-typical/card/index.html").read_text()


def test_qr_code_scans_to_the_routine_player(
    browser: Browser,
    card_site: tuple[str, Path, dict[str, tuple[str, int]]],
) -> None:
    url, _, _ = card_site
    page = browser.new_page(device_scale_factor=2)
    try:
        page.goto(f"{url}routines/a6-typical/card/")
        image = page.locator(".sheet__qr").screenshot()
    finally:
        page.close()
    picture = Image.open(io.BytesIO(image)).convert("L")
    padded = Image.new("L", (picture.width + 40, picture.height + 40), 255)
    padded.paste(picture, (20, 20))
    (code,) = zxingcpp.read_barcodes(padded)
    assert code.text == "https://example.org/runners/routines/a6-typical/play/"


def test_no_qr_code_without_an_absolute_base_url(tmp_path: Path) -> None:
    write_card_guide(tmp_path, with_qr=False)
    assert main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "output")]) == 0
    card = (tmp_path / "output/routines/a6-typical/card/index.html").read_text()
    assert "sheet__qr" not in card and "<svg" not in card


def _qr_codes(cards: list[Path], marker: str) -> list[str]:
    return [card.read_text().split(f'<div class="{marker}"', 1)[1].split("</div>", 1)[0] for card in cards]


def test_qr_codes_are_made_once_and_kept_between_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SHIPPED, tmp_path / "content")
    arguments = ["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "output")]
    assert main(arguments) == 0
    cards = sorted((tmp_path / "output/routines").glob("*/card/index.html"))
    codes = _qr_codes(cards, "sheet__qr")
    assert len(cards) == 4 and all("<svg" in code for code in codes)

    def unmade(*_: object, **__: object) -> None:
        raise AssertionError("a QR code was made again")

    monkeypatch.setattr(segno, "make", unmade)
    theme = tmp_path / "theme/partials"
    theme.mkdir(parents=True)
    card = (TESTS.parent / "templates/partials/card.html").read_text()
    (theme / "card.html").write_text(card.replace("sheet__qr", "sheet__qr sheet__qr--kept"))  # every card again
    with pytest.raises(AssertionError, match="made again"):  # without the cache, codes are made
        main([*arguments, "--templates", str(tmp_path / "theme"), "--no-cache", "--output", str(tmp_path / "other")])
    assert main([*arguments, "--templates", str(tmp_path / "theme")]) == 0
    assert _qr_codes(cards, "sheet__qr sheet__qr--kept") == codes


def test_four_up_sheets_impose_a6_cards(
    browser: Browser,
    card_site: tuple[str, Path, dict[str, tuple[str, int]]],
) -> None:
    url, output, routines = card_site
    shipped = load_guide(SHIPPED, Diagnostics())
    assert shipped is not None
    a6_cards = sum(1 for size, _ in routines.values() if size == "a6")
    a6_cards += sum(1 for routine in shipped.routines.values() if routine.card_size == "a6")
    for paper in ("a4", "letter"):
        html = (output / f"cards/{paper}/index.html").read_text()
        assert html.count('class="sheet sheet--a6"') == a6_cards
        assert html.count('class="cut cut--') == 4 * a6_cards
        sizes = page_sizes(printed(browser, f"{url}cards/{paper}/"))
        assert len(sizes) == math.ceil(a6_cards / 4)
        assert all(same_size(measured, paper) for measured in sizes), sizes


def test_print_all_prints_every_card_on_its_own_page(
    browser: Browser,
    card_site: tuple[str, Path, dict[str, tuple[str, int]]],
) -> None:
    url, _, _ = card_site
    page = browser.new_page()
    try:
        page.goto(f"{url}cards/")
        count = page.locator(".sheet").count()
        sizes = page_sizes(page.pdf(prefer_css_page_size=True))
    finally:
        page.close()
    assert len(sizes) == count


def test_one_item_too_many_fails_check_at_the_exercises_key(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    routines = write_card_guide(tmp_path)
    monkeypatch.chdir(tmp_path)
    for size, hint in [("a6", "use card size 'a5'"), ("a4", "split it into shorter routines")]:
        path = write_overlong(tmp_path / "content", card_front(size), routines[f"{size}-longest"][1] + 1)
        result = run_guide("check")
        line = path.read_text().splitlines().index("exercises:") + 1
        message = f"content/routines/overlong.md:{line}: routine too long for its card size '{size}'; {hint}"
        assert result.err_lines == [message, "guide: 1 error"]


def test_pdf_without_weasyprint_names_what_to_install_and_builds_the_rest(
    guide: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = run_guide("build", "--pdf")
    assert result.code == 1
    (line,) = result.err_lines
    assert line.startswith(
        "guide: the site was built without card and log PDFs: --pdf needs WeasyPrint and its system libraries: "
        "pip install weasyprint, and on Debian or Ubuntu apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    )
    assert (guide / "output/routines/core-basics/card/index.html").is_file()
    assert not (guide / "output/routines/core-basics/card/card.pdf").exists()
    assert "card.pdf" not in (guide / "output/routines/core-basics/index.html").read_text()


def test_unchanged_cards_come_from_the_cache(guide: Path, run_guide: Callable[..., Run], monkeypatch) -> None:
    assert run_guide("build", "--pdf").code == 0
    pdf = (guide / "output/routines/core-basics/card/card.pdf").read_bytes()
    assert [path.suffix for path in (guide / ".guide-cache/pdf").iterdir()] == [".pdf", ".pdf"]  # a card, a log

    def no_rendering(*arguments: object, **keywords: object) -> bytes:
        raise AssertionError("a cached card was rendered again")

    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", no_rendering)
    assert run_guide("build", "--pdf").code == 0
    assert (guide / "output/routines/core-basics/card/card.pdf").read_bytes() == pdf
    routine = guide / "content/routines/core-basics.md"
    routine.write_text(routine.read_text().replace("Build up to a minute.", "Build up to two minutes."))
    with pytest.raises(AssertionError, match="rendered again"):
        run_guide("build", "--pdf")
