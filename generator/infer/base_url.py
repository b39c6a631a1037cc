"""The base URL shown by example calls, where the README names none.

Many READMEs name no base URL or environment but show calls
(``https://api.nytimes.com/svc/books/v3/lists/current/hardcover-fiction.json
?api-key=yourkey``).  An example URL whose path ends with a documented
endpoint (``/lists/current/{list}.json``: literal segments equal, each
placeholder filled) shows the base URL: what comes before the endpoint
(``https://api.nytimes.com/svc/books/v3``).  The base most example URLs
agree on is the client's default (ties: the first written), and each URL
that shows it is its evidence (``Api.base_url_evidence``, kind ``example``).
An endpoint without a literal segment (``/{id}``) shows nothing: it matches
any URL.  A URL with credentials or a port that is not a number is no base
URL.  A base URL the README names, or environments, are never replaced.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import replace

from ..ir import Api, Clue, Location
from ..read.parse_readme import Readme

_PLACEHOLDER = re.compile(r"\{[^{}/]*\}")
_MAX_SEGMENT = 200
"""Longer path segments are not compared (a segment pattern stays cheap)."""


def refine(api: Api, readme: Readme) -> Api:
    """``api`` with the base URL its README's example calls show, when the
    README names none."""
    if api.base_url or api.environments or readme.environments or not api.services:
        return api
    endpoints = {
        tuple(_segments(m.path)) for s in api.services for m in s.methods
    }  # fmt: skip
    shown = [e for e in endpoints if any("{" not in part for part in e)]
    votes: dict[str, list[tuple[str, Location]]] = {}
    for url, where in readme.urls:
        base = _base(url, shown)
        if base is not None:
            votes.setdefault(base, []).append((url, where))
    if not votes:
        return api
    best = max(votes, key=lambda b: (len(votes[b]), -_first(votes[b])))
    evidence = tuple(Clue("example", url, where, 1.0) for url, where in votes[best])
    return replace(api, base_url=best, base_url_evidence=evidence)


def _first(seen: list[tuple[str, Location]]) -> int:
    return min(where.line for _, where in seen)


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def _base(url: str, endpoints: list[tuple[str, ...]]) -> str | None:
    """The base URL ``url`` shows: what precedes the longest endpoint its
    path ends with, or None."""
    try:
        split = urllib.parse.urlsplit(url)
        port = split.port
    except ValueError:
        return None
    if split.scheme not in ("http", "https") or not split.hostname:
        return None
    if split.username is not None or split.password is not None:
        return None
    path = [urllib.parse.unquote(p) for p in _segments(split.path)]
    matched = [e for e in endpoints if len(e) <= len(path) and _ends(path, e)]
    if not matched:
        return None
    longest = max(len(e) for e in matched)
    prefix = path[: len(path) - longest]
    host = split.hostname + (f":{port}" if port is not None else "")
    return f"{split.scheme}://{host}" + "".join(f"/{p}" for p in prefix)


def _ends(path: list[str], endpoint: tuple[str, ...]) -> bool:
    tail = path[len(path) - len(endpoint) :]
    return all(_fits(seen, part) for seen, part in zip(tail, endpoint, strict=True))


def _fits(seen: str, part: str) -> bool:
    """Whether a URL's path segment fills an endpoint's segment."""
    if "{" not in part:
        return seen == part
    if len(seen) > _MAX_SEGMENT or len(part) > _MAX_SEGMENT:
        return False
    literals = _PLACEHOLDER.split(part)
    pattern = "[^/]+".join(re.escape(text) for text in literals)
    return re.fullmatch(pattern, seen) is not None
