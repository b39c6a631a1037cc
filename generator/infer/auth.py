"""Where the API key goes: a header or a query parameter, and its name.

In order (``AuthScheme.source``):

1. ``setting``: ``api-key = "header:NAME"`` / ``"query:NAME"`` in
   ``[tool.docs2py]`` (``--api-key``);
2. ``evidence``: the README names it ("the `X-API-Key` request header",
   ``…?api-key=yourkey`` in an example URL; read by ``parse_readme``), or
   else a service doc does ("through the `x-api-key` passed as a header", in
   a method's or a parameter's description);
3. ``default``: the header ``X-API-Key``, a guess (``guesses`` lists it with
   the setting that pins it).

A setting, or a service doc that names the key's place, adds the API-key
scheme when the README describes none.

The other schemes (bearer, basic, OAuth 2.0) have fixed places.
"""

from __future__ import annotations

from dataclasses import replace

from ..ir import Api, AuthScheme, Location
from ..read.parse_readme import KeyPlace, key_places
from ..settings import ApiKeyPlace

DEFAULT_HEADER = "X-API-Key"


def api_key_schemes(
    api: Api, schemes: tuple[AuthScheme, ...], pinned: ApiKeyPlace | None
) -> tuple[AuthScheme, ...]:
    """``schemes`` (the README's) with the API key's place decided."""
    place = _in_services(api)
    documented = any(s.kind == "api_key" for s in schemes)
    if not documented and (pinned is not None or place is not None):
        schemes = (AuthScheme("api_key"), *schemes)
    return tuple(
        _decide(s, pinned, place) if s.kind == "api_key" else s for s in schemes
    )


def _decide(
    scheme: AuthScheme, pinned: ApiKeyPlace | None, place: KeyPlace | None
) -> AuthScheme:
    if pinned is not None:
        return replace(
            scheme, name=pinned.name, where=pinned.where, source="setting", evidence=()
        )
    if scheme.source == "evidence" and scheme.name:
        return scheme
    if place is not None:
        return replace(
            scheme,
            name=place.name,
            where=place.where,
            location=place.clue.location,
            source="evidence",
            evidence=(place.clue,),
        )
    return replace(scheme, name=DEFAULT_HEADER, where="header", source="default")


def _in_services(api: Api) -> KeyPlace | None:
    """The first place a service doc names for an API key (in a method's
    description, then its parameters', in the order of the docs)."""
    methods = sorted(
        (m for s in api.services for m in s.methods), key=lambda m: m.location
    )
    for m in methods:
        texts = [(m.description, m.location)]
        texts += [(p.description, p.location) for p in m.parameters]
        for text, where in texts:
            found = key_places(text, where.path, where.line) if text else []
            prose = [p for p in found if p.clue.kind == "prose"]
            if prose:
                return _at(prose[0], where)
    return None


def _at(place: KeyPlace, where: Location) -> KeyPlace:
    """A method's description starts under its heading: its lines are not
    the file's, so the evidence points at the heading (or the row)."""
    clue = replace(place.clue, location=where)
    return replace(place, line=where.line, clue=clue)
