"""A doc set's README.md: base URL, environments, authentication, variables.

liblab's READMEs have an "Authentication" section with one ``###`` heading
per scheme (Access Token, API Key, Basic, OAuth), an "Environment Variables"
table, and sometimes "Environments" (``production = "https://…"``).  What
is read (docs/services.md):

* schemes from the Authentication headings (``bearer``, ``api_key``,
  ``basic``, ``oauth2``);
* the API key's header from text such as "the `X-API-Key` request header",
  "in the header `x-key`", "`x-api-key` passed as a header" (a name with
  ``key``, ``token``, ``secret`` or ``auth`` in it, or any name in a line that
  speaks of an API key; never an idempotency key), or its query parameter
  from example URLs
  (``…?api-key=yourkey``) or text ("the `apikey` query parameter"), with the
  line that names it (``key_places`` reads service docs the same way);
* environment variables from the table, matched to credentials by name
  (``CLIENT_ID`` → ``client_id``, ``SHOP_API_KEY`` → ``api_key`` when the
  API is "Shop"; another service's variable is never read);
* named environments, and the base URL (the first URL of that section);
* every other http(s) URL with its line (``urls``; not a link's target,
  which names a page): example calls, from which ``infer/base_url.py``
  takes the base URL when none is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import names
from ..ir import AuthScheme, Clue, Environment, Location
from .parse import block_tokens, heading_text, normalize

_URL = re.compile(r"https?://[^\s\"'`<>()\[\]|]+")
_NAMED_URL = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*[=:]\s*[\"'](https?://[^\"']+)[\"']")
_QUOTED = r"[`'\"](?P<{}>[A-Za-z][\w.-]*)[`'\"]"
_KEY_HEADER = re.compile(
    "|".join(
        [
            _QUOTED.format("a") + r"\s+(?:(?:request|HTTP)\s+)?header\b",
            r"\bheader\s+(?:named\s+|called\s+)?" + _QUOTED.format("b"),
            _QUOTED.format("c") + r"\s+(?:is\s+)?(?:passed|sent|given|set)\s+"
            r"(?:as|in)\s+(?:a|an|the)\s+(?:(?:request|HTTP)\s+)?header\b",
        ]
    ),
    re.IGNORECASE,
)
_KEY_QUERY_TEXT = re.compile(
    _QUOTED.format("a") + r"\s+query(?:\s+string)?\s+parameter"
    r"|\bquery(?:\s+string)?\s+parameter\s+(?:named\s+|called\s+)?"
    + _QUOTED.format("b"),
    re.IGNORECASE,
)
_KEY_LINE = re.compile(
    r"\bapi[\s_-]?keys?\b|\b(?:your|the|an?|access|secret|application)\s+key\b",
    re.IGNORECASE,
)
# Headers with ``key`` or ``token`` in their names that carry no credential.
_NOT_CREDENTIALS = ("idempotency", "websocket", "cache", "csrf", "xsrf")
_FENCE_LINE = re.compile(r" {0,3}(```|~~~)")
# A query parameter given a placeholder value (`?api-key=YOUR_KEY`); its name
# holds "key" (checked after the match: a pattern of its own would backtrack).
_KEY_QUERY = re.compile(r"[?&]([\w-]+)=(?:your|<|\{)", re.IGNORECASE)
_SCHEMES = (
    ("oauth", "oauth2"),
    ("api key", "api_key"),
    ("access token", "bearer"),
    ("bearer", "bearer"),
    ("basic", "basic"),
)
_CREDENTIALS = (
    ("CLIENT_SECRET", "client_secret"),
    ("CLIENT_ID", "client_id"),
    ("API_KEY", "api_key"),
    ("APIKEY", "api_key"),
    ("ACCESS_TOKEN", "token"),
    ("TOKEN", "token"),
    ("USERNAME", "username"),
    ("PASSWORD", "password"),
)


@dataclass(frozen=True, slots=True)
class Readme:
    """What a README tells the client generator."""

    base_url: str | None = None
    auth: tuple[AuthScheme, ...] = ()
    environments: tuple[Environment, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)
    urls: tuple[tuple[str, Location], ...] = ()
    """Every http(s) URL in the text, where it is written."""


def _sections(text: str) -> list[tuple[int, str, int, int]]:
    """(level, title, first line, line after the end) of every heading."""
    lines = text.split("\n")
    tokens = [t for t in block_tokens(text) if "_line" in t]
    headings = [t for t in tokens if t["type"] == "heading"]
    out = []
    for i, h in enumerate(headings):
        level = h["attrs"]["level"]
        end = next(
            (x["_line"] for x in headings[i + 1 :] if x["attrs"]["level"] <= level),
            len(lines) + 1,
        )
        out.append((level, heading_text(h), h["_line"], end))
    return out


def read_readme(text: str, path: str) -> Readme:
    """The README's base URL, environments, auth schemes and variables."""
    text = normalize(text)
    lines = text.split("\n")
    sections = _sections(text)
    environments = _environments(lines, sections)
    base_url = environments[0].url if environments else _first_url(lines, sections)
    variables = _variables(lines, sections)
    auth = _auth(text, sections, variables, path)
    urls = tuple(
        (m[0].rstrip(".,;:"), Location(path, n))
        for n, line in enumerate(lines, 1)
        for m in _URL.finditer(line)
        if not line.endswith("](", 0, m.start())  # a link to a page, no call
    )
    return Readme(base_url, auth, environments, variables, urls)


