"""The httpx range a generated distribution requires (``settings.HTTPX``) is
the range the client is tested on: the rest of the suite runs on the newest
httpx it admits (the test extra asks for the same range, so pip picks the
highest), and this test runs the client tests again on the lowest, installed
with its dependencies into a folder put first on the path."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from generator.settings import HTTPX

ROOT = Path(__file__).resolve().parent.parent
CLIENT_TESTS = [
    "tests/test_client_e2e.py",
    "tests/test_client_features.py",
    "tests/test_client_limits.py",
    "tests/test_param_styles_e2e.py",
]

pytestmark = pytest.mark.slow


def lowest() -> str:
    """The lowest version the range admits (its ``>=`` bound)."""
    bounds = [s.version for s in Requirement(HTTPX).specifier if s.operator == ">="]
    assert len(bounds) == 1, HTTPX
    return bounds[0]


def test_the_suite_runs_on_an_admitted_httpx() -> None:
    assert Version(version("httpx")) in Requirement(HTTPX).specifier


def test_the_client_tests_pass_on_the_lowest_admitted_httpx(tmp_path: Path) -> None:
    pinned = f"httpx=={lowest()}"
    folder = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--target"]
    done = subprocess.run(
        [*install, str(folder), pinned], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    env = {**os.environ, "PYTHONPATH": str(folder)}
    found = subprocess.run(
        [sys.executable, "-c", "import httpx; print(httpx.__version__)"],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert Version(found.stdout.strip()) == Version(lowest())
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         *CLIENT_TESTS],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=1800,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-2000:]
