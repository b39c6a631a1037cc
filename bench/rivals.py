"""pydantic v2, msgspec and cattrs versions of generated models, for
bench/runtime.py.

Each is written as a module of classes with the same JSON keys (attributes
``f0, f1, …`` aliased to the keys, so no property name can clash with the
library's own).  Enums are plain ``str``/``int`` (none of the libraries
accepts an unlisted value, which docs2py keeps), so they do a little less work
than docs2py.  msgspec and cattrs cannot tell apart untagged unions of several
objects: such a union is a ``dict[str, Any]`` there.  Comparisons only; not
part of the product.
"""

from __future__ import annotations

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

_PRIMITIVE = {
    "str": "str",
    "bytes": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
}


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


class _Hints:
    def __init__(self, api: Api, prefix: str, msgspec: bool) -> None:
        self.defs = {d.class_name: d for d in api.definitions}
        self.prefix = prefix
        self.msgspec = msgspec

    def flatten(
        self, ts: tuple[TypeRef, ...], seen: frozenset[str] = frozenset()
    ) -> list[TypeRef]:
        out: list[TypeRef] = []
        for t in ts:
            d = self.defs.get(t.target or "") if isinstance(t, Ref) else None
            if isinstance(t, UnionOf):
                out += self.flatten(t.variants, seen)
            elif isinstance(d, Union) and d.variants and d.class_name not in seen:
                out += self.flatten(d.variants, seen | {d.class_name})
            else:
                out.append(t)
        return out

    def hint(self, t: TypeRef) -> str:
        d = self.defs.get(t.target or "") if isinstance(t, Ref) else None
        if isinstance(t, Primitive):
            return _PRIMITIVE[t.name]
        if isinstance(t, ListOf):
            return f"list[{self.hint(t.item)} | None]"
        if isinstance(t, MapOf):
            return f"dict[str, {self.hint(t.value)} | None]"
        if isinstance(d, Model):
            return self.prefix + d.class_name
        if isinstance(d, Enum):
            return "int" if d.value_type == "int" else "str"
        if isinstance(t, UnionOf) or (isinstance(d, Union) and d.variants):
            return self.union(self.flatten((t,)))
        return "Any"

    def union(self, variants: list[TypeRef]) -> str:
        hints = list(dict.fromkeys(self.hint(v) for v in variants))
        if "Any" in hints:
            return "Any"
        if self.msgspec:  # untagged unions: one object type and one array type at most
            objects = [x for x in hints if x.startswith((self.prefix, "dict["))]
            if len([x for x in hints if x.startswith("list[")]) > 1:
                return "Any"
            if len(objects) > 1:
                hints = [x for x in hints if x not in objects] + ["dict[str, Any]"]
        return " | ".join(hints)


def pydantic_source(api: Api, roots: list[str]) -> str:
    """A module of pydantic v2 models for ``roots`` and what they reach."""
    h = _Hints(api, "P_", msgspec=False)
    out = [
        "from __future__ import annotations",
        "from typing import Any",
        "from pydantic import BaseModel, ConfigDict, Field",
        "",
    ]
    models = [d for d in closure(api, roots) if isinstance(d, Model)]
    for m in models:
        out.append(f"class P_{m.class_name}(BaseModel):")
        out.append(
            '    model_config = ConfigDict(extra="allow", populate_by_name=True)'
        )
        for i, f in enumerate(m.fields):
            default = "..." if f.required else "None"
            out.append(
                f"    f{i}: {h.hint(f.type)} | None = Field({default}, alias={f.wire_key!r})"
            )
        out.append("")
    out += [f"P_{m.class_name}.model_rebuild()" for m in models]
    return "\n".join(out) + "\n"


def msgspec_source(api: Api, roots: list[str]) -> str:
    """A module of msgspec Structs for ``roots`` and what they reach."""
    h = _Hints(api, "S_", msgspec=True)
    out = [
        "from __future__ import annotations",
        "from typing import Any",
        "import msgspec",
        "",
    ]
    for m in (d for d in closure(api, roots) if isinstance(d, Model)):
        rename = {f"f{i}": f.wire_key for i, f in enumerate(m.fields)}
        out.append(
            f"class S_{m.class_name}(msgspec.Struct, kw_only=True, omit_defaults=True,"
            f" rename={rename!r}):"
        )
        for i, f in enumerate(m.fields):
            hint = f"{h.hint(f.type)} | None"
            if f.required:
                out.append(f"    f{i}: {hint}")
            else:
                out.append(f"    f{i}: {hint} | msgspec.UnsetType = msgspec.UNSET")
        if not m.fields:
            out.append("    pass")
        out.append("")
    return "\n".join(out) + "\n"


def cattrs_source(api: Api, roots: list[str]) -> str:
    """A module of attrs classes for ``roots`` and what they reach, with a
    cattrs converter (``CONVERTER``) that renames their keys."""
    h = _Hints(api, "C_", msgspec=True)  # unions as msgspec's (same limits)
    out = [
        "from __future__ import annotations",
        "from typing import Any",
        "import attrs",
        "import cattrs",
        "from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override",
        "",
    ]
    models = [d for d in closure(api, roots) if isinstance(d, Model)]
    renames = {}
    for m in models:
        out.append("@attrs.define(kw_only=True)")
        out.append(f"class C_{m.class_name}:")
        for i, f in enumerate(m.fields):
            default = "" if f.required else " = None"
            out.append(f"    f{i}: {h.hint(f.type)} | None{default}")
        if not m.fields:
            out.append("    pass")
        out.append("")
        renames[f"C_{m.class_name}"] = {
            f"f{i}": f.wire_key for i, f in enumerate(m.fields)
        }
    out += [
        "CONVERTER = cattrs.Converter(detailed_validation=False)",
        f"RENAMES = {{{', '.join(f'{k}: {v!r}' for k, v in renames.items())}}}",
        "for _cls in RENAMES:",
        "    attrs.resolve_types(_cls, globals())",
        "CONVERTER.register_structure_hook_factory(",
        "    lambda t: t in RENAMES,",
        "    lambda t: make_dict_structure_fn(",
        "        t, CONVERTER, **{a: override(rename=k) for a, k in RENAMES[t].items()}",
        "    ),",
        ")",
        "CONVERTER.register_unstructure_hook_factory(",
        "    lambda t: t in RENAMES,",
        "    lambda t: make_dict_unstructure_fn(",
        "        t, CONVERTER, _cattrs_omit_if_default=True,",
        "        **{a: override(rename=k) for a, k in RENAMES[t].items()},",
        "    ),",
        ")",
    ]
    return "\n".join(out) + "\n"
