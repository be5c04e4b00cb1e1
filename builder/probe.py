"""What a media file is, learned once: its format, size, digest and soundness, remembered by its size and time.

A warm build must cost a `stat` per picture, not a read: the facts of a file
are kept in the build cache under its path with its size, modification time
and inode, and read again only when one of those moves. Pixels are never
decoded here beyond what a check asks for; `builder.imaging` does that.

Pillow is told our pixel limit before it opens anything, so a decompression
bomb (a tiny file that claims a vast size) is refused from its header in
milliseconds rather than decoded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageFile, UnidentifiedImageError
from pillow_heif import register_heif_opener

from builder.svgcheck import SvgRejected, svg_size

__all__ = [
    "MAX_FRAME_PIXELS",
    "MAX_PIXELS",
    "ORIENTATION_TAG",
    "TURNED",
    "Facts",
    "MediaProblem",
    "Probe",
    "read_facts",
    "read_probe_table",
    "strict_loading",
]

MAX_PIXELS = 64_000_000
"""The largest picture taken: a 48-megapixel phone photo fits; decoding one this size needs about 200 MB."""
MAX_FRAME_PIXELS = 100_000_000
"""Pixels over all frames of an animation, so a GIF of ten thousand large frames is refused too."""

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
register_heif_opener()

_IMAGE_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "HEIF": "heif", "GIF": "gif"}
_VIDEO_SIGNATURES = {"mp4": (4, b"ftyp"), "webm": (0, b"\x1a\x45\xdf\xa3")}
TURNED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture a quarter, so its width and height trade places."""
ORIENTATION_TAG = 0x0112


@contextmanager
def strict_loading() -> Iterator[None]:
    """Pillow refusing truncated files while pixels are decoded, whatever was imported before.

    WeasyPrint turns on `LOAD_TRUNCATED_IMAGES` for the whole process when it
    is imported (for card PDFs); a cut-off photo must stay an error here, not
    be published with its lower half grey.
    """
    previous, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


class MediaProblem(Exception):
    """A media file that cannot be published, said for its author; `hint` says what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(" ".join(message.split()))  # one line: libheif's messages hold line breaks
        self.hint = hint


@dataclass(frozen=True)
class Facts:
    """What a media file is: `kind` is `image`, `svg`, `video` or `captions`; sizes are as shown, after rotation."""

    kind: str
    format: str
    digest: str
    width: int = 0
    height: int = 0
    alpha: bool = False
    animated: bool = False


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_facts(path: Path, thorough: bool = False) -> Facts:
    """The facts of one file, read from it; `thorough` also decodes a JPEG at an eighth of its size, to find truncation.

    Raises `MediaProblem` for a file the site cannot publish.
    """
    extension = path.suffix.lower()
    if extension == ".svg":
        try:
            width, height = svg_size(path.read_bytes())
        except SvgRejected as problem:
            raise MediaProblem(str(problem), problem.hint) from problem
        return Facts("svg", "svg", _digest(path), width, height)
    if extension == ".vtt":
        return Facts("captions", "vtt", _check_captions(path))
    if extension in (".mp4", ".webm", ".m4v"):
        return Facts("video", _video_format(path), _digest(path))
    return _image_facts(path, thorough)


def _check_captions(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise MediaProblem("the captions file is not UTF-8 text", "save it as UTF-8") from error
    first = text.split("\n", 1)[0].rstrip("\r")
    if first != "WEBVTT" and not first.startswith(("WEBVTT ", "WEBVTT\t")):
        raise MediaProblem("the captions file is not WebVTT: its first line must be 'WEBVTT'", "convert it to WebVTT")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _video_format(path: Path) -> str:
    with open(path, "rb") as file:
        head = file.read(12)
    for name, (offset, signature) in _VIDEO_SIGNATURES.items():
        if head[offset : offset + len(signature)] == signature:
            return name
    raise MediaProblem("the file is not an MP4 or WebM video", "convert it to MP4 (H.264) or WebM")


def _image_facts(path: Path, thorough: bool) -> Facts:
    try:
        image = _open_unchecked(path)
        with image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if width * height > MAX_PIXELS or width * height * frames > MAX_FRAME_PIXELS:
                raise _too_large(width, height, frames)
            name = _IMAGE_FORMATS[image.format or ""]
            if frames > 1 and name != "gif":
                message = f"the image is an animated {name.upper()}; the site publishes animations as GIF only"
                raise MediaProblem(message, "save it as an animated GIF, or as a video with 'muted: true'")
            orientation = _orientation(image)
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            if thorough:
                if name == "jpeg":
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                with strict_loading():
                    image.load()
    except UnidentifiedImageError as error:
        hint = "publish JPEG, PNG, WebP, AVIF, HEIC, GIF or SVG"
        raise MediaProblem("the file is not an image the site can publish, or it is damaged", hint) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise MediaProblem(f"the image cannot be read ({error})", "export it again from the original") from error
    if orientation in TURNED:
        width, height = height, width
    animated = name == "gif" and frames > 1
    return Facts("image", name, _digest(path), width, height, alpha, animated)


def _orientation(image: Image.Image) -> int | None:
    """The EXIF orientation, read without decoding pixels: Pillow's `getexif` decodes a whole PNG to find its eXIf."""
    if image.format != "PNG":
        return image.getexif().get(ORIENTATION_TAG)
    raw = image.info.get("exif")  # an eXIf chunk before the pixels; one after them is rare, and left unread
    if not raw:
        return None
    exif = Image.Exif()
    exif.load(raw)
    return exif.get(ORIENTATION_TAG)


