"""The site as an installable app that works offline: a web manifest, its icons and a service worker.

The worker pre-caches the routines, their players and every file those pages
load, found by reading the pages as built, so whatever the theme links is
kept and nothing else is: at 1,000 exercises the cache holds the routines,
not the whole site. Its cache is named after a digest of all it holds, so
a new build that changes any of it is a new cache, taken as a whole.

The manifest is a template of the theme; the icons are drawn in its colours
with the theme's bold font, so a theme restyles the app where it restyles the site.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageFont

from builder.mediaread import MEDIA_FOLDER
from builder.pages import PagePlan, output_file
from builder.render import Renderer
from builder.social import Fonts

__all__ = ["MANIFEST", "WORKER", "manifest_files", "page_resources", "worker_file"]

WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
_LOADED_LINKS = {"stylesheet", "icon", "manifest", "preload", "modulepreload"}
_ICON_SIZE = re.compile(r"^(\d{2,4})x\1$")


class _Resources(HTMLParser):
    """The URLs a page loads by itself: scripts, images and their `srcset`s, stylesheets, icons and the manifest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag in ("img", "script", "source", "track", "video", "audio") and found.get("src"):
            self.urls.append(found["src"])
        if tag in ("img", "source") and found.get("srcset"):
            self.urls += [candidate.split()[0] for candidate in found["srcset"].split(",") if candidate.strip()]
        if tag == "video" and found.get("poster"):
            self.urls.append(found["poster"])
        if tag == "link" and _LOADED_LINKS & set(found.get("rel", "").lower().split()) and found.get("href"):
            self.urls.append(found["href"])


def page_resources(html: str, page_path: str) -> set[str]:
    """The site files a page at `page_path` loads, as paths from the site root; links out of the site are left out."""
    parser = _Resources()
    parser.feed(html)
    found = set()
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), parts.path))
        if not path.startswith("../") and path != "..":
            found.add(path)
    return found


def _icon(size: int, fill: str, ink: str, letter: str, fonts: Fonts) -> bytes:
    """A square icon: the letter centred in the safe zone of a maskable icon (the middle 80 %)."""
    image = Image.new("RGB", (size, size), fill)
    font = ImageFont.truetype(str(fonts.bold), round(size * 0.5))
    ImageDraw.Draw(image).text((size / 2, size / 2), letter, fill=ink, font=font, anchor="mm")
    data = io.BytesIO()
    image.save(data, "PNG", optimize=True)
    return data.getvalue()


def _icons(manifest: dict[str, object], title: str, fonts: Fonts) -> dict[str, bytes]:
    """The PNG icons the manifest lists (`icon-192.png`, sizes `192x192`): its background colour on its theme colour."""
    icons = manifest.get("icons")
    fill, ink = str(manifest.get("theme_color", "#000000")), str(manifest.get("background_color", "#ffffff"))
    letter = (title.strip() or "?")[0].upper()
    drawn = {}
    for icon in icons if isinstance(icons, list) else []:
        size = _ICON_SIZE.match(str(icon.get("sizes", "")))
        name = posixpath.normpath(str(icon.get("src", "")))
        if size and icon.get("type") == "image/png" and not name.startswith(".."):
            drawn[name] = _icon(int(size.group(1)), fill, ink, letter, fonts)
    return drawn


def manifest_files(renderer: Renderer, fonts: Fonts) -> dict[str, bytes]:
    """The web manifest and the icons it lists."""
    manifest = renderer.render(PagePlan(MANIFEST, MANIFEST, "manifest"))
    return {MANIFEST: manifest, **_icons(json.loads(manifest), renderer.settings.title, fonts)}


def worker_file(
    renderer: Renderer, staging: Path, pages: Iterable[str], players: Iterable[str], app: dict[str, bytes]
) -> bytes:
    """The service worker, for a site whose other files are all in `staging` already, or in `app`.

    It keeps `pages` and `players` and the files they load, and the manifest and its icons; pictures only
    as the players show them: one file a picture, where a `srcset` names six. Offline, the worker answers a
    picture's other renditions (a thumbnail on a routine page) with the one it kept, found by the name they share.
    """
    cached = set(app)
    for page, pictured in [(page, False) for page in pages] + [(player, True) for player in players]:
        cached.add(page)
        loaded = page_resources((staging / output_file(page)).read_text(encoding="utf-8"), page)
        kept = {name for name in loaded if pictured or not name.startswith(MEDIA_FOLDER)}
        cached |= {name for name in kept if name in app or (staging / name).is_file()}
    digest = hashlib.sha256()
    for name in sorted(cached):
        data = app[name] if name in app else (staging / output_file(name)).read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    values: dict[str, object] = {"version": digest.hexdigest()[:16], "files": sorted(cached)}
    return renderer.render(PagePlan(WORKER, WORKER, "service worker", values))
