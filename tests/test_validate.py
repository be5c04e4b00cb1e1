"""The validated guide: drafts, routine merging, links and titles as authors write them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.diagnostics import Diagnostics
from builder.dose import Dose, Span, format_dose, format_estimate
from builder.validate import load_guide
from tests.conftest import BASE_GUIDE, Run


def load(content: Path, drafts: bool = False):
    diagnostics = Diagnostics()
    guide = load_guide(content, diagnostics, drafts=drafts)
    assert not diagnostics, [str(d) for d in diagnostics.sorted()]
    assert guide is not None
    return guide


def test_routine_items_merge_with_the_exercise_dose(guide: Path) -> None:
    routine = load(guide / "content").routines["core-basics"]
    assert [(item.exercise, format_dose(item.dose), item.note) for item in routine.items] == [
        ("bird-dog", "10 reps each side, 5 s hold", ""),
        ("plank", "3 x 60 s hold", "Build up to a minute."),
    ]
    # get ready 10; bird dog: 2 sides x 10 x (3 + 5) = 160 and a switch of 5; change 10;
    # plank: 3 x 60 = 180 and 2 rests of the player's 30 s: 425 s in all, which rounds up to 8 min
    assert routine.estimate == Span(425, 425)
    assert format_estimate(routine.estimate) == "about 8 min"


def test_reps_in_a_routine_replace_a_default_duration(guide: Path) -> None:
    path = guide / "content/routines/core-basics.md"
    path.write_text(path.read_text().replace("    sets: 3\n", "    reps: 8\n    per_side: true\n"))
    item = load(guide / "content").routines["core-basics"].items[1]
    assert item.dose == Dose(sets=Span(5, 10), reps=Span(8, 8), per_side=True)


def test_links_are_recorded_in_order_without_repeats(guide: Path) -> None:
    guide_model = load(guide / "content")
    assert guide_model.articles["hello"].links == ("core-basics", "glutes")
    assert guide_model.routines["core-basics"].links == ("plank",)


def test_drafts_are_left_out_unless_asked_for(guide: Path) -> None:
    path = guide / "content/articles/hello.md"
    path.write_text(path.read_text().replace("date:", "draft: true\ndate:"))
    assert "hello" not in load(guide / "content").articles
    assert "hello" in load(guide / "content", drafts=True).articles


def test_a_draft_may_link_to_a_draft(guide: Path) -> None:
    for name in ("exercises/bird-dog.md", "exercises/plank.md", "routines/core-basics.md", "articles/hello.md"):
        path = guide / "content" / name
        path.write_text(path.read_text().replace("title:", "draft: true\ntitle:"))
    guide_model = load(guide / "content")
    assert (guide_model.exercises, guide_model.routines, guide_model.articles) == ({}, {}, {})


def test_a_taxonomy_of_five_thousand_muscles_is_loaded(guide: Path) -> None:
    path = guide / "content/taxonomy.yml"
    muscles = "".join(f"  - id: muscle-{n}\n    name: Muscle {n}\n    region: core\n" for n in range(5_000))
    path.write_text(path.read_text().replace("equipment:\n", muscles + "equipment:\n"))
    assert len(load(guide / "content").taxonomy.muscles) == 5_005


def test_a_routine_of_ten_thousand_items_gets_one_message_about_its_card_and_one_about_its_log(
    guide: Path, run_guide: Callable[..., Run]
) -> None:
    items = "".join(f"  - {('plank', 'bird-dog')[n % 2]}\n" for n in range(10_000))
    routine = f"---\ntitle: Long\nexercises:\n{items}---\nEvery exercise, again and again.\n"
    (guide / "content/routines/long.md").write_text(routine)
    result = run_guide("check")
    assert result.err_lines == [
        "content/routines/long.md:3: routine too long for a log sheet of 6 sessions on 'a4'; "
        "split it into shorter routines",
        "content/routines/long.md:3: routine too long for its card size 'a6'; split it into shorter routines",
        "guide: 2 errors",
    ]


_TITLE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=80)
_COUNT = st.integers(1, 17).flatmap(lambda low: st.sampled_from([low, f"{low}", [low, low + 3], f"{low}-{low + 3}"]))
_TIME = st.integers(1, 600).flatmap(
    lambda s: st.sampled_from([s, f"{s}s", f"{s} s", f"{s} sec", f"{s // 60}m{s % 60}s" if s >= 60 else f"{s}s"])
)


@st.composite
def prescriptions(draw: st.DrawFn) -> dict[str, object]:
    dose: dict[str, object] = {"sets": draw(_COUNT)}
    if draw(st.booleans()):
        dose["reps"] = draw(_COUNT)
        if draw(st.booleans()):
            dose["hold"] = draw(_TIME)
    else:
        dose["duration"] = draw(_TIME)
    if draw(st.booleans()):
        dose["per_side"] = draw(st.booleans())
    if draw(st.booleans()):
        dose["rest"] = draw(_TIME)
    return dose


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TITLE, prescription=prescriptions(), cues=st.lists(_TITLE, max_size=3))
def test_any_valid_exercise_is_accepted_as_written(tmp_path: Path, title: str, prescription: dict, cues: list) -> None:
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(BASE_GUIDE / "content", content)
    if not title.strip():
        title = "x" + title
    front = {
        "title": title,
        "summary": "Generated.",
        "region": "core",
        "muscles": {"primary": ["obliques"]},
        "prescription": prescription,
        "cues": [cue for cue in cues if cue.strip()],
    }
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody.\n"
    (content / "exercises" / "generated.md").write_text(text, encoding="utf-8")
    exercise = load(content).exercises["generated"]
    assert exercise.title == title.strip()
    assert format_dose(exercise.prescription)
