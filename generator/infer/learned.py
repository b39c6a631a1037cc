"""What samples of real traffic showed (the learned file,
``read/learned_file.py``), applied to the wire decisions as the strongest
evidence there is: only the user's explicit overrides outrank it.

``Applier`` runs between the infer stage's steps (``decisions.decide``):
``names`` after the wire keys (each property's key, each parameter's place
and name), ``styles`` after the parameter styles, ``bodies`` after the body
encodings, ``auth`` and ``enums`` at the end.  A decision it makes rests on
``sample`` (``ir.Source``) and carries two clues: the sample that showed it
(kind ``sample``, its file and line) and what the docs alone had decided
(kind ``was:ASPECT:SOURCE``, weight 0), from which ``guesses.covered``
tells which guesses the samples confirmed and which they corrected.  An
override that disagrees with the samples, and a fact about something the
docs do not have (anymore), are warnings at the learned file's line.
"""

from __future__ import annotations

from dataclasses import replace

from .. import names
from ..diagnostics import Diagnostics
from ..ir import (
    Api,
    AuthScheme,
    Clue,
    Definition,
    Enum,
    EnumMember,
    Field,
    Method,
    Model,
    Parameter,
    Ref,
    Source,
)
from ..read.learned_file import Fact, Learned
from ..settings import parse_style, style_token
from .bodies import is_binary

SENT = frozenset({"query", "header"})


def was(aspect: str, source: Source, value: str) -> Clue:
    """What the docs alone decided (``was:key:prior``, the value), weight 0."""
    return Clue(f"was:{aspect}:{source}", value, None, 0.0)


