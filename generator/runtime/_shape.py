# pyright: reportPrivateUsage=false
"""The bottom layer of docs2py's runtime: what a model is, and its shape.

Copied verbatim into every generated package, beside ``_runtime``, which
re-exports its public names and says how the runtime's modules are layered.

* ``UNSET``, ``DecodeError``, ``File``, the ``Model`` base class and the
  ``model`` decorator, deprecation warnings (``quietly``);
* ``Shape``: what a model class's JSON object looks like (its properties, JSON
  keys, required keys and resolved annotations), read from the class;
* which JSON values fit which types (``_JSON_TYPES``, ``_json_type_fits``, and
  how well a value fits a property, for ranking union variants).

Resolving an annotation: a model's annotations are strings (``from __future__
import annotations``), each parsed and its names looked up in the module that
wrote it, nothing evaluated; a union's type alias is a real typing object
(``_m.Cat | _m.Dog``), taken apart with typing.get_args.

``Model.from_dict``/``to_dict`` use the compiled codec of the layer above
(``_compiled``), which puts itself in ``_CODEC_OF`` when it is imported: the
runtime's one upward reference, made at run time, so that no module imports a
module above it.
"""

from __future__ import annotations

import ast
import builtins
import contextvars
import dataclasses
import enum
import inspect
import os
import sys
import types
import typing
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, TypeVar, cast

if TYPE_CHECKING:
    from typing_extensions import Self, dataclass_transform
else:

    def dataclass_transform(**kwargs: Any) -> Any:
        """Only type checkers read it (typing has it from Python 3.11 on)."""
        return lambda decorated: decorated


File = (
    bytes
    | os.PathLike[str]
    | typing.IO[bytes]
    | tuple[str, bytes | typing.IO[bytes]]
    | tuple[str, bytes | typing.IO[bytes], str]
)
"""A file to upload in a multipart body: its bytes, a path, a binary file
object, or ``(filename, content)`` / ``(filename, content, media type)``."""


class Unset(enum.Enum):
    """The type of ``UNSET``: a property that was absent from the JSON."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


UNSET: Final = Unset.UNSET


class DecodeError(ValueError):
    """A JSON value does not have the shape the docs describe."""


M = TypeVar("M", bound="Model")


class Model:
    """Base class of generated models: JSON decoding, encoding and unknown keys.

    What to decode is read from the subclass's fields: the JSON key is the
    attribute's name unless ``_renames`` maps it, a field without a default is
    required, and each annotation says how to decode its value.

    ``model`` adds ``_extra`` and ``_aliases`` to each class as its last fields
    (a class made otherwise, such as an attrs class, declares them itself), so
    that a model's signature starts with its own properties.
    """

    __slots__ = ()

    _extra: dict[str, Any]
    """JSON keys the docs do not list, kept as they came."""
    _aliases: dict[str, str] | None
    """documented key → the spelling it came with, where they differ."""

    _camel: ClassVar[bool] = False
    """JSON keys are the attributes in lowerCamelCase (``weight_kg`` → ``weightKg``)."""
    _renames: ClassVar[Mapping[str, str]] = {}
    """attribute → JSON key, where the key is not the attribute (or, with
    ``_camel``, not its lowerCamelCase)."""
    _keys: ClassVar[tuple[tuple[str, str], ...]] = ()
    """(attribute, JSON key) for every property; set it only for a class that
    is not a dataclass (then also set ``_required``); the annotations still
    say how to decode each value."""
    _required: ClassVar[frozenset[str]] = frozenset()
    """JSON keys of the required properties (with ``_keys``)."""
    _deprecated: ClassVar[frozenset[str]] = frozenset()
    """Attributes the docs mark deprecated: making a model with one set warns."""

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Decode a JSON object (raises ``DecodeError`` on a wrong shape)."""
        return cast("Self", _CODEC_OF[0](cls)[0](cls, data))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this model (absent optional properties left out)."""
        return _CODEC_OF[0](type(self))[1](self)


@dataclass_transform(kw_only_default=True)
def model(cls: type[M]) -> type[M]:
    """The decorator of generated models: a keyword-only, slotted dataclass
    that refuses UNSET for a required property and warns when it is made
    with a deprecated property set (``_post_init``)."""
    own = inspect.get_annotations(cls)
    if "_extra" not in own and not dataclasses.is_dataclass(cls):
        cls.__annotations__ = {**own, **_BOOKKEEPING}
        extra_keys: Any = dataclasses.field(default_factory=dict[str, Any], repr=False)
        aliases: Any = dataclasses.field(
            default=None, init=False, repr=False, compare=False
        )
        cls._extra, cls._aliases = extra_keys, aliases
    if "__post_init__" not in vars(cls):
        cls.__post_init__ = _post_init  # type: ignore[attr-defined]
    own_init = "__init__" in vars(cls)
    made = dataclasses.dataclass(kw_only=True, slots=True)(cls)
    if not own_init:
        _MADE[made] = vars(made)["__init__"]
    return made


_MADE: dict[type, object] = {}
"""Each class ``model`` made, with the ``__init__`` dataclasses wrote for it:
the compiled decoder fills the slots of such a class directly when nothing
else runs on ``__init__`` (see ``_compiled._plain_init``)."""


_BOOKKEEPING: Final = {"_extra": "dict[str, Any]", "_aliases": "dict[str, str] | None"}


_decoding: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "docs2py_decoding", default=False
)
"""True while ``from_dict`` makes a model: the server's data does not warn."""


