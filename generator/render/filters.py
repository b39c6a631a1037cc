"""Template filters: the only way a template prints a value into generated code.

Every filter returns ``Code`` (text made safe for its place); the environment's
``finalize`` refuses anything else, so a template that prints raw spec text
fails instead of emitting injectable code.  The public list is ``FILTERS``,
documented in docs/templates.md.
"""

from __future__ import annotations

import ast
import html
import re
import sys
from typing import Any

import jinja2

from .. import names
from ..ir import (
    AnyType,
    Field,
    ListOf,
    MapOf,
    Method,
    Parameter,
    Primitive,
    Ref,
    TypeRef,
    Union,
    UnionOf,
)
from ..runtime._runtime import camel_key
from .pytypes import (
    Spelling,
    fixed_value,
    parameter_hint,
    return_decoder,
    return_hint,
    returns_model,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class Code(str):
    """Text that a filter has made safe to print into generated code."""


class UnsafeValue(ValueError):
    """A filter refused a value (not an identifier, no literal for it…)."""


def finalize(value: object) -> object:
    if isinstance(value, Code | int) or value is None:
        return "" if value is None else value
    raise UnsafeValue(
        f"a template printed {value!r} without a filter; use ident, literal, "
        "docstring or hint so spec text cannot become code"
    )


def _defined(value: object) -> None:
    """Raise Jinja's own "is undefined" error for an undefined filter argument."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()


def ident(name: str) -> Code:
    """A checked Python identifier."""
    _defined(name)
    if not names.is_identifier(name):
        raise UnsafeValue(f"{name!r} is not a valid Python identifier")
    return Code(name)


def literal(value: object) -> Code:
    """A Python literal for a str, int, bool, None, or a list/tuple/dict of those."""
    _defined(value)
    if isinstance(value, dict):
        items = ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items())
        return Code("{" + items + "}")
    if isinstance(value, list | tuple):
        inner = ", ".join(literal(v) for v in value)
        if isinstance(value, list):
            return Code(f"[{inner}]")
        return Code(f"({inner},)" if value else "()")
    if isinstance(value, str):
        return Code(_string(value))
    if value is None or isinstance(value, int | bool):
        return Code(repr(value))
    raise UnsafeValue(f"no literal encoding for {type(value).__name__}")


def _string(value: str) -> str:
    """repr(), in double quotes when that needs no more escapes (as black
    writes it, so black has nothing to change)."""
    code = repr(value)
    if code.startswith("'") and '"' not in value:  # so ' is not in value either
        code = '"' + code[1:-1] + '"'
    return code


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_key(key: str) -> Code:
    """A TOML key: bare when it is letters, digits, ``_`` and ``-``, else a
    basic string (``"Bug Tracker"``)."""
    if isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return Code(key)
    if not isinstance(key, str):
        raise UnsafeValue(f"a TOML key must be a string, not {type(key).__name__}")
    return toml(key)


def toml(value: object) -> Code:
    """A TOML value for a str (a basic string), bool, int, a list of those, or
    a table of those (an inline table, ``{ name = "Ada" }``).

    The standard library reads TOML but does not write it, so strings are
    encoded here by the TOML 1.0 rules (quote, backslash and control
    characters escaped; anything not printable as ``\\uXXXX``) and read back
    with ``tomllib`` to be sure.
    """
    _defined(value)
    if isinstance(value, list | tuple):
        return Code("[" + ", ".join(toml(v) for v in value) + "]")
    if isinstance(value, dict):
        pairs = [f"{toml_key(k)} = {toml(v)}" for k, v in value.items()]
        return Code("{ " + ", ".join(pairs) + " }" if pairs else "{}")
    if isinstance(value, bool):
        return Code("true" if value else "false")
    if isinstance(value, int):
        return Code(str(value))
    if not isinstance(value, str):
        raise UnsafeValue(f"no TOML encoding for {type(value).__name__}")
    out: list[str] = []
    for ch in value:
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise UnsafeValue(f"{value!r} has a lone surrogate: no TOML string")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(
                f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}"
            )
    code = '"' + "".join(out) + '"'
    if tomllib.loads(f"v = {code}")["v"] != value:
        raise UnsafeValue(f"TOML encoding failed for {value!r}")
    return Code(code)


def docstring(text: str, indent: int = 0) -> Code:
    """A triple-quoted literal whose value is ``text`` (quotes and controls
    escaped); with ``indent``, for a docstring at that indentation, its
    continuation lines are indented as black indents them."""
    _defined(text)
    body = text.replace("\r\n", "\n")
    if indent:
        head, *rest = body.split("\n")
        pad = " " * indent
        rest = [pad + line if line.strip() else line for line in rest]
        body = "\n".join([head, *rest])
        text = body
    if (
        "\\" not in body
        and '"' not in body
        and "\x0c" not in body
        and body.replace("\n", "").isprintable()
    ):  # no quote, no backslash, nothing to escape: the text is the literal
        return Code('"""' + body + '"""')
    out: list[str] = []
    for ch in body:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n" or (ch.isprintable() and ch != "\x0c"):
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1] if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
    code = '"""' + "".join(out) + '"""'
    if ast.literal_eval(code) != text.replace("\r\n", "\n"):
        raise UnsafeValue(f"docstring encoding failed for {text!r}")
    return Code(code)


@jinja2.pass_context
def _hint(ctx: jinja2.runtime.Context, t: TypeRef) -> Code:
    _defined(t)
    return Code(ctx["module"].spelling.hint(t))


@jinja2.pass_context
def _annotation(ctx: jinja2.runtime.Context, f: Field) -> Code:
    _defined(f)
    hint = "_rt.File" if f.binary else ctx["module"].spelling.hint(f.type)
    return Code(hint if f.required else f"{hint} | None | _rt.Unset")


@jinja2.pass_context
def _decoder(ctx: jinja2.runtime.Context, t: TypeRef, owner: str) -> Code:
    _defined(t)
    return Code(ctx["module"].spelling.decoder(t, owner))


@jinja2.pass_context
def _variants(ctx: jinja2.runtime.Context, u: Union) -> Code:
    _defined(u)
    return Code(ctx["module"].spelling.variants(u.variants, u.class_name))


@jinja2.pass_context
def _union_hint(ctx: jinja2.runtime.Context, variants: tuple[TypeRef, ...]) -> Code:
    spelling: Spelling = ctx["module"].spelling
    hints = dict.fromkeys(spelling.hint(v) for v in spelling.flatten(variants))
    return Code(" | ".join(hints) or "_rt.Any")  # a union only of itself: Any


@jinja2.pass_context
def _param_hint(ctx: jinja2.runtime.Context, p: Parameter) -> Code:
    _defined(p)
    return Code(parameter_hint(ctx["module"].spelling, p))


@jinja2.pass_context
def _return_hint(ctx: jinja2.runtime.Context, m: Method) -> Code:
    _defined(m)
    return Code(return_hint(ctx["module"].spelling, m))


@jinja2.pass_context
def _return_decoder(ctx: jinja2.runtime.Context, m: Method) -> Code:
    _defined(m)
    return Code(return_decoder(ctx["module"].spelling, m))


def method_doc(m: Method) -> str:
    """A method's docstring text: description, ``VERB /path`` and its arguments."""
    _defined(m)
    parts = [m.description] if m.description else []
    parts.append(f"``{m.http_method} {m.path}``")
    args = [
        f"    {p.python_name}: {' '.join(p.description.split())}"
        + (f" (default: the client's {p.client_option})" if p.client_option else "")
        for p in m.parameters
        if p.sent_in != "none" and (p.description or p.client_option)
    ]
    if args:
        parts.append("Args:\n" + "\n".join(args))
    return "\n\n".join(parts) + "\n"


def returns_kind(m: Method) -> str:
    """``none``, ``bytes`` (a file), ``text`` (a string) or ``json``."""
    _defined(m)
    if m.returns is None:
        return "none"
    if isinstance(m.returns, Primitive) and m.returns.name in ("bytes", "str"):
        return "bytes" if m.returns.name == "bytes" else "text"
    return "json"


@jinja2.pass_context
def _fixed_value(ctx: jinja2.runtime.Context, p: Parameter) -> Code | None:
    _defined(p)
    value = fixed_value(ctx["module"].spelling, p)
    return Code(value) if value is not None else None


@jinja2.pass_context
def returns_any(ctx: jinja2.runtime.Context, m: Method) -> bool:
    """True if the response decoder is untyped, so the result needs a cast: a
    JSON response other than one model (the runtime decodes by the annotation)."""
    _defined(m)
    t = m.returns
    if t is None or (isinstance(t, Primitive) and t.name == "bytes"):
        return False
    if isinstance(t, AnyType):  # the decoder gives Any already: no cast
        return False
    return not returns_model(ctx["module"].spelling, m)


_ACTIVE_SCHEME = re.compile(r"(?:java|vb)script:|data:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\s\\\x00-\x1f\x7f]+")


def md(text: str) -> Code:
    """Text for a Markdown page: ``<``, ``>`` and ``&`` HTML escaped (quotes
    need nothing in text, and no HTML tag or entity survives), ``|`` escaped,
    lines joined by <br/>.  Text that names a ``javascript:``, ``vbscript:`` or
    ``data:`` URL (also with spaces, controls or backslashes inside the word)
    has its brackets escaped too, so no link, image or link reference can
    form around it: spec text never becomes an active link."""
    _defined(text)
    escaped = html.escape(str(text), quote=False).replace("|", "\\|")
    if _ACTIVE_SCHEME.search(_INVISIBLE.sub("", str(text))):
        escaped = escaped.replace("[", "\\[").replace("]", "\\]")
    return Code("<br/>".join(line.strip() for line in escaped.splitlines()))


def _mermaid(spelling: Spelling, t: TypeRef) -> str:
    hint = spelling.hint(t)
    for old, new in (("[", "~"), ("]", "~"), (" | ", " or ")):
        hint = hint.replace(old, new)
    return re.sub(r"\b_(m|t|rt)\.", "", hint)


@jinja2.pass_context
def _mermaid_type(ctx: jinja2.runtime.Context, t: TypeRef) -> Code:
    """A type for a Mermaid class diagram (``list~Owner~``)."""
    _defined(t)
    return Code(_mermaid(ctx["module"].spelling, t))


def refs(types: TypeRef | tuple[TypeRef, ...]) -> list[str]:
    """Class names referenced by a type (or types), in order, without repeats."""
    _defined(types)
    found: dict[str, None] = {}

    def walk(t: TypeRef) -> None:
        if isinstance(t, Ref) and t.target:
            found.setdefault(t.target)
        elif isinstance(t, ListOf):
            walk(t.item)
        elif isinstance(t, MapOf):
            walk(t.value)
        elif isinstance(t, UnionOf):
            for v in t.variants:
                walk(v)

    for t in types if isinstance(types, tuple) else (types,):
        walk(t)
    return list(found)


def camel_keys(fields: tuple[Field, ...]) -> bool:
    """True if more JSON keys are their attribute in lowerCamelCase than as is."""
    _defined(fields)
    camel = sum(camel_key(f.python_name) == f.wire_key != f.python_name for f in fields)
    plain = sum(f.python_name == f.wire_key != camel_key(f.python_name) for f in fields)
    return camel > plain


def renames(fields: tuple[Field, ...], camel: bool = False) -> dict[str, str]:
    """attribute → JSON key where the key is not the attribute (or, with
    ``camel``, not its lowerCamelCase), as the runtime reads ``_renames``."""
    _defined(fields)
    out: dict[str, str] = {}
    for f in fields:
        derived = camel_key(f.python_name) if camel else f.python_name
        if f.wire_key != derived:
            out[f.python_name] = f.wire_key
    return out


FILTERS: dict[str, Any] = {
    "camel_keys": camel_keys,
    "renames": renames,
    "refs": refs,
    "md": md,
    "mermaid_type": _mermaid_type,
    "returns_any": returns_any,
    "fixed_value": _fixed_value,
    "method_doc": method_doc,
    "returns_kind": returns_kind,
    "param_hint": _param_hint,
    "return_hint": _return_hint,
    "return_decoder": _return_decoder,
    "union_hint": _union_hint,
    "ident": ident,
    "literal": literal,
    "toml": toml,
    "toml_key": toml_key,
    "docstring": docstring,
    "hint": _hint,
    "annotation": _annotation,
    "decoder": _decoder,
    "variants": _variants,
}
