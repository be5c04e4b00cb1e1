"""`guide serve`: build into a temporary folder, serve it on loopback, rebuild on save and reload the browser.

A small server on the standard library rather than python-livereload 2.7.1,
which answers any Host header (DNS rebinding), accepts its reload socket from
any origin, and lets any page trigger `GET /forcereload`. Here every request
path is resolved inside the site folder, the Host header must name the
loopback address the server is bound to, and the reload channel (Server-Sent
Events) answers only same-origin pages.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import mimetypes
import os
import queue
import socket
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from builder.diagnostics import Diagnostics
from builder.files import within
from builder.pipeline import Builder, BuildOptions
from builder.scratch import scratch_folder, sweep
from builder.search import Indexing, SearchProblem
from builder.theme import theme_folders
from builder.webapp import WORKER

__all__ = ["PortInUse", "PreviewServer", "Watcher", "preview_folder"]

PREFIX = "/__guide/"
"""The server's own URLs; never a file of the site."""
SCRIPT = Path(__file__).with_name("preview.js")
"""Injected into every HTML page served; kept out of templates/static/ so that built sites never ship it."""
PORT_TRIES = 10
SEARCH_QUIET = 1.0
"""Seconds without a save before the preview indexes its site again: Pagefind would only be stopped by the next one."""
KEEP_ALIVE = 15.0
"""Seconds between comments on an idle event stream, so a closed tab is noticed and its thread ends."""
LISTEN_QUEUE = 1024
"""Connections the system may hold waiting to be accepted: the standard library's 5 makes the rest of a page's
many requests (stylesheets, scripts, images) retry after a second. The system caps it (`somaxconn`)."""
IDLE_TIMEOUT = 10.0
"""Seconds a connection may send nothing, or take nothing of what it is sent, before it is closed: a slow
or silent client must not hold a thread forever. Event streams wait on their queue, not the socket."""


class PortInUse(Exception):
    """No free port at or just above the one asked for; a usage error."""


class Watcher:
    """Reports each burst of changes to files under some folders once, from the system's file events.

    watchfiles (inotify on Linux, FSEvents on macOS) tells of a save within
    milliseconds at any size of guide, where polling the times of thousands
    of files costs a scan per look. Hidden files and editor backups (`name~`) are left out.
    """

    def __init__(self, folders: Iterable[Path], on_change: Callable[[set[Path]], None], settle: float = 0.015) -> None:
        """`settle`: the seconds without a new change that end a burst (an editor saving several files)."""
        self.folders = [folder.resolve() for folder in folders if folder.is_dir()]
        self.on_change = on_change
        self.stopping = threading.Event()
        self.changes = watchfiles.watch(
            *self.folders,
            watch_filter=self._wanted,
            step=round(settle * 1000),
            rust_timeout=50,
            yield_on_timeout=True,
            stop_event=self.stopping,
        )
        self.thread = threading.Thread(target=self._run, name="guide-watcher", daemon=True)

    def _wanted(self, change: watchfiles.Change, path: str) -> bool:
        changed = Path(path)
        for folder in self.folders:
            if folder in changed.parents:
                hidden = any(part.startswith(".") for part in changed.relative_to(folder).parts)
                return not hidden and not changed.name.endswith("~")
        return False

    def _run(self) -> None:
        for changes in self.changes:
            if changes:
                self.on_change({Path(path) for _, path in changes})

    def start(self) -> None:
        """Watch from now on: returns once the folders are watched, so no save after it is missed."""
        next(self.changes)  # an empty batch, at the first timeout of the watch
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_QUEUE

    def __init__(self, address: tuple[str, int], preview: PreviewServer) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.preview = preview
        super().__init__(address, _Handler)


