"""Pelican and MkDocs projects made from a synthetic guide's own Markdown files, for `tests.perf.bench`.

Each peer gets every body the guide has (exercises, routines, articles), as
its own format wants it and otherwise untouched: Pelican reads its metadata
as `Key: value` lines (its Markdown reader's), so the YAML front matter
becomes a title and a date; MkDocs reads YAML front matter itself, so the
files are copied as they are. Both use their own default theme and the
settings their quick start writes. MkDocs gets a one-item `nav`: with none,
every page lists every other page, and its output grows with the square of
the pages, which would measure its navigation rather than its build.
The peers install from the `bench` extra: `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter

__all__ = ["PEERS", "mkdocs_project", "pelican_project"]

_PELICAN_SETTINGS = """\
AUTHOR = "Bench"
SITENAME = "Synthetic guide"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 10
RELATIVE_URLS = True
"""
"""What `pelican-quickstart` writes for a new site, less its example links."""

_MKDOCS_SETTINGS = """\
site_name: Synthetic guide
docs_dir: docs
site_dir: output
nav:
  - Home: index.md
"""


def _bodies(content: Path) -> list[tuple[str, str, frontmatter.Post]]:
    """Every page's kind, slug and parsed file, in a stable order."""
    return [
        (path.parent.name, path.stem, frontmatter.load(str(path)))
        for path in sorted(content.glob("*/*.md"))
        if path.parent.name in ("exercises", "routines", "articles")
    ]


def pelican_project(content: Path, folder: Path) -> Path:
    """A Pelican site in `folder` with an article per page of the guide; its build command's working folder."""
    articles = folder / "content"
    articles.mkdir(parents=True)
    (folder / "pelicanconf.py").write_text(_PELICAN_SETTINGS, encoding="utf-8")
    for kind, slug, post in _bodies(content):
        date = post.get("date", dt.date(2024, 1, 1))
        header = f"Title: {post['title']}\nDate: {date}\nCategory: {kind}\nSlug: {slug}\n\n"
        (articles / f"{slug}.md").write_text(header + post.content + "\n", encoding="utf-8")
    return folder


def mkdocs_project(content: Path, folder: Path) -> Path:
    """An MkDocs site in `folder` with a page per page of the guide; its build command's working folder."""
    docs = folder / "docs"
    for kind, slug, post in _bodies(content):
        (docs / kind).mkdir(parents=True, exist_ok=True)
        (docs / kind / f"{slug}.md").write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")
    (docs / "index.md").write_text("# Synthetic guide\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(_MKDOCS_SETTINGS, encoding="utf-8")
    return folder


PEERS = {
    "Pelican": (pelican_project, ("pelican", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q")),
    "MkDocs": (mkdocs_project, ("mkdocs.__main__", "mkdocs", "build", "-q")),
}
"""Each peer's project maker; the module imported before its clock starts (its command line and what that imports),
then the module and arguments that build it, as `python -m` would run them."""
