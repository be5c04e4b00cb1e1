"""Bodies nested deeper than Markdown can parse are a content error at their line, in check and build alike."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from builder import validate
from builder.markup import BodyConverter, MarkdownTooDeep
from builder.nesting import MAX_DEPTH, too_deep
from tests.conftest import Run

SHAPES: dict[str, Callable[[int], str]] = {
    "indented lists": lambda depth: "\n".join("    " * level + "- item" for level in range(depth)),
    "ordered lists": lambda depth: "\n".join("    " * level + "1. item" for level in range(depth)),
    "lists on one line": lambda depth: "- " * depth + "item",
    "quotes": lambda depth: "> " * depth + "quoted",
    "quotes without spaces": lambda depth: ">" * depth + "quoted",
    "lists in a quote": lambda depth: "\n".join("> " + "    " * level + "- item" for level in range(depth - 1)),
    "definition lists": lambda depth: "\n".join(
        "    " * level + "term\n" + "    " * level + ": x" for level in range(depth)
    ),
    "emphasis": lambda depth: "*" * depth + "x" + "*" * depth,
    "emphasis by words": lambda depth: "*a " * depth + "x" + " a*" * depth,
    "emphasis across lines": lambda depth: "_a\n" * depth + "x" + "\na_" * depth,
    "markdown HTML blocks": lambda depth: '<div markdown="1">' * depth + "x" + "</div>" * depth,
    "markdown HTML blocks by line": lambda depth: "\n".join(
        ['<section markdown="block">'] * depth + ["", "x", ""] + ["</section>"] * depth
    ),
}


TOO_DEEP = 300
"""Lists Python-Markdown cannot parse at the usual recursion limit (it gives up after about 250 levels);
deeper ones take it much longer to give up on (25 s for 1,000)."""


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_the_limit_is_allowed_and_one_level_more_is_reported_at_its_line(shape: Callable[[int], str]) -> None:
    assert too_deep(shape(MAX_DEPTH)) is None
    deeper = shape(MAX_DEPTH + 1)
    line = too_deep(deeper)
    assert line is not None
    assert deeper.split("\n")[line].strip()


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_a_body_at_the_limit_converts_with_stack_to_spare(shape: Callable[[int], str]) -> None:
    converter = BodyConverter(trusted_html=False)

    def convert_below(frames: int) -> str:
        if frames:
            return convert_below(frames - 1)
        return converter.convert(shape(MAX_DEPTH), str, str, str)

    assert convert_below(sys.getrecursionlimit() // 3)


@pytest.mark.parametrize(
    "body",
    [
        "- a\n    - b\n        - c\n\n> quote\n> > inner\n\n**bold** and *em* and __init__ and snake_case_name",
        "```\n" + "- " * 500 + "\n```\n" + "`" + "*" * 500 + "`",
        "2 * 3 * 4 " * 500,
        "\n".join("- *unclosed item" for _ in range(500)),
        "\n\n".join("*open paragraph" for _ in range(500)),
        "<div>" * 500 + "raw HTML is not parsed by Markdown" + "</div>" * 500,
        '<div markdown="1">\n<div>\n</div>\n</div>\n' * 500,
        "<br>" * 500 + "<img src=x>" * 500,
    ],
    ids=["ordinary", "code", "arithmetic", "list items", "paragraphs", "raw HTML", "closed blocks", "void tags"],
)
def test_ordinary_bodies_are_not_too_deep(body: str) -> None:
    assert too_deep(body) is None


def _nest_in_plank(guide: Path, nested: str) -> int:
    """Appends `nested` to the plank's body; returns the file line of its first line."""
    path = guide / "content/exercises/plank.md"
    text = path.read_text(encoding="utf-8") + "\n"
    path.write_text(text + nested + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_check_and_build_report_a_thousand_nested_lists_at_the_line_too_deep(
    guide: Path, run_guide: Callable[..., Run]
) -> None:
    first = _nest_in_plank(guide, SHAPES["indented lists"](1000))
    expected = [
        f"content/exercises/plank.md:{first + MAX_DEPTH}: the body nests more than {MAX_DEPTH} levels deep;"
        " flatten the lists, quotes, emphasis or HTML blocks nested here",
        "guide: 1 error",
    ]
    for command in ("check", "build"):
        result = run_guide(command)
        assert (result.code, result.err_lines) == (1, expected), command
        assert "Traceback" not in result.out + result.err
    assert not (guide / "output").exists()


def test_build_reports_what_the_scan_missed_at_the_body(
    guide: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The converter's own limit is the backstop for any shape the scan does not count."""
    monkeypatch.setattr(validate, "too_deep", lambda body: None)
    lines = (guide / "content/exercises/plank.md").read_text(encoding="utf-8").split("\n")
    body_line = lines.index("---", 1) + 2
    _nest_in_plank(guide, SHAPES["indented lists"](TOO_DEEP))
    result = run_guide("build", "--jobs", "1")
    assert result.err_lines == [
        f"content/exercises/plank.md:{body_line}: the body nests too deeply for Markdown to convert;"
        " flatten its lists, quotes, emphasis or HTML blocks",
        "guide: 1 error",
    ]
    assert result.code == 1
    assert "Traceback" not in result.out + result.err


def test_the_converter_works_on_after_a_body_too_deep() -> None:
    converter = BodyConverter(trusted_html=True)
    with pytest.raises(MarkdownTooDeep):
        converter.convert(SHAPES["indented lists"](TOO_DEEP), str, str, str)
    assert (
        converter.convert("- a\n    - *b*", str, str, str)
        == "<ul>\n<li>a<ul>\n<li><em>b</em></li>\n</ul>\n</li>\n</ul>"
    )
