"""Routine cards as PDF files with WeasyPrint, from the same HTML and CSS the site serves.

PDFs are slow to make, so each is kept in the build cache under the hash of
its card's HTML, the theme's static files and the WeasyPrint version: an
unchanged card is never rendered again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from builder.cache import BuildCache

__all__ = ["PdfUnavailable", "card_pdfs", "check_weasyprint"]

_INSTALL = (
    "--pdf needs WeasyPrint and its system libraries: pip install weasyprint, "
    "and on Debian or Ubuntu apt-get install libpango-1.0-0 libpangoft2-1.0-0"
)


class PdfUnavailable(Exception):
    """WeasyPrint or a library it needs is missing; the message says what to install."""


def check_weasyprint() -> str:
    """The WeasyPrint version, or PdfUnavailable naming what to install."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise PdfUnavailable(f"{_INSTALL} ({error})") from error
    return str(weasyprint.__version__)


def card_pdfs(files: dict[str, bytes], cards: list[str], cache: BuildCache, workspace: Path) -> dict[str, bytes]:
    """`card.pdf` beside each card page (`routines/x/card/index.html`), from the cache where it can be.

    `workspace` is an empty folder to lay out the pages and their stylesheets in for WeasyPrint.
    """
    version = check_weasyprint()
    from weasyprint import HTML

    assets = hashlib.sha256(version.encode())
    static = {name: data for name, data in sorted(files.items()) if name.startswith("static/")}
    for name, data in static.items():
        assets.update(name.encode() + b"\0" + data)
    pdfs = {}
    for name, data in files.items():  # pictures too: their names carry their digest, and cards name them
        if name not in cards:
            (workspace / name).parent.mkdir(parents=True, exist_ok=True)
            (workspace / name).write_bytes(data)
    for card in cards:
        key = assets.copy()
        key.update(files[card])
        blob = f"pdf/{key.hexdigest()}.pdf"
        pdf = cache.blob(blob)
        if pdf is None:
            page = workspace / card
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_bytes(files[card])
            pdf = bytes(HTML(filename=str(page)).write_pdf())
            cache.put_blob(blob, pdf)
        pdfs[card.removesuffix("index.html") + "card.pdf"] = pdf
    return pdfs
