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
  (``CLIENT_ID`` → ``client_id``, ``…API_KEY`` → ``api_key``);
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
# A query parameter given a placeholder value (`?api-key=YOUR_KEY`); its name
# holds "key" (see _key_query: a pattern of its own would backtrack).
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
    """credential → environment variable, from the Environment Variables table."""
    out: dict[str, str] = {}
    for _, title, start, end in sections:
        if "environment variable" not in title.lower():
            continue
        for line in _body(lines, start, end):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not cells or not re.fullmatch(r"[A-Z][A-Z0-9_]*", cells[0]):
                continue
            for marker, credential in _CREDENTIALS:
                if marker in cells[0] and credential not in out:
                    out[credential] = cells[0]
                    break
    return out


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
    if "api_key" not in kinds and _key_query(text):
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
    query = _key_query(text)
    if query:
        return query, "query"
    return "", "header"


def _key_query(text: str) -> str | None:
    """The first query parameter named like a key that example URLs give a
    placeholder value (``?api-key=yourkey``), or None."""
    found = (m[1] for m in _KEY_QUERY.finditer(text) if "key" in m[1].lower())
    return next(found, None)
