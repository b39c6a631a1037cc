# pyright: reportPrivateUsage=false
"""A model class's shape, read once per class: part of docs2py's runtime.

Copied verbatim into every generated package, beside ``_runtime``, which
re-exports its public names and says how the runtime's modules import each
other (each at its end).

``shape_of(cls)`` is what a model's JSON object looks like: per property its
attribute, JSON key, decoder, resolved annotation and how well a value fits it
(for ranking union variants), and the required and known keys; ``canonical``
renames the documented keys that came spelled differently.

Resolving an annotation: a model's annotations are strings (``from __future__
import annotations``), each parsed and its names looked up in the module that
wrote it, nothing evaluated; a union's type alias is a real typing object
(``_m.Cat | _m.Dog``), taken apart with typing.get_args.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import enum
import inspect
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, cast

# --- A model's shape: its properties, read once per class ----------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Shape:
    """What a model's JSON object looks like (derived once per class)."""

    fields: tuple[tuple[str, str, Callable[[Any], Any]], ...]
    """(attribute, JSON key, decoder) per property, in order."""
    required: frozenset[str]
    known: frozenset[str]
    fits: tuple[tuple[str, Callable[[Any], int]], ...] = ()
    """(JSON key, how well a value fits the property) for ranking union variants."""
    squashed: Mapping[str, str] = dataclasses.field(default_factory=dict[str, str])
    """Each key with case, ``_`` and ``-`` dropped → the key."""
    types: tuple[list[_Member], ...] = ()
    """The resolved annotation of each property (see ``_resolve``)."""
    scalar: frozenset[str] = frozenset()
    """Attributes documented as a string, number or boolean: sent as they are."""
    deprecated: bool = False
    """Some properties are deprecated: decoding makes the model ``quietly``."""


_SHAPES: dict[type, Shape] = {}


def camel_key(attribute: str) -> str:
    """``weight_kg`` → ``weightKg`` (the JSON key of a ``_camel`` model)."""
    head, *rest = attribute.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def shape_of(cls: type[Model]) -> Shape:
    """The JSON shape of a model class (read from its fields on first use)."""
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _derive_shape(cls)
    return shape


def _properties(cls: type[Model]) -> list[tuple[str, str, bool]]:
    """(attribute, JSON key, required) per property, in order."""
    if cls._keys:
        return [(name, key, key in cls._required) for name, key in cls._keys]
    out: list[tuple[str, str, bool]] = []
    for f in dataclasses.fields(cast(Any, cls)):
        if f.name.startswith("_"):
            continue
        key = cls._renames.get(f.name) or (camel_key(f.name) if cls._camel else f.name)
        out.append((f.name, key, f.default is dataclasses.MISSING))
    return out


def _annotation(cls: type, attribute: str) -> tuple[Any, Mapping[str, Any]]:
    """An attribute's annotation and the globals of the module that wrote it."""
    for klass in cls.__mro__:
        written = inspect.get_annotations(klass)
        if attribute in written:
            return written[attribute], vars(sys.modules[klass.__module__])
    return Any, {}


def _derive_shape(cls: type[Model]) -> Shape:
    fields: list[tuple[str, str, Callable[[Any], Any]]] = []
    checks: list[tuple[str, Callable[[Any], int]]] = []
    resolved: list[list[_Member]] = []
    required: set[str] = set()
    for name, key, needed in _properties(cls):
        hint, namespace = _annotation(cls, name)
        members = _resolve(hint, namespace)
        resolved.append(members)
        fields.append((name, key, _decoder_of(members, cls.__name__)))
        checks.append((key, _fit_of(members)))
        if needed:
            required.add(key)
    known = frozenset(k for _, k, _ in fields)
    scalar = frozenset(
        name
        for (name, _, _), members in zip(fields, resolved, strict=True)
        if _is_scalar(members)
    )
    return Shape(
        tuple(fields),
        frozenset(required),
        known,
        tuple(checks),
        _squashed(known),
        tuple(resolved),
        scalar,
        bool(cls._deprecated),
    )


def _is_scalar(members: list[_Member]) -> bool:
    return bool(members) and all(k == "value" and w != "any" for k, w in members)


