"""The key style of an API, decided from the evidence (``wire_evidence``).

Two decisions per API: the JSON keys of model bodies, and the names of query
parameters and headers (booking's bodies are snake_case, its query names
camelCase).  The votes of every sighting are added up; the style with most
votes wins.  Without evidence the dialect decides: Names that are PascalCase
(Go, C#) are never the key, and camelCase is their usual key; other Names are
taken as written.  A user's ``--wire-keys`` choice is used as given.

Protocol conventions that hold whatever the API's own style, also here:
OAuth 2.0 token and authorization messages (RFC 6749, 7636, 8628 and OpenID
Connect) use snake_case names; SCIM 2.0 (RFC 7643/7644) list and patch
messages use ``Resources`` and ``Operations``; and a model whose every Name
starts with ``_`` is liblab's escape of ``$`` keys (``_eq`` for ``$eq``).
"""

from __future__ import annotations

from dataclasses import replace

from ..ir import Model, Parameter, StyleDecision
from ..read.build import strip_escape
from ..read.build_service import WELL_KNOWN_HEADERS
from ..settings import WireKeyStyle
from . import casing
from .casing import STYLE_NAMES, Style
from .priors import prior_of
from .wire_evidence import Evidence, Tally, squash

SETTING_STYLES: dict[WireKeyStyle, Style | None] = {
    WireKeyStyle.AS_WRITTEN: None,
    WireKeyStyle.CAMEL: "camel",
    WireKeyStyle.SNAKE: "snake",
}
_KEY_STYLES: tuple[Style, ...] = ("snake", "camel", "pascal")
_WEAK = 3.0

OAUTH_MARKERS = frozenset(
    squash(n)
    for n in ["grant_type", "client_id", "client_secret", "access_token"]
    + ["token_type", "expires_in", "refresh_token", "response_type", "redirect_uri"]
    + ["code_verifier", "code_challenge", "code_challenge_method"]
    + ["client_assertion_type", "device_code"]
    + ["id_token", "subject_token", "token_type_hint"]
)
"""Names of RFC 6749/7636/8628/8693 and OpenID Connect messages: a model or
method that has two of them is an OAuth message (all its names snake_case)."""
OAUTH_NAMES = OAUTH_MARKERS | frozenset(
    squash(n)
    for n in ["error_description", "error_uri", "refresh_token_expires_in"]
    + ["client_assertion", "verification_uri", "user_code", "issued_token_type"]
    + ["ui_locales", "login_hint", "max_age", "acr_values", "id_token_hint"]
    + ["claims_locales", "response_mode", "requested_token_type"]
)
"""Registered names: snake_case in OAuth requests and in models named after
tokens, whatever the API's style."""
SCIM_KEYS = {
    "resources": "Resources",
    "operations": "Operations",
    squash("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"): (
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    ),
}
"""Keys of SCIM 2.0 messages (RFC 7643 §4.3, RFC 7644 §3.4.2, §3.5.2) that no
case conversion reaches; a model with a ``schemas`` property is a SCIM message."""


def style_label(style: Style | None) -> str:
    return STYLE_NAMES[style] if style else "as-written"


def _default(dialect: Style | None) -> tuple[Style | None, StyleDecision]:
    """Without evidence: the dialect's prior (``priors``: PascalCase Names of Go
    and C# become camelCase keys, others are taken as written), or, for
    Names in no one style (hand-written docs), the Names as written."""
    prior = prior_of(dialect)
    if prior is None:
        return None, StyleDecision(style_label(None), "default")
    return prior.key, StyleDecision(style_label(prior.key), "prior", (), prior.why)


def _note(votes: dict[Style, float], best: Style, what: str) -> str:
    total = sum(votes.values())
    runner = max((v for s, v in votes.items() if s != best), default=0.0)
    if total < _WEAK:
        return f"the evidence for the {what} style is weak ({total:g} votes)"
    if runner * 2 >= votes[best]:
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])
        shown = ", ".join(f"{STYLE_NAMES[s]} {v:g}" for s, v in ranked)
        return f"the evidence for the {what} style is split ({shown})"
    return ""


def decide(
    tally: Tally,
    setting: WireKeyStyle,
    dialect: Style | None,
    what: str,
    allowed: tuple[Style, ...] = _KEY_STYLES,
) -> tuple[Style | None, StyleDecision]:
    """The style for keys (or parameters) and the decision record."""
    if setting is not WireKeyStyle.AUTO:
        style = SETTING_STYLES[setting]
        return style, StyleDecision(style_label(style), "setting")
    usable = {s: v for s, v in tally.votes.items() if s in allowed and v > 0}
    counted = sorted(tally.counts.items(), key=lambda kv: (-kv[1], kv[0]))
    evidence = tuple((_plural(kind, n), n) for kind, n in counted)
    if not usable:
        style, decision = _default(dialect)
        return style, replace(decision, evidence=evidence)
    best = max(sorted(usable), key=lambda s: usable[s])
    note = _note(usable, best, what)
    return best, StyleDecision(STYLE_NAMES[best], "inferred", evidence, note)


_LABELS = {"json": "JSON key", "quoted": "quoted name", "prose": "prose mention"}
_LABELS |= {"enum": "enum value"}


def _plural(kind: str, n: int) -> str:
    """``placeholder`` → ``placeholders``, as the summary line shows them."""
    label = _LABELS.get(kind, kind)
    return label if n == 1 else label + "s"


def model_rule(model: Model) -> str | None:
    """``dollar`` (every Name starts with ``_``), ``oauth`` (an OAuth message),
    ``oauth-names`` (a token model with registered names), ``headers`` (a
    model of HTTP header names: two of its properties are well-known headers)
    or None."""
    names = [strip_escape(f.name) for f in model.fields]
    escaped = all(n[:1] == "_" and n[1:2].isalpha() for n in names)
    if names and escaped and "_id" not in names:
        return "dollar"
    if sum(squash(n) in WELL_KNOWN_HEADERS for n in names) >= 2:
        return "headers"
    if sum(squash(n) in OAUTH_MARKERS for n in names) >= 2:
        return "oauth"
    token = any(w in ("token", "oauth") for w in casing.words(model.name))
    if token and any(squash(n) in OAUTH_NAMES for n in names):
        return "oauth-names"
    return None


def is_scim(model: Model) -> bool:
    return any(squash(f.name) == "schemas" for f in model.fields)


def is_oauth_method(parameters: tuple[Parameter, ...]) -> bool:
    names = [squash(p.own_name) for p in parameters]
    return sum(n in OAUTH_MARKERS for n in names) >= 2


def parameter_decision(
    evidence: Evidence,
    setting: WireKeyStyle,
    dialect: Style | None,
    keys: tuple[Style | None, StyleDecision],
) -> tuple[Style | None, StyleDecision]:
    """Query/header names: their own evidence, else the keys' style (most APIs
    spell both alike; booking does not, and its docs show its query names)."""
    allowed: tuple[Style, ...] = (*_KEY_STYLES, "kebab")
    style, decision = decide(
        evidence.parameters, setting, dialect, "parameter name", allowed
    )
    if decision.rule in ("default", "prior") and keys[1].rule == "inferred":
        return keys[0], StyleDecision(keys[1].style, "as the keys", decision.evidence)
    return style, decision
