"""Putting every media file a build needs into the new site: carried over, taken from the cache, or made.

A rendition's name carries the digest of its source and recipe, so a file of
that name in the last site is already right and is hard-linked over; else
the signed build cache may hold it (a clean output, a branch switched back);
only then is the picture decoded, on every core, one picture per task.
Share images (`builder.social`) are named the same way and made alongside.
What no page uses any more is simply not carried over.

The preview's quick path (`builder.quick`) puts a changed picture's new files
into the finished site in place instead, from the cache or made.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from builder.cache import BuildCache
from builder.diagnostics import Diagnostic, shown_path
from builder.files import regular_file
from builder.imaging import make_renditions
from builder.media import MediaItem, Picture, Video
from builder.model import Guide
from builder.output import keep_file, put_file, replace_file
from builder.parallel import forked_start
from builder.probe import MediaProblem
from builder.social import ShareCard, draw_share_image

__all__ = ["Made", "MediaSummary", "SiteMedia", "made_files", "publish_media", "site_media", "updating_media"]


@dataclass
class SiteMedia:
    """The media of one guide: pictures by key with the lines that name them, and files published as they are."""

    pictures: dict[str, Picture] = field(default_factory=dict)
    """By the path of their `<img>` file: two sources with the same bytes and other names publish apart."""
    named_at: dict[str, list[tuple[Path, int]]] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)

    def add_picture(self, page: Path, picture: Picture) -> None:
        self.pictures.setdefault(picture.fallback.path, picture)
        self.named_at.setdefault(picture.fallback.path, []).append((page, picture.line))

    def add(self, page: Path, item: MediaItem) -> None:
        if isinstance(item, Picture):
            self.add_picture(page, item)
            return
        if item.poster is not None:
            self.add_picture(page, item.poster)
        if isinstance(item, Video):
            self.copies[item.file.path] = item.source
            if item.captions_source is not None:
                self.copies[item.captions] = item.captions_source


def site_media(guide: Guide) -> SiteMedia:
    """Every media file the guide's pages show, each picture once however many pages show it."""
    media = SiteMedia()
    for pages in guide.pages_by_kind().values():
        for page in pages.values():
            for item in (*page.media, *page.body_media):
                media.add(page.path, item)
    return media


@dataclass
class MediaSummary:
    """What publishing the media took: pictures made, and problems found while decoding."""

    made: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """The site paths of the files an update put in place."""
    failed: int = 0
    """Tasks of an update that could not be made."""


Made = Picture | ShareCard
"""What a build may have to make: a picture's renditions, or a page's share image."""


Write = Callable[[str, bytes], object]
"""Puts one file into a site by its site path: into the new site being staged, or in place."""


@dataclass(frozen=True)
class _Job:
    waiting: list[Made]
    write: Write
    cache: BuildCache


_JOB: _Job | None = None
"""The files to make in this build; set before workers fork, so they inherit it."""


def _make(number: int) -> tuple[int, str, str]:
    """Make one picture's renditions or one share image into the new site and the cache; a problem and hint if any."""
    assert _JOB is not None
    made = _JOB.waiting[number]
    try:
        files = make_renditions(made) if isinstance(made, Picture) else iter([(made.path, draw_share_image(made))])
        for name, data in files:
            _JOB.write(name, data)
            _JOB.cache.put_blob(_blob_name(made, name), data)
    except MediaProblem as problem:
        return number, str(problem), problem.hint
    return number, "", ""


def _blob_name(made: Made, name: str) -> str:
    """Where the cache keeps a made file: under the whole digest of what it is made from, not the site name's twelve
    characters, so that no file planted in a shared cache can be taken for another by a chosen collision.
    """
    digest = made.key if isinstance(made, Picture) else made.digest
    return f"media/{digest}/{Path(name).name}"


def publish_media(
    media: SiteMedia,
    cards: Iterable[ShareCard],
    staging: Path,
    output: Path,
    trusted: set[str],
    cache: BuildCache,
    jobs: int,
) -> MediaSummary:
    """Put every file of `media`, and the share images of `cards`, into `staging`, the new site beside `output`.

    `trusted` names the files of `output` that the last build wrote (none when the folder is not the site it
    left): only those are carried over.
    """
    for name, source in media.copies.items():
        if not (name in trusted and _carry(staging, output, name)):
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / name)  # a video may be large: copied, never held in memory
    candidates: list[Made] = [*media.pictures.values(), *cards]
    waiting = [made for made in candidates if not _reuse(made, trusted, staging, output, cache)]
    summary = MediaSummary(made=len(waiting))
    with _making(waiting, partial(put_file, staging, output), cache, jobs) as results:
        for number, problem, hint in results:
            picture = waiting[number]
            if problem and isinstance(picture, Picture):
                summary.problems += [
                    Diagnostic(shown_path(page), line, f"{shown_path(picture.source)}: {problem}", hint)
                    for page, line in media.named_at[picture.fallback.path]
                ]
    return summary


@contextmanager
def updating_media(made: Sequence[Made], output: Path, cache: BuildCache, jobs: int) -> Iterator[MediaSummary]:
    """Put the files of `made` into the finished site `output` in place, from the cache, else made in forked
    workers while the block goes on (rendering the pages that show them); all are in place when it ends.

    A picture that cannot be made is counted in `failed`, for the full build that follows to report at its lines.
    """
    write = partial(replace_file, output)
    waiting = [one for one in made if not _from_cache(one, write, cache)]
    summary = MediaSummary(made=len(waiting), files=[name for one in made for name in made_files(one)])
    with _making(waiting, write, cache, jobs) as results:
        yield summary
        summary.failed = sum(1 for _, problem, _ in results if problem)


@contextmanager
def _making(
    waiting: list[Made], write: Write, cache: BuildCache, jobs: int
) -> Iterator[Iterator[tuple[int, str, str]]]:
    """`waiting` made on every core, begun at once so the caller can do other work before it takes the results:
    what `_make` says of each, as it finishes.
    """
    global _JOB
    _JOB = _Job(waiting, write, cache)
    try:
        with forked_start(_make, range(len(waiting)), jobs) as results:
            yield results
    finally:
        _JOB = None


def made_files(made: Made) -> list[str]:
    """The site paths of the files made for a picture or a share image."""
    if isinstance(made, ShareCard):
        return [made.path]
    return [rendition.path for format in made.formats for rendition in format.renditions]


def _reuse(made: Made, trusted: set[str], staging: Path, output: Path, cache: BuildCache) -> bool:
    """Whether every file of `made` could be taken from the last site or the cache, as all of them were then."""
    names = made_files(made)
    if all(name in trusted and regular_file(output / name) for name in names):
        for name in names:
            keep_file(staging, output, name)
        return True
    return _from_cache(made, partial(put_file, staging, output), cache)


def _from_cache(made: Made, write: Write, cache: BuildCache) -> bool:
    """Whether every file of `made` was in the cache, and so written with `write`."""
    names = made_files(made)
    blobs = [cache.blob(_blob_name(made, name)) for name in names]
    if any(blob is None for blob in blobs):
        return False
    for name, blob in zip(names, blobs, strict=True):
        write(name, blob or b"")
    return True


def _carry(staging: Path, output: Path, name: str) -> bool:
    """Hard-link a file the last site has under the same digest-carrying name; whether it did."""
    if not regular_file(output / name):
        return False
    keep_file(staging, output, name)
    return True
