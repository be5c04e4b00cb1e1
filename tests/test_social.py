"""Sharing: the generated 1200 x 630 card, the head's canonical, Open Graph and Twitter tags, and JSON-LD.

The guide is the fixture guide read by `load_guide`; main images are given
as model values, so these tests need no published media files.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFont

from builder.crossref import cross_index
from builder.diagnostics import Diagnostics
from builder.dose import Dose, Span, format_estimate
from builder.media import Attribution, Format, Picture, Rendition
from builder.model import Guide, Page
from builder.pages import plan_pages
from builder.probe import MediaProblem
from builder.render import Renderer
from builder.social import (
    HEIGHT,
    TEXT_WIDTH,
    TITLE_SIZES,
    WIDTH,
    ShareCard,
    draw_share_image,
    find_fonts,
    fit_text,
    share_card,
    share_cards,
)
from builder.structured import iso_duration, json_ld
from builder.theme import theme_folders
from builder.validate import load_guide
from builder.words import ENGLISH
from tests import mediafiles
from tests.conftest import BASE_GUIDE

BASE_URL = "https://example.org/test/"
FOLDERS = theme_folders(None)
LICENSE_URL = "https://spdx.org/licenses/CC-BY-4.0.html"
NO_CREDIT = Attribution()
TITLE_80 = "Back and hip strength for runners who sit all day at a desk and want to run fast"


@pytest.fixture(scope="module")
def base() -> Guide:
    guide = load_guide(BASE_GUIDE / "content", Diagnostics())
    assert guide is not None
    assert guide.settings.base_url == BASE_URL
    return guide


def picture(
    source: Path,
    width: int = 1200,
    height: int = 1600,
    extension: str = "jpeg",
    attribution: Attribution = NO_CREDIT,
) -> Picture:
    """A main image as the media reader makes one, published as WebP and `extension` at 480 and 960 pixels."""

    def renditions(name: str) -> tuple[Rendition, ...]:
        return tuple(Rendition(f"media/photo.0123456789ab.{w}.{name}", w, w * height // width) for w in (480, 960))

    return Picture(
        source=source,
        line=3,
        alt="A runner holding a plank on a mat",
        decorative=False,
        width=width,
        height=height,
        alpha=False,
        formats=(Format("webp", renditions("webp")), Format(extension, renditions(extension))),
        attribution=attribution,
        key="0123456789ab" + "c" * 52,
    )


def with_page(guide: Guide, page: Page) -> Guide:
    """The guide with one exercise, routine or article replaced."""
    kind = {"Exercise": "exercises", "Routine": "routines", "Article": "articles"}[type(page).__name__]
    pages = {**getattr(guide, kind), page.slug: page}
    return dataclasses.replace(guide, **{kind: pages})


def without_base_url(guide: Guide) -> Guide:
    return dataclasses.replace(guide, settings=dataclasses.replace(guide.settings, base_url=""))


def render(guide: Guide, path: str) -> str:
    plans = {plan.path: plan for plan in plan_pages(guide, cross_index(guide))}
    return Renderer(guide, FOLDERS).render(plans[path]).decode()


class Head(HTMLParser):
    """The `<meta>` and `<link>` tags of a page and the text of each JSON-LD script, as a crawler reads them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.scripts: list[str] = []
        self.in_json = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values["content"]
        if tag == "link":
            self.links[values["rel"]] = values["href"]
        self.in_json = tag == "script" and values.get("type") == "application/ld+json"
        if self.in_json:
            self.scripts.append("")

    def handle_data(self, data: str) -> None:
        if self.in_json:
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self.in_json = False

    @property
    def json_ld(self) -> dict[str, dict[str, Any]]:
        """Every block parsed, by its `@type`."""
        found = [json.loads(text) for text in self.scripts]
        by_type = {item["@type"]: item for item in found}
        assert len(by_type) == len(found), "one block of each type"
        return by_type


# The share image


