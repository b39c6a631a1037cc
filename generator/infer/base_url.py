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
The first 1,000 distinct URLs are read, each compared only with the
endpoints whose last literal segment it has in that place, so a README of
any size costs time in proportion to its URLs.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import replace

from ..ir import Api, Clue, Location
from ..read.parse_readme import Readme
from .endpoint_paths import Segment, fits, segments

_MAX_SEGMENT = 200
"""Longer path segments are not compared (a segment pattern stays cheap)."""
MAX_URLS = 1000
"""The distinct URLs of a README that are read as example calls (the first)."""


def refine(api: Api, readme: Readme) -> Api:
    """``api`` with the base URL its README's example calls show, when the
    README names none."""
    if api.base_url or api.environments or readme.environments or not api.services:
        return api
    index = _Endpoints([m.path for s in api.services for m in s.methods])
    votes: dict[str, list[tuple[str, Location]]] = {}
    bases: dict[str, str | None] = {}
    for url, where in readme.urls:
        if url not in bases:
            if len(bases) >= MAX_URLS:
                break
            bases[url] = index.base(url)
        base = bases[url]
        if base is not None:
            votes.setdefault(base, []).append((url, where))
    if not votes:
        return api
    best = max(votes, key=lambda b: (len(votes[b]), -_first(votes[b])))
    evidence = tuple(Clue("example", url, where, 1.0) for url, where in votes[best])
    return replace(api, base_url=best, base_url_evidence=evidence)


class _Endpoints:
    """The endpoints with a literal segment, by their last literal segment
    and its distance from the end: a URL is compared only with the
    endpoints whose literal segment it has in that place."""

    def __init__(self, paths: list[str]) -> None:
        self.by_literal: dict[tuple[int, str], list[tuple[Segment, ...]]] = {}
        for path in sorted(set(paths)):
            if any(
                "{" in part and len(part) > _MAX_SEGMENT for part in path.split("/")
            ):
                continue  # a segment too long to compare: it shows nothing
            e = segments(path)
            literal = [i for i, part in enumerate(e) if isinstance(part, str)]
            if literal:
                back = len(e) - literal[-1]
                key = (back, str(e[literal[-1]]))
                self.by_literal.setdefault(key, []).append(e)
        self.depths = sorted({back for back, _ in self.by_literal})

    def base(self, url: str) -> str | None:
        """The base URL ``url`` shows: what precedes the longest endpoint
        its path ends with, or None."""
        split = _split(url)
        if split is None:
            return None
        origin, path = split
        matched = [
            e
            for back in self.depths
            if back <= len(path)
            for e in self.by_literal.get((back, path[-back]), ())
            if len(e) <= len(path) and _ends(path, e)
        ]
        if not matched:
            return None
        prefix = path[: len(path) - max(len(e) for e in matched)]
        return origin + "".join(f"/{p}" for p in prefix)


def _first(seen: list[tuple[str, Location]]) -> int:
    return min(where.line for _, where in seen)


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def _split(url: str) -> tuple[str, list[str]] | None:
    """``scheme://host[:port]`` and the path's segments of an http(s) URL
    without credentials, or None."""
    try:
        split = urllib.parse.urlsplit(url)
        port = split.port
    except ValueError:
        return None
    if split.scheme not in ("http", "https") or not split.hostname:
        return None
    if split.username is not None or split.password is not None:
        return None
    host = split.hostname + (f":{port}" if port is not None else "")
    path = [urllib.parse.unquote(p) for p in _segments(split.path)]
    return f"{split.scheme}://{host}", path


def _ends(path: list[str], endpoint: tuple[Segment, ...]) -> bool:
    tail = path[len(path) - len(endpoint) :]
    return all(
        fits(seen, part) and (isinstance(part, str) or len(seen) <= _MAX_SEGMENT)
        for seen, part in zip(tail, endpoint, strict=True)
    )
