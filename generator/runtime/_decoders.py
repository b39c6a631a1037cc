# pyright: reportPrivateUsage=false
"""Decoders of JSON values, shapes and the generic codec: part of docs2py's
runtime, the layer above ``_shape`` and ``_enums``.

Copied verbatim into every generated package, beside ``_runtime``, which
re-exports its public names and says how the runtime's modules are layered.

The building blocks that hand-written and template models use
(``expect_object``, ``required``, ``optional``, ``extra``, ``keep``,
``list_of``, ``map_of``); ``shape_of`` (a model class's shape, read once per
class, with each property's decoder) and ``canonical``; union variants and how
a union ranks them (``decode_union``, the rules); the generic decoder of
resolved members (``_decoder_of``); and the generic codec
(``generic_from_dict``/``generic_to_dict``, ``encode``): the same rules as the
compiled codec of the layer above, written plainly, the reference it is
tested against.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar, cast

from ._shape import (
    _JSON_TYPES,
    UNSET,
    DecodeError,
    M,
    Model,
    Shape,
    Unset,
    _json_type_fits,
    _Member,
    _squash,
    quietly,
)

T = TypeVar("T")

# --- Building blocks of decoders ---------------------------------------------------


def _nullable(value: Any, decode: Callable[[Any], T]) -> T:
    """``null`` stays None whatever the type (the docs never say what is nullable)."""
    return cast(T, None) if value is None else decode(value)


def expect_object(data: Any, owner: str) -> Mapping[str, Any]:
    """``data`` if it is a JSON object, else DecodeError."""
    if not isinstance(data, Mapping):
        raise DecodeError(f"{owner}: expected a JSON object, got {type(data).__name__}")
    return cast("Mapping[str, Any]", data)


def required(
    data: Mapping[str, Any], key: str, decode: Callable[[Any], T], owner: str
) -> T:
    """Decode a required key; ``null`` stays None."""
    try:
        value = data[key]
    except KeyError:
        raise DecodeError(f"{owner}: missing required key {key!r}") from None
    return _nullable(value, decode)


def optional(
    data: Mapping[str, Any], key: str, decode: Callable[[Any], T]
) -> T | None | Unset:
    """Decode an optional key: UNSET when absent, None when ``null``."""
    if key not in data:
        return UNSET
    value = data[key]
    return None if value is None else decode(value)


def extra(data: Mapping[str, Any], cls: type[Model]) -> dict[str, Any]:
    """The keys of ``data`` that ``cls`` does not document."""
    known = shape_of(cls).known
    return {key: value for key, value in data.items() if key not in known}


def keep(value: Any) -> Any:
    """The decoder of values with no structure to decode."""
    return value


def list_of(decode: Callable[[Any], T]) -> Callable[[Any], list[T]]:
    """A decoder of JSON arrays whose items ``decode`` decodes."""

    def run(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise DecodeError(f"expected a JSON array, got {type(value).__name__}")
        items = cast("list[object]", value)
        return [_nullable(item, decode) for item in items]

    return run


def map_of(decode: Callable[[Any], T]) -> Callable[[Any], dict[str, T]]:
    """A decoder of JSON objects whose values ``decode`` decodes."""

    def run(value: Any) -> dict[str, T]:
        if not isinstance(value, Mapping):
            raise DecodeError(f"expected a JSON object, got {type(value).__name__}")
        pairs = cast("Mapping[str, Any]", value).items()
        return {k: _nullable(v, decode) for k, v in pairs}

    return run


_EXPECTED: Final = {
    "str": "a string",
    "bytes": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
}
"""The JSON type a property of each scalar type holds, as errors name it."""


def scalar(kind: str, owner: str, key: str) -> Callable[[Any], Any]:
    """The decoder of a property documented as ``kind`` (str, bytes, int,
    float or bool): the value if its JSON type fits (an integer is a number,
    a boolean is not), ``null`` and ``UNSET`` too, else DecodeError."""
    types = _JSON_TYPES[kind]
    expected = _EXPECTED[kind]

    def check(value: Any) -> Any:
        if isinstance(value, types):
            if kind == "bool" or not isinstance(value, bool):
                return value
        elif value is None or value is UNSET:
            return value
        got = type(value).__name__
        raise DecodeError(f"{owner}: key {key!r}: expected {expected}, got {got}")

    return check


# --- Unions ------------------------------------------------------------------------

Variant = tuple[Callable[[Any], "tuple[int, int, int] | None"], Callable[[Any], Any]]
"""How a union tells whether a value fits a variant (and how well), and decodes it."""


def model_variant(cls: Any) -> Variant:
    """A model variant fits a JSON object that has all its required keys;
    better the more of its keys it knows and the better their values fit."""

    def fits(value: Any) -> tuple[int, int, int] | None:
        if not isinstance(value, Mapping):
            return None
        keys = set(cast("Mapping[str, Any]", value))
        shape = shape_of(cls)
        if not shape.required <= keys:
            return None
        known = shape.known
        typed = sum(fit(value[key]) for key, fit in shape.fits if key in value)
        return (len(shape.required), len(known & keys) - len(keys - known), typed)

    return fits, cls.from_dict


def enum_variant(cls: Any) -> Variant:
    """An enum variant fits one of its listed values."""

    def fits(value: Any) -> tuple[int, int, int] | None:
        if not _json_type_fits(cls, value):
            return None
        return (1, 0, 0) if value in cls._value2member_map_ else None

    return fits, cls


def value_variant(kind: str, decode: Callable[[Any], Any] = keep) -> Variant:
    """A primitive, list or map variant fits values of its JSON type."""
    types = _JSON_TYPES[kind]

    def fits(value: Any) -> tuple[int, int, int] | None:
        if isinstance(value, bool) and kind not in ("bool", "any"):
            return None
        if not isinstance(value, types):
            return None
        return (-1, 0, 0) if kind == "any" else (0, 0, 0)

    return fits, decode


def union_of(owner: str, variants: Sequence[Variant]) -> Callable[[Any], Any]:
    """A decoder of an inline union (``OneOf<A, B>`` in a Type cell)."""

    def run(value: Any) -> Any:
        return decode_union(value, owner, variants)

    return run


def decode_union(value: Any, owner: str, variants: Sequence[Variant]) -> Any:
    """Decode ``value`` as the variant it fits best (the first among equals);
    if that one fails to decode, the next best."""
    ranked: list[tuple[tuple[int, int, int], int, Callable[[Any], Any]]] = []
    for order, (fits, decode) in enumerate(variants):
        score = fits(value)
        if score is not None:
            ranked.append((score, -order, decode))
    if not ranked:
        raise DecodeError(f"{owner}: the value fits none of the union's variants")
    ranked.sort(key=lambda r: r[:2], reverse=True)
    return _first_that_decodes(value, [decode for _, _, decode in ranked])


def _first_that_decodes(value: Any, decoders: Iterable[Callable[[Any], Any]]) -> Any:
    first: DecodeError | None = None
    for decode in decoders:
        try:
            return decode(value)
        except DecodeError as exc:
            first = first or exc
    assert first is not None
    raise first


# --- The generic decoder of resolved members ---------------------------------


def _decoder_of(
    members: list[_Member], owner: str, key: str = ""
) -> Callable[[Any], Any]:
    """The generic decoder of these members (closures, no compiled code); a
    property's (``key``) of a string, number or boolean checks the JSON type."""
    members = list(dict.fromkeys(members))
    if len(members) == 1:
        kind, what = members[0]
        if key and kind == "value" and what in _EXPECTED:
            return scalar(what, owner, key)
        if kind == "model":
            return cast(Callable[[Any], Any], what.from_dict)
        if kind == "enum":
            return cast(Callable[[Any], Any], what)
        if kind == "list":
            return list_of(_decoder_of(list(what), "item"))
        return map_of(_decoder_of(list(what), "item")) if kind == "map" else keep
    if not members:
        return keep
    return union_of(owner, [_variant(kind, what) for kind, what in members])


