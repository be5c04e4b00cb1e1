"""`guide serve`: live reload in Chromium, the error overlay, CSS swaps, path and Host safety, and a clean Ctrl-C."""

from __future__ import annotations

import gzip
import http.client
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from builder import server
from builder.cli import main
from builder.pipeline import BuildOptions
from builder.server import SCRIPT, PreviewServer, Watcher
from tests.conftest import snapshot

SECRET = b"secret outside the site"
PLANK = Path("content/exercises/plank.md")


@pytest.fixture
def preview(guide: Path) -> Iterator[PreviewServer]:
    """The fixture guide served on a free loopback port, with a local theme folder and a file beside the site."""
    (guide / "templates" / "static").mkdir(parents=True)
    (guide / "templates" / "static" / "style.css").write_text("body { background: rgb(1, 2, 3); }\n")
    (guide / "preview").mkdir()
    (guide / "preview" / "secret.txt").write_bytes(SECRET)
    options = BuildOptions(content=Path("content"), output=guide / "preview" / "site", templates=Path("templates"))
    server = PreviewServer(options, "127.0.0.1", 0)
    assert server.start()
    try:
        yield server
    finally:
        server.stop()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _open(browser: Browser, url: str) -> Page:
    page = browser.new_page()
    page.goto(url)
    page.wait_for_function("() => document.querySelector('script[src=\"/__guide/preview.js\"]')")
    page.wait_for_timeout(100)  # the event stream is connected
    return page


def test_edits_reload_the_page_and_errors_show_over_every_page(preview: PreviewServer, browser: Browser) -> None:
    plank = _open(browser, preview.url + "exercises/plank/")
    _edit(PLANK, "Brace as for a cough.", "Brace as if to laugh.")
    expect(plank.get_by_text("Brace as if to laugh.")).to_be_visible()

    _edit(PLANK, "level: intermediate", "level: expert")
    overlay = plank.locator("#guide-preview-errors")
    expect(overlay).to_contain_text("content/exercises/plank.md:9:")
    expect(plank.get_by_text("Brace as if to laugh.")).to_be_attached()  # the last good page stays underneath
    late = _open(browser, preview.url + "exercises/bird-dog/")
    expect(late.locator("#guide-preview-errors")).to_contain_text("content/exercises/plank.md:9:")

    _edit(PLANK, "level: expert", "level: beginner")
    for page in (plank, late):
        expect(page.locator("#guide-preview-errors")).to_have_count(0)
    expect(plank.locator(".level--beginner").first).to_be_visible()
    plank.close()
    late.close()


def test_search_catches_up_with_edits_in_the_background(preview: PreviewServer, tmp_path: Path) -> None:
    """Rebuilds carry the old index over; Pagefind then indexes the site again, ending as a clean build would."""
    _edit(PLANK, "Brace as for a cough.", "Brace as for a zanzibar.")
    _edit(PLANK, "a zanzibar.", "a quokka.")
    deadline = time.monotonic() + 30
    while b"quokka" not in _get(preview, "/exercises/plank/")[1] or preview.builder.search_stale():
        assert time.monotonic() < deadline, "the index did not catch up"
        time.sleep(0.05)
    assert main(["build", "--templates", "templates", "--output", str(tmp_path / "clean")]) == 0
    bundle = {name: data for name, data in snapshot(preview.site).items() if name.startswith("pagefind/")}
    assert bundle == {name: data for name, data in snapshot(tmp_path / "clean").items() if name.startswith("pagefind/")}
    assert any(b"quokka" in gzip.decompress(data) for name, data in bundle.items() if name.endswith(".pf_fragment"))


def test_a_css_change_is_swapped_without_a_reload(preview: PreviewServer, browser: Browser) -> None:
    page = _open(browser, preview.url)
    page.evaluate("window.notReloaded = true")
    Path("templates/static/style.css").write_text("body { background: rgb(4, 5, 6); }\n")
    page.wait_for_function("() => getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)'")
    assert page.evaluate("window.notReloaded") is True
    page.close()


