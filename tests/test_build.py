"""`guide build`: the whole cross-linked site, links that survive hosting, and output that is never half-written."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from builder import render, search
from builder.diagnostics import Diagnostics
from builder.output import MARKER
from builder.pipeline import BuildOptions, build
from builder.theme import theme_folders
from builder.validate import load_guide
from tests.conftest import BASE_GUIDE, Run
from tests.sitecheck import broken_links, parse

REPOSITORY = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def digest(folder: Path) -> dict[str, str]:
    """A hash of every file below a folder, dot-files included."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def built(guide: Path, run_guide: Callable[..., Run]) -> Path:
    """The base guide built into output/."""
    result = run_guide("build")
    assert result.code == 0, result.err
    return guide / "output"


@pytest.mark.parametrize("offline", [False, True], ids=["served", "offline"])
@pytest.mark.parametrize("content", [REPOSITORY / "content", BASE_GUIDE / "content"], ids=["shipped", "fixture"])
def test_every_internal_link_resolves(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, content: Path, offline: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_guide("build", "--no-cache", "--content", str(content), *(["--offline"] if offline else []))
    assert result.code == 0, result.err
    site = tmp_path / "output"
    assert (
        broken_links(site, offline=offline, root_path="/runners/" if content.parent == REPOSITORY else "/test/") == []
    )
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20 if content.parent == REPOSITORY else len(pages) > 10


def test_shipped_guide_has_every_page_of_the_spec(tmp_path: Path, run_guide: Callable[..., Run], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_guide("build", "--no-cache", "--content", str(REPOSITORY / "content")).code == 0
    site = tmp_path / "output"
    for path in [
        "index.html",
        "exercises/index.html",
        "exercises/plank/index.html",
        "routines/index.html",
        "routines/back-and-hip-strength-for-runners/index.html",
        "routines/back-and-hip-strength-for-runners/card/index.html",
        "routines/back-and-hip-strength-for-runners/log/index.html",
        "routines/back-and-hip-strength-for-runners/play/index.html",
        "muscles/gluteus-medius/index.html",
        "regions/hips/index.html",
        "equipment/mat/index.html",
        "tags/runners/index.html",
        "articles/index.html",
        "articles/why-runners-need-a-strong-back/index.html",
        "search/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
        MARKER,
    ]:
        assert (site / path).is_file(), path
    # Exercises on one ladder share muscles and regions; each is still listed once where it works them.
    for page, listed in [
        ("regions/hips", ["kneeling-hip-flexor-stretch", "leg-lift", "side-lying-leg-raise"]),
        ("muscles/gluteus-medius", ["side-lying-leg-raise", "side-plank"]),
    ]:
        html = (site / page / "index.html").read_text()
        assert sorted(re.findall(r'<h3 class="card__title"><a href="../../exercises/([a-z-]+)/">', html)) == listed


def test_exercise_page_links_everything_about_it(built: Path) -> None:
    page = parse(built / "exercises/plank/index.html")
    links = set(page.links)
    assert {
        "../../regions/core/",
        "../../muscles/transverse-abdominis/",
        "../../muscles/obliques/",
        "../../equipment/mat/",
        "../bird-dog/",
        "../../routines/core-basics/",
        "../../tags/core/",
    } <= links
    html = (built / "exercises/plank/index.html").read_text(encoding="utf-8")
    assert '<p class="dose-panel__dose">5-10 x 60 s hold</p>' in html
    assert '<a href="../../routines/core-basics/">Core basics</a> <span class="dose-pill">3 x 60 s hold</span>' in html
    mentioned = html.split('id="mentions-heading"')[1]
    assert '<a href="../bird-dog/">Bird dog</a>' in mentioned
    assert '<a href="../../routines/core-basics/">Core basics</a>' in mentioned


def test_bodies_link_and_embed_dose_boxes(built: Path) -> None:
    article = (built / "articles/hello/index.html").read_text(encoding="utf-8")
    assert '<a href="../../routines/core-basics/">basics</a>' in article
    assert '<a href="../../muscles/glutes/">Gluteus maximus</a>' in article
    assert "<code>[[not-a-link]]</code>" in article
    routine = (built / "routines/core-basics/index.html").read_text(encoding="utf-8")
    assert '<p class="dose-box__dose">5-10 x 60 s hold</p>' in routine


def test_muscle_region_equipment_and_tag_pages_list_their_exercises(built: Path) -> None:
    muscle = parse(built / "muscles/obliques/index.html").links
    assert "../../exercises/plank/" in muscle and "../../routines/core-basics/" in muscle
    region = parse(built / "regions/lower-back/index.html").links
    assert "../../exercises/bird-dog/" in region and "../../muscles/erector-spinae/" in region
    assert "../../exercises/plank/" in parse(built / "equipment/mat/index.html").links
    assert "../../exercises/plank/" in parse(built / "tags/core/index.html").links


def test_feed_sitemap_and_robots(built: Path) -> None:
    feed = ET.parse(built / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text == "https://example.org/test/"
    assert feed.find(f"{ATOM}updated").text == "2026-01-15T00:00:00Z"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}id").text == "https://example.org/test/articles/hello/"
    assert entry.find(f"{ATOM}link").get("href") == "https://example.org/test/articles/hello/"
    assert entry.find(f"{ATOM}title").text == "Hello"
    locations = [loc.text for loc in ET.parse(built / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert "https://example.org/test/" in locations
    assert "https://example.org/test/exercises/plank/" in locations
    assert all(loc.startswith("https://example.org/test/") for loc in locations)
    assert (
        built / "robots.txt"
    ).read_text() == "User-agent: *\nAllow: /\nSitemap: https://example.org/test/sitemap.xml\n"


def test_feed_ids_are_stable_and_base_url_overrides(guide: Path, run_guide: Callable[..., Run]) -> None:
    assert run_guide("build").code == 0
    first = (guide / "output/feed.xml").read_bytes()
    assert run_guide("build").code == 0
    assert (guide / "output/feed.xml").read_bytes() == first
    assert run_guide("build", "--base-url", "https://runners.example/club").code == 0
    feed = ET.parse(guide / "output/feed.xml").getroot()
    assert feed.find(f"{ATOM}entry/{ATOM}id").text == "https://runners.example/club/articles/hello/"
    assert run_guide("build", "--base-url", "runners.example").err_lines == [
        "guide: --base-url must be an absolute http or https URL, not 'runners.example'"
    ]


def test_articles_are_paginated_newest_first(guide: Path, run_guide: Callable[..., Run]) -> None:
    for day in range(1, 6):
        text = f"---\ntitle: News {day}\ndate: 2026-02-0{day}\n---\nBody.\n"
        (guide / f"content/articles/news-{day}.md").write_text(text, encoding="utf-8")
    settings = guide / "content/site.yml"
    settings.write_text(settings.read_text() + "articles_per_page: 2\n")
    assert run_guide("build").code == 0
    first = parse(guide / "output/articles/index.html").links
    assert [link for link in first if link.startswith("news")] == ["news-5/", "news-4/"]
    assert "page/2/" in first
    third = parse(guide / "output/articles/page/3/index.html").links
    assert "../../hello/" in third and "../2/" in third


def test_offline_links_end_in_index_html(guide: Path, run_guide: Callable[..., Run]) -> None:
    assert run_guide("build", "--offline").code == 0
    links = parse(guide / "output/exercises/plank/index.html").links
    assert "../../muscles/obliques/index.html" in links
    assert "../../index.html" in links
    assert not [link for link in links if link.endswith("/") and "://" not in link]  # canonical links are absolute


def test_local_templates_override_file_by_file(guide: Path, run_guide: Callable[..., Run]) -> None:
    (guide / "templates").mkdir()
    (guide / "templates/home.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Club home</p>{% endblock %}'
    )
    assert run_guide("build").code == 0
    assert "<p>Club home</p>" in (guide / "output/index.html").read_text(encoding="utf-8")
    assert 'class="dose-panel__dose"' in (guide / "output/exercises/plank/index.html").read_text(encoding="utf-8")


def test_builds_from_any_folder_with_the_installed_theme(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run_guide("build", "--no-cache", "--content", str(BASE_GUIDE / "content"), "--output", "site")
    assert result.code == 0, result.err
    assert (elsewhere / "site/static/style.css").is_file()


# Failed builds leave the output as it was


def test_a_broken_template_changes_nothing(built: Path, guide: Path, run_guide: Callable[..., Run]) -> None:
    before = digest(built)
    (guide / "templates").mkdir()
    (guide / "templates/exercise.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ exercise.nope }}\n{% endblock %}\n'
    )
    result = run_guide("build")
    assert result.code == 1
    assert result.err_lines == [
        "templates/exercise.html:3: template error: 'builder.model.Exercise object' has no attribute 'nope'",
        "guide: 1 error",
    ]
    assert digest(built) == before


def test_a_template_syntax_error_is_located(built: Path, guide: Path, run_guide: Callable[..., Run]) -> None:
    (guide / "templates").mkdir()
    (guide / "templates/tag.html").write_text("line one\n{% if %}\n")
    result = run_guide("build")
    assert result.err_lines == [
        "templates/tag.html:2: Expected an expression, got 'end of statement block'",
        "guide: 1 error",
    ]


def test_a_template_error_while_search_indexes_stops_pagefind(
    built: Path, guide: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tag pages render while Pagefind indexes the exercise pages rendered before them; a failure there stops it."""
    before = digest(built)
    started: list[tuple[Path, subprocess.Popen[str]]] = []
    original = search._start

    def recorded(site: Path, bundle: Path) -> subprocess.Popen[str]:
        process = original(site, bundle)
        started.append((bundle, process))
        return process

    monkeypatch.setattr(search, "_start", recorded)
    (guide / "content/exercises/plank.md").write_text((guide / "content/exercises/plank.md").read_text() + "\nMore.\n")
    (guide / "templates").mkdir()
    (guide / "templates/tag.html").write_text("{{ tag.nope }}\n")
    result = run_guide("build")
    error = "templates/tag.html:1: template error: 'str object' has no attribute 'nope'"
    assert result.err_lines == [error, "guide: 1 error"]
    assert digest(built) == before
    [(bundle, process)] = started
    assert process.poll() is not None
    assert not bundle.parent.exists()


def test_a_content_error_changes_nothing(built: Path, guide: Path, run_guide: Callable[..., Run]) -> None:
    before = digest(built)
    plank = guide / "content/exercises/plank.md"
    plank.write_text(plank.read_text().replace("sets: 5-10", "sets: 50"))
    result = run_guide("build")
    assert result.code == 1
    assert result.err_lines == ["content/exercises/plank.md:11: 'sets' is over the limit of 20", "guide: 1 error"]
    assert digest(built) == before


@pytest.mark.parametrize("exception", [RuntimeError("boom"), KeyboardInterrupt()])
def test_an_exception_midway_changes_nothing(
    built: Path, guide: Path, monkeypatch: pytest.MonkeyPatch, exception: BaseException
) -> None:
    before = digest(built)
    (guide / "content/exercises/plank.md").write_text((guide / "content/exercises/plank.md").read_text() + "\nMore.\n")
    rendered = 0
    original = render.Renderer.render

    def failing(self: render.Renderer, plan):  # type: ignore[no-untyped-def]
        nonlocal rendered
        rendered += 1
        if rendered == 10:
            raise exception
        return original(self, plan)

    monkeypatch.setattr(render.Renderer, "render", failing)
    with pytest.raises(type(exception)):
        build(BuildOptions(content=Path("content"), output=Path("output")), Diagnostics())
    assert digest(built) == before
    assert sorted(path.name for path in guide.iterdir()) == [".guide-cache", "content", "output"]


def test_interrupt_on_the_command_line_exits_130(
    built: Path, guide: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(built)
    plank = guide / "content/exercises/plank.md"
    plank.write_text(plank.read_text() + "\nMore.\n")

    def interrupted(self, plan):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(render.Renderer, "render", interrupted)
    result = run_guide("build")
    assert (result.code, result.err_lines) == (130, ["guide: interrupted"])
    assert digest(built) == before


# The output folder: what survives, and what is refused


def test_dot_files_and_cname_survive_and_unchanged_files_keep_their_times(built: Path, run_guide) -> None:
    (built / ".git").mkdir()
    (built / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (built / "CNAME").write_text("guide.example.org\n")
    page = built / "exercises/bird-dog/index.html"
    os.utime(page, (1_000_000_000, 1_000_000_000))
    assert run_guide("build").code == 0
    assert (built / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (built / "CNAME").read_text() == "guide.example.org\n"
    assert page.stat().st_mtime == 1_000_000_000
    assert (built / MARKER).is_file()


def test_stale_files_are_removed(built: Path, run_guide: Callable[..., Run]) -> None:
    (built / "exercises/gone").mkdir()
    (built / "exercises/gone/index.html").write_text("old")
    assert run_guide("build").code == 0
    assert not (built / "exercises/gone").exists()


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("content", "is or contains the content folder (content)"),
        (".", "is or contains the content folder (content)"),
        ("..", "is or contains the content folder (content)"),
        ("content/..", "is or contains the content folder (content)"),
        ("link-to-content", "is or contains the content folder (content)"),
        ("theme", "is or contains the templates folder (theme)"),
    ],
)
def test_refusals_delete_nothing(guide: Path, run_guide: Callable[..., Run], output: str, reason: str) -> None:
    (guide / "theme").mkdir()
    (guide / "theme/home.html").write_text("{% extends 'base.html' %}")
    (guide / "link-to-content").symlink_to(guide / "content")
    before = digest(guide)
    result = run_guide("build", "--output", output, "--templates", "theme")
    message = f"guide: the output folder {output} {reason}; choose another --output"
    assert (result.code, result.err_lines) == (2, [message])
    assert digest(guide) == before


def test_a_folder_guide_did_not_write_is_refused(guide: Path, run_guide: Callable[..., Run]) -> None:
    (guide / "notes").mkdir()
    (guide / "notes/draft.txt").write_text("mine")
    result = run_guide("build", "--output", "notes")
    message = "guide: notes holds files that guide did not write (draft.txt); empty it or choose another --output"
    assert (result.code, result.err_lines) == (2, [message])
    assert (guide / "notes/draft.txt").read_text() == "mine"


def test_home_and_project_folders_are_refused(guide: Path, run_guide: Callable[..., Run], monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(guide / "home"))
    (guide / "home").mkdir()
    result = run_guide("build", "--output", "home")
    assert result.err_lines == [
        "guide: the output folder home is or contains the home folder (home); choose another --output"
    ]
    monkeypatch.chdir(guide / "content")
    result = run_guide("build", "--content", ".", "--output", "../..")
    assert result.code == 2
    assert "is or contains the content folder" in result.err


def test_a_sibling_with_a_longer_name_is_not_inside(guide: Path, run_guide: Callable[..., Run]) -> None:
    shutil.copytree(guide / "content", guide / "docs-src")
    result = run_guide("build", "--content", "docs-src", "--output", "docs")
    assert result.code == 0, result.err
    assert (guide / "docs/index.html").is_file()


def test_an_empty_folder_or_one_with_only_dot_files_is_used(guide: Path, run_guide: Callable[..., Run]) -> None:
    (guide / "site/.git").mkdir(parents=True)
    assert run_guide("build", "--output", "site").code == 0
    assert (guide / "site/.git").is_dir() and (guide / "site/index.html").is_file()


# Escaping and sanitising


def test_front_matter_is_escaped_and_bodies_are_sanitised(guide: Path, run_guide: Callable[..., Run]) -> None:
    plank = guide / "content/exercises/plank.md"
    text = plank.read_text().replace("title: Plank", 'title: "</title><script>alert(1)</script>"')
    plank.write_text(text + (FIXTURES / "xss-body.md").read_text())
    assert run_guide("build").code == 0
    html = (guide / "output/exercises/plank/index.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror" not in html and "onclick" not in html and "javascript:" not in html and "<iframe" not in html
    assert "<img" not in html  # raw HTML images are removed: body pictures come from Markdown images alone
    assert '<h2 id="anchored-heading">Anchored heading</h2>' in html


def test_trusted_html_passes_raw_html(guide: Path, run_guide: Callable[..., Run]) -> None:
    settings = guide / "content/site.yml"
    settings.write_text(settings.read_text() + "trusted_html: true\n")
    plank = guide / "content/exercises/plank.md"
    plank.write_text(plank.read_text() + '\n<iframe src="https://video.example/embed"></iframe>\n')
    assert run_guide("build").code == 0
    assert (
        '<iframe src="https://video.example/embed"></iframe>'
        in (guide / "output/exercises/plank/index.html").read_text()
    )


def test_drafts_are_built_only_with_drafts(guide: Path, run_guide: Callable[..., Run]) -> None:
    hello = guide / "content/articles/hello.md"
    hello.write_text(hello.read_text().replace("date:", "draft: true\ndate:"))
    assert run_guide("build").code == 0
    assert not (guide / "output/articles/hello").exists()
    assert run_guide("build", "--drafts").code == 0
    assert (guide / "output/articles/hello/index.html").is_file()


def test_the_muscle_map_highlights_primary_and_secondary_and_falls_back_to_regions(
    guide: Path, run_guide: Callable[..., Run]
) -> None:
    taxonomy = guide / "content/taxonomy.yml"
    taxonomy.write_text(
        taxonomy.read_text().replace(
            "muscles:\n", "muscles:\n  - id: multifidus\n    name: Multifidus\n    region: lower-back\n"
        )
    )
    bird_dog = guide / "content/exercises/bird-dog.md"
    bird_dog.write_text(bird_dog.read_text().replace("secondary: [glutes]", "secondary: [glutes, multifidus]"))
    assert run_guide("build").code == 0
    html = (guide / "output/exercises/bird-dog/index.html").read_text(encoding="utf-8")
    assert '<g class="map-muscle is-primary" data-shape="erector-spinae">' in html
    assert '<g class="map-muscle is-secondary" data-shape="glutes">' in html
    assert '<g class="map-region is-secondary" data-shape="lower-back">' in html
    assert '<g class="map-muscle" data-shape="obliques">' in html
    assert '<a href="../../muscles/glutes/"><title>Gluteus maximus</title>' in html


def test_once_makes_a_macro_once_and_writes_its_links_for_each_page() -> None:
    guide = load_guide(BASE_GUIDE / "content", Diagnostics())
    assert guide is not None
    renderer = render.Renderer(guide, theme_folders(None))
    calls: list[str] = []
    renderer.environment.globals["noted"] = lambda name: calls.append(name) or ""
    template = renderer.environment.from_string(
        '{% macro drawing(name) %}{{ noted(name) }}<a href="{{ href("muscle", name) }}">{{ name }}</a>{% endmacro %}'
        '{{ once(drawing, "glutes") }}|{{ once(drawing, "hamstrings") }}'
    )
    pages = {path: template.render(page_path=path) for path in ("exercises/plank/", "muscles/glutes/", "404.html")}
    links = {path: re.findall(r'href="([^"]*)"', page) for path, page in pages.items()}
    assert links == {
        "exercises/plank/": ["../../muscles/glutes/", "../../muscles/hamstrings/"],
        "muscles/glutes/": ["./", "../hamstrings/"],
        "404.html": ["/test/muscles/glutes/", "/test/muscles/hamstrings/"],  # served at any depth: from the root
    }
    assert calls == ["glutes", "hamstrings"]  # each drawn once, for the first page that asked
