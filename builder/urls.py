"""Where each page lives, and links between pages written relative so the site works under any sub-path."""

from __future__ import annotations

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
    "log": "routines/{}/log/",
    "play": "routines/{}/play/",
    "history": "history/",
    "cards": "cards/",
    "cards-sheet": "cards/{}/",
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
    """A link from one page to another; `offline` spells out index.html for sites opened from disk.

    Site paths never hold `..`, so the shared leading folders are all that needs finding.
    """
    if offline and (not to_path or to_path.endswith("/")):
        to_path += "index.html"
    from_folders = from_path.split("/")[:-1]
    to_parts = to_path.split("/")
    shared = 0
    while shared < min(len(from_folders), len(to_parts) - 1) and from_folders[shared] == to_parts[shared]:
        shared += 1
    return "../" * (len(from_folders) - shared) + "/".join(to_parts[shared:]) or "./"


def absolute_url(base_url: str, path: str) -> str:
    """A full URL from `base_url` (which ends in `/`), for the feed, the sitemap and QR codes."""
    return base_url + path
