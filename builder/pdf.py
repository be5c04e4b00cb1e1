"""Routine cards and training logs as PDF files with WeasyPrint, from the same HTML and CSS the site serves.

PDFs are slow to make, so each is kept in the build cache under the hash of
its page's HTML, the theme's static files and the WeasyPrint version: an
unchanged card or log is never rendered again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from builder.cache import BuildCache

__all__ = ["PdfUnavailable", "check_weasyprint", "printed_pdfs"]

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


def printed_pdfs(
    files: dict[str, bytes], printed: dict[str, str], cache: BuildCache, workspace: Path
) -> dict[str, bytes]:
    """The PDF of each printed page (`routines/x/card/index.html` to `routines/x/card/card.pdf`), cached.

    `printed` maps each page to its PDF's name; `workspace` is an empty
    folder to lay out the pages and their stylesheets in for WeasyPrint.
    """
    version = check_weasyprint()
    from weasyprint import HTML

    assets = hashlib.sha256(version.encode())
    static = {name: data for name, data in sorted(files.items()) if name.startswith("static/")}
    for name, data in static.items():
        assets.update(name.encode() + b"\0" + data)
    pdfs = {}
    for name, data in files.items():  # pictures too: their names carry their digest, and cards name them
        if name not in printed:
            (workspace / name).parent.mkdir(parents=True, exist_ok=True)
            (workspace / name).write_bytes(data)
    for page_name, pdf_name in printed.items():
        key = assets.copy()
        key.update(files[page_name])
        blob = f"pdf/{key.hexdigest()}.pdf"
        pdf = cache.blob(blob)
        if pdf is None:
            page = workspace / page_name
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_bytes(files[page_name])
            pdf = bytes(HTML(filename=str(page)).write_pdf())
            cache.put_blob(blob, pdf)
        pdfs[pdf_name] = pdf
    return pdfs