_REQUIRED: dict[type, tuple[str, ...]] = {}
"""The attributes of each model class's required properties."""


def _post_init(self: Model) -> None:
    """A model made by hand: no required property may be UNSET (``to_dict``
    sends every required property), and a deprecated one set warns."""
    cls = type(self)
    required = _REQUIRED.get(cls)
    if required is None:
        required = _REQUIRED[cls] = tuple(
            f.name
            for f in dataclasses.fields(cast(Any, cls))
            if not f.name.startswith("_") and f.default is dataclasses.MISSING
        )
    for name in required:
        if getattr(self, name) is UNSET:
            raise TypeError(
                f"{cls.__name__}.{name} is required: it cannot be UNSET"
                " (only optional properties can be left out)"
            )
    if not self._deprecated or _decoding.get():
        return
    for name in sorted(self._deprecated):
        if getattr(self, name, UNSET) is not UNSET:
            message = f"{cls.__name__}.{name} is deprecated"
            warnings.warn(message, DeprecationWarning, stacklevel=3)


def quietly(make: Callable[[], M]) -> M:
    """``make()`` without deprecation warnings for the properties it sets."""
    token = _decoding.set(True)
    try:
        return make()
    finally:
        _decoding.reset(token)


_Codec = tuple[Callable[[Any, Any], Any], Callable[[Any], dict[str, Any]]]
"""A class's compiled ``from_dict`` (a function of the class and the data) and
``to_dict``."""
_CODEC_OF: list[Callable[[type[Model]], _Codec]] = []
"""The codec of a class: ``_compiled._codec``, which ``_compiled`` puts here
when it is imported."""


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


def _json_type_fits(cls: type, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if issubclass(cls, int) else isinstance(value, str)


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

    @classmethod
    def read(
        cls,
        model: type[Model],
        decoder_of: Callable[[list[_Member], str, str], Callable[[Any], Any]],
    ) -> Shape:
        """The shape of the class ``model``, read from its fields;
        ``decoder_of`` makes each property's decoder from its resolved
        annotation, the model's name and the key (``_decoders._decoder_of``)."""
        fields: list[tuple[str, str, Callable[[Any], Any]]] = []
        checks: list[tuple[str, Callable[[Any], int]]] = []
        resolved: list[list[_Member]] = []
        required: set[str] = set()
        for name, key, needed in _properties(model):
            hint, namespace = _annotation(model, name)
            members = _resolve(hint, namespace)
            resolved.append(members)
            fields.append((name, key, decoder_of(members, model.__name__, key)))
            checks.append((key, _fit_of(members)))
            if needed:
                required.add(key)
        known = frozenset(k for _, k, _ in fields)
        scalar = frozenset(
            name
            for (name, _, _), members in zip(fields, resolved, strict=True)
            if _is_scalar(members)
        )
        return cls(
            tuple(fields),
            frozenset(required),
            known,
            tuple(checks),
            _squashed(known),
            tuple(resolved),
            scalar,
            bool(model._deprecated),
        )


def camel_key(attribute: str) -> str:
    """``weight_kg`` → ``weightKg`` (the JSON key of a ``_camel`` model)."""
    head, *rest = attribute.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


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


def _is_scalar(members: list[_Member]) -> bool:
    return bool(members) and all(k == "value" and w != "any" for k, w in members)


def _squash(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _squashed(known: frozenset[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in sorted(known):
        out.setdefault(_squash(key), key)
    return out


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
