"""Markdown service docs → method blocks.

A method is the first ``##`` heading after the previous method's
``- HTTP Method:`` line; every line between it and its own ``- HTTP Method:``
line is description (descriptions may hold ``##``/``###`` lines of their own).
Code fences (the example snippets) are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics
from .parse import (
    block_tokens,
    description_text,
    heading_text,
    normalize,
)
from .parse_table import Row, TableReader

# Every pattern here runs on spec text line by line in linear time: no two
# neighbouring repeats can match the same character, and an unanchored search
# starts only where a run begins (tests/test_regex_time.py checks both).
_HTTP = re.compile(r"\s*[-*]\s*HTTP Method:(.*)")
VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "QUERY")
"""The HTTP methods an endpoint may have (OpenAPI's, and QUERY)."""
_ENDPOINT = re.compile(r"\s*[-*]\s*Endpoint:\s*`([^`]*)`\s*\Z")
_PARAMETERS = re.compile(r"\s*(\*\*|__)Parameters(\*\*|__)\s*\Z")
_RETURNS = re.compile(r"\s*(\*\*|__)Return Type(\*\*|__)\s*\Z")
_STOP = re.compile(r"\s*(\*\*|__)Example Usage")
# A string literal given to a named argument, property, dict key or builder
# method in example code (`trans_id="transId"`, `gpuClasses: ['gpu_classes']`,
# `.serviceKey("service_key")`, `Name: util.ToPointer("name")`).
_EXAMPLE = re.compile(
    r"""(?<![\w$])(?P<name>[A-Za-z_$][\w$]*)["']?\s*(?:[:=]|\()\s*"""
    r"""(?:[\w.]+\(\s*)?(?:\[\s*)?(?P<quote>["'])(?P<value>[^"'\s\\]{1,80})(?P=quote)"""
)


_PLACEHOLDER = re.compile(r"\{[^{}]+\}")


def endpoint_problem(endpoint: str) -> str | None:
    """Why ``endpoint`` is no path the client can send to its base URL, or None.

    The client sends an endpoint to ``base_url + endpoint``, so it must start
    with exactly one ``/``: ``@evil.example/x``, ``.evil.example/x``, ``:8443/x``
    and ``//evil.example/x`` would change the host or the port the request (and
    its credentials) goes to.  Outside its ``{placeholders}`` (which values
    replace) it may not hold a backslash (which browsers' URL parsers read as
    ``/``) or a ``#`` (a fragment is never sent), and every brace belongs to a
    placeholder (``{{double}}`` would reach the wire).
    """
    if not endpoint.startswith("/"):
        return "does not start with '/'"
    if endpoint.startswith("//"):
        return "starts with '//', which names a host"
    rest = _PLACEHOLDER.sub("", endpoint)
    if "\\" in rest:
        return "holds a backslash, which URL parsers may read as '/'"
    if "#" in rest:
        return "holds '#', whose fragment is never sent"
    if "{" in rest or "}" in rest:
        return "has a brace that is not part of a '{placeholder}'"
    return None


@dataclass(frozen=True, slots=True)
class MethodBlock:
    """One ``## method`` section of a service doc."""

    name: str
    line: int
    description: str
    http_method: str
    endpoint: str
    rows: tuple[Row, ...]
    returns: str | None
    returns_line: int
    examples: tuple[tuple[str, str, int], ...] = ()
    """(name, string value, line) pairs from the method's example code."""


@dataclass(frozen=True, slots=True)
class ServiceBlock:
    """A service doc: its ``# Name`` and methods."""

    name: str
    line: int
    methods: tuple[MethodBlock, ...]


def _fenced_lines(tokens: list[dict[str, Any]]) -> set[int]:
    """Lines of code blocks: the opening fence, the code and the closing fence."""
    out: set[int] = set()
    for token in tokens:
        if token["type"] == "block_code":
            start = token["_line"]
            fences = 2 if token.get("style") == "fenced" else 0
            out.update(range(start, start + token.get("raw", "").count("\n") + fences))
    return out


class ServiceParser:
    """Parses one service doc, reporting problems to ``diags``."""

    def __init__(self, path: str, diags: Diagnostics) -> None:
        self.path = path
        self.diags = diags

    def parse(self, text: str, default_name: str) -> ServiceBlock:
        text = normalize(text)
        self.lines = text.split("\n")
        tokens = [t for t in block_tokens(text, self.path, self.diags) if "_line" in t]
        fenced = _fenced_lines(tokens)
        headings = [t for t in tokens if t["type"] == "heading"]
        title = next((t for t in headings if t["attrs"]["level"] == 1), None)
        h2 = [
            (t["_line"], heading_text(t)) for t in headings if t["attrs"]["level"] == 2
        ]
        http = [
            n
            for n, line in enumerate(self.lines, 1)
            if n not in fenced and _HTTP.match(line)
        ]
        methods: list[MethodBlock] = []
        previous = 0
        for i, at in enumerate(http):
            owner = next(((ln, name) for ln, name in h2 if previous < ln < at), None)
            if owner is None:
                self.diags.error(
                    self.path,
                    at,
                    "'- HTTP Method:' without a '## method' heading",
                    "no-method-heading",
                )
            else:
                stop = http[i + 1] if i + 1 < len(http) else len(self.lines) + 1
                end = next((ln for ln, _ in h2 if at < ln < stop), stop) - 1
                methods.append(self._method(owner, at, end, fenced))
            previous = at
        name = heading_text(title) if title else default_name
        return ServiceBlock(name, title["_line"] if title else 1, tuple(methods))

    def _line(self, n: int) -> str:
        return self.lines[n - 1]

    def _method(
        self, heading: tuple[int, str], at: int, end: int, fenced: set[int]
    ) -> MethodBlock:
        line, name = heading
        endpoint = ""
        following = next(
            (n for n in range(at + 1, end + 1) if self._line(n).strip()), None
        )
        match = _ENDPOINT.match(self._line(following)) if following else None
        if match:
            endpoint = match[1].strip()
            problem = endpoint_problem(endpoint)
            if problem:
                self.diags.error(
                    self.path,
                    line,
                    f"method {name!r}: the endpoint {endpoint!r} {problem}; an "
                    "endpoint is a path from the client's base URL, starting with '/'",
                    "bad-endpoint",
                )
        else:
            self.diags.error(
                self.path,
                at,
                f"method {name!r} has no '- Endpoint: `/path`' line",
                "no-endpoint",
            )
        rows: tuple[Row, ...] = ()
        returns: str | None = None
        returns_line = 0
        for n in range(at + 1, end + 1):
            text = self._line(n)
            if n in fenced or _STOP.match(text):
                break
            if _PARAMETERS.match(text):
                rows = self._table(n, end)
            elif _RETURNS.match(text):
                returns_line, returns = self._returns(n, end)
        return MethodBlock(
            name=name,
            line=line,
            description=description_text(self.lines[line : at - 1]),
            http_method=self._verb(at, name),
            endpoint=endpoint,
            rows=rows,
            returns=returns,
            returns_line=returns_line,
            examples=self._examples(at, end, fenced),
        )

    def _verb(self, at: int, method: str) -> str:
        """The method's HTTP verb; an error for one that is no HTTP method."""
        match = _HTTP.match(self._line(at))
        text = match[1].strip() if match else ""
        verb = text[1:-1].strip() if text[:1] == text[-1:] == "`" else text
        if verb.upper() in VERBS:
            return verb.upper()
        self.diags.error(
            self.path,
            at,
            f"method {method!r}: {verb!r} is not an HTTP method "
            f"(one of {', '.join(VERBS)})",
            "bad-http-method",
        )
        return "GET"

    def _examples(
        self, at: int, end: int, fenced: set[int]
    ) -> tuple[tuple[str, str, int], ...]:
        """String values given to names in the method's code blocks (a value
        may stand on the line after its name: ``"location_id": [`` then
        ``"LocationID"``)."""
        out: list[tuple[str, str, int]] = []
        lines = [n for n in range(at + 1, end + 1) if n in fenced]
        for block in _runs(lines):
            text = "\n".join(self._line(n) for n in block)
            for m in _EXAMPLE.finditer(text):
                line = block[0] + text.count("\n", 0, m.start("value"))
                out.append((m["name"], m["value"], line))
        return tuple(out)

    def _table(self, at: int, end: int) -> tuple[Row, ...]:
        result = TableReader(self.path, self.diags).read(self.lines[at:end], at + 1)
        return tuple(result[0]) if result else ()

    def _returns(self, at: int, end: int) -> tuple[int, str | None]:
        for n in range(at + 1, end + 1):
            text = self._line(n).strip()
            if not text:
                continue
            if text.startswith("`") and text.endswith("`") and len(text) > 1:
                return n, text.strip("`").strip()
            break
        self.diags.warning(
            self.path,
            at,
            "'**Return Type**' is not followed by a `type`",
            "no-return-type",
        )
        return at, None


def _runs(numbers: list[int]) -> list[list[int]]:
    """Consecutive line numbers grouped: [1, 2, 5] → [[1, 2], [5]]."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs
