"""Parallel builds equal one-process builds byte for byte, and no state of the cache can change the output."""

from __future__ import annotations

import contextlib
import io
import marshal
import pickle
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

import builder.cache
from builder import pipeline
from builder.cache import KEY_VARIABLE, BuildCache, cache_key
from builder.pipeline import BuildOptions
from builder.server import PreviewServer
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
    assert first.out.startswith("built 139 pages in ")
    assert first.out.splitlines()[0].endswith("(139 rendered, 0 unchanged, 0 cached; 72 pictures made)")  # share images
    second = run_guide("build")
    assert second.out.splitlines()[0].endswith("(0 rendered, 139 unchanged, 0 cached)")


def test_no_cache_writes_no_cache(synthetic: Path, run_guide: Callable[..., Run]) -> None:
    assert run_guide("build", "--no-cache").code == 0
    assert not (synthetic / ".guide-cache").exists()


def _tables(cache: Path) -> list[Path]:
    tables = sorted(cache.glob("*.json"))
    assert [table.name for table in tables] == ["bodies.json", "qr.json", "state.json"]
    return tables


def _resign(cache: Path, key: bytes, change: Callable[[str, dict[str, Any]], dict[str, Any]]) -> None:
    """Rewrite every table through `change(name, values)`, signed with `key`."""
    genuine, signer = BuildCache(cache), BuildCache(cache, key=key)
    for table in _tables(cache):
        signer.replace(table.stem, change(table.stem, genuine.table(table.stem)))
    signer.save()


def _corrupt(cache: Path) -> None:
    for table in _tables(cache):
        table.write_bytes(b"not a table")


def _truncate(cache: Path) -> None:
    for table in _tables(cache):
        table.write_bytes(table.read_bytes()[:100])


def _stale(cache: Path) -> None:
    """Written by other code: signed with this user's key under another code stamp, with other HTML for each body."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder.cache, "CODE_STAMP", "other code")
        _resign(
            cache,
            cache_key(),
            lambda name, values: dict.fromkeys(values, "<p>wrong</p>") if name == "bodies" else values,
        )


def _foreign(cache: Path) -> None:
    """Signed with another key: a cache restored from someone else's machine, or forged."""
    _resign(cache, b"another key", lambda name, values: values)


def _wrong_types(cache: Path) -> None:
    """Signed with this user's key, as if by a bug, but not the shape the build reads."""
    _resign(cache, cache_key(), lambda name, values: {key: [value] for key, value in values.items()})


def _folders(cache: Path) -> None:
    """Each table replaced by a folder of the same name: neither readable nor writable."""
    for table in _tables(cache):
        table.unlink()
        table.mkdir()


def _other_site(cache: Path) -> None:
    """The state of a build into another folder: its fingerprints say nothing about this output."""
    _resign(cache, cache_key(), lambda name, values: {**values, "site": "another"} if name == "state" else values)


@pytest.mark.parametrize("damage", [_corrupt, _truncate, _foreign, _stale, _wrong_types, _folders, _other_site])
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
    assert run_guide("build").code == 0  # and the next build, after the damaged cache was (or could not be) written
    assert site_snapshot(synthetic / "output") == site_snapshot(synthetic / "expected")


def test_a_planted_pickle_runs_nothing(synthetic: Path, run_guide: Callable[..., Run]) -> None:
    """Neither `guide build` nor the preview unpickles anything it finds in the cache, under any name."""
    marker = synthetic / "pwned"
    planted = pickle.dumps(_Touch(str(marker)))
    for cache in (synthetic / ".guide-cache", synthetic / ".guide-cache/serve"):
        cache.mkdir(parents=True)
        for name in ("state", "bodies"):
            (cache / f"{name}.pickle").write_bytes(planted)
            (cache / f"{name}.json").write_bytes(planted)
    assert run_guide("build").code == 0
    options = BuildOptions(Path("content"), synthetic / "preview", cache=synthetic / ".guide-cache/serve")
    preview = PreviewServer(options, "127.0.0.1", 0)
    try:
        assert preview.start()
    finally:
        preview.stop()
    assert (synthetic / "preview/index.html").is_file()
    assert not marker.exists()


