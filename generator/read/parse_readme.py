"""A doc set's README.md: base URL, environments, authentication, variables.

liblab's READMEs have an "Authentication" section with one ``###`` heading
per scheme (Access Token, API Key, Basic, OAuth), an "Environment Variables"
table, and sometimes "Environments" (``production = "https://…"``).  What
is read (docs/services.md):

* schemes from the Authentication headings (``bearer``, ``api_key``,
  ``basic``, ``oauth2``);
* the API key's header from text such as "the `X-API-Key` request header",
  or its query parameter from example URLs (``…?api-key=yourkey``);
* environment variables from the table, matched to credentials by name
  (``CLIENT_ID`` → ``client_id``, ``SHOP_API_KEY`` → ``api_key`` when the
  API is "Shop"; another service's variable is never read);
* named environments, and the base URL (the first URL of that section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import names
from ..ir import AuthScheme, Environment, Location
from .parse import block_tokens, heading_text, normalize

_URL = re.compile(r"https?://[^\s\"'`<>()\[\]|]+")
_NAMED_URL = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*[=:]\s*[\"'](https?://[^\"']+)[\"']")
_KEY_HEADER = re.compile(
    r"[`'\"]([A-Za-z][\w-]*)[`'\"]\s+(?:request\s+|HTTP\s+)?header"
)
_KEY_QUERY = re.compile(r"[?&]([\w-]*key[\w-]*)=(?:your|YOUR|<|\{)", re.IGNORECASE)
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
    return Readme(base_url, auth, environments, variables)


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
            credential = _credential(cells[0], prefixes)
            if credential is not None and credential not in out:
                out[credential] = cells[0]
    return out


def _credential(name: str, prefixes: frozenset[str]) -> str | None:
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
    if "api_key" not in kinds and _KEY_QUERY.search(text):
        kinds["api_key"] = 0  # no section, but example URLs carry a key
    out = []
    for kind, line in kinds.items():
        name, where = "", "header"
        if kind == "api_key":
            name, where = _api_key(text)
        env = tuple(
            (k, v) for k, v in variables.items() if k in _ENV_FOR[kind]
        )  # fmt: skip
        out.append(AuthScheme(kind, name, where, "", env, Location(path, line)))
    return tuple(out)


_ENV_FOR = {
    "api_key": ("api_key",),
    "bearer": ("token",),
    "basic": ("username", "password"),
    "oauth2": ("client_id", "client_secret"),
}


def _api_key(text: str) -> tuple[str, str]:
    """The API key's header name, or its query parameter, when the text says."""
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    for match in _KEY_HEADER.finditer(prose):
        if any(w in match[1].lower() for w in ("key", "token", "auth")):
            return match[1], "header"
    query = _KEY_QUERY.search(text)
    if query:
        return query[1], "query"
    return "", "header"
