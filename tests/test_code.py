"""The code itself: type hints that mypy checks (strict, configured in pyproject.toml), lint and format clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mypy import api

ROOT = Path(__file__).parent.parent


def test_type_hints_hold() -> None:
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "builder")])
    assert status == 0, out + err


def test_ruff_finds_nothing_to_fix_or_reformat() -> None:
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "builder", "tests"], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
