"""Full-text search: Pagefind indexes the built pages, and the browser queries its bundle with no server behind it.

Only pages that mark their content with `data-pagefind-body` (exercises, routines and articles) are handed to
Pagefind; offline builds mark none, since a browser cannot fetch an index from disk, and so get no bundle.

Pagefind's Python API answers one request per 0.1 s poll, so adding 5,000 pages one by one with
`add_html_file` would take minutes: the marked pages are written to a scratch folder and added with one
`add_directory`. Its `get_files` answer arrives as a single line that overflows the API's 2 MiB read buffer on a
large site, so the bundle is written to the scratch folder too and read back.

Pagefind cannot update an index page by page, so every build indexes every marked page again. Its fragment files
(one per page) come out byte for byte the same for an unchanged page, so the output keeps those files as they were.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import tempfile
from collections.abc import Coroutine, Mapping
from pathlib import Path
from typing import Any

__all__ = ["BUNDLE", "SearchUnavailable", "search_files"]

BUNDLE = "pagefind"
"""The folder of the site that holds the index; the search page's script imports `pagefind.js` from it."""
MARKER = b"data-pagefind-body"
INSTALL = "install it with: pip install 'pagefind[bin]'"


class SearchUnavailable(RuntimeError):
    """Pagefind or its binary is missing; search is part of every served build, so that is a broken install."""


def searchable_pages(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The HTML pages that ask to be indexed, by site path."""
    return {name: data for name, data in files.items() if name.endswith(".html") and MARKER in data}


async def _index(site: Path, bundle: Path) -> None:
    """Index every page under `site` into a bundle written to `bundle` (when the `async with` closes)."""
    try:
        from pagefind.index import PagefindIndex
    except ImportError as error:
        raise SearchUnavailable(f"the search index needs Pagefind; {INSTALL}") from error
    try:
        async with PagefindIndex({"output_path": str(bundle)}) as index:
            await index.add_directory(str(site))
    except FileNotFoundError as error:
        raise SearchUnavailable(f"Pagefind's binary was not found ({error}); {INSTALL}") from error


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """`asyncio.run`, in a thread of its own when the caller already runs an event loop (a preview server may)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def search_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The Pagefind bundle for the site's marked pages, keyed by site path under `pagefind/`; empty when none are."""
    pages = searchable_pages(files)
    if not pages:
        return {}
    with tempfile.TemporaryDirectory(prefix="guide-search-") as scratch:
        site, bundle = Path(scratch) / "site", Path(scratch) / BUNDLE
        for name, data in pages.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_bytes(data)
        _run(_index(site, bundle))
        return {
            f"{BUNDLE}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        }
