"""A static file server for tests: the built site mounted under a path, on 127.0.0.1, stopped on exit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _MountedHandler(SimpleHTTPRequestHandler):
    """Serves `directory` at `mount` and answers anything else with the site's 404.html, as static hosts do."""

    mount = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.mount):
            return str(Path(self.directory) / ".missing")
        return super().translate_path("/" + path[len(self.mount) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: test output should show failures, not requests."""


@contextmanager
def serve(folder: Path, mount: str = "/", handler: type[SimpleHTTPRequestHandler] = _MountedHandler) -> Iterator[str]:
    """Serve `folder` under `mount`; yields the mount's URL, such as `http://127.0.0.1:40123/guide/`.

    `handler` may be another request handler, for a benchmark that counts what it sends.
    """
    mounted = type("Handler", (handler,), {"mount": mount})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(mounted, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
