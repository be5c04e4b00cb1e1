"""The words a theme writes, in the guide's language: gettext catalogs read and compiled with Babel (SPEC 7).

A catalog is `locale/<language>/LC_MESSAGES/messages.po` in a theme folder.
The theme a guide names with `--templates` may add a language or override
single messages of a shipped catalog: its messages win, message by message,
and a message no catalog translates is written in English, the language the
templates are written in. Catalogs are compiled in memory at each build, so
an edited `.po` file needs no step of its own.
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from builder.files import regular_file

__all__ = [
    "ENGLISH",
    "N_",
    "SOURCE_LANGUAGE",
    "Words",
    "catalog_digest",
    "catalog_files",
    "languages",
    "missing_messages",
    "translations",
]

SOURCE_LANGUAGE = "en"
"""The language the templates and the code are written in: it needs no catalog."""
Words = NullTranslations
"""What code that writes words takes: `gettext` and `ngettext`, in some language."""
ENGLISH = NullTranslations()
"""The words as the code writes them."""


def N_(message: str) -> str:
    """Marks a message for translation where it is written, for pages to translate where they show it."""
    return message


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


@functools.lru_cache(maxsize=16)
def _merged(catalogs: tuple[tuple[Path, int, int], ...], language: str) -> Words:
    """The catalogs compiled and merged, kept while their files stay as they were: a preview's every edit needs them."""
    found: NullTranslations = NullTranslations()
    for path, _, _ in catalogs:
        catalog = _compiled(path, language)
        if isinstance(found, Translations):
            found.merge(catalog)
        else:
            found = catalog
    return found


def translations(folders: list[Path], language: str) -> Words:
    """The messages of `language`, the shipped catalog's overridden by a theme's; none for English."""
    stamps = []
    for path in catalog_files(folders, language):
        status = path.stat()
        stamps.append((path, status.st_mtime_ns, status.st_size))
    return _merged(tuple(stamps), language)


def catalog_digest(folders: list[Path], language: str) -> str:
    """A digest of the catalogs `language` is written from: every page's words change with them."""
    digest = hashlib.sha256(language.encode())
    for path in catalog_files(folders, language):
        digest.update(b"\0" + path.read_bytes())
    return digest.hexdigest()


def _messages(path: Path, translated: bool) -> set[tuple[str | None, str]]:
    """The messages of a catalog or template by context and id; with `translated`, those with every form filled."""
    with path.open("rb") as file:
        catalog = read_po(file)
    found = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and (not translated or all(strings)):
            singular = message.id if isinstance(message.id, str) else message.id[0]
            found.add((message.context, str(singular)))
    return found


def missing_messages(folders: list[Path], language: str) -> list[str]:
    """The messages of the themes' templates (`locale/messages.pot`) that no catalog of `language` translates.

    Each is written in English; `guide check` lists them, with a context where one tells two apart.
    """
    if language == SOURCE_LANGUAGE:
        return []
    wanted = set()
    for folder in folders:
        if regular_file(folder / "locale" / "messages.pot"):
            wanted |= _messages(folder / "locale" / "messages.pot", translated=False)
    for path in catalog_files(folders, language):
        wanted -= _messages(path, translated=True)
    return [
        f"'{text}' ({context})" if context else f"'{text}'"
        for context, text in sorted(wanted, key=lambda message: (message[1], message[0] or ""))
    ]
