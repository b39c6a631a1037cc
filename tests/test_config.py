"""``[tool.docs2py]`` in pyproject.toml: keys, targets, precedence, errors.

Every test runs the command line in-process (``generator.cli.commands.main``) from a
folder under ``tmp_path`` (``monkeypatch.chdir``), so the nearest pyproject.toml
is the one the test wrote.
"""

from __future__ import annotations

import ast
import json
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli.commands import main
from generator.cli.config import find_pyproject, load_config
from generator.diagnostics import Diagnostics
from generator.runtime._runtime import camel_key
from generator.settings import ParamOverride, WireKeyStyle
from generator.write.format_cache import mode_key

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
SERVICES = ROOT / "tests" / "cases" / "services" / "specs"


def wire_key(module_text: str, attribute: str) -> str:
    """The JSON key of ``attribute`` in a generated model module."""
    values: dict[str, Any] = {}
    for node in ast.walk(ast.parse(module_text)):  # _renames: ClassVar[…] = {…}
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if ast.unparse(target) in ("_renames", "_camel"):
                values[ast.unparse(target)] = ast.literal_eval(node.value)
    if attribute in values.get("_renames", {}):
        return str(values["_renames"][attribute])
    return camel_key(attribute) if values.get("_camel") else attribute


WARNING_SPEC = """# Pet

**Properties**

| Name | Type   | Required | Description |
| :--- | :----- | :------- | :---------- |
| id   | string | ✅       |             |
| tag  | Tag    | ❌       |             |
"""

MARKER_TEMPLATE = (
    '{% extends "builtin/model.py.jinja" %}\n'
    "{% block methods %}\n    # custom-template-marker\n{% endblock %}\n"
)


@pytest.fixture(autouse=True, scope="module")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The default formatting cache: shared by this module, never in ~/.cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCS2PY_CACHE_DIR", str(tmp_path_factory.mktemp("default-cache")))
        yield


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with ``docs/`` (Cat.md and Dog.md)."""
    root = tmp_path / "project"
    docs = root / "docs"
    docs.mkdir(parents=True)
    for name in ("Cat.md", "Dog.md"):
        shutil.copy(SPECS / "models" / name, docs / name)
    return root


def write_pyproject(root: Path, body: str) -> Path:
    path = root / "pyproject.toml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), "utf-8")
    return path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line that starts with ``needle``."""
    seen = 0
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip().startswith(needle):
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --- every key --------------------------------------------------------------


ALL_KEYS = """
[project]
name = "demo"

[tool.docs2py]
specs = ["docs", "extra/Contact.md"]
out = "build/pets"
package = "petpkg"
templates = "tpl"
wire-keys = "snake_case"
wire-key-overrides = { Cat = { coatPattern = "coat" } }
strict = true
line-length = 100
cache-dir = ".d2p-cache"

[tool.docs2py.parameters]
"NotesService.getNote.xTrace" = "header:X-Trace"
"""


NOTES_SERVICE = """# NotesService

## getNote

- HTTP Method: `GET`
- Endpoint: `/notes/{noteId}`

**Parameters**

| Name   | Type   | Required | Description  |
| :----- | :----- | :------- | :----------- |
| noteId | string | ✅       | The note.    |
| xTrace | string | ❌       | A trace ID.  |
"""


def test_load_config_reads_every_key(project: Path) -> None:
    path = write_pyproject(project, ALL_KEYS)
    diags = Diagnostics()
    config = load_config(path, diags)
    assert not diags.items
    assert config.path == path
    assert config.cache_dir == project / ".d2p-cache"
    (target,) = config.targets
    assert config.defaults == target
    assert target.name == "default"
    assert target.specs == (project / "docs", project / "extra" / "Contact.md")
    assert target.out == project / "build" / "pets"
    assert target.package == "petpkg"
    assert target.templates == (project / "tpl",)
    assert target.settings.wire_keys is WireKeyStyle.SNAKE
    assert target.settings.wire_key_overrides == {"Cat": {"coatPattern": "coat"}}
    assert target.settings.parameter_overrides == {
        "NotesService.getNote.xTrace": ParamOverride("header", "X-Trace")
    }
    assert target.strict is True
    assert target.line_length == 100


