"""The media benchmark: `python -m tests.perf.media_bench [COUNT]` (default 1000).

A synthetic guide of COUNT exercises (`tests.perf.generate`), each showing
one 4000x3000 JPEG of its own with EXIF orientation 6 and a GPS position,
is built in new processes, against the same guide with no pictures, and
against a bare Pillow loop doing the same conversions over the same files
(open, decode at the scale the widest rendition needs, turn upright, convert
to sRGB, resize to each width, save WebP and JPEG) on every core. Printed:
medians of RUNS runs, ratios to their baseline, the peak memory of the build
process and of its largest worker, pictures made, and the preview's time from
replacing a picture to headless Chromium showing the new one on the
exercise page open in `guide serve` (its live reload, then the picture loaded).

Share images are measured apart: the guide's `base_url` is left out for the
picture figures (no share images are made), then set to time drawing them
(a clean output, the share images gone from the cache, against the same with
them cached) and everything sharing adds once they are cached (canonical
links, Open Graph tags, JSON-LD, feed and sitemap: against the build without
`base_url`). The preview starts with the pictures already in its cache, as a
preview after a build does.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps
from playwright.sync_api import sync_playwright

from builder.imaging import SAVE_OPTIONS, in_srgb
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.perf.bench import edit, timed_build
from tests.perf.generate import generate
from tests.perf.serve_bench import served

RUNS = 3
WIDTHS = (480, 960, 1440)
FORMATS = ("webp", "jpeg")
SIZE = (4000, 3000)


def photo(seed: int = 0, size: tuple[int, int] = SIZE) -> bytes:
    """A 4000x3000 JPEG with the texture of a photo (shapes, gradients and grain), and no EXIF.

    Drawn in a process of its own: a process's peak memory passes to the programs it starts, and the builds
    this benchmark starts must report their own.
    """
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_draw_photo, (seed, size))


def _draw_photo(seed: int, size: tuple[int, int]) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for step in range(seed, seed + 40):
        left, top = (step * 97) % size[0], (step * 61) % size[1]
        colour = ((step * 53) % 256, (step * 101) % 256, (step * 29) % 256)
        draw.ellipse((left, top, left + 700, top + 500), fill=colour)
    grain = Image.effect_noise(size, 40).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(6)), grain, 0.15)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def with_exif(jpeg: bytes, number: int) -> bytes:
    """The photo with an EXIF block of its own: orientation 6, a GPS position, a number that makes its bytes unique."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010E] = f"Photo {number}"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, float(number % 60)), 3: "W", 4: (0.0, 7.0, 39.0)}
    block = b"Exif\x00\x00" + exif.tobytes()
    segment = b"\xff\xe1" + (len(block) + 2).to_bytes(2, "big") + block
    return jpeg[:2] + segment + jpeg[2:]


def add_pictures(content: Path, size: tuple[int, int] = SIZE) -> list[Path]:
    """One photo per exercise in content/media/, named in its front matter; the photos' paths."""
    media = content / "media"
    media.mkdir()
    jpeg = photo(size=size)
    paths = []
    for number, exercise in enumerate(sorted((content / "exercises").glob("*.md"))):
        path = media / f"{exercise.stem}.jpg"
        path.write_bytes(with_exif(jpeg, number))
        text = exercise.read_text(encoding="utf-8")
        media_key = f"media:\n  - src: ../media/{path.name}\n    alt: Photo of exercise {number}\n"
        exercise.write_text(text.replace("\n---\n", f"\n{media_key}---\n", 1), encoding="utf-8")
        paths.append(path)
    return paths


