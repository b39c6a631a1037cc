"""The infer stage in order: each decision about the wire, made on the resolved
API with its evidence recorded in the IR."""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostics
from ..ir import Api
from ..read.parse_readme import Readme
from ..settings import ApiKeyPlace, Settings
from . import api_version, bodies, bundles, guesses, paging, param_styles, wirekeys
from .auth import api_key_schemes


def decide(api: Api, readme: Readme, settings: Settings, diags: Diagnostics) -> Api:
    """Bundles spread into their members, wire keys and parameter names,
    parameter styles, body encodings, paging, the API-version parameters,
    then auth."""
    api, members = bundles.expand(api, diags)
    api = wirekeys.refine(api, settings, diags)
    api = bundles.align(api, members)
    api = param_styles.refine(api, settings, diags)
    api = bodies.refine(api, settings.body_overrides, diags)
    api = paging.refine(api, settings.paging_overrides, diags)
    api = api_version.refine(api)
    api = with_auth(api, readme, settings.api_key)
    if settings.strict_wire:
        guesses.enforce(guesses.guesses(api), settings.strict_wire, diags)
    return api


def with_auth(api: Api, readme: Readme, api_key: ApiKeyPlace | None = None) -> Api:
    """The README's schemes and environments; the API key's place (``auth``);
    OAuth's token URL is the documented token endpoint (a form-encoded OAuth
    token request)."""
    token = next(
        (m.path for s in api.services for m in s.methods
         if m.body_rule == "oauth-token"),
        "",
    )  # fmt: skip
    auth = tuple(
        replace(a, token_url=token) if a.kind == "oauth2" else a
        for a in api_key_schemes(api, readme.auth, api_key)
    )
    return replace(api, auth=auth, environments=readme.environments)
