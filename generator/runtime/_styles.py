# pyright: reportPrivateUsage=false
"""How parameter values are spelled in a URL or a header (stdlib only).

This file is copied verbatim into every generated package as ``_styles.py``.
It follows OpenAPI's parameter styles
(https://swagger.io/docs/specification/v3_0/serialization/); a ``Style`` is
``(style, explode)``:

* query (``query_pairs``): ``("form", True)`` repeats an array's key
  (``a=1&a=2``) and flattens an object into its own keys (``k=v&k2=v2``);
  ``("form", False)`` joins with commas (``a=1,2``; ``o=k,v,k2,v2``),
  ``spaceDelimited`` and ``pipeDelimited`` with a space or ``|``;
  ``("deepObject", True)`` names an object's members in brackets
  (``filter[id]=3,3``: an array inside is comma-joined, an object inside
  goes one bracket deeper, ``filter[a][b]=1``);
* path and header (``path_segment``, ``header_value``): ``("simple", False)``
  joins an array with commas (``a,b``) and an object's keys and values
  (``k,v,k2,v2``; exploded: ``k=v,k2=v2``); in a path, each piece is
  percent-encoded and the commas are not.

Values are encoded first: a model to its JSON object, an enum to its value.
A scalar is spelled as in JSON (``true``, ``false``, ``3`` for ``3.0``,
``null``); a value nested deeper than a style describes (an object inside a
flattened object, an array of objects) is compact JSON.  A Python ``repr``
never reaches the wire: a value with no JSON spelling raises ``TypeError``.
Form bodies (``form_fields``) follow the flattened rules.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any, cast
from urllib.parse import quote

from . import _runtime as _rt

Style = tuple[str, bool]
"""(OpenAPI style, explode)."""

FORM: Style = ("form", True)
SIMPLE: Style = ("simple", False)

_SEPARATORS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}
_AS_TEXT = (uuid.UUID, decimal.Decimal)
_AS_ISO = (datetime.date, datetime.time)


def scalar(value: Any) -> str:
    """A JSON scalar (or a date, time, UUID or decimal) as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if value is None:
        return "null"
    if isinstance(value, _AS_ISO):
        return value.isoformat()
    if isinstance(value, _AS_TEXT):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no spelling in a URL or header")


def _json_default(value: Any) -> Any:
    if isinstance(value, _AS_ISO + _AS_TEXT):
        return scalar(value)
    raise TypeError(f"{type(value).__name__} has no JSON spelling")


def text(value: Any) -> str:
    """An encoded value as text: a scalar as itself, an array or object as JSON."""
    if isinstance(value, dict | list):
        return json.dumps(
            value, separators=(",", ":"), ensure_ascii=False, default=_json_default
        )
    return scalar(value)


def _is_container(value: Any) -> bool:
    return isinstance(value, dict | list)


def _members(value: dict[str, Any]) -> list[tuple[str, Any]]:
    """An object's members that are set (a ``None`` member is left out)."""
    return [(str(k), v) for k, v in value.items() if v is not None]


def as_list(value: Any) -> list[Any]:
    if isinstance(value, list):  # mypy knows list[Any]; pyright needs the cast
        return cast("list[Any]", value)  # type: ignore[redundant-cast]
    return [value]


def _joined(value: list[Any], separator: str) -> str:
    """Items joined by ``separator``, each as text (JSON when structured)."""
    return separator.join(text(v) for v in value)


def query_pairs(name: str, value: Any, style: Style = FORM) -> list[tuple[str, str]]:
    """The (key, text) pairs of one query parameter in ``style``."""
    value = _rt.encode(value)
    kind, explode = style
    if isinstance(value, dict):
        members = _members(cast("dict[str, Any]", value))
        if kind == "deepObject":
            return _deep(name, members)
        if explode:
            return [pair for k, v in members for pair in _flat(k, v)]
        flat = [piece for k, v in members for piece in (k, v)]
        return [(name, _joined(flat, _SEPARATORS.get(kind, ",")))]
    if isinstance(value, list):
        items = as_list(value)
        if explode:
            return [(name, text(v)) for v in items]
        return [(name, _joined(items, _SEPARATORS.get(kind, ",")))]
    return [(name, scalar(value))]


def _flat(key: str, value: Any) -> list[tuple[str, str]]:
    """One member of a flattened object: an array repeats its key."""
    if isinstance(value, list):
        return [(key, text(v)) for v in as_list(value)]
    return [(key, text(value))]


def _deep(name: str, members: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    """``name[key]=…`` for each member, objects one bracket deeper."""
    out: list[tuple[str, str]] = []
    for key, value in members:
        inner = f"{name}[{key}]"
        if isinstance(value, dict):
            out += _deep(inner, _members(cast("dict[str, Any]", value)))
        elif isinstance(value, list) and not any(map(_is_container, as_list(value))):
            out.append((inner, _joined(as_list(value), ",")))
        else:
            out.append((inner, text(value)))
    return out


def _simple(value: Any, explode: bool, piece: Callable[[str], str]) -> str:
    """``simple``: an array or object comma-joined, each piece by ``piece``."""
    if isinstance(value, dict):
        members = _members(cast("dict[str, Any]", value))
        if explode:
            return ",".join(f"{piece(k)}={piece(text(v))}" for k, v in members)
        return ",".join(f"{piece(k)},{piece(text(v))}" for k, v in members)
    if isinstance(value, list):
        return ",".join(piece(text(v)) for v in as_list(value))
    return piece(scalar(value))


def _percent(value: str) -> str:
    return quote(value, safe="")


def path_segment(value: Any, style: Style = SIMPLE) -> str:
    """A path parameter, percent-encoded; ``.`` and ``..`` cannot climb the path."""
    segment = _simple(_rt.encode(value), style[1], _percent)
    return segment.replace(".", "%2E") if segment in (".", "..") else segment


def header_value(value: Any, style: Style = SIMPLE) -> str:
    """A header parameter: arrays and objects comma-joined (``simple``)."""
    return _simple(_rt.encode(value), style[1], str)


def form_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Form fields: scalars as text, arrays repeated, objects as JSON."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        value = _rt.encode(value)
        if value is None:
            continue
        if isinstance(value, list):
            out[key] = [text(v) for v in as_list(value)]
        else:
            out[key] = text(value)
    return out
