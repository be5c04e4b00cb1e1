"""Finding the content files, and the slug rules that must hold before any is read."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.fields import SLUG, slug_hint
from builder.model import Taxonomy

__all__ = ["KINDS", "SourceFile", "discover"]

KINDS = {"exercises": "exercise", "routines": "routine", "articles": "article"}
"""Content folders and the kind of page each file in them makes, in the order they are read."""


@dataclass(frozen=True)
class SourceFile:
    kind: str
    slug: str
    path: Path


def _markdown_files(folder: Path) -> list[Path]:
    """Markdown files at any depth, shallowest first so `<slug>.md` owns its slug over a copy in a subfolder.

    Hidden files and folders (editor swap files, .git) are left out.
    """
    if not folder.is_dir():
        return []
    found = [path.relative_to(folder) for path in folder.rglob("*.md") if path.is_file()]
    visible = (path for path in found if not any(part.startswith(".") for part in path.parts))
    return [folder / path for path in sorted(visible, key=lambda path: (len(path.parts), path))]


def discover(content: Path, taxonomy: Taxonomy, diagnostics: Diagnostics) -> list[SourceFile]:
    """Every content file with its slug; a slug that a URL cannot carry or that two things share is an error.

    Slugs share one namespace with region and muscle ids because `[[slug]]`
    links reach all of them.
    """
    owners: dict[str, str] = {
        **{region: f"region '{region}' in taxonomy.yml" for region in taxonomy.regions},
        **{muscle: f"muscle '{muscle}' in taxonomy.yml" for muscle in taxonomy.muscles},
    }
    folded: dict[str, Path] = {}
    found = []
    for folder, kind in KINDS.items():
        for path in _markdown_files(content / folder):
            slug = path.stem
            key = unicodedata.normalize("NFC", slug).casefold()
            if key in folded and folded[key].stem != slug:
                diagnostics.error(
                    path,
                    1,
                    f"the file name differs from {folded[key]} only by letter case or Unicode normalisation",
                    "give one of them another name",
                )
            folded.setdefault(key, path)
            if not SLUG.fullmatch(slug):
                diagnostics.error(
                    path,
                    1,
                    f"the file name '{slug}' cannot be used in a URL: use lowercase letters, digits and hyphens",
                    slug_hint(slug),
                )
                continue
            if slug in owners:
                diagnostics.error(
                    path,
                    1,
                    f"the slug '{slug}' is already used by {owners[slug]}",
                    "[[links]] would be ambiguous: rename one of them",
                )
                continue
            owners[slug] = str(path)
            found.append(SourceFile(kind, slug, path))
    return found
