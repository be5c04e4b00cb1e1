"""`media:` items and body images read into `Picture`, `Video` and `YouTube` values, every rule checked at its line.

Files are found relative to the page that names them, or from the content
folder with a leading `/`, and must stay inside the content folder, links
included (SPEC 6): a picture is published for anyone to download.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from slugify import slugify

from builder.bodyimages import BodyImage
from builder.diagnostics import Diagnostics, did_you_mean, shown_path
from builder.fields import Fields
from builder.files import CONTENT_FOLDER, contained, within
from builder.imaging import RECIPE
from builder.licenses import UnknownLicense, spdx_id
from builder.media import Attribution, Format, MediaItem, Picture, Rendition, Video, YouTube
from builder.model import Settings
from builder.probe import Facts, MediaProblem, Probe

__all__ = ["ITEM_KEYS", "MEDIA_FOLDER", "MediaReader"]

MEDIA_FOLDER = "media/"
"""Where published media go in the site."""
ITEM_KEYS = (
    "src",
    "youtube",
    "alt",
    "decorative",
    "caption",
    "credit",
    "license",
    "source",
    "poster",
    "captions",
    "muted",
)

_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".heic", ".heif", ".gif", ".svg")
_VIDEO_EXTENSIONS = (".mp4", ".webm", ".m4v")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com")
_WEB = ("http", "https")


class MediaReader:
    """Reads the media of one guide's pages against its settings, with one probe for the facts of files."""

    def __init__(self, content: Path, settings: Settings, probe: Probe) -> None:
        self.content = content
        self.settings = settings
        self.probe = probe

    def items(self, fields: Fields) -> tuple[MediaItem, ...]:
        """The page's `media:` list; an item with any problem is reported and left out."""
        found = []
        for node in fields.list_nodes("media"):
            if node.kind != "mapping":
                fields.error(node.line, "each media item must be a mapping with 'src' (or 'youtube') and 'alt'")
                continue
            item = self.item(Fields(node, fields.path, fields.diagnostics, ITEM_KEYS))
            if item is not None:
                found.append(item)
        return tuple(found)

    def item(self, fields: Fields) -> MediaItem | None:
        attribution = self.attribution(fields)
        has_src, has_youtube = "src" in fields.entries, "youtube" in fields.entries
        fields.finish()
        if has_src == has_youtube:
            fields.error(fields.node.line, "a media item needs exactly one of 'src' (a file) and 'youtube'")
            return None
        if has_youtube:
            self.only_for(fields, "a YouTube video", ("decorative", "captions", "muted"))
            return self.youtube(fields, attribution)
        path = self.locate(fields, "src", _IMAGE_EXTENSIONS + _VIDEO_EXTENSIONS)
        if path is None:
            return None
        if path.suffix.lower() in _VIDEO_EXTENSIONS:
            self.only_for(fields, "a video", ("decorative",))
            return self.video(fields, path, attribution)
        self.only_for(fields, "an image", ("poster", "captions", "muted"))
        alt, decorative = fields.text("alt"), fields.boolean("decorative")
        if "alt" in fields.entries and not alt:
            return None  # an empty alt, already reported as such
        if not self.alt_ok(fields, fields.line("alt") if alt else fields.node.line, alt, decorative, path):
            return None
        return self.picture(fields, path, fields.line("src"), alt, decorative, attribution)

    def only_for(self, fields: Fields, what: str, keys: tuple[str, ...]) -> None:
        """Keys that mean nothing for `what` are errors, rather than silently ignored."""
        for key in keys:
            if key in fields.entries:
                fields.error(fields.line(key), f"'{key}' means nothing for {what}", "remove it")

    def attribution(self, fields: Fields) -> Attribution:
        license = fields.text("license")
        if license:
            try:
                license = spdx_id(license)
            except UnknownLicense as problem:
                fields.error(fields.line("license"), str(problem), problem.hint)
        source = fields.text("source")
        if source and urlsplit(source).scheme not in _WEB:
            fields.error(fields.line("source"), f"'source' must be a web address (http or https), not '{source}'")
        attribution = Attribution(
            fields.text("caption", max_length=300), fields.text("credit", max_length=200), license, source
        )
        self.require_license(fields, fields.node.line, attribution)
        return attribution

    def require_license(self, fields: Fields, line: int, attribution: Attribution, in_body: bool = False) -> None:
        """With `media.require_license`, an error for an item without a license or a credit.

        A body image has no keys of its own: its credit comes from the page's `media:` item for the same file.
        """
        if self.settings.media_require_license:
            missing = [key for key in ("license", "credit") if not getattr(attribution, key)]
            if missing:
                what = "the image" if in_body else "the media item"
                hint = (
                    "list its file under 'media:' with both; " * in_body
                    + "site.yml sets 'media: require_license: true'"
                )
                fields.error(line, f"{what} has no {' and no '.join(missing)}", hint)

    def alt_ok(self, fields: Fields, line: int, alt: str, decorative: bool, path: Path, in_body: bool = False) -> bool:
        """Whether the alt text says something; a file name says nothing to a reader who cannot see the picture."""
        if decorative:
            if alt:
                fields.error(line, "an image is either described by 'alt' or 'decorative: true', not both")
            return not alt
        if not alt:
            hint = "say what the picture shows, or set 'decorative: true' if it adds nothing to the text"
            if in_body:
                hint = f"say what the picture shows between the brackets: ![...]({path.name})"
            fields.error(line, "the image has no alt text", hint)
            return False
        names = {path.name.lower(), path.stem.lower(), re.sub(r"[-_]+", " ", path.stem.lower())}
        if alt.strip().lower() in names:
            fields.error(line, f"the alt text '{alt}' is just the file name", "say what the picture shows")
            return False
        return True

    def locate(self, fields: Fields, key: str, extensions: tuple[str, ...]) -> Path | None:
        """The file a key names, if it is one the site may publish; an error at the key's line if not."""
        src = fields.text(key)
        return self.find(fields, fields.line(key), src, extensions) if src else None

    def find(self, fields: Fields, line: int, src: str, extensions: tuple[str, ...]) -> Path | None:
        """The file `src` names from the page of `fields`, or None after an error at `line`."""
        if urlsplit(src).scheme or src.startswith("//"):
            fields.error(line, f"'{src}' is not a file of the guide", "download it into content/media/ and name it")
            return None
        base = self.content if src.startswith("/") else fields.path.parent
        path = Path(os.path.normpath(base / src.lstrip("/")))
        if not within(path.absolute(), self.content.absolute()):
            fields.error(line, f"'{src}' lies outside the content folder", "keep media in content/media/")
            return None
        hidden = [part for part in path.relative_to(self.content).parts if part.startswith(".")]
        if hidden:
            message = f"'{src}' is in a hidden file or folder ({hidden[0]}), which the guide never reads"
            fields.error(line, message, "move it to content/media/")
            return None
        if path.suffix.lower() not in extensions:
            listed = ", ".join(extension.lstrip(".") for extension in extensions)
            fields.error(line, f"'{src}' is not a file type the site takes here", f"use {listed}")
            return None
        problems = Diagnostics()
        if not all(contained(link, self.content, CONTENT_FOLDER, problems) for link in _links_on(path, self.content)):
            for problem in problems.items:
                fields.error(line, f"'{src}' is {problem.message}", problem.hint)
            return None
        if not path.is_file():
            siblings = [entry.name for entry in path.parent.iterdir()] if path.parent.is_dir() else []
            fields.error(line, f"no such file '{src}'", did_you_mean(path.name, siblings))
            return None
        return path

    def facts(self, fields: Fields, line: int, path: Path) -> Facts | None:
        try:
            return self.probe.facts(path)
        except MediaProblem as problem:
            fields.error(line, f"{shown_path(path)}: {problem}", problem.hint)
        except OSError as error:
            fields.error(line, f"{shown_path(path)} cannot be read ({error.strerror})")
        return None

    def picture(
        self, fields: Fields, path: Path, line: int, alt: str, decorative: bool, attribution: Attribution
    ) -> Picture | None:
        facts = self.facts(fields, line, path)
        if facts is None:
            return None
        if facts.kind != "image" and facts.kind != "svg":
            fields.error(line, f"{shown_path(path)} is not an image")
            return None
        recipe = _recipe(facts, self.settings)
        key = hashlib.blake2b(f"{facts.digest}\0{recipe}\0{RECIPE}".encode(), digest_size=16).hexdigest()
        formats = _formats(facts, key, slugify(path.stem) or "image", recipe)
        return Picture(path, line, alt, decorative, facts.width, facts.height, facts.alpha, formats, attribution, key)

    def video(self, fields: Fields, path: Path, attribution: Attribution) -> Video | None:
        facts = self.facts(fields, fields.line("src"), path)
        poster = self.poster(fields)
        muted = fields.boolean("muted")
        captions, captions_path = "", None
        if "captions" in fields.entries:
            captions_path = self.locate(fields, "captions", (".vtt",))
            captions_facts = captions_path and self.facts(fields, fields.line("captions"), captions_path)
            if captions_path is None or not captions_facts:
                return None
            captions = _published(captions_path, captions_facts.digest, "vtt")
        elif not muted:
            hint = "add 'captions' (a WebVTT file), or 'muted: true' for a clip without sound"
            fields.error(fields.node.line, "the video has neither captions nor 'muted: true'", hint)
            return None
        if facts is None or ("poster" in fields.entries and poster is None):
            return None
        file = Rendition(_published(path, facts.digest, facts.format), 0, 0)
        title = fields.text("alt")
        line = fields.line("src")
        return Video(path, line, file, facts.format, title, poster, captions, captions_path, muted, attribution)

    def poster(self, fields: Fields) -> Picture | None:
        """A video's still: described by the video's own title, so it needs no alt of its own."""
        if "poster" not in fields.entries:
            return None
        path = self.locate(fields, "poster", _IMAGE_EXTENSIONS)
        if path is None:
            return None
        return self.picture(fields, path, fields.line("poster"), "", True, Attribution())

    def youtube(self, fields: Fields, attribution: Attribution) -> YouTube | None:
        given = fields.text("youtube")
        video_id = _youtube_id(given)
        if video_id is None:
            if given:
                hint = "give the 11-character id or a link such as https://www.youtube.com/watch?v=..."
                fields.error(fields.line("youtube"), f"'{given}' is not a YouTube video id or link", hint)
            return None
        poster = self.poster(fields)
        if "poster" in fields.entries and poster is None:
            return None
        return YouTube(video_id, fields.line("youtube"), fields.text("alt"), poster, attribution)

    def body_pictures(
        self, fields: Fields, images: list[BodyImage], media: tuple[MediaItem, ...]
    ) -> tuple[Picture, ...]:
        """The pictures of a body's images, in order; credits come from the page's `media:` item for the same file."""
        credited = {item.source: item.attribution for item in media if isinstance(item, Picture)}
        found = []
        for image in images:
            path = self.find(fields, image.line, image.src, _IMAGE_EXTENSIONS)
            if path is None or not self.alt_ok(fields, image.line, image.alt, False, path, in_body=True):
                continue
            attribution = credited.get(path, Attribution(caption=image.title))
            if path not in credited:
                self.require_license(fields, image.line, attribution, in_body=True)
            picture = self.picture(fields, path, image.line, image.alt, False, attribution)
            if picture is not None:
                found.append(picture)
        return tuple(found)


