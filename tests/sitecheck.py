"""Reading a built site as a browser would: every page parsed, every internal link resolved to a file."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageLinks(HTMLParser):
    """The `href`/`src`/`poster` values, every `srcset` candidate and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (
                name in ("href", "src", "poster")
                and value is not None
                and not (tag == "link" and ("rel", "alternate") in attrs)
            ):
                self.links.append(value)
            if name == "srcset" and value:
                self.links += [candidate.split()[0] for candidate in value.split(",")]
            if name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def resolve(site: Path, page: Path, link: str, offline: bool, root_path: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link leads to, or None for external links.

    A link from the site's root path (`/guide/static/style.css`, as the 404 page writes them) must lie under it.
    """
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, parts.fragment
    if parts.path.startswith("/"):
        assert parts.path.startswith(root_path), f"{page}: {link} is outside the site's root {root_path}"
        target = posixpath.normpath(unquote(parts.path).removeprefix(root_path) or ".")
    else:
        page_dir = posixpath.dirname(page.relative_to(site).as_posix())
        target = posixpath.normpath(posixpath.join(page_dir, unquote(parts.path)))
    assert not target.startswith(".."), f"{page}: {link} leaves the site"
    resolved = site / target
    if link.split("#")[0].endswith("/") or resolved.is_dir():
        assert not offline, f"{page}: {link} names a folder, which does not open from disk"
        resolved = resolved / "index.html"
    return resolved, parts.fragment


def broken_links(site: Path, offline: bool = False, root_path: str = "/") -> list[str]:
    """Every internal link of every page that leads to no file, or to no element with its #fragment."""
    pages = {path: parse(path) for path in site.rglob("*.html")}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            found = resolve(site, page, link, offline, root_path)
            if found is None:
                continue
            target, fragment = found
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif fragment and target in pages and fragment not in pages[target].ids:
                broken.append(f"{page.relative_to(site)}: {link} (no #{fragment})")
    return broken
