"""The words a theme writes, in the guide's language: gettext catalogs read and compiled with Babel (SPEC 7).

A catalog is `locale/<language>/LC_MESSAGES/messages.po` in a theme folder.
The theme a guide names with `--templates` may add a language or override
single messages of a shipped catalog: its messages win, message by message,
and a message no catalog translates is written in English, the language the
templates are written in. Catalogs are compiled in memory at each build, so
an edited `.po` file needs no step of its own.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from builder.files import regular_file

__all__ = ["ENGLISH", "SOURCE_LANGUAGE", "Words", "catalog_digest", "catalog_files", "languages", "translations"]

SOURCE_LANGUAGE = "en"
"""The language the templates and the code are written in: it needs no catalog."""
Words = NullTranslations
"""What code that writes words takes: `gettext` and `ngettext`, in some language."""
ENGLISH = NullTranslations()
"""The words as the code writes them."""


def _catalog(folder: Path, language: str) -> Path:
    return folder / "locale" / language / "LC_MESSAGES" / "messages.po"


def catalog_files(folders: list[Path], language: str) -> list[Path]:
    """The catalogs of `language` in the theme `folders`, the one that wins last.

    Only regular files count: a symbolic link could carry any file of the
    machine into the build (the theme's own check reports one that leads out).
    """
    return [_catalog(folder, language) for folder in reversed(folders) if regular_file(_catalog(folder, language))]


def languages(folders: list[Path]) -> list[str]:
    """Every language the theme `folders` can write: English, and each with a catalog."""
    found = {SOURCE_LANGUAGE}
    for folder in folders:
        locale = folder / "locale"
        if locale.is_dir():
            found |= {entry.name for entry in locale.iterdir() if regular_file(_catalog(folder, entry.name))}
    return sorted(found)


def _compiled(path: Path, language: str) -> Translations:
    with path.open("rb") as file:
        catalog = read_po(file, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def translations(folders: list[Path], language: str) -> Words:
    """The messages of `language`, the shipped catalog's overridden by a theme's; none for English."""
    found: NullTranslations = NullTranslations()
    for path in catalog_files(folders, language):
        catalog = _compiled(path, language)
        if isinstance(found, Translations):
            found.merge(catalog)
        else:
            found = catalog
    return found


def catalog_digest(folders: list[Path], language: str) -> str:
    """A digest of the catalogs `language` is written from: every page's words change with them."""
    digest = hashlib.sha256(language.encode())
    for path in catalog_files(folders, language):
        digest.update(b"\0" + path.read_bytes())
    return digest.hexdigest()
