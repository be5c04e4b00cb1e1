"""Builds stopped from outside: SIGTERM cleans up as Ctrl-C does, SIGKILL's debris goes with the next build.

Also the folders a build works in (claimed, swept), and the modes of what it writes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from builder.scratch import MARKER, MARKER_TEXT, scratch_folder, sweep
from tests.conftest import Run, site_snapshot, snapshot
from tests.perf.generate import generate

EXERCISE = Path("content/exercises/exercise-00003.md")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 150-exercise guide built once, whose builds take long enough to be stopped at several moments."""
    folder = tmp_path_factory.mktemp("interrupted")
    generate(150, folder)
    subprocess.run([sys.executable, "-m", "builder", "build"], cwd=folder, check=True, capture_output=True)
    return folder


def _staged_pages(folder: Path) -> bool:
    return any(staging.glob("exercises/*/index.html") for staging in folder.glob(".output-new-*"))


MOMENTS: dict[str, Callable[[Path], bool]] = {
    "staging made": lambda folder: any(folder.glob(".output-new-*")),
    "pages written": _staged_pages,
    "search indexing": lambda folder: any(folder.glob(".output-search-*")),
}


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def _processes_in(folder: Path) -> list[str]:
    """The command lines of running processes whose working folder is `folder`: the build's workers and Pagefind."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")) == folder:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found


def _debris(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith(".output-"))


@pytest.fixture
def interrupted(built: Path) -> Iterator[Path]:
    """The built guide with an edited title (so a build renders and indexes), restored afterwards."""
    original = (built / EXERCISE).read_text()
    (built / EXERCISE).write_text(original.replace("\ntitle: ", f"\ntitle: Edited {time.monotonic_ns()} ", 1))
    try:
        yield built
    finally:
        (built / EXERCISE).write_text(original)


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_stopped_build_leaves_the_output_and_no_debris_or_process_behind(
    interrupted: Path, moment: str, signal_number: int
) -> None:
    before = snapshot(interrupted / "output")
    build = subprocess.Popen(
        [sys.executable, "-m", "builder", "build"],
        cwd=interrupted,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: MOMENTS[moment](interrupted) or build.poll() is not None)
        assert build.poll() is None, "the build ended before the moment came"
        build.send_signal(signal_number)
        _, err = build.communicate(timeout=30)
    finally:
        build.kill()
        build.wait()
    _wait_for(lambda: not _processes_in(interrupted), seconds=0.5)  # Pagefind alone takes longer than that here
    assert snapshot(interrupted / "output") == before
    if signal_number == signal.SIGTERM:
        assert build.returncode == 128 + signal.SIGTERM
        assert err.strip() == "guide: terminated"
        assert _debris(interrupted) == []
    rebuilt = subprocess.run([sys.executable, "-m", "builder", "build"], cwd=interrupted, capture_output=True)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _debris(interrupted) == []
    assert b"Edited" in (interrupted / "output/exercises/exercise-00003/index.html").read_bytes()


def _claim_and_die(beside: Path) -> None:
    """In a child process: claim a scratch folder, then die without a chance to remove it."""
    with scratch_folder(beside, "new") as folder:
        (folder / "page.html").write_text("half a site")
        os._exit(0)


def test_only_abandoned_folders_of_ours_are_swept(tmp_path: Path) -> None:
    output = tmp_path / "output"
    child = multiprocessing.get_context("fork").Process(target=_claim_and_die, args=(output,))
    child.start()
    child.join()
    (abandoned,) = tmp_path.glob(".output-new-*")
    empty = tmp_path / ".output-new-empty"  # killed between making the folder and its marker
    empty.mkdir()
    begun = tmp_path / ".output-new-begun"  # killed while writing the marker
    begun.mkdir()
    (begun / MARKER).write_text(MARKER_TEXT[:10])
    unmarked = tmp_path / ".output-new-unmarked"
    unmarked.mkdir()
    (unmarked / "notes.txt").write_text("someone's notes")
    foreign = tmp_path / ".output-old-foreign"
    foreign.mkdir()
    (foreign / MARKER).write_text("someone else's marker\n")
    (foreign / "page.html").write_text("someone else's page")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / MARKER).write_text(MARKER_TEXT)
    (tmp_path / ".output-new-link").symlink_to(elsewhere)
    with scratch_folder(output, "search") as running:
        assert sorted(sweep(output)) == sorted([abandoned, empty, begun])
        assert running.is_dir()
    assert not running.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".output-new-link",
        ".output-new-unmarked",
        ".output-old-foreign",
        "elsewhere",
    ]
    assert (elsewhere / MARKER).is_file()


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_the_output_takes_the_modes_the_umask_gives(guide: Path, run_guide: Callable[..., Run], umask: int) -> None:
    previous = os.umask(umask)
    try:
        assert run_guide("build").code == 0
        assert run_guide("build", "--output", "output", "--base-url", "https://example.org/").code == 0
    finally:
        os.umask(previous)
    for path in [guide / "output", *(guide / "output").rglob("*")]:
        expected = 0o777 & ~umask if path.is_dir() else 0o666 & ~umask
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


@pytest.mark.parametrize("name", ["static/style.css", "exercises/plank/index.html"])
def test_a_symbolic_link_left_in_the_output_becomes_a_real_file(
    guide: Path, run_guide: Callable[..., Run], name: str
) -> None:
    """Same bytes or not, a link is never carried into the new site, where it would lead outside it."""
    assert run_guide("build").code == 0
    expected = site_snapshot(guide / "output")
    outside = guide / "outside.txt"
    outside.write_bytes((guide / "output" / name).read_bytes())
    (guide / "output" / name).unlink()
    (guide / "output" / name).symlink_to(outside)
    assert run_guide("build").code == 0
    placed = guide / "output" / name
    assert not placed.is_symlink()
    assert placed.stat().st_ino != outside.stat().st_ino
    assert site_snapshot(guide / "output") == expected


_ORPHANING = """
import multiprocessing, os, subprocess, sys, time
from builder.lifetime import end_with_this_process, worker_start
program = subprocess.Popen(["sleep", "60"], preexec_fn=end_with_this_process())
pool = multiprocessing.get_context("fork").Pool(1, worker_start, (os.getpid(),))
worker = pool.apply(os.getpid)
print(program.pid, worker, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    """Whether a process runs: a zombie, dead but not yet reaped by whoever adopted it, does not."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_programs_and_workers_die_with_a_build_killed_outright() -> None:
    """Pagefind is started, and render workers forked, so that the kernel kills them when the build dies."""
    parent = subprocess.Popen([sys.executable, "-c", _ORPHANING], stdout=subprocess.PIPE, text=True)
    try:
        children = [int(pid) for pid in parent.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(children) == 2 and all(_alive(pid) for pid in children)
    finally:
        parent.kill()
        parent.wait()
    _wait_for(lambda: not any(_alive(pid) for pid in children), seconds=5)
