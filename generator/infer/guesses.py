"""What docs2py could not know: the wire decisions that rest on no evidence.

Every key, query/header name, parameter location, parameter style, body
encoding and API-key placement in the IR carries its ``Source``
(``ir.Source``).  Those whose source is a dialect ``prior`` or the
``default`` are guesses: ``guesses`` lists them, each with the rule that
made it, what evidence there was, and the setting that pins it (``pin``),
so that a user sees in one place what to check, and ``strict-wire`` can
refuse a build while one is unpinned.  Class names derived from where a
definition is used (``read/class_names.py``) are listed too, as kind
``class-name`` with their ``class-names`` pin; they are not wire decisions,
so ``strict-wire`` leaves them alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostics
from ..ir import GUESSES, Api, AuthScheme, Clue, Location, Method, Parameter, Source
from ..settings import style_token

LOCATION_SOURCES: dict[str, Source] = {
    "override": "override",
    "go-context": "protocol",
    "path-placeholder": "evidence",
    "well-known-header": "protocol",
    "body-name": "evidence",
    "body-description": "evidence",
    "body-type-name": "evidence",
    "query-bundle": "evidence",
    "x-header": "prior",
    "description-header": "evidence",
    "method-name-header": "evidence",
    "header-elsewhere": "evidence",
    "typed-object": "evidence",
    "default-query": "default",
}
"""What each location rule (``Parameter.rule``, docs/services.md) rests on.
The dialect's ways of writing a body or a bundle (``body-name``,
``body-type-name``, ``query-bundle``) are how the docs say it; the ``X-``
prefix is only a habit of headers (a prior), and a parameter the docs do not
place is sent in the query string by default (a guess either way)."""

BODY_SOURCES: dict[str, Source] = {
    "override": "override",
    "binary-body": "evidence",
    "binary-field": "evidence",
    "oauth-token": "protocol",
    "oauth-message": "protocol",
    "default": "default",
}
"""What each body rule (``Method.body_rule``) rests on."""

KINDS = ("key", "name", "location", "style", "encoding", "auth")
"""The kinds of wire guesses (what ``strict-wire`` may refuse)."""
ALL_KINDS = (*KINDS, "class-name")
"""Every kind of guess, in the order the summary line shows them."""


@dataclass(frozen=True, slots=True)
class Guess:
    """One decision made without evidence, and how to pin it."""

    kind: str
    """``key``, ``name``, ``location``, ``style``, ``encoding``, ``auth`` or
    ``class-name``."""
    target: str
    """What it is about: ``Model.property``, ``Service.method.parameter``…"""
    value: str
    """What docs2py chose."""
    source: Source
    rule: str
    location: Location | None
    evidence: tuple[Clue, ...]
    pin: tuple[str, tuple[str, ...], str]
    """The ``[tool.docs2py]`` setting that pins it: (key, the path of table
    keys under it, the value): ``("wire-key-overrides", ("Pet", "id"),
    "_id")``."""
    status: str = "guess"
    """``guess`` (it remains one); for a decision samples of real traffic
    made (``covered``): ``confirmed`` or ``corrected`` (a guess the samples
    showed right or wrong), ``overruled`` (what the docs' evidence decided,
    which the samples contradict)."""
    guessed: str = ""
    """What the docs alone decided, for a decision samples made."""


def location_source(rule: str) -> Source:
    return LOCATION_SOURCES.get(rule, "default")


def body_source(rule: str) -> Source:
    return BODY_SOURCES.get(rule, "default")


def guesses(api: Api) -> list[Guess]:
    """Every guess in ``api``, in the order of the docs."""
    found = list(_keys(api))
    for s in api.services:
        for m in s.methods:
            found += _method(s.name, m)
    found += [g for a in api.auth if (g := _auth(a)) is not None]
    return found + list(_class_names(api))


def covered(api: Api) -> list[Guess]:
    """The decisions samples of real traffic made (``infer/learned.py``)
    that were guesses (``confirmed``, ``corrected``) or that contradict the
    docs' evidence (``overruled``), in the order of ``guesses``: without
    the samples, ``guesses`` would list exactly the ``confirmed`` and
    ``corrected`` ones more."""
    return [
        replace(g, source="sample", rule="sample", status=status, guessed=before)
        for g, status, before in _covered(api)
    ]


def _covered(api: Api) -> Iterator[tuple[Guess, str, str]]:
    for g in _decisions(api):
        before = _was(g.evidence, g.kind)
        if before is None:
            continue
        source, value = before
        if source in GUESSES:
            yield g, "confirmed" if value == g.value else "corrected", value
        elif value != g.value:
            yield g, "overruled", value


def _was(evidence: tuple[Clue, ...], aspect: str) -> tuple[str, str] | None:
    """(source, value) of what the docs alone decided, from a ``was:`` clue."""
    for c in evidence:
        kind, _, source = c.kind.partition(":")[2].partition(":")
        if c.kind.startswith("was:") and kind == aspect:
            return source, c.text
    return None


def _decisions(api: Api) -> Iterator[Guess]:
    """Every decision samples made, as guesses are listed (source ``sample``)."""
    for model in api.models:
        for f in model.fields:
            if f.key_source == "sample":
                key = ("wire-key-overrides", (model.name, f.name), f.wire_key)
                yield Guess("key", f"{model.name}.{f.name}", f.wire_key, "sample",
                            "sample", f.location, f.key_evidence, key)  # fmt: skip
    for s in api.services:
        for m in s.methods:
            yield from _sampled(f"{s.name}.{m.name}", m)
    for a in api.auth:
        if a.kind == "api_key" and a.source == "sample":
            pin = ("api-key", (), f"{a.where}:{a.name}")
            yield Guess("auth", "api_key", f"{a.where} {a.name}", "sample", "sample",
                        a.location, a.evidence, pin)  # fmt: skip


def _sampled(owner: str, m: Method) -> Iterator[Guess]:
    for p in m.parameters:
        target = f"{owner}.{p.name}"
        placed = f"{p.sent_in}:{p.wire_name}"
        pin = ("parameters", (f"{owner}.{p.own_name}",), placed)
        if p.location_source == "sample":
            yield Guess("location", target, p.sent_in, "sample", "sample",
                        p.location, p.name_evidence, pin)  # fmt: skip
            yield Guess("name", target, p.wire_name, "sample", "sample",
                        p.location, p.name_evidence, pin)  # fmt: skip
        if p.style_source == "sample":
            yield _style(target, p)
    if m.body_source == "sample":
        pin = ("bodies", (owner,), m.body_encoding)
        yield Guess("encoding", owner, m.body_encoding, "sample", "sample",
                    m.location, m.body_evidence, pin)  # fmt: skip


def counts(found: list[Guess]) -> dict[str, int]:
    """How many guesses of each kind (kinds with none left out)."""
    by_kind = Counter(g.kind for g in found)
    return {kind: by_kind[kind] for kind in ALL_KINDS if by_kind[kind]}


def _keys(api: Api) -> Iterator[Guess]:
    for model in api.models:
        for f in model.fields:
            if f.key_source in GUESSES:
                target = f"{model.name}.{f.name}"
                pin = ("wire-key-overrides", (model.name, f.name), f.wire_key)
                yield Guess(
                    "key", target, f.wire_key, f.key_source, f.key_rule,
                    f.location, f.key_evidence, pin,
                )  # fmt: skip


def _class_names(api: Api) -> Iterator[Guess]:
    """Class names derived from a definition's use (not pinned)."""
    for d in api.definitions:
        if d.name_rule == "derived":
            pin = ("class-names", (d.renamed_from,), d.class_name)
            yield Guess(
                "class-name", d.renamed_from, d.class_name, "default",
                "derived from its use", d.location, d.name_evidence, pin,
            )  # fmt: skip


