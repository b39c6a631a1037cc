"""The IR's JSON form: the documented shape ``docs2py ir`` prints (docs/ir.md).

``to_json`` gives a whole API, ``clue_to_json`` one piece of evidence (what
``docs2py explain`` lists).  A shared module: any stage may show the IR.
"""

from __future__ import annotations

from typing import Any

from .ir import (
    IR_VERSION,
    AnyType,
    Api,
    AuthScheme,
    Clue,
    Definition,
    Enum,
    Field,
    ListOf,
    Location,
    MapOf,
    Method,
    Model,
    Paging,
    Parameter,
    Primitive,
    Ref,
    Service,
    StyleDecision,
    TypeRef,
)


def type_to_json(t: TypeRef) -> dict[str, Any]:
    """The JSON form of a type reference."""
    if isinstance(t, Primitive):
        return {"kind": "primitive", "name": t.name}
    if isinstance(t, AnyType):
        return {"kind": "any"}
    if isinstance(t, ListOf):
        return {"kind": "list", "item": type_to_json(t.item)}
    if isinstance(t, MapOf):
        return {"kind": "map", "value": type_to_json(t.value)}
    if isinstance(t, Ref):
        return {"kind": "ref", "name": t.name, "target": t.target}
    return {"kind": "union", "variants": [type_to_json(v) for v in t.variants]}


def _location_json(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line}


def clue_to_json(c: Clue) -> dict[str, Any]:
    """The JSON form of one piece of evidence."""
    where = _location_json(c.location) if c.location else {"path": None, "line": 0}
    return {"kind": c.kind, "text": c.text} | where | {"weight": c.weight}


def _field_json(f: Field) -> dict[str, Any]:
    return {
        "name": f.name,
        "python_name": f.python_name,
        "wire_key": f.wire_key,
        "type": type_to_json(f.type),
        "required": f.required,
        "description": f.description,
        "location": _location_json(f.location),
        "key_rule": f.key_rule,
        "key_source": f.key_source,
        "key_evidence": [clue_to_json(c) for c in f.key_evidence],
        "deprecated": f.deprecated,
        "binary": f.binary,
    }


def definition_to_json(d: Definition) -> dict[str, Any]:
    """The JSON form of one definition (``kind`` is model, enum or union)."""
    out: dict[str, Any] = {
        "name": d.name,
        "class_name": d.class_name,
        "description": d.description,
        "location": _location_json(d.location),
        "name_rule": d.name_rule,
        "renamed_from": d.renamed_from,
        "name_evidence": [clue_to_json(c) for c in d.name_evidence],
    }
    if isinstance(d, Model):
        out["kind"] = "model"
        out["fields"] = [_field_json(f) for f in d.fields]
    elif isinstance(d, Enum):
        out["kind"] = "enum"
        out["value_type"] = d.value_type
        out["members"] = [
            {"name": m.name, "python_name": m.python_name, "value": m.value}
            for m in d.members
        ]
    else:
        out["kind"] = "union"
        out["variants"] = [type_to_json(v) for v in d.variants]
        out["rule"] = d.rule
    return out


def _parameter_json(p: Parameter) -> dict[str, Any]:
    return {
        "name": p.name,
        "python_name": p.python_name,
        "wire_name": p.wire_name,
        "sent_in": p.sent_in,
        "rule": p.rule,
        "location_source": p.location_source,
        "type": type_to_json(p.type),
        "required": p.required,
        "description": p.description,
        "location": _location_json(p.location),
        "name_rule": p.name_rule,
        "name_source": p.name_source,
        "name_evidence": [clue_to_json(c) for c in p.name_evidence],
        "bundle": p.bundle,
        "deprecated": p.deprecated,
        "style": p.style,
        "explode": p.explode,
        "style_rule": p.style_rule,
        "style_source": p.style_source,
        "style_evidence": [clue_to_json(c) for c in p.style_evidence],
        "client_option": p.client_option,
    }


def _paging_json(p: Paging | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "style": p.style,
        "parameter": p.parameter,
        "size": p.size,
        "items": list(p.items),
        "next": list(p.next),
        "start": p.start,
        "iterator": p.iterator,
        "rule": p.rule,
        "evidence": list(p.evidence),
    }


def _method_json(m: Method) -> dict[str, Any]:
    return {
        "name": m.name,
        "python_name": m.python_name,
        "http_method": m.http_method,
        "path": m.path,
        "description": m.description,
        "parameters": [_parameter_json(p) for p in m.parameters],
        "returns": type_to_json(m.returns) if m.returns else None,
        "location": _location_json(m.location),
        "examples": [
            {"name": e.name, "value": e.value} | _location_json(e.location)
            for e in m.examples
        ],
        "deprecated": m.deprecated,
        "paging": _paging_json(m.paging),
        "body_encoding": m.body_encoding,
        "body_rule": m.body_rule,
        "body_source": m.body_source,
        "body_evidence": [clue_to_json(c) for c in m.body_evidence],
        "idempotency_header": m.idempotency_header,
        "stream_name": m.stream_name,
    }


def _auth_json(a: AuthScheme) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "name": a.name,
        "where": a.where,
        "token_url": a.token_url,
        "env": dict(a.env),
        "source": a.source,
        "location": _location_json(a.location) if a.location else None,
        "evidence": [clue_to_json(c) for c in a.evidence],
    }


def _style_json(d: StyleDecision) -> dict[str, Any]:
    return {
        "style": d.style,
        "rule": d.rule,
        "evidence": dict(d.evidence),
        "note": d.note,
    }


def service_to_json(s: Service) -> dict[str, Any]:
    """The JSON form of one service and its methods."""
    return {
        "name": s.name,
        "python_name": s.python_name,
        "class_name": s.class_name,
        "location": _location_json(s.location),
        "methods": [_method_json(m) for m in s.methods],
    }


def to_json(api: Api) -> dict[str, Any]:
    """The documented JSON shape printed by ``docs2py ir``."""
    styles = api.wire_styles
    return {
        "ir_version": IR_VERSION,
        "base_url": api.base_url,
        "base_url_evidence": [clue_to_json(c) for c in api.base_url_evidence],
        "wire_styles": (
            {
                "keys": _style_json(styles.keys),
                "parameters": _style_json(styles.parameters),
            }
            if styles
            else None
        ),
        "auth": [_auth_json(a) for a in api.auth],
        "environments": [
            {"name": e.name, "python_name": e.python_name, "url": e.url}
            for e in api.environments
        ],
        "definitions": [definition_to_json(d) for d in api.definitions],
        "services": [service_to_json(s) for s in api.services],
    }
