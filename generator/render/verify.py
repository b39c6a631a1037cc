"""Defence in depth: generated modules may only define things.

The literal encoders are what keep spec text out of code; this check catches a
template (or generator) bug that would still let code run at import.

* Module and class bodies may hold imports, definitions, assignments,
  docstrings, ``if TYPE_CHECKING:`` and ``if not TYPE_CHECKING:`` blocks (held
  to the same rules) and ``if …: __all__ += [names]`` (the package root lists
  its clients only when httpx is there); no expression statement other than a
  docstring, and no loops, ``with``, ``try``, ``del``, ``raise`` or
  ``exec``-like control flow.
* The module's own statements (its assignments and ``if`` tests) call only
  what the built-in templates call there (``_find_spec``, whether httpx is
  installed).
* Everything else that runs at import (class bodies, decorators, base classes,
  default values) calls only into what the module imports (``_pd.Field``,
  ``_attrs.define``), or builtins that make values (``frozenset``…): never
  ``__import__``, ``exec``, ``open``, a function the module itself defines, or
  the result of another call.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

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
MODULE_CALLS = frozenset(["_find_spec"])
"""What the built-in templates call in a module's own statements."""
VALUE_BUILTINS = frozenset(
    ["frozenset", "tuple", "dict", "set", "list", "str", "int", "float", "bool"]
    + ["bytes", "complex", "range", "slice", "object", "property", "classmethod"]
    + ["staticmethod"]
)
"""Builtins that import-time code may call: they make values, nothing else."""


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


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    """The calls evaluated with ``node`` (not those inside a lambda)."""
    if isinstance(node, ast.Lambda):
        return
    if isinstance(node, ast.Call):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _calls(child)


def _root(func: ast.expr) -> str | None:
    """``a`` for ``a``, ``a.b.c``; None for anything else (a call's result…)."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


class _Checker:
    def __init__(self, imported: set[str]) -> None:
        self.imported = imported

    def callee(self, func: ast.expr, module: bool) -> bool:
        """Whether import-time code may call ``func``."""
        if module:
            return isinstance(func, ast.Name) and func.id in MODULE_CALLS
        root = _root(func)
        if root in self.imported:
            return True
        return isinstance(func, ast.Name) and func.id in VALUE_BUILTINS

    def parts(self, node: ast.stmt, module: bool) -> str | None:
        """A call ``node`` makes at import that it may not make, or None."""
        checked: list[tuple[ast.AST, bool]]
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            for d in node.decorator_list:  # a decorator is called with the class
                if not isinstance(d, ast.Call) and not self.callee(d, False):
                    return f"line {d.lineno}: a decorator {ast.unparse(d)!r}"
            checked = [(d, False) for d in node.decorator_list]
            if isinstance(node, ast.ClassDef):
                checked += [(b, False) for b in node.bases]
                checked += [(k.value, False) for k in node.keywords]
            else:
                defaults = [*node.args.defaults, *node.args.kw_defaults]
                checked += [(d, False) for d in defaults if d is not None]
        elif isinstance(node, ast.If):
            checked = [(node.test, module)]
        else:
            checked = [(node, module)]
        for part, strict in checked:
            for call in _calls(part):
                if not self.callee(call.func, strict):
                    name = ast.unparse(call.func)
                    return f"line {call.lineno}: a call of {name!r} at import"
        return None

    def body(self, body: list[ast.stmt], where: str, module: bool) -> str | None:
        for node in body:
            if _is_docstring(node):
                continue
            problem = self.parts(node, module)
            if problem:
                return f"{problem} in {where}"
            if _is_type_checking(node):
                assert isinstance(node, ast.If)
                problem = self.body(node.body, where, module)
            elif isinstance(node, ast.ClassDef):
                problem = self.body(node.body, f"class {node.name}", False)
            elif isinstance(node, _ALLOWED) or _extends_all(node):
                problem = None
            else:
                kind = type(node).__name__
                problem = f"line {node.lineno}: a {kind} statement in {where}"
            if problem:
                return problem
        return None


def _imported(body: list[ast.stmt]) -> set[str]:
    """The names the module's imports bind (at its top, or under ``if``)."""
    found: set[str] = set()
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found |= {a.asname or a.name.partition(".")[0] for a in node.names}
        elif isinstance(node, ast.If):
            found |= _imported(node.body) | _imported(node.orelse)
    return found


def definitions_only(tree: ast.Module) -> str | None:
    """None if ``tree`` only defines things at import time, else the problem."""
    return _Checker(_imported(tree.body)).body(tree.body, "the module body", True)
