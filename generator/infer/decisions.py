"""The infer stage in order: each decision about the wire, made on the resolved
API with its evidence recorded in the IR."""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostics
from ..ir import Api
from ..read.learned_file import Learned
from ..read.parse_readme import Readme
from ..settings import ApiKeyPlace, Settings
from . import (
    api_version,
    base_url,
    bodies,
    bundles,
    checks,
    guesses,
    paging,
    param_styles,
    wirekeys,
)
from .auth import api_key_schemes
from .learned import Applier


def decide(
    api: Api,
    readme: Readme,
    settings: Settings,
    diags: Diagnostics,
    learned: Learned | None = None,
) -> Api:
    """Bundles spread into their members, wire keys and parameter names,
    parameter styles, body encodings, paging, the API-version parameters,
    then auth; after each, what samples showed (``learned``) where the docs
    did not decide."""
    samples = Applier(learned, diags)
    api, members = bundles.expand(api, diags)
    api = samples.names(wirekeys.refine(api, settings, diags))
    api = bundles.align(api, members)
    api = samples.styles(param_styles.refine(api, settings, diags))
    api = samples.bodies(bodies.refine(api, settings.body_overrides, diags))
    api = paging.refine(api, settings.paging_overrides, diags)
    api = api_version.refine(api)
    api = base_url.refine(api, readme)
    api = samples.auth(with_auth(api, readme, diags, settings.api_key))
    samples.report_unused()
    checks.check(api, diags)
    if settings.strict_wire:
        guesses.enforce(guesses.guesses(api), settings.strict_wire, diags)
    return api


def with_auth(
    api: Api,
    readme: Readme,
    diags: Diagnostics,
    api_key: ApiKeyPlace | None = None,
) -> Api:
    """The README's schemes and environments; the API key's place (``auth``);
    OAuth's token URL is the
    documented token endpoint (a form-encoded OAuth token request), unless
    its path has placeholders the client cannot fill (``/{tenant}/token``)."""
    method = next(
        (m for s in api.services for m in s.methods if m.body_rule == "oauth-token"),
        None,
    )
    token = method.path if method else ""
    if method and "{" in token and any(a.kind == "oauth2" for a in readme.auth):
        diags.warning(
            method.location.path, method.location.line,
            f"the OAuth token endpoint {token!r} has placeholders the client "
            "cannot fill: it is not the client's token URL (pass token_url=)",
            "token-url",
        )  # fmt: skip
        token = ""
    auth = tuple(
        replace(a, token_url=token) if a.kind == "oauth2" else a
        for a in api_key_schemes(api, readme.auth, api_key)
    )
    return replace(api, auth=auth, environments=readme.environments)
