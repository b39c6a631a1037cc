"""Definition modules as black writes them, told (and made) without black.

black is most of a cold run, and the built-in model, enum and union templates
already write what black writes (``literal`` writes strings as black quotes
them, the templates lay out lines and blank lines as black does, class
docstrings are indented as black indents them), except where a property's
line is longer than the line length.  ``as_black_writes`` recognises a module
of one of those templates that black would leave as it is, after splitting
such a line as black splits it::

    name: <annotation> = (
        _rt.UNSET
    )

so that black need not run for it; anything it is not sure of goes to black.
tests/test_format.py holds it to black's own output on every corpus doc set
and on hostile text.
"""

from __future__ import annotations

import ast

from ..render.renderer import Source
from ..render.templates import builtin_templates

TEMPLATES = ("model.py.jinja", "enum.py.jinja", "union.py.jinja")
"""The built-in templates whose output is written as black writes it."""
_BUILTIN = frozenset(str(builtin_templates() / name) for name in TEMPLATES)

_SPECIAL = frozenset("\t\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
"""Characters black (or ``str.splitlines``) reads as whitespace or line breaks."""


def as_black_writes(source: Source, line_length: int) -> tuple[str, ast.Module] | None:
    """``source``'s text as black writes it, and its module, parsed, when
    that is certain without black: a module of a built-in definition template
    with no trailing spaces, tabs or other line breaks, whose lines fit the
    line length (in UTF-8 bytes, at least their width) but for strings black
    leaves alone and property lines split as black splits them, and whose
    docstrings are as black writes them.  None when that is not certain."""
    text = source.text
    if source.template not in _BUILTIN:
        return None  # another template, or a user's of the same name
    if not text.endswith("\n") or text.endswith("\n\n") or _SPECIAL & set(text):
        return None
    tree = _parsed(text)
    if tree is None:
        return None
    lines = text.split("\n")[:-1]
    split = _split_lines(tree, lines, line_length)
    if split != lines:
        lines, text = split, "\n".join(split) + "\n"
        tree = _parsed(text)
        if tree is None:
            return None
    free = _strings(tree, lines)
    if free is None:
        return None
    for number, line in enumerate(lines):
        if line != line.rstrip():
            return None
        if number not in free and len(line.encode("utf-8")) > line_length:
            return None
    return text, tree


def _parsed(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None  # black, and then the compiler, will say why


def _split_lines(tree: ast.Module, lines: list[str], limit: int) -> list[str]:
    """``lines`` with each line that is too long and that black splits in a
    known way split as black splits it: ``name: annotation = _rt.UNSET`` (when
    its first line then fits) and an import of one name."""
    out = list(lines)
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    for node in sorted(nodes, key=lambda n: n.lineno, reverse=True):
        if node.lineno != node.end_lineno:
            continue
        line = out[node.lineno - 1]
        if len(line.encode("utf-8")) <= limit:
            continue
        indent = " " * node.col_offset
        if isinstance(node, ast.ImportFrom) and len(node.names) == 1:
            head, sep, name = line.partition(" import ")
            if sep and line.startswith(indent + "from ") and "(" not in name:
                split = [head + sep + "(", f"{indent}    {name},", f"{indent})"]
                out[node.lineno - 1 : node.lineno] = split
        elif _unset_default(node) and line.endswith(" = _rt.UNSET"):
            head = line[: -len(" = _rt.UNSET")] + " = ("
            if len(head.encode("utf-8")) <= limit:
                split = [head, "        _rt.UNSET", "    )"]
                out[node.lineno - 1 : node.lineno] = split
    return out


def _unset_default(node: ast.stmt) -> bool:
    """``name: annotation = _rt.UNSET``."""
    return (
        isinstance(node, ast.AnnAssign)
        and isinstance(node.value, ast.Attribute)
        and ast.unparse(node.value) == "_rt.UNSET"
    )


def _strings(tree: ast.Module, lines: list[str]) -> set[int] | None:
    """The lines (0-based) that only strings black leaves alone hold, whatever
    their length: string statements, but the last line of a docstring of
    several lines (black moves its closing quotes when it is too long); None
    if a docstring is not as black writes it."""
    free: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for index, statement in enumerate(body):
            if not isinstance(statement, ast.Expr):
                continue
            value = statement.value
            if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
                continue
            first, last = statement.lineno - 1, (statement.end_lineno or 0) - 1
            docstring = index == 0 and isinstance(
                node, ast.Module | ast.ClassDef | ast.FunctionDef
            )
            if docstring and not _as_black_writes(lines[first : last + 1]):
                return None
            free.update(range(first, last if docstring and last > first else last + 1))
    return free


def _as_black_writes(raw: list[str]) -> bool:
    """Whether a docstring's lines are written as black writes them:
    ``\"\"\"text\"\"\"`` with no space or quote at either end of its text,
    continuation lines indented as its opening quotes (the least indented of
    them exactly so), and no backslash at all."""
    indent = raw[0][: len(raw[0]) - len(raw[0].lstrip(" "))]
    if not raw[0].startswith(indent + '"""') or not raw[-1].endswith('"""'):
        return False
    if any("\\" in line for line in raw):
        return False
    text = "\n".join(raw)[len(indent) + 3 : -3]
    if not text or text != text.strip() or text[0] == '"' or text[-1] == '"':
        return False
    rest = [line for line in raw[1:] if line]
    if not rest:
        return True
    if any(not line.startswith(indent) for line in rest):
        return False
    return min(len(line) - len(line.lstrip(" ")) for line in rest) == len(indent)
