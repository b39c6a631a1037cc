"""How IR types are spelled in generated Python: annotations, decoders, variants.

Used by the template filters; knows the module of every definition so that
references are qualified with the importing module's alias.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .. import names
from ..ir import (
    AnyType,
    Api,
    Definition,
    Enum,
    ListOf,
    MapOf,
    Method,
    Model,
    Parameter,
    Primitive,
    Ref,
    TypeRef,
    Union,
    UnionOf,
)

Kind = Literal["model", "enum", "union", "opaque"]
_PRIMITIVE_HINTS = {"str": "str", "int": "int", "float": "float", "bool": "bool"}
_PRIMITIVE_HINTS["bytes"] = "str"


@dataclass(frozen=True, slots=True)
class Symbol:
    """Where a definition lives in the generated package."""

    class_name: str
    module: str
    kind: Kind
    definition: Definition

    @property
    def alias(self) -> str:
        """The models package as generated modules import it (``from .. import
        models as _m``); every class is an attribute of it."""
        return "_m"


def _kind(d: Definition) -> Kind:
    if isinstance(d, Model):
        return "model"
    if isinstance(d, Enum):
        return "enum"
    return "union" if d.variants else "opaque"


def symbol_table(api: Api) -> dict[str, Symbol]:
    """A module for every definition, unique among the package's modules."""
    taken = {"__init__"}
    table: dict[str, Symbol] = {}
    for d in api.definitions:
        module = names.unique(names.module_name(d.class_name), taken)
        table[d.class_name] = Symbol(d.class_name, module, _kind(d), d)
    return table


class Spelling:
    """Spells types as seen from one module (``here``)."""

    def __init__(self, symbols: dict[str, Symbol], here: str) -> None:
        self.symbols = symbols
        self.here = here

    def _symbol(self, ref: Ref) -> Symbol:
        assert ref.target is not None, f"unresolved reference {ref.name}"
        return self.symbols[ref.target]

    def qualified(self, sym: Symbol, attribute: str) -> str:
        if sym.module == self.here:
            return attribute
        return f"{sym.alias}.{attribute}"

    def hint(self, t: TypeRef) -> str:
        """The annotation for ``t``."""
        if isinstance(t, Primitive):
            return _PRIMITIVE_HINTS[t.name]
        if isinstance(t, ListOf):
            return f"list[{self.hint(t.item)}]"
        if isinstance(t, MapOf):
            return f"dict[str, {self.hint(t.value)}]"
        if isinstance(t, UnionOf):
            return " | ".join(dict.fromkeys(self.hint(v) for v in t.variants))
        if isinstance(t, Ref):
            sym = self._symbol(t)
            if sym.kind != "opaque":
                return self.qualified(sym, sym.class_name)
        return "_rt.Any"

    def decoder(self, t: TypeRef, owner: str) -> str:
        """An expression for a callable that decodes JSON into ``t``.

        The runtime reads the annotation (see ``_runtime.decoder``), so every
        type decodes by the one mechanism that the built-in models use; it
        finds the module by ``__name__``, which no argument of a generated
        method can shadow (a parameter may be called ``globals``).
        """
        return f"_rt.decoder({self.hint(t)!r}, __name__, {owner!r})"

    def variants(self, types: tuple[TypeRef, ...], owner: str) -> str:
        """A tuple expression of runtime union variants (nested unions flattened)."""
        parts = [self._variant(t, owner) for t in self.flatten(types)]
        return "(" + "".join(p + ", " for p in dict.fromkeys(parts)) + ")"

    def flatten(
        self, types: tuple[TypeRef, ...], seen: frozenset[str] = frozenset()
    ) -> list[TypeRef]:
        """Variants with references to other unions replaced by their variants."""
        out: list[TypeRef] = []
        for t in types:
            if isinstance(t, UnionOf):
                out.extend(self.flatten(t.variants, seen))
            elif isinstance(t, Ref) and self._symbol(t).kind == "union":
                d = self._symbol(t).definition
                if t.target not in seen and isinstance(d, Union):
                    out.extend(self.flatten(d.variants, seen | {t.target or ""}))
            else:
                out.append(t)
        return out

    def _variant(self, t: TypeRef, owner: str) -> str:
        if isinstance(t, Primitive):
            return f"_rt.value_variant({t.name!r})"
        if isinstance(t, ListOf):
            return f"_rt.value_variant('list', {self.decoder(t, owner)})"
        if isinstance(t, MapOf):
            return f"_rt.value_variant('map', {self.decoder(t, owner)})"
        if isinstance(t, Ref):
            sym = self._symbol(t)
            if sym.kind in ("model", "enum"):
                name = self.qualified(sym, sym.class_name)
                return f"_rt.{sym.kind}_variant({name})"
        return "_rt.value_variant('any')"

    def modules_used(self, types: list[TypeRef], expand: bool = False) -> list[Symbol]:
        """The other modules that spelling ``types`` refers to, sorted.

        With ``expand`` (a union's own variants, or an inline union) references
        to other unions are flattened to their variants, as ``variants`` does.
        """
        found: dict[str, Symbol] = {}

        def walk(t: TypeRef, expand: bool, seen: frozenset[str]) -> None:
            if isinstance(t, ListOf):
                walk(t.item, False, seen)
            elif isinstance(t, MapOf):
                walk(t.value, False, seen)
            elif isinstance(t, UnionOf):
                for v in t.variants:
                    walk(v, True, seen)
            elif isinstance(t, Ref) and t.target not in seen:
                sym = self._symbol(t)
                d = sym.definition
                if expand and isinstance(d, Union) and d.variants:
                    for v in d.variants:
                        walk(v, True, seen | {t.target or ""})
                elif sym.kind != "opaque" and sym.module != self.here:
                    found.setdefault(sym.module, sym)

        for t in types:
            walk(t, expand, frozenset())
        return [found[m] for m in sorted(found)]


