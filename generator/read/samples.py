"""Samples of real traffic, read for ``docs2py learn``: HAR 1.2 files,
Postman collections v2.1 (requests and their saved responses) and plain
JSON bodies named ``SERVICE.METHOD.json`` (a request body) or
``SERVICE.METHOD.response.json`` (a response body), SERVICE and METHOD as
the docs write them.

Each HTTP exchange becomes an ``Exchange``: where it was recorded
(file:line of the HAR entry, of the Postman item or saved response, of the
plain file), the verb, host, path, query and headers, and the request and
response bodies (JSON decoded with the line of every object; form and
multipart bodies as their field names; anything else as ``raw``).  HAR and
Postman files are validated against their published JSON Schemas first
(``sample_json.validate``); a file that is not valid, not JSON, or too
large is an error and gives nothing.  Header and query values are kept in
memory only to tell how the API spells things (an array joined by commas);
nothing here is ever printed or written.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..diagnostics import Diagnostics
from ..ir import Location
from .exchanges import Body, Exchange, body_of, host_of
from .sample_json import JsonObject, MissingValidator, loads, validate
from .sample_postman import exchanges

MAX_FILE = 100 * 1024 * 1024
"""A larger sample file is refused (an error)."""
MAX_BODY = 1024 * 1024
"""A larger body is skipped (a warning): its shape is all that is learned."""
PLAIN = re.compile(
    r"(?P<service>[^.]+)\.(?P<method>[^.]+?)(?P<response>\.response)?\.json\Z"
)
HTTP2 = frozenset({"h2", "h3", "http/2", "http/2.0", "http/3", "http/3.0"})


def sample_files(paths: Iterable[Path], diags: Diagnostics) -> list[Path]:
    """The files given, and the ``.har`` and ``.json`` files in the folders
    given, sorted; a path that does not exist is an error."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".har", ".json") and p.is_file()
            )
        elif path.is_file():
            found.append(path)
        else:
            diags.error(path.as_posix(), 0, "no such sample file or folder", "sample")
    return list(dict.fromkeys(found))


def read_samples(paths: Iterable[Path], diags: Diagnostics) -> list[Exchange]:
    """Every exchange in the sample files ``paths`` (folders searched)."""
    out: list[Exchange] = []
    for path in sample_files(paths, diags):
        out += read_sample(path, diags)
    return out


def read_sample(path: Path, diags: Diagnostics) -> list[Exchange]:
    """The exchanges of one sample file; problems go to ``diags``."""
    name = path.as_posix()
    doc = _document(path, diags)
    if doc is None:
        return []
    if path.suffix == ".har" or isinstance(doc, dict) and "log" in doc:
        return _checked(doc, "har", name, diags, _har)
    if _is_postman(doc):
        return _checked(doc, "postman", name, diags, exchanges)
    match = PLAIN.match(path.name)
    if match is None:
        diags.error(
            name, 1,
            "not a HAR file, a Postman collection, or a JSON body named "
            "SERVICE.METHOD.json or SERVICE.METHOD.response.json",
            "sample",
        )  # fmt: skip
        return []
    body = Body("json", doc)
    named = (match["service"], match["method"])
    where = Location(name, doc.line if isinstance(doc, JsonObject) else 1)
    if match["response"]:
        return [Exchange(where, named=named, response=body)]
    return [Exchange(where, named=named, request=body)]


def _document(path: Path, diags: Diagnostics) -> Any:
    """The file's JSON, or None (an error said why)."""
    name = path.as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            diags.error(
                name, 0, f"{size // (1024 * 1024)} MiB: larger than docs2py reads "
                f"({MAX_FILE // (1024 * 1024)} MiB); split it or keep only the "
                "API's entries", "sample-too-large",
            )  # fmt: skip
            return None
        data = path.read_bytes()
    except OSError as exc:
        diags.error(name, 0, f"cannot read it: {exc.strerror}", "sample")
        return None
    try:
        if b"\0" in data:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "a NUL byte")
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        diags.error(name, 0, "a binary file, not JSON text", "sample-not-json")
        return None
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        end = (
            " (the file ends too early: truncated?)" if exc.pos >= len(text) - 1 else ""
        )
        diags.error(
            name, exc.lineno, f"not valid JSON: {exc.msg} at column {exc.colno}{end}",
            "sample-not-json",
        )  # fmt: skip
    except RecursionError:
        diags.error(name, 0, "JSON nested too deeply to read", "sample-not-json")
    return None


def _is_postman(doc: Any) -> bool:
    info = doc.get("info") if isinstance(doc, dict) else None
    schema = info.get("schema") if isinstance(info, dict) else None
    return isinstance(schema, str) and "getpostman.com" in schema and "item" in doc


def _checked(
    doc: Any, kind: str, name: str, diags: Diagnostics, read: Any
) -> list[Exchange]:
    """``read(doc, name, diags)`` if ``doc`` is a valid ``kind``; else errors."""
    what = "HAR 1.2 file" if kind == "har" else "Postman collection v2.1"
    try:
        problems = validate(doc, kind)
    except MissingValidator as exc:
        diags.error(name, 0, str(exc), "missing-dependency")
        return []
    for line, message in problems[:5]:
        diags.error(name, line, f"not a valid {what}: {message}", "sample-schema")
    if len(problems) > 5:
        diags.error(name, 0, f"{len(problems) - 5} more schema errors", "sample-schema")
    return [] if problems else list(read(doc, name, diags))


# HAR 1.2 ----------------------------------------------------------------------


def _har(doc: Any, name: str, diags: Diagnostics) -> list[Exchange]:
    out = []
    for entry in doc["log"]["entries"]:
        where = Location(name, entry.line)
        request, response = entry["request"], entry["response"]
        url = urlsplit(request["url"])
        headers = tuple(
            (h["name"], h["value"])
            for h in request["headers"]
            if not h["name"].startswith(":")
        )
        status = response["status"]
        out.append(
            Exchange(
                where,
                request["method"].upper(),
                host_of(url.scheme, url.netloc),
                unquote(url.path) or "/",
                tuple(parse_qsl(url.query, keep_blank_values=True)),
                headers,
                _har_request_body(request.get("postData"), where, diags),
                (
                    _har_response_body(response["content"], where, diags)
                    if status
                    else None
                ),
                status,
                lower_headers=str(request["httpVersion"]).lower() in HTTP2,
            )
        )
    return out


def _har_request_body(post: Any, where: Location, diags: Diagnostics) -> Body | None:
    if not isinstance(post, dict):
        return None
    mime = str(post.get("mimeType", "")).lower()
    text = post.get("text")
    params = [p["name"] for p in post.get("params") or [] if isinstance(p, dict)]
    return body_of(
        mime, text if isinstance(text, str) else "", params, where, diags, "request"
    )


def _har_response_body(
    content: Any, where: Location, diags: Diagnostics
) -> Body | None:
    text = content.get("text")
    if not isinstance(text, str) or not text:
        return None
    mime = str(content.get("mimeType", "")).lower()
    if content.get("encoding") == "base64":
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return Body("raw")
    return body_of(mime, text, [], where, diags, "response")
