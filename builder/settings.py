"""site.yml read into `Settings`; unknown keys are errors, like everywhere else."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from pathlib import Path
from urllib.parse import urlsplit

from builder.diagnostics import Diagnostics
from builder.dose import DoseError, Span, parse_field
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
    "media",
    "player",
)
_PLAYER_KEYS = ("rest", "change", "switch")
_MEDIA_KEYS = ("formats", "widths", "require_license")
MEDIA_FORMATS = ("avif", "webp", "jpeg", "png")
"""Formats pictures may be published in; browsers take the first they know, so modern ones go first."""
_WIDTHS = (16, 4096)


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending in `/`, so page paths can be appended; empty stays empty."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be an absolute http or https URL, not '{url}'")
    return url if url.endswith("/") else url + "/"


def load_settings(content: Path, diagnostics: Diagnostics, languages: Collection[str]) -> Settings | None:
    """The site settings; `languages` are those the theme has words for, the only ones `language` may name."""
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
        language=fields.choice("language", languages, "en"),
        author=fields.text("author"),
        articles_per_page=fields.integer("articles_per_page", 10, 1, 100),
        seconds_per_rep=fields.integer("seconds_per_rep", 3, 1, 60),
        offline=fields.boolean("offline"),
        trusted_html=fields.boolean("trusted_html"),
    )
    media = fields.mapping("media", _MEDIA_KEYS)
    if media is not None:
        settings = _media_settings(media, settings)
        media.finish()
    player = fields.mapping("player", _PLAYER_KEYS)
    if player is not None:
        settings = _player_settings(player, settings)
        player.finish()
    fields.finish()
    return settings


def _media_settings(media: Fields, settings: Settings) -> Settings:
    """`media:` of site.yml: the formats and widths pictures are published in, and whether credits are required."""
    formats = tuple(dict.fromkeys(media.choice_list("formats", MEDIA_FORMATS, "format"))) or settings.media_formats
    widths: list[int] = []
    for node in media.list_nodes("widths"):
        value = node.value
        if node.kind != "whole number" or not isinstance(value, int) or not _WIDTHS[0] <= value <= _WIDTHS[1]:
            media.error(
                node.line, f"the width {node.text} is not a whole number of pixels from {_WIDTHS[0]} to {_WIDTHS[1]}"
            )
        else:
            widths.append(value)
    return dataclasses.replace(
        settings,
        media_formats=formats,
        media_widths=tuple(sorted(set(widths))) or settings.media_widths,
        media_require_license=media.boolean("require_license"),
    )


def _player_settings(player: Fields, settings: Settings) -> Settings:
    """`player:` of site.yml: the seconds of rest, change and switch where a dose gives none, one time each."""
    found: dict[str, int] = {}
    for key in _PLAYER_KEYS:
        entry = player.entries.get(key)
        if entry is None:
            continue
        try:
            span = parse_field("rest", entry.value.value)
        except DoseError as error:
            player.error(entry.value.line, str(error).replace("'rest'", f"'{key}'"))
            continue
        assert isinstance(span, Span)  # a time key is never read as a flag
        if span.is_range:
            player.error(
                entry.value.line, f"'{key}' must be one time, not a range", f"write {span.low}s or {span.high}s"
            )
        else:
            found[f"player_{key}"] = span.low
    return dataclasses.replace(settings, **found)  # type: ignore[arg-type]
