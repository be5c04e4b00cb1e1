"""Shared fixtures: a small valid guide in a temporary folder, and the command line run in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from builder.cli import main
from builder.output import MARKER
from builder.webapp import WORKER
from tests.browser import CHROMIUM, CHROMIUM_FLAGS

TESTS = Path(__file__).parent
BASE_GUIDE = TESTS / "fixtures" / "base"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user's cache folder, where the key that signs build caches is kept: the run's own, not the real one."""
    folder = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.delenv("GUIDE_CACHE_KEY", raising=False)
        yield folder


@pytest.fixture
def guide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/fixtures/base as the current folder, so each test states only what it changes."""
    shutil.copytree(BASE_GUIDE, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run_guide(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Runs `guide ARGS...` in this process and returns its exit code and output."""

    def run(*arguments: str) -> Run:
        capsys.readouterr()
        code = main(list(arguments))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder with its bytes, to show that a command changed nothing."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def site_snapshot(folder: Path) -> dict[str, bytes]:
    """A built site's files with their bytes, less the marker whose token names the build that wrote it."""
    return {name: data for name, data in snapshot(folder).items() if name != MARKER}


def site_pages(site: Path) -> dict[str, bytes]:
    """A built site less its search index, which `Builder.rebuild` carries over."""
    return {name: data for name, data in site_snapshot(site).items() if not name.startswith("pagefind/")}


def without_worker(files: dict[str, bytes]) -> dict[str, bytes]:
    """A built site's files as a running builder has them: `guide build` writes a service worker, the preview never."""
    return {name: data for name, data in files.items() if name != WORKER}


def preview_pages(site: Path) -> dict[str, bytes]:
    """A built site as the preview has it: less its search index, and less the service worker."""
    return without_worker(site_pages(site))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run, closed at its end."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()