def segments(data: bytes) -> list[str]:
    """The chunk types of a PNG, or the kinds of segment before a JPEG's image data (`APP1` holds EXIF or XMP)."""
    if data.startswith(b"\x89PNG"):
        found, offset = [], 8
        while offset < len(data):
            length = int.from_bytes(data[offset : offset + 4], "big")
            found.append(data[offset + 4 : offset + 8].decode())
            offset += length + 12
        return found
    names = {0xE0: "JFIF", 0xDB: "DQT", 0xC0: "SOF", 0xC2: "SOF", 0xC4: "DHT", 0xDA: "SOS"}
    found, offset = [], 2
    while True:
        marker = data[offset + 1]
        found.append(names.get(marker, f"{marker:02X}"))
        if marker == 0xDA:
            return found
        offset += 2 + int.from_bytes(data[offset + 2 : offset + 4], "big")


@pytest.mark.parametrize("source", ["photo", "transparent", "svg", "none"])
def test_share_image_is_1200_by_630_with_no_metadata(base: Guide, tmp_path: Path, source: str) -> None:
    fonts = find_fonts(FOLDERS)
    main = None
    if source == "photo":
        mediafiles.rotated_jpeg(tmp_path / "rotated.jpg")
        main = picture(tmp_path / "rotated.jpg", 1200, 1600)
    elif source == "transparent":
        mediafiles.alpha_png(tmp_path / "alpha.png")
        main = picture(tmp_path / "alpha.png", 800, 600, "png")
    elif source == "svg":
        (tmp_path / "figure.svg").write_text(mediafiles.SVG)
        main = dataclasses.replace(
            picture(tmp_path / "figure.svg"), formats=(Format("svg", (Rendition("media/f.svg", 400, 250),)),)
        )
    card = ShareCard("exercise", "Exercise", "plank", "Test Guide", "Plank", "5-10 x 60 s hold", main, fonts)

    data = draw_share_image(card)

    assert card.extension == ("jpeg" if source in ("photo", "transparent") else "png")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == card.extension.upper()
        assert image.size == (WIDTH, HEIGHT)
        assert not image.getexif()
        if source == "photo":
            # The photo's red corner is its top left as stored; turned upright it is the top right of the card.
            red, green, blue = image.convert("RGB").getpixel((WIDTH - 10, 10))
            assert red > 200 and green < 60 and blue < 60
    assert set(segments(data)) <= {"IHDR", "PLTE", "IDAT", "IEND", "JFIF", "DQT", "SOF", "DHT", "SOS"}
    assert mediafiles.MAKER.encode() not in data