class Applier:
    """Applies a learned file's facts (none: changes nothing)."""

    def __init__(self, learned: Learned | None, diags: Diagnostics) -> None:
        self.learned = learned or Learned()
        self.diags = diags
        self.used: set[tuple[str, str]] = set()

    def clue(self, fact: Fact) -> Clue:
        """The sample that showed ``fact``."""
        return Clue("sample", fact.value, self.learned.sample(fact))

    def fact(self, section: str, target: str) -> Fact | None:
        found = self.learned.find(section, target)
        if found:
            self.used.add((section, target))
        return found[0] if found else None

    def overruled(self, fact: Fact, what: str, chosen: str) -> None:
        """The user's override disagrees with what the samples showed."""
        if fact.value == chosen:
            return
        self.diags.warning(
            self.learned.path, self.learned.line(fact),
            f"the override of {what} says {chosen!r}, but the samples sent "
            f"{fact.value!r} ({fact.seen}); the override wins",
            "override-contradicts-samples",
        )  # fmt: skip

    # keys, places and names -----------------------------------------------------

    def names(self, api: Api) -> Api:
        if not self.learned.facts:
            return api
        definitions = tuple(
            self._model(d) if isinstance(d, Model) else d for d in api.definitions
        )
        services = tuple(
            replace(s, methods=tuple(
                replace(m, parameters=tuple(
                    self._parameter(f"{s.name}.{m.name}.{p.name}", p)
                    for p in m.parameters
                ))
                for m in s.methods
            ))
            for s in api.services
        )  # fmt: skip
        return replace(api, definitions=definitions, services=services)

    def _model(self, model: Model) -> Model:
        return replace(model, fields=tuple(self._field(model, f) for f in model.fields))

    def _field(self, model: Model, f: Field) -> Field:
        target = f"{model.name}.{f.name}"
        self.fact("nullable", target)  # recorded for review; null decodes anyway
        fact = self.fact("keys", target)
        if fact is None:
            return f
        if f.key_source == "override":
            self.overruled(fact, target, f.wire_key)
            return f
        evidence = (self.clue(fact), was("key", f.key_source, f.wire_key))
        return replace(
            f, wire_key=fact.value, key_rule="sample", key_source="sample",
            key_evidence=evidence,
        )  # fmt: skip

    def _parameter(self, target: str, p: Parameter) -> Parameter:
        fact = self.fact("parameters", target)
        if fact is None or p.sent_in not in SENT:
            return p
        where, _, name = fact.value.partition(":")
        if p.location_source == "override" or p.name_source == "override":
            self.overruled(fact, target, f"{p.sent_in}:{p.wire_name}")
            return p
        if where not in SENT or not name:
            return p
        evidence = (
            self.clue(fact),
            was("location", p.location_source, p.sent_in),
            was("name", p.name_source, p.wire_name),
        )
        return replace(
            p, sent_in="query" if where == "query" else "header", wire_name=name,
            rule="sample", name_rule="sample", location_source="sample",
            name_source="sample", name_evidence=evidence,
        )  # fmt: skip

    # styles, bodies, auth, enums -----------------------------------------------

    def styles(self, api: Api) -> Api:
        if not self.learned.facts:
            return api
        services = tuple(
            replace(s, methods=tuple(
                replace(m, parameters=tuple(
                    self._style(f"{s.name}.{m.name}.{p.name}", p) for p in m.parameters
                ))
                for m in s.methods
            ))
            for s in api.services
        )  # fmt: skip
        return replace(api, services=services)

    def _style(self, target: str, p: Parameter) -> Parameter:
        fact = self.fact("styles", target)
        chosen = parse_style(fact.value) if fact else None
        if fact is None or chosen is None or p.sent_in != "query":
            return p
        if p.style_source == "override":
            self.overruled(fact, target, style_token(p.style, p.explode))
            return p
        before = (was("style", p.style_source, style_token(p.style, p.explode)),)
        evidence = (self.clue(fact), *(before if p.style else ()))
        return replace(
            p, style=chosen.style, explode=chosen.explode, style_rule="sample",
            style_source="sample", style_evidence=evidence,
        )  # fmt: skip

    def bodies(self, api: Api) -> Api:
        if not self.learned.facts:
            return api
        by_class = {d.class_name: d for d in api.definitions}
        uploads: set[str] = set()
        services = []
        for s in api.services:
            methods = [self._body(f"{s.name}.{m.name}", m) for m in s.methods]
            for m in methods:
                if m.body_source == "sample" and m.body_encoding == "multipart":
                    uploads |= _body_models(m, by_class)
            services.append(replace(s, methods=tuple(methods)))
        definitions = tuple(
            replace(d, fields=tuple(replace(f, binary=is_binary(f)) for f in d.fields))
            if isinstance(d, Model) and d.class_name in uploads else d
            for d in api.definitions
        )  # fmt: skip
        return replace(api, definitions=definitions, services=tuple(services))

    def _body(self, target: str, m: Method) -> Method:
        fact = self.fact("bodies", target)
        if fact is None or not m.body_rule:
            return m
        if m.body_source == "override":
            self.overruled(fact, target, m.body_encoding)
            return m
        evidence = (self.clue(fact), was("encoding", m.body_source, m.body_encoding))
        return replace(
            m, body_encoding=fact.value, body_rule="sample", body_source="sample",
            body_evidence=evidence,
        )  # fmt: skip

    def auth(self, api: Api) -> Api:
        """The API key's header or query parameter; enum values the docs lack."""
        api = self._enums(api)
        fact = self.fact("auth", "api-key")
        if fact is None:
            return api
        where, _, name = fact.value.partition(":")
        if where not in SENT or not name:
            return api
        keys = [a for a in api.auth if a.kind == "api_key"]
        pinned = [a for a in keys if a.source == "setting"]
        if pinned:  # ``api-key = …`` is the user's pin, as an override is
            self.overruled(
                fact, "the API key's place", f"{pinned[0].where}:{pinned[0].name}"
            )
            return api
        if not keys and api.auth:
            self.diags.warning(
                self.learned.path, self.learned.line(fact),
                f"the samples send an API key ({fact.value}, {fact.seen}), but "
                "the README describes no API key authentication: not used",
                "unused-learned",
            )  # fmt: skip
            return api
        if not keys:
            scheme = AuthScheme("api_key", name, where, source="sample",
                                evidence=(self.clue(fact),))  # fmt: skip
            return replace(api, auth=(*api.auth, scheme))
        auth = tuple(
            replace(
                a, name=name, where=where, source="sample",
                evidence=(self.clue(fact), was("auth", a.source, _placed(a))),
            ) if a.kind == "api_key" else a
            for a in api.auth
        )  # fmt: skip
        return replace(api, auth=auth)

    def _enums(self, api: Api) -> Api:
        definitions = tuple(
            self._enum(d) if isinstance(d, Enum) else d for d in api.definitions
        )
        return replace(api, definitions=definitions)

    def _enum(self, enum: Enum) -> Enum:
        facts = self.learned.find("enum-values", enum.name)
        if not facts:
            return enum
        self.used.add(("enum-values", enum.name))
        taken = {m.python_name for m in enum.members}
        values = {m.value for m in enum.members}
        added = []
        for fact in facts:
            value: str | int = fact.value
            if enum.value_type == "int":
                if not fact.value.lstrip("-").isdigit():
                    continue
                value = int(fact.value)
            if value in values:
                continue
            values.add(value)
            python = names.unique(names.member_name(value), taken)
            added.append(
                EnumMember(fact.value, python, value, self.learned.sample(fact))
            )
        return replace(enum, members=enum.members + tuple(added))

    def report_unused(self) -> None:
        """A warning for each fact about something the docs do not have."""
        for fact in self.learned.facts:
            if (fact.section, fact.target) in self.used:
                continue
            self.used.add((fact.section, fact.target))
            self.diags.warning(
                self.learned.path, self.learned.line(fact),
                f"learned [{fact.section}] {fact.target!r}, which nothing in the "
                "docs matches (run docs2py learn --write again)",
                "unused-learned",
            )  # fmt: skip


def _placed(a: AuthScheme) -> str:
    """How ``guesses`` shows where an API key goes (``header X-API-Key``)."""
    return f"{a.where} {a.name}"


def _body_models(m: Method, by_class: dict[str, Definition]) -> set[str]:
    body = next((p for p in m.parameters if p.sent_in == "body"), None)
    t = body.type if body else None
    d = by_class.get(t.target or "") if isinstance(t, Ref) else None
    return {d.class_name} if isinstance(d, Model) else set()