def _get(server: PreviewServer, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A request with the path sent exactly as written, and the Host header only when given."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in ({"Host": f"127.0.0.1:{server.port}"} if headers is None else headers).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read() if response.status != 200 or "events" not in path else b""
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/exercises/../../secret.txt",
        "/./../secret.txt",
        "/%00",
        "/leak.txt",
        "/leak/secret.txt",
    ],
)
def test_no_file_outside_the_site_is_served(preview: PreviewServer, path: str) -> None:
    secret = preview.site.parent / "secret.txt"
    (preview.site / "leak.txt").symlink_to(secret)
    (preview.site / "leak").symlink_to(secret.parent)
    status, body = _get(preview, path)
    assert status in (403, 404)
    assert SECRET not in body


def test_absolute_paths_stay_inside_the_site(preview: PreviewServer) -> None:
    secret = preview.site.parent / "secret.txt"
    for path in (str(secret), "/" + str(secret), "//" + str(secret).lstrip("/")):
        status, body = _get(preview, path)
        assert status == 404 and SECRET not in body, path


def test_site_files_and_folders_are_served(preview: PreviewServer) -> None:
    status, body = _get(preview, "/exercises/plank/")
    assert status == 200 and b"/__guide/preview.js" in body
    assert _get(preview, "/static/style.css") == (200, b"body { background: rgb(1, 2, 3); }\n")
    assert _get(preview, "/exercises/plank")[0] == 301
    assert not (preview.site / "static" / "preview.js").exists()


def test_the_preview_has_no_service_worker(preview: PreviewServer) -> None:
    assert (preview.site / "manifest.webmanifest").is_file() and not (preview.site / "sw.js").exists()
    (preview.site / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    status, _ = _get(preview, "/sw.js")
    assert status == 404  # never served, even if there: a worker would keep answering with the pages of an older save
    assert b"serviceWorker?.getRegistrations()" in SCRIPT.read_bytes()  # one left by an earlier server is removed


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost:{port}", 200),
        ("127.0.0.1:{port}", 200),
        ("[::1]:{port}", 200),
        ("LOCALHOST:{port}", 200),
        ("evil.example:{port}", 403),
        ("localhost", 403),
        ("127.0.0.1:1", 403),
        ("127.0.0.1.evil.example:{port}", 403),
        (None, 403),
    ],
)
def test_only_loopback_host_names_are_answered(preview: PreviewServer, host: str | None, status: int) -> None:
    headers = {} if host is None else {"Host": host.format(port=preview.port)}
    assert _get(preview, "/", headers)[0] == status


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 200),
        ({"Origin": "http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}, 200),
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "http://localhost:{port}"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),
    ],
)
def test_the_reload_channel_answers_only_same_origin_pages(
    preview: PreviewServer, headers: dict[str, str], status: int
) -> None:
    sent = {"Host": f"127.0.0.1:{preview.port}"} | {
        key: value.format(port=preview.port) for key, value in headers.items()
    }
    assert _get(preview, "/__guide/events", sent)[0] == status


def test_a_burst_of_saves_gives_one_rebuild(tmp_path: Path) -> None:
    calls: list[set[Path]] = []
    watcher = Watcher([tmp_path], calls.append, settle=0.1)
    watcher.start()
    try:
        written = {tmp_path / f"page-{number}.md" for number in range(5)}
        for path in sorted(written):
            path.write_text("saved")
            time.sleep(0.03)
        (tmp_path / ".page-0.md.swp").write_text("an editor's swap file")
        deadline = time.monotonic() + 3
        while not calls and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        watcher.stop()
    assert calls == [written]


def test_a_taken_port_moves_to_the_next_free_one(guide: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = PreviewServer(BuildOptions(content=Path("content"), output=guide / "site"), "127.0.0.1", port)
        server.httpd.server_close()
    assert port < server.port < port + 10


def _serve_once(guide: Path) -> dict[str, int]:
    """`guide serve` started, asked for a page, and stopped with Ctrl-C: the inode of each page file it served."""
    environment = os.environ | {"PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
    command = [sys.executable, "-m", "builder", "serve", "--port", "0"]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("serving http://127.0.0.1:"), line
        port = int(line.split(":")[2].split("/")[0])
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        page.request("GET", "/exercises/plank/")
        assert page.getresponse().status == 200
        page.close()
        (scratch,) = (guide / ".guide-cache/serve").glob(".site-preview-*")
        files = {str(path.relative_to(scratch)): path.stat().st_ino for path in scratch.rglob("*.html")}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=30)  # under 1 s here; a loaded machine once took over 10
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)  # the fault handler prints where every thread waits
            pytest.fail(f"guide serve did not stop:\n{process.communicate()[1]}")
    assert process.returncode == 0
    assert "preview stopped" in out and "Traceback" not in err
    return files


