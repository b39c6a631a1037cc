"""What the docs reveal about the API's own spelling of its keys and names.

The Name column holds SDK identifiers, but other places in the same docs use
the API's own spelling of the same names.  Each sighting has a kind, and each
kind a weight (``WEIGHTS``, one table for the API's style and for each name):

* ``json`` (2): a key of a JSON literal in a description (``{"begin_at": …}``);
* ``example`` (1.5): example code gives a named argument or property a string
  that spells the name otherwise than the code does (``trans_id="transId"``,
  ``gpuClasses: ['gpu_classes']``): liblab filled example strings with the
  API's names;
* ``echo`` (0): example code whose string only repeats the name it is given
  (``Iccid: util.ToPointer("Iccid")``: liblab 2.25 fills strings with the
  field's own name): a placeholder, no evidence; but where some example string
  spells its name otherwise, the docs' examples are filled with the API's
  names, and a repeated name is an ``example`` like any other;
* ``placeholder`` (1): path placeholders (``{workspace_id}``) are the API's
  path parameter names; they lean the body's style half as much;
* ``quoted`` (1): a name in backticks or quotes in a description
  (`` `begin_at` ``, ``'filter[videogame_version]=all'``);
* ``prose`` (1): a bare word of running text ("null when begin_at is…");
  prose in another naming style than the one in force counts a fifth of that
  for a name (``wirekeys``: comments copied from a proto file write
  ``external_id`` in a camelCase API);
* ``operation`` (0.25): a method heading spelled unlike the dialect's methods
  is the API's own operation id (``get_by_year_month_json`` in TypeScript
  docs); ``enum`` (0.25): multi-word enum values lean towards the API's style.

A word in a parameter's or property's own description that is its own name
names that kind of thing only.  A sighting counts for a
name when it squashes to the same letters and digits; only multi-word
spellings carry a style.  ``collect`` reads the resolved IR and returns the
sightings and the style votes; ``wire_styles`` and ``wirekeys`` decide.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..ir import Api, Clue, Enum, Location, Model
from ..read.build import strip_escape
from . import casing
from .casing import Style

_RUN = re.compile(r"[A-Za-z0-9_$-]+")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_JSON_KEY = re.compile(r"\"([A-Za-z_$][\w$.-]{0,79})\"\s*:")
_QUOTED = re.compile(
    r"`([^`\n]{1,200})`|\"([^\"\n]{1,200})\"|(?<!\w)'([^'\n]{1,200})'(?!\w)"
)
_CAPITALS = re.compile(r"\b([A-Z]{2,5}[0-9]?)s?\b")
_LOWER = re.compile(r"\b([a-z]{2,5}[0-9]?)s?\b")
WEIGHTS = {"json": 2.0, "example": 1.5, "placeholder": 1.0, "quoted": 1.0}
WEIGHTS |= {"prose": 1.0, "operation": 0.25, "enum": 0.25, "echo": 0.0}
"""How much one sighting of each kind weighs (for a style and for a name)."""


def squash(text: str) -> str:
    """Lower-case letters and digits only: how names are matched."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def name_style(names: Iterable[str]) -> Style | None:
    """The style the multi-word Names are written in (the dialect's), or None
    when no style has four in five of them (hand-written docs of raw keys;
    every liblab doc set is above 93%)."""
    shapes = Counter(casing.shape(strip_escape(n)) for n in names)
    shapes.pop(None, None)
    if not shapes:
        return None
    style, n = shapes.most_common(1)[0]
    return style if n >= 0.8 * sum(shapes.values()) else None


@dataclass(frozen=True, slots=True)
class Sighting:
    """One spelling of a name found in the docs, and where."""

    spelling: str
    kind: str
    location: Location
    owner: str
    """The model or ``Service.method`` whose text it was found in."""
    target: str = "any"
    """What it may name: ``param`` (placeholders, examples of a method's
    parameters), ``field`` (other examples) or ``any`` (descriptions)."""

    def __str__(self) -> str:
        return f"{self.kind} '{self.spelling}' at {self.location}"

    def clue(self) -> Clue:
        """The sighting as the IR records it."""
        return Clue(self.kind, self.spelling, self.location, WEIGHTS[self.kind])


