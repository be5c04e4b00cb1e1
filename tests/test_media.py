"""Media: every kind published in its widths and formats with no metadata, every rule checked at its line, cached."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser
from pypdf import PdfReader

from builder import imaging, publish_media
from builder.cli import main
from builder.diagnostics import Diagnostics
from builder.output import site_token
from builder.pipeline import Builder, BuildOptions, build
from builder.probe import Probe
from builder.render import Renderer
from tests.conftest import TESTS, Run, preview_pages, site_pages, site_snapshot
from tests.mediafiles import COMMENT, MAKER, alpha_png, every_kind, rotated_jpeg
from tests.serving import serve
from tests.sitecheck import broken_links

PLANK = Path("content/exercises/plank.md")
EVERY_KIND = """\
media:
  - src: ../media/rotated.jpg
    alt: A person holding a plank on elbows and toes
    caption: One straight line from head to heels.
    credit: Jo Coach
    license: cc-by-4.0
    source: https://example.org/plank-photo
  - src: /media/alpha.png
    alt: A green disc on a clear background
  - src: /media/phone.heic
    alt: A plank seen from the side, taken on a phone
  - src: /media/moving.gif
    alt: The hips rising and falling
  - src: /media/figure.svg
    decorative: true
  - src: /media/clip.mp4
    captions: /media/clip.vtt
    poster: /media/rotated.jpg
    alt: The plank, filmed from the side
  - youtube: https://www.youtube.com/watch?v=dQw4w9WgXcQ
    alt: A plank demonstration
