"""The intermediate model: frozen dataclasses that describe the spec, nothing else.

The IR knows nothing of Markdown, Jinja, black or files on disk.  Its JSON shape
(``ir_json.to_json``) is printed by ``docs2py ir`` and documented in docs/ir.md.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

IR_VERSION = 2

PrimitiveName = Literal["str", "int", "float", "bool", "bytes"]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where something was written: a spec file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Primitive:
    """A JSON scalar: str, int, float, bool, or bytes (sent as a string)."""

    name: PrimitiveName


@dataclass(frozen=True, slots=True)
class AnyType:
    """Any JSON value (``any``, ``object``, or a type that could not be resolved)."""


@dataclass(frozen=True, slots=True)
class ListOf:
    """A JSON array of ``item``."""

    item: TypeRef


@dataclass(frozen=True, slots=True)
class MapOf:
    """A JSON object with string keys and ``value`` values."""

    value: TypeRef


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a definition by name.

    ``name`` is the name as written; ``candidates`` are the names tried in order
    (the first is ``name``; PHP's ``model`` and links add more).  After resolution
    ``target`` is the referenced definition's ``class_name`` (unique).
    """

    name: str
    candidates: tuple[str, ...] = ()
    target: str | None = None


@dataclass(frozen=True, slots=True)
class UnionOf:
    """An inline union (C# ``OneOf<A, B>``)."""

    variants: tuple[TypeRef, ...]


TypeRef = Primitive | AnyType | ListOf | MapOf | Ref | UnionOf


Source = Literal[
    "override", "sample", "setting", "protocol", "evidence", "prior", "default"
]
"""What a wire decision (a key, a name, a location, an encoding, an auth
choice) rests on: the user's ``override``, a ``sample`` of real traffic
(the learned file, ``docs2py learn``), the user's ``setting``, a
``protocol``'s rules (OAuth 2.0, SCIM, HTTP), ``evidence`` in the docs, a
dialect ``prior``
(how the dialect derives its Names, with no evidence for this name), or the
``default``.  ``prior`` and ``default`` are guesses (``GUESSES``): listed by
``docs2py explain``, pinnable, and refused by ``strict-wire``."""

GUESSES: frozenset[str] = frozenset({"prior", "default"})


@dataclass(frozen=True, slots=True)
class Clue:
    """One piece of evidence a wire decision rests on: what was seen
    (``kind``: ``json``, ``quoted``, ``example``, ``placeholder``, ``prose``…,
    or ``rule`` for a protocol's rule), the text, where, and how much it
    weighs (0 for what only repeats the Name: no evidence)."""

    kind: str
    text: str
    location: Location | None = None
    weight: float = 1.0

    def __str__(self) -> str:
        if self.location is None:
            return self.text
        return f"{self.kind} '{self.text}' at {self.location}"


@dataclass(frozen=True, slots=True)
class Field:
    """One property of a model.

    ``wire_key`` is the JSON key; ``key_rule`` names the rule that decided it
    and ``key_evidence`` what in the docs it rests on (see docs/names.md).
    """

    name: str
    python_name: str
    wire_key: str
    type: TypeRef
    required: bool
    description: str
    location: Location
    key_rule: str = "as-written"
    key_evidence: tuple[Clue, ...] = ()
    key_source: Source = "default"
    deprecated: bool = False
    binary: bool = False
    """A file in a multipart body (``bytes``, a path, a file object)."""


@dataclass(frozen=True, slots=True)
class Model:
    """An object with named properties (a ``**Properties**`` table)."""

    name: str
    class_name: str
    description: str
    fields: tuple[Field, ...]
    location: Location
    name_rule: str = ""
    """How ``class_name`` was chosen: ``""`` (from the heading), ``reserved``
    (the heading is a name the package reserves: ``Model`` appended),
    ``conflict`` (a second, different definition of the name: ``_2``
    appended), ``derived`` (a mechanical name replaced by one derived from
    where the definition is used) or ``pinned`` (``class-names``)."""
    renamed_from: str = ""
    """With ``derived`` or ``pinned``: the class name it replaced."""
    name_evidence: tuple[Clue, ...] = ()
    """With ``derived``: the use the name was derived from."""


@dataclass(frozen=True, slots=True)
class EnumMember:
    """One enum value: ``name`` is the docs' label, ``value`` the JSON value."""

    name: str
    python_name: str
    value: str | int
    location: Location