def _links_on(path: Path, content: Path) -> list[Path]:
    """Every step of `path` below the content folder: a link anywhere on the way could lead out of the guide."""
    steps = []
    while path != content and within(path.absolute(), content.absolute()) and path != path.parent:
        steps.append(path)
        path = path.parent
    return steps[::-1]


def _recipe(facts: Facts, settings: Settings) -> str:
    """What a picture is made into: a copy for SVG and animations, else each width in each format."""
    if facts.kind == "svg":
        return "copy svg"
    if facts.animated:
        return "gif"
    formats = [("png" if facts.alpha and name == "jpeg" else name) for name in settings.media_formats]
    widths = sorted({min(width, facts.width) for width in settings.media_widths})
    return f"{','.join(dict.fromkeys(formats))} {','.join(map(str, widths))}"


def _formats(facts: Facts, key: str, stem: str, recipe: str) -> tuple[Format, ...]:
    """The renditions a recipe makes, with their names and sizes, before any is made."""
    if recipe in ("copy svg", "gif"):
        extension = recipe.split()[-1]
        return (
            Format(extension, (Rendition(f"{MEDIA_FOLDER}{stem}.{key[:12]}.{extension}", facts.width, facts.height),)),
        )
    formats, widths = recipe.split(" ")
    return tuple(
        Format(
            extension,
            tuple(
                Rendition(
                    f"{MEDIA_FOLDER}{stem}.{key[:12]}.{width}.{extension}",
                    width,
                    max(1, round(facts.height * width / facts.width)),
                )
                for width in map(int, widths.split(","))
            ),
        )
        for extension in formats.split(",")
    )


def _published(path: Path, digest: str, extension: str) -> str:
    """The site path of a file published as it is (a video, its captions), named by its digest."""
    return f"{MEDIA_FOLDER}{slugify(path.stem) or 'media'}.{digest[:12]}.{extension}"


def _youtube_id(given: str) -> str | None:
    """The id in a YouTube id or link (watch, youtu.be, embed, shorts, nocookie), or None."""
    if _YOUTUBE_ID.fullmatch(given):
        return given
    parts = urlsplit(given)
    if parts.scheme not in _WEB:
        return None
    candidate = ""
    if parts.hostname == "youtu.be":
        candidate = parts.path.strip("/")
    elif parts.hostname in _YOUTUBE_HOSTS:
        if parts.path == "/watch":
            candidate = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
            candidate = parts.path.split("/")[2]
    return candidate if _YOUTUBE_ID.fullmatch(candidate) else None
