"""``--distribution DIST``: DIST/pyproject.toml and DIST/README.md around the
package, written under the package's rules (manifest, hand edits, foreign
files, links, locks, the up-to-date shortcut, ``--check``), and the ``toml``
encoder they are written with.  Building and installing the result is
tests/test_distribution_build.py."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_write import _shared_cache  # noqa: F401 (an autouse fixture)

from generator.cli.commands import main
from generator.render.filters import UnsafeValue, toml
from generator.write.inplace import JOURNAL
from generator.write.package import MANIFEST, manifest, sha256

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
TABLE = "[tool.docs2py.distribution] "


def generate(
    capsys: pytest.CaptureFixture[str], *args: str | Path
) -> tuple[int, str, str]:
    code = main(["generate", *(str(a) for a in args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def project(dist: Path, *extra: str | Path) -> list[str | Path]:
    return [SPECS, "--out", dist / "src" / "petclinic", "--distribution", dist, *extra]


def pyproject(dist: Path) -> dict[str, object]:
    return tomllib.loads((dist / "pyproject.toml").read_text("utf-8"))


def test_writes_pyproject_and_readme_with_a_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = tmp_path / "petclinic-sdk"
    code, _, err = generate(capsys, *project(dist))
    assert code == 0, err
    data = pyproject(dist)
    assert data["build-system"] == {
        "requires": ["hatchling>=1.27"],
        "build-backend": "hatchling.build",
    }
    meta = data["project"]
    assert isinstance(meta, dict)
    assert (meta["name"], meta["version"], meta["requires-python"]) == (
        "petclinic",
        "0.1.0",
        ">=3.10",
    )
    assert meta["readme"] == "README.md"
    wheel = data["tool"]["hatch"]["build"]["targets"]["wheel"]  # type: ignore[index]
    assert wheel["packages"] == ["src/petclinic"]
    assert wheel["exclude"] == ["src/petclinic/.docs2py-manifest.json"]
    readme = (dist / "README.md").read_text("utf-8")
    assert readme.startswith("# petclinic\n")
    assert "pip install petclinic" in readme and "```mermaid" not in readme
    listed = json.loads((dist / MANIFEST).read_text("utf-8"))["files"]
    assert listed == {
        name: sha256((dist / name).read_bytes())
        for name in ("README.md", "pyproject.toml")
    }
    assert (dist / "src" / "petclinic" / MANIFEST).is_file()  # the package's own

    code, _, err = generate(capsys, *project(dist))
    assert code == 0 and ": up to date (" in err
    (dist / "README.md").unlink()  # the shortcut checks the distribution too
    code, _, err = generate(capsys, *project(dist))
    assert code == 0 and "1 file written" in err
    assert (dist / "README.md").is_file()


def test_flat_layout_and_metadata_from_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(
        textwrap.dedent(f"""
            [tool.docs2py]
            specs = ["{SPECS.as_posix()}"]
            out = "sdk/clinic"

            [tool.docs2py.distribution]
            path = "sdk"
            name = "clinic-models"
            version = "2.1.0rc1"
            description = "The \\"clinic\\" API's models \\\\ \\u00e9"
            requires-python = ">=3.11"
            """),
        "utf-8",
    )
    code, _, err = generate(capsys, "--config", config)
    assert code == 0, err
    meta = pyproject(tmp_path / "sdk")["project"]
    assert isinstance(meta, dict)
    assert meta["name"] == "clinic-models"
    assert meta["version"] == "2.1.0rc1"
    assert meta["description"] == 'The "clinic" API\'s models \\ é'
    assert meta["requires-python"] == ">=3.11"
    wheel = pyproject(tmp_path / "sdk")["tool"]["hatch"]["build"]  # type: ignore[index]
    assert wheel["targets"]["wheel"]["packages"] == ["clinic"]
    # the short form, and --distribution overriding the folder
    config.write_text(
        config.read_text("utf-8").split("[tool.docs2py.distribution]")[0]
        + 'distribution = "sdk"\n',
        "utf-8",
    )
    assert generate(capsys, "--config", config)[0] == 0
    assert pyproject(tmp_path / "sdk")["project"]["name"] == "clinic"  # type: ignore[index]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('version = "one"', "'one' is not a version"),
        ('name = "a b"', "'a b' is not a distribution name"),
        ('requires-python = "3.10"', "'3.10' is not a version specifier"),
        ('description = "a\\nb"', "'description' must be one line"),
        ('nmae = "x"', "unknown key 'nmae' in [tool.docs2py.distribution]; did you"),
        ("version = 1", "'version' must be a string"),
        ('license = "MIT OR Nope"', "'license' is not an SPDX licence expression"),
        ("license = { txt = 'x' }", "'license' must be an SPDX licence expression"),
        ('license-files = "LICENSE"', "'license-files' must be a list"),
        ('license-files = ["../LICENSE"]', "'license-files' globs are relative"),
        ('authors = [{ name = "A", email = "a" }]', "'authors[0].email' must be an"),
        ('maintainers = "Ada"', "'maintainers' must be a list (got \"Ada\")"),
        ("keywords = [1]", "'keywords[0]' must be a string (got 1)"),
        ('classifiers = ["Typing :: Typo"]', "'classifiers[0]' must be a classifier"),
        ("urls = { Home = 3 }", "'urls.Home' must be a string (got 3)"),
        ('dependencies = ["rich >>= 13"]', "'dependencies[0]' must be a requirement"),
        ('optional-dependencies = { "a b" = [] }', "'optional-dependencies' keys"),
        (
            'license = "MIT"\nclassifiers = ["License :: OSI Approved :: MIT License"]',
            "'classifiers' has 'License :: OSI Approved :: MIT License': with a "
            "licence expression in 'license', leave the License :: classifiers "
            "out (PEP 639)",
        ),
    ],
)
def test_bad_distribution_settings_are_configuration_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(
        f'[tool.docs2py]\nspecs = ["{SPECS.as_posix()}"]\nout = "sdk/p"\n\n'
        f'[tool.docs2py.distribution]\npath = "sdk"\n{table}\n',
        "utf-8",
    )
    code, _, err = generate(capsys, "--config", config)
    assert code == 2
    prefix = "" if "key '" in message or "'version' must" in message else TABLE
    line = 8 if "PEP 639" in message else 7  # the line of the key at fault
    assert f"{config.as_posix()}:{line}: error: {prefix}{message}" in err
    assert not (tmp_path / "sdk").exists()


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("elsewhere/petclinic", "must be inside the distribution folder"),
        ("sdk", "must be inside the distribution folder"),
        ("sdk/src/пакет", "'пакет' is not a distribution name: set one"),
    ],
)
def test_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str, message: str
) -> None:
    args = [SPECS, "--out", tmp_path / out, "--distribution", tmp_path / "sdk"]
    code, _, err = generate(capsys, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "sdk").exists() or out == "sdk"


def test_foreign_and_edited_files_and_links_are_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = tmp_path / "sdk"
    dist.mkdir()
    (dist / "pyproject.toml").write_text("# mine\n", "utf-8")
    (dist / "LICENSE").write_text("mine too\n", "utf-8")
    code, _, err = generate(capsys, *project(dist))
    assert code == 1
    assert "pyproject.toml: not written by docs2py; pass --force" in err
    assert not (dist / "src" / "petclinic").exists()  # nothing written
    assert generate(capsys, *project(dist, "--force"))[0] == 0
    assert (dist / "LICENSE").read_text("utf-8") == "mine too\n"

    (dist / "README.md").write_text("edited\n", "utf-8")
    code, _, err = generate(capsys, *project(dist))
    assert code == 1 and "README.md: generated by docs2py but edited by hand" in err

    (dist / "README.md").unlink()
    target = tmp_path / "target.md"
    target.write_text("# not docs2py's\n", "utf-8")
    (dist / "README.md").symlink_to(target)
    for extra in ([], ["--force"]):
        code, _, err = generate(capsys, *project(dist, *extra))
        assert code == 1 and "README.md: a symbolic link inside the package" in err
        assert target.read_text("utf-8") == "# not docs2py's\n"


def test_check_lists_the_distribution_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = tmp_path / "sdk"
    code, out, _ = generate(capsys, *project(dist, "--check"))
    assert code == 1
    assert f"would write {dist / 'pyproject.toml'}" in out.splitlines()
    assert f"would write {dist / 'src' / 'petclinic' / 'py.typed'}" in out.splitlines()
    assert not dist.exists()
    assert generate(capsys, *project(dist))[0] == 0
    assert generate(capsys, *project(dist, "--check"))[0] == 0


def test_a_killed_run_is_finished_by_the_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run killed after replacing some files leaves the journal; the next run
    keeps every file whole and takes what is on disk as docs2py's, even when
    its own inputs changed in between."""
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    dist = tmp_path / "sdk"
    args = [specs, "--out", dist / "src" / "petclinic", "--distribution", dist]
    assert generate(capsys, *args)[0] == 0
    old = json.loads((dist / MANIFEST).read_text("utf-8"))["files"]
    # The dead run: a new README replaced, the journal naming it, no manifest yet.
    readme = (dist / "README.md").read_text("utf-8").replace("# petclinic", "# v2")
    (dist / "README.md").write_text(readme, "utf-8")
    journal = dict(old, **{"README.md": sha256(readme.encode())})
    (dist / JOURNAL).write_bytes(manifest(journal))
    (dist / ".pyproject.toml.docs2py-new").write_text("half", "utf-8")

    (specs / "models" / "Cat.md").unlink()  # and the inputs change meanwhile
    code, _, err = generate(capsys, *args)
    assert code == 0, err
    assert not (dist / JOURNAL).exists()
    assert not (dist / ".pyproject.toml.docs2py-new").exists()
    assert (dist / "README.md").read_text("utf-8").startswith("# petclinic\n")
    assert "`Cat`" not in (dist / "README.md").read_text("utf-8")
    listed = json.loads((dist / MANIFEST).read_text("utf-8"))["files"]
    assert listed["README.md"] == sha256((dist / "README.md").read_bytes())


