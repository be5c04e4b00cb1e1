"""The theme: the default templates shipped with the package, overridden file by file by a local folder."""

from __future__ import annotations

from pathlib import Path

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


def static_files(folders: list[Path]) -> dict[str, Path]:
    """Every file under each folder's static/, keyed by its output path; earlier folders win."""
    files: dict[str, Path] = {}
    for folder in reversed(folders):
        static = folder / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                files["static/" + path.relative_to(static).as_posix()] = path
    return files
