"""Finding the content files, and the slug rules that must hold before any is read."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.fields import SLUG, slug_hint
from builder.files import CONTENT_FOLDER, list_files
from builder.model import Taxonomy

__all__ = ["KINDS", "SourceFile", "discover"]

KINDS = {"exercises": "exercise", "routines": "routine", "articles": "article"}
"""Content folders and the kind of page each file in them makes, in the order they are read."""


@dataclass(frozen=True)
class SourceFile:
    kind: str
    slug: str
    path: Path


def _markdown_files(folder: Path, content: Path, diagnostics: Diagnostics) -> list[Path]:
    """Markdown files at any depth, shallowest first so `<slug>.md` owns its slug over a copy in a subfolder.

    Hidden files and folders (editor swap files, .git) are left out; see `builder.files` for links.
    """
    return [path for path in list_files(folder, content, CONTENT_FOLDER, diagnostics) if path.suffix == ".md"]


def discover(content: Path, taxonomy: Taxonomy, diagnostics: Diagnostics) -> list[SourceFile]:
    """Every content file with its slug; a slug that a URL cannot carry or that two things share is an error.

    Slugs share one namespace with region and muscle ids because `[[slug]]`
    links reach all of them.
    """
    owners: dict[str, str] = {
        **{region: f"region '{region}' in taxonomy.yml" for region in taxonomy.regions},
        **{muscle: f"muscle '{muscle}' in taxonomy.yml" for muscle in taxonomy.muscles},
    }
    candidates = [
        (kind, path)
        for folder, kind in KINDS.items()
        for path in _markdown_files(content / folder, content, diagnostics)
    ]
    folded: dict[str, Path] = {}
    for _, path in candidates:
        if SLUG.fullmatch(path.stem):
            folded.setdefault(_fold(path.stem), path)
    found = []
    for kind, path in candidates:
        slug = path.stem
        if not SLUG.fullmatch(slug):
            twin = folded.setdefault(_fold(slug), path)
            if twin != path:
                message = f"the file name differs from {twin} only by letter case or Unicode normalisation"
                diagnostics.error(path, 1, message, "give one of them another name")
            else:
                message = f"the file name '{slug}' cannot be used in a URL: use lowercase letters, digits and hyphens"
                diagnostics.error(path, 1, message, slug_hint(slug))
            continue
        if slug in owners:
            message = f"the slug '{slug}' is already used by {owners[slug]}"
            diagnostics.error(path, 1, message, "[[links]] would be ambiguous: rename one of them")
            continue
        owners[slug] = str(path)
        found.append(SourceFile(kind, slug, path))
    return found


def _fold(name: str) -> str:
    """Names that some file systems take for the same file."""
    return unicodedata.normalize("NFC", name).casefold()
