"""Each folder of tests/invalid breaks the base guide one way; `guide check` must print exactly its expected.txt.

A case folder holds `content/` files laid over tests/fixtures/base and an
`expected.txt` with every line the check prints on stderr.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import TESTS, Run, snapshot

CASES = sorted(path for path in (TESTS / "invalid").iterdir() if path.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_check_reports_exactly_the_expected_lines(case: Path, guide: Path, run_guide: Callable[..., Run]) -> None:
    shutil.copytree(case / "content", guide / "content", dirs_exist_ok=True)
    before = snapshot(guide)
    result = run_guide("check")
    assert result.err_lines == (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.code == 1
    assert result.out == ""
    assert snapshot(guide) == before
