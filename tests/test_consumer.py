"""The three ways examples/consumer/README.md gives for a project to get docs2py
into its build (docs2py is on no package index): a wheel in a find-links
folder, a VCS requirement, a path installed before a build without isolation.
Each runs in a fresh virtualenv with real pip (build isolation fetches
hatchling and docs2py's dependencies from the index) and imports the package
that the hook generated."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from test_build_hooks import consumer
from test_wheel import build_wheel, fresh_venv, run

from generator import __version__

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "examples" / "consumer" / "README.md"

pytestmark = pytest.mark.slow

CHECK = "from clinic_models import AppointmentKind as K; print(K.SURGERY.value)"


def source_repo(tmp_path: Path) -> Path:
    """A git repository holding docs2py's source as its sdist ships it."""
    build = [sys.executable, "-m", "build", "--sdist", "--no-isolation"]
    run(*build, "--outdir", tmp_path / "sdist", ROOT, cwd=tmp_path)
    sdist = next((tmp_path / "sdist").glob("docs2py-*.tar.gz"))
    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    with tarfile.open(sdist) as archive:  # the filter: Python 3.10.12+, 3.11.4+
        archive.extractall(tmp_path, **safe)
    repo = tmp_path / f"docs2py-{__version__}"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "docs2py"]):
        subprocess.run([*git, *command], cwd=repo, check=True, capture_output=True)
    return repo


def test_the_readme_names_the_three_ways() -> None:
    text = README.read_text("utf-8")
    assert "pip install --find-links wheels ." in text
    assert '"docs2py @ git+https://example.invalid/docs2py@COMMIT"' in text
    assert "pip install --no-build-isolation ." in text


def test_a_wheel_in_a_find_links_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_wheel(wheels)
    project = consumer(tmp_path)
    python = fresh_venv(tmp_path / "venv")
    pip = [python, "-m", "pip", "install", "--quiet"]
    run(*pip, "--find-links", wheels, ".", cwd=project)
    assert run(python, "-c", CHECK, cwd=tmp_path) == "surgery\n"


def test_a_vcs_requirement(tmp_path: Path) -> None:
    repo = source_repo(tmp_path)
    project = consumer(tmp_path)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text("utf-8")
    requirement = f'"docs2py @ git+{repo.as_uri()}"'
    assert '"docs2py"]' in text
    pyproject.write_text(text.replace('"docs2py"]', requirement + "]"), "utf-8")
    python = fresh_venv(tmp_path / "venv")
    pip = [python, "-m", "pip", "install", "--quiet"]
    run(*pip, "--upgrade", "pip", cwd=tmp_path)  # pip < 24 refuses git+file:///
    run(*pip, ".", cwd=project)
    assert run(python, "-c", CHECK, cwd=tmp_path) == "surgery\n"


def test_a_path_without_build_isolation(tmp_path: Path) -> None:
    project = consumer(tmp_path)
    python = fresh_venv(tmp_path / "venv")
    pip = [python, "-m", "pip", "install", "--quiet"]
    run(*pip, ROOT, "hatchling", cwd=tmp_path)
    run(*pip, "--no-build-isolation", ".", cwd=project)
    assert run(python, "-c", CHECK, cwd=tmp_path) == "surgery\n"
