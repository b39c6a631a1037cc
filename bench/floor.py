"""A fair floor for docs2py's codec, for bench/runtime.py: straight-line code.

``emit(package, roots)`` writes a module of plain functions, ``dec_X(data)``
and ``enc_X(obj)`` for every model class that ``roots`` reach, on the
package's **own** classes and enums (so their results can be compared with
docs2py's, object for object), with every rule docs2py follows:

* UNSET for an absent optional key, ``null`` kept as None, a missing required
  key a DecodeError naming the model and key;
* unknown keys kept in ``_extra`` (only when there are any: one
  ``issuperset`` test per object), documented keys spelled differently
  through ``_rt.canonical`` and sent back under their spelling;
* enum values looked up in the enum's value map first, unlisted ones through
  the enum (its pseudo-members); a scalar property's JSON type checked;
* unions: variants with the same keys grouped, a discriminator (one enum
  property whose listed values tell the variants apart) dispatched on, and
  the full ranking (required keys, shared keys, typed fit, first among
  equals, the next variant on a DecodeError) where that cannot decide;
* to_dict: required properties in one dict display, optional ones when set,
  aliases and ``_extra`` as docs2py sends them.

It is what a careful person writes by hand from the docs, knowing the rules;
objects are made through the class's constructor, as such code does.  The
types come from the classes' resolved annotations (``_rt.shape_of``), so the
floor decodes exactly the types docs2py does.  Bench code, never product.
"""

from __future__ import annotations

import enum
from typing import Any

_CHECK = {
    "str": "{x}.__class__ is str",
    "bytes": "{x}.__class__ is str",
    "int": "{x}.__class__ is int",
    "float": "({x}.__class__ is float or {x}.__class__ is int)",
    "bool": "{x}.__class__ is bool",
}
_FIT_CHECK = {
    "str": "isinstance({x}, str)",
    "bytes": "isinstance({x}, str)",
    "int": "(isinstance({x}, int) and not isinstance({x}, bool))",
    "float": "(isinstance({x}, (int, float)) and not isinstance({x}, bool))",
    "bool": "isinstance({x}, bool)",
    "list": "isinstance({x}, list)",
    "map": "isinstance({x}, Mapping)",
}


