"""The usage example of a generated README: a client built with the README's
authentication, one call of a documented method (its errors handled) and one
paged call, chosen from the IR.

The example is Python source assembled from checked names (``ident``) and
literals (``literal``), like every generated module: spec text never becomes
code.  Which calls it shows:

* the call: a method without a required body whose required arguments all
  have simple values (strings, numbers, enum members, lists of those), a GET
  first, a method that does not page before one that does, then the fewest
  arguments; string values are the docs' own example values where the
  method's example code gives them, else the parameter's name;
* the paged call: ``iter_…()`` of the paged method chosen the same way;
* the error: ``NotFoundError`` when the call names a resource (a path
  parameter), and ``ApiError`` for any other answer that is not a success.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import names
from ..ir import (
    AnyType,
    Api,
    Enum,
    ListOf,
    MapOf,
    Method,
    Parameter,
    Primitive,
    Ref,
    Service,
    TypeRef,
)
from .filters import Code, UnsafeValue, ident, literal
from .pytypes import Symbol, symbol_table

PLACEHOLDER_URL = "https://api.example.com"
"""The base URL the example passes when the docs name none."""
LINE = 88

_CREDENTIALS = {
    "bearer": (("token", "YOUR_TOKEN"),),
    "api_key": (("api_key", "YOUR_API_KEY"),),
    "basic": (("username", "YOUR_USERNAME"), ("password", "YOUR_PASSWORD")),
    "oauth2": (
        ("client_id", "YOUR_CLIENT_ID"),
        ("client_secret", "YOUR_CLIENT_SECRET"),
    ),
}
_NUMBERS = {"int": "1", "float": "1.0", "bool": "True", "bytes": "b'...'"}


@dataclass(frozen=True, slots=True)
class Call:
    """A method of a service and the arguments the example passes (code)."""

    service: Service
    method: Method
    arguments: tuple[str, ...]
    imports: frozenset[str]
    """Class names the arguments use (enums), imported from the package."""


def _value(t: TypeRef, text: str, symbols: dict[str, Symbol]) -> str | None:
    """A literal of type ``t`` (``text`` for a string), or None when there is
    no simple one (a model, a union)."""
    if isinstance(t, Primitive):
        return literal(text) if t.name == "str" else _NUMBERS[t.name]
    if isinstance(t, AnyType):
        return literal(text)
    if isinstance(t, ListOf):
        item = _value(t.item, text, symbols)
        return f"[{item}]" if item is not None else None
    if isinstance(t, MapOf):
        return "{}"
    d = _definition(t, symbols)
    if isinstance(d, Enum) and d.members:
        return f"{ident(d.class_name)}.{ident(d.members[0].python_name)}"
    return None


def _enums_in(t: TypeRef, symbols: dict[str, Symbol]) -> set[str]:
    if isinstance(t, ListOf):
        return _enums_in(t.item, symbols)
    d = _definition(t, symbols)
    return {d.class_name} if isinstance(d, Enum) else set()


def _definition(t: TypeRef, symbols: dict[str, Symbol]) -> object:
    """What a reference names (None for any other type)."""
    if isinstance(t, Ref) and t.target in symbols:
        return symbols[t.target].definition
    return None


def _single_valued(p: Parameter, symbols: dict[str, Symbol]) -> bool:
    """An enum of one value: the method has it as its default."""
    d = _definition(p.type, symbols)
    return isinstance(d, Enum) and len(d.members) == 1


def _call(
    service: Service, m: Method, symbols: dict[str, Symbol], skip: str = ""
) -> Call | None:
    """The call of ``m`` with its required arguments, or None if one of them
    has no simple value (or the body is required)."""
    examples = {e.name: e.value for e in m.examples}
    positional: list[str] = []
    keyword: list[str] = []
    imports: set[str] = set()
    for p in m.parameters:
        if not p.required or p.sent_in == "none" or p.python_name == skip:
            continue
        if p.sent_in == "body":
            return None
        if _single_valued(p, symbols):  # the method's default
            continue
        names = (p.name, p.own_name, p.python_name, p.wire_name)
        text = next((examples[n] for n in names if n in examples), p.wire_name)
        value = _value(p.type, text, symbols)
        if value is None:
            return None
        imports |= _enums_in(p.type, symbols)
        if p.sent_in == "path":
            positional.append(value)
        else:
            keyword.append(f"{ident(p.python_name)}={value}")
    return Call(service, m, (*positional, *keyword), frozenset(imports))


def choose(api: Api) -> tuple[Call | None, Call | None]:
    """The call and the paged call the example shows (None: no such method)."""
    symbols = symbol_table(api)
    calls: list[tuple[tuple[int, ...], Call]] = []
    paged: list[tuple[tuple[int, ...], Call]] = []
    for i, service in enumerate(api.services):
        for j, m in enumerate(service.methods):
            call = _call(service, m, symbols)
            rank = (m.http_method.upper() != "GET", m.paging is not None)
            if call is not None:
                plain = m.returns is None or m.stream_name is not None
                key = (*rank, plain, len(call.arguments), i, j)
                calls.append((key, call))
            if m.paging is not None:
                pager = _call(service, m, symbols, m.paging.parameter)
                if pager is not None:
                    paged.append(((*rank, len(pager.arguments), i, j), pager))
    first = min(calls, key=lambda c: c[0])[1] if calls else None
    pages = min(paged, key=lambda c: c[0])[1] if paged else None
    return first, pages


def _spelled(head: str, arguments: list[str], indent: str, tail: str = "") -> list[str]:
    """``head(a, b)tail`` on one line, or black's way over several."""
    line = f"{indent}{head}({', '.join(arguments)}){tail}"
    if len(line) <= LINE or not arguments:
        return [line]
    inner = [f"{indent}    {a}," for a in arguments]
    return [f"{indent}{head}(", *inner, f"{indent}){tail}"]


