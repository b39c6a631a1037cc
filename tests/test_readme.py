"""README.md as a new user follows it: its set-up commands run as written (the
bundled example generated as a distribution and installed into a fresh
virtualenv); every ``python`` snippet runs there, prints what its ``# …``
comments say, and passes ``mypy --strict``; every ``python excerpt=FILE``
snippet is the generated FILE, shortened; the publishing commands build a
wheel and an sdist that pass ``twine check``; the configuration examples are
valid configuration."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_wheel import fresh_venv

from generator.cli.config import load_config
from generator.core import generate
from generator.diagnostics import Diagnostics
from generator.write.package import write_files

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
BIN = Path(sys.executable).parent  # this environment's docs2py, build, twine
PACKAGE = Path("out/petclinic/src/petclinic")

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Snippet:
    info: str
    text: str
    line: int

    @property
    def id(self) -> str:
        return f"README.md:{self.line}"


def snippets(kind: str) -> list[Snippet]:
    """The fenced blocks (also indented ones) whose info string starts with
    the word ``kind``."""
    fence = re.compile(r"^( *)```([^\n`]*)\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
    out = []
    for match in fence.finditer(README):
        if match[2].split(" ")[0] == kind:
            body = "".join(
                line.removeprefix(match[1]) for line in match[3].splitlines(True)
            )
            out.append(
                Snippet(match[2], body, README.count("\n", 0, match.start()) + 1)
            )
    return out


PROGRAMS = [s for s in snippets("python") if s.info == "python"]
EXCERPTS = [s for s in snippets("python") if s.info.startswith("python excerpt=")]
CONFIGURATIONS = [s for s in snippets("toml") if s.text.startswith("[tool.docs2py]")]


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    return README[start : README.index("\n## ", start + 1)]


def commands(title: str) -> list[str]:
    """The lines of the first ``sh`` block of a section."""
    block = section(title).split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def shell(command: str, cwd: Path, path: list[Path]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = os.pathsep.join([*map(str, path), env["PATH"]])
    env["DOCS2PY_CACHE_DIR"] = str(cwd / ".cache")
    done = subprocess.run(
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
        timeout=900,
    )  # fmt: skip
    assert (
        done.returncode == 0
    ), f"{command}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(a user's working folder after the README's set-up, their venv's python)."""
    work = tmp_path_factory.mktemp("user")
    (work / "specs").symlink_to(ROOT / "specs")
    venv = work / ".venv"
    python = fresh_venv(venv)
    install, generate, install_generated = commands("Set-up")
    assert install == 'python3 -m pip install -e ".[test]"'  # docs2py: done already
    shell(generate, work, [BIN])
    shell(install_generated, work, [venv / "bin", BIN])  # the venv's python3
    yield work, python


@pytest.mark.parametrize("snippet", PROGRAMS, ids=lambda s: s.id)
def test_python_snippets_run_and_type_check(
    user: tuple[Path, Path], snippet: Snippet
) -> None:
    work, python = user
    script = work / f"snippet_{snippet.line}.py"
    script.write_text(snippet.text, "utf-8")
    expected = [
        line.split("  # ", 1)[1]
        for line in snippet.text.splitlines()
        if line.lstrip().startswith("print(") and "  # " in line
    ]
    assert expected, "a snippet shows what it prints"
    done = subprocess.run(
        [python, script], cwd=work, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == expected
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    checked = subprocess.run(
        [*mypy, "--python-executable", python, script],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize("snippet", EXCERPTS, ids=lambda s: s.id)
def test_excerpts_are_the_generated_code(
    user: tuple[Path, Path], snippet: Snippet
) -> None:
    work, _ = user
    path = snippet.info.split("=", 1)[1]
    generated = (work / PACKAGE / path).read_text("utf-8").splitlines()
    at = 0
    for line in snippet.text.splitlines():
        if line.strip() == "...":
            continue
        assert line in generated[at:], f"{line!r} is not in {path} (in this order)"
        at = generated.index(line, at) + 1


def test_the_publishing_commands_build_a_checked_distribution(
    user: tuple[Path, Path],
) -> None:
    work, _ = user
    for command in commands("Publishing your API client"):
        shell(command, work, [BIN])
    built = sorted(p.name for p in (work / "out" / "petclinic" / "dist").iterdir())
    assert built == ["petclinic-0.1.0-py3-none-any.whl", "petclinic-0.1.0.tar.gz"]


@pytest.mark.parametrize("snippet", CONFIGURATIONS, ids=lambda s: s.id)
def test_configuration_examples_are_valid(tmp_path: Path, snippet: Snippet) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(snippet.text, "utf-8")
    diags = Diagnostics()
    config = load_config(path, diags)
    assert [d.format() for d in diags.items] == []
    assert config.targets


def test_the_markdown_example_is_a_model(tmp_path: Path) -> None:
    (snippet,) = snippets("markdown")
    (tmp_path / "Pet.md").write_text(snippet.text, "utf-8")
    result = generate([tmp_path / "Pet.md"], package="pets")
    (pet,) = result.api.models
    assert [(f.python_name, f.required) for f in pet.fields] == [
        ("id", True),
        ("owner", False),
        ("tags", False),
    ]


def test_the_template_example_adds_a_method(
    tmp_path: Path, import_package: Callable[[Path, str], Any]
) -> None:
    (snippet,) = snippets("jinja")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "model.py.jinja").write_text(snippet.text, "utf-8")
    result = generate([ROOT / "specs"], template_dirs=[tmp_path / "templates"])
    assert not result.diagnostics.has_errors
    write_files(tmp_path / "jsonpets", result.files)
    package = import_package(tmp_path, "jsonpets")
    owner = package.Owner(id="o1", first_name="Ada", last_name="L", active=True)
    assert json.loads(owner.to_json())["firstName"] == "Ada"
    for checker in (
        ["mypy", "--strict"],
        ["ruff", "check", "--isolated", "--target-version", "py310"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", *checker, "jsonpets"],
            cwd=tmp_path, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr


def test_every_kind_of_snippet_is_tested() -> None:
    """python, toml, markdown, jinja: here; sh: the set-up and publishing
    commands here, the test command by .ci/run; yaml: the pre-commit
    configuration, by tests/test_build_hooks.py; the untagged block is the
    command line's usage."""
    kinds = {
        match.split(" ")[0] for match in re.findall(r"^ *```(\w[^\n]*)$", README, re.M)
    }
    assert kinds == {"python", "toml", "markdown", "jinja", "sh", "yaml"}
    assert (len(PROGRAMS), len(EXCERPTS), len(CONFIGURATIONS)) == (4, 1, 2)
    assert len(snippets("sh")) == 3  # set-up, the tests, publishing


def test_the_pre_commit_snippet_is_tested() -> None:
    """tests/test_build_hooks.py runs the README's pre-commit configuration."""
    (snippet,) = [s for s in snippets("yaml") if "repo: local" in s.text]
    assert "id: docs2py-check" in snippet.text


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs the README's test command verbatim, on every Python."""
    (command,) = [s.text.strip() for s in snippets("sh") if "pytest" in s.text]
    assert command.startswith("python -m pytest") and "-n auto" in command
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    lines = [line.strip() for line in script.splitlines()]
    assert command in lines  # the default Python
    assert f'(. ".venv-$version/bin/activate" && {command})' in lines
