"""Real media files of every kind, made with Pillow and pillow-heif, for tests that publish them.

Made in the tests rather than kept as binaries, so what each file holds
(a GPS position, an orientation, transparency, frames) is written down here.
"""

from __future__ import annotations

from pathlib import Path

import pillow_heif
from PIL import Image, ImageDraw, PngImagePlugin

pillow_heif.register_heif_opener()

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112
MAKER = "SecretPhoneMaker"
COMMENT = b"secret comment"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 250" width="400" height="250">'
    '<rect width="400" height="250" fill="#f4f1ea"/><circle cx="200" cy="125" r="80" fill="#23313a"/></svg>'
)


def rotated_jpeg(path: Path, size: tuple[int, int] = (1600, 1200), colour: str = "#88aacc") -> None:
    """A landscape photo stored with orientation 6 (turn a quarter clockwise), a GPS position and a maker.

    A red block marks its top left as stored: upright, it is at the top right.
    """
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 4, size[1] // 4), fill="#ff0000")
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = 6
    exif[0x010F] = MAKER
    exif[GPS_TAG] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    image.save(path, exif=exif.tobytes(), quality=90)


def alpha_png(path: Path) -> None:
    image = Image.new("RGBA", (800, 600), (255, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((100, 100, 700, 500), fill=(0, 128, 0, 200))
    image.save(path, pnginfo=_png_text())


def _png_text() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MAKER)
    return info


def heic(path: Path) -> None:
    Image.new("RGB", (640, 480), "#aa8844").save(path)


def animated_gif(path: Path) -> None:
    colours = ["#ff0000", "#00ff00", "#0000ff", "#ffff00"]
    frames = [Image.new("RGB", (120, 90), colour) for colour in colours]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=150, loop=0, comment=COMMENT)


def every_kind(folder: Path) -> None:
    """One file of each kind a guide may publish, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    rotated_jpeg(folder / "rotated.jpg")
    alpha_png(folder / "alpha.png")
    heic(folder / "phone.heic")
    animated_gif(folder / "moving.gif")
    (folder / "figure.svg").write_text(SVG)
    (folder / "clip.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nBrace the belly.\n")
    (folder / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(200))