def test_generate_from_config_uses_every_key(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(project, ALL_KEYS)
    (project / "extra").mkdir()
    shutil.copy(SPECS / "models" / "Contact.md", project / "extra" / "Contact.md")
    (project / "docs" / "NotesService.md").write_text(NOTES_SERVICE, "utf-8")
    (project / "tpl").mkdir()
    (project / "tpl" / "model.py.jinja").write_text(MARKER_TEMPLATE, "utf-8")
    monkeypatch.chdir(project)
    code, err = run(["generate"], capsys)
    assert code == 0, err
    out = project / "build" / "pets"
    assert (out / ".docs2py-manifest.json").is_file()
    assert (out / "models" / "contact.py").is_file()  # from extra/Contact.md
    init = (out / "__init__.py").read_text("utf-8")
    assert '"""petpkg: typed models' in init
    cat = (out / "models" / "cat.py").read_text("utf-8")
    assert wire_key(cat, "lives_left") == "lives_left"  # wire-keys = snake_case
    assert wire_key(cat, "coat_pattern") == "coat"  # wire-key-overrides
    assert "# custom-template-marker" in cat  # templates
    assert (project / ".d2p-cache" / "format" / mode_key(100)).is_dir()


def test_parameters_key_changes_the_generated_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(
        tmp_path,
        f"""
        [tool.docs2py]
        specs = ["{SERVICES.as_posix()}"]
        out = "notes"

        [tool.docs2py.parameters]
        "NotesService.getNote.xTrace" = "header:X-Trace"
        """,
    )
    monkeypatch.chdir(tmp_path)
    code, err = run(["generate", "--no-cache"], capsys)
    assert code == 0, err
    assert '"X-Trace": x_trace' in (
        tmp_path / "notes" / "services" / "notes.py"
    ).read_text("utf-8")


def test_strict_key_fails_on_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Pet.md").write_text(WARNING_SPEC, "utf-8")
    write_pyproject(
        tmp_path,
        """
        [tool.docs2py]
        specs = "Pet.md"
        out = "pets"
        strict = true
        """,
    )
    monkeypatch.chdir(tmp_path)
    code, err = run(["generate"], capsys)
    assert code == 1
    assert "warning: unknown type 'Tag', using Any" in err
    assert not (tmp_path / "pets").exists()


def test_line_length_key_changes_output_and_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = {}
    for length in (88, 40):
        folder = tmp_path / f"len{length}"
        folder.mkdir()
        write_pyproject(
            folder,
            f"""
            [tool.docs2py]
            specs = "{SPECS.as_posix()}"
            out = "petclinic"
            line-length = {length}
            cache-dir = "../cache"
            """,
        )
        monkeypatch.chdir(folder)
        code, err = run(["generate"], capsys)
        assert code == 0, err
        pet = folder / "petclinic" / "models" / "pet.py"
        outputs[length] = pet.read_text("utf-8")
    assert outputs[88] != outputs[40]
    modes = sorted(p.name for p in (tmp_path / "cache" / "format").iterdir())
    assert modes == sorted([mode_key(88), mode_key(40)])


# --- paths ------------------------------------------------------------------


def test_relative_paths_resolve_against_the_pyproject_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]
        out = "build/pets"
        cache-dir = ".cache"
        """,
    )
    deep = project / "src" / "deep"
    deep.mkdir(parents=True)
    (deep / "docs").mkdir()  # a decoy: relative to the cwd, not used
    monkeypatch.chdir(deep)
    code, err = run(["generate"], capsys)
    assert code == 0, err
    assert (project / "build" / "pets" / "models" / "cat.py").is_file()
    assert (project / "build" / "pets" / "models" / "dog.py").is_file()
    assert not (deep / "build").exists()
    assert (project / ".cache" / "format").is_dir()
    assert not (deep / ".cache").exists()


def test_explicit_config_resolves_against_its_own_folder(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]
        out = "pets"
        """,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, err = run(["generate", "--config", str(path)], capsys)
    assert code == 0, err
    assert (project / "pets" / "models" / "cat.py").is_file()
    assert list(elsewhere.iterdir()) == []
    code, err = run(["generate", "--config", str(elsewhere / "nope.toml")], capsys)
    assert code == 2
    assert "no such file" in err


