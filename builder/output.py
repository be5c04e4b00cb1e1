"""Writing the site safely: a sibling folder swapped in whole, or nothing changes at all.

MkDocs and Pelican empty the output folder before they build, so a failed
build leaves a broken site. Here the new site is written next to the old one
and swapped in only once every file is there; files whose bytes did not
change are hard links to the old ones, so they keep their modification times.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.diagnostics import shown_path
from builder.files import within
from builder.scratch import MARKER, MARKER_TEXT, folder_mode, scratch_folder, signals_held, sweep

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

_TOKEN_LINE = "build "


class OutputRefused(Exception):
    """An output folder the builder must not replace; a usage error."""


def _kept(name: str) -> bool:
    """Entries of an existing output folder that a build keeps: dot-files such as .git, and CNAME."""
    return name.startswith(".") or name == "CNAME"


def check_output_folder(output: Path, protected: Iterable[tuple[str, Path]]) -> Path:
    """The resolved output folder, or a refusal naming what it would have replaced."""
    target = output.resolve()
    for name, folder in protected:
        if within(folder.resolve(), target):
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
    """Write one file of the new site; False when the old site has the same bytes, which are hard-linked instead.

    Only a regular file of the old site is linked: a symbolic link left there is replaced by a real file.
    """
    destination = staging / name
    destination.parent.mkdir(parents=True, exist_ok=True)
    previous = output / name
    try:
        found = os.lstat(previous)  # a symbolic link is never the same: it is replaced by a real file
        same = stat.S_ISREG(found.st_mode) and found.st_size == len(data) and previous.read_bytes() == data
    except OSError:
        same = False
    if same:
        os.link(previous, destination, follow_symlinks=False)
    else:
        destination.write_bytes(data)
    return not same


def site_files(folder: Path) -> set[str]:
    """The regular files of a built site, leaving out the marker and the entries a build keeps (.git, CNAME).

    A symbolic link is not counted, so a site where one stands in place of a
    file no longer looks like the site the last build left, and is built again.
    """
    found: set[str] = set()
    waiting = [("", folder)]
    while waiting:
        prefix, path = waiting.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if not prefix and _kept(entry.name):
                    continue
                if entry.is_file(follow_symlinks=False):
                    found.add(prefix + entry.name)
                elif entry.is_dir(follow_symlinks=False):
                    waiting.append((f"{prefix}{entry.name}/", Path(entry.path)))
    return found


def keep_file(staging: Path, output: Path, name: str) -> None:
    """Carry a regular file of the old site into the new one unchanged: a hard link, so its time stays too."""
    destination = staging / name
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.link(output / name, destination, follow_symlinks=False)


@contextmanager
def staged_site(output: Path) -> Iterator[Path]:
    """A folder beside `output` to write the new site into; `commit_site` swaps it in, else it is thrown away.

    Whatever happens before the commit (an error, Ctrl-C, SIGTERM), `output`
    is left as it was; what builds killed outright left beside it is removed first.
    """
    sweep(output)
    with scratch_folder(output, "new") as staging:
        yield staging


def commit_site(staging: Path, output: Path) -> str:
    """Mark the finished new site as ours and put it in place of the old one; the token that names this build.

    The build cache records the token, so what it says of a site is trusted
    only for the very folder it describes, wherever that folder is moved.
    """
    token = secrets.token_hex(8)
    (staging / MARKER).write_text(f"{MARKER_TEXT}{_TOKEN_LINE}{token}\n")
    _swap(staging, output)
    return token


def site_token(output: Path) -> str:
    """The token of the build that wrote `output`, or nothing for a folder no finished build of ours left."""
    try:
        text = (output / MARKER).read_text()
    except OSError:
        return ""
    token = text.removeprefix(MARKER_TEXT)
    return token.removeprefix(_TOKEN_LINE).strip() if token.startswith(_TOKEN_LINE) else ""


def replace_file(output: Path, name: str, data: bytes) -> None:
    """Change one file of a finished site in place, atomically, unless it holds `data` already (its time stays).

    For the preview's quick rebuilds of a page or two, where staging a whole
    new site would cost more than the page; readers see the old file or the new one, never half of one.
    """
    destination = output / name
    try:
        found = os.lstat(destination)
    except OSError:
        found = None
    if found is not None and stat.S_ISREG(found.st_mode):
        if destination.read_bytes() == data:
            return
        mode = stat.S_IMODE(found.st_mode)
    else:
        mode = folder_mode() & 0o666
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
    with scratch_folder(output, "old") as scratch:
        retired = scratch / output.name
        with signals_held():  # between the two renames there is no output folder at all
            output.rename(retired)
            try:
                staging.rename(output)
            except OSError:
                retired.rename(output)
                raise
        for entry in retired.iterdir():
            if _kept(entry.name) and entry.name != MARKER and not (output / entry.name).exists():
                entry.rename(output / entry.name)
