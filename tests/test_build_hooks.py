"""The hatchling build hook builds the example consumer's sdist and wheel (with
``python -m build``: an sdist, then a wheel from that sdist); pre-commit hooks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
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
        for changed in ("docs/models/Pet.md", "src/pkg/models/pet.py", "x.toml"):
            assert re.search(hook["files"], changed), (hook["id"], changed)


def readme_pre_commit_config() -> str:
    """The .pre-commit-config.yaml that the README says works as written."""
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.index("this `.pre-commit-config.yaml` works as written:")
    block = text[start:].split("```yaml\n", 1)[1].split("```", 1)[0]
    return textwrap.dedent(block)


def git(project: Path, *args: str) -> None:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(
        ["git", *identity, *args], cwd=project, check=True, capture_output=True
    )


def pre_commit(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pre-commit in ``project``, with this Python's docs2py on PATH."""
    env = dict(os.environ, PRE_COMMIT_HOME=str(project.parent / "pre-commit-home"))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def committed_consumer(tmp_path: Path, config: str) -> Path:
    """The example consumer as a git repository with its package generated
    and checked in (the example git-ignores it: its build generates it)."""
    project = consumer(tmp_path)
    (project / ".gitignore").unlink()
    (project / ".pre-commit-config.yaml").write_text(config, "utf-8")
    docs2py = Path(sys.executable).parent / "docs2py"
    subprocess.run([docs2py, "generate"], cwd=project, check=True, capture_output=True)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    return project


def test_the_readme_pre_commit_config_works_as_written(tmp_path: Path) -> None:
    project = committed_consumer(tmp_path, readme_pre_commit_config())
    done = pre_commit(project, "run", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr

    generated = project / "src" / "clinic_models" / "models" / "appointment.py"
    generated.write_text(generated.read_text("utf-8") + "# a hand edit\n", "utf-8")
    git(project, "add", "-A")
    done = pre_commit(project, "run")  # the staged change: a generated .py file
    assert done.returncode != 0
    assert (
        "models/appointment.py: generated by docs2py but edited by hand" in done.stdout
    )
    git(project, "reset", "-q", "--hard")

    spec = project / "docs" / "models" / "Visit.md"
    spec.write_text(UNKNOWN_TYPE, "utf-8")  # a new model: the package is stale
    git(project, "add", "-A")
    done = pre_commit(project, "run")
    assert done.returncode != 0
    assert "would write" in done.stdout


def test_the_repository_hooks_run_with_pre_commit_try_repo(tmp_path: Path) -> None:
    """``.pre-commit-hooks.yaml`` as pre-commit uses it (``language: python``:
    pre-commit installs this checkout into an environment of its own)."""
    project = committed_consumer(tmp_path, "repos: []\n")
    done = pre_commit(project, "try-repo", str(ROOT), "docs2py-check", "--all-files")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "docs2py (generated code is up to date)" in done.stdout
