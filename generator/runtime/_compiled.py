# pyright: reportPrivateUsage=false
"""Compiled codecs: part of docs2py's runtime, the layer above ``_decoders``.

Copied verbatim into every generated package, beside ``_runtime``, which
re-exports its public names (``compiled_fit``, ``compiled_decoder``,
``fast_union``) and says how the runtime's modules are layered.

Straight-line ``from_dict``/``to_dict`` per class (``_codec``, set on the
class on first use, and installed as ``Model``'s codec when this module is
imported), decoders per annotation, a model variant's typed fit and the
union ranking built on it (``fast_union``), with the same results as the
generic code (``generic_from_dict``, ``_decoder_of``, ``decode_union``;
tests/test_codec.py checks it).  The source is built only from the class's
field names (checked identifiers) and its JSON keys (``repr`` literals); every
other value is bound by reference into the namespace it runs in.
"""

from __future__ import annotations

import enum
import keyword
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, cast

from ._decoders import (
    _PLAIN,
    _decoder_of,
    _first_that_decodes,
    _variant,
    canonical,
    encode,
    extra,
    generic_from_dict,
    generic_to_dict,
    keep,
    shape_of,
)
from ._enums import _JsonEnumType
from ._shape import (
    _CODEC_OF,
    UNSET,
    DecodeError,
    Model,
    Shape,
    _Codec,
    _is_scalar,
    _Member,
    quietly,
)

_CODECS: dict[type, _Codec] = {}


def _codec(cls: type[Model]) -> _Codec:
    """The compiled from_dict and to_dict of ``cls``, made on first use and set
    on the class (unless a class between it and Model defines its own)."""
    found = _CODECS.get(cls)
    if found is None:
        try:
            found = _compile_codec(cls)
        except _NotCompiled:
            found = (generic_from_dict, generic_to_dict)
        _CODECS[cls] = found
        methods: dict[str, object] = {
            "from_dict": classmethod(found[0]),
            "to_dict": found[1],
        }
        for name, method in methods.items():
            if not _overridden(cls, name):
                setattr(cls, name, method)
    return found


def _from_dict_of(cls: type[Model], data: Any) -> Any:
    """A subclass met by its parent's compiled code: its own codec."""
    return _codec(cls)[0](cls, data)


def _to_dict_of(obj: Model) -> dict[str, Any]:
    return _codec(type(obj))[1](obj)


class _NotCompiled(TypeError):
    """A class whose codec cannot be compiled (it keeps the generic one)."""


def _overridden(cls: type, name: str) -> bool:
    for klass in cls.__mro__:
        if klass is Model:
            return False
        own = vars(klass).get(name)
        if own is not None and not hasattr(getattr(own, "__func__", own), "_compiled"):
            return True
    return False


