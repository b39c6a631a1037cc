"""Learning the wire from samples of real traffic (``docs2py learn``).

Takes the API as the docs alone decide it and the exchanges the samples
hold (``read/samples.py``), and gives the facts they show
(``read.learned_file.Learned``), each with the sample file and line it was
first seen at:

* ``keys``: the key every property travels under, in request and response
  bodies (JSON objects matched to models by ``sample_match.Walker``; form
  and multipart bodies by their field names);
* ``parameters``: where each query or header parameter was sent, and under
  which name (matched to the documented parameter ignoring case, ``_`` and
  ``-``); ``styles``: how an array or object parameter was spelled (one
  value joined by commas, a repeated name, ``filter[id]``);
* ``bodies``: how each request body was encoded (its Content-Type);
* ``auth``: where the API key was sent (a Postman ``apikey`` auth, or the
  one credential-like header or query parameter no method documents);
* ``nullable`` and ``enum-values``: nulls, and enum values the docs lack.

Samples from another host than the API's are skipped with a warning (per
file and host); the API's host is the documented base URL's, else the one
the learned file records, else the one most samples that match a method
come from.  What contradicts the docs (a key the model does not have, a
required property missing, a value of another type, samples that disagree)
is a warning at the sample's line naming the docs' line.  No value a sample
carried (a header, a query value, a body's data) is ever part of a fact or
a message.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics
from ..ir import (
    Api,
    Definition,
    Enum,
    Field,
    Location,
    Method,
    Model,
    Parameter,
    Primitive,
    Ref,
)
from ..read.build import strip_escape
from ..read.exchanges import Exchange, host_of
from ..read.learned_file import Fact, Learned
from .param_styles import shape
from .sample_match import Route, Routes, Walker
from .wire_evidence import squash

CREDENTIAL_WORDS = frozenset(
    ["key", "apikey", "token", "secret", "signature", "auth", "authorization"]
)
"""A header or query parameter no method documents, with one of these
words in its name, is where the API key travels."""
AUTH_SCHEMES = frozenset(["bearer", "basic", "digest", "token", "negotiate"])
_WORD = re.compile(r"[A-Za-z][a-z0-9]*|[0-9]+")


class Learning:
    """The facts and contradictions seen so far (a ``sample_match.Seen``)."""

    def __init__(self, api: Api, base: Path | None, diags: Diagnostics) -> None:
        self.api = api
        self.base = base
        self.diags = diags
        self.by_class: dict[str, Definition] = {
            d.class_name: d for d in api.definitions
        }
        self.tally: dict[tuple[str, str], dict[str, list[Location]]] = {}
        self.against: dict[
            tuple[str, str, str], list[tuple[Location, str, Location]]
        ] = {}
        self.walker = Walker(api, self)

    # what the walk tells (sample_match.Seen) ----------------------------------

    def add(self, section: str, target: str, value: str, where: Location) -> None:
        self.tally.setdefault((section, target), {}).setdefault(value, []).append(where)

    def key(self, model: Model, f: Field, key: str, where: Location) -> None:
        self.add("keys", f"{model.name}.{f.name}", key, where)

    def null(self, model: Model, f: Field, where: Location) -> None:
        self.add("nullable", f"{model.name}.{f.name}", "", where)

    def enum_value(self, enum: Enum, value: str, where: Location) -> None:
        self.add("enum-values", enum.name, value, where)

    def contradiction(
        self, kind: str, subject: Definition, name: str, text: str, where: Location
    ) -> None:
        self.note((kind, subject.name, name), where, text, subject.location)

    def note(self, about: tuple[str, str, str], where: Location, text: str,
             doc: Location) -> None:  # fmt: skip
        """A contradiction of the docs that is no property's."""
        self.against.setdefault(about, []).append((where, text, doc))

    # one exchange --------------------------------------------------------------

    def exchange(self, route: Route, x: Exchange) -> None:
        owner = f"{route.service.name}.{route.method.name}"
        used = self._parameters(owner, route.method, x)
        self._auth(x, used)
        self._bodies(owner, route.method, x)

    def _parameters(self, owner: str, m: Method, x: Exchange) -> set[str]:
        """Facts about where ``m``'s parameters went; the names they used."""
        query: dict[str, list[tuple[str, str]]] = {}
        for name, value in x.query:
            query.setdefault(squash(name.split("[")[0]), []).append((name, value))
        headers = {squash(name): name for name, _ in x.headers}
        used: set[str] = set()
        for p in m.parameters:
            if p.sent_in not in ("query", "header"):
                continue
            names = {squash(strip_escape(p.own_name.lstrip("$"))), squash(p.wire_name)}
            target = f"{owner}.{p.name}"
            in_query = next((query[n] for n in sorted(names) if n in query), None)
            in_header = next((headers[n] for n in sorted(names) if n in headers), None)
            if in_query:
                seen = in_query[0][0].split("[")[0]
                self.add("parameters", target, f"query:{seen}", x.where)
                style = self._style(p, in_query)
                if style:
                    self.add("styles", target, style, x.where)
                used.add(squash(seen))
            elif in_header:
                seen = in_header
                if seen.lower() == p.wire_name.lower():
                    seen = p.wire_name  # HTTP/2 writes every name in lower case
                self.add("parameters", target, f"header:{seen}", x.where)
                used.add(squash(seen))
        for name, _ in x.query:
            base = squash(name.split("[")[0])
            if base not in used and not credential(name):
                text = (
                    f"{m.name} was sent the query parameter '{name}', which the "
                    "docs do not list"
                )
                self.note(("query", m.name, name), x.where, text, m.location)
        return used

    def _style(self, p: Parameter, found: list[tuple[str, str]]) -> str:
        """The style an array or object value was spelled in, if it shows."""
        kind = shape(p.type, self.by_class)
        if kind is None:
            return ""
        if any("[" in name for name, _ in found) and kind in ("object", "any"):
            return "deepObject"
        if kind != "array":
            return ""
        if len(found) > 1:
            return "form"
        value = found[0][1]
        for mark, style in ((",", "form,explode=false"), ("|", "pipeDelimited")):
            if mark in value:
                return style
        return "spaceDelimited" if " " in value.strip() else ""

    def _auth(self, x: Exchange, used: set[str]) -> None:
        if x.api_key is not None:
            where, name = x.api_key
            self.add("auth", "api-key", f"{where}:{name}", x.where)
            return
        for name, value in x.headers:
            if squash(name) in used or not credential(name):
                continue
            scheme = value.split(" ", 1)[0].lower() if value else ""
            if name.lower() == "authorization" and scheme in AUTH_SCHEMES:
                continue  # a token or basic credentials, not an API key
            self.add("auth", "api-key", f"header:{name}", x.where)
        for name, _ in x.query:
            if squash(name) not in used and credential(name):
                self.add("auth", "api-key", f"query:{name}", x.where)

    def _bodies(self, owner: str, m: Method, x: Exchange) -> None:
        body = next((p for p in m.parameters if p.sent_in == "body"), None)
        if x.request is not None and body is not None:
            self.add("bodies", owner, x.request.encoding, x.where)
            self.body(x.request.value, x.request.encoding, body, x.where)
        elif x.request is not None:
            text = f"{m.name} was sent a body, but the docs document none"
            self.note(("body", m.name, ""), x.where, text, m.location)
        if x.response is not None and (200 <= x.status < 300 or x.status == 0):
            self.response(x.response.value, x.response.encoding, m, x.where)

    def body(self, value: object, encoding: str, p: Parameter, where: Location) -> None:
        if encoding == "json":
            self.walker.walk(value, p.type, where)
        elif encoding in ("form", "multipart") and isinstance(value, tuple):
            d = (
                self.by_class.get(p.type.target or "")
                if isinstance(p.type, Ref)
                else None
            )
            if isinstance(d, Model):
                self.walker.keys(value, d, where)

    def response(
        self, value: object, encoding: str, m: Method, where: Location
    ) -> None:
        if m.returns is None:
            return
        if encoding == "json":
            self.walker.walk(value, m.returns, where)
        elif encoding == "raw" and shape_is_json(m):
            text = f"{m.name} answered with a binary body, where the docs return JSON"
            self.note(("binary", m.name, ""), where, text, m.location)

    # the result -----------------------------------------------------------------

    def facts(self) -> list[Fact]:
        """The facts, one per target (the value seen most often, then first;
        a warning when samples disagree), and the contradictions warned."""
        out: list[Fact] = []
        for (section, target), values in sorted(self.tally.items()):
            ranked = sorted(values.items(), key=lambda kv: (-len(kv[1]), min(kv[1])))
            if section in ("enum-values",):
                out += [Fact(section, target, v, self._rel(min(w))) for v, w in ranked]
                continue
            value, where = ranked[0]
            out.append(Fact(section, target, value, self._rel(min(where))))
            for other, seen in ranked[1:]:
                self._disagree(section, target, (value, where), (other, seen))
        for _, entries in sorted(self.against.items()):
            entries.sort()
            at, text, doc = entries[0]
            more = f" (and {len(entries) - 1} more times)" if len(entries) > 1 else ""
            self.diags.warning(
                at.path,
                at.line,
                f"{text} ({doc}){more}",
                "sample-contradicts-docs",
            )
        return out

    def _disagree(
        self,
        section: str,
        target: str,
        kept: tuple[str, list[Location]],
        other: tuple[str, list[Location]],
    ) -> None:
        first = min(other[1])
        self.diags.warning(
            first.path, first.line,
            f"samples disagree on the {section} of {target}: {other[0]!r} here, "
            f"{kept[0]!r} at {min(kept[1])} ({len(kept[1])} times); kept {kept[0]!r}",
            "samples-disagree",
        )  # fmt: skip

    def _rel(self, where: Location) -> Location:
        """``where`` with its path relative to the learned file's folder."""
        if self.base is None:
            return where
        rel = os.path.relpath(os.path.abspath(where.path), os.path.abspath(self.base))
        return Location(Path(rel).as_posix(), where.line)