@dataclass(frozen=True, slots=True)
class Enum:
    """A closed set of string or integer values."""

    name: str
    class_name: str
    description: str
    value_type: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    location: Location
    name_rule: str = ""  # (see ``Model.name_rule``)
    renamed_from: str = ""
    name_evidence: tuple[Clue, ...] = ()


@dataclass(frozen=True, slots=True)
class Union:
    """One of several types.  No variants means an opaque value (any JSON).

    ``rule`` says where the variants were read: ``headings`` (the headings
    under the union's own), ``stubs`` ("This is a union type" and its "See
    all details" stubs), ``map`` (a single placeholder property: any key),
    or ``""`` (none: opaque).
    """

    name: str
    class_name: str
    description: str
    variants: tuple[TypeRef, ...]
    location: Location
    rule: str = ""
    name_rule: str = ""  # (see ``Model.name_rule``)
    renamed_from: str = ""
    name_evidence: tuple[Clue, ...] = ()


Definition = Model | Enum | Union


@dataclass(frozen=True, slots=True)
class StyleDecision:
    """How the JSON keys (or query/header names) of an API are spelled.

    ``style`` is ``snake_case``, ``camelCase``, ``PascalCase`` or
    ``as-written``; ``rule`` is ``setting`` (chosen by the user), ``inferred``
    (from ``evidence``: kind of evidence → how many sightings) or ``default``
    (no evidence; the dialect's usual spelling); ``note`` says when the
    evidence is weak or split.
    """

    style: str
    rule: str
    evidence: tuple[tuple[str, int], ...] = ()
    note: str = ""

    def summary(self) -> str:
        """``snake_case (41 placeholders, 12 examples)``."""
        counts = ", ".join(f"{n} {kind}" for kind, n in self.evidence if n)
        detail = counts if self.rule == "inferred" and counts else self.rule
        return f"{self.style} ({detail})"


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """A way to authenticate that the docs' README describes.

    ``kind``: ``api_key`` (sent in the ``where`` header or query parameter
    ``name``), ``bearer``, ``basic`` or ``oauth2`` (client credentials at
    ``token_url``); ``env`` maps credentials (``api_key``, ``client_id``…)
    to the environment variables the README names for them.
    """

    kind: str
    name: str = ""
    where: str = "header"
    token_url: str = ""
    env: tuple[tuple[str, str], ...] = ()
    location: Location | None = None
    """Where the docs describe the scheme, or (for an API key whose place the
    docs name) the line that names it."""
    source: Source = "default"
    """What ``name`` and ``where`` rest on (for an API key): ``sample``,
    ``setting``, ``evidence`` or ``default``."""
    evidence: tuple[Clue, ...] = ()
    """What ``source`` rests on (the docs' line or a sample that sent the key)."""


@dataclass(frozen=True, slots=True)
class Environment:
    """A named base URL (``production = "https://…"``) from the README."""

    name: str
    python_name: str
    url: str


@dataclass(frozen=True, slots=True)
class WireStyles:
    """The key style of model bodies and of query/header parameter names."""

    keys: StyleDecision
    parameters: StyleDecision