def _comment(text: str) -> str:
    """A comment line: one line of printable characters, whatever spec text
    it holds."""
    return "".join(c if c.isprintable() else " " for c in text)


def _credentials(api: Api) -> list[str]:
    """The client's arguments for the README's first way to authenticate."""
    scheme = next((s for s in api.auth if s.kind in _CREDENTIALS), None)
    if scheme is None:
        return []
    out = [f"{name}={literal(value)}" for name, value in _CREDENTIALS[scheme.kind]]
    if scheme.kind == "oauth2" and not scheme.token_url:
        out.append(f"token_url={literal(PLACEHOLDER_URL + '/oauth/token')}")
    return out


def _construction(api: Api) -> list[str]:
    """The comments on the base URL and credentials, and ``with Client(…)``."""
    arguments = [] if api.base_url else [f"base_url={literal(PLACEHOLDER_URL)}"]
    arguments += _credentials(api)
    if api.base_url:
        others = [f"Environment.{ident(e.python_name)}" for e in api.environments]
        other = f"environment={others[1]}" if len(others) > 1 else "base_url="
        lines = [_comment(f"# {api.base_url} by default; {other} for another")]
    else:
        lines = ["# The docs name no base URL: pass your API's."]
    variables = [v for s in api.auth for _, v in s.env]
    if variables:
        shown = " and ".join(f"${v}" for v in variables)
        lines.append(_comment(f"# The credentials may come from {shown} instead."))
    return lines + _spelled("with Client", arguments, "", " as client:")


def _method(call: Call, name: str) -> str:
    return f"client.{ident(call.service.python_name)}.{ident(name)}"


def _names_resource(call: Call) -> bool:
    return any(p.sent_in == "path" for p in call.method.parameters)


def _first_call(call: Call) -> list[str]:
    """The call in ``try``, its errors handled, its result printed."""
    m = call.method
    target = "result = " if m.returns is not None else ""
    lines = [_comment(f"    # {m.http_method} {m.path}"), "    try:"]
    head = target + _method(call, m.python_name)
    lines += _spelled(head, list(call.arguments), "        ")
    if _names_resource(call):
        lines.append("    except NotFoundError as error:")
        lines.append('        print("not found:", error.status_code, error.body)')
    lines.append("    except ApiError as error:  # any other error status")
    lines.append("        print(error.status_code, error.body)")
    lines.append("    else:")
    lines.append("        print(result)" if target else '        print("done")')
    return lines


def _paged_call(call: Call) -> list[str]:
    """``for item in client.service.iter_…(…): print(item)``."""
    assert call.method.paging is not None
    iterator = call.method.paging.iterator
    head = "for item in " + _method(call, iterator)
    lines = ["    # A paged method: each next page is asked for as the loop needs it"]
    lines += _spelled(head, list(call.arguments), "    ", ":")
    return lines + ["        print(item)"]


def usage_example(api: Api, package: str) -> Code:
    """A fenced Python block: the client built with the README's base URL and
    authentication, a call with its errors handled, and a paged call."""
    problem = names.package_problem(str(package))
    if problem:
        raise UnsafeValue(f"package name {package!r} {problem}")
    first, pages = choose(api)
    calls = [c for c in (first, pages) if c is not None]
    enums = sorted({name for c in calls for name in c.imports})
    imported = ", ".join(["Client", *(ident(e) for e in enums)])
    lines = [f"from {package} import {imported}"]
    if first is not None:
        errors = "ApiError, NotFoundError" if _names_resource(first) else "ApiError"
        lines.append(f"from {package}.errors import {errors}")
    lines += ["", *_construction(api)]
    if first is not None:
        lines += _first_call(first)
    if pages is not None:
        lines += ([""] if first else []) + _paged_call(pages)
    if not calls:
        lines.append('    print(client.request("GET", "/"))  # any endpoint')
    code = "\n".join(lines) + "\n"
    fence = "`" * max([3, *(len(run) + 1 for run in re.findall("`+", code))])
    return Code(f"{fence}python\n{code}{fence}")


USAGE_FILTERS = {"usage_example": usage_example}
