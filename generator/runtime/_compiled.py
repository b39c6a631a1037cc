# pyright: reportPrivateUsage=false
"""Compiled codecs: part of docs2py's runtime, the layer above ``_unions``.

Copied verbatim into every generated package, beside ``_runtime``, which
re-exports its public names (``compiled_decoder``) and says how the runtime's
modules are layered.

Straight-line ``from_dict``/``to_dict`` per class (``_codec``, set on the
class on first use, and installed as ``Model``'s codec when this module is
imported) and decoders per annotation, with the same results as the generic
code (``generic_from_dict``, ``generic_to_dict``, ``_decoder_of``;
tests/test_codec.py checks it).  The source is built only from the class's
field names (checked identifiers) and its JSON keys (``repr`` literals); every
other value is bound by reference into the namespace it runs in.

What makes it quick: a class that ``model`` made gets its slots filled
directly (nothing else runs on its ``__init__``); a nested model's codec is
called directly, found on first use (``_Emitter.lazy``); a property of a
scalar type has its JSON type checked inline; ``to_dict`` makes the required
properties' dict in one display, and encodes ``None``, ``Any`` values and
unions of models inline.
"""

from __future__ import annotations

import dataclasses
import keyword
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from ._decoders import (
    _EXPECTED,
    _PLAIN,
    _decoder_of,
    canonical,
    encode,
    extra,
    generic_from_dict,
    generic_to_dict,
    keep,
    scalar,
    shape_of,
)
from ._enums import _JsonEnumType
from ._shape import (
    _CODEC_OF,
    _MADE,
    DecodeError,
    Model,
    Shape,
    _Codec,
    _is_scalar,
    _Member,
    _post_init,
    quietly,
)
from ._unions import _Code, _model_decoder, fast_union

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


def _to_dict_of(obj: Any) -> Any:
    """A value met by the compiled to_dict of a class it is not of (a
    property's encoder calls it on whatever the property holds): as
    ``encode`` encodes it (a model's own ``to_dict``)."""
    if not isinstance(obj, Model):
        return encode(obj)
    _codec(type(obj))
    return type(obj).to_dict(obj)


def _model_encoder(cls: type[Model]) -> Callable[[Any], Any]:
    """The encoder of a property of the model class ``cls``, whatever it
    holds: its compiled ``to_dict`` (which hands a value of another class to
    ``_to_dict_of``), or ``encode`` if the class has its own."""
    to_dict = _codec(cls)[1]
    if cls.to_dict is to_dict and getattr(to_dict, "_compiled", False):
        return to_dict
    return encode


def _plain_init(cls: type, properties: Sequence[str]) -> bool:
    """Whether making ``cls`` only stores its fields: ``model`` made it and
    its ``__init__``, and nothing that ``__init__`` calls or a store goes
    through (``__post_init__`` other than ``_post_init``, whose checks
    decoding needs not, ``__setattr__``) is a class's own; its fields are
    ``properties``, ``_extra`` and ``_aliases``."""
    if _MADE.get(cls) is not vars(cls).get("__init__"):
        return False
    if getattr(cls, "__post_init__", _post_init) is not _post_init:
        return False
    if cast(Any, cls).__setattr__ is not object.__setattr__:
        return False
    names = [f.name for f in dataclasses.fields(cast(Any, cls))]
    return sorted(names) == sorted([*properties, "_extra", "_aliases"])


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


class _Emitter(_Code):
    """Python source for decoding and encoding values of resolved members."""

    def __init__(self, owner: str) -> None:
        super().__init__(owner)
        self.names.update(_enc=encode, _DecodeError=DecodeError, _P=_PLAIN)
        self.lazies: dict[tuple[str, int], str] = {}

    def lazy(self, what: str, cls: type[Model]) -> str:
        """The name of ``cls``'s decoder (``what`` "from") or encoder ("to"),
        a function of one value: at first a stand-in that finds it (compiling
        the class's codec), puts it in its place and calls it."""
        found = self.lazies.get((what, id(cls)))
        if found is not None:
            return found
        name = self.lazies[what, id(cls)] = f"_{what}{len(self.lazies)}"
        names = self.names
        find = _model_decoder if what == "from" else _model_encoder

        def first(value: Any) -> Any:
            function = names[name] = find(cls)
            return function(value)

        names[name] = first
        self.bind(cls)  # kept alive by the namespace, as every bound value
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
            if isinstance(what, type) and issubclass(what, Model):
                return f"{self.lazy('from', what)}({var})"
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
        if len(members) == 1 and members[0][0] in ("list", "map"):
            kind, what = members[0]
            item = f"_i{depth}"
            inner = self.encode(what, item, depth + 1)
            if kind == "list":
                fast, exact = f"[{inner} for {item} in {var}]", "list"
            else:
                pairs = f"_k{depth}: {inner} for _k{depth}, {item} in {var}.items()"
                fast, exact = f"{{{pairs}}}", "dict"
            return f"({fast} if {var}.__class__ is {exact} else {self._rest(var)})"
        if len(members) == 1 and members[0][0] in ("model", "enum"):
            kind, what = members[0]
            if kind == "model" and isinstance(what, type) and issubclass(what, Model):
                return f"(None if {var} is None else {self.lazy('to', what)}({var}))"
            fast = f"{var}._value_" if kind == "enum" else f"{var}.to_dict()"
            rest = self._rest(var)
            return f"({fast} if {var}.__class__ is {self.bind(what)} else {rest})"
        parts: list[str] = []
        for kind, method in (("model", "to_dict()"), ("enum", "_value_")):
            classes = frozenset(what for k, what in members if k == kind)
            if classes:
                parts.append(
                    f"{var}.{method} if {var}.__class__ in {self.bind(classes)}"
                )
        parts += [f"{var} if {var}.__class__ in _P", generic]
        return f"({' else '.join(parts)})" if members else generic

    def _rest(self, var: str) -> str:
        """What a value of an unexpected class encodes to (None at once)."""
        return f"None if {var} is None else _enc({var})"


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
        (_checked(name), key, key in shape.required, members)
        for (name, key, _), members in zip(shape.fields, shape.types, strict=True)
    ]
    plain = _plain_init(cls, [name for name, _, _, _ in props])
    from_dict = emit.run(_decode_source(emit, own, shape, props, plain), "from_dict")
    to_dict = emit.run(_encode_source(emit, own, props), "to_dict")
    return from_dict, to_dict


