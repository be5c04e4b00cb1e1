"""The persistent build cache in `.guide-cache/`: what is costly to make again, holding data only, and signed.

A cache may come from a stranger: committed to a repository by a pull request,
or restored from a CI cache that other branches share. So it holds no format
that can run code (tables are JSON, blobs are raw bytes), and every file
carries an HMAC of its name and contents under a key kept outside the guide
(see `cache_key`). A file that is missing, stale, truncated, of the wrong
shape, signed with another key or forged is ignored and made again: the worst
a bad cache can do is cost time. The HMAC covers the stamp of the code that
wrote a table (the builder's own source and the versions of the libraries
whose output it holds), so a table written by other code is ignored too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Callable
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import jinja2

__all__ = ["CACHE_FOLDER", "CODE_STAMP", "KEY_VARIABLE", "BuildCache", "CompiledTemplates", "cache_key"]

CACHE_FOLDER = ".guide-cache"
"""Beside the content folder: what is costly to make again (converted bodies, card PDFs), safe to delete."""

KEY_VARIABLE = "GUIDE_CACHE_KEY"
"""An environment variable that sets the key, for a CI whose shared cache should stay usable from run to run."""
_TABLE_HEADER = b"guide-cache-table 1\n"
_MAC_SIZE = hashlib.sha256().digest_size


def _code_stamp() -> str:
    """Changes whenever anything that shapes the output changes: our code, or Markdown's, nh3's or Jinja's version."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("markdown", "nh3", "jinja2", "pyyaml"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


CODE_STAMP = _code_stamp()


def _key_file() -> Path:
    """Where the key lives: the user's cache folder, never inside a guide, so no pull request can carry it."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "guide" / "cache-key"


def cache_key() -> bytes:
    """The secret that signs cache files: `GUIDE_CACHE_KEY`, else a random key made once per user and kept.

    Where no key can be kept (a read-only home), a key for this process alone:
    the cache then lasts as long as the process, which is safe, only slower.
    """
    given = os.environ.get(KEY_VARIABLE)
    if given:
        return given.encode()
    path = _key_file()
    try:
        return path.read_bytes().strip() or _new_key(path)
    except FileNotFoundError:
        try:
            return _new_key(path)
        except OSError:
            return secrets.token_bytes(32)
    except OSError:
        return secrets.token_bytes(32)


def _new_key(path: Path) -> bytes:
    """Make the key file, readable by its owner alone; a key another process made meanwhile wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as file:
        file.write(key)
    return key


def _json_default(value: object) -> object:
    """Sets are kept as sorted lists; tables that hold them turn them back with their reader."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"a cache table cannot hold {type(value).__name__}")


_ENCODER = json.JSONEncoder(default=_json_default, separators=(",", ":"))

Reader = Callable[[Any], dict[Any, Any]]
"""Checks a table as JSON gave it and returns it in the shape its users expect; raises on any other shape."""


class BuildCache:
    """Named tables (dicts) and blobs (bytes) kept in one folder; an in-memory cache when the folder is None."""

    def __init__(self, folder: Path | None, key: bytes | None = None) -> None:
        self.folder = folder
        self.key = cache_key() if key is None and folder is not None else (key or b"")
        self.tables: dict[str, dict[Any, Any]] = {}
        self.changed: set[str] = set()

    def _signer(self, kind: str, name: str) -> hmac.HMAC:
        """The HMAC of a file of this kind and name, before its contents."""
        return hmac.new(self.key, f"{kind}\0{name}\0".encode(), hashlib.sha256)

    def _mac(self, kind: str, name: str, data: bytes) -> bytes:
        signed = self._signer(kind, name)
        signed.update(data)
        return signed.digest()

    def table(self, name: str, reader: Reader = dict) -> dict[Any, Any]:
        """The table as last saved, or empty unless this code wrote it with this key in the shape `reader` takes."""
        if name not in self.tables:
            self.tables[name] = self._load(name, reader)
        return self.tables[name]

    def replace(self, name: str, values: dict[Any, Any]) -> None:
        """Set a table; it is written by the next `save` only if it differs from what it was."""
        if values != self.tables.get(name):
            self.tables[name] = values
            self.changed.add(name)

    def _load(self, name: str, reader: Reader) -> dict[Any, Any]:
        data = self._read(f"{name}.json")
        if data is None or not data.startswith(_TABLE_HEADER):
            return {}
        mac, body = data[len(_TABLE_HEADER) : len(_TABLE_HEADER) + _MAC_SIZE], data[len(_TABLE_HEADER) + _MAC_SIZE :]
        if not hmac.compare_digest(mac, self._mac("table", f"{name}\0{CODE_STAMP}", body)):
            return {}
        try:
            values = reader(json.loads(body))
        except (ValueError, TypeError, KeyError, AttributeError):
            return {}
        return values if isinstance(values, dict) else {}

    def save(self) -> None:
        """Write the changed tables, each replaced whole; a table that cannot be written is left for the next build.

        A table is written as it is encoded, never held whole as text: the converted bodies of a large guide are
        some 50 MB, and their text and its bytes at once made the build's peak of memory.
        """
        for name in sorted(self.changed):
            self._write(f"{name}.json", partial(self._encode_table, name, self.tables[name]))
        self.changed.clear()

    def _encode_table(self, name: str, values: dict[Any, Any], file: IO[bytes]) -> None:
        """Header, signature and JSON, the signature written last into the room left for it."""
        signed = self._signer("table", f"{name}\0{CODE_STAMP}")
        file.write(_TABLE_HEADER + bytes(_MAC_SIZE))
        for chunk in _ENCODER.iterencode(values):
            data = chunk.encode()
            signed.update(data)
            file.write(data)
        file.seek(len(_TABLE_HEADER))
        file.write(signed.digest())

    def blob(self, name: str) -> bytes | None:
        """The bytes kept under `name` (a path such as `pdf/<digest>.pdf`), or None when there are none to trust."""
        data = self._read(name)
        if data is None or len(data) < _MAC_SIZE:
            return None
        mac, body = data[:_MAC_SIZE], data[_MAC_SIZE:]
        return body if hmac.compare_digest(mac, self._mac("blob", name, body)) else None

    def put_blob(self, name: str, data: bytes) -> None:
        """Keep `data` under `name`, signed; a blob that cannot be written is made again next time."""
        mac = self._mac("blob", name, data)
        self._write(name, lambda file: file.write(mac + data))

    def _read(self, name: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:  # missing, a folder in its place, unreadable
            return None

    def _write(self, name: str, write: Callable[[IO[bytes]], object]) -> None:
        """Replace the file `name` with what `write` writes into a new file, atomically."""
        if self.folder is None:
            return
        destination = self.folder / name
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}-", dir=destination.parent)
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                write(file)
            os.replace(temporary, destination)
        except OSError:  # a folder planted in its place, a full disk: the cache is only ever an aid
            Path(temporary).unlink(missing_ok=True)


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept between builds as signed blobs of the build cache.

    Compiled templates are Python code objects (`marshal`), the one thing in
    the cache that runs: a blob is unmarshalled only once its HMAC is found
    right, so only a build holding the key can have written it, and Jinja then
    checks it against the digest of the template's source. Blobs are kept under
    the code stamp, which names Jinja's version, as other Jinja may compile otherwise.
    """

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache

    def _name(self, bucket: jinja2.bccache.Bucket) -> str:
        return f"templates/{CODE_STAMP[:16]}/{bucket.key}"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.cache.blob(self._name(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put_blob(self._name(bucket), bucket.bytecode_to_string())