def _variant(kind: str, what: Any) -> Variant:
    if kind == "model":
        if issubclass(what, Model):
            return model_variant(what)
        return value_variant("map", what.from_dict)
    if kind == "enum":
        return enum_variant(what)
    if kind in ("list", "map"):
        return value_variant(kind, _decoder_of([(kind, what)], "item"))
    return value_variant(what)


# --- Shapes, read once per class ------------------------------------------------

_SHAPES: dict[type, Shape] = {}


def shape_of(cls: type[Model]) -> Shape:
    """The JSON shape of a model class (read from its fields on first use)."""
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = Shape.read(cls, _decoder_of)
    return shape


def canonical(
    data: Mapping[str, Any], cls: type[Model]
) -> tuple[Mapping[str, Any], dict[str, str] | None]:
    """``data`` with documented keys that came spelled differently (``first_name``
    for ``firstName``) under their documented spelling, and those spellings."""
    shape = shape_of(cls)
    known = shape.known
    unknown = [key for key in data if key not in known]
    if not unknown:
        return data, None
    aliases: dict[str, str] = {}
    for key in unknown:
        if not isinstance(cast(object, key), str):
            continue
        documented = shape.squashed.get(_squash(key))
        if documented and documented not in data and documented not in aliases:
            aliases[documented] = key
    if not aliases:
        return data, None
    renamed = {v: k for k, v in aliases.items()}
    return {renamed.get(k, k): v for k, v in data.items()}, aliases


# --- The generic codec: the rules, written plainly -----------------------------


def generic_from_dict(cls: type[M], data: Any) -> M:
    """``cls.from_dict(data)`` by the rules, property by property (the
    reference for the compiled decoders)."""
    shape = shape_of(cls)
    d, aliases = canonical(expect_object(data, cls.__name__), cls)
    values = {
        name: (
            required(d, key, decode, cls.__name__)
            if key in shape.required
            else optional(d, key, decode)
        )
        for name, key, decode in shape.fields
    }
    values["_extra"] = extra(d, cls)
    made = quietly(lambda: cls(**values)) if shape.deprecated else cls(**values)
    made._aliases = aliases
    return made


def generic_to_dict(obj: Model) -> dict[str, Any]:
    """``obj.to_dict()`` by the rules (the reference for the compiled encoders)."""
    out: dict[str, Any] = {}
    aliases = obj._aliases or {}
    shape = shape_of(type(obj))
    for attribute, key, _ in shape.fields:
        value = getattr(obj, attribute)
        if value is not UNSET:
            scalar = attribute in shape.scalar
            out[aliases.get(key, key)] = value if scalar else encode(value)
    for key, value in obj._extra.items():
        out.setdefault(key, value)
    return out


_PLAIN: Final = frozenset({str, int, float, bool, type(None)})


def encode(value: Any) -> Any:
    """A model, enum, list/tuple or mapping as plain JSON values."""
    kind = value.__class__
    if kind in _PLAIN:
        return value
    if kind is list:
        return [encode(item) for item in value]
    if kind is dict:
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [encode(item) for item in cast("Sequence[Any]", value)]
    if isinstance(value, Mapping):
        pairs = cast("Mapping[object, object]", value).items()
        return {key: encode(item) for key, item in pairs}
    return value
