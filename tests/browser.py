"""How tests start Chromium: Debian's chromium, driven by Playwright, with flags for a closed network."""

from __future__ import annotations

from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def printed(browser: Browser, url: str) -> bytes:
    """The page at `url` as Chromium prints it: a PDF on the page size its CSS asks for, backgrounds included."""
    page = browser.new_page()
    try:
        page.goto(url)
        return page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
