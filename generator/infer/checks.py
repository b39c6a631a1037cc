"""Checks of the decided wire (the infer stage's last step): what the client
will send must be sendable, or the run stops with an error at the spec line.

* a header name is an RFC 9110 token (letters, digits and
  ``!#$%&'*+-.^_`|~``), whether the docs, the README or an override
  (``--param``, ``parameters``) named it: a space, a colon, CR or LF would
  break the request or forge another header;
* a value the client sends in a header on its own (an enum's member, such as
  the fixed ``Accept`` value liblab documents as a one-member enum) is
  printable ASCII without CR or LF, which httpx can encode and no server reads
  as two lines.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics
from ..ir import Api, Enum, Method, Parameter, Ref

TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""RFC 9110's ``token``: what a header (field) name is made of."""
_VALUE = re.compile(r"[\x20-\x7e\t]*")
"""Printable ASCII, spaces and tabs: a header value every client can send."""


def header_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a header name, or None."""
    if TOKEN.fullmatch(name):
        return None
    return (
        "is not an HTTP header name (RFC 9110: letters, digits and "
        "!#$%&'*+-.^_`|~ only)"
    )


def header_value_problem(value: str) -> str | None:
    """Why ``value`` cannot be sent as a header value, or None."""
    if _VALUE.fullmatch(value):
        return None
    return "is not printable ASCII (a header value cannot hold CR, LF or non-ASCII)"


def check(api: Api, diags: Diagnostics) -> None:
    """Errors for header names and values the client could not send."""
    enums = {d.class_name: d for d in api.enums}
    sent: dict[str, Parameter] = {}  # enum class → a header parameter of it
    for service in api.services:
        for method in service.methods:
            for p in method.parameters:
                if p.sent_in == "header":
                    _name(method, p, diags)
                    if isinstance(p.type, Ref) and p.type.target in enums:
                        sent.setdefault(p.type.target, p)
    for target, p in sent.items():
        _values(enums[target], p, diags)
    for scheme in api.auth:
        if scheme.kind == "api_key" and scheme.where == "header" and scheme.name:
            problem = header_name_problem(scheme.name)
            if problem:
                where = scheme.location
                diags.error(
                    where.path if where else "README.md", where.line if where else 0,
                    f"the API key header {scheme.name!r} {problem}", "bad-header",
                )  # fmt: skip


def _name(method: Method, p: Parameter, diags: Diagnostics) -> None:
    problem = header_name_problem(p.wire_name)
    if problem:
        by = " (set by an override)" if p.name_rule == "override" else ""
        diags.error(
            p.location.path, p.location.line,
            f"method {method.name!r}: parameter {p.name!r} is sent as header "
            f"{p.wire_name!r}{by}, which {problem}",
            "bad-header",
        )  # fmt: skip


def _values(enum: Enum, p: Parameter, diags: Diagnostics) -> None:
    for member in enum.members:
        value = member.value
        problem = header_value_problem(value) if isinstance(value, str) else None
        if problem:
            diags.error(
                member.location.path, member.location.line,
                f"{enum.class_name}.{member.python_name} = {value!r} {problem}; "
                f"it is sent in header {p.wire_name!r} (parameter {p.name!r} "
                f"at {p.location})",
                "bad-header",
            )  # fmt: skip