def test_share_image_of_a_picture_that_will_not_decode_is_a_media_problem(tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    card = ShareCard(
        "exercise",
        "Exercise",
        "plank",
        "Guide",
        "Plank",
        "30 s hold",
        picture(tmp_path / "broken.jpg"),
        find_fonts(FOLDERS),
    )
    with pytest.raises(MediaProblem, match="cannot be read"):
        draw_share_image(card)


def test_an_80_character_title_wraps_to_three_lines_inside_the_text_column() -> None:
    bold = find_fonts(FOLDERS).bold
    assert len(TITLE_80) == 80

    size, lines = fit_text(TITLE_80, bold, TEXT_WIDTH, 3, TITLE_SIZES)

    assert len(lines) <= 3
    assert " ".join(lines) == TITLE_80, "nothing is cut from a title of the longest length allowed"
    font = ImageFont.truetype(str(bold), size)
    assert all(font.getlength(line) <= TEXT_WIDTH for line in lines)


def test_a_short_title_is_drawn_large_and_a_longer_one_shrinks() -> None:
    bold = find_fonts(FOLDERS).bold
    assert fit_text("Plank", bold, TEXT_WIDTH, 3, TITLE_SIZES) == (TITLE_SIZES[0], ["Plank"])
    assert fit_text(TITLE_80, bold, TEXT_WIDTH, 3, TITLE_SIZES)[0] < TITLE_SIZES[0]


@pytest.mark.parametrize(
    "text", ["word " * 60, "W" * 200, "Pneumonoultramicroscopicsilicovolcanoconiosis " * 4], ids=["words", "one", "mix"]
)
def test_text_too_long_for_the_card_is_cut_with_an_ellipsis_inside_the_column(text: str) -> None:
    bold = find_fonts(FOLDERS).bold
    size, lines = fit_text(text, bold, TEXT_WIDTH, 3, TITLE_SIZES)
    font = ImageFont.truetype(str(bold), size)
    assert size == TITLE_SIZES[-1]
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(font.getlength(line) <= TEXT_WIDTH for line in lines)


def test_every_exercise_routine_and_article_has_a_card_named_by_all_it_is_drawn_from(base: Guide) -> None:
    cards = share_cards(base, FOLDERS)
    assert sorted(card.kind + "-" + card.slug for card in cards.values()) == [
        "article-hello",
        "exercise-bird-dog",
        "exercise-plank",
        "routine-core-basics",
    ]
    assert all(re.fullmatch(r"social/[a-z-]+\.[0-9a-f]{12}\.png", path) for path in cards)
    assert {card.subtitle for card in cards.values()} >= {"5-10 x 60 s hold", "15 January 2026"}
    routine = base.routines["core-basics"]
    assert share_card(routine, base.settings, find_fonts(FOLDERS), ENGLISH).subtitle == format_estimate(
        routine.estimate
    )

    plank = base.exercises["plank"]
    fonts = find_fonts(FOLDERS)
    path = share_card(plank, base.settings, fonts, ENGLISH).path
    renamed = dataclasses.replace(plank, title="Front plank")
    assert share_card(renamed, base.settings, fonts, ENGLISH).path != path
    other_site = dataclasses.replace(base.settings, title="Another guide")
    assert share_card(plank, other_site, fonts, ENGLISH).path != path
    other_fonts = dataclasses.replace(fonts, digest="0" * 64)
    assert share_card(plank, base.settings, other_fonts, ENGLISH).path != path
    with_photo = share_card(dataclasses.replace(plank, media=(picture(Path("p.jpg")),)), base.settings, fonts, ENGLISH)
    assert with_photo.path.endswith(".jpeg")


def test_a_theme_replaces_the_card_font_file_by_file(tmp_path: Path) -> None:
    default = find_fonts(FOLDERS)
    (tmp_path / "fonts").mkdir()
    shutil.copy(default.regular, tmp_path / "fonts" / default.bold.name)

    local = find_fonts(theme_folders(tmp_path))

    assert local.bold == (tmp_path / "fonts" / default.bold.name).resolve()
    assert local.regular == default.regular
    assert local.digest != default.digest


# The head: canonical link, Open Graph and Twitter card tags


def test_og_image_is_the_path_of_the_pages_share_card(base: Guide) -> None:
    cards = share_cards(base, FOLDERS)
    for path, slug in [("exercises/plank/", "plank"), ("routines/core-basics/", "core-basics")]:
        head = Head(render(base, path))
        image = head.meta["og:image"]
        assert image.startswith(BASE_URL)
        assert cards[image.removeprefix(BASE_URL)].slug == slug
        assert head.meta["twitter:image"] == image
        assert head.meta["twitter:card"] == "summary_large_image"
        assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
        assert head.meta["og:image:alt"] == head.meta["twitter:image:alt"] != ""


def test_pages_have_a_canonical_link_and_sharing_tags_with_absolute_urls(base: Guide) -> None:
    head = Head(render(base, "exercises/plank/"))
    assert head.links["canonical"] == BASE_URL + "exercises/plank/"
    assert head.meta["og:url"] == BASE_URL + "exercises/plank/"
    assert head.meta["og:site_name"] == "Test Guide"
    assert head.meta["og:title"] == head.meta["twitter:title"] == "Plank"
    assert head.meta["og:description"] == head.meta["twitter:description"] == "Hold a straight line on the elbows."
    assert head.meta["og:type"] == "website"
    assert head.meta["og:locale"] == "en"

    article = Head(render(base, "articles/hello/"))
    assert article.meta["og:type"] == "article"
    assert article.meta["article:published_time"] == "2026-01-15"

    home = Head(render(base, ""))
    assert home.links["canonical"] == BASE_URL
    assert home.meta["og:description"] == base.settings.description
    assert home.meta["twitter:card"] == "summary"
    assert "og:image" not in home.meta


def test_without_base_url_there_is_no_canonical_sharing_tag_or_json_ld(base: Guide) -> None:
    guide = without_base_url(base)
    for path in ["", "exercises/plank/", "articles/hello/", "routines/core-basics/"]:
        html = render(guide, path)
        assert 'rel="canonical"' not in html
        assert "og:" not in html and "twitter:" not in html
        assert "application/ld+json" not in html


def test_every_page_renders_and_the_404_page_claims_no_address(base: Guide) -> None:
    for guide in (base, without_base_url(base)):
        renderer = Renderer(guide, FOLDERS)
        for plan in plan_pages(guide, cross_index(guide)):
            html = renderer.render(plan).decode()
            if plan.path == "404.html":
                assert 'rel="canonical"' not in html and "og:" not in html


# JSON-LD


def test_an_exercise_is_an_exercise_plan_with_repetitions_and_rest(base: Guide) -> None:
    plank = base.exercises["plank"]
    dose = Dose(sets=Span(3, 3), reps=Span(12, 15), rest=Span(30, 30))
    guide = with_page(base, dataclasses.replace(plank, prescription=dose))

    plan = Head(render(guide, "exercises/plank/")).json_ld["ExercisePlan"]

    assert plan["@context"] == "https://schema.org"
    assert plan["name"] == "Plank"
    assert plan["description"] == "Hold a straight line on the elbows."
    assert plan["url"] == BASE_URL + "exercises/plank/"
    assert plan["exerciseType"] == base.taxonomy.regions[plank.region].name
    assert plan["repetitions"] == {"@type": "QuantitativeValue", "minValue": 12, "maxValue": 15}
    assert plan["restPeriods"] == "PT30S"
    assert plan["additionalVariable"] == "3 x 12-15 reps, 30 s rest"
    assert "activityDuration" not in plan


def test_a_timed_exercise_gives_its_duration_and_a_single_count_is_a_number(base: Guide) -> None:
    plank = base.exercises["plank"]
    assert Head(render(base, "exercises/plank/")).json_ld["ExercisePlan"]["activityDuration"] == "PT1M"
    guide = with_page(base, dataclasses.replace(plank, prescription=Dose(reps=Span(10, 10), rest=Span(20, 45))))
    plan = Head(render(guide, "exercises/plank/")).json_ld["ExercisePlan"]
    assert plan["repetitions"] == 10
    assert plan["restPeriods"] == {"@type": "QuantitativeValue", "minValue": 20, "maxValue": 45, "unitCode": "SEC"}


def test_a_routine_is_an_exercise_plan_lasting_its_estimate(base: Guide) -> None:
    routine = base.routines["core-basics"]
    plan = Head(render(base, "routines/core-basics/")).json_ld["ExercisePlan"]
    assert plan["name"] == "Core basics"
    assert plan["activityDuration"] == iso_duration(routine.estimate.high)
    assert plan["activityFrequency"] == "3 times a week"


def test_an_article_has_its_headline_date_author_and_publisher(base: Guide) -> None:
    article = Head(render(base, "articles/hello/")).json_ld["Article"]
    assert article["headline"] == "Hello"
    assert article["datePublished"] == "2026-01-15"
    assert article["author"] == {"@type": "Person", "name": "Test Author"}
    assert article["publisher"] == {"@type": "Organization", "name": "Test Guide", "url": BASE_URL}
    assert article["mainEntityOfPage"] == BASE_URL + "articles/hello/"


def test_breadcrumbs_list_the_trail_and_the_page_numbered_from_one(base: Guide) -> None:
    crumbs = Head(render(base, "exercises/plank/")).json_ld["BreadcrumbList"]["itemListElement"]
    assert crumbs == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": BASE_URL},
        {"@type": "ListItem", "position": 2, "name": "Exercises", "item": BASE_URL + "exercises/"},
        {"@type": "ListItem", "position": 3, "name": "Plank", "item": BASE_URL + "exercises/plank/"},
    ]
    assert "BreadcrumbList" not in Head(render(base, "")).json_ld, "the home page has no trail"


