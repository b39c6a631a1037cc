"""Templates as Jinja users write them: ``{{ super() }}``, ``self.name()``,
macros and ``caller()`` print without a filter (Jinja's context marks what they
return), while everything else that is not a filter's ``Code`` is still refused:
Jinja's own filters, string operations, ``{% set %}`` blocks, and spec text
that a macro prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core import Result, generate
from generator.diagnostics import Level

ROOT = Path(__file__).resolve().parent.parent
CAT = ROOT / "specs" / "models" / "Cat.md"


def render(tmp_path: Path, name: str, text: str) -> Result:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / name).write_text(text, "utf-8")
    return generate([CAT], template_dirs=[templates], package="cats")


def errors(result: Result) -> list[str]:
    return [d.format() for d in result.diagnostics.items if d.level is Level.ERROR]


def test_super_in_a_block_needs_no_filter(tmp_path: Path) -> None:
    template = (
        '{% extends "builtin/model.py.jinja" %}\n'
        "{% block methods %}\n"
        "{{ super() }}\n"
        "    def lives(self) -> int:\n"
        "        return 9\n"
        "{% endblock %}\n"
    )
    result = render(tmp_path, "model.py.jinja", template)
    assert errors(result) == []
    plain = generate([CAT], package="cats").files["models/cat.py"]
    cat = result.files["models/cat.py"]
    assert cat.startswith(plain.rstrip("\n"))
    assert cat.endswith("    def lives(self) -> int:\n        return 9\n")


def test_blocks_macros_and_caller_print_as_they_are(tmp_path: Path) -> None:
    template = (
        '{% extends "builtin/package_readme.md.jinja" %}\n'
        "{% macro row(sym) %}* `{{ sym.class_name | ident }}`{% endmacro %}\n"
        "{% macro boxed() %}[{{ caller() }}]{% endmacro %}\n"
        "{% block intro %}{{ super() }}Extra line.\n{% endblock %}\n"
        "{% block index %}\n"
        "{{ self.title() }}"
        "{% for sym in symbols %}{{ row(sym) }}\n{% endfor %}"
        "{% call boxed() %}{{ package }}{% endcall %}\n"
        "{% endblock %}\n"
    )
    result = render(tmp_path, "package_readme.md.jinja", template)
    assert errors(result) == []
    readme = result.files["README.md"]
    assert "regenerate with `docs2py generate`.\nExtra line.\n" in readme
    assert readme.endswith("# cats\n* `Cat`\n[cats]")


@pytest.mark.parametrize(
    "expression",
    [
        "{{ model.name }}",
        "{{ model.name | safe }}",
        "{{ model.name | e }}",
        "{{ [model.name] | join }}",
        "{{ model.name | indent(4) }}",
        "{{ super() ~ model.name }}",
        "{{ super() + model.name }}",
        '{{ super() | replace("class", model.name) }}',
        "{{ super() | indent(4) }}",
        "{% set text %}{{ model.class_name | ident }}{% endset %}{{ text }}",
        "{% macro show(v) %}{{ v }}{% endmacro %}{{ show(model.name) }}",
        "{% macro box() %}{{ caller() }}{% endmacro %}"
        "{% call box() %}{{ model.name }}{% endcall %}",
    ],
)
def test_everything_else_is_still_refused(tmp_path: Path, expression: str) -> None:
    template = (
        '{% extends "builtin/model.py.jinja" %}\n'
        "{% block methods %}\n"
        f"    # {expression}\n"
        "{% endblock %}\n"
    )
    result = render(tmp_path, "model.py.jinja", template)
    (error,) = errors(result)
    assert "without a filter; use ident, literal, docstring or hint" in error
    assert result.files == {}


def test_the_rendered_filter_is_gone(tmp_path: Path) -> None:
    """Template API version 2: ``| rendered`` is no longer needed, nor known."""
    template = (
        '{% extends "builtin/model.py.jinja" %}\n'
        "{% block methods %}\n"
        "{{ super() | rendered }}\n"
        "{% endblock %}\n"
    )
    result = render(tmp_path, "model.py.jinja", template)
    (error,) = errors(result)
    where = (tmp_path / "templates" / "model.py.jinja").as_posix()
    assert error.startswith(f"{where}:3: error: No filter named 'rendered'.")


def test_readme_tables_keep_quotes(tmp_path: Path) -> None:
    """``md`` escapes what HTML needs in text (``<``, ``>``, ``&``), not quotes."""
    spec = tmp_path / "Pet.md"
    spec.write_text(
        '# Pet\n\nThe clinic\'s <pet> & "friend".\n\n**Properties**\n\n'
        "| Name | Type | Required | Description |\n| :-- | :-- | :-- | :-- |\n"
        "| id | string | ✅ | |\n",
        "utf-8",
    )
    readme = generate([spec], package="pets").files["README.md"]
    assert '| `Pet` | model | The clinic\'s &lt;pet&gt; &amp; "friend". |' in readme