def test_nearest_pyproject_is_found_from_a_subfolder(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    top = write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]
        out = "top_out"
        """,
    )
    inner = project / "pkg"
    (inner / "a" / "b").mkdir(parents=True)
    # A pyproject.toml without [tool.docs2py] is skipped.
    write_pyproject(inner, '[project]\nname = "inner"\n')
    assert find_pyproject(inner / "a" / "b") == top
    monkeypatch.chdir(inner / "a" / "b")
    code, err = run(["generate"], capsys)
    assert code == 0, err
    assert (project / "top_out" / "models" / "cat.py").is_file()

    # A nearer one with [tool.docs2py] wins.
    shutil.copytree(project / "docs", inner / "docs")
    nearer = write_pyproject(
        inner,
        """
        [project]
        name = "inner"

        [tool.docs2py]
        specs = ["docs"]
        out = "inner_out"
        """,
    )
    assert find_pyproject(inner / "a" / "b") == nearer
    code, err = run(["generate"], capsys)
    assert code == 0, err
    assert (inner / "inner_out" / "models" / "cat.py").is_file()


def test_no_config_and_no_specs_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(tmp_path, '[project]\nname = "plain"\n')  # no [tool.docs2py]
    monkeypatch.chdir(tmp_path)
    for command in (["generate"], ["ir"], ["generate", "--out", "pets"]):
        code, err = run(command, capsys)
        assert code == 2, command
        assert "no specs given and no [tool.docs2py] in a pyproject.toml" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]


def test_config_without_out_is_a_usage_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(project, '[tool.docs2py]\nspecs = ["docs"]\n')
    monkeypatch.chdir(project)
    code, err = run(["generate"], capsys)
    assert code == 2
    assert "target 'default': no output folder (--out or 'out')" in err
    code, err = run(["generate", "--out", "pets"], capsys)
    assert code == 0, err
    assert (project / "pets" / "models" / "cat.py").is_file()


# --- targets ----------------------------------------------------------------


TARGETS = """
[tool.docs2py]
specs = ["docs"]
wire-keys = "snake_case"
line-length = 100

[[tool.docs2py.targets]]
name = "snake"
out = "out/snake"

[[tool.docs2py.targets]]
name = "camel"
out = "out/camel"
wire-keys = "as-written"
package = "camelpkg"
specs = ["docs/Cat.md"]
"""


def test_targets_inherit_top_level_defaults(project: Path) -> None:
    path = write_pyproject(project, TARGETS)
    diags = Diagnostics()
    config = load_config(path, diags)
    assert not diags.items
    snake, camel = config.targets
    assert (snake.name, camel.name) == ("snake", "camel")
    assert snake.specs == (project / "docs",)
    assert camel.specs == (project / "docs" / "Cat.md",)
    assert snake.out == project / "out" / "snake"
    assert snake.settings.wire_keys is WireKeyStyle.SNAKE
    assert camel.settings.wire_keys is WireKeyStyle.AS_WRITTEN
    assert snake.line_length == camel.line_length == 100
    assert (snake.package, camel.package) == (None, "camelpkg")
    assert config.defaults is not None
    assert config.defaults.name == "default"
    assert config.defaults.out is None


def test_generate_builds_every_target(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(project, TARGETS)
    monkeypatch.chdir(project)
    code, err = run(["generate"], capsys)
    assert code == 0, err
    snake = project / "out" / "snake"
    camel = project / "out" / "camel"
    assert wire_key((snake / "models/cat.py").read_text(), "lives_left") == "lives_left"
    assert wire_key((camel / "models/cat.py").read_text(), "lives_left") == "livesLeft"
    assert (snake / "models" / "dog.py").is_file()
    assert not (camel / "models" / "dog.py").exists()
    assert '"""camelpkg: ' in (camel / "__init__.py").read_text("utf-8")
    assert '"""snake: ' in (snake / "__init__.py").read_text("utf-8")


