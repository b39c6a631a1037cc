"""Links references across files and gives every definition a unique class name.

* A reference is looked up in its own file first (nested models live there and
  short names like ``Error`` mean different things in different files), then in
  its folder (one SDK client's docs), then in all files; each by the exact name,
  then by class name (so ``Details1Resources`` finds ``Details_1Resources``).
* Identical definitions of one name merge; conflicting ones keep both under
  distinct class names, with a warning.
* A service documented twice in one folder (liblab writes a Kotlin copy
  ``XService.kt.md`` beside a Java SDK's ``XService.md``) is generated once,
  from the file without a language suffix, with a warning naming both files.
* An unresolvable reference becomes ``Any`` with a warning that suggests the
  closest known names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import names
from ..diagnostics import Diagnostics, Level
from ..ir import (
    AnyType,
    Api,
    Definition,
    Enum,
    Field,
    ListOf,
    Location,
    MapOf,
    Model,
    Ref,
    Service,
    TypeRef,
    Union,
    UnionOf,
)
from . import class_names
from .duplicates import once
from .parse_type import suggestions
from .unions import type_names

# The public members of the generated clients (``_http.SyncHttp`` and
# ``AsyncHttp``, and what client.py.jinja sets on them), which a service must
# not take (tests/test_names_hostile.py checks the list against the runtime).
CLIENT_ATTRIBUTES = frozenset(
    ["request", "call", "stream", "close", "aclose", "with_options", "base_url"]
    + ["timeout", "max_retries", "retry_all_methods", "default_base_url"]
    + ["max_response_size", "headers", "api_version", "user_agent"]
    + ["takes_api_version"]
    + ["env_prefix", "api_key_name", "api_key_in", "token_url", "credential_env"]
)
# Names the generated package root exports besides the definitions.
RESERVED_CLASS_NAMES = frozenset(
    ["Unset", "UNSET", "DecodeError", "Model", "Client", "AsyncClient", "ApiError"]
)


def _signature(d: Definition) -> object:
    """What makes two definitions the same, ignoring locations and descriptions."""
    if isinstance(d, Model):
        return (
            "model",
            tuple((f.name, f.wire_key, f.type, f.required) for f in d.fields),
        )
    if isinstance(d, Enum):
        return ("enum", tuple((m.python_name, m.value) for m in d.members))
    return ("union", d.variants)


@dataclass(slots=True)
class _Scope:
    by_name: dict[str, str]
    by_class: dict[str, str]

    def find(self, name: str) -> str | None:
        return self.by_name.get(name) or self.by_class.get(names.class_name(name))


class Resolver:
    """Resolves the definitions of all files (given in sorted path order)."""

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags
        self._close: dict[tuple[str, int], list[str]] = {}  # per resolve()
        self._conflicts: list[tuple[Definition, Definition, str]] = []

    def resolve(
        self,
        files: list[tuple[str, list[Definition]]],
        services: list[Service] | None = None,
        base_url: str | None = None,
        pins: dict[str, str] | None = None,
    ) -> Api:
        """The API: definitions linked and named (``pins``: ``class-names``),
        services linked."""
        elsewhere = _named_elsewhere(files, services or [])
        files = [(p, [_own_variants(d, elsewhere) for d in ds]) for p, ds in files]
        self._conflicts = []
        kept, entries = self._dedupe(files)
        self._close = {}
        scopes: dict[str, _Scope] = {"world": _Scope({}, {})}
        for path, name, class_name in entries:
            for key in self._scope_keys(path):
                scope = scopes.setdefault(key, _Scope({}, {}))
                scope.by_name.setdefault(name, class_name)
                scope.by_class.setdefault(names.class_name(name), class_name)
        out = [self._link(d, scopes) for d in kept]
        linked = self._services(services or [], scopes)
        api = Api(tuple(out), linked, base_url)
        api, renamed = class_names.name(api, pins or {}, self.diags)
        self._report_conflicts(renamed)
        return replace(api, definitions=tuple(sorted(api.definitions, key=_by_class)))

    def _services(
        self, services: list[Service], scopes: dict[str, _Scope]
    ) -> tuple[Service, ...]:
        """Services with linked types and unique attribute names, sorted."""
        taken = set(CLIENT_ATTRIBUTES)
        out: list[Service] = []
        for service in sorted(
            once(services, self.diags), key=lambda s: (s.name, s.location)
        ):
            models = service.location.path.rpartition("/")[0].rpartition("/")[0]
            keys = ("dir:" + models + "/models", "world")
            chain = [scopes[k] for k in keys if k in scopes]
            name = names.unique(service.python_name, taken)
            if name != service.python_name:
                self._renamed(service, name)
            out.append(self._link_service(replace(service, python_name=name), chain))
        return tuple(sorted(out, key=lambda s: s.python_name))

    @staticmethod
    def _scope_keys(path: str) -> tuple[str, str, str]:
        """The file, its folder, and everything: the scopes searched in order."""
        return ("file:" + path, "dir:" + path.rpartition("/")[0], "world")

    def _dedupe(
        self, files: list[tuple[str, list[Definition]]]
    ) -> tuple[list[Definition], list[tuple[str, str, str]]]:
        """Definitions to generate, and (path, name, class name) for every heading.

        A definition identical to an earlier version of its name merges into it
        (its file then refers to that version); a different one is kept under a
        new class name.
        """
        versions: dict[str, list[Definition]] = {}
        taken: set[str] = set()
        kept: list[Definition] = []
        entries: list[tuple[str, str, str]] = []
        for path, definitions in files:
            for d in definitions:
                key = d.class_name
                same = next(
                    (
                        v
                        for v in versions.get(key, [])
                        if _signature(v) == _signature(d)
                    ),
                    None,
                )
                if same is None:
                    reserved = key in RESERVED_CLASS_NAMES
                    name = key + "Model" if reserved else key
                    rule = "conflict" if key in versions else ""
                    same = replace(
                        d,
                        class_name=names.unique(name, taken),
                        name_rule=rule or ("reserved" if reserved else ""),
                    )
                    if key in versions:
                        self._conflicts.append((d, versions[key][0], same.class_name))
                    versions.setdefault(key, []).append(same)
                    kept.append(same)
                entries.append((path, d.name, same.class_name))
        return kept, entries

    def _link_service(self, service: Service, chain: list[_Scope]) -> Service:
        def link(t: TypeRef, loc: Location) -> TypeRef:
            return self._type(t, loc, chain)

        methods = tuple(
            replace(
                m,
                parameters=tuple(
                    replace(p, type=link(p.type, p.location)) for p in m.parameters
                ),
                returns=link(m.returns, m.location) if m.returns else None,
            )
            for m in service.methods
        )
        return replace(service, methods=methods)

    def _renamed(self, service: Service, name: str) -> None:
        why = (
            "a member of the client"
            if service.python_name in CLIENT_ATTRIBUTES
            else "another service's"
        )
        self.diags.add(
            Level.NOTE,
            service.location.path,
            service.location.line,
            f"service {service.name!r} is client.{name}: "
            f"{service.python_name!r} is {why}",
            "renamed",
        )

    def _conflict(self, d: Definition, other: Definition, unique: str) -> None:
        self.diags.warning(
            d.location.path,
            d.location.line,
            f"{d.name!r} is also defined differently at {other.location}; "
            f"this one is generated as {unique!r}",
            "conflicting-definition",
        )

    def _report_conflicts(self, renamed: dict[str, str]) -> None:
        """The conflicts ``_dedupe`` found, with each one's final class name."""
        for d, other, unique in self._conflicts:
            self._conflict(d, other, renamed.get(unique, unique))

    def _link(self, d: Definition, scopes: dict[str, _Scope]) -> Definition:
        chain = [scopes[k] for k in self._scope_keys(d.location.path)]

        def link(t: TypeRef, loc: Location) -> TypeRef:
            return self._type(t, loc, chain)

        if isinstance(d, Model):
            fields = tuple(replace(f, type=link(f.type, f.location)) for f in d.fields)
            return replace(d, fields=fields)
        if isinstance(d, Union):
            variants = tuple(link(v, d.location) for v in d.variants)
            return replace(d, variants=variants)
        return d

    def _type(self, t: TypeRef, loc: Location, chain: list[_Scope]) -> TypeRef:
        if isinstance(t, ListOf):
            return ListOf(self._type(t.item, loc, chain))
        if isinstance(t, MapOf):
            return MapOf(self._type(t.value, loc, chain))
        if isinstance(t, UnionOf):
            return UnionOf(tuple(self._type(v, loc, chain) for v in t.variants))
        if not isinstance(t, Ref):
            return t
        for candidate in t.candidates or (t.name,):
            for scope in chain:
                target = scope.find(candidate)
                if target is not None:
                    return replace(t, target=target)
        self._unknown(t.name, loc, chain[-1])
        return AnyType()

    def _unknown(self, name: str, loc: Location, world: _Scope) -> None:
        key = (name, id(world))
        if key not in self._close:  # a missing type is often named many times
            self._close[key] = suggestions(name, world.by_name)
        close = self._close[key]
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        self.diags.warning(
            loc.path,
            loc.line,
            f"unknown type {name!r}, using Any{hint}",
            "unknown-type",
        )


