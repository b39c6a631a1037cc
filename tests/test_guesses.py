"""Loud guesses: every wire decision the docs do not decide is listed (``docs2py
explain``, ``docs2py ir``, ``--report``, the summary line), pinnable with the
line shown, and refused by ``strict-wire`` while unpinned."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from generator.cli.commands import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def _explain(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main(["explain", *args, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    return list(document["guesses"])


def test_explain_lists_each_guess_with_its_reason_and_pin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    found = _explain(capsys, str(SPECS))
    kinds = {g["kind"] for g in found}
    assert kinds == {"location", "style", "encoding"}
    page = next(g for g in found if g["target"] == "OwnersService.listOwners.page")
    assert page["value"] == "query" and page["source"] == "default"
    assert page["path"] == "specs/services/OwnersService.md" or str(
        page["path"]
    ).endswith("specs/services/OwnersService.md")
    assert isinstance(page["line"], int) and page["line"] > 0
    assert tomllib.loads(str(page["pin"])) == {
        "parameters": {"OwnersService.listOwners.page": "query:page"}
    }
    assert main(["explain", str(SPECS)]) == 0
    text = capsys.readouterr().out
    assert "locations:" in text and "pin:  parameters = {" in text


def test_every_pin_shown_pins_its_guess(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pins of ``explain``, put in [tool.docs2py], leave no guess."""
    found = _explain(capsys, str(SPECS))
    merged: dict[str, dict[str, object]] = {}
    for g in found:
        for key, table in tomllib.loads(str(g["pin"])).items():
            merged.setdefault(key, {}).update(table)
    lines = ["[tool.docs2py]", f"specs = [{json.dumps(str(SPECS))}]"]
    for key, table in merged.items():
        pairs = ", ".join(
            f"{json.dumps(k)} = {json.dumps(v)}" for k, v in table.items()
        )
        lines.append(f"{key} = {{ {pairs} }}")
    config = tmp_path / "pyproject.toml"
    config.write_text("\n".join(lines) + "\n", "utf-8")
    assert _explain(capsys, "--config", str(config)) == []


def test_strict_wire_fails_while_a_guess_is_unpinned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "petclinic"
    code = main(["generate", str(SPECS), "--out", str(out), "--no-cache",
                 "--strict-wire"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert "unpinned-guess" in err
    assert "OwnersService.md:23: error: strict-wire: the location of " in err
    assert "pin it in [tool.docs2py] with parameters = {" in err
    assert not out.exists()


def test_strict_wire_takes_the_kinds_to_enforce(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.docs2py]\nspecs = ["specs"]\nout = "out/petclinic"\n'
        'strict-wire = ["key", "name", "auth"]\n',
        "utf-8",
    )
    assert main(["generate", "--config", str(config), "--no-cache"]) == 0
    config.write_text(
        config.read_text("utf-8").replace('["key", "name", "auth"]', '["encoding"]'),
        "utf-8",
    )
    assert main(["generate", "--config", str(config), "--no-cache"]) == 1
    assert "the encoding of OwnersService.createOwner" in capsys.readouterr().err
    config.write_text(
        '[tool.docs2py]\nspecs = ["specs"]\nstrict-wire = ["keys"]\n', "utf-8"
    )
    assert main(["generate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml:3: error: 'strict-wire' must be true, false or a list" in err


def test_the_summary_ir_and_report_show_the_guesses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "guesses.json"
    out = tmp_path / "petclinic"
    assert main(["generate", str(SPECS), "--out", str(out), "--no-cache",
                 "--report", str(report)]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert "guesses: 9 locations, 1 style, 3 encodings (docs2py explain lists" in err
    listed = json.loads(report.read_text("utf-8"))
    assert len(listed) == 13
    assert {g["kind"] for g in listed} == {"location", "style", "encoding"}
    assert main(["ir", str(SPECS)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["guesses"] == listed
    # the up-to-date shortcut still writes the report
    cache, cached = tmp_path / "cache", tmp_path / "cached"
    assert main(["generate", str(SPECS), "--out", str(cached),
                 "--cache-dir", str(cache)]) == 0  # fmt: skip
    report.unlink()
    assert main(["generate", str(SPECS), "--out", str(cached),
                 "--cache-dir", str(cache), "--report", str(report)]) == 0  # fmt: skip
    assert "up to date" in capsys.readouterr().err
    assert json.loads(report.read_text("utf-8")) == listed


def test_the_report_as_text(tmp_path: Path) -> None:
    report = tmp_path / "guesses.txt"
    out = tmp_path / "petclinic"
    assert main(["generate", str(SPECS), "--out", str(out), "--no-cache",
                 "--report", str(report)]) == 0  # fmt: skip
    assert report.read_text("utf-8").startswith("docs2py: 13 wire decisions")
