"""site.yml read into `Settings`; unknown keys are errors, like everywhere else."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from builder.diagnostics import Diagnostics
from builder.fields import Fields
from builder.model import Settings
from builder.source import read_yaml_file

__all__ = ["SETTINGS_FILE", "load_settings", "normalise_base_url"]

SETTINGS_FILE = "site.yml"
_KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "articles_per_page",
    "seconds_per_rep",
    "offline",
    "trusted_html",
)


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending in `/`, so page paths can be appended; empty stays empty."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be an absolute http or https URL, not '{url}'")
    return url if url.endswith("/") else url + "/"


def load_settings(content: Path, diagnostics: Diagnostics) -> Settings | None:
    path = content / SETTINGS_FILE
    node = read_yaml_file(path, diagnostics, "the site settings file")
    if node is None:
        return None
    fields = Fields(node, path, diagnostics, _KEYS)
    base_url = fields.text("base_url")
    try:
        base_url = normalise_base_url(base_url)
    except ValueError as error:
        fields.error(fields.line("base_url"), f"'base_url' {error}")
        base_url = ""
    settings = Settings(
        title=fields.text("title", required=True, max_length=80),
        description=fields.text("description", max_length=300),
        base_url=base_url,
        language=fields.text("language", default="en"),
        author=fields.text("author"),
        articles_per_page=fields.integer("articles_per_page", 10, 1, 100),
        seconds_per_rep=fields.integer("seconds_per_rep", 3, 1, 60),
        offline=fields.boolean("offline"),
        trusted_html=fields.boolean("trusted_html"),
    )
    fields.finish()
    return settings
