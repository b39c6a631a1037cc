"""The command line: exit codes, diagnostics, summary, ``ir`` output, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

GOOD = """# Pet

**Properties**

| Name | Type   | Required | Description |
| :--- | :----- | :------- | :---------- |
| id   | string | ✅       |             |
| tag  | Tag    | ❌       |             |
"""


def test_generate_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "Pet.md"
    spec.write_text(GOOD, "utf-8")
    code = main(["generate", str(spec), "--out", str(tmp_path / "pets")])
    err = capsys.readouterr().err
    assert code == 0
    assert f"{spec.as_posix()}:8: warning: unknown type 'Tag', using Any" in err
    assert "docs2py: 1 models, 0 enums, 0 unions, 0 methods;" in err
    assert (tmp_path / "pets" / "py.typed").exists()
    assert (tmp_path / "pets" / "models" / "pet.py").exists()


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    spec = tmp_path / "Pet.md"
    spec.write_text(GOOD, "utf-8")
    code = main(["generate", str(spec), "--out", str(tmp_path / "p"), "--strict"])
    assert code == 1
    assert not (tmp_path / "p").exists()


def test_spec_error_exit_1_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "Bad.md"
    spec.write_text("# Bad\n\n**Properties**\n\nno table here\n", "utf-8")
    code = main(["generate", str(spec), "--out", str(tmp_path / "bad")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{spec.as_posix()}:5: error: '**Properties**' is not followed" in err
    assert not (tmp_path / "bad").exists()


def test_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", str(SPECS), "--out", str(tmp_path / "not-valid")]) == 2
    assert "is not a Python identifier" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["generate", "--no-such-flag"])
    assert exc.value.code == 2
    assert main(["ir", str(tmp_path / "missing.md")]) == 1


def test_rerun_leaves_files_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "petclinic"
    assert main(["generate", str(SPECS), "--out", str(out)]) == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.py")}
    assert main(["generate", str(SPECS), "--out", str(out)]) == 0
    assert ": up to date (" in capsys.readouterr().err.splitlines()[-1]
    assert before == {p: p.stat().st_mtime_ns for p in out.rglob("*.py")}


def test_ir_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ir", str(SPECS)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ir_version"] == 1
    kinds = {d["class_name"]: d["kind"] for d in data["definitions"]}
    assert kinds["Payment"] == "union"
    assert kinds["VisitStatus"] == "enum"
    owner = next(d for d in data["definitions"] if d["class_name"] == "Owner")
    first = owner["fields"][0]
    assert set(first) == {
        "name",
        "python_name",
        "wire_key",
        "type",
        "required",
        "description",
        "location",
        "key_rule",
        "key_evidence",
        "deprecated",
        "binary",
    }
    styles = data["wire_styles"]
    assert set(styles) == {"keys", "parameters"}
    assert set(styles["keys"]) == {"style", "rule", "evidence", "note"}


def test_module_entry_point_and_hash_seed_determinism(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / f"run{seed}" / "petclinic"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                str(SPECS),
                "--out",
                str(out),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*.py")})
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        ("    def broken(:", 0, "generated code for 'Cat' (models/cat.py) is invalid"),
        ("    # {{ model.name }}", 3, "a template printed 'Cat' without a filter"),
        ("    # {{ model.nme | ident }}", 3, "has no attribute 'nme' (rendering Cat)"),
    ],
)
def test_template_errors_name_template_and_model(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    block: str,
    line: int,
    message: str,
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    template = templates / "model.py.jinja"
    template.write_text(
        '{% extends "builtin/model.py.jinja" %}\n'
        "{% block methods %}\n" + block + "\n{% endblock %}\n",
        "utf-8",
    )
    out = tmp_path / "pets"
    args = ["generate", str(SPECS / "models" / "Cat.md"), "--out", str(out)]
    assert main([*args, "--templates", str(templates)]) == 1
    err = capsys.readouterr().err
    where = f"{template}:{line}: error: " if line else f"{template}: error: "
    first = err.splitlines()[0]
    assert first.startswith(where), first
    assert message in first
    assert not out.exists()


def test_json_diagnostics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "Pet.md"
    spec.write_text(GOOD, "utf-8")
    out = tmp_path / "pets"
    assert main(["generate", str(spec), "--out", str(out), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().err)
    assert document["diagnostics"] == [
        {
            "path": spec.as_posix(),
            "line": 8,
            "level": "warning",
            "message": "unknown type 'Tag', using Any",
            "code": "unknown-type",
        }
    ]
    assert document["summary"]["models"] == 1
    assert document["summary"]["warnings"] == 1


def test_export_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "jsonschema", str(SPECS)]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["$defs"]["Owner"]["required"]) >= {"id", "firstName"}
    target = tmp_path / "openapi.json"
    args = ["export", "openapi", str(SPECS), "-o", str(target), "--title", "Pets"]
    assert main(args) == 0
    document = json.loads(target.read_text("utf-8"))
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "Pets"
    assert "Owner" in document["components"]["schemas"]
