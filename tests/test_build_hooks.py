"""The hatchling build hook builds the example consumer's wheel; pre-commit hooks."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "consumer"


def test_hatch_hook_generates_into_the_wheel(tmp_path: Path) -> None:
    project = tmp_path / "consumer"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("src", "dist"))
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", "dist", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
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


def test_hatch_hook_fails_the_build_on_spec_errors(tmp_path: Path) -> None:
    project = tmp_path / "consumer"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("src", "dist"))
    (project / "docs" / "models" / "Broken.md").write_text(
        "# Broken\n\n**Properties**\n\nnot a table\n", "utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", "dist", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert (
        "Broken.md:5: error: '**Properties**' is not followed"
        in done.stdout + done.stderr
    )
    assert not list((project / "dist").glob("*.whl"))


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
