"""Service blocks → IR services, deciding where every parameter travels.

The docs do not say whether a parameter is a query parameter or a header, so
the rules below (documented in docs/services.md, in this order) decide, and
each decision is recorded on the parameter (``sent_in``, ``rule``):

1. ``override``: the configuration names the location;
2. ``go-context``: Go's ``ctx | Context`` is not sent;
3. ``path-placeholder``: the name matches a ``{placeholder}`` of the endpoint,
   ignoring case, ``_``, ``-`` and PHP's ``$``;
4. ``well-known-header``: Accept, Content-Type, If-Match, Idempotency-Key…;
5. ``body-name``: ``body``, ``request_body``, ``requestBody``, ``input``, ``payload``;
   ``body-description``: described as "The request body." / "Request Body";
   ``body-type-name``: named after its type (Go, Java), except in GET and HEAD;
6. ``query-bundle``: Go's ``params XxxRequestParams`` and Java's
   ``requestParameters``: a model or mapping spread into the query string;
7. ``x-header``: ``X-…``/``xFoo`` names; ``description-header``: the
   description says "header";
8. ``default-query``: everything else.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import names
from .build import clean_description, parse_required, strip_escape
from .diagnostics import Diagnostics
from .ir import AnyType, Location, Method, Parameter, Ref, SentIn, Service, TypeRef
from .parse_service import MethodBlock, ServiceBlock
from .parse_table import Row, unescape
from .parse_type import TypeSyntaxError, parse_type
from .settings import ParamOverride, Settings, WireKeyStyle

_HEADERS = [
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "Accept-Charset",
    "Authorization",
    "Content-Type",
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
WELL_KNOWN_HEADERS = {re.sub(r"[^a-z0-9]", "", h.lower()): h for h in _HEADERS}
_BODY_NAMES = frozenset(["body", "requestbody", "input", "payload"])
_BODY_DESCRIPTION = re.compile(r"\s*(the\s+)?request\s+body\.?\s*\Z", re.IGNORECASE)
_HEADER_WORD = re.compile(r"\bheaders?\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_X_NAME = re.compile(r"(x-|X-|x(?=[A-Z]))")


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

    def __init__(self, path: str, settings: Settings, diags: Diagnostics) -> None:
        self.path = path
        self.settings = settings
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

    def _method(self, service: ServiceBlock, m: MethodBlock, taken: set[str]) -> Method:
        base = (
            m.name[:-5] if m.name.endswith("Async") and m.name[:1].isupper() else m.name
        )
        python = names.unique(names.attribute_name(base), taken)
        placeholders = {squash(p): p for p in _PLACEHOLDER.findall(m.endpoint)}
        params: list[Parameter] = []
        used: set[str] = {"self"}
        for row in m.rows:
            param = self._parameter(service, m, row, placeholders, used)
            if param.sent_in == "body" and any(p.sent_in == "body" for p in params):
                self.diags.warning(
                    self.path,
                    row.line,
                    f"second body parameter '{param.name}' sent as a query parameter",
                    "two-bodies",
                )
                param = replace(
                    param,
                    sent_in="query",
                    rule="default-query",
                    python_name=names.unique(names.attribute_name(param.name), used),
                    wire_name=self._query_key(param.name.lstrip("$")),
                )
            params.append(param)
        self._check_placeholders(m, placeholders, params)
        self._check_collisions(m, params)
        if _CONTROL.search(m.endpoint):
            self.diags.warning(
                self.path,
                m.line,
                f"the endpoint of '{m.name}' holds control characters "
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
        )

    def _check_placeholders(
        self, m: MethodBlock, placeholders: dict[str, str], params: list[Parameter]
    ) -> None:
        covered = {squash(p.wire_name) for p in params if p.sent_in == "path"}
        for key, text in placeholders.items():
            if key not in covered:
                self.diags.error(
                    self.path,
                    m.line,
                    f"method '{m.name}': path placeholder '{{{text}}}' has no "
                    "parameter",
                    "unbound-placeholder",
                )

    def _check_collisions(self, m: MethodBlock, params: list[Parameter]) -> None:
        """Two parameters sent under one name would lose one of them: an error."""
        seen: dict[tuple[str, str], Parameter] = {}
        raw = _PLACEHOLDER.findall(m.endpoint)
        if len({squash(p) for p in raw}) != len(raw):
            self.diags.error(
                self.path, m.line,
                f"method '{m.name}': path placeholders {raw} are the same name "
                "once case and separators are ignored",
                "parameter-collision",
            )  # fmt: skip
        for p in params:
            if p.sent_in not in ("path", "query", "header"):
                continue
            name = p.wire_name.lower() if p.sent_in == "header" else p.wire_name
            first = seen.setdefault((p.sent_in, name), p)
            if first is not p:
                self.diags.error(
                    self.path, p.location.line,
                    f"method '{m.name}': parameters '{first.name}' and '{p.name}' "
                    f"are both sent as {p.sent_in} '{p.wire_name}'",
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
        service: ServiceBlock,
        m: MethodBlock,
        row: Row,
        placeholders: dict[str, str],
        used: set[str],
    ) -> Parameter:
        name = unescape(row.name).strip()
        base = strip_escape(name.lstrip("$"))
        type_ = self._type(row.type, row.line, ())
        description = clean_description(row.description)
        sent_in, rule, wire = self._place(
            base, type_, description, placeholders, m.http_method
        )
        if rule == "go-context":
            type_ = AnyType()
        override = self._override(service, m, name, base)
        if override is not None:
            sent_in = override.sent_in or sent_in
            default = (
                header_name(base) if sent_in == "header" else self._query_key(base)
            )
            wire = override.wire_name or (wire if sent_in == "path" else default)
            rule = "override"
        python = "body" if sent_in == "body" else names.attribute_name(base)
        return Parameter(
            name=name,
            python_name=names.unique(python, used),
            wire_name=wire,
            sent_in=sent_in,
            rule=rule,
            type=type_,
            required=bool(parse_required(row.required)),
            description=description,
            location=Location(self.path, row.line),
        )

    def _place(
        self,
        name: str,
        t: TypeRef,
        description: str,
        placeholders: dict[str, str],
        http_method: str,
    ) -> tuple[SentIn, str, str]:
        key = squash(name)
        type_name = squash(t.name) if isinstance(t, Ref) else ""
        if key == "ctx" and type_name == "context":
            return "none", "go-context", ""
        if key in placeholders:
            return "path", "path-placeholder", placeholders[key]
        if key in WELL_KNOWN_HEADERS:
            return "header", "well-known-header", header_name(name)
        if key in _BODY_NAMES:
            return "body", "body-name", ""
        if _BODY_DESCRIPTION.match(description):
            return "body", "body-description", ""
        if type_name and key == type_name and http_method not in ("GET", "HEAD"):
            return "body", "body-type-name", ""
        if (key == "params" and type_name.endswith("requestparams")) or (
            key == "requestparameters"
        ):
            return "query-map", "query-bundle", ""
        if _X_NAME.match(name):
            return "header", "x-header", header_name(name)
        if _HEADER_WORD.search(description):
            return "header", "description-header", header_name(name)
        return "query", "default-query", self._query_key(name)

    def _query_key(self, name: str) -> str:
        style = self.settings.wire_keys
        if style is WireKeyStyle.CAMEL:
            parts = names.words(name)
            if parts:
                rest = [p[0].upper() + p[1:].lower() for p in parts[1:]]
                return parts[0].lower() + "".join(rest)
        if style is WireKeyStyle.SNAKE:
            return names.snake(name) or name
        return name

    def _override(
        self, service: ServiceBlock, m: MethodBlock, name: str, base: str
    ) -> ParamOverride | None:
        overrides = self.settings.parameter_overrides
        if not overrides:
            return None
        svc = {
            service.name,
            names.attribute_name(re.sub(r"Service\Z", "", service.name)),
        }
        meth = {m.name, names.attribute_name(m.name)}
        par = {name, base, names.attribute_name(base)}
        for s in svc:
            for mm in meth:
                for p in par:
                    found = overrides.get(f"{s}.{mm}.{p}")
                    if found is not None:
                        return found
        return None