def _body(lines: list[str], start: int, end: int) -> list[str]:
    return lines[start : end - 1]


def _first_url(lines: list[str], sections: list[Any]) -> str | None:
    for _, title, start, end in sections:
        if "environment" in title.lower() and "variable" not in title.lower():
            for line in _body(lines, start, end):
                match = _URL.search(line)
                if match:
                    return match[0].rstrip(".,;:")
    return None


def _environments(lines: list[str], sections: list[Any]) -> tuple[Environment, ...]:
    found: dict[str, Environment] = {}
    taken: set[str] = set()
    for _, title, start, end in sections:
        if title.lower().strip() not in ("environments", "available environments"):
            continue
        for line in _body(lines, start, end):
            match = _NAMED_URL.match(line)
            if match and match[1] not in found:
                member = names.unique(names.member_name(match[1]), taken)
                found[match[1]] = Environment(match[1], member, match[2].rstrip("/"))
    return tuple(found.values())


def _variables(lines: list[str], sections: list[Any]) -> dict[str, str]:
    """credential → environment variable, from the Environment Variables table.

    Only a table row counts, and only a name that is the credential's own
    (``CLIENT_ID``, ``API_KEY``…), bare or after a prefix that is this API's
    name: the first words of the README's title (``SHOP_API_KEY`` in "Shop
    Python SDK").  A variable of another service that the README mentions
    (``GITHUB_TOKEN``, ``OPENAI_API_KEY``) is never read, so the client never
    sends that secret to this API.
    """
    out: dict[str, str] = {}
    prefixes = _own_prefixes(sections)
    for _, title, start, end in sections:
        if "environment variable" not in title.lower():
            continue
        for line in _body(lines, start, end):
            if not line.lstrip().startswith("|"):
                continue
            cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            credential = _variable_credential(cells[0], prefixes)
            if credential is not None and credential not in out:
                out[credential] = cells[0]
    return out


@dataclass(frozen=True, slots=True)
class KeyPlace:
    """Where a text says an API key goes: ``where`` (``header`` or
    ``query``), the name, the 1-based line and the evidence."""

    where: str
    name: str
    line: int
    clue: Clue


def _keyish(name: str) -> bool:
    lowered = name.lower()
    if lowered == "authorization":  # the bearer and basic schemes' header
        return False
    return any(w in lowered for w in ("key", "token", "secret", "auth"))


def _credential(name: str, line: str) -> bool:
    """A header or query name that carries the API key: a key-like name, or
    any name on a line that speaks of an API key (not an idempotency key)."""
    if any(w in name.lower() for w in _NOT_CREDENTIALS):
        return False
    return _keyish(name) or bool(_KEY_LINE.search(line))


def _prose(text: str) -> str:
    """``text`` with the lines of code fences blanked (line numbers kept)."""
    lines = text.split("\n")
    inside = False
    for n, line in enumerate(lines):
        fence = bool(_FENCE_LINE.match(line))
        if inside or fence:
            lines[n] = ""
        if fence:
            inside = not inside
    return "\n".join(lines)


