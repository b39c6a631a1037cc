"""Matching samples to the docs: an exchange to the documented method it
called (``Routes``: the verb and the path template, the query names to
break a tie), and each JSON value in it to the type the docs give there
(``Walker``: an object to its model by the shape the docs give, a union's
object to the variant whose properties it has).

What the walk sees is told to a ``Seen`` (``infer/learning.py``): the key
each property travels under, nulls, enum values the docs do not list, and
what contradicts the docs (a key the model does not have, a required
property missing, a value of another type).  Values are looked at, never
kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..ir import (
    AnyType,
    Api,
    Definition,
    Enum,
    Field,
    ListOf,
    Location,
    MapOf,
    Method,
    Model,
    Primitive,
    Ref,
    Service,
    TypeRef,
    Union,
    UnionOf,
)
from ..read.build import strip_escape
from ..read.exchanges import Exchange
from ..read.sample_json import JsonObject
from .endpoint_paths import Segment, fits, segments
from .wire_evidence import squash

MAX_ITEMS = 50
"""Items of one array (values of one map) walked: the shape is the same."""


@dataclass(frozen=True, slots=True)
class Route:
    """A documented method, and how its path matches a URL's."""

    service: Service
    method: Method
    segments: tuple[Segment, ...]

    @property
    def literals(self) -> int:
        return sum(isinstance(s, str) for s in self.segments)


def _route(service: Service, method: Method) -> Route:
    return Route(service, method, segments(method.path))


class Routes:
    """Every documented method by verb, and the base URLs' paths."""

    def __init__(self, api: Api) -> None:
        self.routes = [_route(s, m) for s in api.services for m in s.methods]
        urls = [api.base_url or ""] + [e.url for e in api.environments]
        prefixes = {urlsplit(u).path.rstrip("/") for u in urls if u}
        self.prefixes = sorted(p for p in prefixes if p)
        self.by_name = {(r.service.name, r.method.name): r for r in self.routes}

    def named(self, service: str, method: str) -> Route | None:
        return self.by_name.get((service, method))

    def find(self, x: Exchange) -> Route | None:
        """The method ``x`` called: the verb's routes whose template matches
        the path (with or without a base URL's path), the most literal
        segments first, then the most documented query names."""
        paths = [x.path]
        paths += [x.path[len(p) :] for p in self.prefixes if x.path.startswith(p + "/")]
        if not self.prefixes:  # no base URL: the API's own path may be any prefix
            parts = x.path.strip("/").split("/")
            paths += ["/" + "/".join(parts[n:]) for n in range(1, len(parts))]
        names = {squash(k.split("[")[0]) for k, _ in x.query}
        best: tuple[int, int, int] | None = None
        found = None
        for order, r in enumerate(self.routes):
            if r.method.http_method.upper() != x.verb:
                continue
            if not any(_matches(r, p) for p in paths):
                continue
            known = sum(squash(p.own_name) in names for p in r.method.parameters)
            rank = (r.literals, known, -order)
            if best is None or rank > best:
                best, found = rank, r
        return found


def _matches(r: Route, path: str) -> bool:
    parts = [p for p in path.split("/") if p]
    return len(parts) == len(r.segments) and all(
        fits(part, segment) for part, segment in zip(parts, r.segments, strict=True)
    )


class Seen(Protocol):
    """What the walk tells: evidence and contradictions, with locations."""

    def key(self, model: Model, f: Field, key: str, where: Location) -> None: ...
    def null(self, model: Model, f: Field, where: Location) -> None: ...
    def enum_value(self, enum: Enum, value: str, where: Location) -> None: ...
    def contradiction(
        self, kind: str, subject: Definition, name: str, text: str, where: Location
    ) -> None: ...


