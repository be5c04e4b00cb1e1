"""The code itself: type hints that mypy checks (strict, configured in pyproject.toml), lint and format clean.

Each tool runs in a process of its own: mypy, run in this one, would leave Python's recursion limit raised.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    "command",
    [["mypy"], ["ruff", "check", "builder", "tests"], ["ruff", "format", "--check", "builder", "tests"]],
    ids=["mypy", "ruff check", "ruff format"],
)
def test_the_code_passes(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