def test_target_option_selects_targets(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(project, TARGETS)
    monkeypatch.chdir(project)
    code, err = run(["generate", "--target", "camel"], capsys)
    assert code == 0, err
    assert (project / "out" / "camel").is_dir()
    assert not (project / "out" / "snake").exists()

    code, err = run(["generate", "--target", "nope", "--target", "camel"], capsys)
    assert code == 2
    assert "no target named nope" in err

    shutil.rmtree(project / "out")
    code, err = run(["generate", "--target", "snake", "--target", "camel"], capsys)
    assert code == 0, err
    assert sorted(p.name for p in (project / "out").iterdir()) == ["camel", "snake"]


def test_targets_without_names_are_numbered(project: Path) -> None:
    path = write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]

        [[tool.docs2py.targets]]
        out = "a"

        [[tool.docs2py.targets]]
        out = "b"
        """,
    )
    config = load_config(path, Diagnostics())
    assert [t.name for t in config.targets] == ["target-1", "target-2"]


def test_ir_uses_the_configuration(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(project, TARGETS)
    monkeypatch.chdir(project)
    assert main(["ir", "--target", "snake"]) == 0
    document = json.loads(capsys.readouterr().out)
    cat = next(d for d in document["definitions"] if d["class_name"] == "Cat")
    keys = {f["python_name"]: f["wire_key"] for f in cat["fields"]}
    assert keys["lives_left"] == "lives_left"


# --- command-line flags override the configuration ---------------------------


def test_command_line_flags_override_the_configuration(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]
        out = "configured"
        package = "configured"
        wire-keys = "snake_case"
        """,
    )
    monkeypatch.chdir(project)
    other = tmp_path / "other"
    argv = ["generate", "--wire-keys", "camelCase", "--out", str(other)]
    code, err = run(
        [*argv, "--package", "flagged", "--wire-key", "Cat.indoor=IN"], capsys
    )
    assert code == 0, err
    assert not (project / "configured").exists()
    cat = (other / "models" / "cat.py").read_text("utf-8")
    assert wire_key(cat, "lives_left") == "livesLeft"
    assert wire_key(cat, "indoor") == "IN"
    assert '"""flagged: ' in (other / "__init__.py").read_text("utf-8")


def test_spec_arguments_replace_configured_specs_but_keep_other_keys(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]
        out = "pets"
        wire-keys = "snake_case"
        """,
    )
    monkeypatch.chdir(project)
    code, err = run(["generate", "docs/Dog.md"], capsys)
    assert code == 0, err
    out = project / "pets"
    assert (out / "models" / "dog.py").is_file()
    assert not (out / "models" / "cat.py").exists()
    assert wire_key((out / "models/dog.py").read_text(), "is_trained") == "is_trained"


def test_spec_arguments_with_out_leave_the_configured_distribution_alone(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``generate SPECS --out X`` in a project with a distribution table: X
    gets a package named after it and no distribution; the other keys still
    apply, and the run names the configuration it read."""
    config = write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]
        out = "sdk/src/configured"
        package = "configured"
        wire-keys = "snake_case"

        [tool.docs2py.distribution]
        path = "sdk"
        name = "configured-client"
        license = "MIT"
        """,
    )
    monkeypatch.chdir(project)
    out = tmp_path / "elsewhere" / "pets"
    code, err = run(["generate", "docs/Dog.md", "--out", str(out)], capsys)
    assert code == 0, err
    assert err.splitlines()[0] == (
        f"docs2py: configuration: {config} (its out, package and distribution "
        "are not used with --out)"
    )
    assert '"""pets: ' in (out / "__init__.py").read_text("utf-8")
    assert not (project / "sdk").exists() and not (out.parent / "README.md").exists()
    assert wire_key((out / "models/dog.py").read_text(), "is_trained") == "is_trained"
    # --distribution on the command line makes one, with no metadata of the table.
    dist = tmp_path / "elsewhere"
    argv = ["generate", "docs/Dog.md", "--out", str(out), "--distribution", str(dist)]
    code, err = run(argv, capsys)
    assert code == 0, err
    pyproject = (dist / "pyproject.toml").read_text("utf-8")
    assert 'name = "pets"' in pyproject and "license" not in pyproject
    # Without --out the configured target is whole: its folder, its distribution.
    code, err = run(["generate"], capsys)
    assert code == 0, err
    assert err.splitlines()[0] == f"docs2py: configuration: {config}"
    assert 'name = "configured-client"' in (project / "sdk/pyproject.toml").read_text()


