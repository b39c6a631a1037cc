"""The generator's architecture holds: stages in data-flow order, no import
cycle, the runtime in layers (import-linter's contracts in pyproject.toml),
and a layout a newcomer can find stages in by name."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "generator"
STAGES = ("read", "infer", "render", "write", "cli")


def test_import_contracts_are_kept() -> None:
    """``lint-imports`` (the import-linter command .ci/run runs) finds every
    contract kept; imports inside functions count."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command is not None, "import-linter is in the test extra"
    done = subprocess.run(
        [command, "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_top_holds_few_modules_and_a_package_per_stage() -> None:
    modules = sorted(p.name for p in GENERATOR.glob("*.py"))
    assert len(modules) <= 12, modules
    packages = sorted(p.parent.name for p in GENERATOR.glob("*/__init__.py"))
    assert set(packages) >= {*STAGES, "runtime"}, packages


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_takes_gives_and_may_import(stage: str) -> None:
    tree = ast.parse((GENERATOR / stage / "__init__.py").read_text("utf-8"))
    doc = ast.get_docstring(tree) or ""
    assert "Takes" in doc and "gives" in doc and "May import" in doc, doc
    for module in sorted((GENERATOR / stage).glob("*.py")):
        if module.stem != "__init__":
            assert f"``{module.stem}``" in doc, (stage, module.stem)


def test_the_readme_names_every_stage() -> None:
    """A newcomer finds any stage from the README in one step."""
    readme = (ROOT / "README.md").read_text("utf-8")
    for stage in STAGES:
        assert f"generator/{stage}/" in readme, stage