@given(st.text())
def test_toml_strings_read_back_exactly(text: str) -> None:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        with pytest.raises(UnsafeValue):
            toml(text)
        return
    code = toml(text)
    assert tomllib.loads(f"v = {code}\n")["v"] == text
    assert "\n" not in code and "\r" not in code
    assert all(c.isprintable() for c in code)


def test_toml_values() -> None:
    assert toml(["a", 'b"c', 1, True]) == '["a", "b\\"c", 1, true]'
    assert toml("\x00\x7f\u202e") == '"\\u0000\\u007F\\u202E"'
    assert toml("tab\tand\\") == '"tab\\tand\\\\"'
    with pytest.raises(UnsafeValue):
        toml(1.5)


PROJECT_KEYS = """
license = "Apache-2.0 OR MIT"
license-files = ["LICENSE*", "licenses/*.txt"]
authors = [{ name = "Ada Lovelace", email = "ada@example.com" }, { name = "Clinic" }]
keywords = ["pets", "veterinary"]
classifiers = ["Development Status :: 4 - Beta", "Typing :: Typed"]
dependencies = ["rich>=13", "HTTPX[http2]>=0.28"]

[[tool.docs2py.distribution.maintainers]]
email = "ops@example.com"

[tool.docs2py.distribution.urls]
Homepage = "https://clinic.example"
"Bug Tracker" = "https://clinic.example/issues?q=\\"open\\""

[tool.docs2py.distribution.optional-dependencies]
client = ["h2>=4"]
cli = ["click>=8"]
"""


