"""The same build works served from the root, from a sub-path, and for missing pages (the 404 page)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import Run
from tests.serving import serve
from tests.sitecheck import PageLinks

REPOSITORY = Path(__file__).parent.parent


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get_content_type()


def crawl(start: str) -> dict[str, int]:
    """Status of every URL under `start` reachable by following links from it."""
    seen: dict[str, int] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        status, body, content_type = fetch(url)
        seen[url] = status
        if content_type != "text/html":
            continue
        parser = PageLinks()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            target = urljoin(url, link).split("#")[0]
            if target.startswith(start):
                queue.append(target)
            else:
                assert urlsplit(target).hostname != "127.0.0.1", f"{url} links out of the mount: {link}"
    return seen


@pytest.mark.parametrize("mount", ["/", "/guide/"])
def test_every_link_answers_200_wherever_the_site_is_mounted(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, mount: str
) -> None:
    monkeypatch.chdir(tmp_path)
    base_url = f"https://example.org{mount}"
    assert run_guide("build", "--no-cache", "--content", str(REPOSITORY / "content"), "--base-url", base_url).code == 0
    with serve(tmp_path / "output", mount) as url:
        statuses = crawl(url)
        missing_status, missing_body, _ = fetch(url + "no/such/page/")
        page_links = [link for link in _links(missing_body) if not link.startswith("#")]
        not_found = {link: fetch(urljoin(url + "no/such/page/", link))[0] for link in page_links}

    assert len(statuses) > 40
    assert {u: s for u, s in statuses.items() if s != 200} == {}
    assert missing_status == 404
    assert not_found and set(not_found.values()) == {200}


def _links(body: bytes) -> list[str]:
    parser = PageLinks()
    parser.feed(body.decode("utf-8"))
    return parser.links