class _Emitter:
    """Python source for decoding and encoding values of resolved members.

    Everything but names it makes itself and JSON keys (``repr`` literals) is
    bound into the namespace the source runs in.
    """

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.names: dict[str, Any] = {
            "_U": UNSET,
            "_enc": encode,
            "_Mapping": Mapping,
            "_DecodeError": DecodeError,
            "_P": _PLAIN,
        }
        self.bound: dict[int, str] = {}

    def bind(self, value: Any) -> str:
        name = self.bound.get(id(value))
        if name is None:
            name = self.bound[id(value)] = f"_b{len(self.bound)}"
            self.names[name] = value
        return name

    def decode(
        self, members: Sequence[_Member], var: str, depth: int = 0, owner: str = ""
    ) -> str:
        """An expression decoding ``var`` into one of ``members`` (the owner of
        an item is "item", as ``_decoder_of`` names it)."""
        members = list(dict.fromkeys(members))
        owner = owner or self.owner
        if not members or (len(members) == 1 and members[0][0] == "value"):
            return var
        if len(members) > 1:
            return f"{self.bind(fast_union(owner, members))}({var})"
        kind, what = members[0]
        if kind == "model":
            return f"{self.bind(what)}.from_dict({var})"
        if kind == "enum":
            if not isinstance(what, _JsonEnumType):
                return f"{self.bind(what)}({var})"
            table = self.bind(what._value2member_map_)
            json_type = self.bind(int if issubclass(what, int) else str)
            known = f"{var}.__class__ is {json_type} and {var} in {table}"
            return f"({table}[{var}] if {known} else {self.bind(what)}({var}))"
        item = f"_i{depth}"
        inner = self.decode(what, item, depth + 1, "item")
        value = item if inner == item else f"None if {item} is None else {inner}"
        generic = self.bind(_decoder_of([(kind, what)], owner))
        if kind == "list":
            fast = f"list({var})" if value == item else f"[{value} for {item} in {var}]"
            return f"({fast} if {var}.__class__ is list else {generic}({var}))"
        pairs = f"{var}.items()"
        fast = (
            f"dict({var})"
            if value == item
            else f"{{_k{depth}: {value} for _k{depth}, {item} in {pairs}}}"
        )
        return f"({fast} if {var}.__class__ is dict else {generic}({var}))"

    def encode(self, members: Sequence[_Member], var: str, depth: int = 0) -> str:
        """An expression encoding ``var`` as plain JSON (like ``encode``)."""
        members = list(dict.fromkeys(members))
        generic = f"_enc({var})"
        if len(members) != 1 or members[0] == ("value", "any"):
            return generic
        kind, what = members[0]
        if kind == "value":
            return f"({var} if {var}.__class__ in _P else {generic})"
        if kind in ("model", "enum"):
            out = "to_dict()" if kind == "model" else "_value_"
            return (
                f"({var}.{out} if {var}.__class__ is {self.bind(what)} else {generic})"
            )
        item = f"_i{depth}"
        inner = self.encode(what, item, depth + 1)
        if inner == f"_enc({item})":
            return generic
        if kind == "list":
            each = f"[{inner} for {item} in {var}]"
            return f"({each} if {var}.__class__ is list else {generic})"
        pairs = f"_k{depth}: {inner} for _k{depth}, {item} in {var}.items()"
        return f"({{{pairs}}} if {var}.__class__ is dict else {generic})"

    def fit(self, members: Sequence[_Member], var: str) -> str | None:
        """An expression for how well ``var`` (not None) fits (as ``_fit_of``)."""
        parts: list[str] = []
        for kind, what in dict.fromkeys(members):
            if kind == "enum":
                check = _JSON_CHECKS["int" if issubclass(what, int) else "str"]
                table = self.bind(cast("type[enum.Enum]", what)._value2member_map_)
                parts.append(f"((2 if {{x}} in {table} else 0) if {check} else -1)")
            elif kind in ("model", "map", "list"):
                check = _JSON_CHECKS["list" if kind == "list" else "map"]
                parts.append(f"(1 if {check} else -1)")
            elif what == "any":
                parts.append("0")
            else:
                parts.append(f"(1 if {_JSON_CHECKS[what]} else -1)")
        if not parts:
            return None
        best = parts[0] if len(parts) == 1 else f"max(-1, {', '.join(parts)})"
        return best.format(x=var)

    def run(self, source: str, name: str) -> Any:
        code = compile(source, f"<docs2py {name} of {self.owner}>", "exec")
        exec(code, self.names)  # noqa: S102 (only checked names and repr literals)
        made = self.names[name]
        made._compiled = True
        return made


