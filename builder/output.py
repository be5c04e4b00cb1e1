"""Writing the site safely: a sibling folder swapped in whole, or nothing changes at all.

MkDocs and Pelican empty the output folder before they build, so a failed
build leaves a broken site. Here the new site is written next to the old one
and swapped in only once every file is there; files whose bytes did not
change are hard links to the old ones, so they keep their modification times.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from builder.diagnostics import shown_path

__all__ = ["MARKER", "OutputRefused", "WriteSummary", "check_output_folder", "write_site"]

MARKER = ".guide-output"
"""Left in every output folder the builder made; a folder without it is never cleaned."""


class OutputRefused(Exception):
    """An output folder the builder must not replace; a usage error."""


@dataclass(frozen=True)
class WriteSummary:
    written: int
    unchanged: int


def _kept(name: str) -> bool:
    """Entries of an existing output folder that a build keeps: dot-files such as .git, and CNAME."""
    return name.startswith(".") or name == "CNAME"


def _within(inner: Path, outer: Path) -> bool:
    """Whether `inner` is `outer` or below it, by whole path components (`/a/docs` is not in `/a/docs-src`)."""
    return inner == outer or outer in inner.parents


def check_output_folder(output: Path, protected: Iterable[tuple[str, Path]]) -> Path:
    """The resolved output folder, or a refusal naming what it would have replaced."""
    target = output.resolve()
    for name, folder in protected:
        if _within(folder.resolve(), target):
            raise OutputRefused(
                f"the output folder {output} is or contains the {name} ({shown_path(folder)}); choose another --output"
            )
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"the output {output} is a file, not a folder")
    if target.is_dir() and not (target / MARKER).exists():
        own = [entry.name for entry in target.iterdir() if not _kept(entry.name)]
        if own:
            raise OutputRefused(
                f"{output} holds files that guide did not write ({', '.join(sorted(own)[:3])}); "
                "empty it or choose another --output"
            )
    return target


def write_site(output: Path, files: dict[str, bytes]) -> WriteSummary:
    """Write `files` (site paths to bytes) as the new content of `output`, which `check_output_folder` passed."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        unchanged = 0
        for name, data in sorted(files.items()):
            destination = staging / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            previous = output / name
            if previous.is_file() and previous.stat().st_size == len(data) and previous.read_bytes() == data:
                os.link(previous, destination)
                unchanged += 1
            else:
                destination.write_bytes(data)
        (staging / MARKER).write_text("This folder is written by guide build and replaced whole by the next build.\n")
        _swap(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return WriteSummary(written=len(files) - unchanged, unchanged=unchanged)


def _swap(staging: Path, output: Path) -> None:
    """Put the new folder in place of the old one, then carry over the entries a build keeps.

    The old folder is deleted only once those entries are safe in the new one.
    """
    if not output.exists():
        staging.rename(output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent)) / output.name
    output.rename(retired)
    try:
        staging.rename(output)
    except OSError:
        retired.rename(output)
        raise
    for entry in retired.iterdir():
        if _kept(entry.name) and entry.name != MARKER and not (output / entry.name).exists():
            entry.rename(output / entry.name)
    shutil.rmtree(retired.parent)
