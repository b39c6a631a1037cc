"""The hatchling build hook builds the example consumer's sdist and wheel (with
``python -m build``: an sdist, then a wheel from that sdist); pre-commit hooks."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "consumer"


def consumer(tmp_path: Path, config: str = "") -> Path:
    """A copy of the example consumer (``config`` added to [tool.docs2py])."""
    project = tmp_path / "consumer"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("src", "dist"))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text("utf-8") + config, "utf-8")
    return project


def build(project: Path, *kind: str) -> subprocess.CompletedProcess[str]:
    """``python -m build`` (no ``kind``: an sdist, then a wheel from it)."""
    command = [sys.executable, "-m", "build", *kind, "--no-isolation", "-o", "dist"]
    return subprocess.run(
        [*command, "."], cwd=project, capture_output=True, text=True, timeout=600
    )


def failed_build(project: Path) -> str:
    """``python -m build --wheel`` that must fail cleanly: its output."""
    done = build(project, "--wheel")
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Traceback" not in output
    assert not list((project / "dist").glob("*.whl"))
    return output


UNKNOWN_TYPE = (
    "# Visit\n\n**Properties**\n\n| Name | Type | Required | Description |\n"
    "| :--- | :--- | :--- | :--- |\n| vet | Vet | ✅ | |\n"
)


def test_hatch_hook_generates_into_the_wheel(tmp_path: Path) -> None:
    project = consumer(tmp_path)
    done = build(project, "--wheel")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "docs2py: default:" in done.stdout + done.stderr
    wheel = next((project / "dist").glob("clinic_models-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "clinic_models/models/appointment.py" in names
    assert "clinic_models/py.typed" in names
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import clinic_models as m; print(m.AppointmentKind.SURGERY.value)",
        ],
        cwd=project / "src",
        capture_output=True,
        text=True,
    )
    assert imported.stdout.strip() == "surgery", imported.stderr


def test_sdist_then_wheel_from_it(tmp_path: Path) -> None:
    project = consumer(tmp_path)
    done = build(project)  # what a release and `pip install <sdist>` do
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Traceback" not in output
    sdist = next((project / "dist").glob("clinic_models-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = set(archive.getnames())
    package = "clinic_models-1.0.0/src/clinic_models"
    assert f"{package}/.docs2py-manifest.json" in names
    assert f"{package}/models/appointment.py" in names
    wheel = next((project / "dist").glob("clinic_models-*.whl"))
    assert "clinic_models/models/appointment.py" in zipfile.ZipFile(wheel).namelist()


def test_hatch_hook_fails_the_build_on_spec_errors(tmp_path: Path) -> None:
    project = consumer(tmp_path)
    (project / "docs" / "models" / "Broken.md").write_text(
        "# Broken\n\n**Properties**\n\nnot a table\n", "utf-8"
    )
    output = failed_build(project)
    assert "Broken.md:5: error: '**Properties**' is not followed" in output
    assert "docs2py: generation failed (exit code 1)" in output


def test_hatch_hook_shows_warnings_and_honours_strict(tmp_path: Path) -> None:
    project = consumer(tmp_path)
    (project / "docs" / "models" / "Visit.md").write_text(UNKNOWN_TYPE, "utf-8")
    done = build(project, "--wheel")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Visit.md:7: warning: unknown type 'Vet', using Any" in output

    project = consumer(tmp_path / "strict", "strict = true\n")
    (project / "docs" / "models" / "Visit.md").write_text(UNKNOWN_TYPE, "utf-8")
    output = failed_build(project)
    assert "Visit.md:7: warning: unknown type 'Vet', using Any" in output


def test_hatch_hook_refuses_an_out_outside_the_project(tmp_path: Path) -> None:
    project = consumer(tmp_path)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text("utf-8").replace(
        'out = "src/clinic_models"', 'out = "../elsewhere/clinic_models"'
    )
    pyproject.write_text(text, "utf-8")
    output = failed_build(project)
    assert "is outside the project" in output
    assert "move 'out' into the project" in output
    assert not (tmp_path / "elsewhere").exists()


def test_pre_commit_hooks_are_declared() -> None:
    hooks = {
        h["id"]: h
        for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    assert hooks["docs2py-check"]["entry"] == "docs2py generate --check"
    assert hooks["docs2py"]["entry"] == "docs2py generate"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