class _Floor:
    def __init__(self, rt: Any) -> None:
        self.rt = rt
        self.models: dict[str, type] = {}
        self.enums: dict[str, type] = {}
        self.functions: list[str] = []
        self.helpers: dict[str, str] = {}

    # --- what the roots reach ------------------------------------------------

    def visit(self, cls: type) -> None:
        if cls.__name__ in self.models:
            return
        self.models[cls.__name__] = cls
        for members in self.rt.shape_of(cls).types:
            self.visit_members(members)

    def visit_members(self, members: Any) -> None:
        for kind, what in members:
            if kind == "model":
                self.visit(what)
            elif kind == "enum":
                self.enums[what.__name__] = what
            elif kind in ("list", "map"):
                self.visit_members(what)

    # --- decoding -------------------------------------------------------------

    def dec(self, members: list[tuple[str, Any]], x: str, depth: int = 0) -> str | None:
        """An expression decoding ``x`` (not None), or None: nothing to do."""
        members = list(dict.fromkeys(members))
        if not members or (len(members) == 1 and members[0][0] == "value"):
            return None
        if len(members) > 1:
            return f"{self.union(members)}({x})"
        kind, what = members[0]
        if kind == "model":
            return f"dec_{what.__name__}({x})"
        if kind == "enum":
            json_type = "int" if issubclass(what, int) else "str"
            table = f"E_{what.__name__}"
            return (
                f"({table}[{x}] if {x}.__class__ is {json_type} and {x} in {table}"
                f" else {what.__name__}({x}))"
            )
        item = f"i{depth}"
        inner = self.dec(list(what), item, depth + 1)
        if inner is None:
            copy, exact, bad = (
                ("list", "list", "not_list")
                if kind == "list"
                else ("dict", "dict", "not_map")
            )
            return f"({copy}({x}) if {x}.__class__ is {exact} else {bad}({x}))"
        value = f"None if {item} is None else {inner}"
        if kind == "list":
            return f"([{value} for {item} in {x}] if {x}.__class__ is list else not_list({x}))"
        return (
            f"({{k{depth}: {value} for k{depth}, {item} in {x}.items()}}"
            f" if {x}.__class__ is dict else not_map({x}))"
        )

    def decoder(self, cls: type) -> str:
        rt, name = self.rt, cls.__name__
        shape = rt.shape_of(cls)
        lines = [
            f"def dec_{name}(data):",
            "    if data.__class__ is not dict and not isinstance(data, Mapping):",
            f'        raise DecodeError(f"{name}: expected a JSON object, got {{type(data).__name__}}")',
            f"    if K_{name}.issuperset(data):",
            "        extra = {}",
            "        aliases = None",
            "    else:",
            f"        data, aliases = canonical(data, {name})",
            f"        extra = {{k: x for k, x in data.items() if k not in K_{name}}}",
        ]
        args = []
        for n, ((attr, key, _), members) in enumerate(
            zip(shape.fields, shape.types, strict=True)
        ):
            v = f"v{n}"
            args.append(f"{attr}={v}")
            if key in shape.required:
                lines += [
                    "    try:",
                    f"        {v} = data[{key!r}]",
                    "    except KeyError:",
                    f"        raise DecodeError({name + ': missing required key ' + repr(key)!r}) from None",
                ]
                present = f"{v} is not None"
            else:
                lines.append(f"    {v} = data.get({key!r}, UNSET)")
                present = f"{v} is not None and {v} is not UNSET"
            kinds = list(dict.fromkeys(members))
            if len(kinds) == 1 and kinds[0][0] == "value" and kinds[0][1] in _CHECK:
                check = _CHECK[kinds[0][1]].format(x=v)
                lines += [
                    f"    if not {check} and {present}:",
                    f"        {v} = wrong_type({v}, {kinds[0][1]!r}, {name!r}, {key!r})",
                ]
                continue
            decoded = self.dec(members, v)
            if decoded is not None:
                lines += [f"    if {present}:", f"        {v} = {decoded}"]
        make = f"{name}({', '.join([*args, '_extra=extra'])})"
        if shape.deprecated:
            make = f"quietly(lambda: {make})"
        lines += [
            f"    obj = {make}",
            "    if aliases is not None:",
            "        obj._aliases = aliases",
            "    return obj",
        ]
        return "\n".join(lines) + "\n"

    # --- unions -----------------------------------------------------------------

    def union(self, members: list[tuple[str, Any]]) -> str:
        key = repr(members)
        if key in self.helpers:
            return self.helpers[key]
        name = self.helpers[key] = f"union{len(self.helpers)}"
        self.functions.append(self.union_source(name, members))
        return name

    def union_source(self, name: str, members: list[tuple[str, Any]]) -> str:
        rt = self.rt
        groups: dict[tuple[frozenset[str], frozenset[str]], list[type]] = {}
        for kind, what in members:
            if kind == "model":
                shape = rt.shape_of(what)
                groups.setdefault((shape.required, shape.known), []).append(what)
        objects = [
            (kind, what)
            for kind, what in members
            if kind == "map" or (kind == "value" and what == "any")
        ]
        lines = [
            f"def {name}(value):",
            "    if value.__class__ is dict or isinstance(value, Mapping):",
            "        n = len(value)",
            "        best = None",
            "        top = -1",
            "        tied = False",
        ]
        dispatch: list[str] = []
        for index, ((required, known), classes) in enumerate(groups.items()):
            test = " and ".join(f"{k!r} in value" for k in sorted(required)) or "True"
            rest = sorted(known - required)
            count = " + ".join(
                [str(len(required)), *(f"({k!r} in value)" for k in rest)]
            )
            lines += [
                f"        if {test}:",
                f"            s = ({len(required)}, 2 * ({count}) - n)",
                "            if best is None or s > best:",
                f"                best, top, tied = s, {index}, False",
                "            elif s == best:",
                "                tied = True",
            ]
            dispatch += self.group_dispatch(index, classes)
        if objects:  # a map or Any variant competes with the models
            score = "(0, 0)" if any(k == "map" for k, _ in objects) else "(-1, 0)"
            lines += [
                f"        if best is None or {score} >= best:",
                "            tied = True",
            ]
        lines += ["        if not tied:", *dispatch] if dispatch else []
        lines.append(f"    return {name}_all(value)")
        return "\n".join(lines) + "\n\n\n" + self.ranking(f"{name}_all", members)

    def group_dispatch(self, index: int, classes: list[type]) -> list[str]:
        """Lines that return the group's decoded value when it is certain."""
        if len(classes) == 1:
            decode = f"dec_{classes[0].__name__}(value)"
        else:
            found = _discriminator(self.rt, classes)
            if found is None:
                return []
            key, json_type, table = found
            self.functions.append(
                f"D{index}_{id(classes)} = {{"
                + ", ".join(
                    f"{v!r}: dec_{classes[i].__name__}" for v, i in table.items()
                )
                + "}\n"
            )
            return [
                f"            if top == {index}:",
                f"                t = value.get({key!r})",
                f"                f = D{index}_{id(classes)}.get(t) if t.__class__ is {json_type.__name__} else None",
                "                if f is not None:",
                "                    try:",
                "                        return f(value)",
                "                    except DecodeError:",
                "                        pass",
            ]
        return [
            f"            if top == {index}:",
            "                try:",
            f"                    return {decode}",
            "                except DecodeError:",
            "                    pass",
        ]

    def ranking(self, name: str, members: list[tuple[str, Any]]) -> str:
        """The full ranking, straight-line: every variant scored."""
        rt = self.rt
        lines = [f"def {name}(value):", "    ranked = []"]
        models = [(i, w) for i, (k, w) in enumerate(members) if k == "model"]
        if models:
            lines += ["    if isinstance(value, Mapping):", "        n = len(value)"]
        for i, cls in models:
            shape = rt.shape_of(cls)
            test = (
                " and ".join(f"{k!r} in value" for k in sorted(shape.required))
                or "True"
            )
            known = " + ".join(f"({k!r} in value)" for k in sorted(shape.known)) or "0"
            lines += [f"        if {test}:", "            typed = 0"]
            for (_, key, _), types in zip(shape.fields, shape.types, strict=True):
                fit = self.fit(types, "x")
                if fit != "0":
                    lines += [
                        f"            x = value.get({key!r})",
                        f"            if x is not None: typed += {fit}",
                    ]
            lines.append(
                f"            ranked.append(({len(shape.required)}, 2 * ({known}) - n,"
                f" typed, {-i}, dec_{cls.__name__}))"
            )
        for i, (kind, what) in enumerate(members):
            if kind == "model":
                continue
            if kind == "enum":
                json_type = "int" if issubclass(what, int) else "str"
                check = _FIT_CHECK[json_type].format(x="value")
                lines += [
                    f"    if {check} and value in E_{what.__name__}:",
                    f"        ranked.append((1, 0, 0, {-i}, {what.__name__}))",
                ]
                continue
            if kind in ("list", "map"):
                decode = self.dec([(kind, what)], "v")
                helper = f"lambda v: {decode}" if decode else "keep"
                check, score = _FIT_CHECK[kind].format(x="value"), 0
            elif what == "any":
                helper, check, score = "keep", "True", -1
            else:
                helper, check, score = "keep", _FIT_CHECK[what].format(x="value"), 0
            lines += [
                f"    if {check}:",
                f"        ranked.append(({score}, 0, 0, {-i}, {helper}))",
            ]
        lines += [
            "    if not ranked:",
            '        raise DecodeError("union: the value fits none of the union\'s variants")',
            "    ranked.sort(key=lambda r: r[:4], reverse=True)",
            "    error = None",
            "    for *_, decode in ranked:",
            "        try:",
            "            return decode(value)",
            "        except DecodeError as exc:",
            "            error = error or exc",
            "    raise error",
        ]
        return "\n".join(lines) + "\n"

    def fit(self, members: list[tuple[str, Any]], x: str) -> str:
        parts = []
        for kind, what in dict.fromkeys(members):
            if kind == "enum":
                json_type = "int" if issubclass(what, int) else "str"
                check = _FIT_CHECK[json_type].format(x=x)
                parts.append(
                    f"((2 if {x} in E_{what.__name__} else 0) if {check} else -1)"
                )
            elif kind in ("model", "map", "list"):
                check = _FIT_CHECK["list" if kind == "list" else "map"].format(x=x)
                parts.append(f"(1 if {check} else -1)")
            elif what == "any":
                parts.append("0")
            else:
                parts.append(f"(1 if {_FIT_CHECK[what].format(x=x)} else -1)")
        if not parts:
            return "0"
        return parts[0] if len(parts) == 1 else f"max(-1, {', '.join(parts)})"

    # --- encoding -------------------------------------------------------------

    def enc(self, members: list[tuple[str, Any]], x: str, depth: int = 0) -> str:
        """An expression encoding ``x`` (which may be None)."""
        members = list(dict.fromkeys(members))
        if len(members) == 1:
            kind, what = members[0]
            if kind == "value" and what != "any":
                return x
            if kind == "model":
                return f"(None if {x} is None else enc_{what.__name__}({x}))"
            if kind == "enum":
                return f"(None if {x} is None else {x}._value_)"
            if kind in ("list", "map"):
                y = f"y{depth}"
                inner = self.enc(list(what), y, depth + 1)
                if kind == "list":
                    return f"(None if {x} is None else [{inner} for {y} in {x}])"
                pairs = f"k{depth}: {inner} for k{depth}, {y} in {x}.items()"
                return f"(None if {x} is None else {{{pairs}}})"
        if all(kind == "model" for kind, _ in members):
            return f"(None if {x} is None else ENCODERS[{x}.__class__]({x}))"
        return f"({x} if {x}.__class__ in PLAIN else enc_any({x}))"

    def encoder(self, cls: type) -> str:
        shape = self.rt.shape_of(cls)
        fields = list(zip(shape.fields, shape.types, strict=True))
        required = [
            f"{key!r}: {self.enc(types, 'o.' + attr)}"
            for (attr, key, _), types in fields
            if key in shape.required
        ]
        lines = [f"def enc_{cls.__name__}(o):", f"    out = {{{', '.join(required)}}}"]
        for (attr, key, _), types in fields:
            if key not in shape.required:
                lines += [
                    f"    v = o.{attr}",
                    f"    if v is not UNSET: out[{key!r}] = {self.enc(types, 'v')}",
                ]
        lines += [
            "    if o._aliases:",
            "        out = {o._aliases.get(k, k): x for k, x in out.items()}",
            "    if o._extra:",
            "        for k, x in o._extra.items():",
            "            out.setdefault(k, x)",
            "    return out",
        ]
        return "\n".join(lines) + "\n"