def credential(name: str) -> bool:
    """A header or parameter name that says it carries a credential."""
    words = {w.lower() for w in _WORD.findall(name)}
    return bool(words & CREDENTIAL_WORDS) or "apikey" in name.lower()


def shape_is_json(m: Method) -> bool:
    """Whether ``m`` returns JSON (not ``bytes``)."""
    t = m.returns
    return t is not None and not (isinstance(t, Primitive) and t.name == "bytes")


def documented_hosts(api: Api) -> list[str]:
    """The hosts of the API's base URL and environments."""
    urls = [api.base_url or ""] + [e.url for e in api.environments]
    hosts = [host_of(urlsplit(u).scheme, urlsplit(u).netloc) for u in urls if u]
    return list(dict.fromkeys(h for h in hosts if h))


def learn(
    api: Api,
    exchanges: list[Exchange],
    recorded_host: str,
    base: Path | None,
    diags: Diagnostics,
) -> Learned:
    """What ``exchanges`` show about ``api``'s wire (see the module)."""
    routes = Routes(api)
    learning = Learning(api, base, diags)
    routed = [(x, _route(routes, x)) for x in sorted(exchanges, key=lambda x: x.where)]
    hosts = documented_hosts(api) or ([recorded_host] if recorded_host else [])
    if not hosts:
        counts = Counter(x.host for x, r in routed if r is not None and x.host)
        hosts = [min(counts, key=lambda h: (-counts[h], h))] if counts else []
    skipped: dict[tuple[str, str], list[Location]] = {}
    for x, route in routed:
        if x.host and hosts and x.host not in hosts:
            skipped.setdefault((x.where.path, x.host), []).append(x.where)
        elif route is not None:
            learning.exchange(route, x)
        elif x.verb != "OPTIONS":  # a browser's CORS preflight
            _unmatched(x, diags)
    for (path, host), where in sorted(skipped.items()):
        diags.warning(
            path, min(where).line,
            f"{len(where)} entries from {host} skipped: the API's host is "
            f"{' or '.join(hosts)} (samples from another API are not learned from)",
            "sample-other-host",
        )  # fmt: skip
    return Learned(tuple(sorted(learning.facts())), hosts[0] if hosts else "")


def _route(routes: Routes, x: Exchange) -> Route | None:
    """The documented method ``x`` called, if any."""
    if x.named is not None:
        return routes.named(*x.named)
    return routes.find(x) if x.verb != "OPTIONS" else None


def _unmatched(x: Exchange, diags: Diagnostics) -> None:
    if x.named is not None:
        service, method = x.named
        text = (
            f"no method '{method}' in a service '{service}' in the docs (the file "
            "is named SERVICE.METHOD.json, as the docs write them)"
        )
    else:
        text = f"{x.verb} {x.path}: no documented method has this verb and path"
    diags.warning(x.where.path, x.where.line, text, "sample-unmatched")