def _checked(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise _NotCompiled(f"cannot compile a codec for the attribute {name!r}")
    return name


def _compile_codec(cls: type[Model]) -> _Codec:
    shape = shape_of(cls)
    emit = _Emitter(cls.__name__)
    emit.names.update(_kn=shape.known.issuperset, _canonical=canonical, _extra=extra)
    emit.names.update(_other_from=_from_dict_of, _other_to=_to_dict_of)
    emit.names["_missing"] = _missing
    own = emit.bind(cls)
    props = [
        (_checked(name), repr(key), key in shape.required, members)
        for (name, key, _), members in zip(shape.fields, shape.types, strict=True)
    ]
    from_dict = emit.run(_decode_source(emit, own, shape, props), "from_dict")
    to_dict = emit.run(_encode_source(emit, own, props), "to_dict")
    return from_dict, to_dict


_Prop = tuple[str, str, bool, list[_Member]]
"""(attribute, JSON key as a literal, required, resolved annotation)."""


def _argument(emit: _Emitter, prop: _Prop) -> str:
    """``attribute=<the decoded value>`` for the call that makes the model."""
    name, key, needed, members = prop
    value = emit.decode(members, "_v")
    get = f"_d[{key}]" if needed else f"_get({key}, _U)"
    if value == "_v":
        return f"{name}={get}"
    absent = "" if needed else " or _v is _U"
    return f"{name}=(_v if (_v := {get}) is None{absent} else {value})"


def _decode_source(emit: _Emitter, own: str, shape: Shape, props: list[_Prop]) -> str:
    owner = emit.bind(emit.owner)
    required_keys = emit.bind(
        tuple(k for _, k, _ in shape.fields if k in shape.required)
    )
    args = "".join(f"{_argument(emit, prop)}, " for prop in props) + "_extra=_x"
    make = f"_r = cls({args})"
    if shape.deprecated:
        emit.names["_quietly"] = quietly
        make = f"_r = _quietly(lambda: cls({args}))"
    return f"""\
def from_dict(cls, data):
    if cls is not {own}:
        return _other_from(cls, data)
    if data.__class__ is not dict and not isinstance(data, _Mapping):
        kind = type(data).__name__
        raise _DecodeError({owner} + ": expected a JSON object, got " + kind)
    _d = data
    _al = None
    if _kn(_d):
        _x = {{}}
    else:
        _d, _al = _canonical(_d, cls)
        _x = _extra(_d, cls)
    _get = _d.get
    try:
        {make}
    except KeyError:
        _missing(_d, {required_keys}, {owner})
        raise
    if _al is not None:
        _r._aliases = _al
    return _r
"""


def _encode_source(emit: _Emitter, own: str, props: list[_Prop]) -> str:
    lines = [
        "def to_dict(self):",
        f"    if self.__class__ is not {own}:",
        "        return _other_to(self)",
        "    _o = {}",
    ]
    for name, key, _, members in props:
        lines.append(f"    _v = self.{name}")
        value = "_v" if _is_scalar(members) else emit.encode(members, "_v")
        lines.append(f"    if _v is not _U: _o[{key}] = {value}")
    lines += [
        "    if self._aliases:",
        "        _o = {self._aliases.get(_k, _k): _i for _k, _i in _o.items()}",
        "    if self._extra:",
        "        for _k, _i in self._extra.items():",
        "            _o.setdefault(_k, _i)",
        "    return _o",
    ]
    return "\n".join(lines) + "\n"


def _missing(data: Mapping[str, Any], keys: tuple[str, ...], owner: str) -> None:
    """Raise the DecodeError for the first required key that ``data`` lacks."""
    for key in keys:
        if key not in data:
            raise DecodeError(f"{owner}: missing required key {key!r}")


_JSON_CHECKS: Final = {
    "str": "{x}.__class__ is str or isinstance({x}, str)",
    "bytes": "{x}.__class__ is str or isinstance({x}, str)",
    "int": "{x}.__class__ is not bool and isinstance({x}, int)",
    "float": "{x}.__class__ is not bool and isinstance({x}, (int, float))",
    "bool": "{x}.__class__ is bool",
    "list": "isinstance({x}, list)",
    "map": "{x}.__class__ is dict or isinstance({x}, _Mapping)",
}
"""What ``_json_type_fits`` and ``_fit_one`` check, as expressions of ``x``."""
_FITS: dict[type, Callable[[Any], int]] = {}


def compiled_fit(cls: type[Model]) -> Callable[[Any], int]:
    """The third part of a model variant's union score (what its values fit,
    as ``model_variant`` sums it), compiled once per class."""
    found = _FITS.get(cls)
    if found is None:
        shape = shape_of(cls)
        emit = _Emitter(cls.__name__)
        lines = ["def fit(value):", "    _t = 0", "    _get = value.get"]
        for (_, key, _), members in zip(shape.fields, shape.types, strict=True):
            fit = emit.fit(members, "_x")
            if fit is not None:
                lines.append(f"    _x = _get({key!r}, _U)")
                lines.append(f"    if _x is not None and _x is not _U: _t += {fit}")
        source = "\n".join([*lines, "    return _t\n"])
        found = _FITS[cls] = emit.run(source, "fit")
    return found


def compiled_decoder(members: list[_Member], owner: str) -> Callable[[Any], Any]:
    """A compiled function decoding JSON into one of ``members`` (as
    ``_decoder_of`` does)."""
    emit = _Emitter(owner)
    body = emit.decode(members, "value")
    if body == "value":
        return keep
    return cast(
        Callable[[Any], Any],
        emit.run(f"def decode(value):\n    return {body}\n", "decode"),
    )


# --- Unions: the ranking, with compiled typed fits ---------------------------


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


_CODEC_OF[:] = [_codec]  # Model.from_dict/to_dict use it (see _shape)
