"""How each method's request body travels (a stage after resolution).

Recorded as ``Method.body_encoding`` and ``Method.body_rule`` (docs/services.md):

* ``multipart`` (``binary-field``): the body model has a file field, typed
  ``bytes``/``ArrayBuffer``/``byte[]`` or described "File to upload in binary
  format"; those fields become ``Field.binary`` (they take bytes, a path, a
  file object or ``(filename, content, media type)``);
* ``form`` (``oauth-token``): the body (or every model a union body may be) is
  an OAuth 2.0 token request (it has ``grant_type``), which RFC 6749 sends
  form-encoded; (``oauth-message``) another OAuth request, such as a token
  revocation (two registered OAuth names), form-encoded too (RFC 7009);
* ``raw`` (``binary-body``): the body itself is ``bytes``;
* ``json`` (``default``): everything else.

``--body SERVICE.METHOD=json|multipart|form|raw`` (wildcards allowed) overrides.
The idempotency header a method takes (``Idempotency-Key``) is noted too, and
a file download gets a streaming twin (``Method.stream_name``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import names
from ..diagnostics import Diagnostics
from ..ir import (
    Api,
    Definition,
    Field,
    Method,
    Model,
    Primitive,
    Ref,
    TypeRef,
    Union,
)
from .guesses import body_source
from .overrides import Overrides
from .wire_evidence import squash
from .wire_styles import OAUTH_NAMES

ENCODINGS = ("json", "multipart", "form", "raw")
_BINARY_TEXT = re.compile(r"\b(in binary format|binary file|file to upload)\b", re.I)
_IDEMPOTENCY = frozenset(["idempotencykey", "xidempotencykey"])


def is_binary(f: Field) -> bool:
    """A file field: typed bytes, or described as a binary file."""
    if isinstance(f.type, Primitive) and f.type.name == "bytes":
        return True
    return bool(_BINARY_TEXT.search(f.description))


def _body_model(m: Method, by_class: dict[str, Definition]) -> Model | None:
    body = next((p for p in m.parameters if p.sent_in == "body"), None)
    t: TypeRef | None = body.type if body else None
    d = by_class.get(t.target or "") if isinstance(t, Ref) else None
    return d if isinstance(d, Model) else None


def _infer(m: Method, by_class: dict[str, Definition]) -> tuple[str, str]:
    body = next((p for p in m.parameters if p.sent_in == "body"), None)
    if body is None:
        return "json", ""
    if isinstance(body.type, Primitive) and body.type.name == "bytes":
        return "raw", "binary-body"
    models = _variants(body.type, by_class)
    if not models:
        return "json", "default"
    if any(is_binary(f) for model in models for f in model.fields):
        return "multipart", "binary-field"
    kinds = {_oauth(model) for model in models}
    if kinds == {"oauth-token"}:
        return "form", "oauth-token"
    if None not in kinds:
        return "form", "oauth-message"
    return "json", "default"


def _variants(t: TypeRef, by_class: dict[str, Definition]) -> list[Model]:
    """The body's model, or the models a union body is one of."""
    d = by_class.get(t.target or "") if isinstance(t, Ref) else None
    if isinstance(d, Model):
        return [d]
    if isinstance(d, Union) and d.variants:
        found = [_variants(v, by_class) for v in d.variants]
        return [m for ms in found for m in ms] if all(found) else []
    return []


def _oauth(model: Model) -> str | None:
    """``oauth-token`` for an OAuth 2.0 token request (it has ``grant_type``),
    ``oauth-message`` for another OAuth request (a revocation: two registered
    names), both sent form-encoded (RFC 6749 §4, RFC 7009 §2.1); else None."""
    found = [squash(f.name) for f in model.fields]
    if "granttype" in found:
        return "oauth-token"
    return "oauth-message" if sum(n in OAUTH_NAMES for n in found) >= 2 else None


def refine(api: Api, overrides: dict[str, str], diags: Diagnostics) -> Api:
    """``api`` with every method's body encoding and file fields decided."""
    found: Overrides[str] = Overrides(
        "--body", {tuple(k.split(".")): v for k, v in overrides.items()}
    )
    by_class = {d.class_name: d for d in api.definitions}
    uploads: set[str] = set()
    services = []
    for s in api.services:
        base = s.name.removesuffix("Service") or s.name
        methods = []
        taken = {m.python_name for m in s.methods}
        for m in s.methods:
            encoding, rule = _infer(m, by_class)
            chosen = found.find(
                ((s.name, base, s.python_name), (m.name, m.python_name))
            )
            if chosen is not None:
                encoding, rule = chosen, "override"
            model = _body_model(m, by_class)
            if encoding == "multipart" and model is not None:
                uploads.add(model.class_name)
            header = next(
                (p.wire_name for p in m.parameters
                 if p.sent_in == "header" and squash(p.wire_name) in _IDEMPOTENCY),
                None,
            )  # fmt: skip
            stream = None
            if isinstance(m.returns, Primitive) and m.returns.name == "bytes":
                stream = names.unique(m.python_name + "_stream", taken)
            methods.append(
                replace(m, body_encoding=encoding, body_rule=rule,
                        body_source=body_source(rule),
                        idempotency_header=header, stream_name=stream)
            )  # fmt: skip
        services.append(replace(s, methods=tuple(methods)))
    found.report_unused(diags, "docs2py")
    definitions = tuple(
        _uploads(d) if isinstance(d, Model) and d.class_name in uploads else d
        for d in api.definitions
    )
    return replace(api, definitions=definitions, services=tuple(services))


def _uploads(model: Model) -> Model:
    return replace(
        model, fields=tuple(replace(f, binary=is_binary(f)) for f in model.fields)
    )