class PreviewServer:
    """One guide built into `options.output` (a temporary folder of the caller's), served and rebuilt on change.

    `start` builds and begins serving in background threads; `stop` ends them.
    """

    def __init__(self, options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> None:
        self.options = options
        self.builder = Builder(options)
        self.site = options.output
        self.loopback = _is_loopback(host)
        self.building = threading.Lock()
        """Held while a rebuild runs; a request that misses a file meanwhile waits for it, as the site is swapped."""
        self.errors: list[str] = []
        self.listeners: set[queue.Queue[bytes | None]] = set()
        self.lock = threading.Lock()
        self.httpd = _bind(host, port, self)
        self.port: int = self.httpd.server_address[1]
        self.allowed_hosts = {f"{name}:{self.port}" for name in ("localhost", "127.0.0.1", "[::1]")}
        folders = [options.content, *theme_folders(options.templates)]
        self.static_folders = [folder / "static" for folder in folders[1:]]
        self.watcher = Watcher(folders, self.rebuild)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="guide-server", daemon=True)
        self.preparing = threading.Thread(target=self._prepare, name="guide-prepare", daemon=True)
        self.generation = 0
        """Counts rebuilds, so that an index made while one ran is thrown away."""
        self.stopping = False
        self.search_wanted = threading.Event()
        self.indexing: Indexing | None = None
        self.searching = threading.Thread(target=self._keep_search_current, name="guide-search", daemon=True)

    @property
    def url(self) -> str:
        host = str(self.httpd.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/"

    def start(self) -> bool:
        """Build the site once and start serving and watching; False when that first build failed.

        A build with nothing to do reads no content; the guide is then loaded
        in the background, so the first page is served at once and the first save is rebuilt quickly.
        """
        with self.building:
            diagnostics = Diagnostics()
            good = self.builder.build(diagnostics) is not None
            self._settle(diagnostics, good)
        self.thread.start()
        self.watcher.start()
        self.preparing.start()
        self.searching.start()
        return good

    def _prepare(self) -> None:
        with self.building:
            self.builder.prepare()

    def _keep_search_current(self) -> None:
        """Index the site again after each rebuild that carried the old index over, so search catches up in seconds.

        Pagefind starts once saves pause, at a low priority, and rebuilds do
        not wait for it: an index of pages that a rebuild changed meanwhile is thrown away, and the next one starts.
        """
        while self.search_wanted.wait() and not self.stopping:
            self.search_wanted.clear()
            if self.search_wanted.wait(SEARCH_QUIET):
                continue  # another save: an author at work; wait until the saves pause
            with self.building:
                if self.stopping or not self.builder.search_stale():
                    continue
                generation = self.generation
                try:
                    indexing = self.indexing = self.builder.index_search()
                except SearchProblem:
                    return  # the first build indexed with Pagefind; it has gone since
            with indexing:
                try:
                    files = indexing.files()
                except SearchProblem:
                    files = None  # stopped, or a rebuild took pages away from under Pagefind
            with self.building:
                self.indexing = None
                if files is not None and generation == self.generation and not self.stopping:
                    self.builder.adopt_search(files)

    def stop(self) -> None:
        """Stop watching, building and indexing, close every event stream and the listening socket."""
        self.watcher.stop()
        if self.preparing.is_alive():
            self.preparing.join()  # its build must not outlive the site folder it writes beside
        with self.building:
            self.stopping = True
            if self.indexing is not None:
                self.indexing.stop()
        self.search_wanted.set()
        if self.searching.is_alive():
            self.searching.join()
        with self.lock:
            for listener in self.listeners:
                listener.put(None)
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join()
        self.httpd.server_close()

    def rebuild(self, changed: set[Path]) -> None:
        """Rebuild after `changed`; then swap stylesheets, reload pages, or show the errors over them."""
        diagnostics = Diagnostics()
        with self.building:
            self.generation += 1
            if self.indexing is not None:
                self.indexing.stop()  # what it indexes is about to change
            try:
                good = self.builder.rebuild(changed, diagnostics) is not None
            except Exception as error:  # the watcher must outlive a failed build (a file half-written, a full disk)
                diagnostics.error("guide", 0, f"the build failed: {error!r}")
                good = False
            self._settle(diagnostics, good)
        if good:
            self.send("css" if all(self._is_style(path) for path in changed) else "reload", "")
            self.search_wanted.set()

    def _settle(self, diagnostics: Diagnostics, good: bool) -> None:
        """Record a build's outcome, tell the pages, and print its errors once."""
        errors = [str(diagnostic) for diagnostic in diagnostics.sorted()]
        for line in errors:
            print(line, file=sys.stderr)
        if errors:
            print(f"guide: {len(errors)} error{'' if len(errors) == 1 else 's'}; still serving the last good site")
        with self.lock:
            self.errors = [] if good else errors
        self.send("ok" if good else "errors", json.dumps(self.errors))

    def _is_style(self, path: Path) -> bool:
        resolved = path.resolve()
        return path.suffix == ".css" and any(folder.resolve() in resolved.parents for folder in self.static_folders)

    def send(self, event: str, data: str) -> None:
        message = f"event: {event}\ndata: {data}\n\n".encode()
        with self.lock:
            for listener in self.listeners:
                listener.put(message)

    def listen(self) -> queue.Queue[bytes | None]:
        """A queue of events for one page, starting with the current errors so a page opened late shows them too."""
        listener: queue.Queue[bytes | None] = queue.Queue()
        with self.lock:
            if self.errors:
                listener.put(f"event: errors\ndata: {json.dumps(self.errors)}\n\n".encode())
            self.listeners.add(listener)
        return listener

    def forget(self, listener: queue.Queue[bytes | None]) -> None:
        with self.lock:
            self.listeners.discard(listener)

    def find(self, request_path: str) -> Path | None:
        """The site file a request path names, or None; never a file outside the site, even through a symlink."""
        raw = urlsplit(request_path).path
        lowered = raw.lower()
        if "%2f" in lowered or "%5c" in lowered or "\\" in raw:
            return None
        parts = unquote(raw).split("/")
        if any(part.startswith(".") or "\0" in part or "\\" in part for part in parts):
            return None  # `..`, and hidden files: no page of a site is one, and a folder kept in a cache may hold any
        root = os.path.realpath(self.site)
        found = os.path.realpath(os.path.join(root, *(part for part in parts if part)))
        if not within(found, root):
            return None
        if os.path.isdir(found):
            found = os.path.join(found, "index.html")
        return Path(found) if os.path.isfile(found) else None


@contextmanager
def preview_folder(cache: Path) -> Iterator[Path]:
    """A temporary folder for the preview's site, removed at the end; the last preview's site moves in and out.

    Moving the site kept in `cache` into the new folder at the start, and
    back at the end, makes a warm start render nothing, and still gives two
    previews of one guide at once a folder each: the second starts empty.
    The folder is claimed as builds claim theirs (`builder.scratch`), so the
    next preview removes it if this one is killed.
    """
    kept = cache / "site"
    sweep(kept)
    with scratch_folder(kept, "preview") as scratch:
        site = scratch / "site"
        with contextlib.suppress(OSError):
            kept.rename(site)
        try:
            yield site
        finally:
            with contextlib.suppress(OSError):  # another preview put its site back first, or none was built
                site.rename(kept)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int, preview: PreviewServer) -> _HTTPServer:
    """Listen on `port`, or on the next free one above it; port 0 takes any free port."""
    tries = 1 if port == 0 else PORT_TRIES
    for number in range(port, port + tries):
        try:
            return _HTTPServer((host, number), preview)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
    raise PortInUse(f"ports {port} to {port + tries - 1} are in use; choose another with --port N")