def test_strict_flag_overrides_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Pet.md").write_text(WARNING_SPEC, "utf-8")
    write_pyproject(
        tmp_path,
        """
        [tool.docs2py]
        specs = "Pet.md"
        out = "pets"
        strict = false
        """,
    )
    monkeypatch.chdir(tmp_path)
    code, _ = run(["generate", "--strict"], capsys)
    assert code == 1
    assert not (tmp_path / "pets").exists()
    code, _ = run(["generate"], capsys)
    assert code == 0
    assert (tmp_path / "pets").is_dir()


def test_cache_flags_override_cache_dir(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]
        out = "pets"
        cache-dir = "configured-cache"
        """,
    )
    monkeypatch.chdir(project)
    flagged = tmp_path / "flagged-cache"
    code, err = run(["generate", "--cache-dir", str(flagged)], capsys)
    assert code == 0, err
    assert (flagged / "format" / mode_key(88)).is_dir()
    assert not (project / "configured-cache").exists()
    code, err = run(["generate", "--no-cache", "--out", "pets2"], capsys)
    assert code == 0, err
    assert not (project / "configured-cache").exists()
    code, err = run(["generate", "--out", "pets3"], capsys)
    assert code == 0, err
    assert (project / "configured-cache" / "format" / mode_key(88)).is_dir()


# --- unknown keys and bad values ----------------------------------------------


def test_unknown_top_level_key(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]
        out = "pets"
        colour = "blue"
        spec = "typo"
        """,
    )
    monkeypatch.chdir(project)
    code, err = run(["generate"], capsys)
    assert code == 2
    where = path.as_posix()
    assert (
        f"{where}:{line_of(path, 'colour')}: error: unknown key 'colour' "
        "in [tool.docs2py] [config]"
    ) in err
    assert (
        f"{where}:{line_of(path, 'spec =')}: error: unknown key 'spec' "
        "in [tool.docs2py]; did you mean 'specs'? [config]"
    ) in err
    assert not (project / "pets").exists()


