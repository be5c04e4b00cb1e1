"""Golden site: the fixture guide's whole build compared file by file with tests/golden/base.

After a deliberate change to templates or output, regenerate with:
    GUIDE_REGENERATE_GOLDEN=1 python -m pytest tests/test_golden.py
and review the diff in git before committing it.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

from builder.cli import main
from tests.conftest import BASE_GUIDE, site_snapshot

GOLDEN = Path(__file__).parent / "golden" / "base"
_DIGEST = re.compile(rb"\.[0-9a-f]{12}\.((?:\d+\.)?(?:png|jpeg|webp|avif|gif|svg|mp4|webm|vtt))")
_WORKER_CACHE = re.compile(rb'const VERSION = "[0-9a-f]{16}"')


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_fixture_guide_builds_exactly_the_golden_site(tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert main(["build", "--content", str(BASE_GUIDE / "content"), "--output", str(output), "--no-cache"]) == 0
    # The theme's static files are copied as they are; the search bundle is Pagefind's, checked by test_search.py;
    # pictures and share images are checked by test_media.py and test_social.py. Their names carry a digest of the
    # Pillow version and the code that makes them, which pages name too: the golden pages say DIGEST instead.
    # The app's icons are drawn by Pillow too, and the worker's cache is named after the bytes it holds, pictures
    # included (test_player.py checks both).
    built = {
        name: _WORKER_CACHE.sub(b'const VERSION = "DIGEST"', _DIGEST.sub(rb".DIGEST.\1", data))
        for name, data in site_snapshot(output).items()
        if not name.startswith(("static/", "pagefind/", "social/", "media/", "icon-"))
    }
    if os.environ.get("GUIDE_REGENERATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    expected = _files(GOLDEN)
    assert sorted(built) == sorted(expected)
    differences = []
    for name in sorted(expected):
        if built[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(),
                built[name].decode().splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
            )
            differences.append("\n".join(list(diff)[:40]))
    assert not differences, "\n\n".join(differences)
