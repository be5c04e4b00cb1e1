"""Typed reads from one YAML mapping, each problem reported at the line of its key or value.

Written by hand rather than with a schema library because every message must
carry the line of its node and name the YAML type that was found (`title: no`
is a boolean, `10:00` a number), which a schema library's messages do not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from pathlib import Path

from slugify import slugify

from builder.diagnostics import Diagnostics, did_you_mean
from builder.yamltree import REFUSED, Entry, Node

__all__ = ["SLUG", "Fields", "slug_hint"]

_DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""What a slug, id or tag may be: it becomes part of a URL as it is."""


def slug_hint(text: str) -> str:
    """The slug `text` comes closest to, as a hint; nothing when it has no letter or digit to make one from.

    Every message it goes with already says what a slug is made of, so there is nothing more to say then.
    """
    suggestion = slugify(text)
    return f"did you mean '{suggestion}'?" if suggestion else ""


class Fields:
    """Reads the keys of one mapping; `finish()` reports every key nobody asked for."""

    def __init__(self, node: Node, path: Path, diagnostics: Diagnostics, known: Collection[str]) -> None:
        self.node = node
        self.path = path
        self.diagnostics = diagnostics
        self.known = known
        self.entries: dict[str, Entry] = node.entries

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.path, line, message, hint)

    def finish(self) -> None:
        for key, entry in self.entries.items():
            if key not in self.known:
                self.error(entry.line, f"unknown key '{key}'", did_you_mean(key, self.known) or _allowed(self.known))

    def line(self, key: str) -> int:
        """The line of a key, or of the mapping itself when the key is missing."""
        entry = self.entries.get(key)
        return entry.line if entry else self.node.line

    def _get(self, key: str, required: bool) -> Node | None:
        entry = self.entries.get(key)
        if entry is None:
            if required:
                self.error(self.node.line, f"missing required key '{key}'")
            return None
        if entry.value.kind == REFUSED:
            return None
        if entry.value.kind == "null":
            if required:
                self.error(entry.line, f"'{key}' is empty")
            return None
        return entry.value

    def _expect(self, key: str, node: Node, expected: str, hint: str = "") -> None:
        self.error(node.line, f"{self._name(key, node)} must be {expected}, found {node.describe()}", hint)

    def _name(self, key: str, node: Node) -> str:
        """How a message names `node`: the key when it is the key's value, else one item of the key's list.

        A list's items are read with the same calls as single values, here and
        in the routine reader, so the node itself tells which it is; a scalar
        given where a list belongs is the key's value and is named as the key.
        """
        entry = self.entries.get(key)
        return f"'{key}'" if entry is not None and entry.value is node else f"an item of '{key}'"

    def text(self, key: str, required: bool = False, max_length: int | None = None, default: str = "") -> str:
        node = self._get(key, required)
        if node is None:
            return default
        return self.text_of(key, node, max_length) or default

    def text_of(self, key: str, node: Node, max_length: int | None = None) -> str | None:
        """A scalar that must be written as text; other YAML types are named, never converted."""
        if node.kind != "text":
            hint = f'put it in quotes: "{node.text}"' if node.kind not in ("list", "mapping") else ""
            self._expect(key, node, "text", hint)
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node.line, f"{self._name(key, node)} is empty")
            return None
        if max_length is not None and len(value) > max_length:
            message = f"{self._name(key, node)} is {len(value)} characters long, more than {max_length}"
            self.error(node.line, message, "shorten it")
            return None
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        node = self._get(key, False)
        if node is None:
            return default
        if node.kind != "boolean":
            self._expect(key, node, "true or false")
            return default
        return bool(node.value)

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        node = self._get(key, False)
        if node is None:
            return default
        value = node.value
        if node.kind != "whole number" or not isinstance(value, int):
            self._expect(key, node, "a whole number")
            return default
        if not low <= value <= high:
            self.error(node.line, f"'{key}' must be from {low} to {high}, not {value}")
            return default
        return value

    def choice(self, key: str, options: Collection[str], default: str | None = None) -> str:
        """One of a fixed set of words, or one of a vocabulary's ids."""
        node = self._get(key, default is None)
        if node is None:
            return default or ""
        value = self.text_of(key, node)
        return value if value is not None and self._known(key, node, value, options) else default or ""

    def _known(self, what: str, node: Node, value: str, options: Collection[str]) -> bool:
        """Whether `value` is one of `options`; an error with the closest ones when not."""
        if value not in options:
            self.error(node.line, f"unknown {what} '{value}'", did_you_mean(value, options) or _allowed(options))
        return value in options

    def choice_list(self, key: str, options: Collection[str], what: str) -> tuple[str, ...]:
        """Words from a fixed set, as a list; each unknown word is reported at its own line, named `what`."""
        values = ((item, self.text_of(key, item)) for item in self.list_nodes(key))
        return tuple(value for item, value in values if value is not None and self._known(what, item, value, options))

    def date(self, key: str) -> dt.date | None:
        node = self._get(key, True)
        if node is None:
            return None
        if node.kind == "date":
            return node.value  # type: ignore[return-value]
        if node.kind == "text":
            try:
                return dt.date.fromisoformat(str(node.value).strip())
            except ValueError as error:
                if _DATE_SHAPE.fullmatch(str(node.value).strip()):
                    self.error(node.line, f"'{key}' is not a valid date ({node.text}): {error}")
                    return None
        self._expect(key, node, "a date such as 2026-03-14")
        return None

    def mapping(self, key: str, known: Collection[str], required: bool = False) -> Fields | None:
        node = self._get(key, required)
        if node is None:
            return None
        if node.kind != "mapping":
            self._expect(key, node, "a mapping of keys to values")
            return None
        return Fields(node._replace(line=self.line(key)), self.path, self.diagnostics, known)

    def list_nodes(self, key: str, required: bool = False) -> list[Node]:
        """The items of a list; a single scalar is taken as a list of one, as authors often write."""
        node = self._get(key, required)
        if node is None:
            return []
        items = node.items if node.kind == "list" else [node]
        if required and not items:
            self.error(node.line, f"'{key}' needs at least one item")
        return items

    def texts(self, key: str, max_length: int | None = None) -> tuple[str, ...]:
        values = (self.text_of(key, item, max_length) for item in self.list_nodes(key))
        return tuple(value for value in values if value is not None)

    def slugs(self, key: str) -> list[tuple[str, int]]:
        """Slug-shaped words with their lines: tags, and references checked later."""
        found = []
        for item in self.list_nodes(key):
            value = self.text_of(key, item)
            if value is None:
                continue
            if not SLUG.fullmatch(value):
                self.error(
                    item.line,
                    f"'{value}' in '{key}' is not a valid name: use lowercase letters, digits and hyphens",
                    slug_hint(value),
                )
                continue
            found.append((value, item.line))
        return found

    def ids(self, key: str, vocabulary: Mapping[str, object], what: str, required: bool = False) -> tuple[str, ...]:
        """Ids that must exist in a vocabulary, each listed once."""
        found: list[str] = []
        for item in self.list_nodes(key, required):
            value = self.text_of(key, item)
            if value is None:
                continue
            if value not in vocabulary:
                self.error(
                    item.line, f"unknown {what} '{value}'", did_you_mean(value, vocabulary) or _allowed(vocabulary)
                )
            elif value in found:
                self.error(item.line, f"{what} '{value}' is listed twice in '{key}'")
            else:
                found.append(value)
        return tuple(found)


def _allowed(options: Collection[str]) -> str:
    if not options:
        return ""
    shown = sorted(options)
    more = f" and {len(shown) - 12} more" if len(shown) > 12 else ""
    return "expected one of " + ", ".join(f"'{o}'" for o in shown[:12]) + more