"""


def with_front_matter(path: Path, extra: str, body_extra: str = "") -> None:
    """Add keys to the front matter of a page, and text to the end of its body."""
    text = path.read_text()
    closing = text.index("\n---\n", 4)
    path.write_text(text[:closing] + "\n" + extra.rstrip("\n") + text[closing:] + body_extra)


@pytest.fixture
def pictured(guide: Path) -> Path:
    """The base guide with one file of every kind in content/media/, all shown by the plank."""
    every_kind(guide / "content" / "media")
    with_front_matter(
        guide / PLANK, EVERY_KIND, '\n![A green disc in the text](../media/alpha.png "Seen from above")\n'
    )
    return guide


@pytest.fixture
def built_pictured(pictured: Path, run_guide: Callable[..., Run]) -> Path:
    result = run_guide("build")
    assert result.code == 0, result.err
    return pictured / "output"


def published(site: Path) -> list[Path]:
    return sorted((site / "media").iterdir())


def _built_by_a_builder(guide: Path) -> Builder:
    """A builder that has built the guide once, as the preview keeps one."""
    options = BuildOptions(guide / "content", guide / "output", cache=guide / ".guide-cache", jobs=1)
    builder = Builder(options)
    assert builder.build(Diagnostics()) is not None
    return builder


def _clean_pages(guide: Path) -> dict[str, bytes]:
    """The pages and files of a clean build of the guide, with no cache, as the preview would have them."""
    arguments = ["build", "--content", str(guide / "content"), "--output", str(guide / "clean"), "--no-cache"]
    assert main(arguments) == 0
    return preview_pages(guide / "clean")


def test_no_metadata_leaves_in_any_published_file(built_pictured: Path) -> None:
    files = published(built_pictured)
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        for secret in (MAKER.encode(), COMMENT, b"Exif", b"GPS", b"XMP", b"xpacket", b"ICC_PROFILE"):
            assert secret not in data, f"{path.name} holds {secret!r}"
        if path.suffix in (".jpeg", ".webp", ".png", ".gif"):
            with Image.open(path) as image:
                assert not image.getexif(), path.name
                assert "icc_profile" not in image.info and "comment" not in image.info, path.name


def test_orientation_is_applied_and_sizes_are_as_the_page_says(built_pictured: Path) -> None:
    page = (built_pictured / "exercises/plank/index.html").read_text()
    rotated = [path for path in published(built_pictured) if path.name.startswith("rotated.")]
    assert sorted(path.name.split(".")[-2:][0] for path in rotated) == ["1200", "1200", "480", "480", "960", "960"]
    for path in rotated:
        with Image.open(path) as image:
            width, height = image.size
            assert (width, height) == (int(path.name.split(".")[-2]), round(int(path.name.split(".")[-2]) * 4 / 3))
            red, green, blue = image.convert("RGB").getpixel((width - 5, 5))  # stored top left, upright top right
            assert red > 200 and green < 60 and blue < 60
    for source, width in re.findall(r'(media/[^" ,]+) (\d+)w', page):
        with Image.open(built_pictured / source) as image:
            assert image.width == int(width), source
    assert 'width="1200" height="1600" alt="A person holding a plank on elbows and toes" fetchpriority="high"' in page


def test_every_srcset_and_poster_url_resolves(built_pictured: Path) -> None:
    assert broken_links(built_pictured, root_path="/test/") == []


def test_formats_follow_transparency_and_animation(built_pictured: Path) -> None:
    names = [path.name for path in published(built_pictured)]
    alpha = [name.split(".", 2)[2] for name in names if name.startswith("alpha.")]
    assert alpha == ["480.png", "480.webp", "800.png", "800.webp"]  # transparency: PNG, never JPEG; never upscaled
    gif = next(path for path in published(built_pictured) if path.suffix == ".gif")
    with Image.open(gif) as animation:
        assert animation.n_frames == 4
        assert animation.info["duration"] == 150
    copies = sorted(name.rsplit(".", 1)[1] for name in names if name.startswith(("figure.", "clip.")))
    assert copies == ["mp4", "svg", "vtt"]


def test_pages_show_credits_figures_video_and_a_youtube_facade(built_pictured: Path) -> None:
    page = (built_pictured / "exercises/plank/index.html").read_text()
    assert '<span class="credit__by"><a href="https://example.org/plank-photo">Jo Coach</a></span>' in page
    assert 'href="https://spdx.org/licenses/CC-BY-4.0.html" rel="license">CC-BY-4.0</a>' in page
    assert page.count('loading="lazy" decoding="async"') >= 4
    assert re.search(r'<video class="video" controls preload="none" playsinline poster="[^"]+\.960\.jpeg"', page)
    assert '<track kind="captions" src="../../media/clip.' in page
    assert 'data-youtube-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in page
    assert "<iframe" not in page and "youtube.com/embed" not in page
    assert re.search(r'alt="A green disc in the text" loading="lazy"', page)
    assert 'data-pagefind-meta="image:../../media/rotated.' in page
    listing = (built_pictured / "exercises/index.html").read_text()
    assert '<div class="thumb"><picture class="picture">' in listing


def test_a_cached_build_does_no_image_work(pictured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = BuildOptions(pictured / "content", pictured / "output", cache=pictured / ".guide-cache", jobs=1)
    made: list[str] = []
    real = imaging.make_renditions

    def counted(picture):  # type: ignore[no-untyped-def]
        made.append(picture.source.name)
        return real(picture)

    monkeypatch.setattr(publish_media, "make_renditions", counted)
    assert build(options, Diagnostics()) is not None
    assert sorted(made) == ["alpha.png", "figure.svg", "moving.gif", "phone.heic", "rotated.jpg"]
    made.clear()
    site = {path.name: path.read_bytes() for path in published(pictured / "output")}
    for file in published(pictured / "output"):  # an output without its media: everything comes from the cache
        file.unlink()
    assert build(options, Diagnostics()) is not None
    assert made == []
    assert {path.name: path.read_bytes() for path in published(pictured / "output")} == site
    rotated_jpeg(pictured / "content/media/rotated.jpg", (1500, 1000))  # replaced: made again, and alone
    assert build(options, Diagnostics()) is not None
    assert made == ["rotated.jpg"]


def test_a_warm_build_stats_pictures_without_reading_them(pictured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = BuildOptions(pictured / "content", pictured / "output", cache=pictured / ".guide-cache", jobs=1)
    assert build(options, Diagnostics()) is not None
    plank = pictured / PLANK
    plank.write_text(plank.read_text().replace("Brace as for a cough.", "Brace gently."))
    opened: list[str] = []
    real_open = Image.open

    def watched(path, *arguments, **keywords):  # type: ignore[no-untyped-def]
        opened.append(str(path))
        return real_open(path, *arguments, **keywords)

    monkeypatch.setattr(Image, "open", watched)
    result = Builder(options).build(Diagnostics())
    assert result is not None and result.rendered >= 1
    assert opened == []


def test_pictures_no_page_shows_leave_the_output(built_pictured: Path, run_guide: Callable[..., Run]) -> None:
    plank = built_pictured.parent / PLANK
    plank.write_text(
        plank.read_text().replace("  - src: /media/alpha.png\n    alt: A green disc on a clear background\n", "")
    )
    assert run_guide("build").code == 0
    assert [path.name for path in published(built_pictured) if path.name.startswith("alpha.")]  # the body still has it
    plank.write_text(
        plank.read_text().replace("![A green disc in the text](../media/alpha.png", "![x](../media/moving.gif")
    )
    assert run_guide("build").code == 0
    assert not [path.name for path in published(built_pictured) if path.name.startswith("alpha.")]


BAD = """\
media:
  - src: ../media/rotatd.jpg
    alt: A plank
  - src: ../media/notes.jpg
    alt: Handwritten notes
  - src: ../media/cut.jpg
    alt: A cut-off photo
  - src: ../media/bomb.png
    alt: A bomb
  - src: ../media/rotated.jpg
  - src: ../media/rotated.jpg
    alt: "  "
  - src: ../media/rotated.jpg
    alt: rotated.jpg
  - src: ../media/rotated.jpg
    alt: A plank
    license: CC-BY-40
  - src: ../media/script.svg
    alt: A figure
  - src: ../media/handler.svg
    alt: A figure
  - src: ../media/remote.svg
    alt: A figure
  - src: ../media/clip.mp4
  - youtube: https://www.youtube.com/watch?v=short
  - src: ../../../outside.jpg
    alt: Far away
  - src: https://example.org/photo.jpg
    alt: A remote photo
  - src: ../media/secret.jpg
    alt: A link out
