"""black, in-process, plus a check that every file compiles from its bytes.

Many files are formatted in parallel across the CPU cores.
"""

from __future__ import annotations

import ast
import functools
import importlib
import os
import re
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from .format_cache import FormatCache
from .render import Source
from .verify import definitions_only

if TYPE_CHECKING:
    import black

# Runtime modules copied verbatim: trusted code, not checked for definitions only.
_VERBATIM = frozenset(["_runtime.py", "_http.py"])

# PEP 263: a comment like this on line 1 or 2 changes how Python decodes the file.
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def mode(line_length: int = 88) -> black.Mode:
    """black's mode for generated code (Python 3.10 syntax)."""
    import black  # here, so that a run served by the caches does not load it
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, line_length=line_length)


# Below this many Python files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24


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


def _format(source: Source, line_length: int = 88) -> tuple[str, str | None]:
    """(formatted text, None) or (original text, why it failed)."""
    if not source.path.endswith(".py"):
        return source.text, None
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
    sources: list[Source],
    line_length: int = 88,
    cache: FormatCache | None = None,
    jobs: int | None = None,
) -> dict[str, str]:
    """Format every source (cached results reused, many in parallel); path → text."""
    out: dict[str, str] = {}
    todo: list[Source] = []
    for source in sources:
        cached = (
            cache.get(source.text) if cache and source.path.endswith(".py") else None
        )
        if cached is not None:
            out[source.path] = cached
        else:
            todo.append(source)
    workers = min(jobs or os.cpu_count() or 1, max(1, len(todo) // PARALLEL_THRESHOLD))
    run = functools.partial(_format, line_length=line_length)
    if workers < 2:
        results = [run(s) for s in todo]
    else:
        importlib.import_module("black")  # once, before the workers fork
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(todo) // (workers * 16))  # small: even finish
            results = list(pool.map(run, todo, chunksize=chunk))
    for source, (text, problem) in zip(todo, results, strict=True):
        if problem is not None:
            raise FormatError(source, problem)
        out[source.path] = text
        if cache and source.path.endswith(".py"):
            cache.put(source.text, text)
    return {path: out[path] for path in sorted(out)}
