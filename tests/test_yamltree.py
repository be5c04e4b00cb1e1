"""YAML read safely: lines of every key and value, YAML types kept, dangerous input refused."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.diagnostics import Diagnostics
from builder.source import read_document
from builder.yamltree import MAX_ALIAS_VALUES, MAX_DEPTH, MAX_VALUES, parse_yaml

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


def test_alias_expansion_is_bounded_and_refused_at_once() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    diagnostics = Diagnostics()
    started = time.perf_counter()
    assert parse_yaml("\n".join(lines), "bomb.yml", 1, diagnostics) is None
    assert time.perf_counter() - started < 1  # 9**9 values if expanded; about 20 ms refused
    assert [str(d) for d in diagnostics.sorted()] == [
        # the aliases of a1..a3 repeat 8,289 values together, those of a4 alone 66,429: its key is blamed
        f"bomb.yml:5: the aliases (*name) in the YAML repeat more than {MAX_ALIAS_VALUES} values; "
        "use fewer aliases, or write the values out"
    ]


def test_only_what_aliases_repeat_counts_against_the_alias_bound() -> None:
    written = "written: [" + ", ".join(["y"] * (2 * MAX_ALIAS_VALUES)) + "]\n"
    anchored = "anchored: &a [x]\n"

    def aliases(count: int) -> str:
        return "repeated: [" + ", ".join(["*a"] * count) + "]\n"

    # each *a repeats two values, the list and its x
    diagnostics = Diagnostics()
    root = parse_yaml(written + anchored + aliases(MAX_ALIAS_VALUES // 2), "f.yml", 1, diagnostics)
    assert root is not None and not diagnostics
    assert len(root.entries["repeated"].value.items) == MAX_ALIAS_VALUES // 2
    assert parse_yaml(written + anchored + aliases(MAX_ALIAS_VALUES // 2 + 1), "f.yml", 1, diagnostics) is None
    assert [str(d) for d in diagnostics.sorted()] == [
        f"f.yml:3: the aliases (*name) in the YAML repeat more than {MAX_ALIAS_VALUES} values; "
        "use fewer aliases, or write the values out"
    ]


def test_a_routine_of_ten_thousand_items_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    items = "".join(f"  - exercise-{n}\n" for n in range(10_000))
    path.write_text(f"---\ntitle: Long\nexercises:\n{items}---\nBody.\n", encoding="utf-8")
    diagnostics = Diagnostics()
    document = read_document(path, diagnostics)
    assert document is not None and not diagnostics
    exercises = document.front.entries["exercises"].value.items
    assert len(exercises) == 10_000
    assert (exercises[-1].value, exercises[-1].line) == ("exercise-9999", 10_003)


def test_a_taxonomy_of_five_thousand_muscles_is_read() -> None:
    muscles = "".join(f"  - id: muscle-{n}\n    name: Muscle {n}\n    region: core\n" for n in range(5_000))
    diagnostics = Diagnostics()
    root = parse_yaml(f"muscles:\n{muscles}", "taxonomy.yml", 1, diagnostics)
    assert root is not None and not diagnostics
    last = root.entries["muscles"].value.items[-1].entries["id"]
    assert (last.value.value, last.line) == ("muscle-4999", 14_999)


def test_a_document_too_large_is_refused_with_its_size_and_no_word_of_aliases() -> None:
    # the document, its title, its list and the items: two values more than the bound
    text = "title: Big\nitems: [" + ", ".join(["x"] * (MAX_VALUES - 1)) + "]\n"
    diagnostics = Diagnostics()
    assert parse_yaml(text, "big.yml", 1, diagnostics) is None
    assert [str(d) for d in diagnostics.sorted()] == [
        f"big.yml:2: the YAML holds {MAX_VALUES + 2} values, more than the {MAX_VALUES} one file may have; "
        "split it into smaller files"
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