def test_a_main_image_is_an_image_object_with_its_license_and_credit(base: Guide) -> None:
    credit = Attribution(caption="On the mat", credit="Ana Ruiz", license="CC-BY-4.0", source="https://ex.com/p")
    main = picture(Path("plank.jpg"), attribution=credit)
    guide = with_page(base, dataclasses.replace(base.articles["hello"], media=(main,)))

    image = Head(render(guide, "articles/hello/")).json_ld["Article"]["image"]

    assert image == {
        "@type": "ImageObject",
        "contentUrl": BASE_URL + "media/photo.0123456789ab.960.jpeg",
        "width": 960,
        "height": 1280,
        "caption": "On the mat",
        "license": LICENSE_URL,
        "creditText": "Ana Ruiz",
        "creator": {"@type": "Person", "name": "Ana Ruiz"},
        "acquireLicensePage": "https://ex.com/p",
    }
    bare = with_page(base, dataclasses.replace(base.exercises["plank"], media=(picture(Path("plank.jpg")),)))
    image = Head(render(bare, "exercises/plank/")).json_ld["ExercisePlan"]["image"]
    assert set(image) == {"@type", "contentUrl", "width", "height"}


def test_no_title_can_end_the_script_or_open_markup(base: Guide) -> None:
    title = 'Plank </script><script>alert(1)</script> <!--<script> & "quotes"'
    guide = with_page(base, dataclasses.replace(base.exercises["plank"], title=title))

    html = render(guide, "exercises/plank/")
    head = Head(html)

    assert "<script>alert(1)" not in html
    assert len(head.scripts) == 2
    assert head.json_ld["ExercisePlan"]["name"] == title
    assert head.json_ld["BreadcrumbList"]["itemListElement"][-1]["name"] == title
    assert head.meta["og:title"] == title


