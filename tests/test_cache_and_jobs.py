"""Parallel builds equal one-process builds byte for byte, and no state of the cache can change the output."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from builder import pipeline
from tests.conftest import Run, site_snapshot
from tests.perf.generate import generate


@pytest.fixture
def synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 60-exercise synthetic guide as the current folder: enough pages for the process pool to be used."""
    generate(60, tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_parallel_output_equals_one_process_output(synthetic: Path, run_guide: Callable[..., Run]) -> None:
    assert run_guide("build", "--jobs", "1", "--no-cache", "--output", "one").code == 0
    assert run_guide("build", "--jobs", "2", "--no-cache", "--output", "two").code == 0
    one, two = site_snapshot(synthetic / "one"), site_snapshot(synthetic / "two")
    assert len(one) > 100
    assert one == two


def test_the_summary_counts_rendered_unchanged_and_cached(synthetic: Path, run_guide: Callable[..., Run]) -> None:
    first = run_guide("build")
    assert first.out.startswith("built 126 pages in ")
    assert first.out.splitlines()[0].endswith("(126 rendered, 0 unchanged, 0 cached)")
    second = run_guide("build")
    assert second.out.splitlines()[0].endswith("(0 rendered, 126 unchanged, 0 cached)")


def test_no_cache_writes_no_cache(synthetic: Path, run_guide: Callable[..., Run]) -> None:
    assert run_guide("build", "--no-cache").code == 0
    assert not (synthetic / ".guide-cache").exists()


def _tables(cache: Path) -> list[Path]:
    tables = sorted(cache.glob("*.pickle"))
    assert [table.name for table in tables] == ["bodies.pickle", "state.pickle"]
    return tables


def _corrupt(cache: Path) -> None:
    for table in _tables(cache):
        table.write_bytes(b"not a pickle")


def _truncate(cache: Path) -> None:
    for table in _tables(cache):
        table.write_bytes(table.read_bytes()[:100])


def _stale(cache: Path) -> None:
    """Written by other code: the same keys under another stamp, with other values."""
    for table in _tables(cache):
        with table.open("rb") as file:
            stamp, values = pickle.load(file)
        table.write_bytes(pickle.dumps((stamp[::-1], dict.fromkeys(values, "<p>wrong</p>"))))


def _foreign(cache: Path) -> None:
    for table in _tables(cache):
        table.write_bytes(pickle.dumps(("another builder", {"x": "<p>wrong</p>"})))


def _other_site(cache: Path) -> None:
    """The state of a build into another folder: its fingerprints say nothing about this output."""
    table = cache / "state.pickle"
    with table.open("rb") as file:
        stamp, values = pickle.load(file)
    table.write_bytes(pickle.dumps((stamp, {**values, "output": "/elsewhere"})))


@pytest.mark.parametrize("damage", [_corrupt, _truncate, _foreign, _stale, _other_site])
def test_a_damaged_cache_never_changes_the_output(
    synthetic: Path, run_guide: Callable[..., Run], damage: Callable[[Path], None]
) -> None:
    assert run_guide("build").code == 0
    exercise = synthetic / "content/exercises/exercise-00002.md"
    exercise.write_text(exercise.read_text().replace("\ntitle: ", "\ntitle: Renamed ", 1))
    assert run_guide("build", "--no-cache", "--output", "expected").code == 0
    damage(synthetic / ".guide-cache")
    assert run_guide("build").code == 0
    assert site_snapshot(synthetic / "output") == site_snapshot(synthetic / "expected")


def test_a_changed_setting_changes_the_cached_output(synthetic: Path, run_guide: Callable[..., Run]) -> None:
    page = "exercises/exercise-00001/index.html"
    assert run_guide("build").code == 0
    settings = synthetic / "content/site.yml"
    settings.write_text(settings.read_text() + "trusted_html: true\n")
    page_text = synthetic / "content/exercises/exercise-00001.md"
    page_text.write_text(page_text.read_text() + '\n<span onclick="go()">tap</span>\n')
    assert run_guide("build").code == 0
    assert 'onclick="go()"' in (synthetic / "output" / page).read_text()
    settings.write_text(settings.read_text().replace("trusted_html: true\n", ""))
    assert run_guide("build").code == 0
    assert "onclick" not in (synthetic / "output" / page).read_text()


def test_a_build_with_no_file_touched_does_not_read_the_guide(
    synthetic: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_guide("build").code == 0

    def no_reading(*arguments: object, **keywords: object) -> None:
        raise AssertionError("the guide was read")

    monkeypatch.setattr(pipeline, "load_guide", no_reading)
    assert run_guide("build").out.splitlines()[0].endswith("(0 rendered, 126 unchanged, 0 cached)")
    exercise = synthetic / "content/exercises/exercise-00001.md"
    exercise.write_text(exercise.read_text())  # the same bytes, a new time: the guide must be read again
    with pytest.raises(AssertionError, match="the guide was read"):
        run_guide("build")
