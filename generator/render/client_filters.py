"""Template filters of the generated client: paging, bodies, deprecation.

Like every filter (``filters.py``) they return ``Code``; the public list is
``CLIENT_FILTERS``, documented in docs/templates.md.
"""

from __future__ import annotations

import textwrap
from typing import Any

import jinja2

from ..ir import (
    AnyType,
    Api,
    AuthScheme,
    ListOf,
    Method,
    Model,
    Parameter,
    Primitive,
    Ref,
    Service,
    TypeRef,
)
from .filters import Code, ident, literal
from .pytypes import Spelling, parameter_hint, return_hint, returns_model


def _item_type(spelling: Spelling, m: Method) -> TypeRef:
    """The type of the items a paged method's pages hold."""
    assert m.paging is not None
    current: TypeRef | None = m.returns
    for step in m.paging.items:
        d = spelling._symbol(current).definition if isinstance(current, Ref) else None
        field = next(
            (f for f in d.fields if f.python_name == step), None
        ) if isinstance(d, Model) else None  # fmt: skip
        current = field.type if field else None
    return current.item if isinstance(current, ListOf) else AnyType()


@jinja2.pass_context
def paging_item_hint(ctx: jinja2.runtime.Context, m: Method) -> Code:
    """The annotation of a paged method's items (``_m.Api``)."""
    return Code(ctx["module"].spelling.hint(_item_type(ctx["module"].spelling, m)))


def paging_spec(m: Method) -> Code:
    """``_paging.Paging(…)`` for a paged method (its size argument by name)."""
    p = m.paging
    if p is None:
        raise jinja2.TemplateRuntimeError(f"method {m.name} does not page")
    size = ident(p.size) if p.size else "None"
    return Code(
        f"_paging.Paging({literal(p.style)}, items={literal(p.items)}, "
        f"next={literal(p.next)}, start={p.start}, size={size})"
    )


@jinja2.pass_context
def file_keys(ctx: jinja2.runtime.Context, m: Method) -> Code:
    """The JSON keys of a multipart body's file fields, as a tuple literal."""
    body = next((p for p in m.parameters if p.sent_in == "body"), None)
    spelling: Spelling = ctx["module"].spelling
    d = (
        spelling._symbol(body.type).definition
        if body and isinstance(body.type, Ref)
        else None
    )
    keys = (
        tuple(f.wire_key for f in d.fields if f.binary) if isinstance(d, Model) else ()
    )
    return literal(keys)


def param_styles(m: Method) -> Code | None:
    """How a method's array and object parameters are spelled, a dict
    literal keyed ``"query:NAME"``/``"path:NAME"``/``"header:NAME"`` (the
    ``styles`` of ``_http.Call``), or None when it has none."""
    styles = [
        f"{literal(f'{p.sent_in}:{p.wire_name}')}: "
        f"({literal(p.style)}, {literal(p.explode)})"
        for p in m.parameters
        if p.style and p.sent_in in ("query", "path", "header")
    ]
    return Code("{" + ", ".join(styles) + "}") if styles else None


def deprecation(what: Method | Parameter, owner: str = "") -> Code:
    """The message a deprecated method or parameter warns with."""
    if isinstance(what, Method):
        text = f"{what.python_name}() is deprecated"
    else:
        text = f"the {what.python_name} argument of {owner}() is deprecated"
    return literal(text)


def auth_scheme(api: Api, kind: str) -> AuthScheme | None:
    """The README's scheme of this kind (``api_key``, ``oauth2``…), or None."""
    return next((s for s in api.auth if s.kind == kind), None)


def env_prefix(package: str) -> str:
    """``petclinic`` → ``PETCLINIC`` (``$PETCLINIC_BASE_URL``, ``$PETCLINIC_LOG``)."""
    return str(package).upper()


def credential_env(api: Api) -> dict[str, str]:
    """credential → the environment variable the README names for it."""
    return {k: v for scheme in api.auth for k, v in scheme.env}


_AUTH_TEXT = {
    "bearer": "``token`` (``Authorization: Bearer …``)",
    "basic": "``username`` and ``password`` (basic)",
}


def _scheme_text(scheme: AuthScheme) -> str:
    env = " and ".join(f"${v}" for _, v in scheme.env)
    if scheme.kind == "api_key":
        where = "query parameter" if scheme.where == "query" else "header"
        text = f"``api_key`` (the {where} ``{scheme.name or 'X-API-Key'}``)"
    elif scheme.kind == "oauth2":
        at = f" at ``{scheme.token_url}``" if scheme.token_url else ""
        text = f"``client_id`` and ``client_secret`` (OAuth 2.0 client credentials{at})"
    else:
        text = _AUTH_TEXT.get(scheme.kind, scheme.kind)
    return text + (f", or {env}" if env else "")


def client_doc(api: Api, package: str, is_async: bool) -> str:
    """The docstring of ``Client`` / ``AsyncClient``."""
    prefix = env_prefix(package)
    head = "Asynchronous client" if is_async else "Client"
    base = "defaults to the URL the docs name" if api.base_url else "is required"
    lines = [
        f"{head} of the API: one attribute per service.",
        "",
        f"``base_url`` {base} (or ``environment=``, or ``${prefix}_BASE_URL``).",
    ]
    if api.auth:
        lines.append("Authenticate as the docs describe: "
                     + "; ".join(_scheme_text(s) for s in api.auth) + ".")  # fmt: skip
    else:
        lines.append(
            "Authenticate with ``api_key`` (sent in the ``api_key_header``, default "
            "``X-API-Key``), ``token`` (bearer) or ``username``/``password`` (basic)."
        )
    lines.append(
        "Per-call ``timeout``, ``max_retries``, ``extra_headers``, ``extra_query`` "
        "and ``extra_body``; ``with_options()``; ``middleware=[…]`` (once per "
        f"attempt); logging with ``${prefix}_LOG=info|debug``."
    )
    wrapped = [textwrap.fill(line, 72) if line else "" for line in lines]
    return "\n".join(wrapped) + "\n"


@jinja2.pass_context
def uses_runtime(ctx: jinja2.runtime.Context, service: Service) -> bool:
    """Whether a service module needs ``_rt``: a response decoded by annotation."""
    spelling: Spelling = ctx["module"].spelling
    for m in service.methods:
        sent = [p for p in m.parameters if p.sent_in != "none"]
        hints = [parameter_hint(spelling, p) for p in sent]
        hints.append(return_hint(spelling, m))
        if m.paging is not None:
            hints.append(spelling.hint(_item_type(spelling, m)))
        if any("_rt." in hint for hint in hints):
            return True
        t = m.returns
        if t is None or isinstance(t, Primitive) and t.name == "bytes":
            continue
        if not returns_model(spelling, m):
            return True
    return False


def takes_api_version(api: Api) -> bool:
    """Whether a method takes the API's version (``Client(api_version=…)``)."""
    return any(
        p.client_option == "api_version"
        for s in api.services for m in s.methods for p in m.parameters
    )  # fmt: skip


CLIENT_FILTERS: dict[str, Any] = {
    "takes_api_version": takes_api_version,
    "uses_runtime": uses_runtime,
    "client_doc": client_doc,
    "auth_scheme": auth_scheme,
    "env_prefix": env_prefix,
    "credential_env": credential_env,
    "paging_item_hint": paging_item_hint,
    "paging_spec": paging_spec,
    "file_keys": file_keys,
    "param_styles": param_styles,
    "deprecation": deprecation,
}