@dataclass(slots=True)
class Tally:
    """Style votes (weighted) and how many sightings of each kind cast them."""

    votes: dict[Style, float] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, style: Style, kind: str, weight: float = 1.0) -> None:
        if not WEIGHTS[kind]:
            return  # no evidence (an example that repeats its name)
        self.votes[style] = self.votes.get(style, 0.0) + WEIGHTS[kind] * weight
        self.counts[kind] += 1


@dataclass(slots=True)
class Evidence:
    """Sightings by squashed name, and style votes for keys and parameters."""

    sightings: dict[str, list[Sighting]] = field(default_factory=dict)
    keys: Tally = field(default_factory=Tally)
    parameters: Tally = field(default_factory=Tally)
    acronyms: frozenset[str] = frozenset()
    """Words the docs write in capitals and never in lower case (``GB``,
    ``ISO2``, ``TLS``): a key may spell them so where its Name cannot."""
    _of: dict[tuple[object, ...], list[Sighting]] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Answers of ``of`` and ``counted`` (many models share a property name)."""

    def add(self, sighting: Sighting) -> None:
        """Record a sighting (under its squashed spelling)."""
        self.sightings.setdefault(squash(sighting.spelling), []).append(sighting)
        self._of.clear()

    def of(self, name: str, target: str) -> list[Sighting]:
        """The sightings of ``name`` (a ``field`` or a ``param``) spelled with
        the same words, and without a ``_``/``$`` prefix unless ``name`` has
        one: ``_id`` is another key than ``id`` (Python's ``id_``), while text
        that drops a Name's prefix (`` `postman_id` `` for ``_postmanId``)
        still names it."""
        found = self._of.get((name, target))
        if found is None:
            wanted, prefixed = casing.words(name), bool(casing.parts(name)[0])
            found = self._of[name, target] = [
                s
                for s in self.sightings.get(squash(name), [])
                if s.target in (target, "any")
                and casing.words(s.spelling) == wanted
                and (prefixed or not casing.parts(s.spelling)[0])
            ]
        return found

    def counted(
        self, name: str, target: str, counts: Callable[[Sighting], bool], how: object
    ) -> list[Sighting]:
        """The sightings ``of`` gives that ``counts`` keeps; ``how`` names the
        rule ``counts`` applies (answers are kept per name, target and rule)."""
        found = self._of.get((name, target, how))
        if found is None:
            found = self._of[name, target, how] = [
                s for s in self.of(name, target) if counts(s)
            ]
        return found


class _Collector:
    def __init__(self, api: Api) -> None:
        self.fields = {
            squash(strip_escape(f.name)) for m in api.models for f in m.fields
        }
        self.params = {
            squash(strip_escape(p.own_name.lstrip("$")))
            for s in api.services
            for m in s.methods
            for p in m.parameters
            if p.sent_in in ("query", "header", "path")
        }
        self.evidence = Evidence()

    def see(self, sighting: Sighting) -> None:
        key = squash(sighting.spelling)
        for_field = key in self.fields and sighting.target != "param"
        for_param = key in self.params and sighting.target != "field"
        if not (for_field or for_param):
            return
        self.evidence.add(sighting)
        style = casing.shape(sighting.spelling)
        if style is None:
            return
        # PascalCase in prose is often a type name or a sentence's first word.
        prose = sighting.kind == "prose"
        weight = 0.5 if style == "pascal" and prose else 1.0
        if for_field and not (style == "kebab" and prose):
            self.evidence.keys.add(style, sighting.kind, weight)
        if for_param:
            self.evidence.parameters.add(style, sighting.kind, weight)


def collect(api: Api) -> Evidence:
    """Every sighting of a field or parameter name, and the style votes."""
    c = _Collector(api)
    _placeholders(api, c.evidence)
    echo = "example" if _fills_with_keys(api) else "echo"
    for s in api.services:
        for m in s.methods:
            own = {squash(p.own_name) for p in m.parameters if p.sent_in != "body"}
            owner = f"{s.name}.{m.name}"
            for ex in m.examples:
                if _is_example_name(ex.name, ex.value):
                    target = "param" if squash(ex.name) in own else "field"
                    kind = echo if ex.value == ex.name else "example"
                    c.see(Sighting(ex.value, kind, ex.location, owner, target))
    capitals: set[str] = set()
    lower: set[str] = set()
    for owner, text, loc, name, target in _texts(api):
        capitals.update(_CAPITALS.findall(text))
        lower.update(_LOWER.findall(text))
        for kind, token in _tokens(text):
            what = target if squash(token) == name else "any"
            c.see(Sighting(token, kind, loc, owner, what))
    c.evidence.acronyms = frozenset(w for w in capitals if w.lower() not in lower)
    _enum_votes(api, c.evidence)
    _operation_votes(api, c.evidence)
    return c.evidence


def words(text: str) -> list[str]:
    """The names in ``text``: what ``[A-Za-z_$][A-Za-z0-9_$-]*[A-Za-z0-9_]``
    finds, in linear time.  In each run of name characters that pattern
    matches once, from the first letter, ``_`` or ``$`` to the last letter,
    digit or ``_`` (and, searching, it would rescan a long run from each of
    its characters)."""
    found = (r.lstrip("0123456789-").rstrip("$-") for r in _RUN.findall(text))
    return [word for word in found if len(word) >= 2]


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, word) of the names in a description: keys of JSON literals, words
    in backticks or quotes, and the words of the prose around them."""
    for key in _JSON_KEY.findall(text):
        yield "json", key
    rest = _JSON_KEY.sub(" ", text)
    for match in _QUOTED.finditer(rest):
        span = next(g for g in match.groups() if g is not None)
        for token in words(span):
            yield "quoted", token
    for token in words(_QUOTED.sub(" ", rest)):
        if len(token) > 2 and token[0] == token[-1] == "_":
            token = token[1:-1]  # _emphasis_
        yield "prose", token


def _texts(api: Api) -> Iterator[tuple[str, str, Location, str, str]]:
    """(owner, text, location, name, target) of every description: a word in
    a parameter's or property's description that is its own name (squashed
    ``name``) names a ``param`` or a ``field`` only; any other, anything."""
    for d in api.definitions:
        yield d.name, d.description, d.location, "", "any"
        if isinstance(d, Model):
            for f in d.fields:
                name = squash(strip_escape(f.name))
                yield d.name, f.description, f.location, name, "field"
    for s in api.services:
        for m in s.methods:
            owner = f"{s.name}.{m.name}"
            yield owner, m.description, m.location, "", "any"
            for p in m.parameters:
                name = squash(strip_escape(p.own_name.lstrip("$")))
                target = "field" if p.sent_in == "body" else "param"
                yield owner, p.description, p.location, name, target


def _fills_with_keys(api: Api) -> bool:
    """Whether the docs' example code fills strings with the API's names: some
    string spells its name otherwise than the code does.  Where none does, an
    example string that repeats its name is liblab 2.25's placeholder (the
    field's own name), no evidence (``echo``)."""
    return any(
        ex.value != ex.name and _is_example_name(ex.name, ex.value)
        for s in api.services
        for m in s.methods
        for ex in m.examples
    )


def _is_example_name(name: str, value: str) -> bool:
    """A value that spells the name it is given (not a constant, not a secret)."""
    if squash(name) != squash(value) or value.upper() == value:
        return False
    return not value.startswith(("YOUR_", "your_"))


def _placeholders(api: Api, evidence: Evidence) -> None:
    """Path placeholders name path parameters; bodies lean their way, half."""
    for s in api.services:
        for m in s.methods:
            for text in _PLACEHOLDER.findall(m.path):
                owner = f"{s.name}.{m.name}"
                sighting = Sighting(text, "placeholder", m.location, owner, "param")
                evidence.add(sighting)
                style = casing.shape(text)
                if style is None:
                    continue
                evidence.parameters.add(style, "placeholder")
                if style != "kebab":
                    evidence.keys.add(style, "placeholder", 0.5)


def _enum_votes(api: Api, evidence: Evidence) -> None:
    for d in api.definitions:
        if not isinstance(d, Enum) or d.value_type != "str":
            continue
        for member in d.members:
            style = casing.shape(str(member.value))
            if style in ("snake", "camel"):
                evidence.keys.add(style, "enum")


def _operation_votes(api: Api, evidence: Evidence) -> None:
    """Method headings unlike the dialect's own: raw operation ids."""
    dialect = name_style(f.name for m in api.models for f in m.fields)
    if dialect not in ("snake", "camel"):
        return
    for s in api.services:
        for m in s.methods:
            style = casing.shape(m.name)
            if style in ("snake", "camel") and style != dialect:
                evidence.keys.add(style, "operation")
                evidence.parameters.add(style, "operation")
