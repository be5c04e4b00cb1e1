"""`guide serve` timings on synthetic guides: `python -m tests.perf.serve_bench [SIZES...]`.

For each size: the seconds from starting `guide serve` to the first page
served with a warm cache (the median of 3 starts after one that fills it),
and the median over 10 edits of the seconds from writing an exercise file to
the open page in headless Chromium showing the change: when Chromium painted
the reloaded page (its first contentful paint, by the browser's clock, which
is this machine's), and, as an upper bound, when Playwright's polling of the
page, which restarts after each navigation, saw the new text.
"""

from __future__ import annotations

import http.client
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.perf.generate import generated_guides, sizes_asked

STARTS = 3
EDITS = 10


@contextmanager
def served(folder: Path) -> Iterator[tuple[int, float]]:
    """`guide serve` on a free port in `folder`; yields its port and the seconds until its first page was served."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "builder", "serve", "--port", "0"]
    environment = os.environ | {"PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, cwd=folder, env=environment, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        port = int(line.split(":")[2].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", "/", headers={"Host": f"127.0.0.1:{port}"})
        assert connection.getresponse().status == 200
        connection.close()
        yield port, time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)


_PAINTED = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return performance.timeOrigin + paint.startTime;
}"""
"""When the page now open was first painted with content, in milliseconds since the epoch."""


def edit_latencies(folder: Path, port: int) -> tuple[list[float], list[float]]:
    """Seconds from saving an exercise to Chromium painting it, and to Playwright seeing it, for each edit."""
    exercise = folder / "content" / "exercises" / "exercise-00002.md"
    painted, seen = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/exercises/exercise-00002/")
        page.wait_for_timeout(500)  # the reload channel is connected
        for edit in range(EDITS):
            marker = f"Edited for the benchmark, edit {edit}."
            text = exercise.read_text(encoding="utf-8")
            started, written = time.perf_counter(), time.time()
            exercise.write_text(text.replace("## Part 1", f"## Part 1\n\n{marker}", 1), encoding="utf-8")
            page.wait_for_function(f"() => document.body && document.body.innerText.includes({marker!r})")
            seen.append(time.perf_counter() - started)
            page.wait_for_load_state("load")
            painted.append(page.evaluate(_PAINTED) / 1000 - written)
        browser.close()
    return painted, seen


def main() -> None:
    sizes = sizes_asked(__doc__.splitlines()[0])
    print(f"cores: {os.cpu_count()}; start: median of {STARTS} warm starts; edit: median of {EDITS} edits")
    print(f"{'exercises':>9} {'first page s':>13} {'edit to paint s':>16} {'edit to seen s':>15}")
    for size, folder in generated_guides(sizes, "serve-bench"):
        with served(folder):
            pass  # fills the cache
        starts = []
        for _ in range(STARTS):
            with served(folder) as (port, seconds):
                starts.append(seconds)
        with served(folder) as (port, _):
            painted, seen = edit_latencies(folder, port)
        start, paint, sight = (statistics.median(values) for values in (starts, painted, seen))
        print(f"{size:>9} {start:>13.2f} {paint:>16.3f} {sight:>15.3f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
