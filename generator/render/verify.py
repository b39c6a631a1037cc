"""Defence in depth: generated modules may only define things.

The literal encoders are what keep spec text out of code; this check catches a
template (or generator) bug that would still let a statement run at import.
Module and class bodies may hold imports, definitions, assignments, docstrings,
``if TYPE_CHECKING:`` and ``if not TYPE_CHECKING:`` blocks (held to the same
rules) and ``if …: __all__ += [names]`` (the package root lists its clients
only when httpx is there); no expression statement other than a docstring, and
no loops, ``with``, ``try``, ``del``, ``raise`` or ``exec``-like control flow.
"""

from __future__ import annotations

import ast

_ALLOWED = (
    ast.Import,
    ast.ImportFrom,
    ast.ClassDef,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Assign,
    ast.AnnAssign,
    ast.Pass,
)


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_type_checking(node: ast.stmt) -> bool:
    """``if TYPE_CHECKING:`` or ``if not TYPE_CHECKING:`` (no ``else``)."""
    if not isinstance(node, ast.If) or node.orelse:
        return False
    test = node.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
    return name == "TYPE_CHECKING"


def _extends_all(node: ast.stmt) -> bool:
    """``if …: __all__ += ["Name", …]`` and nothing else."""
    if not isinstance(node, ast.If) or node.orelse or len(node.body) != 1:
        return False
    add = node.body[0]
    return (
        isinstance(add, ast.AugAssign)
        and isinstance(add.op, ast.Add)
        and isinstance(add.target, ast.Name)
        and add.target.id == "__all__"
        and isinstance(add.value, ast.List)
        and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str)
            for e in add.value.elts
        )
    )


def _check_body(body: list[ast.stmt], where: str) -> str | None:
    for node in body:
        if _is_docstring(node):
            continue
        if _is_type_checking(node):
            assert isinstance(node, ast.If)
            problem = _check_body(node.body, where)
        elif isinstance(node, ast.ClassDef):
            problem = _check_body(node.body, f"class {node.name}")
        elif isinstance(node, _ALLOWED) or _extends_all(node):
            problem = None
        else:
            kind = type(node).__name__
            problem = f"line {node.lineno}: a {kind} statement in {where}"
        if problem:
            return problem
    return None


def definitions_only(tree: ast.Module) -> str | None:
    """None if ``tree`` only defines things at import time, else the problem."""
    return _check_body(tree.body, "the module body")
