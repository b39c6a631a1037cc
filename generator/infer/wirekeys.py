"""The wire stage: every JSON key and query/header name, with its provenance.

Runs on the resolved API (parse → IR → resolve → **wire keys** → render).  For
each model field and each query or header parameter, in this order:

1. ``override``: ``--wire-key`` / ``--param`` (wildcards allowed);
2. ``setting``: an explicit ``--wire-keys`` style converts every name;
3. protocol rules: ``escape`` (``_eq`` → ``$eq``), ``scim``, ``oauth``;
   ``well-known-header`` (canonical spelling); ``x-header`` (kebab-case);
4. ``evidence``: the docs spell this very name elsewhere (``wire_evidence``);
5. ``style``: the API's inferred style (``wire_styles``), or ``as-written``.

Each decision is recorded on the field (``key_rule``, ``key_evidence``) or the
parameter (``name_rule``, ``name_evidence``); the API carries the two style
decisions (``wire_styles``).  Well-known headers typed as objects are query
parameters (``typed-object``: pandascore's ``range`` filters).
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostics, Level
from ..ir import Api, Model, Parameter, WireStyles
from ..settings import ParamOverride, Settings
from .field_keys import model_keys
from .overrides import Overrides
from .param_names import service_names
from .wire_context import WireContext
from .wire_evidence import collect, name_style, squash
from .wire_styles import decide, parameter_decision


def refine(api: Api, settings: Settings, diags: Diagnostics) -> Api:
    """``api`` with every wire key and query/header name decided."""
    evidence = collect(api)
    dialect = name_style(f.name for m in api.models for f in m.fields)
    keys = decide(evidence.keys, settings.wire_keys, dialect, "key")
    parameter_dialect = name_style(_parameter_names(api))
    parameters = parameter_decision(
        evidence, settings.wire_keys, parameter_dialect, keys
    )
    ctx = WireContext(
        settings,
        evidence,
        keys[0],
        parameters[0],
        dialect,
        parameter_dialect,
        Overrides("--wire-key", _field_patterns(settings)),
        Overrides("--param", _param_patterns(settings)),
        {d.class_name: d for d in api.definitions},
        _described_headers(api),
        keys[1],
        parameters[1],
        frozenset(squash(d.name) for d in api.definitions),
    )
    definitions = tuple(
        model_keys(d, ctx, diags) if isinstance(d, Model) else d
        for d in api.definitions
    )
    services = tuple(service_names(s, ctx, diags) for s in api.services)
    where = _where(api)
    ctx.fields.report_unused(diags, where)
    ctx.parameters.report_unused(diags, where)
    styles = WireStyles(keys[1], parameters[1])
    for decision in (keys[1], parameters[1]):
        if decision.note and decision.rule == "inferred":  # weak or split
            diags.add(Level.NOTE, where, 0, decision.note, "wire-style")
    return replace(api, definitions=definitions, services=services, wire_styles=styles)


def _parameter_names(api: Api) -> list[str]:
    return [
        p.own_name.lstrip("$")
        for s in api.services
        for m in s.methods
        for p in m.parameters
        if p.sent_in in ("query", "header")
    ]


def _where(api: Api) -> str:
    """The folder the specs share (where API-wide notes are reported)."""
    paths = [d.location.path for d in api.definitions]
    paths += [s.location.path for s in api.services]
    if not paths:
        return "docs2py"
    common = paths[0].rpartition("/")[0]
    for path in paths[1:]:
        while common and not path.startswith(common + "/"):
            common = common.rpartition("/")[0]
    return common or "."


def _described_headers(api: Api) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for s in api.services:
        for m in s.methods:
            for p in m.parameters:
                if p.rule in ("description-header", "method-name-header"):
                    out.setdefault(squash(p.own_name.lstrip("$")), p)
    return out


def _field_patterns(settings: Settings) -> dict[tuple[str, ...], str]:
    return {
        (model, name): key
        for model, table in settings.wire_key_overrides.items()
        for name, key in table.items()
    }


def _param_patterns(settings: Settings) -> dict[tuple[str, ...], ParamOverride]:
    out: dict[tuple[str, ...], ParamOverride] = {}
    for target, override in settings.parameter_overrides.items():
        parts = tuple(target.split("."))
        if len(parts) == 3:
            out[parts] = override
    return out
