# pyright: reportPrivateUsage=false
"""Decoders of JSON values, and of unions: part of docs2py's runtime.

Copied verbatim into every generated package, beside ``_runtime``, which
re-exports its public names and says how the runtime's modules import each
other (each at its end).

The building blocks that hand-written and template models use
(``expect_object``, ``required``, ``optional``, ``extra``, ``keep``,
``list_of``, ``map_of``); union variants and how a union ranks them
(``decode_union`` the rules, ``fast_union`` the same ranking, faster);
``decoder``/``decode_as``, a compiled decoder for an annotation; and the
generic decoder of resolved members (``_decoder_of``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

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


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "bytes": (str,),
    "list": (list,),
    "map": (Mapping,),
    "any": (object,),
}


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


def _no_fine(value: Any) -> int:
    return 0


_Plan = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]
"""A union's variants as ``fast_union`` ranks them: the model variants
(required keys, known keys, how many required, -order, the compiled typed
fit, the class), every other variant (fits, -order, decoder), and those of
the others that can fit a JSON object."""


def _plan(members: list[_Member]) -> _Plan:
    models: list[tuple[Any, ...]] = []
    others: list[tuple[Any, ...]] = []
    for_objects: list[tuple[Any, ...]] = []
    for order, (kind, what) in enumerate(members):
        if kind == "model" and issubclass(what, Model):
            shape = shape_of(what)
            fine = compiled_fit(what)
            models.append(
                (shape.required, shape.known, len(shape.required), -order, fine, what)
            )
            continue
        fits, decode = _variant(kind, what)
        others.append((fits, -order, decode))
        if kind in ("model", "map") or what == "any":
            for_objects.append((fits, -order, decode))
    return models, others, for_objects


def fast_union(owner: str, members: list[_Member]) -> Callable[[Any], Any]:
    """``union_of`` for resolved members, ranking as ``decode_union`` does
    (tests/test_codec.py checks it), with each model variant's typed fit
    compiled, and computed only to break a tie of the first two parts."""
    message = f"{owner}: the value fits none of the union's variants"
    plans: list[_Plan] = []  # made on first use, when every class exists

    def run(value: Any) -> Any:
        if not plans:
            plans.append(_plan(members))
        models, others, for_objects = plans[0]
        scored: list[tuple[Any, ...]] = []
        if value.__class__ is dict or isinstance(value, Mapping):
            keys = cast("Mapping[str, Any]", value).keys()
            size = len(keys)
            for required, known, needs, order, fine, cls in models:
                if keys >= required:
                    shared = 2 * len(known.intersection(keys)) - size
                    scored.append((needs, shared, order, fine, cls.from_dict))
            others = for_objects
        for fits, order, decode in others:
            score = fits(value)
            if score is not None:
                scored.append((score[0], score[1], order, _no_fine, decode))
        if len(scored) == 1:
            return scored[0][4](value)
        if not scored:
            raise DecodeError(message)
        return _first_that_decodes(value, _ranked(value, scored))

    return run


def _ranked(value: Any, scored: list[tuple[Any, ...]]) -> list[Callable[[Any], Any]]:
    """The decoders, best first: the typed fit only where the rest ties."""
    counts: dict[tuple[int, int], int] = {}
    for score in scored:
        counts[score[:2]] = counts.get(score[:2], 0) + 1
    ranked = sorted(
        (
            (a, b, fine(value) if counts[a, b] > 1 else 0, order, decode)
            for a, b, order, fine, decode in scored
        ),
        key=lambda r: r[:4],
        reverse=True,
    )
    return [r[4] for r in ranked]


# --- Decoders of annotations ------------------------------------------------------

_DECODERS: dict[tuple[str, str, str], Callable[[Any], Any]] = {}


def decoder(
    hint: Any, namespace: Mapping[str, Any], owner: str
) -> Callable[[Any], Any]:
    """A callable that decodes JSON into ``hint``, an annotation written in the
    module whose globals are ``namespace`` (``owner`` names it in errors)."""
    cache_key = (str(namespace.get("__name__")), str(hint), owner)
    found = _DECODERS.get(cache_key)
    if found is None:
        members = _resolve(hint, namespace)
        found = _DECODERS[cache_key] = compiled_decoder(members, owner)
    return found


def decode_as(name: str, data: Any, namespace: Mapping[str, Any]) -> Any:
    """Decode ``data`` as the type alias ``name`` of the module ``namespace``."""
    return decoder(name, namespace, name)(data)


def _decoder_of(members: list[_Member], owner: str) -> Callable[[Any], Any]:
    """The generic decoder of these members (closures, no compiled code)."""
    members = list(dict.fromkeys(members))
    if len(members) == 1:
        kind, what = members[0]
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


# --- The runtime's other modules (see _runtime) --------------------------------

from ._compiled import compiled_decoder, compiled_fit
from ._enums import _json_type_fits
from ._runtime import UNSET, DecodeError, Model, Unset
from ._shape import _Member, _resolve, shape_of
