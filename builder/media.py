"""Pictures and videos as the validated guide holds them: what each shows, who made it, and the files it publishes.

Every published file is named when the guide is read, before any pixel is
worked on: the names follow from a digest of the source bytes and the recipe
(see `builder.probe`), so pages can be planned, fingerprinted and rendered
while the images are still being made, and a page changes exactly when one
of its pictures would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MIME_TYPES",
    "Attribution",
    "Format",
    "MediaItem",
    "Picture",
    "Rendition",
    "Video",
    "YouTube",
]

MIME_TYPES = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "vtt": "text/vtt",
}
"""The formats the site publishes, by the extension their files get."""


@dataclass(frozen=True)
class Attribution:
    """What a reader is told about a picture or video, and what structured data says of its rights."""

    caption: str = ""
    credit: str = ""
    license: str = ""
    """An SPDX id as SPDX spells it (`CC-BY-4.0`), checked when the guide is read."""
    source: str = ""
    """Where the original lives (a URL); also the page where a license can be acquired."""

    @property
    def license_url(self) -> str:
        """SPDX's page for the license: a stable URL for every id, which structured data asks for."""
        return f"https://spdx.org/licenses/{self.license}.html" if self.license else ""


@dataclass(frozen=True)
class Rendition:
    """One published file: its path in the site (`media/plank.1a2b3c4d5e6f.960.webp`) and its size in pixels."""

    path: str
    width: int
    height: int


@dataclass(frozen=True)
class Format:
    """The renditions of a picture in one file format, narrowest first: one `<source>`'s `srcset`."""

    extension: str
    renditions: tuple[Rendition, ...]

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.extension]


@dataclass(frozen=True)
class Picture:
    """An image: front matter's `media:` item, a video's poster, or a Markdown image in a body.

    `formats` lists the modern formats first; the last one is what browsers
    that know none of them get, in the `<img>` itself.
    """

    source: Path
    line: int
    alt: str
    decorative: bool
    width: int
    height: int
    alpha: bool
    """Whether the picture has transparency, which every rendition keeps."""
    formats: tuple[Format, ...]
    attribution: Attribution
    key: str
    """The digest of source bytes and recipe that the renditions are named and cached by."""

    kind = "image"

    @property
    def fallback(self) -> Rendition:
        """The `<img src>`: the widest rendition of the last format."""
        return self.formats[-1].renditions[-1]

    @property
    def name_stem(self) -> str:
        """What the name of each of its files begins with, its source's stem and digest (`plank.0123456789ab.`),
        so a page that names any of them names this.
        """
        name = self.fallback.path.rsplit("/", 1)[-1]
        return name[: name.index(f".{self.key[:12]}.") + 14]

    @property
    def widths(self) -> tuple[int, ...]:
        """The widths it is published at, narrowest first: one for an SVG or an animation, which are not resized."""
        return tuple(rendition.width for rendition in self.formats[0].renditions)

    def rendition(self, width: int) -> Rendition:
        """The narrowest rendition of the fallback format at least `width` wide (else the widest): for one-size uses."""
        renditions = self.formats[-1].renditions
        return next((found for found in renditions if found.width >= width), renditions[-1])


@dataclass(frozen=True)
class Video:
    """A video file, published as it is, with a poster and a captions track, or marked as having no sound."""

    source: Path
    line: int
    file: Rendition
    extension: str
    title: str
    poster: Picture | None
    captions: str
    """The site path of the published WebVTT file, or nothing for a muted clip."""
    captions_source: Path | None
    muted: bool
    attribution: Attribution

    kind = "video"

    @property
    def mime(self) -> str:
        return MIME_TYPES[self.extension]


@dataclass(frozen=True)
class YouTube:
    """A YouTube video, shown as a facade that loads nothing from YouTube until the reader asks for it."""

    id: str
    line: int
    title: str
    poster: Picture | None
    attribution: Attribution

    kind = "youtube"

    @property
    def embed_url(self) -> str:
        return f"https://www.youtube-nocookie.com/embed/{self.id}?autoplay=1"

    @property
    def watch_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.id}"


MediaItem = Picture | Video | YouTube
