"""What the user chose: settings that shape the IR built from the specs, and the
metadata of the distribution around the package (``Distribution``, and
``DistributionInfo``, what the distribution templates see)."""

from __future__ import annotations

import enum
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .ir import SentIn


class WireKeyStyle(enum.Enum):
    """How JSON keys and query/header names derive from the Name column:
    inferred from the docs (``auto``), or one conversion for every name."""

    AUTO = "auto"
    AS_WRITTEN = "as-written"
    CAMEL = "camelCase"
    SNAKE = "snake_case"


@dataclass(frozen=True, slots=True)
class ParamOverride:
    """Where one endpoint parameter goes (``path``, ``query``, ``header`` or
    ``body``) and, optionally, under which name."""

    sent_in: SentIn | None = None
    wire_name: str | None = None


@dataclass(frozen=True, slots=True)
class StyleOverride:
    """How one endpoint parameter's array or object value is spelled:
    OpenAPI's ``style`` and ``explode``."""

    style: str
    explode: bool


@dataclass(frozen=True, slots=True)
class PagingOverride:
    """``--paging`` for one method: a style (or ``none``) and what it names."""

    style: str
    parameter: str | None = None
    next: tuple[str, ...] = ()
    items: tuple[str, ...] | None = None


def parse_paging_override(text: str) -> PagingOverride | None:
    """``cursor:cursor->meta.nextCursor@data`` → a PagingOverride; None if bad."""
    match = re.fullmatch(
        r"(cursor|page|offset|none)(?::([\w$-]+))?(?:->([\w$.-]+))?(?:@([\w$.-]*))?",
        text.strip(),
    )
    if match is None:
        return None
    style, param, nxt, items = match.groups()
    return PagingOverride(
        style, param, tuple(nxt.split(".")) if nxt else (),
        tuple(items.split(".")) if items else (() if items == "" else None),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Glob:
    """One ``include``/``exclude`` pattern (gitignore's syntax) and the folder
    it is relative to besides the spec folder: the pyproject.toml's folder,
    or for a command-line flag the working folder."""

    pattern: str
    root: Path


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be an include/exclude pattern, or None."""
    if not pattern.strip():
        return "a pattern is empty"
    if pattern.startswith("!"):
        return (
            f"'{pattern}': a pattern cannot start with '!' (list what to read in "
            "'include' and what to leave out in 'exclude')"
        )
    return None


@dataclass(frozen=True, slots=True)
class FileSelection:
    """The files a run reads from its spec folders: those that match an
    ``include`` pattern (every file when there is none) and no ``exclude``
    pattern.  Files named as specs themselves are always read."""

    include: tuple[Glob, ...] = ()
    exclude: tuple[Glob, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)


@dataclass(frozen=True, slots=True)
class Settings:
    """What the user chose.

    ``wire_key_overrides`` maps a model name to {property name: JSON key}; names
    may be written as in the docs or as the generated Python names, with
    shell wildcards (``*``).
    """

    wire_keys: WireKeyStyle = WireKeyStyle.AUTO
    wire_key_overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    parameter_overrides: dict[str, ParamOverride] = field(default_factory=dict)
    """Keyed ``service.method.parameter`` (docs' or Python spellings, with
    shell wildcards: ``*.*.identifierType``)."""
    paging_overrides: dict[str, PagingOverride] = field(default_factory=dict)
    """Keyed ``service.method``: how the method pages (``paging.parse_override``)."""
    body_overrides: dict[str, str] = field(default_factory=dict)
    """Keyed ``service.method``: ``json``, ``multipart``, ``form`` or ``raw``."""
    strict_wire: frozenset[str] = frozenset()
    """The kinds of guesses (``key``, ``name``, ``location``, ``encoding``,
    ``auth``…) that fail the run while one is unpinned (``strict-wire``)."""
    parameter_styles: dict[str, StyleOverride] = field(default_factory=dict)
    """Keyed as ``parameter_overrides``: how a parameter's array or object
    value is spelled (the ``:STYLE`` of ``--param``)."""
    api_key: ApiKeyPlace | None = None
    """``api-key = "header:NAME"``: where the API key goes (None: the docs
    decide, else the default header)."""
    learned_file: Path | None = None
    """The learned file (``docs2py learn``): what samples of real traffic
    showed, used as the strongest evidence when it exists."""
    files: FileSelection = FileSelection()
    """Which files of the spec folders are read (``include``/``exclude``)."""
    class_names: dict[str, str] = field(default_factory=dict)
    """``class-names = { "Model1" = "Chosen" }``: a definition's class name,
    by its heading or its generated class name (pins a derived name)."""


_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")


def is_class_name(name: str) -> bool:
    """A name ``class-names`` may give: ASCII PascalCase, no keyword."""
    return bool(_CLASS_NAME.match(name)) and not keyword.iskeyword(name)


@dataclass(frozen=True, slots=True)
class ApiKeyPlace:
    """The header or query parameter an API key is sent in."""

    where: Literal["header", "query"]
    name: str

    def __str__(self) -> str:
        return f"{self.where}:{self.name}"


API_KEY_FORMAT = "header:NAME or query:NAME"
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110's token
_QUERY_NAME = re.compile(r"[^\x00-\x20\x7f&=#?]+")


def parse_api_key(value: str) -> ApiKeyPlace | None:
    """``header:X-Key`` or ``query:api-key`` → an ApiKeyPlace; None if malformed
    (a header name must be an HTTP token; a query name has no space, ``&``,
    ``=``, ``#`` or ``?``)."""
    where, sep, name = value.partition(":")
    if where == "header" and sep and _HEADER_NAME.fullmatch(name):
        return ApiKeyPlace("header", name)
    if where == "query" and sep and _QUERY_NAME.fullmatch(name):
        return ApiKeyPlace("query", name)
    return None


PLACES: dict[str, SentIn] = {
    "path": "path",
    "query": "query",
    "header": "header",
    "body": "body",
}


def parse_param_override(value: str) -> ParamOverride | None:
    """``header`` or ``header:X-Name`` → a ParamOverride; None if malformed."""
    place, _, name = value.partition(":")
    if place not in PLACES:
        return None
    return ParamOverride(PLACES[place], name or None)


QUERY_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")
"""OpenAPI's styles of query parameters (``simple`` is for paths and headers)."""
PARAMETER_STYLES = (*QUERY_STYLES, "simple")
STYLE_SYNTAX = "|".join(PARAMETER_STYLES) + "[,explode=true|false]"
PARAMETER_SYNTAX = (
    f"'path|query|header|body[:NAME[:STYLE]]' or 'STYLE' (STYLE: {STYLE_SYNTAX})"
)


def default_explode(style: str) -> bool:
    """OpenAPI's default: ``form`` and ``deepObject`` explode, others do not."""
    return style in ("form", "deepObject")


def style_token(style: str, explode: bool) -> str:
    """``deepObject``, ``form``, ``form,explode=false``: how settings write a
    style (``,explode=…`` only where it differs from OpenAPI's default)."""
    if explode == default_explode(style):
        return style
    return f"{style},explode={'true' if explode else 'false'}"


def parse_style(text: str) -> StyleOverride | None:
    """``deepObject``, ``form`` or ``form,explode=false`` → a StyleOverride
    (style names ignore case); None if it is no style."""
    name, comma, rest = text.partition(",")
    style = next((s for s in PARAMETER_STYLES if s.lower() == name.lower()), None)
    if style is None:
        return None
    if not comma:
        return StyleOverride(style, default_explode(style))
    match = re.fullmatch(r"explode=(true|false)", rest.strip().lower())
    if match is None or style == "deepObject" and match[1] == "false":
        return None  # deepObject is always exploded
    return StyleOverride(style, match[1] == "true")


def parse_parameter(
    value: str,
) -> tuple[ParamOverride | None, StyleOverride | None] | None:
    """``WHERE[:NAME[:STYLE]]`` or a bare ``STYLE`` → where the parameter
    goes and how its value is spelled (either may be None); None if
    malformed (a style that does not fit the place included)."""
    alone = parse_style(value)
    if alone is not None:
        return None, alone
    place, _, rest = value.partition(":")
    name, colon, style_text = rest.partition(":")
    placed = parse_param_override(f"{place}:{name}")
    if placed is None or not colon:
        return (placed, None) if placed is not None else None
    style = parse_style(style_text)
    fits = QUERY_STYLES if place == "query" else ("simple",)
    if style is None or place not in ("query", "path", "header"):
        return None
    return (placed, style) if style.style in fits else None


BODY_ENCODINGS = ("json", "multipart", "form", "raw")


def parse_body_override(value: str) -> str | None:
    """``multipart`` → ``multipart``; None if it is no body encoding."""
    return value if value in BODY_ENCODINGS else None


HTTPX = "httpx>=0.27,<1"
"""The generated client's requirement: the runtime's floor, below the next
major version (tests/test_httpx_range.py runs the client on both ends)."""

DEFAULT_VERSION = "0.1.0"
DEFAULT_REQUIRES_PYTHON = ">=3.10"  # generated code uses 3.10 syntax
TYPED = "Typing :: Typed"
"""The classifier every distribution has (the package ships ``py.typed``)."""

PROJECT_KEYS = (
    "license", "license-files", "authors", "maintainers", "keywords",
    "classifiers", "urls", "dependencies", "optional-dependencies",
)  # fmt: skip
"""The PEP 621 ``[project]`` keys that ``[tool.docs2py.distribution]`` takes
as written (with ``name``, ``version``, ``description``, ``requires-python``)."""


@dataclass(frozen=True, slots=True)
class Distribution:
    """The distribution a target asks for: its folder and metadata (None:
    the default, derived from the package)."""

    folder: Path | None
    """None: not given yet (a table without ``path``, before ``--distribution``)."""
    name: str | None = None
    version: str | None = None
    description: str | None = None
    requires_python: str | None = None
    project: dict[str, Any] = field(default_factory=dict)
    """The other ``[project]`` keys given (``PROJECT_KEYS``), as TOML read them."""


@dataclass(frozen=True, slots=True)
class DistributionInfo:
    """What the distribution templates see as ``distribution``."""

    name: str
    version: str
    description: str
    requires_python: str
    package_path: str
    """The package folder relative to the distribution folder (``src/pets``)."""
    httpx: str = HTTPX
    """The httpx requirement: docs2py's range, or the one ``dependencies``
    names instead."""
    project: dict[str, Any] = field(default_factory=dict)
    """``license``, ``license-files``, ``authors``, ``maintainers``,
    ``keywords`` and ``urls``, as given (absent keys are left out)."""
    classifiers: tuple[str, ...] = (TYPED,)
    dependencies: tuple[str, ...] = ()
    """The other requirements given (httpx is added by ``required``)."""
    optional_dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def required(self, client: bool) -> list[str]:
        """``[project] dependencies``: httpx first when the client needs it
        (the docs have services), then the ones given."""
        return [self.httpx, *self.dependencies] if client else list(self.dependencies)

    def extras(self, client: bool) -> dict[str, list[str]]:
        """``[project.optional-dependencies]``: the ones given, and, when httpx
        is not required, an extra ``client`` with it (merged into a ``client``
        extra given)."""
        out = {k: list(v) for k, v in self.optional_dependencies.items()}
        if not client:
            given = out.get("client", [])
            out["client"] = [self.httpx, *given] if self.httpx not in given else given
        return out