def _open_unchecked(path: Path) -> Image.Image:
    """The image with its header read and nothing decoded, its size not yet checked: `_image_facts` says it better."""
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        return Image.open(path, formats=list(_IMAGE_FORMATS))
    finally:
        Image.MAX_IMAGE_PIXELS = limit


_SMALLER = f"scale it down to at most {MAX_PIXELS // 1_000_000} megapixels"


def _too_large(width: int, height: int, frames: int) -> MediaProblem:
    if frames > 1 and width * height <= MAX_PIXELS:
        message = f"the animation has {frames} frames of {width}x{height} pixels, more than the site takes"
        return MediaProblem(message, "shorten it or make it smaller")
    return MediaProblem(f"the image is {width}x{height} pixels, over the limit of {MAX_PIXELS:,}", _SMALLER)


class Probe:
    """Facts of media files for one build, from the cache while a file's size, time and inode are unchanged.

    `table` is the build cache's table (path -> stat and facts or problem);
    a problem is remembered too, so an unchanged broken file is not read again.
    """

    def __init__(self, table: dict[str, Any] | None = None, thorough: bool = False) -> None:
        self.table: dict[str, Any] = {} if table is None else table
        self.used: set[str] = set()
        self.thorough = thorough

    def facts(self, path: Path) -> Facts:
        """Raises `MediaProblem` for a file that cannot be published, or `OSError` for one that cannot be read."""
        key = os.path.abspath(path)
        found = os.stat(key)
        stamp = [found.st_size, found.st_mtime_ns, found.st_ino]
        self.used.add(key)
        known = self.table.get(key)
        if known is None or known[0] != stamp or (self.thorough and not known[2]):
            try:
                known = [stamp, asdict(read_facts(path, self.thorough)), self.thorough]
            except MediaProblem as problem:
                known = [stamp, {"problem": str(problem), "hint": problem.hint}, self.thorough]
            self.table[key] = known
        if "problem" in known[1]:
            raise MediaProblem(known[1]["problem"], known[1]["hint"])
        return Facts(**known[1])


def read_probe_table(raw: Any) -> dict[str, Any]:
    """The probe table as the cache gives it back, checked entry by entry: anything else is no table at all."""
    table: dict[str, Any] = {}
    for key, (stamp, facts, thorough) in raw.items():
        if not (isinstance(key, str) and all(isinstance(number, int) for number in stamp) and len(stamp) == 3):
            raise TypeError("not a probe table")
        if "problem" in facts:
            if not (isinstance(facts["problem"], str) and isinstance(facts["hint"], str)):
                raise TypeError("not a probe table")
        else:
            Facts(**facts)
            checks = {"kind": str, "format": str, "digest": str, "width": int, "height": int, "alpha": bool}
            if not all(isinstance(facts[name], kind) for name, kind in checks.items()):
                raise TypeError("not a probe table")
        table[key] = [list(stamp), dict(facts), bool(thorough)]
    return table
