"""Which docs are read: ``include``/``exclude`` (configuration and command
line), and a service documented twice (a Java ``X.md`` beside its Kotlin
copy ``X.kt.md``) generated once, with a warning naming both files."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.core import Target, fingerprint, load
from generator.diagnostics import Diagnostics
from generator.read.inputs import collect
from generator.settings import FileSelection, Glob, Settings

SPECS = Path(__file__).resolve().parent.parent / "specs"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DOCS2PY_CACHE_DIR", str(tmp_path / "cache"))
    yield


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the example API in ``docs/`` and Kotlin copies of two
    service docs (``PetsService.kt.md`` the same, ``OwnersService.kt.md``
    with one more method); the working folder is the project."""
    root = tmp_path / "project"
    shutil.copytree(SPECS, root / "docs")
    services = root / "docs" / "services"
    pets = (services / "PetsService.md").read_text("utf-8")
    kotlin = pets.replace("```python", "```kotlin")
    (services / "PetsService.kt.md").write_text(kotlin, "utf-8")
    owners = (services / "OwnersService.md").read_text("utf-8")
    extra = "## pingOwners\n\n- HTTP Method: `GET`\n- Endpoint: `/ping`\n\n## "
    (services / "OwnersService.kt.md").write_text(
        owners.replace("## ", extra, 1), "utf-8"
    )
    monkeypatch.chdir(root)
    return root


def _pyproject(root: Path, extra: str) -> None:
    body = f"""
        [tool.docs2py]
        specs = ["docs"]
        out = "out/pets"
        {extra}
    """
    (root / "pyproject.toml").write_text(textwrap.dedent(body), "utf-8")


def _read(files: FileSelection, specs: Path) -> tuple[list[str], Diagnostics]:
    diags = Diagnostics()
    found = collect([specs], diags, files)
    every = found.models + found.services + found.readmes
    return sorted(p.relative_to(specs).as_posix() for p in every), diags


# --- include / exclude ------------------------------------------------------


def test_exclude_is_relative_to_the_spec_folder_or_the_root(project: Path) -> None:
    docs = project / "docs"
    by_name, _ = _read(FileSelection((), (Glob("*.kt.md", project),)), docs)
    assert "services/PetsService.kt.md" not in by_name
    assert "services/PetsService.md" in by_name
    anchored = Glob("services/Owners*.md", project / "elsewhere")
    from_spec, _ = _read(FileSelection((), (anchored,)), docs)
    assert not [p for p in from_spec if p.startswith("services/Owners")]
    rooted = Glob("docs/models/Cat.md", project)
    from_root, _ = _read(FileSelection((), (rooted,)), docs)
    assert "models/Cat.md" not in from_root and "models/Dog.md" in from_root


def test_include_narrows_and_exclude_wins(project: Path) -> None:
    docs = project / "docs"
    include = (Glob("models/", project), Glob("README.md", project))
    exclude = (Glob("Cat.md", project),)
    found, _ = _read(FileSelection(include, exclude), docs)
    assert "README.md" in found
    assert "models/Dog.md" in found and "models/Cat.md" not in found
    assert not [p for p in found if p.startswith("services/")]


def test_a_file_named_as_a_spec_is_always_read(project: Path) -> None:
    cat = project / "docs" / "models" / "Cat.md"
    diags = Diagnostics()
    found = collect([cat], diags, FileSelection((), (Glob("*.md", project),)))
    assert found.models == [cat]


def test_everything_left_out_is_an_error_that_says_why(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["generate", "docs", "--out", "out/pets", "--exclude", "*.md"])
    err = capsys.readouterr().err
    assert code == 1
    assert "include/exclude patterns leave out all 14 schema docs" in err
    assert not (project / "out").exists()


def test_a_pattern_that_matches_nothing_is_noted(project: Path) -> None:
    found, diags = _read(FileSelection((), (Glob("*.swift.md", project),)), project)
    assert found
    [note] = [d for d in diags.items if d.code == "unused-pattern"]
    assert "'*.swift.md' matches no spec file" in note.message