_MAPPING = "_t.Mapping[str, _t.Any]"


def _is_model(spelling: Spelling, t: TypeRef) -> bool:
    return isinstance(t, Ref) and spelling._symbol(t).kind == "model"


def parameter_hint(spelling: Spelling, p: Parameter) -> str:
    """The annotation of an endpoint parameter (bodies also take plain dicts)."""
    t = p.type
    if p.sent_in == "body" and isinstance(t, Primitive) and t.name == "bytes":
        return "bytes"
    if p.sent_in in ("body", "query-map"):
        if _is_model(spelling, t):
            return f"{spelling.hint(t)} | {_MAPPING}"
        if isinstance(t, ListOf) and _is_model(spelling, t.item):
            return f"_t.Sequence[{spelling.hint(t.item)} | {_MAPPING}]"
        if p.sent_in == "query-map":
            return _MAPPING
    return spelling.hint(t)


def fixed_value(spelling: Spelling, p: Parameter) -> str | None:
    """The default of a parameter whose type is an enum with one value.

    liblab documents fixed headers this way (``accept | Accept | ✅`` where
    ``Accept`` has the single value ``application/vnd.api.v10+json``), so the
    caller need not pass them.
    """
    t = p.type
    if not isinstance(t, Ref):
        return None
    d = spelling._symbol(t).definition
    if isinstance(d, Enum) and len(d.members) == 1:
        sym = spelling._symbol(t)
        return spelling.qualified(sym, f"{sym.class_name}.{d.members[0].python_name}")
    return None


def return_hint(spelling: Spelling, m: Method) -> str:
    """The annotation of what an endpoint method returns."""
    if m.returns is None:
        return "None"
    if isinstance(m.returns, Primitive) and m.returns.name == "bytes":
        return "bytes"
    return spelling.hint(m.returns)


def returns_model(spelling: Spelling, m: Method) -> bool:
    """True if an endpoint returns one model (decoded by its typed from_dict)."""
    return _is_model(spelling, m.returns) if m.returns is not None else False


def return_decoder(spelling: Spelling, m: Method) -> str:
    """The decoder of an endpoint's response body."""
    if m.returns is None:
        return "_http.no_content"
    if isinstance(m.returns, Primitive) and m.returns.name == "bytes":
        return "_http.binary"
    if returns_model(spelling, m):
        return spelling.hint(m.returns) + ".from_dict"
    return spelling.decoder(m.returns, m.name)


def is_any(t: TypeRef) -> bool:
    """True for types spelled ``Any``."""
    return isinstance(t, AnyType)
