"""How each array or object parameter is spelled on the wire (OpenAPI styles).

Runs after the wire keys (every parameter's place and name are decided).
For each path, query or header parameter whose type is an array, a map, a
model or a union of such (``any`` only on evidence), in this order:

1. ``override``: the ``:STYLE`` of ``--param`` / ``parameters`` (wildcards);
2. query objects: ``bracketed-name`` (the docs write this parameter's
   members in brackets, ``filter[winner_type]=Team``: ``deepObject``), else
   ``api-brackets`` (the API writes another object parameter that way: one
   convention per API), else ``object-flattened`` (``form``, exploded: the
   members become query parameters, the default of OpenAPI and of liblab's
   serialisers);
3. query arrays: ``comma-separated`` / ``pipe-separated`` /
   ``space-separated`` (the parameter's description says so), ``joined-example``
   (an example query string joins it, ``?ids=1,2``), ``repeated``
   (an example repeats it, or the description says it may be given several
   times), else ``array-repeated`` (``form``, exploded: OpenAPI's and
   liblab's default);
4. path values: ``comma-separated`` (the description says so), else
   ``path-simple`` (``simple``, OpenAPI's only style for paths in liblab's
   SDKs); header arrays: ``header-list`` (RFC 9110's comma-separated lists);
   header objects: ``header-simple``.

Each decision is recorded on the parameter (``style``, ``explode``,
``style_rule``, ``style_source``, ``style_evidence``); the defaults and
priors are guesses (``guesses.py``, kind ``style``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..diagnostics import Diagnostics
from ..ir import (
    AnyType,
    Api,
    Clue,
    Definition,
    ListOf,
    MapOf,
    Method,
    Model,
    Parameter,
    Ref,
    Source,
    TypeRef,
    Union,
    UnionOf,
)
from ..read.build import strip_escape
from ..settings import QUERY_STYLES, Settings, StyleOverride, style_token
from .overrides import Overrides
from .style_evidence import Sightings, collect, repeated, separated, squash

Decision = tuple[str, bool, str, Source, tuple[Clue, ...]]
"""(style, explode, rule, source, evidence)."""

RFC_LISTS = Clue("rule", "RFC 9110 5.6.1: a header's list is comma-separated")
_SEPARATED_RULES = {
    "form": "comma-separated",
    "pipeDelimited": "pipe-separated",
    "spaceDelimited": "space-separated",
}
_MAX_CLUES = 3


@dataclass(slots=True)
class _Context:
    by_class: dict[str, Definition]
    seen: Sightings
    overrides: Overrides[StyleOverride]
    brackets: tuple[Clue, ...]
    """Bracketed names of the API's object query parameters (``api-brackets``)."""


def shape(
    t: TypeRef, by_class: dict[str, Definition], seen: frozenset[str] = frozenset()
) -> str | None:
    """``array``, ``object``, ``any`` (an untyped value) or None (a scalar)."""
    if isinstance(t, ListOf):
        return "array"
    if isinstance(t, MapOf):
        return "object"
    if isinstance(t, AnyType):
        return "any"
    variants: tuple[TypeRef, ...] = ()
    if isinstance(t, Ref) and t.target not in seen:
        d = by_class.get(t.target or "")
        if isinstance(d, Model):
            return "object"
        if isinstance(d, Union):
            variants = d.variants if d.variants else (AnyType(),)
            seen = seen | {t.target or ""}
    elif isinstance(t, UnionOf):
        variants = t.variants
    shapes = {shape(v, by_class, seen) for v in variants}
    for kind in ("object", "array", "any"):
        if kind in shapes:
            return kind
    return None


def refine(api: Api, settings: Settings, diags: Diagnostics) -> Api:
    """``api`` with the style of every structured parameter decided."""
    patterns = {
        tuple(k.split(".")): v
        for k, v in settings.parameter_styles.items()
        if k.count(".") == 2
    }
    by_class = {d.class_name: d for d in api.definitions}
    seen = collect(api)
    ctx = _Context(
        by_class,
        seen,
        Overrides("--param", patterns),
        _api_brackets(api, by_class, seen),
    )
    services = []
    for s in api.services:
        base = s.name.removesuffix("Service") or s.name
        svc = (s.name, base, s.python_name)
        methods = tuple(_method(svc, m, ctx, diags) for m in s.methods)
        services.append(replace(s, methods=methods))
    ctx.overrides.report_unused(diags, "docs2py")
    return replace(api, services=tuple(services))