def _discriminator(
    rt: Any, classes: list[type]
) -> tuple[str, type, dict[Any, int]] | None:
    """The key whose enum values tell ``classes`` apart, if there is one (the
    other keys' types fit alike), with the JSON type and value → class index."""

    def sig(members: list[tuple[str, Any]]) -> frozenset[Any]:
        out: set[Any] = set()
        for kind, what in members:
            if kind in ("model", "map"):
                out.add("map")
            elif kind == "value":
                out.add("str" if what == "bytes" else what)
            else:
                out.add(kind if kind == "list" else (kind, what))
        return frozenset(out)

    types = [
        {
            k: list(dict.fromkeys(m))
            for (_, k, _), m in zip(
                rt.shape_of(c).fields, rt.shape_of(c).types, strict=True
            )
        }
        for c in classes
    ]
    differ = [k for k in sorted(types[0]) if len({sig(t[k]) for t in types}) > 1]
    if len(differ) != 1:
        return None
    key = differ[0]
    enums = [t[key] for t in types]
    if any(len(m) != 1 or m[0][0] != "enum" for m in enums):
        return None
    json_types = {int if issubclass(m[0][1], int) else str for m in enums}
    if len(json_types) != 1:
        return None
    table: dict[Any, int] = {}
    for i, m in enumerate(enums):
        for value in m[0][1]._value2member_map_:
            if value in table or value.__class__ not in json_types:
                return None
            table[value] = i
    return key, json_types.pop(), table


