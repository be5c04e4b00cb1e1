"""Symbolic links never carry a file from outside the guide into the site; broken ones are named, hidden ignored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run, snapshot

LINK_HINT = "copy the file into the guide instead; links are followed only inside it"


def _outside(guide: Path) -> Path:
    """A folder beside the content with a valid exercise in it, which a link could carry in."""
    outside = guide / "outside"
    outside.mkdir(exist_ok=True)
    text = (guide / "content/exercises/plank.md").read_text().replace("title: Plank", "title: Secret plank")
    (outside / "secret.md").write_text(text)
    (outside / "base.html").write_text("{{ 'a template from outside' }}")
    return outside


def _link(path: Path, target: str | Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


REFUSED: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "content file to a file outside": (
        lambda guide: _link(guide / "content/exercises/leak.md", _outside(guide) / "secret.md"),
        [f"content/exercises/leak.md:1: a symbolic link to outside/secret.md, outside the content folder; {LINK_HINT}"],
    ),
    "content folder to a folder outside": (
        lambda guide: _link(guide / "content/exercises/more", _outside(guide)),
        [f"content/exercises/more:1: a symbolic link to outside, outside the content folder; {LINK_HINT}"],
    ),
    "content file to nothing": (
        lambda guide: _link(guide / "content/exercises/gone.md", "nowhere.md"),
        ["content/exercises/gone.md:1: a symbolic link to a missing file (content/exercises/nowhere.md); remove it"],
    ),
    "any file to nothing": (
        lambda guide: _link(guide / "content/routines/notes.txt", "/nowhere/notes.txt"),
        ["content/routines/notes.txt:1: a symbolic link to a missing file (/nowhere/notes.txt); remove it"],
    ),
    "folder to a folder holding it": (
        lambda guide: _link(guide / "content/exercises/again", ".."),
        [
            "content/exercises/again:1: a symbolic link to a folder that holds it (content), "
            "so its files would never end; remove it"
        ],
    ),
    "settings file to a file outside": (
        lambda guide: _link(guide / "content/site.yml", (guide / "content/site.yml").rename(guide / "site.yml")),
        [f"content/site.yml:1: a symbolic link to site.yml, outside the content folder; {LINK_HINT}"],
    ),
}

THEME_REFUSED: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "static file to a file outside": (
        lambda guide: _link(guide / "templates/static/hostname.txt", "/etc/hostname"),
        [f"templates/static/hostname.txt:1: a symbolic link to /etc/hostname, outside its theme folder; {LINK_HINT}"],
    ),
    "template to a file outside": (
        lambda guide: _link(guide / "templates/base.html", _outside(guide) / "base.html"),
        [f"templates/base.html:1: a symbolic link to outside/base.html, outside its theme folder; {LINK_HINT}"],
    ),
    "static file to nothing": (
        lambda guide: _link(guide / "templates/static/logo.svg", "missing.svg"),
        ["templates/static/logo.svg:1: a symbolic link to a missing file (templates/static/missing.svg); remove it"],
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_content_link_out_of_the_guide_or_to_nothing_is_an_error(
    guide: Path, run_guide: Callable[..., Run], case: str
) -> None:
    make, expected = REFUSED[case]
    assert run_guide("build").code == 0
    before = snapshot(guide / "output")
    make(guide)
    checked = run_guide("check")
    assert (checked.code, checked.err_lines) == (1, [*expected, f"guide: {len(expected)} error"])
    built = run_guide("build")
    assert (built.code, built.err_lines) == (1, [*expected, f"guide: {len(expected)} error"])
    assert snapshot(guide / "output") == before


@pytest.mark.parametrize("case", list(THEME_REFUSED))
def test_a_theme_link_out_of_its_folder_or_to_nothing_is_an_error(
    guide: Path, run_guide: Callable[..., Run], case: str
) -> None:
    make, expected = THEME_REFUSED[case]
    (guide / "templates/static").mkdir(parents=True)
    assert run_guide("build").code == 0
    before = snapshot(guide / "output")
    make(guide)
    built = run_guide("build")
    assert (built.code, built.err_lines) == (1, [*expected, f"guide: {len(expected)} error"])
    assert snapshot(guide / "output") == before


def test_links_that_stay_inside_the_guide_are_followed(guide: Path, run_guide: Callable[..., Run]) -> None:
    shared = guide / "content/shared"
    shared.mkdir()
    side = (guide / "content/exercises/plank.md").read_text().replace("title: Plank", "title: Side plank")
    (shared / "side-plank.md").write_text(side)
    _link(guide / "content/exercises/more", "../shared")
    _link(guide / "content/exercises/plank-again.md", "plank.md")
    (guide / "templates/static").mkdir(parents=True)
    (guide / "templates/static/style-copy.css").write_text("body { margin: 0 }")
    _link(guide / "templates/static/alias.css", "style-copy.css")
    assert run_guide("check").code == 0
    assert run_guide("build").code == 0
    output = guide / "output"
    assert "Side plank" in (output / "exercises/side-plank/index.html").read_text()
    assert "Plank" in (output / "exercises/plank-again/index.html").read_text()
    assert (output / "static/alias.css").read_text() == "body { margin: 0 }"
    assert not (output / "static/alias.css").is_symlink()


def test_hidden_files_are_ignored_even_as_broken_links(guide: Path, run_guide: Callable[..., Run]) -> None:
    """Emacs keeps a lock file beside a file being edited: a broken link named `.#name`."""
    _link(guide / "content/exercises/.#plank.md", "root@host.12345:1700000000")
    _link(guide / "content/.#site.yml", "root@host.12345:1700000000")
    _link(guide / "templates/static/.#style.css", "root@host.12345:1700000000")
    _link(guide / "content/exercises/.hidden/plank.md", "/etc/hostname")
    assert run_guide("check").code == 0
    assert run_guide("build").code == 0
    assert run_guide("build").code == 0
