"""`[[slug]]` links and `[[dose:slug]]` boxes are found with their file lines, and never inside code."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder.diagnostics import Diagnostics
from builder.links import find_links
from builder.validate import load_guide

BODY = """
Start with the [[plank]] and [[bird-dog|the bird dog]].
Inline `[[code-span]]` and ``double [[ticks]]`` are code.

```yaml
[[fenced]]
```

[[dose:plank]]

~~~~
[[tilde-fenced]]
~~~
[[still-fenced]]
~~~~
    [[indented-is-still-linked]]
Last: [[ spaced | Label ]] and [[]].
"""


def test_links_outside_code_with_their_lines() -> None:
    found = [(link.target, link.label, link.line) for link in find_links(BODY, body_line=7)]
    assert found == [
        ("plank", None, 8),
        ("bird-dog", "the bird dog", 8),
        ("dose:plank", None, 15),
        ("indented-is-still-linked", None, 22),
        ("spaced", "Label", 23),
        ("", None, 23),
    ]


def test_offsets_point_at_the_link_text() -> None:
    for link in find_links(BODY, 1):
        assert BODY[link.start : link.end].startswith("[[")
        assert BODY[link.start : link.end].endswith("]]")


@pytest.mark.parametrize(
    ("target", "is_dose_box", "slug"),
    [("plank", False, "plank"), ("dose:plank", True, "plank"), ("dose:", True, "")],
)
def test_dose_boxes_name_their_exercise(target: str, is_dose_box: bool, slug: str) -> None:
    (link,) = find_links(f"[[{target}]]", 1)
    assert (link.is_dose_box, link.slug) == (is_dose_box, slug)


def test_code_span_across_a_line_break_but_not_a_paragraph() -> None:
    body = "a `code\n[[inside]]` b\n\n`open\n\n[[outside]]` c"
    assert [link.target for link in find_links(body, 1)] == ["outside"]


def test_an_unclosed_fence_hides_the_rest() -> None:
    assert find_links("```\n[[a]]\n", 1) == []


def test_lines_stay_right_over_many_links() -> None:
    body = "".join(f"line {number} [[a]] [[b]]\n\n" for number in range(1_000))
    assert [link.line for link in find_links(body, 5)] == [5 + 2 * (n // 2) for n in range(2_000)]


def test_code_spans_that_never_close_are_masked_in_linear_time() -> None:
    """Every run of backticks a different length: each opener used to search the whole paragraph for its closer."""
    body = " ".join("`" * length for length in range(1, 1_000)) + " [[after]]"
    started = time.perf_counter()
    assert [link.target for link in find_links(body, 1)] == ["after"]
    assert time.perf_counter() - started < 0.5


def test_loading_time_grows_with_the_links_not_their_square(guide: Path) -> None:
    """Ten times the links may take ten times as long, not a hundred: a ratio measured in one run, so a busy
    machine slows both sides alike. The quickest of three runs each, as a benchmark would."""
    path = guide / "content/exercises/plank.md"
    original = path.read_text(encoding="utf-8")

    def quickest_load(count: int) -> float:
        links = "\n".join(f"Step {number}: see [[bird-dog]], not `[[code]]`." for number in range(count))
        path.write_text(original + links + "\n", encoding="utf-8")
        times = []
        for _ in range(3):
            diagnostics = Diagnostics()
            started = time.perf_counter()
            loaded = load_guide(guide / "content", diagnostics)
            times.append(time.perf_counter() - started)
            assert not diagnostics, diagnostics.sorted()[:3]
            assert loaded is not None
            assert loaded.exercises["plank"].links == ("bird-dog",)
        return min(times)

    ratio = quickest_load(50_000) / quickest_load(5_000)
    assert ratio < 30, ratio