def test_unknown_target_key(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]

        [[tool.docs2py.targets]]
        name = "a"
        out = "a"
        flavour = "x"
        """,
    )
    monkeypatch.chdir(project)
    code, err = run(["generate"], capsys)
    assert code == 2
    assert (
        f"{path.as_posix()}:{line_of(path, 'flavour')}: error: unknown key "
        "'flavour' in [[tool.docs2py.targets]] [config]"  # nothing close
    ) in err
    assert not (project / "a").exists()
    # cache-dir and targets are only valid at the top level
    path = write_pyproject(
        project,
        """
        [tool.docs2py]
        specs = ["docs"]

        [[tool.docs2py.targets]]
        name = "a"
        out = "a"
        cache-dir = "c"
        """,
    )
    code, err = run(["generate"], capsys)
    assert code == 2
    assert "unknown key 'cache-dir' in [[tool.docs2py.targets]] [config]" in err


def test_unknown_key_line_is_the_line_in_tool_docs2py(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_pyproject(
        project,
        """
        [project]
        name = "demo"
        version = "1.0"

        [tool.docs2py]
        specs = ["docs"]
        out = "pets"
        version = "2"
        """,
    )
    monkeypatch.chdir(project)
    code, err = run(["generate"], capsys)
    assert code == 2
    line = line_of(path, "version", occurrence=2)
    assert (
        f"{path.as_posix()}:{line}: error: unknown key 'version' "
        "in [tool.docs2py] [config]"
    ) in err


BAD_VALUES = [
    ('wire-keys = "kebab"', "'wire-keys' must be one of auto, as-written, camelCase, "),
    ("specs = 5", "'specs' must be a path or a list of paths"),
    ('specs = ["docs", 3]', "'specs' must be a path or a list of paths"),
    ("out = 5", "'out' must be a path"),
    ("package = 3", "'package' must be a string"),
    ("templates = [1]", "'templates' must be a path or a list of paths"),
    ('wire-key-overrides = { Cat = "x" }', "'wire-key-overrides' maps models to"),
    ('parameters = "x"', "'parameters' must be a table"),
    (
        '[tool.docs2py.parameters]\n"getNote.xTrace" = "query"',
        "parameters: 'getNote.xTrace' = 'query' must be 'SERVICE.METHOD.PARAM'",
    ),
    (
        '[tool.docs2py.parameters]\n"S.m.p" = "cookie"',
        "parameters: 'S.m.p' = 'cookie' must be 'SERVICE.METHOD.PARAM' = "
        "'path|query|header|body[:NAME[:STYLE]]' or 'STYLE' (STYLE: form|"
        "spaceDelimited|pipeDelimited|deepObject|simple[,explode=true|false])",
    ),
    (
        '[tool.docs2py.parameters]\n"S.m.p" = "query:filter:deep"',
        "parameters: 'S.m.p' = 'query:filter:deep' must be",
    ),
    (
        '[tool.docs2py.parameters]\n"S.m.p" = "path::deepObject"',
        "parameters: 'S.m.p' = 'path::deepObject' must be",
    ),
    (
        'parameters = { "S.m.p" = "query", "S.m.q" = "deepObject,explode=false" }',
        "parameters: 'S.m.q' = 'deepObject,explode=false' must be",
    ),
]


@pytest.mark.parametrize(("line", "message"), BAD_VALUES)
def test_bad_values_are_configuration_errors(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    line: str,
    message: str,
) -> None:
    path = write_pyproject(
        project, f'[tool.docs2py]\nspecs = ["docs"]\nout = "pets"\n{line}\n'
    )
    if line.startswith(("specs", "out")):  # replace, not repeat, the key
        key = line.split()[0]
        kept = [x for x in path.read_text().splitlines() if not x.startswith(key)]
        path.write_text("\n".join([*kept, line]) + "\n")
    monkeypatch.chdir(project)
    code, err = run(["generate"], capsys)
    assert code == 2, err
    expected_line = len(path.read_text().splitlines())  # the bad key is last
    assert f"{path.as_posix()}:{expected_line}: error: {message}" in err
    assert "[config]" in err
    assert not (project / "pets").exists()


def test_unreadable_toml_is_a_configuration_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_pyproject(project, '[tool.docs2py]\nspecs = ["docs"\n')
    monkeypatch.chdir(project)
    code, err = run(["generate", "docs", "--out", "pets"], capsys)
    assert code == 2
    where = f"{path.as_posix()}:3:1"  # the line and column of the end of the document
    assert f"{where}: error: cannot read the configuration: Unclosed array" in err
    assert not (project / "pets").exists()


def test_unreadable_toml_without_spec_arguments_names_the_toml_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_pyproject(project, '[tool.docs2py]\nspecs = ["docs"\nout = "pets"\n')
    monkeypatch.chdir(project)
    code, err = run(["generate"], capsys)
    assert code == 2
    where = f"{path.as_posix()}:3:1"  # tomllib's line and column
    assert f"{where}: error: cannot read the configuration: Unclosed array" in err


@pytest.mark.parametrize(
    ("body", "key"),
    [
        pytest.param(
            'line-length = "abc"',
            "line-length",
            id="line-length-string",
        ),
        pytest.param(
            'strict = "no"',
            "strict",
            id="strict-string",
        ),
        pytest.param(
            'targets = "x"',
            "targets",
            id="targets-string",
        ),
        pytest.param(
            '[tool.docs2py.targets]\nname = "a"',
            "targets",
            id="targets-table",
        ),
        pytest.param(
            "cache-dir = 5",
            "cache-dir",
            id="cache-dir-int",
        ),
    ],
)
def test_bad_values_that_are_not_reported(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    body: str,
    key: str,
) -> None:
    (tmp_path / "Pet.md").write_text(WARNING_SPEC, "utf-8")
    write_pyproject(
        tmp_path, f'[tool.docs2py]\nspecs = "Pet.md"\nout = "pets"\n{body}\n'
    )
    monkeypatch.chdir(tmp_path)
    code, err = run(["generate"], capsys)
    assert code == 2, err
    assert f"'{key}'" in err and "[config]" in err
    assert not (tmp_path / "pets").exists()
