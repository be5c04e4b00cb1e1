"""`guide new` and `guide init`: files that pass `guide check` the moment they are written."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
from slugify import slugify

from builder import __version__
from builder.cache import CACHE_FOLDER
from builder.diagnostics import Diagnostics
from builder.discovery import KINDS
from builder.settings import SETTINGS_FILE
from builder.taxonomy import TAXONOMY_FILE, load_taxonomy

__all__ = [
    "PAGE_KINDS",
    "WORKFLOW",
    "ScaffoldError",
    "ignore_built_files",
    "init_guide",
    "new_page",
    "publish_workflow",
]

PAGE_KINDS = {kind: folder for folder, kind in KINDS.items()}
_STARTER_PAGES = (("exercise", "First exercise"), ("routine", "First routine"), ("article", "Welcome"))
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("builder", "scaffolds"),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
)
_TEMPLATES.filters["quote"] = json.dumps  # a JSON string is a YAML double-quoted scalar
IGNORED = ("/output/", f"{CACHE_FOLDER}/")
"""What a guide's repository should never hold: the built site, and the cache (which holds nothing
anyone else could use: it is signed with a key of this user's, see `builder.cache`)."""
_IGNORED_HEADING = "# made by guide build and guide serve; never commit them"
WORKFLOW = Path(".github/workflows/pages.yml")
"""Where GitHub looks for the workflow that publishes the guide, from the repository's root."""


class ScaffoldError(Exception):
    """A request that cannot be carried out without overwriting or guessing; a usage error."""


def _render(name: str, **values: object) -> str:
    return _TEMPLATES.get_template(name).render(**values)


def _slugs_in_use(content: Path) -> dict[str, Path]:
    return {path.stem: path for folder in KINDS for path in (content / folder).rglob("*.md")}


def new_page(
    content: Path, kind: str, title: str, diagnostics: Diagnostics, today: dt.date | None = None
) -> Path | None:
    """Write a new page named after `title`; None when the guide's taxonomy has errors to show."""
    title = title.strip()
    slug = slugify(title)
    if not slug or len(title) > 80:
        raise ScaffoldError(f"the title {title!r} must be 1 to 80 characters with at least one letter or digit")
    taken = _slugs_in_use(content)
    if slug in taken:
        raise ScaffoldError(f"{taken[slug]} already exists; choose another title")
    taxonomy = load_taxonomy(content, diagnostics)
    if taxonomy is None:
        return None
    values: dict[str, object] = {"title": title}
    if kind == "exercise":
        if not taxonomy.muscles:
            raise ScaffoldError(f"{content / TAXONOMY_FILE} lists no muscles; add one first")
        muscle = next(iter(taxonomy.muscles.values()))
        values.update(region=muscle.region, muscle=muscle.id)
    elif kind == "routine":
        exercises = sorted(path.stem for path in (content / "exercises").rglob("*.md"))
        if not exercises:
            raise ScaffoldError("a routine needs an exercise; create one first with 'guide new exercise \"Title\"'")
        values["exercise"] = exercises[0]
    else:
        values["date"] = (today or dt.date.today()).isoformat()
    path = content / PAGE_KINDS[kind] / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write(_render(f"{kind}.md", **values))
    return path


def init_guide(content: Path, title: str, language: str, diagnostics: Diagnostics) -> list[Path]:
    """A new guide in `content`, written in `language`, with settings, a vocabulary and one page of each kind."""
    if content.exists() and any(content.iterdir()):
        raise ScaffoldError(f"{content} already exists and is not empty; nothing was written")
    content.mkdir(parents=True, exist_ok=True)
    written = []
    for name in (SETTINGS_FILE, TAXONOMY_FILE):
        path = content / name
        path.write_text(_render(name, title=title, language=language), encoding="utf-8")
        written.append(path)
    for kind, page_title in _STARTER_PAGES:
        page = new_page(content, kind, page_title, diagnostics)
        if page is not None:
            written.append(page)
    return written


@dataclass(frozen=True)
class Ignored:
    path: Path
    new: bool
    """Whether the file was written anew, rather than lines added to one there."""


def ignore_built_files(folder: Path) -> Ignored | None:
    """A `.gitignore` in `folder` naming the output and cache folders, so neither is committed by accident.

    An existing one keeps every line and gets only the ones it lacks; None when it has them all.
    """
    path = folder / ".gitignore"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    missing = [line for line in IGNORED if line not in text.splitlines()]
    if not missing:
        return None
    separator = "" if not text or text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
    path.write_text(text + separator + "\n".join([_IGNORED_HEADING, *missing]) + "\n", encoding="utf-8")
    return Ignored(path, new=not text)


def publish_workflow(folder: Path, content: Path) -> Path | None:
    """A GitHub Pages workflow in the repository at `folder` that builds `content`; None when one is there already.

    An author who edited theirs keeps it: the file is only ever written new.
    """
    path = folder / WORKFLOW
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    relative = Path(os.path.relpath(content.resolve(), folder.resolve())).as_posix()
    path.write_text(_render("pages.yml", content=relative, version=__version__), encoding="utf-8")
    return path
