"""Reading content files: bytes to text, front matter split from the body, YAML with lines."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from builder.diagnostics import Diagnostics
from builder.files import CONTENT_FOLDER, contained
from builder.yamltree import Node, parse_yaml

__all__ = ["Document", "DocumentCache", "read_document", "read_text", "read_yaml_file"]

_FRONT_MATTER = YAMLHandler()


@dataclass(frozen=True)
class Document:
    """A Markdown file split in two; `body_line` is the file line the body's first line is on."""

    path: Path
    front: Node
    body: str
    body_line: int


def read_text(path: Path, diagnostics: Diagnostics, data: bytes | None = None) -> str | None:
    """The file (or its `data`, already read) as text with a byte-order mark dropped and line ends made `\\n`."""
    data = path.read_bytes() if data is None else data

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diagnostics.error(path, line, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})", "save it as UTF-8")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_yaml_file(path: Path, diagnostics: Diagnostics, what: str) -> Node | None:
    """A whole-file YAML mapping such as site.yml (`what` names it in messages), or None after an error.

    Such files lie at the top of the content folder; a link must stay inside it, as for every content file.
    """
    if not contained(path, path.parent, CONTENT_FOLDER, diagnostics):
        return None
    if not path.is_file():
        diagnostics.error(path, 1, f"{what} is missing", "run 'guide init' to start a guide")
        return None
    text = read_text(path, diagnostics)
    if text is None:
        return None
    node = parse_yaml(text, path, 1, diagnostics)
    return _require_mapping(node, path, "the file", diagnostics)


def read_document(path: Path, diagnostics: Diagnostics, data: bytes | None = None) -> Document | None:
    """A Markdown file with YAML front matter between `---` lines, or None after an error.

    python-frontmatter splits the file, but on its own it takes a missing or
    unterminated block as "no metadata" and reads YAML without lines, so the
    opening fence is checked here and the YAML is parsed by `parse_yaml`.
    """
    text = read_text(path, diagnostics, data)
    if text is None:
        return None
    if not text.strip():
        diagnostics.error(path, 1, "the file is empty", "start it with front matter between two '---' lines")
        return None
    opening = _FRONT_MATTER.FM_BOUNDARY.match(text)
    if opening is None:
        diagnostics.error(
            path, 1, "the file has no front matter", "start it with a '---' line, the YAML keys, and another '---' line"
        )
        return None
    try:
        yaml_text, body = _FRONT_MATTER.split(text)
    except ValueError:
        diagnostics.error(path, 1, "the front matter is not closed", "end it with a '---' line")
        return None
    first_line = text[: opening.end()].count("\n") + 1
    node = parse_yaml(yaml_text, path, first_line, diagnostics)
    front = _require_mapping(node, path, "the front matter", diagnostics)
    if front is None:
        return None
    front = front._replace(line=1)  # missing keys are reported at the opening fence
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return Document(path, front, body, body_line)


def _require_mapping(node: Node | None, path: Path, what: str, diagnostics: Diagnostics) -> Node | None:
    if node is None:
        return None
    if node.kind != "mapping":
        diagnostics.error(path, node.line, f"{what} must be a mapping of keys to values, found {node.describe()}")
        return None
    return node


class DocumentCache:
    """Parsed documents by path, so a long-running builder parses only the files that changed.

    Normally every file is read and its digest compared; once `only` names
    the paths a file watcher saw change, other files parsed before are
    taken as they were without reading them. Files with problems are never
    kept, so their problems are reported every time.
    """

    def __init__(self) -> None:
        self.table: dict[str, tuple[bytes, Document]] = {}
        self.only: set[str] | None = None
        """The absolute paths of the files a watcher saw change."""

    def read(self, path: Path, diagnostics: Diagnostics) -> Document | None:
        cached = self.table.get(str(path))
        if cached is not None and self.only is not None and os.path.abspath(path) not in self.only:
            return cached[1]
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if cached is not None and cached[0] == digest:
            return cached[1]
        problems = len(diagnostics)
        document = read_document(path, diagnostics, data)
        if document is not None and len(diagnostics) == problems:
            self.table[str(path)] = (digest, document)
        return document
