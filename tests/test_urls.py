"""Relative links between site paths, checked by table and against posixpath for any pair of paths."""

from __future__ import annotations

import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.urls import relative_url, site_path


@pytest.mark.parametrize(
    ("from_path", "to_path", "offline", "expected"),
    [
        ("exercises/plank/", "muscles/glutes/", False, "../../muscles/glutes/"),
        ("exercises/plank/", "exercises/bird-dog/", False, "../bird-dog/"),
        ("exercises/plank/", "exercises/", False, "../"),
        ("exercises/plank/", "", False, "../../"),
        ("exercises/plank/", "exercises/plank/", False, "./"),
        ("", "", False, "./"),
        ("", "exercises/plank/", False, "exercises/plank/"),
        ("routines/core/card/", "routines/core/", False, "../"),
        ("404.html", "static/style.css", False, "static/style.css"),
        ("exercises/plank/", "muscles/glutes/", True, "../../muscles/glutes/index.html"),
        ("exercises/plank/", "", True, "../../index.html"),
        ("", "", True, "index.html"),
        ("exercises/plank/", "static/style.css", True, "../../static/style.css"),
    ],
)
def test_relative_urls(from_path: str, to_path: str, offline: bool, expected: str) -> None:
    assert relative_url(from_path, to_path, offline) == expected


def test_site_paths() -> None:
    assert site_path("card", "core") == "routines/core/card/"
    assert site_path("articles-page", 1) == "articles/"
    assert site_path("articles-page", 3) == "articles/page/3/"
    assert site_path("home") == ""


_SEGMENT = st.sampled_from(["a", "b", "exercises", "plank", "x-1"])
_FOLDER = st.lists(_SEGMENT, max_size=4).map(lambda parts: "".join(part + "/" for part in parts))
_FILE = st.tuples(_FOLDER, st.sampled_from(["index.html", "style.css", "404.html"])).map("".join)


@given(from_path=st.one_of(_FOLDER, _FILE), to_path=st.one_of(_FOLDER, _FILE), offline=st.booleans())
def test_a_relative_url_leads_where_it_should(from_path: str, to_path: str, offline: bool) -> None:
    link = relative_url(from_path, to_path, offline)
    base = from_path.rsplit("/", 1)[0] if "/" in from_path else ""
    landed = posixpath.normpath(posixpath.join(base, link))
    wanted = to_path + "index.html" if offline and (not to_path or to_path.endswith("/")) else to_path
    assert landed == (posixpath.normpath(wanted) if wanted else ".")
    assert link.endswith("/") or link.endswith(".html") or link.endswith(".css") or link == "./"
