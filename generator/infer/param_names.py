"""Every query and header parameter's wire name and place (``service_names``).

In order: an override (``--param``), a well-known header's canonical
spelling, an explicit ``--wire-keys`` style, OAuth's registered names, then
the docs' evidence or the API's parameter style (``spelling``), and
``x-header`` kebab-case for ``X-…`` headers.  Well-known headers typed as
objects are query parameters (``typed-object``); a query parameter the docs
call a header elsewhere is a header (``header-elsewhere``).  Two parameters
sent under one name are an error.
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostics
from ..ir import Clue, ListOf, MapOf, Method, Model, Parameter, Ref, Service, TypeRef
from ..read.build import strip_escape
from ..read.build_service import WELL_KNOWN_HEADERS, X_NAME, header_name
from ..settings import WireKeyStyle
from . import casing
from .casing import Style
from .guesses import location_source
from .spelling import (
    Decision,
    acronym_clue,
    by_evidence,
    numbered,
    respelled,
    source_of,
    strength,
)
from .wire_context import WireContext
from .wire_evidence import squash
from .wire_styles import OAUTH_NAMES, SETTING_STYLES, is_oauth_method

_DERIVED = frozenset({"style", "as-written", "evidence"})


def service_names(service: Service, ctx: WireContext, diags: Diagnostics) -> Service:
    """``service`` with every parameter's place and wire name decided."""
    base = service.name.removesuffix("Service") or service.name
    svc = (service.name, base, service.python_name)
    methods = tuple(_method(svc, m, ctx, diags) for m in service.methods)
    return replace(service, methods=methods)


def _method(
    svc: tuple[str, ...], m: Method, ctx: WireContext, diags: Diagnostics
) -> Method:
    oauth = is_oauth_method(m.parameters)
    owner = svc[0] + "." + m.name
    params = tuple(_parameter(svc, m, p, oauth, owner, ctx) for p in m.parameters)
    params = tuple(_numbered(p, params) for p in params)
    _check_collisions(m, params, diags)
    return replace(m, parameters=params)


def _numbered(p: Parameter, params: tuple[Parameter, ...]) -> Parameter:
    """A query or header parameter liblab numbered because its SDK name
    collided with another parameter's (``orderBy`` and ``orderBy1``): the
    name it numbers, spelled so that it does not take the other's place
    (two names that collide in the SDK but not on the wire: ``orderBy`` and
    ``order_by``, or ``{accountId}`` in the path and ``accountId`` in the
    query)."""
    match = numbered(p.own_name)
    if p.sent_in not in ("query", "header") or p.name_rule not in _DERIVED:
        return p
    if match is None or match[2] != "1":
        return p
    stem = match[1]
    others = [q for q in params if q is not p and squash(q.own_name) == squash(stem)]
    if not others:
        return p
    taken = {q.wire_name for q in params if q.sent_in == p.sent_in and q is not p}
    wire = respelled(stem, p.wire_name[: len(p.wire_name) - len(match[2])].rstrip("_"))
    if wire in taken:
        other: Style = "snake" if casing.shape(wire) != "snake" else "camel"
        wire = casing.convert(wire, other)
    why = Clue("rule", f"'{p.own_name}' is liblab's numbering of '{stem}', the "
               f"name of another parameter ('{others[0].name}')")  # fmt: skip
    return replace(
        p, wire_name=wire, name_rule="dedup-suffix", name_source="prior",
        name_evidence=(why, *p.name_evidence),
    )  # fmt: skip


def _parameter(
    svc: tuple[str, ...],
    m: Method,
    p: Parameter,
    oauth: bool,
    owner: str,
    ctx: WireContext,
) -> Parameter:
    base = strip_escape(p.own_name.lstrip("$"))
    found = ctx.parameters.find(
        (svc, (m.name, m.python_name), (p.name, base, p.python_name))
    )
    if found is None and p.rule == "well-known-header" and _is_object(p.type, ctx):
        p = replace(p, sent_in="query", rule="typed-object")
    elif found is None and p.rule == "default-query" and squash(base) in ctx.headers:
        p = replace(p, sent_in="header", rule="header-elsewhere")
    if found is not None:
        sent_in = found.sent_in or p.sent_in
        wire = found.wire_name or _default_name(p, sent_in, base)
        return replace(
            p, sent_in=sent_in, rule="override", wire_name=wire, name_rule="override",
            location_source="override", name_source="override",
        )  # fmt: skip
    p = replace(p, location_source=location_source(p.rule))
    if p.sent_in not in ("query", "header"):
        return p
    wire, how, evidence = _parameter_name(p, base, oauth, owner, ctx)
    source = source_of(how, ctx.parameter_decision)
    acronym = acronym_clue(wire, how, ctx.evidence.acronyms)
    if acronym is not None:
        source, evidence = "prior", (*evidence, acronym)
    return replace(
        p, wire_name=wire, name_rule=how, name_evidence=evidence, name_source=source
    )


def _default_name(p: Parameter, sent_in: str, base: str) -> str:
    if sent_in == "path" and p.sent_in == "path":
        return p.wire_name
    return header_name(base) if sent_in == "header" else base


def _parameter_name(
    p: Parameter, base: str, oauth: bool, owner: str, ctx: WireContext
) -> Decision:
    if p.sent_in == "header" and squash(base) in WELL_KNOWN_HEADERS:
        return header_name(base), "well-known-header", ()
    if ctx.settings.wire_keys is not WireKeyStyle.AUTO:
        style = SETTING_STYLES[ctx.settings.wire_keys]
        return (casing.convert(base, style) if style else base), "setting", ()
    if oauth and squash(base) in OAUTH_NAMES:
        why = Clue(
            "rule",
            "an OAuth 2.0 request: its registered names are snake_case (RFC 6749)",
        )
        return casing.convert(base, "snake"), "oauth", (why,)
    name, how, evidence = by_evidence(
        base, owner, ctx.parameter_style, ctx.parameter_dialect, ctx.evidence, False,
        strength(ctx.parameter_decision),
    )  # fmt: skip
    if p.sent_in == "header" and X_NAME.match(base) and how != "evidence":
        return header_name(base), "x-header", evidence
    return name, how, evidence


def _is_object(t: TypeRef, ctx: WireContext) -> bool:
    """A value no header carries: a model, list or map."""
    if isinstance(t, ListOf | MapOf):
        return True
    return isinstance(t, Ref) and isinstance(ctx.by_class.get(t.target or ""), Model)


def _check_collisions(
    m: Method, params: tuple[Parameter, ...], diags: Diagnostics
) -> None:
    """Two parameters sent under one name would lose one of them: an error."""
    seen: dict[tuple[str, str], Parameter] = {}
    for p in params:
        if p.sent_in not in ("query", "header", "path"):
            continue
        name = p.wire_name.lower() if p.sent_in == "header" else p.wire_name
        first = seen.setdefault((p.sent_in, name), p)
        if first is not p:
            diags.error(
                p.location.path, p.location.line,
                f"method {m.name!r}: parameters {first.name!r} and {p.name!r} "
                f"are both sent as {p.sent_in} {p.wire_name!r}",
                "parameter-collision",
            )  # fmt: skip
