"""Service blocks → IR services, deciding where every parameter travels.

The docs do not say whether a parameter is a query parameter or a header, so
the rules below (documented in docs/services.md, in this order) decide, and
each decision is recorded on the parameter (``sent_in``, ``rule``):

1. ``go-context``: Go's ``ctx | Context`` is not sent;
2. ``path-placeholder``: the name matches a ``{placeholder}`` of the endpoint,
   ignoring case, ``_``, ``-`` and PHP's ``$``;
3. ``well-known-header``: Accept, Content-Type, If-Match, Idempotency-Key…
   (unless described as a query parameter; one typed as an object is moved
   to the query string once types are resolved, see ``wirekeys``);
4. ``body-name``: ``body``, ``request_body``, ``requestBody``, ``input``, ``payload``;
   ``body-description``: described as "The request body." / "Request Body";
   ``body-type-name``: named after its type in a Go method (which takes
   ``ctx``) or a Java bundle, except in GET and HEAD;
5. ``query-bundle``: Go's ``params XxxRequestParams`` and Java's
   ``requestParameters``: spread into their members once types are resolved
   (``infer/bundles.py``), or, undocumented, a mapping of query parameters;
6. ``x-header``: ``X-…``/``x_…``/``xFoo`` names; ``description-header``: the
   description says "header" (and not "query parameter"), or the method's
   description names the parameter as a header (`` `identifierType=scim`
   header``);
7. ``default-query``: everything else.

Overrides (``--param``) and the names of query parameters and headers are
applied after resolution, with the whole API in view (``wirekeys``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import names
from ..diagnostics import Diagnostics, Level
from ..ir import (
    AnyType,
    Example,
    Location,
    MapOf,
    Method,
    Parameter,
    Ref,
    SentIn,
    Service,
    TypeRef,
)
from .build import clean_description, is_deprecated, read_required, strip_escape
from .parse_service import MethodBlock, ServiceBlock
from .parse_table import Row, unescape
from .parse_type import TypeSyntaxError, parse_type

_HEADERS = [
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "Accept-Charset",
    "Authorization",
    "Content-Type",
    "Content-Length",
    "Content-Language",
    "Content-Encoding",
    "Cache-Control",
    "Cookie",
    "If-Match",
    "If-None-Match",
    "If-Modified-Since",
    "If-Unmodified-Since",
    "If-Range",
    "Idempotency-Key",
    "Prefer",
    "Range",
    "User-Agent",
    "Origin",
    "Referer",
    "X-Request-Id",
    "X-Correlation-Id",
    "X-Idempotency-Key",
    "X-Api-Key",
    "X-Api-Version",
    "X-Forwarded-For",
    "X-Client-Id",
    "X-Tenant-Id",
]
RESERVED_PARAMETERS = frozenset(
    ["self", "timeout", "max_retries", "extra_headers", "extra_query", "extra_body"]
    + ["max_pages"]
)
"""Argument names every generated method has (per-call options; ``max_pages``
bounds a paged method's ``iter_…``)."""
WELL_KNOWN_HEADERS = {re.sub(r"[^a-z0-9]", "", h.lower()): h for h in _HEADERS}
_BODY_NAMES = frozenset(["body", "requestbody", "input", "payload"])
_BODY_DESCRIPTION = re.compile(r"\s*(the\s+)?request\s+body\.?\s*\Z", re.IGNORECASE)
_HEADER_WORD = re.compile(r"\bheaders?\b", re.IGNORECASE)
_QUERY_WORDS = re.compile(r"\bquery[ -](parameter|param|string)s?\b", re.IGNORECASE)
# A quoted or backticked name right before "header": `identifierType=scim` header.
_NAMED_HEADER = re.compile(
    r"[`'\"]([A-Za-z][\w-]*)(?:=[^`'\"]*)?[`'\"]\s+(?:request\s+)?header"
)
# A method named for its header parameters (`ContactsV_DeleteWithHeaderParam`).
_HEADER_METHOD = re.compile(r"\bheader params?\b|\bheader parameters?\b")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
X_NAME = re.compile(r"(x-|X-|x_|X_|x(?=[A-Z]))")


def squash(text: str) -> str:
    """Lower-case letters and digits only: how names are compared."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def header_name(name: str) -> str:
    """``idempotencyKey`` → ``Idempotency-Key``; well-known names as registered."""
    known = WELL_KNOWN_HEADERS.get(squash(name))
    if known:
        return known
    return "-".join(w[0].upper() + w[1:].lower() for w in names.words(name)) or name


class ServiceBuilder:
    """Builds the IR of one service doc."""

    def __init__(self, path: str, diags: Diagnostics) -> None:
        self.path = path
        self.diags = diags

    def build(self, block: ServiceBlock) -> Service:
        base = re.sub(r"Service\Z", "", block.name) or block.name
        taken: set[str] = set()
        methods = tuple(self._method(block, m, taken) for m in block.methods)
        return Service(
            name=block.name,
            python_name=names.attribute_name(base),
            class_name=names.class_name(base) + "Service",
            methods=methods,
            location=Location(self.path, block.line),
        )

    def _parameters(
        self, m: MethodBlock, placeholders: dict[str, str]
    ) -> list[Parameter]:
        """The method's parameters, placed; a second body is sent as a query
        parameter, with a warning."""
        named_headers = headers_named_in(m.description)
        header_method = _HEADER_METHOD.search(" ".join(names.words(m.name)).lower())
        go = any(_is_go_context(row) for row in m.rows)  # Go names bodies by type
        bundles: set[str] = set()
        params: list[Parameter] = []
        used: set[str] = set(RESERVED_PARAMETERS)
        for row in m.rows:
            param = self._parameter(
                m, row, placeholders, named_headers, used, go, bundles
            )
            if header_method and param.rule == "default-query":
                param = replace(param, sent_in="header", rule="method-name-header")
            if param.sent_in == "body" and any(p.sent_in == "body" for p in params):
                self.diags.warning(
                    self.path,
                    row.line,
                    f"second body parameter {param.name!r} sent as a query parameter",
                    "two-bodies",
                )
                param = replace(
                    param,
                    sent_in="query",
                    rule="default-query",
                    python_name=self._unique(
                        param.name, names.attribute_name(param.name), used, row.line
                    ),
                    wire_name=strip_escape(param.name.lstrip("$")),
                )
            params.append(param)
        return params

    def _method(self, service: ServiceBlock, m: MethodBlock, taken: set[str]) -> Method:
        base = (
            m.name[:-5] if m.name.endswith("Async") and m.name[:1].isupper() else m.name
        )
        python = self._unique(m.name, names.attribute_name(base), taken, m.line)
        placeholders = placeholders_of(m.endpoint)
        params = self._parameters(m, placeholders)
        self._check_placeholders(m, placeholders, params)
        self._check_collisions(m, params)
        if _CONTROL.search(m.endpoint):
            self.diags.warning(
                self.path,
                m.line,
                f"the endpoint of {m.name!r} holds control characters "
                f"({m.endpoint!r}); they are sent percent-encoded",
                "endpoint-control",
            )
        return Method(
            name=m.name,
            python_name=python,
            http_method=m.http_method,
            path=m.endpoint,
            description=clean_description(m.description),
            parameters=tuple(params),
            returns=self._returns(m),
            location=Location(self.path, m.line),
            examples=tuple(
                Example(name, value, Location(self.path, line))
                for name, value, line in m.examples
            ),
            deprecated=is_deprecated(clean_description(m.description)),
        )

    def _unique(self, written: str, python: str, taken: set[str], line: int) -> str:
        """``python``, or ``python_2``… (with a note) when a per-call option or
        an earlier method or parameter has it."""
        chosen = names.unique(python, taken)
        if chosen != python:
            why = "a per-call option" if python in RESERVED_PARAMETERS else "taken"
            self.diags.add(
                Level.NOTE, self.path, line,
                f"{written!r} is {chosen!r} in Python: {python!r} is {why}",
                "renamed",
            )  # fmt: skip
        return chosen

    def _check_placeholders(
        self, m: MethodBlock, placeholders: dict[str, str], params: list[Parameter]
    ) -> None:
        """Every placeholder has a parameter (checked once a bundle's members
        are known, see ``infer/bundles.py``)."""
        if any(p.rule == "query-bundle" for p in params):
            return
        unbound_placeholders(
            m.name, placeholders, params, self.diags, self.path, m.line
        )

    def _check_collisions(self, m: MethodBlock, params: list[Parameter]) -> None:
        """Placeholders equal once case and separators are ignored are an error
        (query and header names are checked once they are decided)."""
        raw = _PLACEHOLDER.findall(m.endpoint)
        if len({squash(p) for p in raw}) != len(raw):
            self.diags.error(
                self.path, m.line,
                f"method {m.name!r}: path placeholders {raw} are the same name "
                "once case and separators are ignored",
                "parameter-collision",
            )  # fmt: skip

    def _returns(self, m: MethodBlock) -> TypeRef | None:
        if m.returns is None:
            return None
        return self._type(m.returns, m.returns_line, ())

    def _type(self, cell: str, line: int, hint: tuple[str, ...]) -> TypeRef:
        try:
            return parse_type(cell, hint)
        except TypeSyntaxError as exc:
            self.diags.error(self.path, line, f"{exc}; using Any", "bad-type")
            return AnyType()

    def _parameter(
        self,
        m: MethodBlock,
        row: Row,
        placeholders: dict[str, str],
        named_headers: set[str],
        used: set[str],
        typed_bodies: bool,
        bundles: set[str],
    ) -> Parameter:
        name = unescape(row.name).strip()
        bundle, _, member = name.rpartition(".")
        if bundle not in bundles:  # a member row: "params.afterCursor"
            bundle, member = "", name
        base = strip_escape(member.lstrip("$"))
        type_ = self._type(row.type, row.line, ())
        description = clean_description(row.description)
        sent_in, rule, wire = place(
            base, type_, description, placeholders, m.http_method, named_headers,
            typed_bodies or bool(bundle),
        )  # fmt: skip
        if rule == "go-context":
            type_ = AnyType()
        if rule == "query-bundle" and _undocumented_bundle(type_):
            type_ = MapOf(AnyType())  # liblab never documents Go's XxxRequestParams
        if rule == "query-bundle":
            bundles.add(name)
        python = "body" if sent_in == "body" else names.attribute_name(base)
        return Parameter(
            bundle=bundle,
            name=name,
            python_name=self._unique(name, python, used, row.line),
            wire_name=wire,
            sent_in=sent_in,
            rule=rule,
            type=type_,
            required=read_required(row.required, self.path, row.line, self.diags),
            description=description,
            location=Location(self.path, row.line),
            deprecated=is_deprecated(description),
        )


def unbound_placeholders(
    method: str,
    placeholders: dict[str, str],
    params: list[Parameter] | tuple[Parameter, ...],
    diags: Diagnostics,
    path: str,
    line: int,
) -> None:
    """An error for each placeholder of the endpoint no parameter fills."""
    covered = {squash(p.wire_name) for p in params if p.sent_in == "path"}
    for key, text in placeholders.items():
        if key not in covered:
            diags.error(
                path, line,
                f"method {method!r}: path placeholder {'{' + text + '}'!r} "
                "has no parameter",
                "unbound-placeholder",
            )  # fmt: skip


def _undocumented_bundle(t: TypeRef) -> bool:
    """Go's ``XxxRequestParams``: a type liblab never documents."""
    return isinstance(t, Ref) and t.name.endswith("RequestParams")


def _is_go_context(row: Row) -> bool:
    """Go's ``ctx | Context`` row, which every method of a Go doc has."""
    return squash(unescape(row.name)) == "ctx" and squash(row.type) == "context"


def _says_header(description: str, name: str) -> bool:
    """The description calls the parameter a header, not a query parameter
    ("overrides the 'Accept-Language' header" names another header)."""
    if _QUERY_WORDS.search(description):
        return False
    rest = description
    for match in _NAMED_HEADER.finditer(description):
        if squash(match[1]) == squash(name):
            return True
        rest = rest.replace(match[0], " ")
    return bool(_HEADER_WORD.search(rest))


def place(
    name: str,
    t: TypeRef,
    description: str,
    placeholders: dict[str, str],
    http_method: str,
    named_headers: set[str],
    typed_bodies: bool = False,
) -> tuple[SentIn, str, str]:
    """Where a parameter goes, the rule that says so, and its provisional name
    (``placeholders``: the endpoint's, by squashed name; ``named_headers``:
    the squashed names the method's description calls headers;
    ``typed_bodies``: the dialect names a body after its type, as Go and
    Java's bundles do, where the others write ``body``, ``request_body`` or
    ``input``)."""
    sent_in, rule, wire = _place(
        name, t, description, placeholders, http_method, typed_bodies
    )
    if sent_in == "query" and squash(name) in named_headers:
        return "header", "description-header", name
    return sent_in, rule, wire


def placeholders_of(endpoint: str) -> dict[str, str]:
    """The endpoint's ``{placeholders}``, by squashed name."""
    return {squash(p): p for p in _PLACEHOLDER.findall(endpoint)}


def headers_named_in(description: str) -> set[str]:
    """The squashed names a method's description calls headers."""
    return {squash(h) for h in _NAMED_HEADER.findall(description)}


def _place(
    name: str,
    t: TypeRef,
    description: str,
    placeholders: dict[str, str],
    http_method: str,
    typed_bodies: bool,
) -> tuple[SentIn, str, str]:
    key = squash(name)
    type_name = squash(t.name) if isinstance(t, Ref) else ""
    if key == "ctx" and type_name == "context":
        return "none", "go-context", ""
    if key in placeholders:
        return "path", "path-placeholder", placeholders[key]
    if key in WELL_KNOWN_HEADERS and not _QUERY_WORDS.search(description):
        return "header", "well-known-header", header_name(name)
    if key in _BODY_NAMES:
        return "body", "body-name", ""
    if _BODY_DESCRIPTION.match(description):
        return "body", "body-description", ""
    named_for_type = typed_bodies and type_name and key == type_name
    if named_for_type and http_method not in ("GET", "HEAD"):
        return "body", "body-type-name", ""
    if (key == "params" and type_name.endswith("requestparams")) or (
        key == "requestparameters"
    ):
        return "query-map", "query-bundle", ""
    if X_NAME.match(name):
        return "header", "x-header", name
    if _says_header(description, name):
        return "header", "description-header", name
    return "query", "default-query", name
