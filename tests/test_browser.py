"""The built site in a real browser: phone and laptop widths, light and dark, no console errors, no axe violations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from builder.cli import main
from tests.serving import serve

REPOSITORY = Path(__file__).parent.parent
PAGES = [
    "",
    "exercises/back-extension/",
    "routines/back-and-hip-strength-for-runners/",
    "articles/why-runners-need-a-strong-back/",
    "muscles/gluteus-medius/",
    "routines/back-and-hip-strength-for-runners/play/",
    "history/",
]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output = tmp_path_factory.mktemp("site") / "output"
    assert main(["build", "--content", str(REPOSITORY / "content"), "--output", str(output), "--no-cache"]) == 0
    with serve(output) as url:
        yield url


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_and_accessible(
    browser: Browser,
    site_url: str,
    screenshots: Path,
    path: str,
    width: int,
    scheme: str,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        response = page.goto(site_url + path)
        assert response is not None and response.status == 200
        page.wait_for_load_state("load")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        name = (path.strip("/").replace("/", "_") or "home") + f"-{width}-{scheme}.png"
        page.screenshot(path=str(screenshots / name), full_page=True)
        results = Axe().run(page)
    finally:
        context.close()
    assert problems == []
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    assert results.violations_count == 0, results.generate_report()
