"""Golden cases: tests/cases/<case>/{specs/, case.json?, expected/}.

Each case's specs are generated and compared file by file with ``expected/``
(the runtime modules, copied verbatim, are compared with generator/runtime
instead of being stored); ``pytest --update-golden`` rewrites ``expected/``.
The expected packages are also imported and type-checked with ``mypy --strict``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.core import generate
from generator.render.renderer import RUNTIME_MODULES
from generator.settings import Settings, WireKeyStyle

CASES = Path(__file__).parent / "cases"
RUNTIME = Path(__file__).resolve().parent.parent / "generator" / "runtime"
# Copied verbatim into every package: compared with generator/runtime, not stored.
VERBATIM = RUNTIME_MODULES
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "case.json").is_file())


def _load_case(case: Path) -> tuple[list[Path], Settings]:
    config = json.loads((case / "case.json").read_text("utf-8"))
    specs = [case / s for s in config.get("specs", ["specs"])]
    settings = Settings(
        WireKeyStyle(config.get("wire_keys", "auto")),
        config.get("wire_key_overrides", {}),
    )
    return specs, settings


def _expected(case: Path) -> dict[str, str]:
    root = case / "expected"
    return {
        p.relative_to(root).as_posix(): p.read_text("utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.parametrize("name", CASE_NAMES)
def test_golden(name: str, update_golden: bool) -> None:
    case = CASES / name
    specs, settings = _load_case(case)
    result = generate(specs, settings, package=name)
    assert not result.diagnostics.has_errors, [
        d.format() for d in result.diagnostics.items
    ]
    for module in VERBATIM:
        assert result.files.pop(module) == (RUNTIME / module).read_text("utf-8")
    if update_golden:
        shutil.rmtree(case / "expected", ignore_errors=True)
        for rel, text in result.files.items():
            target = case / "expected" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    expected = _expected(case)
    assert sorted(result.files) == sorted(expected)
    for rel, text in result.files.items():
        assert text == expected[rel], f"{name}/expected/{rel} differs"


def test_golden_packages_type_check(tmp_path: Path) -> None:
    """Every expected package passes mypy --strict and imports."""
    for name in CASE_NAMES:
        shutil.copytree(CASES / name / "expected", tmp_path / name)
        for runtime in VERBATIM:
            shutil.copy(RUNTIME / runtime, tmp_path / name / runtime)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *CASE_NAMES],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in CASE_NAMES:
        imported = subprocess.run(
            [sys.executable, "-c", f"import {name}"], cwd=tmp_path, capture_output=True
        )
        assert imported.returncode == 0, imported.stderr.decode()


# --- the package README's model graph ------------------------------------------


def _readme(tmp_path: Path, models: int) -> str:
    from generator.core import load
    from generator.diagnostics import Diagnostics
    from generator.render.renderer import Renderer, environment

    head = "**Properties**\n\n| Name | Type | Required | Description |\n"
    head += "| :--- | :--- | :------- | :---------- |\n"
    rows = "".join(f"| field_{i} | Model0 | ❌ | Field {i}. |\n" for i in range(12))
    docs = tmp_path / "models"
    docs.mkdir(parents=True)
    for n in range(models):
        (docs / f"Model{n}.md").write_text(f"# Model{n}\n\n{head}{rows}", "utf-8")
    api = load([docs], Settings(), Diagnostics())
    files = {s.path: s.text for s in Renderer(environment(), api, "pkg").render()}
    return files["README.md"]


def test_the_model_graph_is_left_out_when_mermaid_would_refuse_it(
    tmp_path: Path,
) -> None:
    small = _readme(tmp_path / "small", 3)
    assert "```mermaid\nclassDiagram\n    class Model0 {\n" in small
    graph = small[small.index("```mermaid\n") + 11 : small.rindex("```")]
    assert graph.endswith("    Model2 --> Model0 : field_11\n")
    large = _readme(tmp_path / "large", 120)  # ~1,100 characters a model
    assert "```mermaid" not in large
    assert "Left out: this API's class diagram has " in large
    count = int(large.split("class diagram has ")[1].split()[0])
    assert count > 50_000
    assert "| `Model119` | model |" in large  # the index still lists every class