def _by_class(d: Definition) -> str:
    return d.class_name


def _named_elsewhere(
    files: list[tuple[str, list[Definition]]], services: list[Service]
) -> set[str]:
    """The names (as class names) that a service, or a property in a file
    that does not define them, refers to."""
    out: set[str] = set()
    for service in services:
        for m in service.methods:
            types = [p.type for p in m.parameters] + ([m.returns] if m.returns else [])
            for t in types:
                out.update(names.class_name(n) for n in type_names(t))
    for _, definitions in files:
        own = {names.class_name(d.name) for d in definitions}
        for d in definitions:
            for f in d.fields if isinstance(d, Model) else ():
                named = {names.class_name(n) for n in type_names(f.type)}
                out.update(named - own)
    return out


def _own_variants(d: Definition, elsewhere: set[str]) -> Definition:
    """A union read from the headings under it keeps only the variants that
    nothing outside its file names (see ``unions``)."""
    if not isinstance(d, Union) or d.rule != "headings":
        return d
    kept = tuple(
        v
        for v in d.variants
        if not (isinstance(v, Ref) and names.class_name(v.name) in elsewhere)
    )
    if kept == d.variants:
        return d
    return replace(d, variants=kept, rule="headings" if kept else "")


def field_types(api: Api) -> list[tuple[Field, Model]]:
    """Every field with its model (for tests and reports)."""
    return [(f, m) for m in api.models for f in m.fields]