def _squash(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _squashed(known: frozenset[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in sorted(known):
        out.setdefault(_squash(key), key)
    return out


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


# --- How well a value fits a property (ranking union variants) ----------------


def _fits_any(value: Any) -> int:
    return 0


def _fit_of(members: list[_Member]) -> Callable[[Any], int]:
    """How well a JSON value fits a property of these types: 2 a listed enum
    value, 1 the right JSON type, 0 null or any, -1 the wrong type."""
    kinds = list(dict.fromkeys(members))
    if not kinds:
        return _fits_any

    def fit(value: Any) -> int:
        if value is None:
            return 0
        best = -1
        for kind, what in kinds:
            best = max(best, _fit_one(kind, what, value))
        return best

    return fit


def _fit_one(kind: str, what: Any, value: Any) -> int:
    if kind == "enum":
        if not _json_type_fits(what, value):
            return -1
        return 2 if value in what._value2member_map_ else 0
    if kind == "model":
        return 1 if isinstance(value, Mapping) else -1
    if kind in ("list", "map"):
        return 1 if isinstance(value, list if kind == "list" else Mapping) else -1
    if what == "any":
        return 0
    if isinstance(value, bool) and what != "bool":
        return -1
    return 1 if isinstance(value, _JSON_TYPES[what]) else -1


# --- Resolving annotations ----------------------------------------------------------

_PRIMITIVES: dict[object, str] = {str: "str", int: "int", float: "float", bool: "bool"}
_Member = tuple[str, Any]
"""A resolved union member: ("model"|"enum", class), ("list"|"map", a tuple
of the items' members) or ("value", JSON type name)."""


def _resolve(hint: Any, ns: Mapping[str, Any]) -> list[_Member]:
    if not isinstance(hint, str):
        return _classify(hint)
    try:
        node = ast.parse(hint, mode="eval").body
    except SyntaxError:
        raise TypeError(f"cannot decode the annotation {hint!r}") from None
    return _members(node, ns)


def _members(node: ast.expr, ns: Mapping[str, Any]) -> list[_Member]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left, ns) + _members(node.right, ns)
    if isinstance(node, ast.Constant) and node.value is None:
        return []
    if isinstance(node, ast.Subscript):
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return [_container(_lookup(node.value, ns), _members(args[-1], ns))]
    value = _lookup(node, ns)
    if isinstance(value, str):  # a forward reference written as a string
        return _resolve(value, ns)
    return _classify(value)


def _lookup(node: ast.expr, ns: Mapping[str, Any]) -> Any:
    """The value of the name ``a`` or ``a.b`` in ``ns`` (or the builtins)."""
    if isinstance(node, ast.Name):
        if node.id in ns:
            return ns[node.id]
        if hasattr(builtins, node.id):
            return getattr(builtins, node.id)
    elif isinstance(node, ast.Attribute):
        value = _lookup(node.value, ns)
        if hasattr(value, node.attr):
            return getattr(value, node.attr)
    raise TypeError(f"cannot resolve {ast.unparse(node)!r} in {ns.get('__name__')}")


def _container(origin: Any, inner: list[_Member]) -> _Member:
    if origin is list:
        return ("list", tuple(dict.fromkeys(inner)))
    if origin is dict:
        return ("map", tuple(dict.fromkeys(inner)))
    raise TypeError(f"cannot decode the container {origin!r}")


def _classify(value: Any) -> list[_Member]:
    if value is File:  # an upload: sent as it is, never decoded
        return [("value", "any")]
    args = typing.get_args(value)
    origin = typing.get_origin(value)
    if origin is typing.Union or isinstance(value, types.UnionType):
        return [member for arg in args for member in _classify(arg)]
    if origin in (list, dict):
        return [_container(origin, _classify(args[-1]))]
    if value is None or value is type(None) or value is Unset:
        return []
    if value in _PRIMITIVES:
        return [("value", _PRIMITIVES[value])]
    if value is Any:
        return [("value", "any")]
    if isinstance(value, type) and callable(getattr(value, "from_dict", None)):
        return [("model", value)]  # a runtime Model, or a template's own class
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return [("enum", value)]
    raise TypeError(f"cannot decode values of {value!r}")


# --- The runtime's other modules (see _runtime) --------------------------------

from ._decoders import _JSON_TYPES, _decoder_of
from ._enums import _json_type_fits
from ._runtime import File, Model, Unset
