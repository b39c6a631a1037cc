"""Parameter bundles: one documented argument that holds several parameters.

liblab's Java SDKs (from 2.25) take a method's non-body parameters as one
``requestParameters | [XxxParameters](../models/XxxParameters.md)`` argument,
and the ``XxxParameters`` model documents its members, which travel in the
path, the query string, headers **and the body**.  A bundle whose model the
docs define is spread into one parameter per member, named
``bundle.member`` (``requestParameters.contentType``) and placed by the same
rules as any parameter of the method (``read.build_service.place``: the
endpoint's placeholders, well-known headers, the body named after its type…),
so the generated method takes the members as keyword arguments and a body is
never sent as query parameters.  After the wire names are decided, the bundle
model's keys follow its members' names (``align``), so that the model, if
used directly, agrees with the method.

Go's ``params | XxxRequestParams`` bundles name a type the docs never define
(liblab does not document it): they stay one mapping of query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import names
from ..diagnostics import Diagnostics
from ..ir import Api, Clue, Definition, Field, Method, Model, Parameter, Ref
from ..read.build import strip_escape
from ..read.build_service import (
    RESERVED_PARAMETERS,
    headers_named_in,
    place,
    placeholders_of,
    unbound_placeholders,
)
from .guesses import location_source

_BODY = Clue("rule", "the body member of a bundle: sent as the body, under no key")


@dataclass(frozen=True, slots=True)
class Member:
    """Where one bundle member came from: its model and property."""

    model: str
    """The bundle model's class name."""
    field: str
    """The property's Name."""
    parameter: str
    """The member parameter's name (``bundle.member``)."""


def expand(api: Api, diags: Diagnostics) -> tuple[Api, list[Member]]:
    """``api`` with every documented bundle spread into its members, and
    where each member came from; an endpoint placeholder that no parameter
    fills, the members included, is an error."""
    by_class = {d.class_name: d for d in api.definitions}
    members: list[Member] = []
    services = []
    for s in api.services:
        methods = []
        for m in s.methods:
            spread = _method(m, by_class, members)
            if any(p.rule == "query-bundle" for p in m.parameters):
                _check(m, spread, diags)
            methods.append(spread)
        services.append(replace(s, methods=tuple(methods)))
    return replace(api, services=tuple(services)), members


def _check(m: Method, spread: Method, diags: Diagnostics) -> None:
    """Every placeholder has a parameter, a bundle's members included."""
    where = m.location
    unbound_placeholders(
        m.name, placeholders_of(m.path), spread.parameters, diags, where.path,
        where.line,
    )  # fmt: skip


def _bundle(p: Parameter, by_class: dict[str, Definition]) -> Model | None:
    if p.rule != "query-bundle" or not isinstance(p.type, Ref):
        return None
    model = by_class.get(p.type.target or "")
    return model if isinstance(model, Model) and model.fields else None


def _method(
    m: Method, by_class: dict[str, Definition], members: list[Member]
) -> Method:
    bundles = [(p, _bundle(p, by_class)) for p in m.parameters]
    if all(model is None for _, model in bundles):
        return m
    used = set(RESERVED_PARAMETERS)
    used |= {p.python_name for p, model in bundles if model is None}
    has_body = any(p.sent_in == "body" for p, model in bundles if model is None)
    out: list[Parameter] = []
    for p, model in bundles:
        if model is None:
            out.append(p)
            continue
        for f in model.fields:
            member = _member(m, p, f, used, has_body)
            has_body = has_body or member.sent_in == "body"
            members.append(Member(model.class_name, f.name, member.name))
            out.append(member)
    return replace(m, parameters=tuple(out))


def _member(
    m: Method, bundle: Parameter, f: Field, used: set[str], has_body: bool
) -> Parameter:
    base = strip_escape(f.name.lstrip("$"))
    sent_in, rule, wire = place(
        base, f.type, f.description, placeholders_of(m.path), m.http_method,
        headers_named_in(m.description), typed_bodies=True,
    )  # fmt: skip
    if sent_in == "body" and has_body:  # a second body: one more query parameter
        sent_in, rule, wire = "query", "default-query", base
    python = "body" if sent_in == "body" else names.attribute_name(base)
    return Parameter(
        name=f"{bundle.name}.{f.name}",
        bundle=bundle.name,
        python_name=names.unique(python, used),
        wire_name=wire,
        sent_in=sent_in,
        rule=rule,
        type=f.type,
        required=f.required and bundle.required,
        description=f.description,
        location=f.location,
        deprecated=f.deprecated,
        location_source=location_source(rule),
    )


def align(api: Api, members: list[Member]) -> Api:
    """The bundle models' keys as their members are sent (query and header
    names, path placeholders); a body member is sent as the body itself, under
    no key: its key stays its Name."""
    sent: dict[str, Parameter] = {
        p.name: p for s in api.services for m in s.methods for p in m.parameters
    }
    keys: dict[tuple[str, str], Parameter] = {}
    for member in members:
        p = sent.get(member.parameter)
        if p is not None and p.sent_in in ("query", "header", "path", "body"):
            keys.setdefault((member.model, member.field), p)
    if not keys:
        return api
    definitions = tuple(
        _aligned(d, keys) if isinstance(d, Model) else d for d in api.definitions
    )
    return replace(api, definitions=definitions)


def _aligned(model: Model, keys: dict[tuple[str, str], Parameter]) -> Model:
    fields = []
    for f in model.fields:
        p = keys.get((model.class_name, f.name))
        if p is not None and p.sent_in == "body":
            f = replace(
                f, wire_key=strip_escape(f.name), key_rule="bundle-body",
                key_evidence=(_BODY,), key_source="protocol",
            )  # fmt: skip
        elif p is not None:
            source = p.name_source if p.sent_in != "path" else "evidence"
            f = replace(
                f, wire_key=p.wire_name, key_rule="bundle-member",
                key_evidence=p.name_evidence, key_source=source,
            )  # fmt: skip
        fields.append(f)
    return replace(model, fields=tuple(fields))
