"""Bodies to HTML: no text an author writes is mistaken for the converter's own markers, and links stay linear."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.links import Link
from builder.markup import BodyConverter, anchor
from tests.conftest import Run


def _link(link: Link) -> str:
    return anchor(f"../{link.slug}/", link.label or link.slug.title())


def _box(slug: str) -> str:
    return f'<div class="dose-box">{slug}</div>'


def convert(body: str, trusted_html: bool = False) -> str:
    return BodyConverter(trusted_html).convert(body, _link, _box, str)


@pytest.mark.parametrize("trusted_html", [False, True], ids=["sanitised", "trusted"])
@pytest.mark.parametrize(
    "text",
    [
        "GUIDE-DOSE-BOX-0",
        "GUIDE-DOSE-BOX-7",
        "&#71;UIDE-DOSE-BOX-0",
        "GUIDE\\-DOSE\\-BOX\\-0",
        "GUIDE\x02-DOSE-BOX-0",
        "<p>GUIDE<!-- -->-DOSE-BOX-0</p>",
        "GUIDE<x-tag>-DOSE-BOX-0</x-tag>",
        "*[GUIDE]: an abbreviation",
    ],
)
def test_text_like_a_marker_is_only_text(text: str, trusted_html: bool) -> None:
    html = convert(f"{text}\n\n[[dose:plank]]\n\nAfter the [[plank]].", trusted_html)
    assert html.count('<div class="dose-box">') == 1
    assert html.endswith('<div class="dose-box">plank</div>\n<p>After the <a href="../plank/">Plank</a>.</p>')


def test_a_marker_alone_without_any_dose_box_is_a_paragraph() -> None:
    assert convert("GUIDE-DOSE-BOX-7") == "<p>GUIDE-DOSE-BOX-7</p>"


def test_dose_boxes_keep_their_order() -> None:
    html = convert("[[dose:plank]]\n\n[[dose:bird-dog]]\n\n- item\n\n    [[dose:side-plank]]")
    assert [part.split("<")[0] for part in html.split('class="dose-box">')[1:]] == ["plank", "bird-dog", "side-plank"]


def test_a_dose_box_inside_raw_html_is_written_in_not_shown_as_a_marker() -> None:
    html = convert("<div>\n[[dose:plank]]\n</div>", trusted_html=True)
    assert '<div class="dose-box">plank</div>' in html
    assert "GUIDE" not in html


def test_markdowns_own_placeholders_in_a_body_are_dropped_control_characters_and_all() -> None:
    """Python-Markdown deletes STX and ETX from its input, so `\\x02wzxhzdk:0\\x03` cannot reach its stash."""
    html = convert("<b>raw</b> \x02wzxhzdk:0\x03 \x02klzzwxh:0\x03 [[plank]]", trusted_html=True)
    assert html == '<p><b>raw</b> wzxhzdk:0 klzzwxh:0 <a href="../plank/">Plank</a></p>'


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("[[plank|*not* emphasis]]", '<p><a href="../plank/">*not* emphasis</a></p>'),
        ("## About [[plank]]", '<h2 id="about-plank">About <a href="../plank/">Plank</a></h2>'),
        (
            "| a |\n|---|\n| [[plank|one|two]] |",
            "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
            '<td><a href="../plank/">one|two</a></td>\n</tr>\n</tbody>\n</table>',
        ),
        ("<div>[[plank]]</div>", '<div><a href="../plank/">Plank</a></div>'),
    ],
    ids=["label", "heading", "table", "raw HTML"],
)
def test_links_are_written_in_whole_with_plain_text_labels(body: str, html: str) -> None:
    assert convert(body) == html


def test_the_cache_tells_apart_bodies_whose_links_are_written_differently() -> None:
    converter = BodyConverter(trusted_html=False)
    first = converter.convert("See [[plank]].", _link, _box, str)
    second = converter.convert("See [[plank]].", lambda link: anchor("../../plank/", "Plank"), _box, str)
    assert (first, second) == (
        '<p>See <a href="../plank/">Plank</a>.</p>',
        '<p>See <a href="../../plank/">Plank</a>.</p>',
    )
    assert converter.hits == 0
    assert converter.convert("See [[plank]].", _link, _box, str) == first
    assert converter.hits == 1


def test_many_links_in_one_paragraph_convert_in_linear_time() -> None:
    """Written into the source as HTML, 20,000 anchors took 14 s: Markdown copies the paragraph after each match."""
    body = "\n".join("See [[plank]] now." for _ in range(20_000))
    started = time.perf_counter()
    html = convert(body)
    assert time.perf_counter() - started < 3
    assert html.count('<a href="../plank/">Plank</a>') == 20_000


def test_a_build_with_marker_text_in_a_body_succeeds(guide: Path, run_guide: Callable[..., Run]) -> None:
    path = guide / "content/routines/core-basics.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nGUIDE-DOSE-BOX-7\n", encoding="utf-8")
    assert run_guide("check").code == 0
    result = run_guide("build", "--jobs", "1")
    assert result.code == 0, result.err
    page = (guide / "output/routines/core-basics/index.html").read_text(encoding="utf-8")
    assert "<p>GUIDE-DOSE-BOX-7</p>" in page
