"""`guide check`, `guide new` and `guide init` as an author uses them."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from builder import __version__
from builder.diagnostics import Diagnostics
from builder.dose import format_dose
from builder.progressions import progressions
from builder.scaffold import ignore_built_files, new_page
from builder.validate import load_guide
from tests.conftest import Run, snapshot

REPOSITORY = Path(__file__).parent.parent


def test_check_passes_on_the_shipped_guide(run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)
    result = run_guide("check")
    assert (result.code, result.err) == (0, "")
    assert result.out == "content: 9 exercises, 4 routines, 2 articles; no errors\n"


def test_shipped_guide_has_the_doses_of_the_seed() -> None:
    guide = load_guide(REPOSITORY / "content", Diagnostics())
    assert guide is not None
    doses = {slug: format_dose(exercise.prescription) for slug, exercise in guide.exercises.items()}
    assert doses["back-extension"] == "10 reps, 5 s hold"
    assert doses["plank"].startswith("5-10 x 60 s hold")
    assert doses["forearm-plank"].startswith("5 x 20 s hold")
    assert doses["leg-lift"] == "12-15 reps each side"
    assert doses["kneeling-hip-flexor-stretch"] == "30 s hold each side"
    routine = guide.routines["back-and-hip-strength-for-runners"]
    assert routine.title == "Back and hip strength for runners"
    assert len(routine.items) >= 5


def test_shipped_guide_shows_ladders_and_a_routine_on_every_card_size_but_the_largest() -> None:
    guide = load_guide(REPOSITORY / "content", Diagnostics())
    assert guide is not None
    ladders = progressions(guide.exercises)
    assert ladders.ladder("plank") == ("forearm-plank", "plank")
    assert ladders.ladder("side-lying-leg-raise") == ("leg-lift", "side-lying-leg-raise", "side-plank")
    assert {routine.card_size for routine in guide.routines.values()} == {"index-card", "a6", "a5"}
    assert sum(routine.card_size == "a6" for routine in guide.routines.values()) == 2
    assert any(routine.card_progressions for routine in guide.routines.values())
    exercises_used = {item.exercise for routine in guide.routines.values() for item in routine.items}
    assert exercises_used == set(guide.exercises)


def test_check_writes_nothing(guide: Path, run_guide: Callable[..., Run]) -> None:
    before = snapshot(guide)
    assert run_guide("check").code == 0
    assert snapshot(guide) == before


def test_python_m_builder_is_the_same_command(guide: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "builder", "check"], capture_output=True, text=True, cwd=guide)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content: 2 exercises, 1 routine, 1 article; no errors\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["check", "--content", "missing"],
            "guide: no content folder at 'missing'; use --content DIR, or 'guide init' to start a guide",
        ),
        (["new", "exercise", "Plank"], "guide: content/exercises/plank.md already exists; choose another title"),
        (["new", "article", "Bird dog"], "guide: content/exercises/bird-dog.md already exists; choose another title"),
        (
            ["new", "routine", "!!!"],
            "guide: the title '!!!' must be 1 to 80 characters with at least one letter or digit",
        ),
        (["init"], "guide: content already exists and is not empty; nothing was written"),
    ],
)
def test_usage_errors_exit_2_and_change_nothing(
    guide: Path, run_guide: Callable[..., Run], arguments: list[str], message: str
) -> None:
    before = snapshot(guide)
    result = run_guide(*arguments)
    assert (result.code, result.err_lines) == (2, [message])
    assert snapshot(guide) == before


def test_bad_arguments_exit_2(guide: Path, run_guide: Callable[..., Run]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_guide("new", "workout", "Title")
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("kind", "title", "path"),
    [
        ("exercise", "Glute bridge", "content/exercises/glute-bridge.md"),
        ("exercise", "Übung für den Rücken", "content/exercises/ubung-fur-den-rucken.md"),
        ("routine", "Morning mobility: 10 minutes", "content/routines/morning-mobility-10-minutes.md"),
        ("article", "Ça va? Straße & Ærø", "content/articles/ca-va-strasse-aero.md"),
    ],
)
def test_new_writes_a_page_that_passes_check(
    guide: Path, run_guide: Callable[..., Run], kind: str, title: str, path: str
) -> None:
    result = run_guide("new", kind, title)
    assert (result.code, result.out) == (0, f"wrote {path}\n")
    checked = run_guide("check")
    assert (checked.code, checked.err) == (0, "")
    loaded = load_guide(guide / "content", Diagnostics())
    assert loaded is not None
    assert loaded.pages_by_kind()[kind][Path(path).stem].title == title


def test_new_keeps_the_title_exactly(guide: Path) -> None:
    title = 'No: "quotes", #hash & yes'
    path = new_page(guide / "content", "exercise", title, Diagnostics())
    assert path is not None
    loaded = load_guide(guide / "content", Diagnostics())
    assert loaded is not None
    assert loaded.exercises[path.stem].title == title


def test_new_article_is_dated_today(guide: Path) -> None:
    path = new_page(guide / "content", "article", "News", Diagnostics(), today=dt.date(2026, 11, 25))
    assert path is not None
    assert "date: 2026-11-25\n" in path.read_text(encoding="utf-8")


def test_new_routine_needs_an_exercise(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_guide("init", "club").code == 0
    for page in (tmp_path / "club" / "content").rglob("*.md"):
        page.unlink()
    result = run_guide("new", "routine", "Stretch", "--content", "club/content")
    assert result.code == 2
    assert result.err_lines == [
        "guide: a routine needs an exercise; create one first with 'guide new exercise \"Title\"'"
    ]


def test_init_starts_a_guide_that_passes_check(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_guide("init", "running-club")
    assert result.code == 0
    written = sorted(
        str(path.relative_to(tmp_path)) for path in (tmp_path / "running-club").rglob("*") if path.is_file()
    )
    assert written == [
        "running-club/.github/workflows/pages.yml",
        "running-club/.gitignore",
        "running-club/content/articles/welcome.md",
        "running-club/content/exercises/first-exercise.md",
        "running-club/content/routines/first-routine.md",
        "running-club/content/site.yml",
        "running-club/content/taxonomy.yml",
    ]
    assert 'title: "Running club"' in (tmp_path / "running-club/content/site.yml").read_text(encoding="utf-8")
    assert (tmp_path / "running-club/.gitignore").read_text() == (
        "# made by guide build and guide serve; never commit them\n/output/\n.guide-cache/\n"
    )
    assert "wrote running-club/.gitignore\n" in result.out
    monkeypatch.chdir(tmp_path / "running-club")
    checked = run_guide("check")
    assert (checked.code, checked.out) == (0, "content: 1 exercise, 1 routine, 1 article; no errors\n")


def test_init_writes_a_github_pages_workflow_that_builds_with_the_pages_address_and_deploys(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_guide("init", "club", "--content", "guide").code == 0
    workflow = yaml.safe_load((tmp_path / "club/.github/workflows/pages.yml").read_text(encoding="utf-8"))
    assert workflow[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}  # YAML 1.1 reads `on` as true
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["env"] == {"GUIDE_PACKAGE": f"guide=={__version__}"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert [step.get("uses") for step in build["steps"]] == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/configure-pages@v5",
        None,
        None,
        "actions/upload-pages-artifact@v3",
    ]
    pages, install, site, upload = build["steps"][2:]
    assert pages["id"] == "pages"
    assert install["run"] == 'pip install "$GUIDE_PACKAGE"'
    assert site["run"] == 'guide build --content "guide" --base-url "${{ steps.pages.outputs.base_url }}/"'
    assert upload["with"] == {"path": "output"}
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]


def test_init_keeps_a_workflow_there_already(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    workflow = tmp_path / ".github/workflows/pages.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("name: mine\n", encoding="utf-8")
    result = run_guide("init")
    assert result.code == 0
    assert "kept .github/workflows/pages.yml, which was there already\n" in result.out
    assert workflow.read_text(encoding="utf-8") == "name: mine\n"


def test_init_adds_what_an_existing_gitignore_lacks(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".gitignore").write_text("node_modules/\n/output/\n", encoding="utf-8")
    result = run_guide("init")
    assert result.code == 0
    assert "added the output and cache folders to .gitignore\n" in result.out
    assert (tmp_path / ".gitignore").read_text() == (
        "node_modules/\n/output/\n\n# made by guide build and guide serve; never commit them\n.guide-cache/\n"
    )
    assert ignore_built_files(tmp_path) is None  # every line there: nothing written


def test_init_refuses_to_overwrite(
    tmp_path: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_guide("init")
    assert result.code == 2
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["content", "notes.txt"]