def _bare_one(path: Path) -> int:
    """The same conversions as the build, written by hand: one picture's renditions, their bytes in all."""
    with Image.open(path) as opened:
        width, height = opened.size[::-1]  # orientation 6: shown turned a quarter
        scale = max(WIDTHS) / width
        opened.draft("RGB", (round(height * scale), round(width * scale)))
        upright = ImageOps.exif_transpose(opened)
    image = in_srgb(upright, "RGB")
    image.info = {}
    written = 0
    for target in sorted(WIDTHS, reverse=True):  # each width from the next wider one, as the build does
        image = image.resize((target, round(height * target / width)), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for extension in FORMATS:
            buffer = io.BytesIO()
            image.save(buffer, **SAVE_OPTIONS[extension])
            written += len(buffer.getvalue())
    return written


def bare_loop(paths: list[Path]) -> float:
    """Seconds for the bare Pillow loop over every photo, on every core."""
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        for _ in pool.imap_unordered(_bare_one, paths):
            pass
    return time.perf_counter() - started


def clean(folder: Path) -> None:
    shutil.rmtree(folder / "output", ignore_errors=True)
    shutil.rmtree(folder / ".guide-cache", ignore_errors=True)


def median_builds(folder: Path, runs: int, before: str = "") -> list[dict[str, float]]:
    """`runs` builds in new processes; `before` is `clean` for cold builds, `output` to remove the output alone."""
    reports = []
    for _ in range(runs):
        if before == "clean":
            clean(folder)
        elif before == "output":
            shutil.rmtree(folder / "output", ignore_errors=True)
        reports.append(timed_build(folder))
    return reports


def seconds(reports: list[dict[str, float]]) -> float:
    return statistics.median(report["seconds"] for report in reports)


def peaks(reports: list[dict[str, float]]) -> str:
    own = max(report["self_kb"] for report in reports) / 1024
    worker = max(report["children_kb"] for report in reports) / 1024
    return f"{own:>8.0f} {worker:>9.0f}"


def row(name: str, value: float, baseline: float | None, extra: str = "") -> None:
    ratio = f"{value / baseline:>6.2f}" if baseline else f"{'':>6}"
    print(f"{name:<44} {value:>9.2f} {ratio} {extra}")
    sys.stdout.flush()


@contextmanager
def guide(count: int) -> Iterator[tuple[Path, Path, list[Path]]]:
    """Two copies of one synthetic guide without base_url: with a photo per exercise, and without pictures."""
    with tempfile.TemporaryDirectory(prefix="guide-media-bench-") as scratch:
        plain, pictured = Path(scratch) / "plain", Path(scratch) / "pictured"
        generate(count, plain)
        settings = plain / "content" / "site.yml"
        settings.write_text(re.sub(r"base_url: .*\n", "", settings.read_text()), encoding="utf-8")
        shutil.copytree(plain, pictured)
        yield plain, pictured, add_pictures(pictured / "content")


def replaced_picture_build(folder: Path, photo_path: Path) -> dict[str, float]:
    """A build after one photo is replaced by another: the run's report, with the pictures it made."""
    photo_path.write_bytes(with_exif(photo(1), 99_999))
    return timed_build(folder)


_MAIN = """() => document.querySelector(".media--main img").currentSrc"""
"""The file the open page's main image shows."""

_SHOWN = """(old) => {
  const image = document.querySelector(".media--main img");
  return image && image.complete && image.naturalWidth > 0 && image.currentSrc && image.currentSrc !== old;
}"""
"""Whether the open page shows its main image, loaded, from a file other than `old`."""

_PAINTED = """() => new Promise((resolve) => {
  const shown = document.querySelector(".media--main img").currentSrc;
  new PerformanceObserver((list) => {
    const entry = list.getEntries().find((found) => found.url === shown);
    if (entry) resolve(performance.timeOrigin + entry.startTime);
  }).observe({ type: "largest-contentful-paint", buffered: true });
})"""
"""When Chromium painted the main image, in milliseconds since the epoch: the page's largest contentful paint."""


def preview_latencies(folder: Path, photo_path: Path) -> list[float]:
    """Seconds from replacing a photo to Chromium painting the new one on its exercise page, open in `guide serve`.

    The page reloads by the preview's own live reload; each replacement is a photo with bytes of its own. The
    paint is the browser's largest contentful paint, the main image, on its clock, which is this machine's.
    """
    latencies = []
    with served(folder) as (port, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/exercises/{photo_path.stem}/")
        page.wait_for_timeout(2000)  # the reload channel is connected, the preview's templates compiled
        for run in range(RUNS):
            old = page.evaluate(_MAIN)  # not a name found in the page: with base_url, its share image comes first
            replacement = with_exif(photo(2), 123_456 + run)
            written = time.time()
            photo_path.write_bytes(replacement)
            page.wait_for_function(_SHOWN, arg=old, timeout=60_000)
            latencies.append(page.evaluate(_PAINTED) / 1000 - written)
            page.wait_for_timeout(8000)  # the search index catches up, as it does between an author's saves
        browser.close()
    return latencies


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(f"cores: {os.cpu_count()}; {count} exercises, one 4000x3000 JPEG each; medians of {RUNS} runs")
    print(f"{'measure':<44} {'median s':>9} {'ratio':>6} {'peak MB':>8} {'worker MB':>9}")
    with guide(count) as (plain, pictured, photos):
        bare = statistics.median(bare_loop(photos) for _ in range(RUNS))
        row("bare Pillow loop, every core", bare, bare)
        cold_plain = median_builds(plain, RUNS, "clean")
        cold_pictured = median_builds(pictured, RUNS, "clean")
        row("clean build, no pictures", seconds(cold_plain), None, peaks(cold_plain))
        row("clean build, pictures", seconds(cold_pictured), None, peaks(cold_pictured))
        pictures = seconds(cold_pictured) - seconds(cold_plain)
        row("  pictures' share (difference)", pictures, bare)
        warm_plain, warm_pictured = median_builds(plain, RUNS), median_builds(pictured, RUNS)
        row("warm build, nothing changed, no pictures", seconds(warm_plain), None, peaks(warm_plain))
        row("warm build, nothing changed, pictures", seconds(warm_pictured), None, peaks(warm_pictured))
        row("  added by pictures (difference)", seconds(warm_pictured) - seconds(warm_plain), None)
        edited = {}
        for name, folder in (("no pictures", plain), ("pictures", pictured)):
            exercise = folder / "content" / "exercises" / "exercise-00003.md"
            edited[name] = []
            for run in range(RUNS):
                edit(exercise, "## Part 1", f"## Part 1\n\nAn added sentence, run {run}.")
                edited[name].append(timed_build(folder))
            row(f"body edited, {name}", seconds(edited[name]), None, peaks(edited[name]))
        row("  added by pictures (difference)", seconds(edited["pictures"]) - seconds(edited["no pictures"]), None)
        cached = median_builds(pictured, RUNS, "output")
        row("clean output, pictures from the cache", seconds(cached), None, peaks(cached))
        replaced = replaced_picture_build(pictured, photos[0])
        row("one photo replaced", replaced["seconds"], None, f"{peaks([replaced])}  {replaced['made']:.0f} made")
        with_url = pictured / "content" / "site.yml"
        with_url.write_text(with_url.read_text() + "base_url: https://example.org/synthetic/\n", encoding="utf-8")
        pages = count + 2 * max(1, count // 10)
        drawn = []
        for _ in range(RUNS):
            for blob in (pictured / ".guide-cache" / "media").rglob("*"):
                if blob.name.startswith(("exercise-", "routine-", "article-")) and blob.name.count(".") == 2:
                    blob.unlink()  # share images only (`<kind>-<slug>.<digest>.png`): renditions have a width too
            drawn += median_builds(pictured, 1, "output")
        shared_cached = median_builds(pictured, RUNS, "output")
        made = f"{peaks(drawn)}  {drawn[0]['made']:.0f} made"
        row("share images drawn, per image (ms)", 1000 * (seconds(drawn) - seconds(shared_cached)) / pages, None, made)
        per_page = 1000 * (seconds(shared_cached) - seconds(cached)) / pages
        row("sharing with images cached, per page (ms)", per_page, None, peaks(shared_cached))
        shutil.copytree(pictured / ".guide-cache" / "media", pictured / ".guide-cache" / "serve" / "media")
        latencies = preview_latencies(pictured, photos[1])
        row("preview: photo replaced to new photo shown", statistics.median(latencies), None)


if __name__ == "__main__":
    main()
