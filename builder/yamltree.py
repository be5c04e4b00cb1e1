"""YAML read safely into a tree that remembers the source line of every key and value.

PyYAML's composer gives nodes with positions and resolves nothing into objects;
building values from those nodes ourselves lets us refuse object tags, bound
alias expansion, report duplicate keys, and keep the YAML type of each scalar,
so `title: no` is reported as a boolean where text belongs instead of being
silently converted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import yaml
from yaml.constructor import SafeConstructor

from builder.diagnostics import Diagnostics

__all__ = ["MAX_ALIAS_VALUES", "MAX_DEPTH", "MAX_VALUES", "REFUSED", "Entry", "Node", "parse_yaml"]

MAX_DEPTH = 50
"""Nesting levels one document may have; front matter needs three."""
MAX_ALIAS_VALUES = 10_000
"""Values aliases (*name) may repeat in one document; a few anchors nested as aliases can otherwise ask for billions."""
MAX_VALUES = 100_000
"""Values one document may hold as written, an anchored value counted once however often aliases repeat it.

Well above what a taxonomy of 5,000 muscles (20,002 values) or a routine of
10,000 items each with a dose key and a note (40,003) holds, yet low enough
that a file at the bound is read in two or three seconds, not minutes.
"""

REFUSED = "refused"
"""The kind of a value already reported as unusable: its key counts as given, so no "missing" error follows."""

_TAG = "tag:yaml.org,2002:"
_SCALAR_KINDS = {
    f"{_TAG}str": "text",
    f"{_TAG}int": "whole number",
    f"{_TAG}float": "number",
    f"{_TAG}bool": "boolean",
    f"{_TAG}null": "null",
    f"{_TAG}timestamp": "date",
}
_CONSTRUCTOR = SafeConstructor()
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it: the same nodes and marks, several times faster."""


class Entry(NamedTuple):
    """A mapping key with its own line, which is where unknown or duplicate keys are reported.

    Named tuples rather than dataclasses: a guide holds a hundred thousand of these and the
    build cache loads them back, so they must be cheap to make.
    """

    key: str
    line: int
    value: Node


class Node(NamedTuple):
    """A YAML value: `kind` is a scalar kind, `list` or `mapping`; `text` is the scalar as written."""

    kind: str
    line: int
    value: object
    text: str = ""

    @property
    def items(self) -> list[Node]:
        assert self.kind == "list"
        return self.value  # type: ignore[return-value]

    @property
    def entries(self) -> dict[str, Entry]:
        assert self.kind == "mapping"
        return self.value  # type: ignore[return-value]

    def describe(self) -> str:
        """How messages name what was found, e.g. `a boolean (no)`."""
        if self.kind == "list":
            return "a list"
        if self.kind == "mapping":
            return "a mapping"
        if self.kind == "text":
            return f"text ({self.text})"
        article = "an" if self.kind[0] in "aeiou" else "a"
        return f"{article} {self.kind} ({self.text})"