class Walker:
    """Walks JSON values along the types the docs give them."""

    def __init__(self, api: Api, seen: Seen) -> None:
        self.by_class: dict[str, Definition] = {
            d.class_name: d for d in api.definitions
        }
        self.seen = seen

    def walk(self, value: Any, t: TypeRef, where: Location) -> None:
        if isinstance(t, ListOf):
            if isinstance(value, list):
                for item in value[:MAX_ITEMS]:
                    self.walk(item, t.item, _at(item, where))
            return
        if isinstance(t, MapOf):
            if isinstance(value, dict):
                for item in list(value.values())[:MAX_ITEMS]:
                    self.walk(item, t.value, _at(item, where))
            return
        if isinstance(t, UnionOf):
            self._union(value, t.variants, where)
            return
        d = self.by_class.get(t.target or "") if isinstance(t, Ref) else None
        if isinstance(d, Model) and isinstance(value, dict):
            self.model(value, d, _at(value, where))
        elif isinstance(d, Enum):
            self._enum(value, d, where)
        elif isinstance(d, Union) and d.variants:
            self._union(value, d.variants, where)

    def model(self, value: dict[str, Any], model: Model, where: Location) -> None:
        """Each key of ``value`` to the property it is, then its value."""
        index = field_index(model)
        for key, item in value.items():
            at = _key_at(value, key, where)
            f = index.get(squash(key))
            if f is None:
                if squash(key) not in index.ambiguous:
                    text = f"'{key}' is no property of {model.name}"
                    self.seen.contradiction("unknown-key", model, key, text, at)
                continue
            self.seen.key(model, f, key, at)
            if item is None:
                self.seen.null(model, f, at)
                continue
            problem = mismatch(item, f.type, self.by_class)
            if problem:
                text = f"{model.name}.{f.name} is {problem}"
                self.seen.contradiction("type", model, f.name, text, at)
            else:
                self.walk(item, f.type, at)
        present = {squash(k) for k in value}
        for f in model.fields:
            names = {squash(strip_escape(f.name)), squash(f.wire_key)}
            if f.required and not names & present:
                text = f"the required property {model.name}.{f.name} is missing"
                self.seen.contradiction("missing", model, f.name, text, where)

    def keys(self, names: tuple[str, ...], model: Model, where: Location) -> None:
        """A form's or multipart body's field names, as keys of ``model``."""
        index = field_index(model)
        for key in names:
            f = index.get(squash(key))
            if f is not None:
                self.seen.key(model, f, key, where)
            elif squash(key) not in index.ambiguous:
                text = f"'{key}' is no property of {model.name}"
                self.seen.contradiction("unknown-key", model, key, text, where)

    def _enum(self, value: Any, enum: Enum, where: Location) -> None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return
        if all(m.value != value for m in enum.members):
            self.seen.enum_value(enum, str(value), where)

    def _union(
        self, value: Any, variants: tuple[TypeRef, ...], where: Location
    ) -> None:
        fitting = [v for v in variants if not mismatch(value, v, self.by_class)]
        if not fitting:
            return
        if isinstance(value, dict):
            fitting.sort(key=lambda v: -self._fit(value, v))
        self.walk(value, fitting[0], where)

    def _fit(self, value: dict[str, Any], t: TypeRef) -> int:
        d = self.by_class.get(t.target or "") if isinstance(t, Ref) else None
        if not isinstance(d, Model):
            return 0
        index = field_index(d)
        return sum(1 if squash(k) in index else -1 for k in value)


class FieldIndex(dict[str, Field]):
    """A model's properties by squashed Name and key; ``ambiguous``: names
    two properties share (no key decides between them)."""

    ambiguous: set[str]


def field_index(model: Model) -> FieldIndex:
    index = FieldIndex()
    index.ambiguous = set()
    for f in model.fields:
        for name in {squash(strip_escape(f.name)), squash(f.wire_key)}:
            other = index.get(name)
            if other is not None and other is not f:
                index.ambiguous.add(name)
            index[name] = f
    for name in index.ambiguous:
        del index[name]
    return index


_JSON_KINDS = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}


def mismatch(value: Any, t: TypeRef, by_class: dict[str, Definition]) -> str | None:
    """How ``value`` is not of type ``t`` (``"a string, not int"``), or None."""
    if value is None or isinstance(t, AnyType):
        return None
    got = _kind(value)
    wanted = _wanted(t, by_class)
    if wanted is None or got in wanted:
        return None
    return f"{got} in the sample, the docs say {' or '.join(sorted(wanted))}"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return _JSON_KINDS.get(type(value), "a value")


def _wanted(
    t: TypeRef, by_class: dict[str, Definition], seen: frozenset[str] = frozenset()
) -> set[str] | None:
    """The JSON kinds type ``t`` takes; None for any."""
    if isinstance(t, Primitive):
        return {
            "str": {"a string"}, "bytes": {"a string"}, "bool": {"a boolean"},
            "int": {"a number"}, "float": {"a number"},
        }[t.name]  # fmt: skip
    if isinstance(t, ListOf):
        return {"an array"}
    if isinstance(t, MapOf):
        return {"an object"}
    d = by_class.get(t.target or "") if isinstance(t, Ref) else None
    if d is not None and d.class_name in seen:
        return None
    if isinstance(d, Model):
        return {"an object"}
    if isinstance(d, Enum):
        return {"a string"} if d.value_type == "str" else {"a number"}
    variants = t.variants if isinstance(t, UnionOf) else ()
    if isinstance(d, Union):
        variants, seen = d.variants, seen | {d.class_name}
    kinds: set[str] = set()
    for v in variants:
        more = _wanted(v, by_class, seen)
        if more is None:
            return None
        kinds |= more
    return kinds or None


def _at(value: Any, where: Location) -> Location:
    if isinstance(value, JsonObject):
        return Location(where.path, value.line)
    return where


def _key_at(value: dict[str, Any], key: str, where: Location) -> Location:
    if isinstance(value, JsonObject):
        return Location(where.path, value.line_of(key))
    return where
