"""What the docs show about how structured parameters are spelled.

Read once per API from every description (models, fields, methods,
parameters), each sighting a ``Clue`` with its file and line:

* bracketed names (``filter[winner_type]=Team``, ``page[size]``): the API
  names an object's members in brackets (OpenAPI's ``deepObject``);
* query strings in examples (``?betIds=1,2,3`` joins an array with commas;
  ``?id=1&id=2`` repeats its key);
* a parameter's own description: "comma-separated", "separated by commas",
  "pipe-separated", "space-separated", or "provided multiple times".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..ir import Api, Clue, Location, Model

_BRACKETED = re.compile(r"(?<![\w$\]\[.-])([A-Za-z_$][\w$-]*)\[([A-Za-z_$][\w$.-]*)\]")
"""``filter[winner_type]``; not ``items[0]`` (an index) nor ``ids[]``."""
_QUERY = re.compile(r"\?((?:[\w$.\[\]-]+=[^\s&`'\"<>()]*&?)+)")
_SEPARATED = {
    "form": re.compile(
        r"\bcomma[- ](?:separated|delimited)\b|\bseparated by (?:a )?commas?\b"
        r"|\bcsv list\b",
        re.IGNORECASE,
    ),
    "pipeDelimited": re.compile(
        r"\bpipe[- ](?:separated|delimited)\b|\bseparated by (?:a )?pipes?\b",
        re.IGNORECASE,
    ),
    "spaceDelimited": re.compile(
        r"\bspace[- ](?:separated|delimited)\b|\bseparated by (?:a )?spaces?\b",
        re.IGNORECASE,
    ),
}
_REPEATED = re.compile(
    r"\b(?:provided|given|passed|specified|repeated) (?:multiple|several) times\b"
    r"|\brepeat(?:ing)? the (?:parameter|key)\b",
    re.IGNORECASE,
)


def squash(name: str) -> str:
    """A name compared ignoring case, ``_``, ``-`` and ``$``."""
    return re.sub(r"[-_$]", "", name).lower()


def separated(description: str) -> str | None:
    """The style a description says an array is joined in, or None."""
    for style, pattern in _SEPARATED.items():
        if pattern.search(description):
            return style
    return None


def repeated(description: str) -> bool:
    """The description says the parameter may be given several times."""
    return _REPEATED.search(description) is not None


@dataclass(slots=True)
class Sightings:
    """Bracketed names and example query strings, by squashed name."""

    brackets: dict[str, list[Clue]] = field(default_factory=dict)
    joined: dict[str, list[Clue]] = field(default_factory=dict)
    """``name=a,b`` in an example query string."""
    repeated: dict[str, list[Clue]] = field(default_factory=dict)
    """``name=a&name=b`` in an example query string."""

    def add(self, text: str, where: Location) -> None:
        for match in _BRACKETED.finditer(text):
            clue = Clue("bracketed", match[0], where)
            self.brackets.setdefault(squash(match[1]), []).append(clue)
        for match in _QUERY.finditer(text):
            self._query_string(match[1], where)

    def _query_string(self, query: str, where: Location) -> None:
        pairs = [p.partition("=") for p in query.split("&") if "=" in p]
        names = [squash(name) for name, _, _ in pairs]
        for (name, _, value), key in zip(pairs, names, strict=True):
            if "," in value:
                clue = Clue("example", f"{name}={value}", where)
                self.joined.setdefault(key, []).append(clue)
            if names.count(key) > 1 and "[" not in name:
                clue = Clue("example", f"{name}={value}", where)
                self.repeated.setdefault(key, []).append(clue)


def _texts(api: Api) -> Iterator[tuple[str, Location]]:
    for d in api.definitions:
        yield d.description, d.location
        if isinstance(d, Model):
            for f in d.fields:
                yield f.description, f.location
    for s in api.services:
        for m in s.methods:
            yield m.description, m.location
            for p in m.parameters:
                yield p.description, p.location


def collect(api: Api) -> Sightings:
    """Every sighting in the API's descriptions."""
    found = Sightings()
    for text, where in _texts(api):
        if "[" in text or "?" in text:
            found.add(text, where)
    return found
