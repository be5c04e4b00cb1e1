"""Full-text search: Pagefind indexes the built site, and the browser queries its bundle with no server behind it.

Pagefind indexes only the pages that mark their content with `data-pagefind-body` (exercises, routines and
articles). Offline builds mark none, since a browser cannot fetch an index from disk, and so get no bundle.
It is pointed at those pages' files alone: reading the rest of the site (lists of hundreds of exercises, cards)
only to find them unmarked took a quarter of its time. It runs in the background (`Indexing`), so the build
renders the pages it does not index meanwhile: Pagefind keeps about one core busy, not two.

Pagefind's own command line indexes the site where the build wrote it. Its Python API is not used: it answers one
request per 0.1 s poll (adding 5,000 pages one by one would take minutes), its `get_files` answer overflows the
API's 2 MiB read buffer on a large site, and it stops the indexer as soon as `write_files` answers, before the
indexer has finished writing, which left an empty `pagefind-entry.json` in 2 of 15 runs here.

Pagefind cannot update an index page by page: each run reads every marked page again. Its fragment files (one per
page) come out byte for byte the same for an unchanged page, so the output keeps those files as they were. Its
filter files, and its list of them, come out in hash-map order, which changes from run to run; they are put in
sorted order here, so that two builds of the same pages are byte for byte the same.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from builder.lifetime import end_with_this_process
from builder.scratch import scratch_folder
from builder.urls import site_path

__all__ = ["BUNDLE", "ENTRY", "Indexing", "SearchProblem", "indexed", "search_files"]

BUNDLE = "pagefind"
"""The folder of the site that holds the index; the search page's script imports `pagefind.js` from it."""
YIELDING_NICENESS = 10
"""How much lower than the build a yielding Pagefind runs: the preview's rebuilds come first."""
ENTRY = "pagefind-entry.json"
"""The bundle's one file not named by its content: it names the rest, and search starts by fetching it."""
MARKER = b"data-pagefind-body"
INSTALL = "install it with: pip install 'pagefind[bin]'"
SIGNATURE = b"pagefind_dcd"
"""What every gzipped CBOR file of the bundle starts with once decompressed."""
INDEXED_PAGES = tuple(f"{site_path(kind, '*')}index.html" for kind in ("exercise", "routine", "article"))
"""The files of the pages whose templates mark content for search, as globs from the site's root."""
_INDEXED_NAME = re.compile("|".join(re.escape(pattern).replace(r"\*", "[^/]+") for pattern in INDEXED_PAGES))
META_FILTERS = 3
"""The place of the list of `[filter, file hash]` pairs in the metadata file (after version, pages, chunks)."""

Cbor = int | str | list["Cbor"]
"""The part of CBOR that Pagefind's metadata and filter files use."""


class SearchProblem(RuntimeError):
    """Pagefind is missing or failed; search is part of every served build, so the build cannot finish."""


def indexed(name: str) -> bool:
    """Whether the site file `name` (`exercises/plank/index.html`) is one that search indexes."""
    return _INDEXED_NAME.fullmatch(name) is not None


def wants_search(site: Path) -> bool:
    """Whether any page of the site asks to be indexed; Pagefind would index every page whole if none did."""
    return any(MARKER in page.read_bytes() for pattern in INDEXED_PAGES for page in site.glob(pattern))


def _pagefind() -> str:
    """Pagefind's program: the one `PAGEFIND_BINARY_PATH` names, or the one the `pagefind[bin]` package installed."""
    try:
        from pagefind.service import get_executable

        program = get_executable()
    except (ImportError, FileNotFoundError) as error:
        raise SearchProblem(f"the search index needs Pagefind ({error}); {INSTALL}") from error
    if program is None:
        raise SearchProblem(f"the search index needs Pagefind's program; {INSTALL}")
    return str(program)


def _decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    """One CBOR value (integer, text or array) from `data` at `at`, and where the next one starts."""
    major, size = data[at] >> 5, data[at] & 31
    at += 1
    if size >= 24:
        width = 1 << (size - 24)
        if width > 8:
            raise ValueError(f"unexpected CBOR length at byte {at - 1}")
        size, at = int.from_bytes(data[at : at + width]), at + width
    if major == 0:
        return size, at
    if major == 1:
        return -1 - size, at
    if major == 3:
        return data[at : at + size].decode(), at + size
    if major == 4:
        items: list[Cbor] = []
        for _ in range(size):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"unexpected CBOR type {major} at byte {at - 1}")


