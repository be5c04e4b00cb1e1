"""The installable, offline site (SPEC 4.2): what the service worker keeps, its cache name, the manifest and icons."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from PIL import Image

from builder.cli import main
from builder.diagnostics import Diagnostics
from builder.pipeline import Builder, BuildOptions
from builder.webapp import page_resources
from tests.conftest import BASE_GUIDE
from tests.test_player import write_all_kinds

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="../../static/style.css"><link rel="icon" href="../../static/favicon.svg">
<link rel="manifest" href="../../manifest.webmanifest"><link rel="alternate" href="../../feed.xml">
<script src="../../static/player.js?v=2" defer></script><script src="https://cdn.example/x.js"></script>
</head><body>
<picture><source type="image/webp" srcset="../../media/a.480.webp 480w, ../../media/a.960.webp 960w">
<img src="../../media/a.960.jpeg" srcset="../../media/a.480.jpeg 480w,../../media/a.960.jpeg 960w" alt=""></picture>
<img src="/elsewhere.png" alt=""><img src="//cdn.example/y.png" alt=""><img src="../../../../outside.png" alt="">
<video poster="../../media/p.jpeg" preload="none"><source src="../../media/v.mp4"></video>
<a href="../../exercises/plank/">a link is not loaded</a>
</body></html>"""


def test_a_page_loads_its_styles_scripts_pictures_and_manifest_and_nothing_outside_the_site() -> None:
    assert page_resources(PAGE, "routines/core-basics/") == {
        "static/style.css",
        "static/favicon.svg",
        "manifest.webmanifest",
        "static/player.js",
        "media/a.480.webp",
        "media/a.960.webp",
        "media/a.480.jpeg",
        "media/a.960.jpeg",
        "media/p.jpeg",
        "media/v.mp4",
    }


def _worker(output: Path) -> tuple[str, list[str]]:
    text = (output / "sw.js").read_text(encoding="utf-8")
    cache = re.search(r'const VERSION = "([0-9a-f]{16})";', text)
    files = re.search(r"const FILES = (\[.*\]);", text)
    assert cache and files
    return cache.group(1), json.loads(files.group(1))


def test_the_worker_keeps_routines_players_and_what_they_load_and_is_renamed_when_they_change(tmp_path: Path) -> None:
    content, output = tmp_path / "content", tmp_path / "output"
    write_all_kinds(content)
    assert main(["build", "--content", str(content), "--output", str(output)]) == 0
    cache, files = _worker(output)
    assert [name for name in files if not name.startswith(("static/", "media/"))] == [
        "history/",
        "icon-192.png",
        "icon-512.png",
        "manifest.webmanifest",
        "routines/",
        "routines/all-kinds/",
        "routines/all-kinds/play/",
        "routines/core-basics/",
        "routines/core-basics/play/",
    ]
    assert {"static/player.js", "static/player.css", "static/style.css", "static/history.js"} <= set(files)
    player = (output / "routines/all-kinds/play/index.html").read_text(encoding="utf-8")
    shown = {"media/" + name for name in re.findall(r'class="player__picture" src="../../../media/([^"]+)"', player)}
    assert len(shown) == 2  # one file a picture, as the player shows it, where the routine page's srcset names six
    assert {name for name in files if name.startswith("media/")} == shown
    assert all((output / name).exists() for name in files)
    article = content / "articles" / "hello.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    assert main(["build", "--content", str(content), "--output", str(output)]) == 0
    assert _worker(output)[0] == cache  # an article is not kept: the same cache
    routine = content / "routines" / "core-basics.md"
    routine.write_text(routine.read_text(encoding="utf-8").replace("Start here.", "Start here, slowly."))
    assert main(["build", "--content", str(content), "--output", str(output)]) == 0
    assert _worker(output)[0] != cache  # a kept page changed: a new cache, taken as a whole


def test_the_manifest_starts_at_the_routines_and_its_icons_are_drawn(tmp_path: Path) -> None:
    output = tmp_path / "output"
    assert main(["build", "--content", str(BASE_GUIDE / "content"), "--output", str(output), "--no-cache"]) == 0
    manifest = json.loads((output / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["start_url"], manifest["scope"]) == ("Test Guide", "./routines/", "./")
    for icon in manifest["icons"]:
        with Image.open(io.BytesIO((output / icon["src"]).read_bytes())) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"
            assert image.getpixel((2, 2)) == (0x0D, 0x6E, 0x5B)  # the manifest's theme colour


def test_an_offline_build_has_no_worker_and_no_manifest(tmp_path: Path) -> None:
    output = tmp_path / "output"
    arguments = ["build", "--content", str(BASE_GUIDE / "content"), "--output", str(output), "--offline"]
    assert main([*arguments, "--no-cache"]) == 0
    assert not any((output / name).exists() for name in ("sw.js", "manifest.webmanifest", "icon-192.png"))
    page = (output / "routines" / "core-basics" / "play" / "index.html").read_text(encoding="utf-8")
    assert "offline.js" not in page and 'rel="manifest"' not in page


def test_a_running_builder_that_writes_the_worker_rebuilds_it_with_the_pages(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_all_kinds(content)
    builder = Builder(BuildOptions(content, tmp_path / "output", jobs=1, worker=True))
    assert builder.build(Diagnostics()) is not None
    routine = content / "routines" / "all-kinds.md"
    routine.write_text(routine.read_text(encoding="utf-8").replace("For the tests.", "For the tests, edited."))
    assert builder.rebuild([routine], Diagnostics()) is not None  # no quick path: it would leave the worker behind
    assert main(["build", "--content", str(content), "--output", str(tmp_path / "clean"), "--no-cache"]) == 0
    assert _worker(tmp_path / "output") == _worker(tmp_path / "clean")
