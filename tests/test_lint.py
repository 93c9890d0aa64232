"""The checks that keep the code as it is: ruff on src, bench and tests, and
mypy (strict, on the modules ``[tool.mypy] files`` lists) with the
configuration in pyproject.toml. Both are in the ``test`` extra."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


def _tool(name: str) -> list[str]:
    """How to run a checker: its module under this Python, else its command."""
    try:
        __import__(name)
        return [sys.executable, "-m", name]
    except ImportError:
        found = shutil.which(name)
        if found is None:
            pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
        return [found]


def test_ruff_finds_nothing():
    result = subprocess.run([*_tool("ruff"), "check", "src", "bench", "tests"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_nothing_on_the_strict_modules():
    result = subprocess.run([*_tool("mypy")], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
