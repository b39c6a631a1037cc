"""Which parameters carry the API's version, so that a client sets it once.

An API that takes its version in every call (a path segment such as
``/landedcost/{version}/quotes``, a query parameter ``api-version``, a
header ``X-Api-Version``) gets ``Client(api_version="v2")``: each of those
parameters becomes an optional keyword of its method that falls back to the
client's value (``Parameter.client_option``).  A parameter is the API's
version when its Name says so (``apiVersion``, ``api_version``,
``X-Api-Version``), or when it is called ``version`` and its description
says it is the API's ("Version of the API", "API version to be
requested"); its value must be a string (or an enum of strings).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..ir import Api, Method, Parameter, Primitive, Ref
from ..read.build_service import squash

_NAMES = frozenset(["apiversion", "xapiversion"])
_OF_THE_API = re.compile(r"\bAPI\b", re.IGNORECASE)
OPTION = "api_version"


def refine(api: Api) -> Api:
    """``api`` with its API-version parameters marked."""
    enums = {e.class_name for e in api.enums if e.value_type == "str"}
    services = tuple(
        replace(s, methods=tuple(_method(m, enums) for m in s.methods))
        for s in api.services
    )
    return replace(api, services=services)


def _method(m: Method, enums: set[str]) -> Method:
    if not any(is_api_version(p, enums) for p in m.parameters):
        return m
    parameters = tuple(
        replace(p, client_option=OPTION) if is_api_version(p, enums) else p
        for p in m.parameters
    )
    return replace(m, parameters=parameters)


def is_api_version(p: Parameter, enums: set[str]) -> bool:
    """Whether ``p`` is the API's version (see the module's docstring)."""
    if p.sent_in not in ("path", "query", "header"):
        return False
    text = p.type == Primitive("str")
    if not (text or isinstance(p.type, Ref) and p.type.target in enums):
        return False
    name = squash(p.own_name)
    if name in _NAMES:
        return True
    return name == "version" and bool(_OF_THE_API.search(p.description))