"""
BAD_EXPECTED = TESTS / "fixtures" / "media-errors.txt"
"""Every line `guide check` and `guide build` print for BAD: `{outside}` is the file a link leads to."""


def test_every_bad_media_item_is_reported_at_its_line(guide: Path, run_guide: Callable[..., Run]) -> None:
    media = guide / "content" / "media"
    every_kind(media)
    (media / "notes.jpg").write_text("not a picture")
    (media / "cut.jpg").write_bytes((media / "rotated.jpg").read_bytes()[:3000])
    Image.new("1", (9000, 9000)).save(media / "bomb.png")
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'
    (media / "script.svg").write_text(svg.format("<script>alert(1)</script>"))
    (media / "handler.svg").write_text(svg.format('<rect width="5" height="5" onclick="alert(1)"/>'))
    (media / "remote.svg").write_text(svg.format('<image href="https://example.org/x.png" width="5" height="5"/>'))
    outside = guide.parent / "outside-secret.jpg"
    rotated_jpeg(outside)
    (media / "secret.jpg").symlink_to(outside)
    with_front_matter(guide / PLANK, BAD)
    result = run_guide("check")
    assert result.code == 1
    lines = [re.sub(r"\(\d+ bytes", "(N bytes", line) for line in result.err_lines]
    assert lines == BAD_EXPECTED.read_text().format(outside=outside).splitlines()


def test_a_file_that_fails_to_decode_fails_the_build_at_its_line(
    built_pictured: Path, run_guide: Callable[..., Run]
) -> None:
    """The build reads headers only (check decodes too); a truncated JPEG is found when its pixels are made."""
    before = site_snapshot(built_pictured)
    media = built_pictured.parent / "content/media"
    rotated_jpeg(media / "whole.jpg")
    (media / "rotated.jpg").write_bytes((media / "whole.jpg").read_bytes()[:3000])
    result = run_guide("build")
    assert result.code == 1
    message = "content/media/rotated.jpg: the image cannot be read (image file is truncated (N bytes not processed))"
    hint = "; export it again from the original"
    expected = [f"content/exercises/plank.md:{line}: {message}{hint}" for line in (18, 34)] + ["guide: 2 errors"]
    assert [re.sub(r"\(\d+ bytes", "(N bytes", line) for line in result.err_lines] == expected
    assert site_snapshot(built_pictured) == before


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(bomb)
    started = time.perf_counter()
    with pytest.raises(Exception, match="over the limit"):
        Probe().facts(bomb)
    assert time.perf_counter() - started < 1


def test_media_settings_choose_formats_and_widths(pictured: Path, run_guide: Callable[..., Run]) -> None:
    settings = pictured / "content/site.yml"
    settings.write_text(settings.read_text() + "media:\n  formats: [avif, webp, jpeg]\n  widths: [300, 600]\n")
    assert run_guide("build").code == 0
    rotated = sorted(path.name.split(".", 2)[2] for path in published(pictured / "output") if "rotated." in path.name)
    assert rotated == ["300.avif", "300.jpeg", "300.webp", "600.avif", "600.jpeg", "600.webp"]
    page = (pictured / "output/exercises/plank/index.html").read_text()
    assert page.index('type="image/avif"') < page.index('type="image/webp"')


def test_bad_media_settings_are_reported_at_their_lines(guide: Path, run_guide: Callable[..., Run]) -> None:
    settings = guide / "content/site.yml"
    lines = len(settings.read_text().splitlines())
    settings.write_text(
        settings.read_text() + "media:\n  formats: [webp, jpg]\n  widths: [480, 9000, wide]\n  require_license: yes\n"
    )
    result = run_guide("check")
    assert result.err_lines == [
        f"content/site.yml:{lines + 2}: unknown format 'jpg'; did you mean 'jpeg' or 'png'?",
        f"content/site.yml:{lines + 3}: the width 9000 is not a whole number of pixels from 16 to 4096",
        f"content/site.yml:{lines + 3}: the width wide is not a whole number of pixels from 16 to 4096",
        "guide: 3 errors",
    ]


def test_require_license_asks_a_body_image_to_be_credited_in_media(
    pictured: Path, run_guide: Callable[..., Run]
) -> None:
    settings = pictured / "content/site.yml"
    settings.write_text(settings.read_text() + "media:\n  require_license: true\n")
    article = pictured / "content/articles/hello.md"
    article.write_text(article.read_text() + "\n![A green disc](../media/alpha.png)\n")
    lines = len(article.read_text().splitlines())
    result = run_guide("check")
    hint = "list its file under 'media:' with both; site.yml sets 'media: require_license: true'"
    message = f"content/articles/hello.md:{lines}: the image has no license and no credit; {hint}"
    assert message in result.err_lines


def test_require_license_asks_every_picture_for_a_license_and_a_credit(
    pictured: Path, run_guide: Callable[..., Run]
) -> None:
    settings = pictured / "content/site.yml"
    settings.write_text(settings.read_text() + "media:\n  require_license: true\n")
    result = run_guide("check")
    missing = "the media item has no license and no credit; site.yml sets 'media: require_license: true'"
    assert result.err_lines == [
        *(f"content/exercises/plank.md:{line}: {missing}" for line in (24, 26, 28, 30, 32, 36)),
        "guide: 6 errors",
    ]


def test_every_json_ld_block_parses_and_every_share_image_exists(built_pictured: Path) -> None:
    blocks = 0
    for page in built_pictured.rglob("*.html"):
        html = page.read_text()
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL):
            assert json.loads(block)["@context"] == "https://schema.org", page
            blocks += 1
        for shared in re.findall(r'<meta property="og:image" content="https://example.org/test/([^"]+)">', html):
            with Image.open(built_pictured / shared) as image:
                assert image.size == (1200, 630)
    assert blocks > 20
    plank = (built_pictured / "exercises/plank/index.html").read_text()
    image = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>', plank)[0])["image"]
    assert image["creditText"] == "Jo Coach" and image["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"


def test_the_youtube_facade_loads_nothing_from_youtube_until_clicked(built_pictured: Path, browser: Browser) -> None:
    with serve(built_pictured) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.route("https://**/*", lambda route: route.abort())  # nothing leaves the machine
        try:
            page.goto(url + "exercises/plank/")
            page.wait_for_load_state("load")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(300)
            before = [address for address in requested if "youtube" in address]
            results = Axe().run(page)
            page.get_by_role("button", name="Play “A plank demonstration”").click()
            frame = page.locator("iframe.youtube__frame")
            frame.wait_for()
            source = frame.get_attribute("src")
            after = [address for address in requested if "youtube" in address]
        finally:
            context.close()
    assert before == []
    assert results.violations_count == 0, results.generate_report()
    assert source == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert after and all(address.startswith("https://www.youtube-nocookie.com/") for address in after)


def test_two_files_with_the_same_bytes_are_both_published(pictured: Path, run_guide: Callable[..., Run]) -> None:
    media = pictured / "content/media"
    (media / "copy.jpg").write_bytes((media / "rotated.jpg").read_bytes())
    article = pictured / "content/articles/hello.md"
    article.write_text(article.read_text() + "\n![The same photo, under another name](../media/copy.jpg)\n")
    assert run_guide("build").code == 0
    assert broken_links(pictured / "output", root_path="/test/") == []
    assert [path.name for path in published(pictured / "output") if path.name.startswith("copy.")]


@pytest.mark.parametrize("formats", ["[webp]", "[avif, webp]", "[webp, png]"])
def test_transparency_is_kept_in_every_format_that_holds_it(
    pictured: Path, run_guide: Callable[..., Run], formats: str
) -> None:
    settings = pictured / "content/site.yml"
    settings.write_text(settings.read_text() + f"media:\n  formats: {formats}\n")
    assert run_guide("build").code == 0
    for path in published(pictured / "output"):
        if path.name.startswith("alpha."):
            with Image.open(path) as image:
                assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0, path.name


BODY_IMAGES = """
![A disc in angle brackets](<../media/my photo.png> 'single quotes')

