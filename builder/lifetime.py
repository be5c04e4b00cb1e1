"""Child processes that end with the build that started them, however it ends.

A build stopped with Ctrl-C or SIGTERM stops its children itself; one killed
outright cannot, and Pagefind or a render worker would then run on, orphaned,
for as long as its work takes. On Linux the kernel can kill a child when its
parent dies (`PR_SET_PDEATHSIG`); the child asks for that as it starts.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable
from functools import partial

__all__ = ["end_with_this_process", "worker_start"]

_PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
        return prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()
"""Looked up once, before any fork: a child between fork and exec should do as little as it can."""


def _end_with(parent: int) -> None:
    """In a new child: be killed when `parent` dies; if it died already, end now."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def end_with_this_process() -> Callable[[], None]:
    """A `preexec_fn` for `subprocess.Popen`: the program started dies with this process."""
    return partial(_end_with, os.getpid())


def worker_start(parent: int) -> None:
    """A pool initializer: the worker dies with the build, and leaves SIGINT and SIGTERM to the build to handle.

    The build catches both and stops the pool itself; a worker that also
    caught them would print a traceback for every page it was rendering.
    """
    _end_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
