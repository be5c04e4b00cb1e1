"""The search benchmark: `python -m tests.perf.search_bench [COUNT]` (default 5000 exercises).

It generates a synthetic guide, times clean builds (`guide build --no-cache` into an empty folder, in a new
process) and, on the built site, Pagefind's indexing alone (`search_files`). Then it serves the site as most
static hosts do, with text files gzipped, and in headless Chromium opens /search/ and types each query as a fast
typist would, one key every 100 ms, each in a fresh browser context. For every query it measures the bytes the
server sent under pagefind/ from the page load until the results show (Pagefind's scripts and WebAssembly, its
metadata, the index chunks and the result fragments; not the page, its stylesheet or its script), the time from
the last keystroke to the results shown, read off the page's own clock, and the same time for a second query
typed on the same page. It prints medians against the targets of issue #8.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from playwright.sync_api import Browser, sync_playwright

from builder.search import BUNDLE, search_files
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.perf.generate import generated_guides
from tests.serving import serve

RUNS = 3
QUERIES = {
    # The generator's filler words: each is on nearly every one of the 6,000 indexed pages.
    "filler words": ["posture", "squeeze", "balance", "neutral", "stretch"],
    # What a reader looks for: an exercise by the number in its title, a muscle by name (on 10-15 % of pages).
    "names": ["01234", "02718", "04321", "hamstrings", "deltoids"],
}
KEY_DELAY_MS = 100
BYTES_TARGET = 300_000
LATENCY_TARGET_MS = 150
DATA = ("entry and metadata", "index", "fragments")
# Keystroke and result times on the page's clock; a result counts as shown at the frame after its status changes.
CLOCK = """
window.searchClock = { keys: [], shown: [] };
addEventListener("keydown", () => searchClock.keys.push(performance.now()), true);
addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("[data-search-status]");
  if (!status) return;
  new MutationObserver(() => requestAnimationFrame(() => {
    searchClock.shown.push({ at: performance.now(), text: status.textContent });
  })).observe(status, { childList: true, characterData: true, subtree: true });
});
"""
SEARCH_ALONE = """async query => {
  const pagefind = await import(new URL("../pagefind/pagefind.js", location.href));
  const started = performance.now();
  await pagefind.search(query);
  return performance.now() - started;
}"""
LATENCY = """query => {
  const last = searchClock.keys[searchClock.keys.length - 1];
  const shown = searchClock.shown.find(entry => entry.at > last && entry.text.includes(`“${query}”`));
  return shown.at - last;
}"""


class _Host(SimpleHTTPRequestHandler):
    """Serves files with text gzipped for browsers that accept it, and counts the body bytes sent for each path."""

    TEXT: ClassVar[set[str]] = {".html", ".css", ".js", ".json", ".svg"}
    sent: ClassVar[Counter[str]] = Counter()
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        path = path / "index.html" if path.is_dir() else path
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        compress = path.suffix in self.TEXT and "gzip" in self.headers.get("Accept-Encoding", "")
        body = gzip.compress(body) if compress else body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with self.lock:
            self.sent[urlsplit(self.path).path] += len(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def clean_build(content: Path, output: Path) -> float:
    """Seconds for `guide build` in a new process, from an empty output folder and no cache."""
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "builder", "build", "--no-cache", "--content", str(content), "--output"]
    command.append(str(output))
    return timed(lambda: subprocess.run(command, check=True, capture_output=True))


def part(path: str) -> str:
    """Which part of the bundle a path is: script, wasm, entry and metadata, filters, index or fragments."""
    folder, _, name = path.rpartition("/")
    if name.endswith(".js"):
        return "script"
    if name.startswith("wasm."):
        return "wasm"
    return {"filter": "filters", "index": "index", "fragment": "fragments"}.get(folder.rpartition("/")[2], DATA[0])


@dataclass(frozen=True)
class QueryRun:
    sent: Counter[str]
    """Bytes sent for the first query on a fresh page, by part of the bundle."""
    first_ms: float
    """From the last keystroke of the first query to its results shown."""
    next_ms: float
    """The same for a second query on the same page."""
    search_ms: float
    """Pagefind's search alone for the first query again, its index and fragments already loaded."""


