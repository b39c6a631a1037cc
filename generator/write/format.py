"""black, in-process, plus a check that every file compiles from its bytes.

Many files are formatted in parallel across the CPU cores (see workers.py).
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..render.renderer import RUNTIME_MODULES, Source
from ..render.verify import definitions_only
from ..workers import Workers
from .black_shape import as_black_writes
from .format_cache import FormatCache

if TYPE_CHECKING:
    import black

# Runtime modules copied verbatim: trusted code, not checked for definitions only,
# and already black-formatted for the default line length.
DEFAULT_LINE_LENGTH = 88
_VERBATIM = frozenset(RUNTIME_MODULES)

# PEP 263: a comment like this on line 1 or 2 changes how Python decodes the file.
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def mode(line_length: int = 88) -> black.Mode:
    """black's mode for generated code (Python 3.10 syntax)."""
    import black  # here, so that a run served by the caches does not load it
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, line_length=line_length)


class FormatError(Exception):
    """Generated code that black or the compiler rejected (a generator bug)."""

    def __init__(self, source: Source, reason: str) -> None:
        super().__init__(source, reason)
        self.source = source
        self.reason = reason

    def __str__(self) -> str:
        return (
            f"generated code for '{self.source.subject}' ({self.source.path}) "
            f"is invalid: {self.reason}"
        )


def warm_up() -> None:
    """Load black (in a worker, while the main process resolves and renders)."""
    mode()


def _format(source: Source, line_length: int = 88) -> tuple[str, str | None]:
    """(formatted text, None) or (original text, why it failed)."""
    if not source.path.endswith(".py"):
        return source.text, None
    if source.template in _VERBATIM and line_length == DEFAULT_LINE_LENGTH:
        return source.text, None  # shipped formatted (tests/test_runtime.py checks)
    shaped = as_black_writes(source, line_length)
    text, tree = shaped if shaped is not None else (source.text, None)
    if tree is None:
        import black
        from black.parsing import InvalidInput

        try:
            text = black.format_str(source.text, mode=mode(line_length))
        except InvalidInput as exc:
            return source.text, "black cannot parse it: " + " ".join(str(exc).split())
    head = text.split("\n", 2)[:2]
    if any(_CODING.match(line) for line in head):
        return text, "a coding declaration on line 1 or 2 (spec text must not be there)"
    try:
        if tree is None:
            tree = ast.parse(text.encode("utf-8"), source.path)
        compile(tree, source.path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return text, f"it does not compile: {exc}"
    problem = None if source.template in _VERBATIM else definitions_only(tree)
    if problem:
        return text, f"it would run code on import ({problem})"
    return text, None


def format_source(source: Source, line_length: int = 88) -> str:
    """The formatted text of one generated file (FormatError if invalid)."""
    text, problem = _format(source, line_length)
    if problem is not None:
        raise FormatError(source, problem)
    return text


def format_all(
    sources: Iterable[Source],
    line_length: int = 88,
    cache: FormatCache | None = None,
    workers: Workers | None = None,
) -> dict[str, str]:
    """Format every source (cached results reused, many in parallel); path → text.

    ``sources`` may be a lazy iterable: with ``workers``, files are formatted
    while the next ones are still being produced.
    """
    out: dict[str, str] = {}
    todo: list[Source] = []

    def misses() -> Iterator[Source]:
        for source in sources:
            python = source.path.endswith(".py")
            cached = cache.get(source.text) if cache and python else None
            if cached is not None:
                out[source.path] = cached
            elif not python:
                out[source.path] = source.text
            else:
                todo.append(source)
                yield source

    run = functools.partial(_format, line_length=line_length)
    try:
        results = list((workers or Workers(1)).map(run, misses()))
        for source, (text, problem) in zip(todo, results, strict=True):
            if problem is not None:
                raise FormatError(source, problem)
            out[source.path] = text
            if cache:
                cache.put(source.text, text)
    finally:
        if cache:
            cache.flush()  # what was formatted so far; closes the database
    return {path: out[path] for path in sorted(out)}
