"""Class names that say nothing, replaced by names derived from where the
definition is used.

A class name is *mechanical* when it carries no meaning of its own:

* docs2py had to make it up: ``Model1`` for a heading that starts with a
  digit, ``Cat_2`` for a second, different definition of ``Cat``;
* it is a doc generator's counter: liblab names two different inline
  schemas that get the same name ``X_1`` and ``X_2`` (``X1``, ``X2`` in the
  dialects that drop the ``_``), so a heading ending in ``_<digits>``, or a
  class name that differs from another one only by its trailing digits
  (``LoggingAxiom1`` beside ``LoggingAxiom2``);
* it is a bare generic word (``Object``, ``Type``…; ``ModelModel``, the
  heading ``Model``, which the package reserves).

Such a definition is renamed after its one use: ``<Parent><Property>`` for
a property of a model (the parent's own new name, if it has one), and for a
method ``<Method>Request`` (its body), ``<Method><Parameter>`` or
``<Method>Response`` (``…Item`` for the items of a list).  A definition used
in several places that suggest different names, only as a union's variant,
or nowhere, keeps its name; so does one whose derived name is a class name
already (or one that another definition would take too).  A name depends
only on the definition's own uses and its parents, so adding an unrelated
model changes no rename.  ``class-names = { "Model1" = "Chosen" }`` pins a
class name (any definition's, by its class name or its heading); each
derived name is listed as a guess (``infer/guesses.py``: kind
``class-name``) with that pin.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .. import names
from ..diagnostics import Diagnostics
from ..ir import (
    Api,
    Clue,
    Definition,
    ListOf,
    MapOf,
    Model,
    Ref,
    Service,
    TypeRef,
    Union,
    UnionOf,
)

GENERIC = frozenset(
    ["Model", "Object", "Data", "Type", "Value", "Item", "Body", "Schema"]
    + ["Entity", "Element", "Inline", "Anonymous"]
)
"""Words that name nothing in particular as a whole class name."""
_COUNTER = re.compile(r"[A-Za-z0-9]_\d+\Z")
_TRAILING_DIGITS = re.compile(r"(?<=[A-Za-z])\d+\Z")
RESERVED = frozenset(
    ["Unset", "UNSET", "DecodeError", "Model", "Client", "AsyncClient", "ApiError"]
)


@dataclass(frozen=True, slots=True)
class _Use:
    """One place a definition is used, and the name it suggests (with the
    owner's name, once known: ``owner`` is a class name for a property)."""

    owner: str
    """The class name of the model that has the property ('' for a method)."""
    suffix: str
    """What follows the owner's name: the property, ``Request``, …"""
    clue: Clue


def mechanical(d: Definition, families: dict[str, int]) -> bool:
    """Whether ``d``'s class name says nothing (see the module's docstring)."""
    if d.name_rule == "conflict":
        return True
    stem = names.class_stem(d.name)
    if not stem or stem[0].isdigit() or stem in GENERIC:
        return True
    if _COUNTER.search(d.name.strip()):
        return True
    found = _TRAILING_DIGITS.search(d.class_name)
    return found is not None and families.get(d.class_name[: found.start()], 0) > 1


def _families(definitions: tuple[Definition, ...]) -> dict[str, int]:
    """How many class names share each stem (the name without trailing digits)."""
    out: dict[str, int] = {}
    for d in definitions:
        found = _TRAILING_DIGITS.search(d.class_name)
        stem = d.class_name[: found.start()] if found else d.class_name
        out[stem] = out.get(stem, 0) + 1
    return out


def _refs(t: TypeRef, listed: bool = False) -> Iterator[tuple[str, str]]:
    """The class names ``t`` refers to, each with how: ``""`` (itself),
    ``list`` (a list's items) or ``variant`` (one of an inline union's
    variants, which the property's name does not name)."""
    if isinstance(t, Ref) and t.target is not None:
        yield t.target, "list" if listed else ""
    elif isinstance(t, ListOf):
        yield from _refs(t.item, True)
    elif isinstance(t, MapOf):
        yield from _refs(t.value, listed)
    elif isinstance(t, UnionOf):
        for v in t.variants:
            yield from ((target, "variant") for target, _ in _refs(v))


def _uses(api: Api) -> dict[str, list[_Use | None]]:
    """Every use of every class name; ``None`` for a use that suggests no
    name (a union's variant)."""
    out: dict[str, list[_Use | None]] = {}
    for d in api.definitions:
        if isinstance(d, Model):
            for f in d.fields:
                suffix = names.class_name(f.name)
                clue = Clue("property", f"{d.class_name}.{f.name}", f.location)
                for target, how in _refs(f.type):
                    use = None if how == "variant" else _Use(d.class_name, suffix, clue)
                    out.setdefault(target, []).append(use)
        elif isinstance(d, Union):
            for v in d.variants:
                for target, _ in _refs(v):
                    out.setdefault(target, []).append(None)
    for s in api.services:
        for target, use in _method_uses(s):
            out.setdefault(target, []).append(use)
    return out


def _method_uses(s: Service) -> Iterator[tuple[str, _Use | None]]:
    for m in s.methods:
        method = names.class_name(m.python_name)
        where = f"{s.name}.{m.name}"
        for p in m.parameters:
            body = p.sent_in == "body" or p.name.lower() in ("body", "request_body")
            part = "Request" if body else names.class_name(p.name)
            clue = Clue("parameter", f"{where}({p.name})", p.location)
            for target, how in _refs(p.type):
                item = "Item" if how == "list" else ""
                use = _Use("", method + part + item, clue)
                yield target, None if how == "variant" else use
        if m.returns is not None:
            clue = Clue("returns", f"{where}() returns it", m.location)
            for target, how in _refs(m.returns):
                suffix = "Item" if how == "list" else "Response"
                yield target, (
                    None if how == "variant" else _Use("", method + suffix, clue)
                )


class _Namer:
    """Derives the names (``candidate``), then settles collisions."""

    def __init__(self, api: Api, pins: dict[str, str], diags: Diagnostics) -> None:
        self.by_class = {d.class_name: d for d in api.definitions}
        families = _families(api.definitions)
        self.mechanical = {
            d.class_name for d in api.definitions if mechanical(d, families)
        }
        self.uses = _uses(api)
        self.pinned = _pins(api.definitions, pins, diags)
        self.candidates: dict[str, tuple[str, Clue] | None] = {}

    def candidate(self, cls: str, seen: frozenset[str] = frozenset()) -> str | None:
        """The name derived for ``cls`` (mechanical or not: parents need it)."""
        if cls in self.pinned:
            return self.pinned[cls]
        if cls in self.candidates:
            found = self.candidates[cls]
            return found[0] if found else None
        uses = self.uses.get(cls, [])
        derived: set[tuple[str, Clue]] = set()
        for use in uses:
            if use is None or use.owner in seen | {cls}:
                derived.add(("", Clue("variant", cls)))
                continue
            owner = (self.candidate(use.owner, seen | {cls}) or use.owner) if (
                use.owner in self.mechanical
            ) else use.owner  # fmt: skip
            derived.add((owner + use.suffix, use.clue))
        distinct = {name for name, _ in derived}
        found = None
        if len(distinct) == 1 and "" not in distinct:
            found = min(derived, key=lambda pair: str(pair[1]))
        self.candidates[cls] = found
        return found[0] if found else None

    def renames(self) -> dict[str, tuple[str, str, tuple[Clue, ...]]]:
        """Class name → (new name, rule, evidence), collision-free."""
        out: dict[str, tuple[str, str, tuple[Clue, ...]]] = {
            cls: (new, "pinned", ()) for cls, new in self.pinned.items()
        }
        wanted: dict[str, list[str]] = {}
        for cls in sorted(self.mechanical - set(self.pinned)):
            name = self.candidate(cls)
            if name and names.is_identifier(name) and name not in RESERVED:
                wanted.setdefault(name, []).append(cls)
        kept = set(self.by_class) - set(out) - {c for cs in wanted.values() for c in cs}
        taken = kept | {new for new, _, _ in out.values()}
        for name, classes in sorted(wanted.items()):
            if len(classes) == 1 and name not in taken:
                found = self.candidates[classes[0]]
                assert found is not None
                out[classes[0]] = (name, "derived", (found[1],))
                taken.add(name)
        return out


def _pins(
    definitions: tuple[Definition, ...], pins: dict[str, str], diags: Diagnostics
) -> dict[str, str]:
    """``class-names`` keyed by class name (a key may be a heading)."""
    out: dict[str, str] = {}
    for key, chosen in pins.items():
        found = [d for d in definitions if key in (d.class_name, d.name)]
        if not found:
            every = sorted(d.class_name for d in definitions)
            close = difflib.get_close_matches(key, every, n=3)
            hint = (
                f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            )
            diags.warning(
                "docs2py", 0, f"class-names: no definition is called {key!r}{hint}",
                "unused-override",
            )  # fmt: skip
        for d in found:
            out[d.class_name] = chosen
    for cls, chosen in sorted(out.items()):
        clash = [d.class_name for d in definitions if d.class_name == chosen]
        twice = [c for c, n in out.items() if n == chosen and c != cls]
        if (clash and clash[0] not in out) or twice:
            diags.error(
                "docs2py", 0,
                f"class-names: {chosen!r} (for {cls!r}) is the class name of "
                "another definition",
                "usage",
            )  # fmt: skip
    return out


def name(
    api: Api, pins: dict[str, str], diags: Diagnostics
) -> tuple[Api, dict[str, str]]:
    """``api`` with its mechanical class names derived from their uses and
    ``pins`` applied; and the renames (old class name → new)."""
    found = _Namer(api, pins, diags).renames()
    if not found:
        return api, {}
    renamed = {old: new for old, (new, _, _) in found.items()}

    def definition(d: Definition) -> Definition:
        d = _retarget(d, renamed)
        if d.class_name not in found:
            return d
        new, rule, evidence = found[d.class_name]
        return replace(
            d, class_name=new, name_rule=rule, renamed_from=d.class_name,
            name_evidence=evidence,
        )  # fmt: skip

    services = tuple(_retarget_service(s, renamed) for s in api.services)
    definitions = tuple(definition(d) for d in api.definitions)
    return replace(api, definitions=definitions, services=services), renamed


def _type(t: TypeRef, renamed: dict[str, str]) -> TypeRef:
    if isinstance(t, Ref) and t.target in renamed:
        return replace(t, target=renamed[t.target])
    if isinstance(t, ListOf):
        return ListOf(_type(t.item, renamed))
    if isinstance(t, MapOf):
        return MapOf(_type(t.value, renamed))
    if isinstance(t, UnionOf):
        return UnionOf(tuple(_type(v, renamed) for v in t.variants))
    return t


def _retarget(d: Definition, renamed: dict[str, str]) -> Definition:
    if isinstance(d, Model):
        fields = tuple(replace(f, type=_type(f.type, renamed)) for f in d.fields)
        return replace(d, fields=fields)
    if isinstance(d, Union):
        return replace(d, variants=tuple(_type(v, renamed) for v in d.variants))
    return d


def _retarget_service(s: Service, renamed: dict[str, str]) -> Service:
    methods = tuple(
        replace(
            m,
            parameters=tuple(
                replace(p, type=_type(p.type, renamed)) for p in m.parameters
            ),
            returns=_type(m.returns, renamed) if m.returns else None,
        )
        for m in s.methods
    )
    return replace(s, methods=methods)
