"""The routine player in Chromium (SPEC 4.2), on Playwright's clock, against the Python step plan.

Time is Playwright's: `clock.install()` before a page loads, then `run_for` to
let a step run out and `fast_forward` to jump as a phone that slept does. The
browser's sound, speech, vibration and wake lock are stubs that record what the
player asks of them. Each step's data attributes are compared with the plan
`builder.steps` made for the same routine.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from builder.cli import main
from builder.diagnostics import Diagnostics
from builder.steps import Timing, player_plans
from builder.validate import load_guide
from tests.conftest import BASE_GUIDE
from tests.mediafiles import rotated_jpeg
from tests.serving import serve

REPOSITORY = Path(__file__).parent.parent
SHIPPED = "routines/back-and-hip-strength-for-runners/"

CURL_UP = """---
title: Curl-up
summary: A small lift of the head and shoulders.
region: core
muscles:
  primary: [transverse-abdominis]
prescription:
  reps: 10
cues:
  - Keep the neck long
---
Lift only the shoulders.
"""

ALL_KINDS = """---
title: All kinds
summary: Every kind of step the player has.
exercises:
  - exercise: plank
    sets: 1-2
    duration: 4-6s
    rest: 3s
  - exercise: bird-dog
    reps: 2
    hold: 2s
  - exercise: curl-up
    sets: 2
    reps: 8-10
  - exercise: plank
    sets: 1
    duration: 3s
    per_side: true
    note: Once on each side.