_Prop = tuple[str, str, bool, list[_Member]]
"""(attribute, JSON key, required, resolved annotation)."""

_TYPE_CHECKS = {
    "str": "(_v := {get}).__class__ is str",
    "bytes": "(_v := {get}).__class__ is str",
    "int": "(_v := {get}).__class__ is int",
    "float": "(_c := (_v := {get}).__class__) is float or _c is int",
    "bool": "(_v := {get}).__class__ is bool",
}
"""The common case of ``scalar``'s check, inline (others call it)."""


def _value(emit: _Emitter, prop: _Prop) -> str:
    """The expression of a property's decoded value."""
    _, key, needed, members = prop
    get = f"_d[{key!r}]" if needed else f"_get({key!r}, _U)"
    absent = "" if needed else " or _v is _U"
    kinds = list(dict.fromkeys(members))
    if len(kinds) == 1 and kinds[0][0] == "value" and kinds[0][1] in _EXPECTED:
        check = emit.bind(scalar(kinds[0][1], emit.owner, key))
        fits = _TYPE_CHECKS[kinds[0][1]].format(get=get)
        return f"(_v if {fits} or _v is None{absent} else {check}(_v))"
    value = emit.decode(members, "_v")
    if value == "_v":
        return get
    return f"(_v if (_v := {get}) is None{absent} else {value})"


def _decode_source(
    emit: _Emitter, own: str, shape: Shape, props: list[_Prop], plain: bool
) -> str:
    owner = emit.bind(emit.owner)
    required_keys = emit.bind(
        tuple(k for _, k, _ in shape.fields if k in shape.required)
    )
    if plain:
        emit.names["_new"] = object.__new__
        lines = [f"_r.{p[0]} = {_value(emit, p)}" for p in props]
        make = ["_r = _new(cls)"]
        done = ["_r._extra = _x", "_r._aliases = _al"]
    else:
        args = "".join(f"{p[0]}={_value(emit, p)}, " for p in props) + "_extra=_x"
        call = f"cls({args})"
        if shape.deprecated:
            emit.names["_quietly"] = quietly
            call = f"_quietly(lambda: {call})"
        make, lines = [], [f"_r = {call}"]
        done = ["if _al is not None:", "    _r._aliases = _al"]
    if not props:
        body = make + lines
    else:
        body = [*make, "try:", *(f"    {line}" for line in lines)]
        body += ["except KeyError:", f"    _missing(_d, {required_keys}, {owner})"]
        body += ["    raise"]
    head = f"""\
def from_dict(cls, data):
    if cls is not {own}:
        return _other_from(cls, data)
    if data.__class__ is not dict and not isinstance(data, _Mapping):
        kind = type(data).__name__
        raise _DecodeError({owner} + ": expected a JSON object, got " + kind)
    if _kn(data):
        _d = data
        _x = {{}}
        _al = None
    else:
        _d, _al = _canonical(data, cls)
        _x = _extra(_d, cls)
"""
    if not all(needed for _, _, needed, _ in props):
        head += "    _get = _d.get\n"
    return head + "".join(f"    {line}\n" for line in [*body, *done, "return _r"])


def _encode_source(emit: _Emitter, own: str, props: list[_Prop]) -> str:
    """``to_dict``: the required properties in one display (a model refuses
    UNSET for them when it is made, see ``_shape._post_init``), then each
    optional one that is set."""
    items = [f"{p[1]!r}: {_encoded(emit, p, 'self.' + p[0])}" for p in props if p[2]]
    lines = [
        "def to_dict(self):",
        f"    if self.__class__ is not {own}:",
        "        return _other_to(self)",
        f"    _o = {{{', '.join(items)}}}",
    ]
    for prop in props:
        if not prop[2]:
            lines.append(f"    _v = self.{prop[0]}")
            value = _encoded(emit, prop)
            lines.append(f"    if _v is not _U: _o[{prop[1]!r}] = {value}")
    lines += [
        "    if self._aliases:",
        "        _o = {self._aliases.get(_k, _k): _i for _k, _i in _o.items()}",
        "    if self._extra:",
        "        for _k, _i in self._extra.items():",
        "            _o.setdefault(_k, _i)",
        "    return _o",
    ]
    return "\n".join(lines) + "\n"


def _encoded(emit: _Emitter, prop: _Prop, var: str = "_v") -> str:
    members = prop[3]
    return var if _is_scalar(members) else emit.encode(members, var)


def _missing(data: Mapping[str, Any], keys: tuple[str, ...], owner: str) -> None:
    """Raise the DecodeError for the first required key that ``data`` lacks."""
    for key in keys:
        if key not in data:
            raise DecodeError(f"{owner}: missing required key {key!r}")


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


_CODEC_OF[:] = [_codec]  # Model.from_dict/to_dict use it (see _shape)
