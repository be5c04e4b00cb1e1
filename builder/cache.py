"""The persistent build cache in `.guide-cache/`: what is costly to make again, never trusted blindly.

Every file starts with a stamp of the code that wrote it (the builder's own
source and the versions of the libraries whose output it holds). A missing,
stale, corrupt or foreign file is ignored and rebuilt; the worst a bad cache
can do is cost time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["CODE_STAMP", "BuildCache"]


def _code_stamp() -> str:
    """Changes whenever anything that shapes the output changes: our code, or Markdown's, nh3's or Jinja's version."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("markdown", "nh3", "jinja2", "pyyaml"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


CODE_STAMP = _code_stamp()


class BuildCache:
    """Named tables (plain dicts) loaded from and saved to one folder; an in-memory cache when the folder is None."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.tables: dict[str, dict[Any, Any]] = {}
        self.changed: set[str] = set()

    def table(self, name: str) -> dict[Any, Any]:
        """The table as last saved, or empty when there is none that this code wrote."""
        if name not in self.tables:
            self.tables[name] = self._load(name)
        return self.tables[name]

    def replace(self, name: str, values: dict[Any, Any]) -> None:
        """Set a table; it is written by the next `save` only if it differs from what it was."""
        if values != self.table(name):
            self.tables[name] = values
            self.changed.add(name)

    def _load(self, name: str) -> dict[Any, Any]:
        if self.folder is None:
            return {}
        try:
            with (self.folder / f"{name}.pickle").open("rb") as file:
                stamp, values = pickle.load(file)
        except Exception:  # a missing, truncated or foreign file is no cache at all
            return {}
        return values if stamp == CODE_STAMP and isinstance(values, dict) else {}

    def save(self) -> None:
        """Write the changed tables, each replaced whole so a crash never leaves half a file."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in sorted(self.changed):
            handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                pickle.dump((CODE_STAMP, self.tables[name]), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / f"{name}.pickle")
        self.changed.clear()