_HEAD = """\
from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from {package} import _runtime as _rt
from {package} import models as _m

UNSET = _rt.UNSET
DecodeError = _rt.DecodeError
canonical = _rt.canonical
quietly = _rt.quietly
PLAIN = frozenset({{str, int, float, bool, type(None)}})
_EXPECTED = {{"str": "a string", "bytes": "a string", "int": "an integer",
             "float": "a number", "bool": "a boolean"}}
_TYPES = {{"str": (str,), "bytes": (str,), "int": (int,), "float": (int, float),
          "bool": (bool,)}}


def keep(value):
    return value


def wrong_type(value, kind, owner, key):
    if isinstance(value, _TYPES[kind]) and (kind == "bool" or not isinstance(value, bool)):
        return value
    if value is None or value is UNSET:
        return value
    raise DecodeError(f"{{owner}}: key {{key!r}}: expected {{_EXPECTED[kind]}}, got {{type(value).__name__}}")


def not_list(value):
    if isinstance(value, list):
        return [keep(v) for v in value]
    raise DecodeError(f"expected a JSON array, got {{type(value).__name__}}")


def not_map(value):
    if isinstance(value, Mapping):
        return dict(value)
    raise DecodeError(f"expected a JSON object, got {{type(value).__name__}}")


def enc_any(value):
    encode = ENCODERS.get(value.__class__)
    if encode is not None:
        return encode(value)
    if value.__class__ in PLAIN:
        return value
    if isinstance(value, (list, tuple)):
        return [enc_any(v) for v in value]
    if isinstance(value, Mapping):
        return {{k: enc_any(v) for k, v in value.items()}}
    if isinstance(value, Enum):
        return value._value_
    return value.to_dict() if hasattr(value, "to_dict") else value
"""


