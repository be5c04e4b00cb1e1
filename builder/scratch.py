"""Folders a build works in beside its output, claimed while it runs and swept away after it died.

A build killed outright (SIGKILL, a power cut) cannot remove what it was
writing: the staged new site, Pagefind's bundle, the PDF workspace. Each such
folder holds the output's marker file from the moment it is made, locked
(`flock`) by the process that made it for as long as that process lives; the
kernel drops the lock when the process dies, however it dies. The next build
removes the folders beside its output whose marker it wrote and whose lock
nobody holds, and nothing else: not a folder without the marker, not a
symbolic link, not the folder of a build still running.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["MARKER", "MARKER_TEXT", "folder_mode", "scratch_folder", "signals_held", "sweep"]

MARKER = ".guide-output"
"""Left in every output folder the builder made and every folder it works in; a folder without it is never cleaned."""
MARKER_TEXT = "This folder is written by guide build and replaced whole by the next build.\n"
_PURPOSE = re.compile(r"[a-z]+")
_ATTEMPTS = 5
_MARKER_SIZE = 4096
"""More than any marker we write: enough to read one whole."""


def folder_mode() -> int:
    """The mode the umask gives a new folder, as `mkdir` would; `mkdtemp` makes its folders for their owner alone."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o777 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # no way to read the umask but to set it; put back at once
    os.umask(mask)
    return 0o777 & ~mask


@contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block has run: for steps that must not be parted (make and record, swap).

    They raise in the main thread wherever it is, even between a call that
    made a folder and the line that would remember it; held, they arrive when the block ends.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def scratch_folder(beside: Path, purpose: str) -> Iterator[Path]:
    """A new folder next to `beside` (`.output-new-x1y2` for purpose `new`), removed when the block ends.

    It is claimed before anything is written in it, so a sweep by another
    build never takes it while this one runs. The block may move the folder
    away (the staged site becomes the output); whatever is left is removed.
    """
    if not _PURPOSE.fullmatch(purpose):
        raise ValueError(f"not a scratch purpose: {purpose!r}")
    beside.parent.mkdir(parents=True, exist_ok=True)
    claimed: tuple[Path, int] | None = None
    try:
        with signals_held():
            claimed = _claim(beside, purpose)
        os.chmod(claimed[0], folder_mode())
        yield claimed[0]
    finally:
        if claimed is not None:
            shutil.rmtree(claimed[0], ignore_errors=True)
            os.close(claimed[1])


def _claim(beside: Path, purpose: str) -> tuple[Path, int]:
    """A new folder holding our marker, and the marker's descriptor, locked for as long as it stays open.

    SIGKILL can come between making the folder and locking its marker, so a
    sweep also takes a folder that holds nothing, or nothing but an unlocked
    start of a marker: it may take this one in that instant, and then another is made.
    """
    for _ in range(_ATTEMPTS):
        folder = Path(tempfile.mkdtemp(prefix=f".{beside.name}-{purpose}-", dir=beside.parent))
        try:
            claim = os.open(folder / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(claim).st_nlink:  # not swept away before it was locked
                os.write(claim, f"{MARKER_TEXT}{purpose} in process {os.getpid()}\n".encode())
                return folder, claim
        except BlockingIOError:  # a sweep holds it, and is removing it
            pass
        os.close(claim)
    raise OSError(f"could not claim a folder beside {beside}: other builds kept removing it")


def sweep(beside: Path) -> list[Path]:
    """Remove the scratch folders of builds of `beside` that died before they could; the folders removed."""
    removed = []
    with contextlib.suppress(OSError):
        candidates = [entry for entry in beside.parent.iterdir() if entry.name.startswith(f".{beside.name}-")]
        for folder in candidates:
            purpose = folder.name.removeprefix(f".{beside.name}-").rpartition("-")[0]
            if _PURPOSE.fullmatch(purpose) and _remove_if_abandoned(folder):
                removed.append(folder)
    return removed


def _remove_if_abandoned(folder: Path) -> bool:
    """Remove `folder` if it is a real folder of a build that died: our marker in it, and no living process's lock.

    A folder holding nothing, or nothing but the unlocked start of a marker,
    is one whose build died as it made it; removing it loses nothing.
    """
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        entries = os.listdir(folder)
        if not entries:
            os.rmdir(folder)
            return True
        descriptor = os.open(folder / MARKER, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        text = os.read(descriptor, _MARKER_SIZE)
        begun = entries == [MARKER] and MARKER_TEXT.encode().startswith(text)
        if not (text.startswith(MARKER_TEXT.encode()) or begun):
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return True
    except OSError:  # locked: its build is still running
        return False
    finally:
        os.close(descriptor)