def _api_brackets(
    api: Api, by_class: dict[str, Definition], seen: Sightings
) -> tuple[Clue, ...]:
    """Bracketed names of the API's object query parameters, first seen first."""
    found: list[Clue] = []
    for s in api.services:
        for m in s.methods:
            for p in m.parameters:
                if p.sent_in == "query" and shape(p.type, by_class) in (
                    "object",
                    "any",
                ):
                    found += seen.brackets.get(squash(p.wire_name), [])
    return tuple(dict.fromkeys(found))


def _method(
    svc: tuple[str, ...], m: Method, ctx: _Context, diags: Diagnostics
) -> Method:
    params = tuple(_parameter(svc, m, p, ctx, diags) for p in m.parameters)
    return replace(m, parameters=params)


def _parameter(
    svc: tuple[str, ...], m: Method, p: Parameter, ctx: _Context, diags: Diagnostics
) -> Parameter:
    base = strip_escape(p.name.lstrip("$"))
    found = ctx.overrides.find(
        (svc, (m.name, m.python_name), (p.name, base, p.python_name))
    )
    if found is not None and _fits(p, found, diags):
        return replace(
            p, style=found.style, explode=found.explode, style_rule="override",
            style_source="override", style_evidence=(),
        )  # fmt: skip
    if p.sent_in not in ("query", "path", "header"):
        return p
    kind = shape(p.type, ctx.by_class)
    if kind is None:
        return p
    decision = _query(p, kind, ctx) if p.sent_in == "query" else _simple(p, kind)
    if decision is None:
        return p
    style, explode, rule, source, evidence = decision
    return replace(
        p, style=style, explode=explode, style_rule=rule, style_source=source,
        style_evidence=evidence,
    )  # fmt: skip


def _fits(p: Parameter, found: StyleOverride, diags: Diagnostics) -> bool:
    """Whether an override's style fits where ``p`` goes (else an error)."""
    fits = QUERY_STYLES if p.sent_in == "query" else ("simple",)
    if p.sent_in in ("query", "path", "header") and found.style in fits:
        return True
    where = p.sent_in if p.sent_in != "none" else "not sent"
    diags.error(
        p.location.path, p.location.line,
        f"--param: parameter '{p.name}' ({where}) cannot be sent in style "
        f"'{style_token(found.style, found.explode)}'",
        "bad-override",
    )  # fmt: skip
    return False


def _query(p: Parameter, kind: str, ctx: _Context) -> Decision | None:
    if kind == "array":
        return _query_array(p, ctx.seen)
    own = ctx.seen.brackets.get(squash(p.wire_name), [])
    if own:
        clues = _nearest(own, _own_files(p, ctx.by_class))
        return "deepObject", True, "bracketed-name", "evidence", clues
    if kind == "any":
        return None  # a scalar as often as not: no evidence, no decision
    if ctx.brackets:
        clues = tuple(replace(c, weight=0.5) for c in ctx.brackets[:_MAX_CLUES])
        return "deepObject", True, "api-brackets", "evidence", clues
    return "form", True, "object-flattened", "prior", ()


def _own_files(p: Parameter, by_class: dict[str, Definition]) -> set[str]:
    """The files that document ``p``: its own, and its model's."""
    files = {p.location.path}
    d = by_class.get(p.type.target or "") if isinstance(p.type, Ref) else None
    if d is not None:
        files.add(d.location.path)
    return files


def _nearest(clues: list[Clue], files: set[str]) -> tuple[Clue, ...]:
    """The first distinct clues, those in ``files`` first."""
    unique = list(dict.fromkeys(clues))
    unique.sort(key=lambda c: c.location is None or c.location.path not in files)
    return tuple(unique[:_MAX_CLUES])


def _query_array(p: Parameter, seen: Sightings) -> Decision:
    joined = separated(p.description)
    if joined is not None:
        why = Clue("prose", p.description[:120], p.location)
        return joined, False, _SEPARATED_RULES[joined], "evidence", (why,)
    name = squash(p.wire_name)
    examples = seen.joined.get(name, [])
    again = seen.repeated.get(name, [])
    if len(examples) > len(again):
        return "form", False, "joined-example", "evidence", tuple(examples[:_MAX_CLUES])
    if again or repeated(p.description):
        clues = again or [Clue("prose", p.description[:120], p.location)]
        return "form", True, "repeated", "evidence", tuple(clues[:_MAX_CLUES])
    return "form", True, "array-repeated", "prior", ()


def _simple(p: Parameter, kind: str) -> Decision | None:
    if kind == "any":
        return None
    if p.sent_in == "header":
        if kind == "array":
            return "simple", False, "header-list", "protocol", (RFC_LISTS,)
        return "simple", False, "header-simple", "prior", ()
    if separated(p.description) == "form":
        why = Clue("prose", p.description[:120], p.location)
        return "simple", False, "comma-separated", "evidence", (why,)
    return "simple", False, "path-simple", "prior", ()
