"""The hand-written equivalent of generated models, for bench/runtime.py.

``emit(api, roots, package)`` writes a module with one class per model that
``roots`` reach, each with straight-line ``from_dict``/``to_dict`` following
docs2py's JSON rules exactly (UNSET vs null, ``_extra``, enum pseudo-members
through the package's own enum classes, wire keys, documented keys spelled
differently via ``_rt.canonical``, and the union ranking: required keys, then
shared keys, then what the values fit, first among equals, next variant on a
DecodeError).  It is what a careful person would write by hand; it lives in
bench/ and is never part of the product.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.ir import (
    Api,
    Definition,
    Enum,
    ListOf,
    MapOf,
    Model,
    Primitive,
    Ref,
    TypeRef,
    Union,
    UnionOf,
)

_JSON_CHECK = {
    "str": "isinstance({x}, str)",
    "bytes": "isinstance({x}, str)",
    "int": "isinstance({x}, int) and not isinstance({x}, bool)",
    "float": "isinstance({x}, (int, float)) and not isinstance({x}, bool)",
    "bool": "isinstance({x}, bool)",
}


@dataclass
class _Module:
    api: Api
    package: str
    attrs: bool
    defs: dict[str, Definition] = field(default_factory=dict)
    helpers: list[str] = field(default_factory=list)
    helper_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.defs = {d.class_name: d for d in self.api.definitions}

    def target(self, t: TypeRef) -> Definition | None:
        return self.defs.get(t.target or "") if isinstance(t, Ref) else None

    def flatten(
        self, ts: tuple[TypeRef, ...], seen: frozenset[str] = frozenset()
    ) -> list[TypeRef]:
        out: list[TypeRef] = []
        for t in ts:
            d = self.target(t)
            if isinstance(t, UnionOf):
                out += self.flatten(t.variants, seen)
            elif isinstance(d, Union) and d.variants:
                if d.class_name not in seen:
                    out += self.flatten(d.variants, seen | {d.class_name})
            else:
                out.append(t)
        return list({repr(t): t for t in out}.values())

    def is_union(self, t: TypeRef) -> bool:
        d = self.target(t)
        return isinstance(t, UnionOf) or (isinstance(d, Union) and bool(d.variants))

    # --- decoding -------------------------------------------------------------

    def dec(self, t: TypeRef, x: str) -> str | None:
        """An expression decoding ``x`` (not None), or None when nothing to do."""
        d = self.target(t)
        if isinstance(d, Model):
            return f"{d.class_name}.from_dict({x})"
        if isinstance(d, Enum):
            return f"{d.class_name}({x})"
        if isinstance(t, ListOf | MapOf) or self.is_union(t):
            return f"{self.helper(t)}({x})"
        return None

    def helper(self, t: TypeRef) -> str:
        key = repr(t)
        if key in self.helper_names:
            return self.helper_names[key]
        name = self.helper_names[key] = f"_h{len(self.helper_names)}"
        if isinstance(t, ListOf):
            inner = self.dec(t.item, "x")
            item = "x" if inner is None else f"None if x is None else {inner}"
            body = [
                "    if not isinstance(value, list):",
                '        raise DecodeError(f"expected a JSON array, got {type(value).__name__}")',
                f"    return [{item} for x in value]",
            ]
        elif isinstance(t, MapOf):
            inner = self.dec(t.value, "x")
            item = "x" if inner is None else f"None if x is None else {inner}"
            body = [
                "    if not isinstance(value, Mapping):",
                '        raise DecodeError(f"expected a JSON object, got {type(value).__name__}")',
                f"    return {{k: {item} for k, x in value.items()}}",
            ]
        else:
            body = self.union_body(t)
        self.helpers.append(f"def {name}(value):\n" + "\n".join(body) + "\n")
        return name

    def union_body(self, t: TypeRef) -> list[str]:
        owner = t.target if isinstance(t, Ref) else "item"
        variants = self.flatten((t,))
        lines = ["    ranked = []"]
        models = [
            (i, v) for i, v in enumerate(variants) if isinstance(self.target(v), Model)
        ]
        if models:
            lines += ["    if isinstance(value, Mapping):", "        keys = set(value)"]
            for i, v in models:
                m = self.target(v)
                assert isinstance(m, Model)
                need = [f.wire_key for f in m.fields if f.required]
                test = " and ".join(f"{k!r} in value" for k in need) or "True"
                lines += [f"        if {test}:", "            typed = 0"]
                for f in m.fields:
                    lines += [
                        f"            x = value.get({f.wire_key!r})",
                        "            if x is not None:",
                        f"                typed += {self.fit(f.type, 'x')}",
                    ]
                lines.append(
                    f"            ranked.append((({len(need)}, len(keys & _KNOWN_{m.class_name})"
                    f" - len(keys - _KNOWN_{m.class_name}), typed), {-i}, {m.class_name}.from_dict))"
                )
        for i, v in enumerate(variants):
            d = self.target(v)
            if isinstance(d, Model):
                continue
            if isinstance(d, Enum):
                check = _JSON_CHECK["int" if d.value_type == "int" else "str"].format(
                    x="value"
                )
                lines += [
                    f"    if {check} and value in {d.class_name}._value2member_map_:",
                    f"        ranked.append(((1, 0, 0), {-i}, {d.class_name}))",
                ]
            elif isinstance(v, ListOf | MapOf):
                kind = "list" if isinstance(v, ListOf) else "Mapping"
                lines += [
                    f"    if isinstance(value, {kind}):",
                    f"        ranked.append(((0, 0, 0), {-i}, {self.helper(v)}))",
                ]
            elif isinstance(v, Primitive):
                lines += [
                    f"    if {_JSON_CHECK[v.name].format(x='value')}:",
                    f"        ranked.append(((0, 0, 0), {-i}, _keep))",
                ]
            else:
                lines.append(f"    ranked.append(((-1, 0, 0), {-i}, _keep))")
        lines += [
            "    if not ranked:",
            f"        raise DecodeError({owner + ': the value fits none of the union' + chr(39) + 's variants'!r})",
            "    ranked.sort(key=lambda r: r[:2], reverse=True)",
            "    error = None",
            "    for _, _, decode in ranked:",
            "        try:",
            "            return decode(value)",
            "        except DecodeError as exc:",
            "            error = error or exc",
            "    raise error",
        ]
        return lines

    def fit(self, t: TypeRef, x: str) -> str:
        """How well ``x`` (not None) fits ``t``: 2, 1, 0 or -1."""
        members = self.flatten((t,)) if self.is_union(t) else [t]
        parts = []
        for m in members:
            d = self.target(m)
            if isinstance(d, Enum):
                check = _JSON_CHECK["int" if d.value_type == "int" else "str"].format(
                    x=x
                )
                parts.append(
                    f"((2 if {x} in {d.class_name}._value2member_map_ else 0) if {check} else -1)"
                )
            elif isinstance(d, Model) or isinstance(m, MapOf):
                parts.append(f"(1 if isinstance({x}, Mapping) else -1)")
            elif isinstance(m, ListOf):
                parts.append(f"(1 if isinstance({x}, list) else -1)")
            elif isinstance(m, Primitive):
                parts.append(f"(1 if {_JSON_CHECK[m.name].format(x=x)} else -1)")
            else:
                parts.append("0")
        return parts[0] if len(parts) == 1 else f"max({', '.join(parts)})"

    # --- encoding -------------------------------------------------------------

    def enc(self, t: TypeRef, x: str, depth: int = 0) -> str:
        """An expression encoding ``x`` (possibly None)."""
        d = self.target(t)
        y = f"x{depth}"
        if isinstance(d, Model):
            return f"(None if {x} is None else {x}.to_dict())"
        if isinstance(d, Enum):
            return f"(None if {x} is None else {x}.value)"
        if isinstance(t, ListOf):
            return f"(None if {x} is None else [{self.enc(t.item, y, depth + 1)} for {y} in {x}])"
        if isinstance(t, MapOf):
            inner = self.enc(t.value, y, depth + 1)
            return f"(None if {x} is None else {{k{depth}: {inner} for k{depth}, {y} in {x}.items()}})"
        if isinstance(t, Primitive):
            return x
        return f"encode({x})"

    # --- classes --------------------------------------------------------------

    def model_class(self, m: Model) -> str:
        name = m.class_name
        decorator = "@_attrs.define(kw_only=True)" if self.attrs else "@_rt.model"
        lines = [decorator, f"class {name}(_rt.Model):"]
        for f in m.fields:
            lines.append(
                f"    {f.python_name}: Any" + ("" if f.required else " = UNSET")
            )
        if self.attrs:
            lines += [
                "    _extra: dict[str, Any] = _attrs.field(factory=dict, repr=False, alias='_extra')",
                "    _aliases: dict[str, str] | None = _attrs.field(default=None, init=False, repr=False, eq=False)",
            ]
        keys = tuple((f.python_name, f.wire_key) for f in m.fields)
        required = sorted(f.wire_key for f in m.fields if f.required)
        lines += [
            f"    _keys: typing.ClassVar[tuple[tuple[str, str], ...]] = {keys!r}",
            f"    _required: typing.ClassVar[frozenset[str]] = frozenset({required!r})",
            "",
            "    @classmethod",
            "    def from_dict(cls, data):",
            "        if not isinstance(data, Mapping):",
            f'            raise DecodeError(f"{name}: expected a JSON object, got {{type(data).__name__}}")',
            "        aliases = None",
            f"        extra = {{k: x for k, x in data.items() if k not in _KNOWN_{name}}}",
            "        if extra:",
            "            data, aliases = _rt.canonical(data, cls)",
            "            if aliases is not None:",
            f"                extra = {{k: x for k, x in data.items() if k not in _KNOWN_{name}}}",
        ]
        for i, f in enumerate(m.fields):
            v = f"v{i}"
            if f.required:
                lines += [
                    "        try:",
                    f"            {v} = data[{f.wire_key!r}]",
                    "        except KeyError:",
                    f"            raise DecodeError({name + ': missing required key ' + repr(f.wire_key)!r}) from None",
                ]
                guard = f"{v} is not None"
            else:
                lines.append(f"        {v} = data.get({f.wire_key!r}, UNSET)")
                guard = f"{v} is not None and {v} is not UNSET"
            decoded = self.dec(f.type, v)
            if decoded is not None:
                lines += [f"        if {guard}:", f"            {v} = {decoded}"]
        args = "".join(f"{f.python_name}=v{i}, " for i, f in enumerate(m.fields))
        lines += [
            f"        obj = cls({args}_extra=extra)",
            "        obj._aliases = aliases",
            "        return obj",
            "",
            "    def to_dict(self):",
            "        out = {}",
        ]
        for f in m.fields:
            lines += [
                f"        v = self.{f.python_name}",
                "        if v is not UNSET:",
                f"            out[{f.wire_key!r}] = {self.enc(f.type, 'v')}",
            ]
        lines += [
            "        if self._aliases:",
            "            out = {self._aliases.get(k, k): x for k, x in out.items()}",
            "        for k, x in self._extra.items():",
            "            out.setdefault(k, x)",
            "        return out",
        ]
        known = frozenset(f.wire_key for f in m.fields)
        return (
            "\n".join(lines) + f"\n\n\n_KNOWN_{name} = frozenset({sorted(known)!r})\n"
        )


def closure(api: Api, roots: list[str]) -> list[Definition]:
    """The definitions ``roots`` reach, in a stable order."""
    defs = {d.class_name: d for d in api.definitions}
    seen: dict[str, Definition] = {}

    def walk(t: TypeRef) -> None:
        if isinstance(t, ListOf):
            walk(t.item)
        elif isinstance(t, MapOf):
            walk(t.value)
        elif isinstance(t, UnionOf):
            for v in t.variants:
                walk(v)
        elif isinstance(t, Ref) and t.target in defs:
            visit(defs[t.target])

    def visit(d: Definition) -> None:
        if d.class_name in seen:
            return
        seen[d.class_name] = d
        if isinstance(d, Model):
            for f in d.fields:
                walk(f.type)
        elif isinstance(d, Union):
            for v in d.variants:
                walk(v)

    for name in roots:
        visit(defs[name])
    return list(seen.values())


def emit(api: Api, roots: list[str], package: str, attrs: bool = False) -> str:
    """The source of a module with hand-written classes for ``roots`` and
    everything they reach (enums are the package's own)."""
    mod = _Module(api, package, attrs)
    reached = closure(api, roots)
    classes = [mod.model_class(d) for d in reached if isinstance(d, Model)]
    enums = [d.class_name for d in reached if isinstance(d, Enum)]
    head = [
        "from __future__ import annotations",
        "",
        "import typing",
        "from collections.abc import Mapping",
        "from typing import Any",
        "",
        *(["import attrs as _attrs"] if attrs else []),
        f"from {package} import _runtime as _rt",
        f"from {package} import models as _m",
        "",
        "UNSET = _rt.UNSET",
        "DecodeError = _rt.DecodeError",
        "encode = _rt.encode",
        "",
        "",
        "def _keep(value):",
        "    return value",
        "",
        *[f"{e} = _m.{e}" for e in enums],
        "",
    ]
    return "\n".join(head) + "\n\n" + "\n\n".join(classes + mod.helpers)
