"""The IR as JSON Schema 2020-12 and as OpenAPI 3.1: pure functions, no I/O.

``json_schema`` describes the definitions (one ``$defs`` entry each, properties
keyed by wire key); ``openapi`` adds the services' endpoints.  The schemas state
the documented contract: the generated models are more lenient (they accept
``null`` anywhere and unknown enum values), the schemas are not.

Unions are ``anyOf``: models are open objects (``additionalProperties``), so a
value can fit several variants (any object does when every variant's fields are
optional), and ``oneOf`` would reject it; the generated decoder picks a variant
by its keys.
"""

from __future__ import annotations

import re
from typing import Any

from ..ir import (
    AnyType,
    Api,
    AuthScheme,
    Definition,
    Enum,
    ListOf,
    MapOf,
    Method,
    Model,
    Parameter,
    Primitive,
    Ref,
    Service,
    TypeRef,
    Union,
)

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
OPENAPI_VERSION = "3.1.0"
DEFS_PREFIX = "#/$defs/"
COMPONENTS_PREFIX = "#/components/schemas/"
JSON_MEDIA = "application/json"
BYTES_MEDIA = "application/octet-stream"
API_KEY_HEADER = "X-API-Key"
"""The client's header for an API key the docs do not place (runtime's
``Base.api_key_name``)."""

_PRIMITIVES: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "bytes": {"type": "string", "contentEncoding": "base64"},
}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_PLACES = {"path": "path", "query": "query", "header": "header", "query-map": "query"}
_VERBS = frozenset(
    ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
)


def type_schema(t: TypeRef, prefix: str = DEFS_PREFIX) -> dict[str, Any]:
    """The schema of one type reference; ``prefix`` + class name for references."""
    if isinstance(t, Primitive):
        return dict(_PRIMITIVES[t.name])
    if isinstance(t, AnyType):
        return {}
    if isinstance(t, ListOf):
        return {"type": "array", "items": type_schema(t.item, prefix)}
    if isinstance(t, MapOf):
        return {"type": "object", "additionalProperties": type_schema(t.value, prefix)}
    if isinstance(t, Ref):
        return {"$ref": prefix + t.target} if t.target is not None else {}
    return {"anyOf": [type_schema(v, prefix) for v in t.variants]}


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """``schema`` with a ``description`` (first, for readability) when there is one."""
    return {"description": description, **schema} if description else schema


def _model_schema(model: Model, prefix: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for f in model.fields:
        properties.setdefault(
            f.wire_key, _described(type_schema(f.type, prefix), f.description)
        )
    required = list(dict.fromkeys(f.wire_key for f in model.fields if f.required))
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = True
    return schema


def _enum_schema(enum: Enum) -> dict[str, Any]:
    values = list(dict.fromkeys(m.value for m in enum.members))
    kind = "integer" if enum.value_type == "int" else "string"
    return {"type": kind, "enum": values}


def _union_schema(union: Union, prefix: str) -> dict[str, Any]:
    if not union.variants:
        return {}  # opaque: any JSON value
    return {"anyOf": [type_schema(v, prefix) for v in union.variants]}


def definition_schema(d: Definition, prefix: str = DEFS_PREFIX) -> dict[str, Any]:
    """The schema of one model, enum or union."""
    if isinstance(d, Model):
        schema = _model_schema(d, prefix)
    elif isinstance(d, Enum):
        schema = _enum_schema(d)
    else:
        schema = _union_schema(d, prefix)
    return _described(schema, d.description)


def _definitions(api: Api, prefix: str) -> dict[str, Any]:
    ordered = sorted(api.definitions, key=lambda d: d.class_name)
    return {d.class_name: definition_schema(d, prefix) for d in ordered}


def json_schema(api: Api) -> dict[str, Any]:
    """A JSON Schema 2020-12 document with one ``$defs`` entry per definition."""
    return {"$schema": JSON_SCHEMA_DIALECT, "$defs": _definitions(api, DEFS_PREFIX)}


# --- OpenAPI ------------------------------------------------------------------


def _is_bytes(t: TypeRef | None) -> bool:
    return isinstance(t, Primitive) and t.name == "bytes"


def _content(t: TypeRef) -> dict[str, Any]:
    """A content map: raw bytes as octet-stream, everything else as JSON."""
    if _is_bytes(t):
        return {BYTES_MEDIA: {}}
    return {JSON_MEDIA: {"schema": type_schema(t, COMPONENTS_PREFIX)}}


def _parameter(p: Parameter) -> dict[str, Any]:
    place = _PLACES[p.sent_in]
    out: dict[str, Any] = {"name": p.wire_name, "in": place}
    if p.description:
        out["description"] = p.description
    out["required"] = place == "path" or p.required
    if p.sent_in == "query-map":
        out["style"] = "form"
        out["explode"] = True
    out["schema"] = type_schema(p.type, COMPONENTS_PREFIX)
    return out


def _parameters(method: Method, path: str) -> list[dict[str, Any]]:
    """Path, query and header parameters; every path placeholder declared once."""
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, Any]] = []
    for p in method.parameters:
        if p.sent_in not in _PLACES:
            continue  # the body, or not sent at all
        param = _parameter(p)
        key = (param["in"], param["name"])
        if key not in seen:
            seen.add(key)
            out.append(param)
    for name in dict.fromkeys(_PLACEHOLDER.findall(path)):
        if ("path", name) not in seen:
            undocumented = {"name": name, "in": "path", "required": True}
            out.append({**undocumented, "schema": {"type": "string"}})
    return out