class _Touch:
    """Unpickling this creates a file: what a planted cache could do if the cache were ever unpickled."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Callable[..., object], tuple[str, str]]:
        return (open, (self.path, "w"))


def test_a_forged_body_never_reaches_a_page(synthetic: Path, run_guide: Callable[..., Run]) -> None:
    """A cache entry with a script in place of a body's HTML is ignored unless signed with this user's key."""
    script = "<script>alert(1)</script>"
    assert run_guide("build").code == 0
    cache = synthetic / ".guide-cache"

    def forge(name: str, values: dict[str, Any]) -> dict[str, Any]:
        return {key: script for key in values} if name == "bodies" else {}

    _resign(cache, b"a stranger's key", forge)
    assert run_guide("build", "--output", "forged").code == 0
    assert script not in (synthetic / "forged/exercises/exercise-00001/index.html").read_text()
    _resign(cache, cache_key(), forge)  # the same entries signed with the key: the test would catch a forgery
    assert run_guide("build", "--output", "signed").code == 0
    assert script in (synthetic / "signed/exercises/exercise-00001/index.html").read_text()


def test_compiled_templates_are_taken_from_the_cache_only_when_signed_with_the_key(
    synthetic: Path, run_guide: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates are code: one planted in the cache runs only if it was signed with this user's key."""
    assert run_guide("build").code == 0
    cache = synthetic / ".guide-cache"
    blobs = sorted(path.relative_to(cache).as_posix() for path in (cache / "templates").rglob("*") if path.is_file())
    assert len(blobs) > 10  # every template the build compiled

    def uncompiled(*_: object) -> None:
        raise AssertionError("a template was compiled")

    with monkeypatch.context() as patched:  # a build in a new process compiles nothing
        patched.setattr(jinja2.Environment, "compile", uncompiled)
        assert run_guide("build", "--output", "from-cache").code == 0
    marker = synthetic / "pwned"
    planted = f"open({str(marker)!r}, 'w')\nname, blocks, debug_info = None, {{}}, ''\ndef root(*_): yield ''"
    evil = marshal.dumps(compile(planted, "<planted>", "exec"))  # a template module that empties every page
    for key in (b"a stranger's key", cache_key()):
        for name in blobs:
            genuine = BuildCache(cache).blob(name) or b""
            stream = io.BytesIO(genuine[len(jinja2.bccache.bc_magic) :])
            checksum = pickle.load(stream)  # the test's own data: the source digest Jinja checks a blob against
            BuildCache(cache, key).put_blob(name, jinja2.bccache.bc_magic + pickle.dumps(checksum, 2) + evil)
        if key == cache_key():  # signed with the key, it runs (and breaks the build): the test would see one that did
            with contextlib.suppress(Exception):
                run_guide("build", "--output", "signed")
            assert marker.exists()
        else:
            assert run_guide("build", "--output", "forged").code == 0
            assert not marker.exists()
            assert site_snapshot(synthetic / "forged") == site_snapshot(synthetic / "from-cache")


def test_the_key_is_kept_outside_the_guide_readable_by_its_owner_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    key = cache_key()
    path = tmp_path / "user-cache/guide/cache-key"
    assert path.read_bytes() == key and len(key) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cache_key() == key
    monkeypatch.setenv(KEY_VARIABLE, "set by the CI")
    assert cache_key() == b"set by the CI"


def test_a_signed_pdf_is_taken_and_a_forged_one_is_not(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, key=b"key")
    cache.put_blob("pdf/abc.pdf", b"%PDF genuine")
    assert cache.blob("pdf/abc.pdf") == b"%PDF genuine"
    assert BuildCache(tmp_path, key=b"other").blob("pdf/abc.pdf") is None
    (tmp_path / "pdf/def.pdf").write_bytes((tmp_path / "pdf/abc.pdf").read_bytes())
    assert cache.blob("pdf/def.pdf") is None  # a genuine blob moved under another name
    (tmp_path / "pdf/abc.pdf").unlink()
    (tmp_path / "pdf/abc.pdf").mkdir()
    assert cache.blob("pdf/abc.pdf") is None
    cache.put_blob("pdf/abc.pdf", b"%PDF new")  # cannot replace a folder: left as it is, no error


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
    assert run_guide("build").out.splitlines()[0].endswith("(0 rendered, 139 unchanged, 0 cached)")
    exercise = synthetic / "content/exercises/exercise-00001.md"
    exercise.write_text(exercise.read_text())  # the same bytes, a new time: the guide must be read again
    with pytest.raises(AssertionError, match="the guide was read"):
        run_guide("build")