def test_json_ld_text_holds_no_markup_and_reads_back_unchanged() -> None:
    item = {"name": "</script><!-- ß & ☃ -->", "@type": "Thing"}
    block = str(json_ld(item))
    body = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert "ß" in body, "written as UTF-8, not escaped"
    assert json.loads(body) == item


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "PT0S"), (30, "PT30S"), (90, "PT1M30S"), (3600, "PT1H"), (3725, "PT1H2M5S")]
)
def test_iso_durations(seconds: int, text: str) -> None:
    assert iso_duration(seconds) == text


def test_a_guide_read_from_files_shares_its_main_image_card_and_credits(guide: Path) -> None:
    """End to end from front matter: the media reader's picture, its card, the head's path and the JSON-LD."""
    content = guide / "content"
    mediafiles.rotated_jpeg(content / "exercises" / "plank.jpg")
    plank = content / "exercises" / "plank.md"
    media = "media:\n  - src: plank.jpg\n    alt: A plank on a mat\n    credit: Ana Ruiz\n    license: CC-BY-4.0\n"
    plank.write_text(plank.read_text().replace("tags: [core]\n", "tags: [core]\n" + media))
    loaded = load_guide(content, Diagnostics())
    assert loaded is not None

    cards = share_cards(loaded, FOLDERS)
    head = Head(render(loaded, "exercises/plank/"))

    main = loaded.exercises["plank"].main_image
    assert main is not None
    card = cards[head.meta["og:image"].removeprefix(BASE_URL)]
    assert card.photo == main
    assert head.meta["og:image:type"] == "image/jpeg"
    assert head.meta["og:image:alt"] == "Plank: 5-10 x 60 s hold. A plank on a mat"
    with Image.open(io.BytesIO(draw_share_image(card))) as image:
        assert (image.format, image.size) == ("JPEG", (WIDTH, HEIGHT))
    image_object = head.json_ld["ExercisePlan"]["image"]
    assert image_object["contentUrl"] == BASE_URL + main.fallback.path
    assert (image_object["license"], image_object["creditText"]) == (LICENSE_URL, "Ana Ruiz")
