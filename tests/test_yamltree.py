"""YAML read safely: lines of every key and value, YAML types kept, dangerous input refused."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.diagnostics import Diagnostics
from builder.source import read_document
from builder.yamltree import MAX_DEPTH, MAX_VALUES, parse_yaml

DOCUMENT = """\
title: Plank
count: 3
flag: no
when: 2026-01-02
clock: 10:00
ratio: 1.10
nothing:
muscles:
  primary: [a, b]
  secondary:
    - c
"""


def test_every_key_and_value_has_its_line_and_yaml_type() -> None:
    diagnostics = Diagnostics()
    root = parse_yaml(DOCUMENT, "f.yml", 1, diagnostics)
    assert root is not None and not diagnostics
    kinds = {key: (entry.line, entry.value.kind, entry.value.text) for key, entry in root.entries.items()}
    assert kinds == {
        "title": (1, "text", "Plank"),
        "count": (2, "whole number", "3"),
        "flag": (3, "boolean", "no"),
        "when": (4, "date", "2026-01-02"),
        "clock": (5, "whole number", "10:00"),
        "ratio": (6, "number", "1.10"),
        "nothing": (7, "null", ""),
        "muscles": (8, "mapping", ""),
    }
    muscles = root.entries["muscles"].value.entries
    assert [(item.value, item.line) for item in muscles["primary"].value.items] == [("a", 9), ("b", 9)]
    assert [(item.value, item.line) for item in muscles["secondary"].value.items] == [("c", 11)]


def test_first_line_offsets_every_line() -> None:
    root = parse_yaml("a: 1\nb: 2\n", "f.md", 5, Diagnostics())
    assert root is not None
    assert [entry.line for entry in root.entries.values()] == [5, 6]


def test_alias_expansion_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    diagnostics = Diagnostics()
    parse_yaml("\n".join(lines), "bomb.yml", 1, diagnostics)
    assert [str(d) for d in diagnostics.sorted()] == [
        # a0..a3 expand to 7,380 values together; a4 alone to 59,049, so its key is the one blamed
        f"bomb.yml:5: the YAML expands to more than {MAX_VALUES} values; remove the repeated aliases (*name)"
    ]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    diagnostics = Diagnostics()
    assert parse_yaml("a: " + "[" * 100 + "]" * 100, "deep.yml", 1, diagnostics) is None

    assert [str(d) for d in diagnostics.sorted()] == [
        f"deep.yml:1: the YAML is nested more than {MAX_DEPTH} levels deep"
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@` \n\t1.\ufeff\r")), max_size=120))
def test_any_front_matter_gives_a_document_or_diagnostics_never_an_exception(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "page.md"
    path.write_text(f"---\n{text}\n---\nbody\n", encoding="utf-8")
    diagnostics = Diagnostics()
    document = read_document(path, diagnostics)
    if document is None:
        assert diagnostics
    for diagnostic in diagnostics.items:
        assert diagnostic.line >= 1
        assert diagnostic.message
