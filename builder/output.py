"""Writing the site safely: a sibling folder swapped in whole, or nothing changes at all.

MkDocs and Pelican empty the output folder before they build, so a failed
build leaves a broken site. Here the new site is written next to the old one
and swapped in only once every file is there; files whose bytes did not
change are hard links to the old ones, so they keep their modification times.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.diagnostics import shown_path

__all__ = [
    "MARKER",
    "OutputRefused",
    "check_output_folder",
    "commit_site",
    "keep_file",
    "put_file",
    "replace_file",
    "site_files",
    "site_token",
    "staged_site",
]

MARKER = ".guide-output"
"""Left in every output folder the builder made; a folder without it is never cleaned."""
_MARKER_TEXT = "This folder is written by guide build and replaced whole by the next build.\nbuild "


class OutputRefused(Exception):
    """An output folder the builder must not replace; a usage error."""


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


def put_file(staging: Path, output: Path, name: str, data: bytes) -> bool:
    """Write one file of the new site; False when the old site has the same bytes, which are hard-linked instead."""
    destination = staging / name
    destination.parent.mkdir(parents=True, exist_ok=True)
    previous = output / name
    try:
        same = previous.stat().st_size == len(data) and previous.read_bytes() == data
    except OSError:
        same = False
    if same:
        os.link(previous, destination)
    else:
        destination.write_bytes(data)
    return not same


def site_files(folder: Path) -> set[str]:
    """The files of a built site, leaving out the marker and the entries a build keeps (.git, CNAME)."""
    found = set()
    for root, folders, names in os.walk(folder):
        relative = os.path.relpath(root, folder)
        if relative == ".":
            folders[:] = [name for name in folders if not _kept(name)]
            names = [name for name in names if not _kept(name)]
        found.update(name if relative == "." else f"{relative}/{name}" for name in names)
    return found


def keep_file(staging: Path, output: Path, name: str) -> None:
    """Carry a file of the old site into the new one unchanged: a hard link, so its time stays too."""
    destination = staging / name
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.link(output / name, destination)


@contextmanager
def staged_site(output: Path) -> Iterator[Path]:
    """A folder beside `output` to write the new site into; `commit_site` swaps it in, else it is thrown away.

    Whatever happens before the commit (an error, Ctrl-C), `output` is left as it was.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def commit_site(staging: Path, output: Path) -> str:
    """Mark the finished new site as ours and put it in place of the old one; the token that names this build.

    The build cache records the token, so what it says of a site is trusted
    only for the very folder it describes, wherever that folder is moved.
    """
    token = secrets.token_hex(8)
    (staging / MARKER).write_text(f"{_MARKER_TEXT}{token}\n")
    _swap(staging, output)
    return token


def site_token(output: Path) -> str:
    """The token of the build that wrote `output`, or nothing for a folder no finished build of ours left."""
    try:
        text = (output / MARKER).read_text()
    except OSError:
        return ""
    return text.removeprefix(_MARKER_TEXT).strip() if text.startswith(_MARKER_TEXT) else ""


def replace_file(output: Path, name: str, data: bytes) -> None:
    """Change one file of a finished site in place, atomically, unless it holds `data` already (its time stays).

    For the preview's quick rebuilds of a page or two, where staging a whole
    new site would cost more than the page; readers see the old file or the new one, never half of one.
    """
    destination = output / name
    try:
        if destination.read_bytes() == data:
            return
        mode = stat.S_IMODE(destination.stat().st_mode)
    except OSError:
        mode = 0o644
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}-", dir=destination.parent)
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.chmod(temporary, mode)
    os.replace(temporary, destination)


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