class _Unreadable(Exception):
    """A document too large, too deep or too repetitive to take: rejected whole, reported once at its top-level key."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class _TreeBuilder:
    """Turns composed PyYAML nodes into `Node`s, reporting problems instead of raising."""

    def __init__(self, root: yaml.Node, path: Path | str, first_line: int, diagnostics: Diagnostics) -> None:
        self.root = root
        self.path = path
        self.first_line = first_line
        self.diagnostics = diagnostics
        self.built: set[int] = set()
        """The ids of the composed nodes built once: the composer gives every alias of an anchor the same node."""
        self.written = MAX_VALUES
        self.repeated = MAX_ALIAS_VALUES
        self.top_line = first_line

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def error(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.path, self.line_of(node), message, hint)

    def count(self, node: yaml.Node) -> None:
        """Charges a value to what was written or to what an alias repeats, so that each limit blames its own cause."""
        if id(node) in self.built:
            self.repeated -= 1
            if self.repeated < 0:
                raise _Unreadable(
                    f"the aliases (*name) in the YAML repeat more than {MAX_ALIAS_VALUES} values",
                    "use fewer aliases, or write the values out",
                )
            return
        self.built.add(id(node))
        self.written -= 1
        if self.written < 0:
            raise _Unreadable(
                f"the YAML holds {_values_written(self.root)} values, more than the {MAX_VALUES} one file may have",
                "split it into smaller files",
            )

    def build(self, node: yaml.Node, depth: int = 0) -> Node:
        self.count(node)
        if depth > MAX_DEPTH:
            raise _Unreadable(f"the YAML is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag != f"{_TAG}seq":
            return self.bad_tag(node)
        items = [self.build(item, depth + 1) for item in node.value]
        return Node("list", self.line_of(node), [item for item in items if item.kind != REFUSED])

    def bad_tag(self, node: yaml.Node) -> Node:
        tag = node.tag.replace(_TAG, "!!")
        self.error(node, f"the YAML tag {tag} is not allowed", "write plain text, numbers, lists and mappings")
        return Node(REFUSED, self.line_of(node), None)

    def scalar(self, node: yaml.ScalarNode) -> Node:
        kind = _SCALAR_KINDS.get(node.tag)
        if kind is None:
            return self.bad_tag(node)
        try:
            value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (ValueError, yaml.YAMLError):
            kind, value = "text", node.value
        if isinstance(value, dt.datetime) and kind == "date":
            kind = "date and time"
        return Node(kind, self.line_of(node), value, node.value)

    def mapping(self, node: yaml.MappingNode, depth: int) -> Node:
        if node.tag != f"{_TAG}map":
            return self.bad_tag(node)
        entries: dict[str, Entry] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_TAG}merge":
                self.error(key_node, "merge keys (<<) are not supported", "write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != f"{_TAG}str":
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a list or mapping"
                self.error(key_node, f"a key must be text, found {shown}", "put the key in quotes")
                continue
            key = key_node.value
            if key in entries:
                first = entries[key].line
                self.error(key_node, f"duplicate key '{key}' (first given at line {first})", "keep one of them")
                continue
            if node is self.root:
                self.top_line = self.line_of(key_node)
            entries[key] = Entry(key, self.line_of(key_node), self.build(value_node, depth + 1))
        return Node("mapping", self.line_of(node), entries)


def _values_written(root: yaml.Node) -> int:
    """The values of a composed document, each anchored one once: how large the file is, for its message."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return len(seen)


def parse_yaml(text: str, path: Path | str, first_line: int, diagnostics: Diagnostics) -> Node | None:
    """Parse one YAML document whose first line is `first_line` of the file; None after an error."""
    try:
        composed = yaml.compose(text, Loader=_LOADER)

    except yaml.MarkedYAMLError as exc:
        diagnostics.error(path, *_syntax_error(exc, first_line))
        return None
    except yaml.YAMLError as exc:
        diagnostics.error(path, first_line, f"YAML error: {exc}")
        return None
    except RecursionError:
        diagnostics.error(path, first_line, f"the YAML is nested more than {MAX_DEPTH} levels deep")
        return None
    if composed is None:
        return Node("mapping", first_line, {})
    builder = _TreeBuilder(composed, path, first_line, diagnostics)
    try:
        return builder.build(composed)
    except _Unreadable as problem:
        diagnostics.error(path, builder.top_line, problem.message, problem.hint)
        return None


_UNCLOSED = {
    "while parsing a flow sequence": "the list opened with '[' here is not closed",
    "while parsing a flow mapping": "the mapping opened with '{' here is not closed",
    "while scanning a quoted scalar": "the quotes opened here are not closed",
}


def _syntax_error(exc: yaml.MarkedYAMLError, first_line: int) -> tuple[int, str, str]:
    """Line, message and hint; something left open is reported where it was opened, not where the parser gave up."""

    problem = exc.problem or "invalid YAML"
    problem_line = first_line + exc.problem_mark.line if exc.problem_mark else first_line
    unclosed = _UNCLOSED.get(exc.context or "")
    if unclosed and exc.context_mark is not None:
        message = f"YAML syntax error: {unclosed} ({problem} at line {problem_line})"
        return first_line + exc.context_mark.line, message, ""

    return problem_line, f"YAML syntax error: {problem}", _QUOTE_HINT


_QUOTE_HINT = "put a value in quotes if it starts with * & ! % @ ` [ { or holds ': '"
