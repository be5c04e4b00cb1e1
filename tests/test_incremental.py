"""After any sequence of edits, an incremental build equals a clean build byte for byte."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from PIL import Image

from builder import search
from builder.cli import main
from builder.diagnostics import Diagnostics
from builder.output import site_token
from builder.pipeline import Builder, BuildOptions
from builder.webapp import WORKER
from tests.conftest import BASE_GUIDE, preview_pages, site_pages, site_snapshot, snapshot, without_worker

THEME = Path(__file__).parent.parent / "templates"
WORDS = st.sampled_from(["steady", "brace", "reach", "slowly", "tall", "Ünïcödé", "<b>bold</b>", "[[plank]]"])


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class EditedGuide(RuleBasedStateMachine):
    """Edits the fixture guide as an author would; after each edit both builds must agree."""

    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="guide-incremental-"))
        shutil.copytree(BASE_GUIDE / "content", self.folder / "content")
        (self.folder / "templates").mkdir()
        self.added: list[str] = []
        (self.folder / "content/media").mkdir()
        self.replace_a_picture("#88aacc", 120)
        shown = "\nmedia:\n  - src: /media/photo.jpg\n    alt: A plank\n---\n"
        _replace(self.content("exercises/plank.md"), "\n---\n", shown)

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def content(self, name: str) -> Path:
        return self.folder / "content" / name

    @rule(word=WORDS)
    def edit_a_body(self, word: str) -> None:
        path = self.content("exercises/plank.md")
        path.write_text(path.read_text(encoding="utf-8") + f"\n{word}\n", encoding="utf-8")

    @rule(word=WORDS.filter(lambda word: "[" not in word and "<" not in word))
    def edit_a_title(self, word: str) -> None:
        path = self.content("exercises/bird-dog.md")
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[1] = f"title: Bird dog {word}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @rule(muscles=st.sampled_from(["[obliques]", "[obliques, glutes]", "[]", "[gluteus-medius]"]))
    def change_muscles(self, muscles: str) -> None:
        path = self.content("exercises/plank.md")
        lines = [
            f"  secondary: {muscles}" if line.startswith("  secondary:") else line
            for line in path.read_text().splitlines()
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @rule(sets=st.sampled_from(["2", "3-4", "5-10"]))
    def change_a_dose(self, sets: str) -> None:
        path = self.content("exercises/plank.md")
        lines = [f"  sets: {sets}" if line.startswith("  sets:") else line for line in path.read_text().splitlines()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @rule(number=st.integers(0, 99), ladder=st.booleans())
    def add_an_exercise(self, number: int, ladder: bool) -> None:
        """An exercise, perhaps a step below the plank: the plank's ladder, and the routine's offer, change with it."""
        slug = f"added-{number}"
        front = (
            f"---\ntitle: Added {number}\nsummary: New.\nregion: hips\nmuscles:\n  primary: [glutes]\n"
            f"prescription:\n  reps: {number + 1}\ntags: [new]\n{'harder: [plank]' if ladder else ''}\n---\n"
            "See [[plank]].\n"
        )
        self.content(f"exercises/{slug}.md").write_text(front, encoding="utf-8")
        if slug not in self.added:
            self.added.append(slug)

    @precondition(lambda self: self.added)
    @rule(data=st.data())
    def delete_an_added_exercise(self, data: st.DataObject) -> None:
        slug = data.draw(st.sampled_from(self.added))
        self.content(f"exercises/{slug}.md").unlink()
        self.added.remove(slug)

    @rule(colour=st.sampled_from(["#88aacc", "#cc8844", "#ffffff"]), width=st.sampled_from([120, 200]))
    def replace_a_picture(self, colour: str, width: int) -> None:
        Image.new("RGB", (width, 90), colour).save(self.content("media/photo.jpg"))

    @rule(comment=WORDS.filter(lambda word: "<" not in word))
    def change_a_template(self, comment: str) -> None:
        source = (THEME / "exercise.html").read_text(encoding="utf-8")
        page = source.replace("{% block main %}", f"{{% block main %}}<!-- {comment} -->", 1)
        (self.folder / "templates" / "exercise.html").write_text(page, encoding="utf-8")

    @rule(name=st.sampled_from(["Obliques", "Side abdominals", "Oblique muscles"]))
    def change_the_taxonomy(self, name: str) -> None:
        path = self.content("taxonomy.yml")
        lines = path.read_text(encoding="utf-8").splitlines()
        index = lines.index("  - id: obliques") + 1
        lines[index] = f"    name: {name}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @invariant()
    def incremental_equals_clean(self) -> None:
        if not hasattr(self, "folder"):
            return
        content, templates = str(self.folder / "content"), str(self.folder / "templates")
        base = ["build", "--content", content, "--templates", templates, "--jobs", "1"]
        assert main([*base, "--output", str(self.folder / "incremental")]) == 0
        assert main([*base, "--output", str(self.folder / "clean"), "--no-cache"]) == 0
        assert site_snapshot(self.folder / "incremental") == site_snapshot(self.folder / "clean")
        shutil.rmtree(self.folder / "clean")


class PreviewedGuide(EditedGuide):
    """The same edits seen by a running builder, as the preview sees them: `rebuild` with the files that changed."""

    @initialize()
    def start(self) -> None:
        super().start()
        folder = self.folder
        options = BuildOptions(
            folder / "content", folder / "previewed", folder / "templates", cache=folder / "cache", jobs=1
        )
        self.builder = Builder(options)
        assert self.builder.build(Diagnostics()) is not None
        self.sources = self.source_files()

    def source_files(self) -> dict[str, bytes]:
        """The guide's content and theme files, by path from the guide's folder."""
        return {
            f"{folder}/{name}": data
            for folder in ("content", "templates")
            for name, data in snapshot(self.folder / folder).items()
        }

    @invariant()
    def incremental_equals_clean(self) -> None:
        if not hasattr(self, "builder"):
            return
        before, self.sources = self.sources, self.source_files()
        changed = [
            self.folder / name
            for name in before.keys() | self.sources.keys()
            if before.get(name) != self.sources.get(name)
        ]
        assert self.builder.rebuild(changed, Diagnostics()) is not None
        clean = self.folder / "clean"
        content, templates = str(self.folder / "content"), str(self.folder / "templates")
        assert (
            main(["build", "--content", content, "--templates", templates, "--output", str(clean), "--no-cache"]) == 0
        )
        previewed = site_pages(self.folder / "previewed")
        assert WORKER not in previewed
        assert previewed == preview_pages(clean)
        shutil.rmtree(clean)


for machine in (EditedGuide, PreviewedGuide):
    machine.TestCase.settings = settings(
        max_examples=6, stateful_step_count=6, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
test_incremental_build_equals_clean_build = EditedGuide.TestCase
test_rebuilds_in_a_running_builder_equal_clean_builds = PreviewedGuide.TestCase


def test_rebuild_renders_only_what_changed_and_equals_a_clean_build(tmp_path: Path) -> None:
    shutil.copytree(BASE_GUIDE / "content", tmp_path / "content")
    options = BuildOptions(content=tmp_path / "content", output=tmp_path / "output", cache=tmp_path / "cache", jobs=1)
    builder = Builder(options)
    first = builder.build(Diagnostics())
    assert first is not None and first.rendered == first.pages
    plank = tmp_path / "content/exercises/plank.md"
    plank.write_text(plank.read_text() + "\nA new last line.\n")
    body_edit = builder.rebuild([plank], Diagnostics())
    assert body_edit is not None and body_edit.rendered == 1
    plank.write_text(plank.read_text().replace("title: Plank", "title: Front plank"))
    title_edit = builder.rebuild([plank], Diagnostics())
    assert title_edit is not None and 1 < title_edit.rendered < title_edit.pages
    assert (
        main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "clean"), "--no-cache"]) == 0
    )
    clean = without_worker(site_snapshot(tmp_path / "clean"))
    pages = {name: data for name, data in clean.items() if not name.startswith("pagefind/")}
    assert {name: data for name, data in site_snapshot(tmp_path / "output").items() if name in pages} == pages
    assert "Front plank" in (tmp_path / "output/exercises/index.html").read_text()
    assert builder.build(Diagnostics()) is not None  # a build brings the search index up to date too
    assert site_snapshot(tmp_path / "output") == clean


def test_rebuild_reports_problems_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    shutil.copytree(BASE_GUIDE / "content", tmp_path / "content")
    builder = Builder(BuildOptions(content=tmp_path / "content", output=tmp_path / "output", jobs=1))
    assert builder.build(Diagnostics()) is not None
    before = snapshot(tmp_path / "output")
    plank = tmp_path / "content/exercises/plank.md"
    plank.write_text(plank.read_text().replace("sets: 5-10", "sets: 50"))
    diagnostics = Diagnostics()
    assert builder.rebuild([plank], diagnostics) is None
    assert [str(d) for d in diagnostics.sorted()] == [f"{plank}:11: 'sets' is over the limit of 20"]
    assert snapshot(tmp_path / "output") == before


@pytest.mark.parametrize("name", ["routines/core-basics.md", "articles/hello.md"])
def test_a_body_edit_renders_its_own_page_alone(tmp_path: Path, name: str) -> None:
    shutil.copytree(BASE_GUIDE / "content", tmp_path / "content")
    builder = Builder(BuildOptions(content=tmp_path / "content", output=tmp_path / "output", jobs=1))
    assert builder.build(Diagnostics()) is not None
    edited = tmp_path / "content" / name
    edited.write_text(edited.read_text() + "\nA closing line, *added*.\n")
    token = site_token(tmp_path / "output")
    result = builder.rebuild([edited], Diagnostics())
    assert result is not None and result.rendered == 1
    assert site_token(tmp_path / "output") == token  # the quick path: the page replaced in place, no new site
    assert main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "clean")]) == 0
    assert site_pages(tmp_path / "output") == preview_pages(tmp_path / "clean")
    page = tmp_path / "output" / name.removesuffix(".md") / "index.html"
    assert "A closing line, <em>added</em>." in page.read_text()


def test_search_is_indexed_again_only_when_an_indexed_page_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BASE_GUIDE / "content", tmp_path / "content")
    (tmp_path / "templates").mkdir()
    home = tmp_path / "templates/home.html"
    home.write_text((THEME / "home.html").read_text(encoding="utf-8"), encoding="utf-8")
    started: list[Path] = []
    original = search._start
    monkeypatch.setattr(search, "_start", lambda site, bundle: started.append(site) or original(site, bundle))
    command = ["build", "--content", str(tmp_path / "content"), "--templates", str(tmp_path / "templates")]

    def build(output: str, *options: str) -> dict[str, bytes]:
        assert main([*command, "--output", str(tmp_path / output), *options]) == 0
        return site_snapshot(tmp_path / output)

    build("output")
    home.write_text(home.read_text(encoding="utf-8") + "<p>Welcome, runners.</p>\n", encoding="utf-8")
    assert len(started) == 1
    assert build("output") == build("clean", "--no-cache")  # the home page is not indexed: the index is kept
    assert len(started) == 2
    plank = tmp_path / "content/exercises/plank.md"
    plank.write_text(plank.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")
    assert build("output") == build("clean", "--no-cache")
    assert len(started) == 4


def test_a_running_builder_brings_a_carried_over_index_up_to_date(tmp_path: Path) -> None:
    shutil.copytree(BASE_GUIDE / "content", tmp_path / "content")
    builder = Builder(BuildOptions(content=tmp_path / "content", output=tmp_path / "output", jobs=1))
    assert builder.build(Diagnostics()) is not None and not builder.search_stale()
    plank = tmp_path / "content/exercises/plank.md"
    plank.write_text(plank.read_text(encoding="utf-8") + "\nA quokka line.\n", encoding="utf-8")
    assert builder.rebuild([plank], Diagnostics()) is not None
    assert builder.search_stale()
    with builder.index_search() as indexing:
        lower = min(19, os.getpriority(os.PRIO_PROCESS, 0) + search.YIELDING_NICENESS)
        assert os.getpriority(os.PRIO_PROCESS, indexing._process.pid) == lower  # type: ignore[union-attr]
        builder.adopt_search(indexing.files())
    assert not builder.search_stale()
    assert main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "clean")]) == 0
    assert site_snapshot(tmp_path / "output") == without_worker(site_snapshot(tmp_path / "clean"))
    started = builder.build(Diagnostics())
    assert started is not None and started.rendered == 1  # the page the quick path wrote, rendered to the same bytes
    assert site_snapshot(tmp_path / "output") == without_worker(site_snapshot(tmp_path / "clean"))
