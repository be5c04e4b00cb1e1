"""The routine player: its weight, how soon a tap on Start shows the countdown, and what the worker keeps offline.

`python -m tests.perf.player_bench [COUNT]` (default 1000) builds the shipped
guide and a synthetic guide of COUNT exercises (`tests.perf.generate`, each
exercise with a 1200 x 900 photo), and prints:

- the player page of the shipped routine and every file it loads but
  pictures, raw and gzip-compressed (level 6, what web servers use), against
  the target of 25 KB;
- from a tap on Start to the frame that shows the first countdown, in
  headless Chromium: Playwright clicks, a listener notes the `pointerdown`,
  and the first animation frame after the player has started is the frame
  that paints it. Medians of RUNS taps, each on a fresh load, without and
  with the CPU slowed 4 x (as a mid-range phone);
- the service worker's pre-cache (files and bytes) of both guides, against the whole site.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from builder.cli import main as guide
from builder.pages import output_file
from builder.webapp import page_resources
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.perf.generate import generate
from tests.perf.media_bench import add_pictures
from tests.serving import serve

REPOSITORY = Path(__file__).parent.parent.parent
SHIPPED_PLAYER = "routines/back-and-hip-strength-for-runners/play/"
RUNS = 21
TARGET_BYTES = 25 * 1024
TARGET_MS = 100

_TIMING = """
window.__tapped = null; window.__shown = null;
document.addEventListener("pointerdown", () => { window.__tapped = performance.now(); }, true);
addEventListener("DOMContentLoaded", () => {
  const root = document.querySelector("[data-player]");
  new MutationObserver(() => {
    if (root.dataset.started === "true" && window.__shown === null) {
      window.__shown = 0;
      requestAnimationFrame(() => { window.__shown = performance.now(); });
    }
  }).observe(root, { attributes: true });
});
"""


def build(content: Path, output: Path) -> None:
    assert guide(["build", "--content", str(content), "--output", str(output), "--no-cache"]) == 0


def weight(output: Path) -> list[tuple[str, int, int]]:
    """The player page and each file it loads but pictures: name, bytes, gzip-compressed bytes."""
    html = (output / output_file(SHIPPED_PLAYER)).read_text(encoding="utf-8")
    loaded = sorted(name for name in page_resources(html, SHIPPED_PLAYER) if not name.startswith("media/"))
    names = [SHIPPED_PLAYER, *loaded]
    rows = []
    for name in names:
        data = (output / output_file(name)).read_bytes()
        rows.append((name, len(data), len(gzip.compress(data, compresslevel=6))))
    return rows


def tap_to_countdown(page: Page, url: str) -> float:
    page.goto(url)
    page.evaluate("() => localStorage.clear()")
    page.reload()
    page.click("[data-action=start]")
    page.wait_for_function("() => window.__shown > 0")
    return float(page.evaluate("() => window.__shown - window.__tapped"))


def latencies(url: str, slowdown: int) -> list[float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script(_TIMING)
        page = context.new_page()
        if slowdown > 1:
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
        try:
            return [tap_to_countdown(page, url) for _ in range(RUNS)]
        finally:
            browser.close()


def precache(output: Path) -> tuple[int, int]:
    """The worker's files and their bytes."""
    files = json.loads(re.search(r"const FILES = (\[.*\]);", (output / "sw.js").read_text()).group(1))  # type: ignore[union-attr]
    return len(files), sum((output / output_file(name)).stat().st_size for name in files)


def whole_site(output: Path) -> tuple[int, int]:
    found = [path for path in output.rglob("*") if path.is_file()]
    return len(found), sum(path.stat().st_size for path in found)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory(prefix="guide-player-") as scratch:
        shipped = Path(scratch) / "shipped"
        build(REPOSITORY / "content", shipped)
        rows = weight(shipped)
        print("| file the player loads | bytes | gzip bytes |\n|---|---|---|")
        for name, raw, packed in rows:
            print(f"| {name} | {raw:,} | {packed:,} |")
        total = sum(packed for _, _, packed in rows)
        raw_total = sum(raw for _, raw, _ in rows)
        print(f"| **total** | {raw_total:,} | **{total:,}** ({total / TARGET_BYTES:.2f} x the target) |")

        with serve(shipped) as url:
            print("\n| tap on Start to countdown shown | median ms | min | max | ratio to target |")
            print("|---|---|---|---|---|")
            for slowdown in (1, 4):
                found = latencies(url + SHIPPED_PLAYER, slowdown)
                median = statistics.median(found)
                label = "CPU as is" if slowdown == 1 else f"CPU slowed {slowdown} x"
                print(f"| {label} | {median:.1f} | {min(found):.1f} | {max(found):.1f} | {median / TARGET_MS:.2f} |")

        synthetic = Path(scratch) / "synthetic"
        generate(count, synthetic)
        add_pictures(synthetic / "content", size=(1200, 900))
        build(synthetic / "content", synthetic / "output")
        print("\n| guide | worker's files | worker's bytes | site's files | site's bytes | share of bytes |")
        print("|---|---|---|---|---|---|")
        for name, output in (("shipped", shipped), (f"synthetic, {count} exercises", synthetic / "output")):
            files, size = precache(output)
            site_files, site_size = whole_site(output)
            print(f"| {name} | {files:,} | {size:,} | {site_files:,} | {site_size:,} | {size / site_size:.2f} |")


if __name__ == "__main__":
    main()
