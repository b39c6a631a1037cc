"""Writing the package: the manifest, no needless writes, safety, atomicity.

Most tests run the command line in-process; the kill test runs it as a
subprocess with ``DOCS2PY_TEST_WRITE_DELAY`` (a sleep after each file written
into the staging folder) and SIGKILLs it at different moments.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import __version__
from generator.cli.commands import main
from generator.write.package import MANIFEST

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

NEW_ROW = "| whiskers    | number  | ❌       | How many whiskers.             |\n"


@pytest.fixture(autouse=True, scope="module")
def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One formatting cache for this module (speed), never in ~/.cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCS2PY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """An editable copy of the example specs."""
    folder = tmp_path / "specs"
    shutil.copytree(SPECS, folder)
    return folder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "pkg" / "petclinic"


def generate(
    capsys: pytest.CaptureFixture[str], specs: Path, out: Path, *extra: str
) -> tuple[int, str, str]:
    code = main(["generate", str(specs), "--out", str(out), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes by relative path (``__pycache__`` ignored)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime_ns) of every file by relative path."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            st = p.stat()
            out[p.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return out


def add_row(spec: Path, row: str = NEW_ROW) -> None:
    """Add a property row to the first table of ``spec``."""
    text = spec.read_text("utf-8")
    match = re.search(r"^\| :-.*\n", text, re.MULTILINE)
    assert match is not None
    spec.write_text(text[: match.end()] + row + text[match.end() :], "utf-8")


def summary(err: str) -> str:
    return err.strip().splitlines()[-1]


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


# --- the manifest and unchanged files -----------------------------------------


def test_first_run_writes_files_and_manifest(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    files = snapshot(out)
    manifest = json.loads(files.pop(MANIFEST))
    assert manifest["generator"] == f"docs2py {__version__}"
    assert manifest["files"] == {
        rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()
    }
    assert "models/cat.py" in files and "py.typed" in files
    assert f"{len(files)} files written, 0 unchanged, 0 deleted" in summary(err)
    assert siblings(out) == []


def test_rerun_writes_nothing(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    before, content = stats(out), snapshot(out)
    folder_inode = out.stat().st_ino
    time.sleep(0.01)
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    n = len(content) - 1
    assert f"0 files written, {n} unchanged, 0 deleted" in summary(
        err
    ) or f"up to date ({n} files unchanged" in summary(err)
    assert stats(out) == before  # same inode and mtime_ns, manifest included
    assert snapshot(out) == content
    assert out.stat().st_ino == folder_inode
    assert siblings(out) == []
    # The full pipeline (--force skips the input fingerprint) writes nothing either.
    code, _, err = generate(capsys, specs, out, "--force")
    assert code == 0, err
    assert f"0 files written, {n} unchanged, 0 deleted" in summary(err)
    assert stats(out) == before
    assert out.stat().st_ino == folder_inode


def test_one_spec_edit_rewrites_only_the_changed_modules(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    old_stats, old = stats(out), snapshot(out)
    time.sleep(0.01)
    add_row(specs / "models" / "Cat.md")
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    new_stats, new = stats(out), snapshot(out)
    assert set(new) == set(old)
    changed = {rel for rel in new if new[rel] != old[rel]}
    assert "models/cat.py" in changed
    assert "whiskers" in new["models/cat.py"].decode()
    # cat.py, and at most the package README that documents the models
    assert changed - {MANIFEST} <= {"models/cat.py", "models/animal.py", "README.md"}
    touched = {rel for rel in new if new_stats[rel] != old_stats[rel]}
    assert touched == changed
    written = len(changed - {MANIFEST})
    assert f"{written} files written, {len(new) - 1 - written} unchanged" in summary(
        err
    )


def test_files_no_longer_generated_are_deleted(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    (specs / "models" / "Category.md").unlink()
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert not (out / "models" / "category.py").exists()
    assert "1 deleted" in summary(err)
    manifest = json.loads((out / MANIFEST).read_text())
    assert "models/category.py" not in manifest["files"]
    assert snapshot(out).keys() - {MANIFEST} == manifest["files"].keys()


def _pretend_generated(out: Path, files: dict[str, str]) -> None:
    """Add files to ``out`` and its manifest as if an earlier run wrote them."""
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    manifest.pop("inputs", None)  # an older version's manifest
    for rel, text in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, "utf-8")
        manifest["files"][rel] = hashlib.sha256(text.encode()).hexdigest()
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))


def test_emptied_sub_folder_is_removed_but_not_one_with_user_files(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    # An earlier docs2py version generated legacy/ and old/ sub-folders.
    _pretend_generated(
        out,
        {
            "legacy/__init__.py": "",
            "legacy/deep/old.py": "X = 1\n",
            "old/__init__.py": "",
            "old/gone.py": "Y = 2\n",
        },
    )
    (out / "old" / "mine.py").write_text("# the user's module\n", "utf-8")
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert "4 deleted" in summary(err)
    assert not (out / "legacy").exists()
    assert sorted(p.name for p in (out / "old").iterdir()) == ["mine.py"]
    assert (out / "old" / "mine.py").read_text() == "# the user's module\n"


def test_dropped_extra_outputs_folder_is_removed(
    specs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "model.md.jinja").write_text(
        "# {{ model.class_name | md }}\n", "utf-8"
    )
    config = (
        '[tool.docs2py]\nspecs = ["specs"]\nout = "petclinic"\ntemplates = ["tpl"]\n'
    )
    extra = (
        'extra-outputs = [{ template = "model.md.jinja", per = "model", '
        'path = "%s/{module}.md" }]\n'
    )
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(config + extra % "docs")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "petclinic"
    assert main(["generate"]) == 0, capsys.readouterr().err
    assert (out / "docs" / "cat.md").is_file()
    assert (out / "docs" / "pet.md").is_file()

    pyproject.write_text(config)  # the extra outputs are no longer wanted
    assert main(["generate"]) == 0, capsys.readouterr().err
    assert not (out / "docs").exists()
    manifest = json.loads((out / MANIFEST).read_text())
    assert not [rel for rel in manifest["files"] if rel.startswith("docs/")]


def test_files_docs2py_did_not_write_are_never_touched(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    user = {
        "notes.txt": b"my notes\n",
        "models/custom.py": b"# a user module next to generated ones\n",
        "extras/helpers.py": b"def helper(): ...\n",
        "extras/data/table.csv": b"a,b\n1,2\n",
    }
    for rel, data in user.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    before = {rel: s for rel, s in stats(out).items() if rel in user}
    time.sleep(0.01)

    add_row(specs / "models" / "Cat.md")  # a write
    assert generate(capsys, specs, out)[0] == 0
    (specs / "models" / "Category.md").unlink()  # a delete
    assert generate(capsys, specs, out)[0] == 0
    assert generate(capsys, specs, out, "--force")[0] == 0  # even with --force

    after = stats(out)
    content = snapshot(out)
    for rel, data in user.items():
        assert content[rel] == data
        assert after[rel] == before[rel], rel  # same inode, same mtime_ns
    manifest = json.loads(content[MANIFEST])
    assert not set(user) & set(manifest["files"])


# --- hand edits -----------------------------------------------------------------


def test_hand_edited_generated_file_blocks_the_run(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    cat = out / "models" / "cat.py"
    cat.write_text(cat.read_text() + "# my change\n", "utf-8")
    add_row(specs / "models" / "Dog.md", "| wags | boolean | ❌ | |\n")
    before, content = stats(out), snapshot(out)

    code, _, err = generate(capsys, specs, out)
    assert code == 1
    assert (
        "models/cat.py: generated by docs2py but edited by hand since; "
        "pass --force to overwrite it [edited]"
    ) in err
    assert "models/dog.py" not in err
    assert stats(out) == before  # nothing written, not even dog.py
    assert snapshot(out) == content
    assert siblings(out) == []

    code, out_text, _ = generate(capsys, specs, out, "--check")
    assert code != 0
    assert snapshot(out) == content

    code, _, err = generate(capsys, specs, out, "--force")
    assert code == 0, err
    assert "# my change" not in cat.read_text()
    assert "wags" in (out / "models" / "dog.py").read_text()
    assert generate(capsys, specs, out)[0] == 0  # clean again


def test_hand_edited_file_that_is_no_longer_generated_is_kept(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    category = out / "models" / "category.py"
    edited = category.read_text() + "# kept by hand\n"
    category.write_text(edited, "utf-8")
    (specs / "models" / "Category.md").unlink()
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert (
        f"{category.as_posix()}: warning: no longer generated but edited by hand: "
        "left in place [kept]"
    ) in err
    assert category.read_text() == edited
    assert "0 deleted" in summary(err)


def test_foreign_file_at_a_generated_path_blocks_the_run(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    parrot = out / "models" / "parrot.py"
    parrot.write_text("# the user's parrot\n", "utf-8")
    (specs / "models" / "Parrot.md").write_text(
        "# Parrot\n\n**Properties**\n\n| Name | Type | Required | Description |\n"
        "| :--- | :--- | :--- | :--- |\n| words | number | ✅ | |\n",
        "utf-8",
    )
    before = stats(out)
    code, _, err = generate(capsys, specs, out)
    assert code == 1
    assert "models/parrot.py: not written by docs2py; pass --force" in err
    assert stats(out) == before
    assert generate(capsys, specs, out, "--force")[0] == 0
    assert "class Parrot" in parrot.read_text()


def test_existing_folder_without_manifest(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out.mkdir(parents=True)
    (out / "readme.txt").write_text("not docs2py's\n", "utf-8")
    before = stats(out)
    code, _, err = generate(capsys, specs, out)
    assert code == 2
    assert f"{out}: error: exists and was not written by docs2py (no {MANIFEST})" in err
    assert "pass --force to write into it" in err
    assert stats(out) == before
    assert siblings(out) == []

    code, _, err = generate(capsys, specs, out, "--check")
    assert code == 2
    assert stats(out) == before

    code, _, err = generate(capsys, specs, out, "--force")
    assert code == 0, err
    assert (out / MANIFEST).is_file()
    assert stats(out)["readme.txt"] == before["readme.txt"]
    assert generate(capsys, specs, out)[0] == 0


def test_existing_empty_folder_is_fine(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out.mkdir(parents=True)
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert (out / MANIFEST).is_file()


def test_unreadable_manifest_is_an_error(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    (out / MANIFEST).write_text("{not json", "utf-8")
    before = stats(out)
    code, _, err = generate(capsys, specs, out)
    assert code == 2
    assert "unreadable manifest" in err
    assert stats(out) == before


# --- --check and --diff ---------------------------------------------------------


def test_check(specs: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = generate(capsys, specs, out, "--check")
    assert code == 1
    assert f"would write {out / 'models' / 'cat.py'}" in stdout.splitlines()
    assert not out.exists()
    assert not out.parent.exists() or siblings(out) == []

    assert generate(capsys, specs, out)[0] == 0
    code, stdout, err = generate(capsys, specs, out, "--check")
    assert code == 0, err
    assert stdout == ""

    before = stats(out)
    add_row(specs / "models" / "Cat.md")
    (specs / "models" / "Category.md").unlink()
    code, stdout, _ = generate(capsys, specs, out, "--check")
    assert code == 1
    lines = stdout.splitlines()
    assert f"would write {out / 'models' / 'cat.py'}" in lines
    assert f"would delete {out / 'models' / 'category.py'}" in lines
    assert not any("---" in line for line in lines)
    assert stats(out) == before
    assert siblings(out) == []


def test_check_diff_prints_a_unified_diff(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    before = stats(out)
    add_row(specs / "models" / "Cat.md")
    code, stdout, _ = generate(capsys, specs, out, "--check", "--diff")
    assert code == 1
    lines = stdout.splitlines()
    start = lines.index(f"would write {out / 'models' / 'cat.py'}")
    assert lines[start + 1] == "--- a/models/cat.py"
    assert lines[start + 2] == "+++ b/models/cat.py"
    assert lines[start + 3].startswith("@@ ")
    added = [x for x in lines if x.startswith("+") and not x.startswith("+++")]
    assert any("whiskers" in x for x in added)
    assert stats(out) == before


def test_check_with_spec_errors_exits_2(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    before = stats(out)
    (specs / "models" / "Bad.md").write_text(
        "# Bad\n\n**Properties**\n\nno table here\n", "utf-8"
    )
    code, stdout, err = generate(capsys, specs, out, "--check")
    assert code == 2
    assert "Bad.md:5: error:" in err
    assert stdout == ""
    assert stats(out) == before
    code, _, _ = generate(capsys, specs, out)
    assert code == 1
    assert stats(out) == before


def test_strict_fails_on_warnings_even_when_up_to_date(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "Pet.md"
    spec.write_text(
        "# Pet\n\n**Properties**\n\n| Name | Type | Required | Description |\n"
        "| :--- | :--- | :--- | :--- |\n| id | string | ✅ | |\n| tag | Tag | ❌ | |\n",
        "utf-8",
    )
    code, _, err = generate(capsys, spec, out)
    assert code == 0
    assert "unknown type 'Tag'" in err
    for extra in (["--strict"], ["--strict", "--check"]):
        code, _, err = generate(capsys, spec, out, *extra)
        assert code == 1, (extra, err)
        assert "unknown type 'Tag'" in err


# --- recovery of killed runs ------------------------------------------------------


def test_leftover_staging_folder_is_recovered(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    staging = out.parent / f".{out.name}.docs2py-staging"
    staging.mkdir()
    (staging / "models").mkdir()
    (staging / "models" / "cat.py").write_text("half-writ", "utf-8")
    add_row(specs / "models" / "Cat.md")
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert siblings(out) == []
    assert "whiskers" in (out / "models" / "cat.py").read_text()
    assert (out / MANIFEST).is_file()


def test_leftover_old_folder_is_recovered(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    (out / "notes.txt").write_text("mine\n", "utf-8")
    content = snapshot(out)
    old = out.parent / f".{out.name}.docs2py-old"

    # Killed between the two renames: the package is only in the old folder.
    # --check never recovers (it writes nothing): the package is missing.
    out.rename(old)
    code, stdout, err = generate(capsys, specs, out, "--check")
    assert code == 1, err
    assert f"would write {out / 'models' / 'cat.py'}" in stdout.splitlines()
    assert not out.exists() and siblings(out) == [old.name]
    code, _, err = generate(capsys, specs, out)  # a writing run recovers it
    assert code == 0, err
    assert snapshot(out) == content
    assert siblings(out) == []

    out.rename(old)
    add_row(specs / "models" / "Cat.md")
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert siblings(out) == []
    assert "whiskers" in (out / "models" / "cat.py").read_text()
    assert (out / "notes.txt").read_text() == "mine\n"

    # Killed before the old folder was removed, then the specs changed.
    shutil.copytree(out, old)
    add_row(specs / "models" / "Dog.md", "| wags | boolean | ❌ | |\n")
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert siblings(out) == []
    assert "wags" in (out / "models" / "dog.py").read_text()


@pytest.mark.parametrize("leftover", [".docs2py-staging", ".docs2py-old"])
def test_leftover_is_recovered_when_the_package_is_up_to_date(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str], leftover: str
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    content = snapshot(out)
    # Killed right after the swap: the sibling holds the previous package.
    shutil.copytree(out, out.parent / f".{out.name}{leftover}")
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert snapshot(out) == content
    assert siblings(out) == []


# --- unusual output folders ---------------------------------------------------------


def test_output_path_that_is_a_file_is_an_error(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out.parent.mkdir(parents=True)
    out.write_text("precious\n", "utf-8")
    for extra in ([], ["--check"]):
        code, _, err = generate(capsys, specs, out, *extra)
        assert code == 2
        assert f"{out}: error: not a folder: 'out' (--out) must name the package" in err
        assert "unreadable manifest" not in err
        assert out.read_text() == "precious\n"
        assert siblings(out) == []


def test_symlinked_folder_inside_the_package_is_never_written_through(
    specs: Path, out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("someone else's\n", "utf-8")
    shutil.rmtree(out / "models")
    (out / "models").symlink_to(elsewhere, target_is_directory=True)
    add_row(specs / "models" / "Cat.md")
    message = (
        f"{out.as_posix()}: error: models: a symbolic link inside the package; "
        "docs2py never writes through or over it: remove it and run again [obstacle]"
    )
    for extra in ([], ["--force"], ["--check"]):
        code, _, err = generate(capsys, specs, out, *extra)
        assert code == (2 if extra == ["--check"] else 1), (extra, err)
        assert message in err
        assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    # Even a planted file with its hash in the manifest is not overwritten.
    planted = elsewhere / "cat.py"
    planted.write_text("# planted\n", "utf-8")
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    manifest["files"]["models/cat.py"] = hashlib.sha256(b"# planted\n").hexdigest()
    (out / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    code, _, err = generate(capsys, specs, out)
    assert code == 1 and message in err
    assert planted.read_text("utf-8") == "# planted\n"
    assert (out / "models").is_symlink()
    assert siblings(out) == []

    (out / "models").unlink()  # what the message says to do
    code, _, err = generate(capsys, specs, out, "--force")
    assert code == 0, err
    assert "whiskers" in (out / "models" / "cat.py").read_text("utf-8")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["cat.py", "keep.txt"]


def test_symlinked_file_at_a_generated_path_is_never_written_through(
    specs: Path, out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    target = tmp_path / "precious.py"
    target.write_text("# mine\n", "utf-8")
    cat = out / "models" / "cat.py"
    cat.unlink()
    cat.symlink_to(target)
    add_row(specs / "models" / "Cat.md")
    for extra in ([], ["--force"]):
        code, _, err = generate(capsys, specs, out, *extra)
        assert code == 1
        assert "models/cat.py: a symbolic link inside the package" in err
        assert target.read_text("utf-8") == "# mine\n" and cat.is_symlink()


@pytest.mark.parametrize("folder", ["empty", "readme-only", "typo"])
def test_an_empty_or_mistyped_spec_folder_deletes_nothing(
    specs: Path,
    out: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    folder: str,
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    before = stats(out)
    where = tmp_path / folder
    if folder != "typo":
        where.mkdir()
    if folder == "readme-only":
        (where / "README.md").write_text("# API\n", "utf-8")
    for extra in ([], ["--strict"], ["--force"]):
        code, _, err = generate(capsys, where, out, *extra)
        if folder == "typo":  # a usage error (exit 2)
            assert code == 2, err
            assert f"docs2py: error: {where}: no such spec file or folder" in err
        else:
            assert code == 1, err
            assert f"{where}: error: no schema docs found in this folder" in err
            assert "nothing written" in summary(err)
        assert stats(out) == before


def test_manifest_does_not_depend_on_the_checkout_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh clone's first run (a `docs2py` pre-commit hook) changes nothing."""
    first = tmp_path / "first"
    shutil.copytree(SPECS, first / "docs")
    (first / "pyproject.toml").write_text(
        '[tool.docs2py]\nspecs = ["docs"]\nout = "src/petclinic"\n', "utf-8"
    )
    monkeypatch.chdir(first)
    assert main(["generate"]) == 0
    clone = tmp_path / "elsewhere" / "clone"
    shutil.copytree(first, clone)  # as committed: docs, configuration, package
    before = stats(clone / "src" / "petclinic")
    monkeypatch.chdir(clone / "src")
    runs = [
        ["generate", "--cache-dir", str(tmp_path / "fresh-cache")],  # a new machine
        ["generate"],  # the same cache, another folder
        ["generate", str((clone / "docs").resolve()), "--out", "petclinic"],
        ["generate", "--check"],
    ]
    for argv in runs:
        assert main(argv) == 0, (argv, capsys.readouterr().err)
        assert stats(clone / "src" / "petclinic") == before, argv
    capsys.readouterr()


