"""Hostile templates, configuration and diagnostics (issue 22, generation).

* every Jinja construct that prints (``{% filter %}``, ``{% call %}``,
  macros, ``{% include %}``, ``{% set %}`` blocks) goes through the same check
  as ``{{ … }}``; templates run sandboxed and only ``*.jinja`` files are
  templates; the output check refuses import-time calls the built-in
  templates never make;
* an extra output's path is data: ``{name}``, ``{module}``, ``{package}``
  and nothing else, errors at the pyproject key's line;
* README text from specs never becomes an active ``javascript:`` link;
* diagnostics: ``file:line:col`` for broken TOML, lines for keys in inline
  tables, one line per diagnostic whatever the input holds.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli.commands import main
from generator.core import Result, generate
from generator.diagnostics import Diagnostic, Level
from generator.render.filters import md
from generator.render.templates import ExtraOutput, expand, path_problem
from generator.render.verify import definitions_only

ROOT = Path(__file__).resolve().parent.parent
CAT = ROOT / "specs" / "models" / "Cat.md"
UNSAFE = "without a filter; use ident, literal, docstring or hint"


def errors(result: Result) -> list[str]:
    return [d.format() for d in result.diagnostics.items if d.level is Level.ERROR]


def with_template(tmp_path: Path, body: str, **files: str) -> Result:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(text, "utf-8")
    (folder / "model.py.jinja").write_text(
        '{% extends "builtin/model.py.jinja" %}\n{% block methods %}\n'
        f"    # {body}\n{{% endblock %}}\n",
        "utf-8",
    )
    return generate([CAT], template_dirs=[folder], package="cats")


# --- 2. templates ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{% filter replace("X", model.name) %}X{% endfilter %}',
        "{% filter upper %}{{ model.class_name | ident }}{% endfilter %}",
        "{% call model.name.format() %}{% endcall %}",
        '{% macro m() %}{% filter replace("X", model.name) %}X{% endfilter %}'
        "{% endmacro %}{{ m() }}",
        "{% macro m() %}{% set _ = caller %}{% call model.name.format() %}"
        "{% endcall %}{% endmacro %}{% call m() %}{% endcall %}",
        "{% set x %}{{ model.class_name | ident }}{% endset %}{{ x }}",
        '{% include "part.jinja" %}',
    ],
)
def test_every_construct_that_prints_is_checked(tmp_path: Path, body: str) -> None:
    part = "{% filter replace('X', model.name) %}X{% endfilter %}\n"
    result = with_template(tmp_path, body, part__jinja=part)
    assert result.files == {}
    (error,) = errors(result)
    assert UNSAFE in error and error.endswith("[template]"), error


@pytest.mark.parametrize(
    "body",
    [
        "{{ header.__class__(model.name) }}",
        "{{ (model.class_name | ident).__class__(model.name) }}",
        "{{ model.__class__.__init__.__globals__ }}",
    ],
)
def test_templates_are_sandboxed(tmp_path: Path, body: str) -> None:
    result = with_template(tmp_path, body)
    (error,) = errors(result)
    assert "is unsafe" in error and error.endswith("[template]"), error


def test_only_jinja_files_are_templates(tmp_path: Path) -> None:
    secret = "token = 'sk-live'\n"
    result = with_template(
        tmp_path, "{% include model.description %}", secret__txt=secret
    )
    (error,) = errors(result)
    assert "is not a template: docs2py loads *.jinja files only" in error
    result = with_template(tmp_path, '{% include "secret.txt" %}')
    (error,) = errors(result)
    assert "'secret.txt' is not a template" in error


def test_checked_constructs_still_print(tmp_path: Path) -> None:
    """Macros, call blocks of macros, filters on checked text ending in a
    filter, and includes of templates print what they printed before."""
    body = (
        "{% macro m() %}{% set _ = caller %}{{ model.class_name | ident }}"
        "{% endmacro %}"
        "{% call m() %}{% endcall %} {{ m() }} {% include 'part.jinja' %}"
    )
    part = "{{ model.class_name | ident }}"
    result = with_template(tmp_path, body, part__jinja=part)
    assert not errors(result), errors(result)
    assert "    # Cat Cat Cat\n" in result.files["models/cat.py"]


def test_a_jinja_crash_is_a_template_error(tmp_path: Path) -> None:
    """Jinja's compiler fails on a filter argument of a ``{% set %}`` block
    that names an outer variable (an assertion inside Jinja): reported as a
    template error, never a traceback."""
    result = with_template(
        tmp_path, '{% set x | replace("X", model.name) %}X{% endset %}{{ x }}'
    )
    (error,) = errors(result)
    assert error.startswith("model.py.jinja: error: AssertionError: ")


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("X = print('x')\n", "a call of 'print' at import"),
        ("import os\nX = os.system('x')\n", "a call of 'os.system' at import"),
        ("X = __import__('os')\n", "a call of '__import__' at import"),
        ("class A:\n    x = open('x')\n", "a call of 'open' at import"),
        ("class A:\n    x = exec('1')\n", "a call of 'exec' at import"),
        ("def f():\n    pass\nclass A:\n    x = f()\n", "a call of 'f' at import"),
        ("@print\nclass A:\n    pass\n", "a decorator 'print'"),
        ("def f(x=open('x')):\n    pass\n", "a call of 'open' at import"),
        ("class A(type('B', (), {})):\n    pass\n", "a call of 'type' at import"),
        ("X = (lambda: 1)()\n", "at import"),
    ],
)
def test_the_output_check_refuses_import_time_calls(source: str, problem: str) -> None:
    found = definitions_only(ast.parse(source))
    assert found is not None and problem in found, found


@pytest.mark.parametrize(
    "source",
    [
        "from importlib.util import find_spec as _find_spec\n__all__ = ['A']\n"
        "if _find_spec('httpx') is not None:\n    __all__ += ['B']\n",
        "import attrs as _attrs\n@_attrs.define(slots=True)\nclass A:\n"
        "    x: int = _attrs.field(default=1)\n    k = frozenset(['a'])\n",
        "import pydantic as _pd\nclass A(_pd.BaseModel):\n"
        "    model_config = _pd.ConfigDict(frozen=True)\n    f = lambda: open('x')\n",
        "from . import _http\nclass S:\n    @_http.deprecated('x')\n"
        "    def m(self) -> None:\n        print(1)\n",
    ],
)
def test_the_output_check_allows_what_templates_write(source: str) -> None:
    assert definitions_only(ast.parse(source)) is None


# --- 3. extra outputs ------------------------------------------------------------

BAD_PATHS = [
    ("x_{0}.py", "has the placeholder {0}"),
    ("{name.__class__}.py", "has the placeholder {name.__class__}"),
    ("{name[0]}.py", "has the placeholder {name[0]}"),
    ("{name!r}.py", "has the placeholder {name!r}"),
    ("{}.py", "has the placeholder {}"),
    ("{{name}}.py", "has a brace outside a placeholder"),
    ("x}.py", "has a brace outside a placeholder"),
    ("../{name}.py", "leaves the package folder"),
    ("/tmp/{name}.py", "leaves the package folder"),
    ("", "leaves the package folder"),
    ("a\\..\\..\\b.py", "holds a backslash"),
    ("a\nb.py", "holds a backslash or a control character"),
    (".docs2py-manifest.json", "names docs2py's own bookkeeping"),
]


@pytest.mark.parametrize(("path", "problem"), BAD_PATHS)
def test_extra_output_paths_are_data(path: str, problem: str) -> None:
    found = path_problem(path)
    assert found is not None and problem in found, found


@given(st.text(max_size=30))
def test_expanding_a_path_evaluates_nothing(pattern: str) -> None:
    """Whatever the pattern, checking it never raises, and a pattern that
    passes expands by replacing the three placeholders only."""
    if path_problem(pattern) is None:
        out = expand(pattern, "Cat", "cat", "pets")
        assert "{" not in out and "}" not in out
        assert ".." not in Path(out).parts and not Path(out).is_absolute()


def _project(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "Cat.md").write_text(CAT.read_text("utf-8"), "utf-8")
    (tmp_path / "pyproject.toml").write_text(toml, "utf-8")
    (tmp_path / "t.jinja").write_text("# {{ definition.class_name | ident }}\n")
    return tmp_path


def run(
    tmp_path: Path, toml: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    project = _project(tmp_path, toml)
    code = main(["generate", "--config", str(project / "pyproject.toml"),
                 "--no-cache"])  # fmt: skip
    return code, capsys.readouterr().err


def test_extra_output_errors_name_the_key_and_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = (
        '[tool.docs2py]\nspecs = ["docs"]\nout = "pets"\ntemplates = ["."]\n'
        "extra-outputs = [\n"
        '  { template = "t.jinja", per = "model", path = "ok_{module}.py" },\n'
        '  { template = "t.jinja", per = "model", path = "x_{0}.py" },\n'
        '  { template = "t.jinja", per = "model", path = "{name.__class__}.py" },\n'
        "]\n"
    )
    code, err = run(tmp_path, toml, capsys)
    where = (tmp_path / "pyproject.toml").as_posix()
    assert code == 2, err
    assert f"{where}:7: error: extra-outputs[1]: path 'x_{{0}}.py' has the " in err
    assert f"{where}:8: error: extra-outputs[2]: path '{{name.__class__}}.py'" in err
    assert ".jinja" not in err.replace("t.jinja", "")


def test_an_extra_output_that_overwrites_another_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = (
        '[tool.docs2py]\nspecs = ["docs"]\nout = "pets"\ntemplates = ["."]\n'
        'extra-outputs = [{ template = "t.jinja", per = "model", '
        'path = "models/{module}.py" }]\n'
    )
    code, err = run(tmp_path, toml, capsys)
    where = (tmp_path / "pyproject.toml").as_posix()
    assert code == 1, err
    assert (
        f"{where}:5: error: extra-outputs[0]: path 'models/{{module}}.py' names " in err
    )
    assert "'models/cat.py', which another output writes" in err


def test_a_missing_extra_output_template_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = (
        '[tool.docs2py]\nspecs = ["docs"]\nout = "pets"\n'
        'extra-outputs = [{ template = "nope.jinja", per = "package", '
        'path = "x.md" }]\n'
    )
    code, err = run(tmp_path, toml, capsys)
    where = (tmp_path / "pyproject.toml").as_posix()
    assert code == 1, err
    assert f"{where}:4: error: extra-outputs[0]: no template 'nope.jinja'" in err


def test_extra_outputs_from_the_api_report_where_they_were_configured() -> None:
    from generator.ir import Location

    where = Location("pyproject.toml", 9)
    bad = ExtraOutput("model.py.jinja", "model", "{0}.py", where)
    result = generate([CAT], package="cats", outputs=(bad,))
    (error,) = errors(result)
    assert error.startswith("pyproject.toml:9: error: extra-outputs: path '{0}.py'")


# --- 8. README links -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](javascript\\:alert(1))",
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "[x][1]\n\n[1]: javascript:alert(1)",
        "<a href='javascript:alert(1)'>x</a>",
        "<javascript:alert(1)>",
    ],
)
def test_readme_text_never_forms_a_script_link(text: str) -> None:
    out = md(text)
    assert not re.search(r"(?<!\\)\]\(|(?<!\\)\]\[|(?<!\\)\]:|<a |<javascript", out)


def test_readme_keeps_harmless_links() -> None:
    assert md("see [the docs](https://example.com/docs)") == (
        "see [the docs](https://example.com/docs)"
    )


def test_the_package_readme_has_no_script_links(tmp_path: Path) -> None:
    spec = tmp_path / "Pet.md"
    spec.write_text(
        "# Pet\n\nSee [the docs](javascript:alert(document.cookie)).\n\n"
        "**Properties**\n\n| Name | Type | Required | Description |\n"
        "| :-- | :-- | :-- | :-- |\n| id | string | ✅ | |\n",
        "utf-8",
    )
    readme = generate([spec], package="pets").files["README.md"]
    assert "\\[the docs\\](javascript:" in readme


# --- 9. diagnostics --------------------------------------------------------------


def test_broken_toml_reports_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(tmp_path, '[tool.docs2py]\nspecs = ["docs"]\nout = = 1\n', capsys)
    where = (tmp_path / "pyproject.toml").as_posix()
    assert code == 2
    assert err.startswith(f"{where}:3:7: error: cannot read the configuration: ")


def test_undecodable_toml_reports_the_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "")
    (project / "pyproject.toml").write_bytes(b'[tool.docs2py]\nout = "p\xff"\n')
    code = main(["generate", "--config", str(project / "pyproject.toml")])
    err = capsys.readouterr().err
    where = (project / "pyproject.toml").as_posix()
    assert code == 2
    assert err.startswith(f"{where}:2:9: error: cannot read the configuration: ")


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        ('paging = { "A.b" = "bogus" }', 4),
        ('paging = { A.b = "cursor" }', 4),  # a dotted key makes a table
        ('bodies = { "S.m" = "xml" }', 4),
        ('\n[tool.docs2py.paging]\n"A.b" = "cursor"\n"C.d" = "bogus"', 7),
        (
            '\n[[tool.docs2py.targets]]\nname = "a"\n\n[[tool.docs2py.targets]]\n'
            'name = "b"\npaging = { "A.b" = "bogus" }',
            10,
        ),
    ],
)
def test_errors_inside_tables_carry_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: str, line: int
) -> None:
    toml = f'[tool.docs2py]\nspecs = ["docs"]\nout = "pets"\n{lines}\n'
    code, err = run(tmp_path, toml, capsys)
    where = (tmp_path / "pyproject.toml").as_posix()
    assert code == 2, err
    assert err.startswith(f"{where}:{line}: error: "), err


@pytest.mark.parametrize(
    "toml",
    [
        '[tool.docs2py]\nspecs = ["docs"]\nout = "pets"\n'
        '[tool.docs2py.distribution]\npath = "."\nname = "a\\nb.py:1: error: forged"\n',
        '[tool.docs2py]\nspecs = ["docs"]\nout = "pets"\n"x\\ny" = 1\n',
        '[tool.docs2py]\nspecs = ["docs"]\nout = "pets"\n'
        'paging = { "A.b\\r\\nc" = "\\u001b[31m" }\n',
    ],
)
def test_input_text_never_forges_a_diagnostic_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str
) -> None:
    code, err = run(tmp_path, toml, capsys)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "\x1b" not in err and "\r" not in err


def test_a_usage_error_is_one_printable_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A usage error names input text (here a --templates folder) on one
    line, its control characters escaped, as diagnostics do."""
    specs = tmp_path / "docs"
    specs.mkdir()
    (specs / "Pet.md").write_text(
        "# Pet\n\n| Name | Type | Required | Description |\n"
        "| :-- | :-- | :-- | :-- |\n| id | int | ✅ | x |\n"
    )
    folder = "x\n\x1b[31mdocs2py: error: forged"
    args = ["generate", str(specs), "--out", str(tmp_path / "pets")]
    code = main([*args, "--templates", folder])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert "\x1b" not in err and "not a folder" in err


@given(st.text())
def test_a_diagnostic_is_one_printable_line(message: str) -> None:
    text = Diagnostic("a\nb.md", 3, Level.ERROR, message, "x").format()
    assert "\n" not in text and "\r" not in text
    assert all(c.isprintable() for c in text)