def emit(package: str, roots: list[str]) -> str:
    """The floor's module for ``roots`` (class names) of ``package``."""
    import importlib

    rt = importlib.import_module(package + "._runtime")
    models = importlib.import_module(package + ".models")
    floor = _Floor(rt)
    for root in roots:
        floor.visit(getattr(models, root))
    parts = [_HEAD.format(package=package)]
    parts += [f"{n} = _m.{n}\nE_{n} = {n}._value2member_map_" for n in floor.enums]
    for name, cls in floor.models.items():
        known = sorted(rt.shape_of(cls).known)
        parts.append(f"{name} = _m.{name}\nK_{name} = frozenset({known!r})")
    parts += [floor.decoder(cls) for cls in floor.models.values()]
    parts += [floor.encoder(cls) for cls in floor.models.values()]
    parts += floor.functions
    encoders = ", ".join(f"{n}: enc_{n}" for n in floor.models)
    parts.append(f"ENCODERS = {{{encoders}}}\n")
    return "\n\n".join(parts)


def structure(value: Any) -> Any:
    """What a decoded value is, comparable across implementations (classes,
    enum members and whether they are listed, ``_extra``, ``_aliases``)."""
    if isinstance(value, enum.Enum):
        listed = value._value_ in type(value)._value2member_map_
        return (
            "enum",
            type(value).__name__,
            type(value._value_).__name__,
            value._value_,
            listed,
        )
    if hasattr(value, "_extra") and hasattr(value, "to_dict"):
        fields = {
            name: structure(getattr(value, name))
            for name in getattr(value, "__slots__", ())
            if not name.startswith("_")
        }
        return ("model", type(value).__name__, fields, value._extra, value._aliases)
    if isinstance(value, list):
        return [structure(item) for item in value]
    if isinstance(value, dict):
        return {key: structure(item) for key, item in value.items()}
    return (type(value).__name__, value)