SentIn = Literal["path", "query", "header", "body", "query-map", "none"]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of an endpoint and where it travels.

    ``sent_in`` says where (``query-map``: a model or mapping whose keys become
    query parameters; ``none``: not sent, e.g. Go's ``ctx``); ``rule`` names the
    documented rule that decided it (see docs/services.md); ``wire_name`` is the
    path placeholder, query key or header name, decided by ``name_rule`` on
    ``name_evidence``.
    """

    name: str
    python_name: str
    wire_name: str
    sent_in: SentIn
    rule: str
    type: TypeRef
    required: bool
    description: str
    location: Location
    name_rule: str = ""
    name_evidence: tuple[Clue, ...] = ()
    deprecated: bool = False
    location_source: Source = "default"
    """What ``sent_in`` rests on (``rule`` names the rule)."""
    name_source: Source = "default"
    """What ``wire_name`` rests on (``name_rule`` names the rule)."""
    bundle: str = ""
    """The documented argument this parameter was spread from (Java's
    ``requestParameters``), or ``""``; ``name`` is then ``bundle.member``."""

    @property
    def own_name(self) -> str:
        """The parameter's own Name (a bundle member's, without the bundle's)."""
        return self.name[len(self.bundle) + 1 :] if self.bundle else self.name

    style: str = ""
    """How an array or object value is spelled (OpenAPI's parameter styles):
    ``form``, ``deepObject``, ``spaceDelimited`` or ``pipeDelimited`` in a
    query, ``simple`` in a path or header; ``""``: no decision (a scalar, a
    body, a bundle)."""
    explode: bool = False
    """With ``style``: ``form`` repeats an array's key and flattens an object
    (``True``) or joins with commas (``False``)."""
    style_rule: str = ""
    style_source: Source = "default"
    """What ``style`` rests on (``style_rule`` names the rule)."""
    style_evidence: tuple[Clue, ...] = ()
    client_option: str = ""
    """The client option that fills this parameter when a call leaves it
    out (``api_version``: the parameter is the API's version, set once
    with ``Client(api_version=…)``), or ``""``."""


@dataclass(frozen=True, slots=True)
class Paging:
    """How a method pages (``style``: cursor, page or offset).

    ``parameter`` and ``size`` are the Python names of the parameter the
    pager sets and of the page-size parameter; ``items`` and ``next`` are
    attribute paths in the decoded response (``()``: the response is the
    list); ``start`` is the first page number; ``iterator`` names the
    generated ``iter_…`` method.
    """

    style: str
    parameter: str
    size: str | None
    items: tuple[str, ...]
    next: tuple[str, ...]
    start: int
    iterator: str
    rule: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Example:
    """A string that a method's example code gives a named argument or
    property (``trans_id="transId"``, ``gpuClasses: ['gpu_classes']``): the
    generator of the docs fills example values with the API's own names."""

    name: str
    value: str
    location: Location


@dataclass(frozen=True, slots=True)
class Method:
    """One endpoint: ``http_method`` and ``path`` (with ``{placeholders}``)."""

    name: str
    python_name: str
    http_method: str
    path: str
    description: str
    parameters: tuple[Parameter, ...]
    returns: TypeRef | None
    location: Location
    examples: tuple[Example, ...] = ()
    deprecated: bool = False
    paging: Paging | None = None
    body_encoding: str = "json"
    """``json``, ``multipart``, ``form`` or ``raw``, decided by ``body_rule``."""
    body_rule: str = ""
    body_source: Source = "default"
    """What ``body_encoding`` rests on."""
    body_evidence: tuple[Clue, ...] = ()
    """The clues ``body_source`` rests on (a sample's Content-Type)."""
    idempotency_header: str | None = None
    """The header the API takes an idempotency key in, if it takes one."""
    stream_name: str | None = None
    """For a file download: the name of the generated method that streams it."""


@dataclass(frozen=True, slots=True)
class Service:
    """A group of endpoints; ``python_name`` is its attribute on the client."""

    name: str
    python_name: str
    class_name: str
    methods: tuple[Method, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Api:
    """Everything the specs define, sorted by class name; services by name."""

    definitions: tuple[Definition, ...]
    services: tuple[Service, ...] = ()
    base_url: str | None = None
    wire_styles: WireStyles | None = None
    auth: tuple[AuthScheme, ...] = ()
    environments: tuple[Environment, ...] = ()
    base_url_evidence: tuple[Clue, ...] = ()
    """The example calls that show ``base_url`` when the README names none
    (``infer/base_url.py``); empty when the README names it."""

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(d for d in self.definitions if isinstance(d, Model))

    @property
    def enums(self) -> tuple[Enum, ...]:
        return tuple(d for d in self.definitions if isinstance(d, Enum))

    @property
    def unions(self) -> tuple[Union, ...]:
        return tuple(d for d in self.definitions if isinstance(d, Union))

    def by_name(self) -> dict[str, Definition]:
        return {d.name: d for d in self.definitions}


def pickle_compactly(cls: type) -> None:
    """Pickle instances of a frozen dataclass as a call of its constructor.

    Several times quicker than the default for slotted dataclasses (which
    looks up ``fields()`` for every object); parse results cross processes
    and fill the parse cache, so this is most of what parsing costs besides
    the parsing itself.
    """
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self: object) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple([getattr(self, name) for name in names])

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]


_CLASSES: list[type] = [Location, Primitive, AnyType, ListOf, MapOf, Ref, UnionOf]
_CLASSES += [Field, Model, EnumMember, Enum, Union, Parameter, Method, Service, Api]
_CLASSES += [Example, StyleDecision, WireStyles, Paging, AuthScheme, Environment]
_CLASSES += [Clue]
for _cls in _CLASSES:
    pickle_compactly(_cls)