@pytest.mark.parametrize("services", [True, False], ids=["client", "models-only"])
def test_pep_621_keys_go_into_the_distribution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], services: bool
) -> None:
    specs = SPECS if services else SPECS / "models"
    config = tmp_path / "pyproject.toml"
    config.write_text(
        f'[tool.docs2py]\nspecs = ["{specs.as_posix()}"]\nout = "sdk/src/clinic"\n\n'
        f'[tool.docs2py.distribution]\npath = "sdk"\n{PROJECT_KEYS}',
        "utf-8",
    )
    code, _, err = generate(capsys, "--config", config)
    assert code == 0, err
    meta = pyproject(tmp_path / "sdk")["project"]
    assert isinstance(meta, dict)
    assert meta["license"] == "Apache-2.0 OR MIT"
    assert meta["license-files"] == ["LICENSE*", "licenses/*.txt"]
    assert meta["authors"] == [
        {"name": "Ada Lovelace", "email": "ada@example.com"},
        {"name": "Clinic"},
    ]
    assert meta["maintainers"] == [{"email": "ops@example.com"}]
    assert meta["keywords"] == ["pets", "veterinary"]
    assert meta["classifiers"] == ["Typing :: Typed", "Development Status :: 4 - Beta"]
    assert meta["urls"] == {
        "Homepage": "https://clinic.example",
        "Bug Tracker": 'https://clinic.example/issues?q="open"',
    }
    # An httpx requirement given replaces docs2py's range.
    if services:
        assert meta["dependencies"] == ["HTTPX[http2]>=0.28", "rich>=13"]
        client = ["h2>=4"]
    else:
        assert meta["dependencies"] == ["rich>=13"]
        client = ["HTTPX[http2]>=0.28", "h2>=4"]
    assert meta["optional-dependencies"] == {"client": client, "cli": ["click>=8"]}
    assert f"docs2py: configuration: {config}" in err


def test_the_default_httpx_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = tmp_path / "sdk"
    assert generate(capsys, *project(dist))[0] == 0
    meta = pyproject(dist)["project"]
    assert meta == meta | {"dependencies": ["httpx>=0.27,<1"]}  # type: ignore[operator]
    assert "optional-dependencies" not in meta  # type: ignore[operator]
