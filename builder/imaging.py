"""The pixel work: one picture's renditions made from its source, with nothing but pixels left in them.

One picture at a time, and one decoded copy of it at a time: a worker never
holds more than the picture it is working on (Eleventy Image's memory blow-up
came from decoding many at once). A JPEG is decoded straight at the smallest
scale that still covers the widest rendition, which cuts both time and memory
by four for a phone photo published at 1440 pixels.

Nothing of the source's metadata survives: the image is rebuilt from its
pixels, turned upright by its EXIF orientation and converted to sRGB by its
ICC profile, and saved with an empty `info`, so no EXIF, GPS position, XMP,
comment or profile is written.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import PIL
import pillow_heif
from PIL import Image, ImageCms, ImageOps, ImageSequence

from builder.media import Picture, Rendition
from builder.probe import ORIENTATION_TAG, TURNED, MediaProblem, strict_loading

__all__ = ["RECIPE", "SAVE_OPTIONS", "in_srgb", "make_renditions", "open_upright", "source_digest"]

SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "webp": {"format": "WEBP", "quality": 80, "method": 2},
    "avif": {"format": "AVIF", "quality": 60, "speed": 8},
    "png": {"format": "PNG", "optimize": True},
}


def source_digest(path: str) -> str:
    """A digest of a module's source: part of the names of the files it makes, so a change to it makes them again."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=8).hexdigest()


RECIPE = f"pillow={PIL.__version__} pillow-heif={pillow_heif.__version__} code={source_digest(__file__)}"
"""Part of every rendition's name: a new Pillow may encode differently, and a change here makes other pixels."""


def make_renditions(picture: Picture) -> Iterator[tuple[str, bytes]]:
    """Each rendition's site path and bytes, one at a time; raises `MediaProblem` for a source that will not decode."""
    try:
        if picture.formats[-1].extension == "svg":
            yield picture.fallback.path, picture.source.read_bytes()
        elif picture.formats[-1].extension == "gif":
            yield picture.fallback.path, _animation(picture)
        else:
            yield from _raster(picture)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise MediaProblem(f"the image cannot be read ({error})", "export it again from the original") from error


def open_upright(picture: Picture, size: tuple[int, int]) -> Image.Image:
    """The picture's pixels turned upright, decoded at the smallest scale that still covers `size` (a JPEG), else whole.

    `size` is as the picture shows, after its orientation is applied.
    """
    with Image.open(picture.source) as opened, strict_loading():
        if opened.format == "JPEG":
            turned = opened.getexif().get(ORIENTATION_TAG) in TURNED
            opened.draft(opened.mode, size[::-1] if turned else size)
        return ImageOps.exif_transpose(opened)


def _raster(picture: Picture) -> Iterator[tuple[str, bytes]]:
    scale = max(picture.widths) / picture.width
    upright = open_upright(picture, (round(picture.width * scale), round(picture.height * scale)))
    image = in_srgb(upright, "RGBA" if picture.alpha else "RGB")
    image.info = {}
    sizes = [(rendition.width, rendition.height) for rendition in picture.formats[0].renditions]
    for index in reversed(range(len(sizes))):
        image = _step_down(image, sizes[index])
        for format in picture.formats:
            rendition: Rendition = format.renditions[index]
            buffer = io.BytesIO()
            image.save(buffer, **SAVE_OPTIONS[format.extension])
            yield rendition.path, buffer.getvalue()


def _step_down(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The image at `size`, which is no larger: each width is made from the next wider one, widest first.

    Each step shrinks by at most the ratio of two widths, where Lanczos loses nothing visible, and costs a
    fraction of shrinking the decoded picture every time; one decoded copy and one rendition are held at once.
    """
    return image if size == image.size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def in_srgb(image: Image.Image, mode: str) -> Image.Image:
    """The image in sRGB, the colour space browsers assume for a picture without a profile."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit and float grey: to 8 bits, not clipped to white
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    profile = image.info.get("icc_profile")
    converted = _profile_converted(image, profile, mode) if profile and image.mode in ("RGB", "RGBA", "CMYK") else None
    return converted or image.convert(mode)


def _profile_converted(image: Image.Image, profile: bytes, mode: str) -> Image.Image | None:
    """The image converted from its ICC profile to sRGB; None for a damaged profile, whose pixels are taken as sRGB."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError):
        return None


def _animation(picture: Picture) -> bytes:
    """An animated GIF saved again frame by frame, keeping timing and loop, dropping comments and extensions."""
    with Image.open(picture.source) as animation, strict_loading():
        frames = [frame.copy() for frame in ImageSequence.Iterator(animation)]
        durations = [frame.info.get("duration", 100) for frame in frames]
        loop = animation.info.get("loop", 0)
    for frame in frames:
        frame.info = {key: value for key, value in frame.info.items() if key in ("transparency", "duration")}
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=loop,
        disposal=2,
        comment=b"",
    )
    return buffer.getvalue()
