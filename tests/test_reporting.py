"""What a run tells the user: an up-to-date run repeats the warnings of the
run that wrote the files; ``--format json`` is one document on stdout for
every command; each line once; plurals right."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.diagnostics import Diagnostic, Level
from generator.write.format_cache import Outputs, Record
from generator.write.package import MANIFEST

SPECS = Path(__file__).resolve().parent.parent / "specs"

WARNED = """# Pet

**Properties**

| Name | Type   | Required | Description |
| :--- | :----- | :------- | :---------- |
| id   | string | ✅       |             |
| tag  | Tag    | ❌       |             |
"""


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DOCS2PY_CACHE_DIR", str(tmp_path / "cache"))
    yield


@pytest.fixture
def pet(tmp_path: Path) -> Path:
    """One model doc with one warning (an unknown type)."""
    spec = tmp_path / "docs" / "Pet.md"
    spec.parent.mkdir()
    spec.write_text(WARNED, "utf-8")
    return spec


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- an up-to-date run repeats what the writing run said ----------------------


def test_an_up_to_date_run_repeats_the_warnings(
    tmp_path: Path, pet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pets"
    code, _, first = _run(capsys, "generate", str(pet), "--out", str(out))
    assert code == 0
    warning = f"{pet.as_posix()}:8: warning: unknown type 'Tag', using Any"
    assert warning in first
    assert "1 model, 0 enums, 0 unions, 0 methods;" in first
    assert first.rstrip().endswith("; 0 errors, 1 warning")

    code, _, again = _run(capsys, "generate", str(pet), "--out", str(out))
    assert code == 0
    lines = again.splitlines()
    assert lines[0].startswith(warning)
    assert lines[-1].startswith("docs2py: up to date (")
    assert lines[-1].endswith("; 0 errors, 1 warning")
    # the manifest still holds only the files and docs2py's version
    assert set(json.loads((out / MANIFEST).read_text("utf-8"))) == {
        "generator",
        "files",
    }

    code, stdout, err = _run(
        capsys, "generate", str(pet), "--out", str(out), "--format", "json"
    )
    assert code == 0 and err == ""
    document = json.loads(stdout)
    assert document["summary"]["up_to_date"] is True
    assert document["summary"]["warnings"] == 1
    assert document["summary"]["models"] == 1
    [found] = document["diagnostics"]
    assert found["code"] == "unknown-type" and found["line"] == 8


def test_strict_does_not_take_the_shortcut_past_a_warning(
    tmp_path: Path, pet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pets"
    assert _run(capsys, "generate", str(pet), "--out", str(out))[0] == 0
    code, _, err = _run(capsys, "generate", str(pet), "--out", str(out), "--strict")
    assert code == 1
    assert "up to date" not in err and "unknown type 'Tag'" in err


def test_a_damaged_record_is_only_a_miss(tmp_path: Path) -> None:
    store = Outputs(tmp_path / "cache")
    warned = Diagnostic("a.md", 3, Level.WARNING, "careful", "x")
    store.put(tmp_path, "key", b"{}", Record((warned,), {"models": 1}))
    found = store.get(tmp_path, "key")
    assert found is not None and found[1].diagnostics == (warned,)
    assert found[1].warnings == 1 and found[1].facts == {"models": 1}
    assert Record.loads(b'{"diagnostics": [{"path": 1}], "facts": {}}') is None
    assert Record.loads(b"3 0") is None  # the format before this record
    assert Record.loads(b"not json") is None


# --- --format json: one document on stdout ----------------------------------


def test_several_targets_give_one_json_list_and_share_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SPECS, tmp_path / "specs")
    extra = WARNED.replace("# Pet", "# Extra")
    (tmp_path / "specs" / "models" / "Extra.md").write_text(extra, "utf-8")
    config = """
        [tool.docs2py]
        specs = ["specs"]
        [[tool.docs2py.targets]]
        name = "one"
        out = "one/pc"
        [[tool.docs2py.targets]]
        name = "two"
        out = "two/pc"
    """
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config), "utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys, "generate")
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == len(set(lines)), err  # each line once
    assert sum("unknown type 'Tag'" in line for line in lines) == 1
    assert [line.split(":")[1] for line in lines[-2:]] == [" one", " two"]

    code, stdout, err = _run(capsys, "generate", "--format", "json")
    assert code == 0 and err == ""
    documents = json.loads(stdout)
    assert [d["target"] for d in documents] == ["one", "two"]
    assert all(d["summary"]["up_to_date"] for d in documents)
    assert [d["summary"]["warnings"] for d in documents] == [1, 1], documents


def test_ir_and_explain_put_their_diagnostics_in_the_document(
    pet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, err = _run(capsys, "ir", str(pet), "--format", "json")
    assert code == 0 and err == ""
    ir = json.loads(stdout)
    assert ir["definitions"][0]["name"] == "Pet"
    assert [d["code"] for d in ir["diagnostics"]] == ["unknown-type"]
    assert ir["summary"]["warnings"] == 1

    code, stdout, err = _run(capsys, "ir", str(pet))  # text: the IR, no extras
    assert "diagnostics" not in json.loads(stdout)
    assert "unknown type 'Tag'" in err

    code, stdout, err = _run(capsys, "explain", str(SPECS), "--format", "json")
    assert code == 0 and err == ""
    document = json.loads(stdout)
    assert document["guesses"] and document["summary"]["errors"] == 0


def test_a_usage_error_is_a_json_document_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    code, stdout, err = _run(
        capsys, "generate", str(missing), "--out", "x", "--format", "json"
    )
    assert code == 2 and err == ""
    document = json.loads(stdout)
    [found] = document["diagnostics"]
    assert found["level"] == "error" and "no such spec" in found["message"]
    assert document["summary"]["errors"] == 1


def test_export_to_a_file_reports_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "schema.json"
    args = ["export", "jsonschema", str(SPECS), "-o", str(target), "--format", "json"]
    code, stdout, err = _run(capsys, *args)
    assert code == 0 and err == ""
    assert json.loads(stdout)["summary"]["output"] == target.as_posix()
    code, stdout, _ = _run(
        capsys, "export", "jsonschema", str(SPECS), "--format", "json"
    )
    assert "$defs" in json.loads(stdout)  # stdout is the exported document's


# --- plurals ----------------------------------------------------------------


def test_plurals(tmp_path: Path, pet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pets"
    assert _run(capsys, "generate", str(pet), "--out", str(out))[0] == 0
    (out / "README.md").unlink()
    code, stdout, err = _run(capsys, "generate", str(pet), "--out", str(out), "--check")
    assert code == 1
    assert "1 file would be written" in err and "1 model," in err
    code, _, err = _run(capsys, "generate", str(pet), "--out", str(out))
    assert "; 1 file written, " in err and "1 warning" in err
    assert " 1 files" not in err and " 1 warnings" not in err