def _request_body(method: Method) -> dict[str, Any] | None:
    body = next((p for p in method.parameters if p.sent_in == "body"), None)
    if body is None:
        return None
    out = _described({}, body.description)
    out["required"] = body.required
    out["content"] = _content(body.type)
    return out


def _responses(method: Method) -> dict[str, Any]:
    if method.returns is None:
        return {"204": {"description": "No content."}}
    ok = {"description": "Success.", "content": _content(method.returns)}
    return {"200": ok}


def _operation(service: Service, method: Method, path: str) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{service.python_name}.{method.python_name}",
        "tags": [service.name],
    }
    if method.description:
        op["description"] = method.description
    parameters = _parameters(method, path)
    if parameters:
        op["parameters"] = parameters
    body = _request_body(method)
    if body is not None:
        op["requestBody"] = body
    op["responses"] = _responses(method)
    if method.body_rule == "oauth-token":
        op["security"] = []  # the token request carries its own credentials
    return op


def _path(method: Method) -> str:
    return method.path if method.path.startswith("/") else "/" + method.path


def _paths(api: Api) -> dict[str, Any]:
    """Operations by path and lowercase HTTP method (the first one wins).

    Methods whose HTTP method OpenAPI has no field for are left out.
    """
    paths: dict[str, dict[str, Any]] = {}
    for service in api.services:
        for method in service.methods:
            path = _path(method)
            verb = method.http_method.lower()
            if verb not in _VERBS:
                continue
            item = paths.setdefault(path, {})
            if verb not in item:
                item[verb] = _operation(service, method, path)
    return {path: paths[path] for path in sorted(paths)}


def servers(api: Api) -> list[dict[str, str]]:
    """The README's environments (the first is the client's default), or its
    base URL."""
    if api.environments:
        return [{"url": e.url, "description": e.name} for e in api.environments]
    return [{"url": api.base_url}] if api.base_url else []


_SCHEME_NAMES = {
    "bearer": "bearerAuth",
    "basic": "basicAuth",
    "api_key": "apiKey",
    "oauth2": "oauth2",
}


def _security_scheme(scheme: AuthScheme) -> dict[str, Any]:
    if scheme.kind in ("bearer", "basic"):
        return {"type": "http", "scheme": scheme.kind}
    if scheme.kind == "api_key":
        where = "query" if scheme.where == "query" else "header"
        return {"type": "apiKey", "in": where, "name": scheme.name or API_KEY_HEADER}
    flow = {"tokenUrl": scheme.token_url, "scopes": {}}
    out: dict[str, Any] = {"type": "oauth2", "flows": {"clientCredentials": flow}}
    if not scheme.token_url:
        out["description"] = "The docs name no token endpoint: set tokenUrl."
    return out


def security_schemes(api: Api) -> dict[str, dict[str, Any]]:
    """The README's ways to authenticate, as OpenAPI security schemes (named
    ``bearerAuth``, ``basicAuth``, ``apiKey``, ``oauth2``)."""
    known = [s for s in api.auth if s.kind in _SCHEME_NAMES]
    return {_SCHEME_NAMES[s.kind]: _security_scheme(s) for s in known}


def openapi(api: Api, title: str, version: str) -> dict[str, Any]:
    """An OpenAPI 3.1 document: the definitions as components, services as
    paths, the README's environments as servers and its authentication as
    security schemes (any one of them authenticates every operation)."""
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version},
    }
    found = servers(api)
    if found:
        document["servers"] = found
    schemes = security_schemes(api)
    if schemes:
        document["security"] = [{name: []} for name in schemes]
    tags = list(dict.fromkeys(s.name for s in api.services))
    if tags:
        document["tags"] = [{"name": name} for name in tags]
    document["paths"] = _paths(api)
    document["components"] = {"schemas": _definitions(api, COMPONENTS_PREFIX)}
    if schemes:
        document["components"]["securitySchemes"] = schemes
    return document
