"""What a sample of real traffic holds, whatever file it came from: an
``Exchange`` (one request and its response) and its ``Body``s.

Header and query values are kept in memory only to tell how the API spells
things (an array joined by commas, a bearer token); nothing here is ever
printed or written.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from ..diagnostics import Diagnostics
from ..ir import Location
from .sample_json import loads

MAX_BODY = 1024 * 1024
"""A larger body is skipped (a warning): its shape is all that is learned."""


@dataclass(frozen=True, slots=True)
class Body:
    """A request or response body: ``json`` (``value`` decoded), ``form`` or
    ``multipart`` (``value``: the field names, in order), or ``raw``."""

    encoding: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request (and its response) as a sample recorded it."""

    where: Location
    verb: str = ""
    host: str = ""
    """``host[:port]`` in lower case, default ports left out; ``""``: unknown."""
    path: str = ""
    """The URL's path, decoded; ``{}`` stands for a segment a Postman
    variable fills.  ``""`` for a plain body file."""
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    request: Body | None = None
    response: Body | None = None
    status: int = 0
    named: tuple[str, str] | None = None
    """A plain body file's (SERVICE, METHOD)."""
    api_key: tuple[str, str] | None = None
    """Where a Postman collection's ``apikey`` auth sends the key: (where, name)."""
    lower_headers: bool = False
    """Header names in lower case by the protocol (HTTP/2 and 3)."""


def host_of(scheme: str, netloc: str) -> str:
    """``api.example.test`` (``:8443`` kept, ``:443`` for https left out)."""
    host = netloc.rpartition("@")[2].lower()
    default = {"http": ":80", "https": ":443"}.get(scheme.lower(), "")
    return host.removesuffix(default) if default else host


def body_of(
    mime: str,
    text: str,
    fields: list[str],
    where: Location,
    diags: Diagnostics,
    what: str,
) -> Body | None:
    """A body of media type ``mime``: JSON decoded, a form's or multipart
    body's field names, or ``raw``; None for an empty or oversized one."""
    if len(text) > MAX_BODY:
        diags.warning(
            where.path, where.line,
            f"the {what} body ({len(text) // 1024} KiB) is larger than docs2py "
            f"learns from ({MAX_BODY // 1024} KiB): skipped", "sample-body-too-large",
        )  # fmt: skip
        return None
    if "x-www-form-urlencoded" in mime:
        names = fields or [k for k, _ in parse_qsl(text, keep_blank_values=True)]
        return Body("form", tuple(dict.fromkeys(names)))
    if "multipart/form-data" in mime:
        return Body("multipart", tuple(dict.fromkeys(fields or _multipart(mime, text))))
    if not text.strip():
        return None
    if "json" in mime or not mime and text.lstrip()[:1] in ("{", "["):
        try:
            return Body("json", loads(text, flat=where.line))
        except (json.JSONDecodeError, RecursionError):
            diags.warning(
                where.path, where.line,
                f"the {what} body is not valid JSON (truncated?): skipped",
                "sample-not-json",
            )  # fmt: skip
            return None
    return Body("raw")


def _multipart(mime: str, text: str) -> list[str]:
    """The field names of a multipart body, read by the standard library's
    MIME parser."""
    head = f"Content-Type: {mime}\r\n\r\n".encode()
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(head + text.encode("utf-8", "surrogateescape"))
    if not message.is_multipart():
        return []
    names = [
        part.get_param("name", header="content-disposition")
        for part in message.iter_parts()
    ]
    return [n for n in names if isinstance(n, str)]
