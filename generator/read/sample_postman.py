"""Postman collections v2.1 as samples: each saved response (with the
request that got it, ``originalRequest``, else the item's request) is one
exchange, and an item without saved responses is its request alone.

The collection's variables (``{{baseUrl}}``) are filled in; a host that
stays a variable is unknown (``""``), and a path segment that does
(``{{id}}``) or that is a path variable (``:thingId``) stands for any
placeholder (``{}``).  Auth is inherited from folders and the collection,
as Postman does; an ``apikey`` auth names the API key's header or query
parameter (its value is never kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..diagnostics import Diagnostics
from ..ir import Location
from .exchanges import Body, Exchange, body_of, host_of

_VARIABLE = re.compile(r"\{\{([^{}]+)\}\}")


def exchanges(doc: Any, name: str, diags: Diagnostics) -> list[Exchange]:
    """The exchanges of a valid collection (``sample_json.validate``)."""
    values = _variables(doc.get("variable"))
    return list(_items(doc["item"], doc.get("auth"), values, name, diags))


def _variables(items: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in items or []:
        key, value = v.get("key") or v.get("id"), v.get("value")
        if isinstance(key, str) and isinstance(value, str | int | float):
            out[key] = str(value)
    return out


def _items(
    items: list[Any], auth: Any, values: dict[str, str], name: str, diags: Diagnostics
) -> Iterator[Exchange]:
    for item in items:
        own = {**values, **_variables(item.get("variable"))}
        if "item" in item:  # a folder
            yield from _items(item["item"], item.get("auth") or auth, own, name, diags)
            continue
        request = item["request"]
        inherited = (
            auth if not isinstance(request, dict) else request.get("auth") or auth
        )
        responses = item.get("response") or []
        if not responses:
            where = Location(name, item.line)
            yield _exchange(request, None, inherited, own, where, diags)
        for response in responses:
            sent = response.get("originalRequest") or request
            where = Location(name, response.line)
            yield _exchange(sent, response, inherited, own, where, diags)


def _fill(text: str, values: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: values.get(m[1].strip(), m[0]), text)


def _exchange(
    request: Any,
    response: Any,
    auth: Any,
    values: dict[str, str],
    where: Location,
    diags: Diagnostics,
) -> Exchange:
    if isinstance(request, str):
        request = {"url": request}
    host, path, query = _url(request.get("url", ""), values)
    headers = tuple(_headers(request.get("header"), values))
    body = _request_body(request.get("body"), headers, values, where, diags)
    status, answer = 0, None
    if isinstance(response, dict):
        status = response.get("code") or 0
        answer = _response_body(response, where, diags)
    return Exchange(
        where, str(request.get("method") or "GET").upper(), host, path, query,
        headers, body, answer, status, api_key=_api_key(auth),
    )  # fmt: skip


def _url(
    url: Any, values: dict[str, str]
) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """(host, path, query) of a request's URL."""
    if isinstance(url, str):
        raw = _fill(url, values)
        split = urlsplit(raw if "://" in raw else "//" + raw)
        segments = split.path.split("/")[1:]
        query = tuple(parse_qsl(split.query, keep_blank_values=True))
        host = host_of(split.scheme, split.netloc) if "{{" not in split.netloc else ""
        return host, _path([], segments), query
    host_parts = url.get("host") or []
    host_text = _fill(
        ".".join(host_parts) if isinstance(host_parts, list) else host_parts, values
    )
    prefix: list[str] = []
    host = ""
    if "{{" not in host_text:
        split = urlsplit(host_text if "://" in host_text else "https://" + host_text)
        scheme = url.get("protocol") or split.scheme
        port = f":{url['port']}" if url.get("port") else ""
        host = host_of(scheme, split.netloc + port)
        prefix = [s for s in split.path.split("/") if s]
    path = url.get("path") or []
    segments = path.split("/") if isinstance(path, str) else path
    query = tuple(
        (_fill(q.get("key") or "", values), _fill(q.get("value") or "", values))
        for q in url.get("query") or []
        if not q.get("disabled") and q.get("key")
    )
    return host, _path(prefix, [_segment(s, values) for s in segments]), query


def _segment(segment: Any, values: dict[str, str]) -> str:
    if isinstance(segment, dict):
        return "{}"
    text = str(segment)
    return "{}" if text.startswith(":") else _fill(text, values)


def _path(prefix: list[str], segments: list[str]) -> str:
    parts = prefix + [unquote(s) if "{{" not in s else "{}" for s in segments if s]
    return "/" + "/".join(parts)


def _headers(headers: Any, values: dict[str, str]) -> Iterator[tuple[str, str]]:
    if isinstance(headers, str):
        for line in headers.splitlines():
            name, colon, value = line.partition(":")
            if colon and name.strip():
                yield name.strip(), value.strip()
        return
    for h in headers or []:
        if isinstance(h, dict) and not h.get("disabled"):
            yield h["key"], _fill(h.get("value") or "", values)


def _content_type(headers: Any) -> str:
    for key, value in headers:
        if key.lower() == "content-type":
            return str(value).lower()
    return ""


def _request_body(
    body: Any, headers: Any, values: dict[str, str], where: Location, diags: Diagnostics
) -> Body | None:
    if not isinstance(body, dict) or body.get("disabled"):
        return None
    mode = body.get("mode")
    if mode == "urlencoded":
        fields = [
            p["key"] for p in body.get("urlencoded") or [] if not p.get("disabled")
        ]
        return Body("form", tuple(dict.fromkeys(fields)))
    if mode == "formdata":
        fields = [p["key"] for p in body.get("formdata") or [] if not p.get("disabled")]
        return Body("multipart", tuple(dict.fromkeys(fields)))
    if mode == "file":
        return Body("raw")
    if mode != "raw" or not isinstance(body.get("raw"), str):
        return None
    language = ((body.get("options") or {}).get("raw") or {}).get("language", "")
    mime = _content_type(headers) or ("application/json" if language == "json" else "")
    return body_of(mime, _fill(body["raw"], values), [], where, diags, "request")


def _response_body(response: Any, where: Location, diags: Diagnostics) -> Body | None:
    text = response.get("body")
    if not isinstance(text, str) or not text:
        return None
    headers = response.get("header")
    pairs = [
        (h.get("key", ""), h.get("value", ""))
        for h in headers if isinstance(h, dict)
    ] if isinstance(headers, list) else []  # fmt: skip
    mime = _content_type(pairs)
    if not mime and response.get("_postman_previewlanguage") == "json":
        mime = "application/json"
    return body_of(mime, text, [], where, diags, "response")


def _api_key(auth: Any) -> tuple[str, str] | None:
    """(where, name) of an ``apikey`` auth; never its value."""
    if not isinstance(auth, dict) or auth.get("type") != "apikey":
        return None
    found = {
        a.get("key"): a.get("value")
        for a in auth.get("apikey") or []
        if isinstance(a, dict)
    }
    name = found.get("key")
    where = "query" if found.get("in") == "query" else "header"
    return (where, name) if isinstance(name, str) and name else None