def test_configuration_patterns_and_flags_add_up(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pyproject(project, 'exclude = ["*.kt.md"]\ninclude = ["services/", "models/"]')
    code = main(["generate", "--exclude", "VisitsService.md"])
    err = capsys.readouterr().err
    assert code == 0, err
    services = sorted(p.name for p in (project / "out/pets/services").glob("*.py"))
    assert services == ["__init__.py", "owners.py", "pets.py"]
    assert "duplicate-service" not in err
    # the README was not included: no default base URL
    assert "default_base_url" not in (project / "out/pets/client.py").read_text()


def test_a_bad_pattern_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pyproject(project, 'exclude = ["!keep.md"]')
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml:5: error: 'exclude'" in err and "'!'" in err
    assert main(["generate", "docs", "--out", "x", "--include", "!a.md"]) == 2


def test_patterns_are_part_of_the_fingerprint(project: Path) -> None:
    target = Target("t", (project / "docs",), project / "out" / "pets")
    before = fingerprint(target)
    files = FileSelection((), (Glob("*.kt.md", project),))
    narrowed = Target(
        target.name, target.specs, target.out, settings=Settings(files=files)
    )
    assert fingerprint(narrowed) != before


def test_an_up_to_date_run_notices_a_new_exclude(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pyproject(project, "")
    assert main(["generate"]) == 0
    assert main(["generate"]) == 0
    assert "up to date" in capsys.readouterr().err
    _pyproject(project, 'exclude = ["VisitsService.md"]')
    assert main(["generate"]) == 0
    assert "up to date" not in capsys.readouterr().err
    assert not (project / "out/pets/services/visits.py").exists()


# --- a service documented twice ---------------------------------------------


def test_a_service_documented_twice_is_generated_once_with_a_warning(
    project: Path,
) -> None:
    diags = Diagnostics()
    api = load([project / "docs"], Settings(), diags)
    assert sorted(s.python_name for s in api.services) == ["owners", "pets", "visits"]
    twice = {d.path.rpartition("/")[2]: d for d in diags.items}
    same = twice["PetsService.kt.md"]
    assert same.code == "duplicate-service" and same.level.label == "warning"
    assert "documented twice, with the same endpoints" in same.message
    assert "docs/services/PetsService.md" in same.message
    assert 'exclude = ["*.kt.md"]' in same.message
    differs = twice["OwnersService.kt.md"].message
    assert "differently (only this file has ping_owners)" in differs
    owners = next(s for s in api.services if s.python_name == "owners")
    assert owners.location.path.endswith("/OwnersService.md")
    assert "ping_owners" not in {m.python_name for m in owners.methods}


def test_the_same_service_in_two_folders_is_two_services(tmp_path: Path) -> None:
    for client in ("billing", "users"):
        services = tmp_path / client / "services"
        services.mkdir(parents=True)
        shutil.copy(SPECS / "services" / "PetsService.md", services)
    diags = Diagnostics()
    api = load([tmp_path], Settings(), diags)
    assert [s.python_name for s in api.services] == ["pets", "pets_2"]
    assert not [d for d in diags.items if d.code == "duplicate-service"]


def test_two_different_services_that_share_a_title_are_both_generated(
    tmp_path: Path,
) -> None:
    """Not a language copy (other file names) and other endpoints: nothing
    is dropped, as before (the second gets a number)."""
    services = tmp_path / "services"
    services.mkdir()
    text = (SPECS / "services" / "PetsService.md").read_text("utf-8")
    (services / "PetsService.md").write_text(text, "utf-8")
    other = text.replace("/pets", "/animals")
    assert other != text
    (services / "AnimalsService.md").write_text(other, "utf-8")
    diags = Diagnostics()
    api = load([tmp_path], Settings(), diags)
    assert sorted(s.python_name for s in api.services) == ["pets", "pets_2"]
    assert not [d for d in diags.items if d.code == "duplicate-service"]


def test_excluding_the_copy_silences_the_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ir", "docs", "--exclude", "*.kt.md"])
    captured = capsys.readouterr()
    assert code == 0
    assert "duplicate-service" not in captured.err
    ir = json.loads(captured.out)
    assert [s["python_name"] for s in ir["services"]] == ["owners", "pets", "visits"]
