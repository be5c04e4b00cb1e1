"""Listing the files a guide is made from: hidden entries left out, symbolic links followed only inside their folder.

A guide may come from a stranger's pull request, and a symbolic link in it
could carry any file of the machine that builds it into the published site
(`ln -s ~/.ssh/id_rsa content/exercises/key.md`). So a link is followed only
when its target lies inside the folder it belongs to (the content folder, or
the theme folder); one that points outside, or at nothing, is an error naming
it, as is a link to a folder that holds it (which would list files forever).
Hidden files and folders (`.git`, editor lock files such as `.#plank.md`,
which are often broken links) are never looked at.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from builder.diagnostics import Diagnostics, shown_path

__all__ = ["CONTENT_FOLDER", "THEME_FOLDER", "contained", "list_files", "regular_file", "within"]

CONTENT_FOLDER = "the content folder"
THEME_FOLDER = "its theme folder"
"""How messages name the folders that files, and the links among them, must stay inside."""


def regular_file(path: Path | str) -> bool:
    """Whether `path` is a file of its own: not a symbolic link, which could lead anywhere, nor a folder."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def within(inner: Path | str, outer: Path | str) -> bool:
    """Whether resolved path `inner` is `outer` or below it, by whole components (`/a/docs` is not in `/a/docs-src`)."""
    inner, outer = str(inner), str(outer)
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def contained(path: Path, root: Path, what: str, diagnostics: Diagnostics) -> bool:
    """Whether `path` may be read as part of `root` (called `what` in messages); an error naming it when not.

    A path that is no symbolic link always may; a link, when its target exists and lies inside `root`.
    """
    if not os.path.islink(path):
        return True
    target = os.path.realpath(path)
    if not os.path.exists(target):
        diagnostics.error(shown_path(path), 1, f"a symbolic link to a missing file ({shown_path(target)})", "remove it")
        return False
    if not within(target, os.path.realpath(root)):
        message = f"a symbolic link to {shown_path(target)}, outside {what}"
        diagnostics.error(
            shown_path(path), 1, message, "copy the file into the guide instead; links are followed only inside it"
        )
        return False
    return True


def list_files(folder: Path, root: Path, what: str, diagnostics: Diagnostics) -> list[Path]:
    """Every file below `folder`, through links that stay inside `root`, shallowest first, then by name.

    A file reached through a link keeps the link's path, so its name (and
    slug) is the link's. `folder` need not exist: a guide without routines has no `routines/`.
    """
    found: list[tuple[int, str, Path]] = []
    if os.path.isdir(folder):
        _walk(folder, root, what, diagnostics, [os.path.realpath(folder)], found)
    return [path for _, _, path in sorted(found, key=lambda entry: entry[:2])]


def _walk(
    folder: Path, root: Path, what: str, diagnostics: Diagnostics, stack: list[str], found: list[tuple[int, str, Path]]
) -> None:
    """List `folder` into `found`; `stack` holds the real paths of the folders being listed, this one last."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        diagnostics.error(shown_path(folder), 1, f"the folder cannot be read ({error.strerror})")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith(".") or (entry.is_symlink() and not contained(path, root, what, diagnostics)):
            continue
        if entry.is_file():
            found.append((len(stack), str(folder), path))
            continue
        if not entry.is_dir():
            diagnostics.error(shown_path(path), 1, "not a file or a folder (a device, pipe or socket)", "remove it")
            continue
        real = os.path.realpath(path)
        if entry.is_symlink() and any(within(listed, real) for listed in stack):
            message = f"a symbolic link to a folder that holds it ({shown_path(real)}), so its files would never end"
            diagnostics.error(shown_path(path), 1, message, "remove it")
            continue
        _walk(path, root, what, diagnostics, [*stack, real], found)