def test_serve_leaves_output_alone_and_stops_cleanly_on_ctrl_c(guide: Path) -> None:
    (guide / "output").mkdir()
    (guide / "output" / "index.html").write_text("the last real build")
    before = snapshot(guide / "output")
    first = _serve_once(guide)
    assert "site/exercises/plank/index.html" in first
    folders = sorted(path.name for path in (guide / ".guide-cache/serve").iterdir() if path.is_dir())
    assert folders == ["media", "site", "templates"]  # the site, the preview's share images and compiled templates
    assert _serve_once(guide) == first  # the last preview's site, moved back in: not one page rendered again
    assert not list((guide / ".guide-cache/serve").glob(".site-preview-*"))
    assert snapshot(guide / "output") == before


def test_stop_ends_open_event_streams(preview: PreviewServer) -> None:
    """Open event streams must not keep the server alive: stop() ends them."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=5)
    connection.request("GET", "/__guide/events")
    assert connection.getresponse().status == 200
    streams = threading.active_count()
    preview.stop()
    deadline = time.monotonic() + 2
    while threading.active_count() >= streams and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() < streams
    connection.close()


def test_hidden_files_in_the_site_folder_are_not_served(preview: PreviewServer) -> None:
    """A preview's folder is kept in the cache between runs, where anyone could have put anything."""
    (preview.site / ".planted.html").write_text("<script>alert(1)</script>")
    (preview.site / "exercises" / ".git").mkdir()
    (preview.site / "exercises" / ".git" / "config").write_text("[core]")
    assert _get(preview, "/.planted.html")[0] == 404
    assert _get(preview, "/exercises/.git/config")[0] == 404
    assert _get(preview, "/.guide-output")[0] == 404


def _retransmissions(client: socket.socket) -> int:
    """The kernel's count of segments this connection sent again (`tcpi_total_retrans`, at byte 100 of TCP_INFO)."""
    return int(struct.unpack_from("I", client.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104), 100)[0])


def test_two_hundred_requests_at_once_are_answered_without_a_retry(preview: PreviewServer) -> None:
    """All connections are made at once, as a browser and its tabs do. A listen queue too short drops connections,
    which the client sends again a second later: counted by the kernel, this fails however busy the machine is."""
    request = f"GET /exercises/plank/ HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\nConnection: close\r\n\r\n"
    selector = selectors.DefaultSelector()
    for _ in range(200):
        client = socket.socket()
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", preview.port))
        selector.register(client, selectors.EVENT_WRITE, bytearray())
    retries: list[int] = []
    deadline = time.monotonic() + 30
    while len(retries) < 200 and time.monotonic() < deadline:
        for key, events in selector.select(timeout=0.1):
            client = key.fileobj
            assert isinstance(client, socket.socket)
            if events & selectors.EVENT_WRITE:
                client.sendall(request.encode())
                selector.modify(client, selectors.EVENT_READ, key.data)
                continue
            chunk = client.recv(65536)
            key.data.extend(chunk)
            if not chunk:
                assert key.data.startswith(b"HTTP/1.0 200 ")
                retries.append(_retransmissions(client))
                selector.unregister(client)
                client.close()
    selector.close()
    assert len(retries) == 200
    assert sum(retries) == 0


def test_a_silent_client_is_let_go(preview: PreviewServer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert server._Handler.timeout == server.IDLE_TIMEOUT == 10
    monkeypatch.setattr(server._Handler, "timeout", 0.3)  # the same, sooner
    with socket.create_connection(("127.0.0.1", preview.port), timeout=5) as silent:
        silent.sendall(b"GET /exercises/plank/ HTTP/1.1\r\n")  # and never the rest
        started = time.monotonic()
        assert silent.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 2
    assert _get(preview, "/exercises/plank/")[0] == 200
