"""A synthetic guide for benchmarks, the same for the same seed and size: `python -m tests.perf.generate N DIR`.

N exercises with 400-700-word bodies (headings, lists, some tables, emphasis,
3-6 cross-links), N/10 routines with mixed dose overrides, N/10 dated
articles, and a taxonomy of 20 muscles in 8 regions. It passes `guide check`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

REGIONS = ["lower-back", "upper-back", "hips", "core", "legs", "shoulders", "arms", "chest"]
MUSCLES = {
    "erector-spinae": "lower-back", "multifidus": "lower-back", "trapezius": "upper-back",
    "rhomboids": "upper-back", "latissimus-dorsi": "upper-back", "glutes": "hips",
    "gluteus-medius": "hips", "hip-flexors": "hips", "rectus-abdominis": "core",
    "obliques": "core", "transverse-abdominis": "core", "quadriceps": "legs",
    "hamstrings": "legs", "calves": "legs", "deltoids": "shoulders", "rotator-cuff": "shoulders",
    "biceps": "arms", "triceps": "arms", "pectorals": "chest", "serratus-anterior": "chest",
}  # fmt: skip
EQUIPMENT = ["mat", "band", "dumbbell", "bench", "wall"]
WORDS = [
    "brace",
    "breathe",
    "slowly",
    "control",
    "hips",
    "spine",
    "shoulders",
    "knees",
    "keep",
    "steady",
    "lift",
    "lower",
    "hold",
    "press",
    "reach",
    "squeeze",
    "pause",
    "return",
    "tempo",
    "range",
    "balance",
    "posture",
    "strength",
    "stride",
    "runner",
    "core",
    "back",
    "glutes",
    "motion",
    "stable",
    "smooth",
    "gentle",
    "effort",
    "rest",
    "repeat",
    "start",
    "finish",
    "position",
    "floor",
    "mat",
    "weight",
    "feet",
    "hands",
    "elbows",
    "line",
    "neutral",
    "long",
    "tall",
    "strong",
    "light",
    "easy",
    "hard",
    "progress",
    "build",
    "week",
    "session",
    "warm",
    "cool",
    "stretch",
]
CUES = ["Keep the spine long", "Breathe out as you lift", "Move slowly", "Squeeze at the top", "Stay tall"]


def _sentence(rng: random.Random, links: list[str], emphasis: bool = True) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    if emphasis and rng.random() < 0.25:
        words[rng.randrange(len(words))] = f"*{rng.choice(WORDS)}*"
    if links:
        words.insert(rng.randrange(len(words)), links.pop())
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, link_targets: list[str]) -> str:
    links = [f"[[{target}]]" for target in rng.sample(link_targets, rng.randint(3, 6))]
    parts = []
    words = 0
    target_words = rng.randint(400, 700)
    section = 0
    while words < target_words:
        section += 1
        parts.append(f"## Part {section}")
        paragraph = " ".join(_sentence(rng, links) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        words += len(paragraph.split())
        if rng.random() < 0.5:
            items = [f"{n}. {_sentence(rng, [])}" for n in range(1, rng.randint(3, 6))]
            parts.append("\n".join(items))
            words += sum(len(item.split()) for item in items)
        if rng.random() < 0.2:
            parts.append(
                "| Week | Sets | Reps |\n|---|---|---|\n"
                + "\n".join(f"| {w} | {w + 1} | {8 + w} |" for w in range(1, 5))
            )
    parts.extend(links)
    return "\n\n".join(parts) + "\n"


def _dose(rng: random.Random) -> list[str]:
    if rng.random() < 0.5:
        lines = [f"  sets: {rng.randint(1, 4)}", f"  reps: {rng.randint(6, 10)}-{rng.randint(11, 15)}"]
        if rng.random() < 0.3:
            lines.append(f"  hold: {rng.randint(2, 5)}s")
    else:
        lines = [f"  sets: {rng.randint(2, 5)}", f"  duration: {rng.choice([20, 30, 45, 60])}s"]
    if rng.random() < 0.4:
        lines.append("  per_side: true")
    if rng.random() < 0.3:
        lines.append(f"  rest: {rng.choice([15, 30, 60])}s")
    return lines


def generate(count: int, folder: Path, seed: int = 1) -> Path:
    """Write a guide of `count` exercises into `folder`/content and return that content folder."""
    rng = random.Random(seed)
    content = folder / "content"
    for kind in ("exercises", "routines", "articles"):
        (content / kind).mkdir(parents=True, exist_ok=True)
    (content / "site.yml").write_text(
        f"title: Synthetic guide of {count}\nbase_url: https://example.org/synthetic/\nauthor: Bench\n",
        encoding="utf-8",
    )
    taxonomy = ["regions:"] + [
        f"  - id: {r}\n    name: {r.replace('-', ' ').title()}\n    description: The {r}." for r in REGIONS
    ]
    taxonomy += ["muscles:"] + [
        f"  - id: {m}\n    name: {m.replace('-', ' ').title()}\n    region: {r}" for m, r in MUSCLES.items()
    ]
    taxonomy += ["equipment:"] + [f"  - id: {e}\n    name: {e.title()}" for e in EQUIPMENT]
    (content / "taxonomy.yml").write_text("\n".join(taxonomy) + "\n", encoding="utf-8")
    exercises = [f"exercise-{n:05d}" for n in range(count)]
    routines = [f"routine-{n:04d}" for n in range(max(1, count // 10))]
    articles = [f"article-{n:04d}" for n in range(max(1, count // 10))]
    muscles = list(MUSCLES)
    for slug in exercises:
        primary = rng.sample(muscles, rng.randint(1, 2))
        secondary = rng.sample([m for m in muscles if m not in primary], rng.randint(0, 3))
        front = [
            "---",
            f"title: Exercise {slug[-5:]} {rng.choice(WORDS)}",
            f"summary: {_sentence(rng, [], emphasis=False)}",
            f"region: {MUSCLES[primary[0]]}",
            "muscles:",
            f"  primary: [{', '.join(primary)}]",
            f"  secondary: [{', '.join(secondary)}]",
            f"equipment: [{rng.choice(EQUIPMENT)}]",
            f"level: {rng.choice(['beginner', 'intermediate', 'advanced'])}",
            "prescription:",
            *_dose(rng),
            f"cues: [{', '.join(rng.sample(CUES, 2))}]",
            f"related: [{', '.join(s for s in rng.sample(exercises, min(2, count)) if s != slug)}]",
            f"tags: [{rng.choice(['strength', 'mobility', 'balance'])}]",
            "---",
        ]
        targets = exercises + muscles + REGIONS
        (content / "exercises" / f"{slug}.md").write_text(
            "\n".join(front) + "\n" + _body(rng, targets), encoding="utf-8"
        )
    for slug in routines:
        items = []
        for exercise in rng.sample(exercises, min(count, rng.randint(4, 8))):
            choice = rng.random()
            if choice < 0.5:
                items.append(f"  - {exercise}")
            elif choice < 0.75:
                items.append(f"  - exercise: {exercise}\n    sets: {rng.randint(1, 4)}\n    note: Go steady.")
            else:
                items.append(f"  - exercise: {exercise}\n    reps: {rng.randint(5, 12)}")
        front = [
            "---",
            f"title: Routine {slug[-4:]}",
            "summary: A generated routine.",
            "frequency: twice a week",
            "card:",
            "  size: a5",
            "exercises:",
            *items,
            "---",
        ]
        (content / "routines" / f"{slug}.md").write_text(
            "\n".join(front) + "\n" + _body(rng, exercises), encoding="utf-8"
        )
    start = dt.date(2020, 1, 1)
    for number, slug in enumerate(articles):
        date = start + dt.timedelta(days=number * 3)
        front = [
            "---",
            f"title: Article {slug[-4:]}",
            f"date: {date.isoformat()}",
            "summary: A generated article.",
            "---",
        ]
        (content / "articles" / f"{slug}.md").write_text(
            "\n".join(front) + "\n" + _body(rng, exercises + routines), encoding="utf-8"
        )
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    print(generate(arguments.count, arguments.folder, arguments.seed))


def sizes_asked(description: str, default: Iterable[int] = (200, 1000, 5000)) -> list[int]:
    """The guide sizes a benchmark's command line asks for: exercise counts, `default` when it names none."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("sizes", type=int, nargs="*", default=list(default))
    return parser.parse_args().sizes


def generated_guides(sizes: Iterable[int], purpose: str) -> Iterator[tuple[int, Path]]:
    """Each size with a guide of that many exercises, in a temporary folder removed once the caller moves on."""
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"guide-{purpose}-{size}-") as scratch:
            folder = Path(scratch)
            generate(size, folder)
            yield size, folder


if __name__ == "__main__":
    main()