def _method(service: str, m: Method) -> list[Guess]:
    out: list[Guess] = []
    owner = f"{service}.{m.name}"
    for p in m.parameters:
        out += _parameter(owner, p)
    if m.body_rule and m.body_source in GUESSES:
        pin = ("bodies", (owner,), m.body_encoding)
        out.append(
            Guess("encoding", owner, m.body_encoding, m.body_source, m.body_rule,
                  m.location, (), pin)
        )  # fmt: skip
    return out


def _parameter(owner: str, p: Parameter) -> list[Guess]:
    out: list[Guess] = []
    target = f"{owner}.{p.name}"
    where = p.sent_in
    placed = f"{where}:{p.wire_name}" if where in ("query", "header") else where
    pin = ("parameters", (f"{owner}.{p.own_name}",), placed)
    if p.location_source in GUESSES and where != "none":
        out.append(
            Guess("location", target, where, p.location_source, p.rule, p.location,
                  (), pin)
        )  # fmt: skip
    if where in ("query", "header") and p.name_source in GUESSES:
        out.append(
            Guess("name", target, p.wire_name, p.name_source, p.name_rule,
                  p.location, p.name_evidence, pin)
        )  # fmt: skip
    if p.style and p.style_source in GUESSES:
        out.append(_style(target, p))
    return out


def _style(target: str, p: Parameter) -> Guess:
    """A style chosen without evidence; its pin keeps the parameter's place
    and name (``query:sort:form``; a path keeps its placeholder)."""
    token = style_token(p.style, p.explode)
    name = "" if p.sent_in == "path" else p.wire_name
    pin = ("parameters", (target,), f"{p.sent_in}:{name}:{token}")
    return Guess("style", target, token, p.style_source, p.style_rule, p.location,
                 p.style_evidence, pin)  # fmt: skip


def _auth(a: AuthScheme) -> Guess | None:
    if a.kind != "api_key" or a.source not in GUESSES:
        return None
    pin = ("api-key", (), f"{a.where}:{a.name}")
    return Guess("auth", "api_key", f"{a.where} {a.name}", a.source, "default",
                 a.location, (), pin)  # fmt: skip


def enforce(found: list[Guess], kinds: frozenset[str], diags: Diagnostics) -> None:
    """An error for every guess of ``kinds`` (``strict-wire``): the run fails
    until each is pinned or decided by evidence."""
    for g in found:
        if g.kind not in kinds:
            continue
        where = g.location or Location("docs2py", 0)
        diags.error(
            where.path, where.line,
            f"strict-wire: the {g.kind} of {g.target} is a guess ({g.value!r}, "
            f"{g.source}: {g.rule}); pin it in [tool.docs2py] with "
            f"{pin_toml(g.pin)}",
            "unpinned-guess",
        )  # fmt: skip


def pin_toml(pin: tuple[str, tuple[str, ...], str]) -> str:
    """The ``[tool.docs2py]`` line that pins a guess:
    ``wire-key-overrides = { "Pet" = { "id" = "_id" } }``.  Strings are JSON
    strings, which TOML reads as basic strings."""
    setting, path, value = pin
    text = json.dumps(value, ensure_ascii=False)
    for key in reversed(path):
        text = f"{{ {json.dumps(key, ensure_ascii=False)} = {text} }}"
    return f"{setting} = {text}"