def _encode(value: Cbor) -> bytes:
    """`value` in CBOR's shortest form, as Pagefind writes it."""
    if isinstance(value, int):
        major, size, body = (0, value, b"") if value >= 0 else (1, -1 - value, b"")
    elif isinstance(value, str):
        body = value.encode()
        major, size = 3, len(body)
    else:
        major, size, body = 4, len(value), b"".join(_encode(item) for item in value)
    if size < 24:
        return bytes([major << 5 | size]) + body
    width = next(width for width in (1, 2, 4, 8) if size < 1 << (8 * width))
    return bytes([major << 5 | (23 + width.bit_length())]) + size.to_bytes(width) + body


def _read(path: Path) -> Any:
    """The value held in one of the bundle's gzipped CBOR files."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind data file")
    return _decode(data, len(SIGNATURE))[0]


def _replace(path: Path, file_hash: str, value: Cbor) -> str:
    """Write `value` in place of the file `path` named by `file_hash` (`en_1a2b3c4`), under a hash of the new bytes.

    Returns the new hash, of the same language and length; Pagefind's script finds files by these names alone.
    """
    data = gzip.compress(SIGNATURE + _encode(value), mtime=0)
    language = file_hash.rpartition("_")[0]
    new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[: len(file_hash) - len(language) - 1]}"
    path.unlink()
    path.with_name(path.name.replace(file_hash, new_hash)).write_bytes(data)
    return new_hash


def _sort_filters(bundle: Path) -> None:
    """Put each language's filter values and list of filter files in sorted order, renaming the files that change."""
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, file_hash in meta[META_FILTERS]:
            path = bundle / "filter" / f"{file_hash}.pf_filter"
            filter_name, values = _read(path)
            filters.append([name, _replace(path, file_hash, [filter_name, sorted(values)])])
        meta[META_FILTERS] = sorted(filters)
        language["hash"] = _replace(meta_path, language["hash"], meta)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


class Indexing:
    """Pagefind indexing the marked pages of a site in the background, from when it is made until `files()`.

    The pages it indexes must all be in place when it starts; other files may
    still be written meanwhile. Pagefind writes its bundle into a scratch
    folder beside `beside` (the output folder); leaving the `with` block stops
    it and removes that folder, and Pagefind dies with this process if it is killed.
    """

    def __init__(self, site: Path, beside: Path, yielding: bool = False) -> None:
        """`yielding`: run Pagefind at a low priority, so that it never slows down work someone waits for."""
        self._scratch = ExitStack()
        self._bundle = self._scratch.enter_context(scratch_folder(beside, "search")) / BUNDLE
        self._process: subprocess.Popen[str] | None = None
        try:
            if wants_search(site):
                self._process = _start(site, self._bundle)
                if yielding and hasattr(os, "setpriority"):
                    os.setpriority(os.PRIO_PROCESS, self._process.pid, YIELDING_NICENESS)
        except BaseException:
            self._scratch.close()
            raise

    def __enter__(self) -> Indexing:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
        if self._process is not None:
            self._process.wait()
        self._scratch.close()

    def stop(self) -> None:
        """Stop Pagefind if it still runs, from any thread; `files()` then raises `SearchProblem`."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()

    def files(self) -> dict[str, bytes]:
        """The bundle, keyed by site path under `pagefind/`, once Pagefind has finished; empty if no page is marked."""
        if self._process is None:
            return {}
        output, _ = self._process.communicate()
        if self._process.returncode != 0:
            raise SearchProblem(f"Pagefind failed: {output.strip()}")
        _sort_filters(self._bundle)
        return {
            f"{BUNDLE}/{path.relative_to(self._bundle).as_posix()}": path.read_bytes()
            for path in sorted(self._bundle.rglob("*"))
            if path.is_file()
        }


def _start(site: Path, bundle: Path) -> subprocess.Popen[str]:
    """Pagefind, started on the pages under `site` that search indexes, to write its bundle to `bundle`."""
    glob = "{" + ",".join(INDEXED_PAGES) + "}"
    command = [_pagefind(), "--site", str(site), "--glob", glob, "--output-path", str(bundle), "--silent"]
    try:
        return subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=end_with_this_process()
        )
    except OSError as error:
        raise SearchProblem(f"Pagefind could not run ({error}); {INSTALL}") from error


def search_files(site: Path) -> dict[str, bytes]:
    """The Pagefind bundle for the marked pages of the site in `site`, keyed by site path under `pagefind/`.

    Empty when no page is marked.
    """
    with Indexing(site, beside=site) as indexing:
        return indexing.files()