def test_check_compares_bytes_not_the_manifest(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert generate(capsys, specs, out)[0] == 0
    cat = out / "models" / "cat.py"
    edited = cat.read_text("utf-8") + "# hand edit\n"
    cat.write_text(edited, "utf-8")
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    manifest["files"]["models/cat.py"] = hashlib.sha256(edited.encode()).hexdigest()
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    code, stdout, err = generate(capsys, specs, out, "--check")
    assert code == 1, err
    assert stdout.splitlines() == [f"would write {cat}"]
    assert cat.read_text("utf-8") == edited
    # A plain run is not fooled either: it regenerates the file.
    code, _, err = generate(capsys, specs, out)
    assert code == 0, err
    assert "hand edit" not in cat.read_text("utf-8")


def test_output_folder_behind_a_symlink(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real" / "petclinic"
    real.mkdir(parents=True)
    link = tmp_path / "petclinic"
    link.symlink_to(real, target_is_directory=True)
    code, _, err = generate(capsys, specs, link)
    assert code == 0, err
    assert link.is_symlink()
    assert (real / "models" / "cat.py").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["petclinic", "real", "specs"]
    add_row(specs / "models" / "Cat.md")
    code, _, err = generate(capsys, specs, link)
    assert code == 0, err
    assert "whiskers" in (real / "models" / "cat.py").read_text()


def test_output_folder_is_the_current_folder(
    specs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = tmp_path / "petclinic"
    package.mkdir()
    monkeypatch.chdir(package)
    code, _, err = generate(capsys, specs, Path("."))
    assert code == 0, err
    assert (package / "models" / "cat.py").is_file()
    assert not [p for p in package.iterdir() if "docs2py-staging" in p.name]


# --- the kill test ------------------------------------------------------------------

DELAY = 0.05
MARK = "PREVIOUS-LEFTOVER"


def _edit_many(specs: Path) -> None:
    """Change (nearly) every module: a new row in every table, new models."""
    for spec in sorted((specs / "models").glob("*.md")):
        text = spec.read_text("utf-8")
        text = re.sub(
            r"^(\| :-.*\n)",
            r"\1| zzAdded | string | ❌ | Added by the kill test. |\n",
            text,
            flags=re.MULTILINE,
        )
        spec.write_text(text, "utf-8")
    extra = "".join(
        f"# Extra{i}\n\n**Properties**\n\n| Name | Type | Required | Description |\n"
        f"| :--- | :--- | :--- | :--- |\n| value{i} | string | ✅ | |\n\n"
        for i in range(12)
    )
    (specs / "models" / "Extra.md").write_text(extra, "utf-8")
    (specs / "models" / "Category.md").unlink()  # and a deletion


def _command(specs: Path, out: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "generate", str(specs)] + [
        "--out",
        str(out),
        "--cache-dir",
        str(cache),
    ]


def _env(delay: float | None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("DOCS2PY_TEST_WRITE_DELAY", None)
    if delay is not None:
        env["DOCS2PY_TEST_WRITE_DELAY"] = str(delay)
    return env


def _new_staging(staging: Path) -> bool:
    """The staging folder of the running process (not a marked leftover)."""
    return staging.is_dir() and not (staging / MARK).exists()


def _kill_during_write(
    command: list[str], cwd: Path, staging: Path, when: str, delay: float
) -> str:
    """Start a run, SIGKILL it at ``when``; returns what happened."""
    if staging.is_dir():  # a previous kill's leftover: recognise it
        (staging / MARK).write_text("", "utf-8")
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=_env(DELAY),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        if when == "before-staging":  # generation has not finished yet
            time.sleep(delay)
            seen = _new_staging(staging)
        else:
            while not _new_staging(staging):
                assert proc.poll() is None, "finished before staging"
                assert time.monotonic() < deadline
                time.sleep(0.001)
            if when == "end":  # the manifest is written last, then the swap
                while not (staging / MANIFEST).exists():
                    if proc.poll() is not None:
                        break
                    assert time.monotonic() < deadline
                    time.sleep(0.001)
            time.sleep(delay)
            seen = True
        finished = proc.poll() is not None
    finally:
        proc.kill()  # SIGKILL
        _, stderr = proc.communicate(timeout=30)
    assert finished or proc.returncode == -signal.SIGKILL, stderr
    if finished:
        assert proc.returncode == 0, stderr
        return "finished"
    return "killed after staging" if seen else "killed before staging"


def test_killed_run_leaves_the_old_or_the_new_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_specs = tmp_path / "old-specs"
    new_specs = tmp_path / "new-specs"
    shutil.copytree(SPECS, old_specs)
    shutil.copytree(SPECS, new_specs)
    _edit_many(new_specs)
    cache = tmp_path / "cache"
    out = tmp_path / "pkg" / "petclinic"
    reference = tmp_path / "reference" / "petclinic"
    staging = out.parent / f".{out.name}.docs2py-staging"

    # The two states (the reference run also fills the cache for the new specs).
    assert main(["generate", str(new_specs), "--out", str(reference)]) == 0
    new = snapshot(reference)
    assert main(["generate", str(old_specs), "--out", str(out)]) == 0
    old = snapshot(out)
    capsys.readouterr()
    changed = {r for r in new.keys() | old.keys() if new.get(r) != old.get(r)}
    writes = len(new.keys() - {MANIFEST} - (old.keys() - changed))
    assert writes >= 30, writes
    assert "models/category.py" in old.keys() - new.keys()
    window = writes * DELAY

    rng = random.Random(20240501)
    plan = [("before-staging", 0.05), ("before-staging", 0.25)]
    plan += [("during", rng.uniform(i, i + 1) * window / 5) for i in range(5)]
    plan += [("during", window), ("end", 0.0), ("end", 0.003), ("end", 0.008)]
    command = _command(new_specs, out, cache)
    outcomes = []
    for when, delay in plan:
        what = _kill_during_write(command, tmp_path, staging, when, delay)
        state = snapshot(out)
        assert state in (old, new), (when, delay, what)
        outcomes.append((when, round(delay, 3), what, "old" if state == old else "new"))
        if state == new:  # start the next kill from the old package again
            assert main(["generate", str(old_specs), "--out", str(out)]) == 0
            capsys.readouterr()
            assert snapshot(out) == old
    print(outcomes)
    assert [o[2] for o in outcomes[:1]] == ["killed before staging"]
    assert sum(o[2] == "killed after staging" for o in outcomes) >= 5, outcomes
    assert sum(o[3] == "old" for o in outcomes) >= 5, outcomes

    # A normal run recovers whatever the last kill left and completes.
    done = subprocess.run(
        command, cwd=tmp_path, env=_env(None), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == new
    assert siblings(out) == []