def key_places(text: str, path: str, first_line: int = 1) -> list[KeyPlace]:
    """Every place ``text`` names for an API key, in the order written: a
    header or query parameter named in prose (a key-like name, or any name on
    a line that speaks of a key), or a query parameter in an example URL."""
    found: list[tuple[int, KeyPlace]] = []
    prose = _prose(text)
    for pattern, where in ((_KEY_HEADER, "header"), (_KEY_QUERY_TEXT, "query")):
        for match in pattern.finditer(prose):
            name = next(g for g in match.groups() if g)
            start = prose.rfind("\n", 0, match.start()) + 1
            end = prose.find("\n", match.end())
            line = prose[start : end if end >= 0 else len(prose)]
            if not _credential(name, line):
                continue
            found.append(
                (match.start(), _place(where, name, text, match, path, first_line))
            )
    for match in _KEY_QUERY.finditer(text):
        if "key" not in match[1].lower():
            continue
        place = _place("query", match[1], text, match, path, first_line, "example")
        found.append((match.start(), place))
    return [place for _, place in sorted(found, key=lambda f: f[0])]


def _place(
    where: str,
    name: str,
    text: str,
    match: re.Match[str],
    path: str,
    first_line: int,
    kind: str = "prose",
) -> KeyPlace:
    line = first_line + text.count("\n", 0, match.start())
    shown = match[0].strip()
    if kind == "example":  # the whole URL
        url = next(
            (u for u in _URL.finditer(text) if u.start() <= match.start() < u.end()),
            None,
        )
        shown = url[0] if url else shown
    clue = Clue(kind, shown, Location(path, line))
    return KeyPlace(where, name, line, clue)


def _variable_credential(name: str, prefixes: frozenset[str]) -> str | None:
    """The credential a variable named so holds, if it is this API's."""
    if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
        return None
    for marker, credential in _CREDENTIALS:
        if name == marker:
            return credential
        prefix = name.removesuffix("_" + marker)
        if prefix != name and prefix.replace("_", "") in prefixes:
            return credential
    return None


def _own_prefixes(sections: list[Any]) -> frozenset[str]:
    """The API's name as a variable prefix, without ``_``: the first word, the
    first two… of the README's title (split at spaces and camel humps)."""
    title = next((t for level, t, _, _ in sections if level == 1), "")
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", title)
    joined = ["".join(words[: n + 1]).upper() for n in range(len(words))]
    return frozenset(joined)


def _auth(
    text: str,
    sections: list[Any],
    variables: dict[str, str],
    path: str,
) -> tuple[AuthScheme, ...]:
    kinds: dict[str, int] = {}
    for level, title, start, _ in sections:
        lowered = title.lower()
        if level < 3 or "authentication" not in lowered or "error" in lowered:
            continue
        for word, kind in _SCHEMES:
            if word in lowered:
                kinds.setdefault(kind, start)
                break
    places = key_places(text, path)
    if "api_key" not in kinds and any(p.clue.kind == "example" for p in places):
        kinds["api_key"] = 0  # no section, but example URLs carry a key
    out = []
    for kind, line in kinds.items():
        env = tuple(
            (k, v) for k, v in variables.items() if k in _ENV_FOR[kind]
        )  # fmt: skip
        scheme = AuthScheme(kind, "", "header", "", env, Location(path, line))
        if kind == "api_key" and places:
            place = _prefer_header(places)
            scheme = AuthScheme(
                kind, place.name, place.where, "", env,
                Location(path, place.line), "evidence", (place.clue,),
            )  # fmt: skip
        out.append(scheme)
    return tuple(out)


def _prefer_header(places: list[KeyPlace]) -> KeyPlace:
    """What the prose says first; an example URL's query parameter when the
    prose says nothing."""
    return next((p for p in places if p.clue.kind == "prose"), places[0])


_ENV_FOR = {
    "api_key": ("api_key",),
    "bearer": ("token",),
    "basic": ("username", "password"),
    "oauth2": ("client_id", "client_secret"),
}