def first_query(browser: Browser, url: str, query: str, second: str) -> QueryRun:
    """One query typed on a fresh search page, then another on the same page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(CLOCK)
        _Host.sent.clear()
        page.goto(url + "search/")
        box = page.get_by_label("Words to find")
        box.wait_for(state="visible")
        box.press_sequentially(query, delay=KEY_DELAY_MS)
        page.locator("[data-search-status]").filter(has_text=f"“{query}”").wait_for()
        first = page.evaluate(LATENCY, query)
        sizes: Counter[str] = Counter()
        with _Host.lock:
            for path, size in _Host.sent.items():
                if f"/{BUNDLE}/" in path:
                    sizes[part(path)] += size
        search = page.evaluate(SEARCH_ALONE, query)
        box.fill("")
        box.press_sequentially(second, delay=KEY_DELAY_MS)
        page.locator("[data-search-status]").filter(has_text=f"“{second}”").wait_for()
        return QueryRun(sizes, first, page.evaluate(LATENCY, second), search)
    finally:
        context.close()


def row(name: str, values: list[float], unit: str, target: float | None = None) -> str:
    """A table row: median, maximum, target and the median's share of it; seconds with one decimal."""
    digits = 1 if unit == "s" else 0
    median = statistics.median(values)
    ratio = f"{median / target:.2f}" if target else ""
    shown = f"{target:,.0f} {unit}" if target else ""
    return f"| {name} | {median:,.{digits}f} {unit} | {max(values):,.{digits}f} {unit} | {shown} | {ratio} |"


def measure_queries(site: Path) -> None:
    """Print, for each kind of query, the bytes and times of the queries typed on the served `site`."""
    with serve(site, handler=_Host) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        runs = {
            name: [first_query(browser, url, query, queries[n - 1]) for n, query in enumerate(queries)]
            for name, queries in QUERIES.items()
        }
        browser.close()
    for name, results in runs.items():
        totals = [sum(run.sent.values()) / 1000 for run in results]
        data = [sum(run.sent[kind] for kind in DATA) / 1000 for run in results]
        print(row(f"{name}: bytes for a first query, all", totals, "KB", BYTES_TARGET / 1000))
        print(row(f"{name}: the same, index data only", data, "KB", BYTES_TARGET / 1000))
        print(row(f"{name}: last keystroke to results", [run.first_ms for run in results], "ms", LATENCY_TARGET_MS))
        print(row(f"{name}: the same, next query", [run.next_ms for run in results], "ms", LATENCY_TARGET_MS))
        print(row(f"{name}: Pagefind's search alone", [run.search_ms for run in results], "ms"))
    for name, results in runs.items():
        kinds = sorted(set().union(*(run.sent for run in results)))
        medians = {kind: statistics.median(run.sent[kind] for run in results) / 1000 for kind in kinds}
        shares = ", ".join(f"{kind} {kb:,.1f}" for kind, kb in medians.items())
        print(f"{name}, first query, median KB by part: {shares}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=5000)
    count = parser.parse_args().count
    for _, folder in generated_guides([count], "search-bench"):
        content, output = folder / "content", folder / "output"
        builds = [clean_build(content, output) for _ in range(RUNS)]
        indexing = [timed(partial(search_files, output)) for _ in range(RUNS)]
        bundle = [path.stat().st_size for path in (output / BUNDLE).rglob("*") if path.is_file()]
        print(f"{count} exercises; {os.cpu_count()} cores; builds and indexing: medians of {RUNS}")
        print(f"bundle: {len(bundle)} files, {sum(bundle) / 1e6:.1f} MB on disk; queries: {QUERIES}")
        print("| measure | median | max | target | median / target |")
        print("|---|---|---|---|---|")
        print(row("clean build, index included", builds, "s"))
        print(row("indexing alone (search_files)", indexing, "s"))
        measure_queries(output)
    print(f"indexing is {statistics.median(indexing) / statistics.median(builds):.0%} of a clean build")


if __name__ == "__main__":
    main()
