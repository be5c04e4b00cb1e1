"""License ids for media, checked against the SPDX license list that license-expression ships.

SPDX ids are what schema.org, Wikimedia Commons and package registries use,
and each has a stable page at spdx.org, so the site can link the license a
picture is under. The list is a library's data, updated with it, rather than
a copy kept here.
"""

from __future__ import annotations

import functools

from license_expression import get_spdx_licensing

from builder.diagnostics import did_you_mean

__all__ = ["UnknownLicense", "spdx_id"]


class UnknownLicense(ValueError):
    """A license that is no SPDX id; `hint` names the closest ids."""

    def __init__(self, given: str, hint: str) -> None:
        super().__init__(f"unknown license '{given}': use an SPDX id such as CC-BY-4.0")
        self.hint = hint


@functools.cache
def _ids() -> dict[str, str]:
    """SPDX license ids by their lower-case spelling; ScanCode's own references and exceptions are no licenses."""
    symbols = get_spdx_licensing().known_symbols
    return {
        key.lower(): key
        for key, symbol in symbols.items()
        if not key.startswith("LicenseRef-") and not getattr(symbol, "is_exception", False)
    }


def spdx_id(given: str) -> str:
    """The SPDX id `given` names, spelled as SPDX spells it (`cc-by-4.0` is `CC-BY-4.0`)."""
    ids = _ids()
    found = ids.get(given.strip().lower())
    if found is None:
        close = did_you_mean(given.strip().lower(), ids)
        for lower, spelled in ids.items():
            close = close.replace(f"'{lower}'", f"'{spelled}'")
        raise UnknownLicense(given, close or "see https://spdx.org/licenses/ for the list")
    return found
