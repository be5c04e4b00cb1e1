"""The theme: the default templates shipped with the package, overridden file by file by a local folder."""

from __future__ import annotations

from pathlib import Path

from builder.diagnostics import Diagnostics
from builder.files import THEME_FOLDER, list_files

__all__ = ["default_theme", "static_files", "theme_folders"]


def default_theme() -> Path:
    """The repository's templates/, installed inside the package as builder/theme (or read in place when editable)."""
    packaged = Path(__file__).parent / "theme"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


def theme_folders(local: Path | None) -> list[Path]:
    """Where templates are looked up, first match wins: the local folder, then the default theme."""
    folders = [default_theme().resolve()]
    if local is not None and local.resolve() != folders[0]:
        folders.insert(0, local.resolve())
    return folders


def static_files(folders: list[Path], diagnostics: Diagnostics) -> dict[str, Path]:
    """Every file under each folder's static/, keyed by its output path; earlier folders win.

    Every file of each theme folder is listed, templates too, so that a link
    out of it is an error before Jinja reads a template through it or a static file is copied from it.
    """
    files: dict[str, Path] = {}
    for folder in reversed(folders):
        for path in list_files(folder, folder, THEME_FOLDER, diagnostics):
            name = path.relative_to(folder).as_posix()
            if name.startswith("static/"):
                files[name] = path
    return files
