"""`[[slug]]` links and `[[dose:slug]]` boxes are found with their file lines, and never inside code."""

from __future__ import annotations

import pytest

from builder.links import find_links

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
