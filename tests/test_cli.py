"""The command line: exit codes, diagnostics, summary, ``ir`` output, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.write.package import MANIFEST

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
    assert "docs2py: 1 model, 0 enums, 0 unions, 0 methods;" in err
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


@pytest.mark.parametrize("command", ["generate", "ir", "export jsonschema"])
def test_a_missing_spec_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    missing = tmp_path / "spces"
    out = ["--out", str(tmp_path / "p")] if command == "generate" else []
    assert main([*command.split(), str(missing), *out]) == 2
    err = capsys.readouterr().err
    assert err == f"docs2py: error: {missing}: no such spec file or folder\n"
    assert not (tmp_path / "p").exists()


def test_a_missing_spec_path_in_the_configuration_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.docs2py]\nspecs = ["docs"]\nout = "p"\n', "utf-8")
    assert main(["generate", "--config", str(pyproject)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'docs'}: no such spec file or folder ({pyproject})" in err


def test_unicode_package_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A package name may be any Python identifier that every Unicode normal
    form spells the same (attributes and classes stay ASCII)."""
    out = tmp_path / "пакет"
    assert main(["generate", str(SPECS), "--out", str(out)]) == 0
    assert '"""пакет: typed models' in (out / "__init__.py").read_text("utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "import пакет; print(пакет.Owner.__name__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.stdout == "Owner\n", done.stderr
    capsys.readouterr()
    refused = {
        "café": "is not the same in every Unicode normal form",
        "cafe\u0301": "is not the same in every Unicode normal form",
        "ﬁle": "is not the same in every Unicode normal form",  # NFKC: file
        "aux": "is a device name on Windows",
        "class": "is not a Python identifier",
    }
    for name, why in refused.items():
        assert main(["generate", str(SPECS), "--out", str(tmp_path / name)]) == 2
        assert f"package name {name!r} {why}" in capsys.readouterr().err
        assert not (tmp_path / name).exists()


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
    assert data["ir_version"] == 2
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
        "key_source",
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
    captured = capsys.readouterr()
    assert captured.err == ""  # stderr is for logs; the document is on stdout
    document = json.loads(captured.out)
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


def test_check_says_what_would_change_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "Pet.md"
    spec.write_text(GOOD, "utf-8")
    out = tmp_path / "pets"
    assert main(["generate", str(spec), "--out", str(out), "--check"]) == 1
    captured = capsys.readouterr()
    would = captured.out.splitlines()
    assert f"would write {out / 'models' / 'pet.py'}" in would
    line = captured.err.splitlines()[-1]
    assert f"; {len(would)} files would be written, 0 unchanged, 0 would be " in line
    assert "(--check: nothing written)" in line
    assert "files written" not in line
    assert not out.exists()

    assert main(["generate", str(spec), "--out", str(out)]) == 0
    (out / "README.md").unlink()
    capsys.readouterr()
    args = ["generate", str(spec), "--out", str(out), "--check", "--format", "json"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    summary = json.loads(captured.out)["summary"]  # the lists are in it
    assert summary["check"] is True
    assert (summary["written"], summary["deleted"]) == (0, 0)
    assert summary["would_write"] == [(out / "README.md").as_posix()]
    assert summary["would_delete"] == []
    assert (
        summary["unchanged"]
        == len(json.loads((out / MANIFEST).read_text())["files"]) - 1
    )


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