![A disc, encoded](../media/my%20photo.png) and ![A disc [with brackets] in the alt](../media/p\\(1\\).png (parens))

<img src="https://tracker.example/pixel.png" alt="">
"""


def test_every_form_of_inline_image_is_published_and_raw_img_is_removed(
    guide: Path, run_guide: Callable[..., Run]
) -> None:
    media = guide / "content/media"
    media.mkdir()
    alpha_png(media / "my photo.png")
    alpha_png(media / "p(1).png")
    article = guide / "content/articles/hello.md"
    article.write_text(article.read_text() + BODY_IMAGES)
    result = run_guide("build")
    assert result.code == 0, result.err
    page = (guide / "output/articles/hello/index.html").read_text()
    for alt in ("A disc in angle brackets", "A disc, encoded", "A disc [with brackets] in the alt"):
        assert f'alt="{alt}" loading="lazy"' in page
    assert '<small class="media__caption">single quotes</small>' in page
    assert "tracker.example" not in page and "<img src=" not in page.split('<picture class="picture">')[0]
    assert broken_links(guide / "output", root_path="/test/") == []


def test_images_the_site_cannot_publish_are_errors(guide: Path, run_guide: Callable[..., Run]) -> None:
    media = guide / "content/media"
    (media / ".hidden").mkdir(parents=True)
    alpha_png(media / ".hidden/disc.png")
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    frames[0].save(media / "moving.webp", save_all=True, append_images=frames[1:])
    alpha_png(media / "disc.png")
    article = guide / "content/articles/hello.md"
    lines = len(article.read_text().splitlines())
    reference = "\n![A disc][ref]\n\n[ref]: https://tracker.example/pixel.png\n"
    article.write_text(article.read_text() + reference + "\n![A hidden disc](../media/.hidden/disc.png)\n")
    items = ["  - src: ../media/moving.webp", "    alt: Colours", "  - src: ../media/disc.png", "    alt: A disc"]
    with_front_matter(guide / PLANK, "\n".join(["media:", *items, "    muted: true"]))
    result = run_guide("check")
    hint = 'write it as ![what it shows](path/to/picture.jpg "caption"), a file of the guide'
    assert result.err_lines == [
        f"content/articles/hello.md:{lines + 2}: an image the site cannot publish; {hint}",
        f"content/articles/hello.md:{lines + 6}: '../media/.hidden/disc.png' is in a hidden file or folder (.hidden),"
        " which the guide never reads; move it to content/media/",
        "content/exercises/plank.md:18: content/media/moving.webp: the image is an animated WEBP; the site publishes"
        " animations as GIF only; save it as an animated GIF, or as a video with 'muted: true'",
        "content/exercises/plank.md:22: 'muted' means nothing for an image; remove it",
        "guide: 4 errors",
    ]


def test_a_sixteen_bit_grey_png_keeps_its_tones(guide: Path, run_guide: Callable[..., Run]) -> None:
    media = guide / "content/media"
    media.mkdir()
    ramp = Image.linear_gradient("L").rotate(90, expand=True).resize((600, 100))  # dark on the left
    ramp.convert("I").point(lambda value: value * 256).convert("I;16").save(media / "deep.png")
    with_front_matter(guide / PLANK, "media:\n  - src: ../media/deep.png\n    alt: A grey ramp\n")
    assert run_guide("build").code == 0
    ramp = next(path for path in published(guide / "output") if path.name.endswith(".480.jpeg"))
    with Image.open(ramp) as image:
        tones = [image.convert("L").getpixel((x, 50)) for x in (5, 240, 475)]
    assert tones[0] < 30 and 100 < tones[1] < 160 and tones[2] > 220, tones


def test_moving_a_body_image_keeps_the_preview_on_its_quick_path(pictured: Path) -> None:
    builder = _built_by_a_builder(pictured)
    plank = pictured / PLANK
    plank.write_text(
        plank.read_text().replace("Brace as for a cough.", "A new first paragraph.\n\nBrace as for a cough.")
    )
    result = builder.rebuild([plank], Diagnostics())
    assert result is not None and result.rendered == 1


def test_a_replaced_picture_is_put_in_place_in_every_page_that_shows_it(pictured: Path) -> None:
    builder = _built_by_a_builder(pictured)
    token = site_token(pictured / "output")
    old_key = next(path.name.split(".")[1] for path in published(pictured / "output") if "rotated" in path.name)
    showing = {path for path in (pictured / "output").rglob("*.html") if old_key in path.read_text()}
    assert len(showing) > 3  # its page, the lists with thumbnails, the routine: all must name the new files
    rotated_jpeg(pictured / "content/media/rotated.jpg", (900, 1200))  # new bytes and a new shape
    result = builder.rebuild([pictured / "content/media/rotated.jpg"], Diagnostics())
    assert result is not None
    assert (result.rendered, result.made) == (len(showing), 2)  # the photo, and the plank's share image
    assert site_token(pictured / "output") == token  # in place: no new site was staged
    assert site_pages(pictured / "output") == _clean_pages(pictured)  # old files gone, new ones the same bytes


def test_a_picture_replaced_by_one_of_the_same_shape_gets_its_new_names_without_rendering(
    pictured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = _built_by_a_builder(pictured)
    showing = {path for path in (pictured / "output").rglob("*.html") if "/rotated." in path.read_text()}

    def unrendered(*_: object) -> bytes:
        raise AssertionError("a page was rendered")

    monkeypatch.setattr(Renderer, "render", unrendered)
    rotated_jpeg(pictured / "content/media/rotated.jpg", colour="#aaccee")  # new bytes, the same size
    result = builder.rebuild([pictured / "content/media/rotated.jpg"], Diagnostics())
    assert result is not None
    assert (result.rendered, result.made) == (len(showing), 2)
    monkeypatch.undo()
    assert site_pages(pictured / "output") == _clean_pages(pictured)


def test_a_picture_shown_through_a_link_inside_the_guide_is_replaced_there_too(pictured: Path) -> None:
    (pictured / "content/media/alias.jpg").symlink_to("rotated.jpg")
    shown = "media:\n  - src: /media/alias.jpg\n    alt: Bird dog"
    with_front_matter(pictured / "content/exercises/bird-dog.md", shown)
    builder = _built_by_a_builder(pictured)
    rotated_jpeg(pictured / "content/media/rotated.jpg", (900, 1200))
    assert builder.rebuild([pictured / "content/media/rotated.jpg"], Diagnostics()) is not None
    assert site_pages(pictured / "output") == _clean_pages(pictured)


def test_a_replaced_picture_that_cannot_be_read_keeps_the_last_good_site(pictured: Path) -> None:
    builder = _built_by_a_builder(pictured)
    before = site_snapshot(pictured / "output")
    photo = pictured / "content/media/rotated.jpg"
    rotated_jpeg(photo, (900, 1200))
    photo.write_bytes(photo.read_bytes()[:2000])
    diagnostics = Diagnostics()
    assert builder.rebuild([photo], diagnostics) is None
    problem = "content/media/rotated.jpg: the image cannot be read (image file is truncated (3 bytes not processed))"
    assert [str(diagnostic) for diagnostic in diagnostics.sorted()] == [
        f"content/exercises/plank.md:{line}: {problem}; export it again from the original" for line in (18, 34)
    ]
    assert site_snapshot(pictured / "output") == before


def test_a_card_with_pictures_prints_them_and_credits_them(pictured: Path, run_guide: Callable[..., Run]) -> None:
    routine = pictured / "content/routines/core-basics.md"
    routine.write_text(routine.read_text().replace("exercises:", "card:\n  images: true\nexercises:", 1))
    assert run_guide("build", "--pdf").code == 0
    card = (pictured / "output/routines/core-basics/card/index.html").read_text()
    assert card.count('<img class="sheet__image"') == 1  # the plank's photo; the bird dog has none
    assert '<span class="sheet__credits">Pictures: Jo Coach (CC-BY-4.0)</span>' in card
    pdf = PdfReader(pictured / "output/routines/core-basics/card/card.pdf")
    assert len(pdf.pages) == 1
    assert len(pdf.pages[0].images) == 1