---
For the tests.
"""

PLAYER_SETTINGS = "seconds_per_rep: 1\nplayer:\n  rest: 2s\n  change: 3s\n  switch: 1s\n"

STUBS = """
window.__calls = [];
const record = (...args) => window.__calls.push(args);
class Param { setValueAtTime() {} exponentialRampToValueAtTime() {} set value(v) { record("tone", v); } }
class Node {
  constructor() { this.frequency = new Param(); this.gain = new Param(); }
  connect(n) { return n; }
  start() {}
  stop() {}
}
window.AudioContext = class {
  constructor() { record("audio"); this.currentTime = 0; this.destination = {}; }
  createOscillator() { return new Node(); }
  createGain() { return new Node(); }
  resume() { return Promise.resolve(); }
};
Object.defineProperty(navigator, "vibrate", { value: (pattern) => { record("vibrate", pattern); return true; } });
Object.defineProperty(navigator, "wakeLock", {
  value: {
    request: (type) => { record("wakeLock", type); return Promise.resolve({ release() { record("release"); } }); },
  },
});
Object.defineProperty(window, "speechSynthesis", {
  value: { speak: (said) => record("speak", said.text, said.lang), cancel() {} },
});
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
"""

PICTURES_SHOWN = """async () => {
  const pictures = [...document.images];
  await Promise.all(pictures.map((one) => one.decode().catch(() => null)));
  return pictures.filter((one) => one.complete && one.naturalWidth > 0).length;
}"""
STATE = "() => JSON.parse(localStorage.getItem('guide:player:' + location.pathname))"
ATTRIBUTES = "() => { const d = document.querySelector('[data-player]').dataset; return {...d}; }"


def write_all_kinds(content: Path) -> None:
    """The base guide with a routine of every kind of step, a third exercise, and a photo of each of the others."""
    shutil.copytree(BASE_GUIDE / "content", content)
    (content / "media").mkdir()
    rotated_jpeg(content / "media" / "bird-dog.jpg")
    rotated_jpeg(content / "media" / "plank.jpg", size=(600, 450))
    for slug in ("bird-dog", "plank"):
        exercise = content / "exercises" / f"{slug}.md"
        media = f"media:\n  - src: ../media/{slug}.jpg\n    alt: The {slug} position\n"
        exercise.write_text(exercise.read_text(encoding="utf-8").replace("\n---\n", f"\n{media}---\n", 1))
    (content / "exercises" / "curl-up.md").write_text(CURL_UP, encoding="utf-8")
    (content / "routines" / "all-kinds.md").write_text(ALL_KINDS, encoding="utf-8")
    settings = content / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + PLAYER_SETTINGS, encoding="utf-8")


def plans_of(content: Path, slug: str) -> dict[str, list[dict[str, Any]]]:
    """The step plans the build embeds for a routine, made here by the Python that makes them there."""
    guide = load_guide(content, Diagnostics())
    assert guide is not None
    return player_plans(guide.routines[slug].items, Timing.of(guide.settings))


@pytest.fixture(scope="module")
def all_kinds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("player")
    write_all_kinds(folder / "content")
    output = folder / "output"
    assert main(["build", "--content", str(folder / "content"), "--output", str(output), "--no-cache"]) == 0
    with serve(output) as url:
        yield url, folder / "content"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output = tmp_path_factory.mktemp("shipped") / "output"
    assert main(["build", "--content", str(REPOSITORY / "content"), "--output", str(output), "--no-cache"]) == 0
    with serve(output) as url:
        yield url


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(STUBS)
    try:
        yield context
    finally:
        context.close()


def open_player(context: BrowserContext, url: str) -> tuple[Page, list[str]]:
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.clock.install()
    page.goto(url)
    return page, problems


def expected(step: dict[str, Any], paused: bool = False) -> dict[str, str]:
    remaining = "" if step["seconds"] is None else str(step["seconds"])
    keys = ("phase", "exercise", "set", "sets", "side", "rep")
    return {key: str(step[key]) for key in keys} | {"remaining": remaining, "paused": str(paused).lower()}


def shown(page: Page) -> dict[str, str]:
    found = page.evaluate(ATTRIBUTES)
    return {key: found[key] for key in ("phase", "exercise", "set", "sets", "side", "rep", "remaining", "paused")}


def next_step(page: Page, step: dict[str, Any]) -> None:
    """Let a timed step run out (and 150 ms more, so the player's quick poll has seen it), or press Done."""
    if step["seconds"] is None:
        page.keyboard.press("Enter")
    else:
        left = page.evaluate(f"() => ({STATE})().endAt - Date.now()")
        page.clock.run_for(left + 150)


def walk(page: Page, steps: list[dict[str, Any]]) -> None:
    for number, step in enumerate(steps):
        assert shown(page) == expected(step), f"step {number}"
        if step["phase"] != "done":
            next_step(page, step)


def start(page: Page, end: str = "low") -> None:
    if end == "high":
        page.check('input[name="end"][value="high"]')
    page.click("[data-action=start]")


def test_the_shipped_routine_plays_step_by_step_as_planned_and_is_saved_when_done(
    context: BrowserContext, shipped: str
) -> None:
    plans = plans_of(REPOSITORY / "content", "back-and-hip-strength-for-runners")
    page, problems = open_player(context, shipped + SHIPPED + "play/")
    assert json.loads(page.locator("[data-plans]").text_content() or "") == plans
    start(page)
    walk(page, plans["low"])
    assert page.locator("[data-finished]").is_visible()
    (session,) = page.evaluate(
        "() => JSON.parse(localStorage.getItem('guide:history:' + new URL('../../../', location).pathname))"
    )
    assert session["routine"] == "back-and-hip-strength-for-runners"
    assert session["sets"] == len({(step["item"], step["set"]) for step in plans["low"] if step["phase"] == "work"})
    assert session["skipped"] == []
    assert page.evaluate(STATE) is None  # a finished session does not resume
    assert problems == []


@pytest.mark.parametrize("end", ["low", "high"])
def test_every_kind_of_step_plays_at_either_end_of_the_ranges(
    context: BrowserContext, all_kinds: tuple[str, Path], end: str
) -> None:
    url, content = all_kinds
    steps = plans_of(content, "all-kinds")[end]
    assert {step["phase"] for step in steps} == {"ready", "work", "rest", "switch", "next", "done"}
    assert any(step["rep"] for step in steps) and any(step["seconds"] is None for step in steps[:-1])
    page, problems = open_player(context, url + "routines/all-kinds/play/")
    start(page, end)
    walk(page, steps)
    assert problems == []


def test_the_chosen_end_is_remembered(context: BrowserContext, all_kinds: tuple[str, Path]) -> None:
    url, _ = all_kinds
    page, _ = open_player(context, url + "routines/all-kinds/play/")
    start(page, "high")
    page.goto(url + "routines/core-basics/play/")  # another routine, with no range to choose, played
    start(page)
    page.goto(url + "routines/all-kinds/play/")
    page.evaluate("() => localStorage.removeItem('guide:player:' + location.pathname)")
    page.reload()
    assert page.is_checked('input[name="end"][value="high"]')


def test_pause_back_skip_and_the_ten_second_buttons(context: BrowserContext, all_kinds: tuple[str, Path]) -> None:
    url, content = all_kinds
    steps = plans_of(content, "all-kinds")["low"]
    page, _ = open_player(context, url + "routines/all-kinds/play/")
    start(page)
    page.keyboard.press("ArrowRight")  # skip the get-ready
    assert shown(page) == expected(steps[1])
    page.clock.run_for(2000)
    page.keyboard.press(" ")
    assert shown(page) == expected(steps[1], paused=True) | {"remaining": "2"}
    page.clock.run_for(30_000)  # paused: time stands still
    assert shown(page)["remaining"] == "2"
    page.keyboard.press(" ")
    assert shown(page)["paused"] == "false"
    page.click("[data-action=plus]")
    assert shown(page)["remaining"] == "12"
    page.click("[data-action=minus]")
    assert shown(page)["remaining"] == "2"
    page.keyboard.press("ArrowLeft")  # back to the get-ready, its time in full
    assert shown(page) == expected(steps[0])
    assert page.is_disabled("[data-action=back]")
    page.keyboard.press("ArrowLeft")  # nothing before the first step
    assert shown(page) == expected(steps[0])
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert shown(page) == expected(steps[3])
    assert (steps[3]["rep"], steps[4]["rep"], steps[5]["phase"]) == (1, 2, "switch")
    page.click("[data-action=skip]")  # one press skips the rest of the held repetitions of this side
    assert shown(page) == expected(steps[5])


def test_a_reload_mid_set_resumes_where_the_session_is(context: BrowserContext, all_kinds: tuple[str, Path]) -> None:
    url, content = all_kinds
    steps = plans_of(content, "all-kinds")["low"]
    page, problems = open_player(context, url + "routines/all-kinds/play/")
    start(page)
    page.clock.run_for(3000 + 150 + 1000)  # the get-ready, then a second into the first hold of 4
    assert shown(page) == expected(steps[1]) | {"remaining": "3"}
    page.reload()
    assert shown(page) == expected(steps[1]) | {"remaining": "3"}
    assert page.locator("[data-resumed]").is_visible()
    page.clock.run_for(3000 + 150)
    assert shown(page) == expected(steps[2])
    assert problems == []


def test_a_minute_fast_forwarded_lands_on_the_step_the_timestamps_say(context: BrowserContext, shipped: str) -> None:
    steps = plans_of(REPOSITORY / "content", "back-and-hip-strength-for-runners")["low"]
    page, _ = open_player(context, shipped + SHIPPED + "play/")
    start(page)
    at = next(number for number, step in enumerate(steps) if step["exercise"] == "back-extension" and step["rep"])
    for step in steps[:at]:  # up to the back extension's first repetition: ten held ones in a row, then a rest
        next_step(page, step)
    assert shown(page) == expected(steps[at])
    page.evaluate("() => { window.__calls.length = 0; }")
    page.clock.fast_forward(60_000)  # as a phone that slept for a minute, then one poll of the clock
    elapsed, landed = 60 + 0.15, at  # seven repetitions of 8 s have gone by, and 4 s of the eighth
    while elapsed >= steps[landed]["seconds"]:
        elapsed -= steps[landed]["seconds"]
        landed += 1
    assert steps[landed]["rep"] == 8
    assert shown(page) == expected(steps[landed]) | {"remaining": "4"}
    assert not any(call[0] == "tone" and call[1] != 880 for call in page.evaluate("() => window.__calls"))


def test_a_session_left_running_for_hours_is_not_finished_for_the_reader(
    context: BrowserContext, all_kinds: tuple[str, Path]
) -> None:
    url, _ = all_kinds
    page, problems = open_player(context, url + "routines/all-kinds/play/")
    start(page)
    page.clock.run_for(2000)
    page.close()  # the tab closed mid-session, and opened again three hours later
    page = context.new_page()
    page.clock.fast_forward(3 * 3600 * 1000)
    page.goto(url + "routines/all-kinds/play/")
    assert shown(page)["phase"] == "ready" and page.get_attribute("[data-player]", "data-started") == "false"
    assert page.evaluate(STATE) is None
    assert (
        page.evaluate("() => localStorage.getItem('guide:history:' + new URL('../../../', location).pathname)") is None
    )
    assert problems == []


def test_sound_vibration_wake_lock_and_spoken_prompts(context: BrowserContext, all_kinds: tuple[str, Path]) -> None:
    url, _ = all_kinds
    page, _ = open_player(context, url + "routines/all-kinds/play/")
    assert page.evaluate("() => window.__calls") == []  # nothing before the Start tap
    start(page)
    page.clock.run_for(3150)
    calls = page.evaluate("() => window.__calls")
    assert ["audio"] in calls and ["wakeLock", "screen"] in calls
    assert sum(1 for call in calls if call == ["tone", 880]) == 3  # 3-2-1 of the get-ready
    assert any(call[0] == "vibrate" for call in calls)
    assert not any(call[0] == "speak" for call in calls)  # spoken prompts are off by default
    page.keyboard.press(" ")
    assert ["release"] in page.evaluate("() => window.__calls")  # paused: the screen may sleep
    page.reload()
    assert page.evaluate("() => window.__calls") == [] and shown(page)["paused"] == "true"  # resumed, paused
    page.keyboard.press(" ")
    assert ["audio"] in page.evaluate("() => window.__calls")  # the first key after a reload brings the sound back
    page.evaluate("() => localStorage.removeItem('guide:player:' + location.pathname)")
    page.reload()
    page.check("[data-speech]")
    start(page)
    assert ["speak", "Get ready. Plank", "en"] in page.evaluate("() => window.__calls")


def test_history_lists_exports_imports_and_clears_sessions(
    context: BrowserContext, all_kinds: tuple[str, Path], tmp_path: Path
) -> None:
    url, content = all_kinds
    steps = plans_of(content, "all-kinds")["low"]
    page, problems = open_player(context, url + "routines/all-kinds/play/")
    start(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the first hold skipped
    curl_up = next(number for number, step in enumerate(steps) if step["exercise"] == "curl-up" and step["sets"])
    for number, step in enumerate(steps[2:-1], start=2):
        next_step(page, step)
        if number == curl_up:  # its first set done, then gone back to and done again: still one set
            page.keyboard.press("ArrowLeft")
            page.keyboard.press("Enter")
    assert shown(page)["phase"] == "done"
    page.keyboard.press("ArrowLeft")  # a finished session stays finished, and is saved once
    assert shown(page)["phase"] == "done"
    page.goto(url + "routines/all-kinds/")
    assert page.locator("[data-last-done]").is_visible()
    page.goto(url + "history/")
    rows = page.locator("[data-rows] tr")
    assert rows.count() == 1
    assert rows.first.locator("td").all_text_contents()[1:] == ["All kinds", "1 min", "4", "Plank"]
    with page.expect_download() as download:
        page.click("[data-export]")
    exported = tmp_path / "sessions.json"
    download.value.save_as(exported)
    assert [session["title"] for session in json.loads(exported.read_text())] == ["All kinds"]
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-clear]")
    assert rows.count() == 0 and page.locator("[data-empty]").is_visible()
    status = page.locator("[data-status]")
    page.set_input_files("[data-import]", str(exported))
    expect(status).to_have_text("Imported 1 sessions (1 in all).")
    expect(rows).to_have_count(1)
    page.set_input_files("[data-import]", str(exported))  # the same sessions again are not doubled
    expect(status).to_have_text("Imported 0 sessions (1 in all).")
    bad = tmp_path / "bad.json"
    bad.write_text('[{"date": "yesterday"}]')
    page.set_input_files("[data-import]", str(bad))
    expect(status).to_have_text("That file is not a session list exported from this guide.")
    expect(rows).to_have_count(1)
    assert problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_player_is_accessible_and_its_controls_are_large_at_390_px(
    browser: Browser, shipped: str, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    context.add_init_script(STUBS)
    try:
        page, problems = open_player(context, shipped + SHIPPED + "play/")
        found = {"intro": Axe().run(page)}
        start(page)
        page.clock.run_for(500)
        found["ready"] = Axe().run(page)
        sizes = page.eval_on_selector_all(
            "[data-action]:not([hidden])", "(all) => all.map((b) => [b.offsetWidth, b.offsetHeight])"
        )
        page.keyboard.press("ArrowRight")
        found["work"] = Axe().run(page)
        page.keyboard.press("Enter")  # the first set of repetitions done: a rest, in its own colours
        for phase in ("rest", "next", "switch", "done"):
            while page.get_attribute("[data-player]", "data-phase") != phase:
                page.keyboard.press("ArrowRight")
            found[phase] = Axe().run(page)
    finally:
        context.close()
    for phase, results in found.items():
        assert results.violations_count == 0, f"{phase}: {results.generate_report()}"
    assert all(width >= 44 and height >= 44 for width, height in sizes if width), sizes
    assert problems == []


def test_the_timer_and_the_announcements_are_marked_for_screen_readers(context: BrowserContext, shipped: str) -> None:
    page, _ = open_player(context, shipped + SHIPPED + "play/")
    assert page.locator("[role=timer]").text_content() == "10 s"
    assert page.get_attribute("[data-announce]", "aria-live") == "polite"
    start(page)
    assert page.text_content("[data-announce]") == "Get ready. Cat-cow"
    page.clock.run_for(7000 + 150)  # three seconds of the get-ready left: a timed step of 10 s says so once
    assert page.text_content("[data-announce]") == "3 seconds left"
    page.clock.run_for(3000 + 100)
    assert page.text_content("[data-announce]") == "Go. Cat-cow. Set 1 of 2 · 10 reps, then Done"


def test_an_offline_build_opened_from_disk_runs_the_player(context: BrowserContext, tmp_path: Path) -> None:
    output = tmp_path / "output"
    arguments = ["build", "--content", str(REPOSITORY / "content"), "--output", str(output), "--offline"]
    assert main([*arguments, "--no-cache"]) == 0
    assert not (output / "sw.js").exists() and not (output / "manifest.webmanifest").exists()
    steps = plans_of(REPOSITORY / "content", "back-and-hip-strength-for-runners")["low"]
    page, problems = open_player(context, (output / SHIPPED / "play" / "index.html").as_uri())
    start(page)
    walk(page, steps[:8])
    assert problems == []


def test_the_worker_keeps_routines_and_players_offline_under_a_sub_path(browser: Browser, tmp_path: Path) -> None:
    write_all_kinds(tmp_path / "content")
    output = tmp_path / "output"
    assert main(["build", "--content", str(tmp_path / "content"), "--output", str(output), "--no-cache"]) == 0
    context = browser.new_context()
    try:
        with serve(output, mount="/guide/") as url:
            page = context.new_page()
            page.goto(url + "history/")  # a page with no pictures: the browser's own cache holds none of them
            scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
            assert scope == url
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            context.set_offline(True)
            response = page.goto(url + "routines/all-kinds/play/")
            assert response is not None and response.ok
            page.click("[data-action=start]")
            assert page.get_attribute("[data-player]", "data-phase") == "ready"
            assert page.evaluate(PICTURES_SHOWN) > 0
            assert (
                page.evaluate("() => getComputedStyle(document.querySelector('.player__controls')).display") == "flex"
            )
            page.goto(url + "routines/all-kinds/")  # its thumbnails: the pictures the worker kept for the player
            assert page.evaluate(PICTURES_SHOWN) == page.locator("img").count() > 0
            with pytest.raises(PlaywrightError):  # not kept: the worker keeps routines, not the whole site
                page.goto(url + "exercises/plank/")
    finally:
        context.close()


def test_a_new_build_replaces_the_kept_files_as_a_whole_and_the_open_page_offers_a_reload(
    browser: Browser, tmp_path: Path
) -> None:
    content, output = tmp_path / "content", tmp_path / "output"
    write_all_kinds(content)
    build = ["build", "--content", str(content), "--output", str(output)]
    assert main(build) == 0
    context = browser.new_context()
    try:
        with serve(output) as url:
            page = context.new_page()
            page.goto(url + "routines/all-kinds/")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            first = page.evaluate("() => caches.keys()")
            assert page.locator(".update-notice").count() == 0
            routine = content / "routines" / "all-kinds.md"
            routine.write_text(routine.read_text(encoding="utf-8").replace("For the tests.", "For the tests, again."))
            assert main(build) == 0
            worker = output / "sw.js"  # the test server's Last-Modified counts whole seconds: both builds may share one
            os.utime(worker, (worker.stat().st_atime, worker.stat().st_mtime + 2))
            page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
            expect(page.locator(".update-notice")).to_be_visible()
            expect(page.locator(".update-notice")).to_contain_text("A new version of this guide is ready.")
            page.wait_for_function(
                f"async () => {{ const k = await caches.keys(); return k.length === 1 && k[0] !== {first[0]!r}; }}"
            )
            page.click(".update-notice button")
            page.wait_for_load_state("load")
            context.set_offline(True)
            page.goto(url + "routines/all-kinds/")
            assert "For the tests, again." in (page.locator(".prose").text_content() or "")
    finally:
        context.close()


def test_two_guides_on_one_host_keep_their_own_caches(browser: Browser, tmp_path: Path) -> None:
    write_all_kinds(tmp_path / "content")
    for name in ("a", "b"):
        assert main(["build", "--content", str(tmp_path / "content"), "--output", str(tmp_path / "host" / name)]) == 0
    context = browser.new_context()
    try:
        with serve(tmp_path / "host") as url:
            page = context.new_page()
            for name in ("a", "b"):
                page.goto(f"{url}{name}/history/")
                page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            names = page.evaluate("() => caches.keys()")
    finally:
        context.close()
    assert sorted(name.rsplit(" ", 1)[0] for name in names) == ["guide /a/", "guide /b/"]