def _inject(page: bytes) -> bytes:
    """The page with the preview script just before its last `</body>` (or at its end)."""
    tag = f'<script src="{PREFIX}preview.js" defer></script>'.encode()
    at = page.lower().rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "guide-preview"
    timeout = IDLE_TIMEOUT

    def do_GET(self) -> None:
        preview = self.server.preview
        if preview.loopback and self.headers.get("Host", "").lower() not in preview.allowed_hosts:
            self.send_error(HTTPStatus.FORBIDDEN, "Host not allowed (the preview answers only to its loopback address)")
        elif self.path == PREFIX + "events":
            self._events()
        elif self.path == PREFIX + "preview.js":
            self._send(HTTPStatus.OK, SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
        elif urlsplit(self.path).path == "/" + WORKER:
            self.send_error(HTTPStatus.NOT_FOUND, "The preview has no service worker: it would serve stale pages")
        else:
            self._file()

    do_HEAD = do_GET

    def _file(self) -> None:
        preview = self.server.preview
        found = preview.find(self.path)
        if found is None and preview.building.locked():
            with preview.building:  # the site may be between its old and its new folder
                found = preview.find(self.path)
        path = urlsplit(self.path).path
        if found is not None and found.name == "index.html" and not path.endswith(("/", "index.html")):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)  # relative links need the trailing slash
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if found is None:
            status, found = HTTPStatus.NOT_FOUND, preview.find("/404.html")
        if found is None:
            page = b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"
            self._send(status, _inject(page), "text/html; charset=utf-8")
            return
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        data = found.read_bytes()
        if kind == "text/html":
            self._send(status, _inject(data), "text/html; charset=utf-8")
        else:
            self._send(status, data, kind)

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _same_origin(self) -> bool:
        """Whether a page of this server (or no browser page at all) asks; a browser names any other origin."""
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site")
        return origin in (None, f"http://{self.headers.get('Host')}") and site in (None, "same-origin")

    def _events(self) -> None:
        if not self._same_origin():
            self.send_error(HTTPStatus.FORBIDDEN, "The reload channel answers only pages of this preview")
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.server.preview
        listener = preview.listen()
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while True:
                try:
                    message = listener.get(timeout=KEEP_ALIVE)
                except queue.Empty:
                    message = b": keep-alive\n\n"
                if message is None:
                    break
                self.wfile.write(message)
                self.wfile.flush()
        except OSError:  # the page was closed or reloaded
            pass
        finally:
            preview.forget(listener)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for build errors, not for every request."""
