"""Where each page lives, and links between pages written relative so the site works under any sub-path."""

from __future__ import annotations

import posixpath

__all__ = ["absolute_url", "relative_url", "site_path"]

_SECTIONS = {
    "home": "",
    "exercises": "exercises/",
    "routines": "routines/",
    "articles": "articles/",
    "search": "search/",
    "exercise": "exercises/{}/",
    "routine": "routines/{}/",
    "card": "routines/{}/card/",
    "article": "articles/{}/",
    "muscle": "muscles/{}/",
    "region": "regions/{}/",
    "equipment": "equipment/{}/",
    "tag": "tags/{}/",
    "articles-page": "articles/page/{}/",
    "file": "{}",
}


def site_path(kind: str, key: object = None) -> str:
    """The path of a page from the site root: `exercises/plank/`, or a file such as `feed.xml`."""
    if kind == "articles-page" and key == 1:
        return _SECTIONS["articles"]
    return _SECTIONS[kind].format(key)


def relative_url(from_path: str, to_path: str, offline: bool = False) -> str:
    """A link from one page to another; `offline` spells out index.html for sites opened from disk."""
    from_dir = posixpath.dirname(from_path) if not from_path.endswith("/") else from_path.rstrip("/")
    is_folder = not to_path or to_path.endswith("/")
    target = to_path + "index.html" if offline and is_folder else to_path
    relative = posixpath.relpath(target or ".", from_dir or ".")
    if is_folder and not offline:
        return "./" if relative == "." else relative + "/"
    return relative


def absolute_url(base_url: str, path: str) -> str:
    """A full URL from `base_url` (which ends in `/`), for the feed, the sitemap and QR codes."""
    return base_url + path
