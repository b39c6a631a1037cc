"""Every model property's JSON key (``model_keys``), with its provenance.

In order: an override (``--wire-key``), an explicit ``--wire-keys`` style,
the protocol rules (``escape``, ``scim``, ``headers``, ``oauth``), liblab's
numbering of a colliding name (``dedup-suffix``), then the docs' evidence or
the model's style (``spelling``).  Two properties given one key keep their
Names; a duplicate property is an error.
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostics
from ..ir import Clue, Field, Model, StyleDecision
from ..read.build import strip_escape
from ..settings import WireKeyStyle
from . import casing
from .casing import STYLE_NAMES, Style
from .spelling import (
    STYLE_WEIGHT,
    Decision,
    acronym_clue,
    by_evidence,
    numbered,
    source_of,
    strength,
)
from .wire_context import WireContext
from .wire_evidence import squash
from .wire_styles import OAUTH_NAMES, SCIM_KEYS, SETTING_STYLES, is_scim, model_rule

_OWN_EVIDENCE = frozenset({"json", "example"})


def model_keys(model: Model, ctx: WireContext, diags: Diagnostics) -> Model:
    """``model`` with every property's key decided; a duplicate is an error."""
    rule = model_rule(model)
    scim = is_scim(model)
    style = _model_style(model, ctx)
    decided = [_field(model, f, rule, scim, ctx, style) for f in model.fields]
    counts: dict[str, int] = {}
    for f in decided:
        counts[f.wire_key] = counts.get(f.wire_key, 0) + 1
    fields: list[Field] = []
    keys: dict[str, Field] = {}
    for f in decided:
        if counts[f.wire_key] > 1 and f.key_rule in ("style", "evidence"):
            why = Clue("rule", f"'{f.wire_key}' is also another property's key")
            f = replace(f, wire_key=strip_escape(f.name), key_rule="as-written",
                        key_evidence=(why,), key_source="default")  # fmt: skip
        first = keys.setdefault(f.wire_key, f)
        if first is not f:
            diags.error(
                f.location.path, f.location.line,
                f"duplicate property '{f.wire_key}' in '{model.name}' "
                f"(first at line {first.location.line}); ignored",
                "duplicate-property",
            )  # fmt: skip
            continue
        fields.append(f)
    return replace(model, fields=tuple(fields))


def _field(
    model: Model,
    f: Field,
    rule: str | None,
    scim: bool,
    ctx: WireContext,
    style: tuple[Style | None, float, StyleDecision | None],
) -> Field:
    key, how, evidence = _field_key(model, f, rule, scim, ctx, style)
    source = source_of(how, style[2])
    acronym = acronym_clue(key, how, ctx.evidence.acronyms)
    if acronym is not None:
        source, evidence = "prior", (*evidence, acronym)
    return replace(
        f, wire_key=key, key_rule=how, key_evidence=evidence, key_source=source
    )


def _field_key(
    model: Model,
    f: Field,
    rule: str | None,
    scim: bool,
    ctx: WireContext,
    style: tuple[Style | None, float, StyleDecision | None],
) -> Decision:
    base = strip_escape(f.name)
    found = ctx.fields.find(
        ((model.name, model.class_name), (f.name, base, f.python_name))
    )
    if found is not None:
        return found, "override", ()
    if ctx.settings.wire_keys is not WireKeyStyle.AUTO:
        chosen = SETTING_STYLES[ctx.settings.wire_keys]
        return (casing.convert(base, chosen) if chosen else base), "setting", ()
    if rule == "dollar":
        why = Clue("rule", "every property of the model starts with '_' (liblab's '$')")
        return "$" + base[1:], "escape", (why,)
    if scim and squash(base) in SCIM_KEYS:
        why = Clue("rule", "a SCIM 2.0 message (RFC 7643)")
        return SCIM_KEYS[squash(base)], "scim", (why,)
    if rule == "headers":
        why = Clue("rule", "a model of HTTP header names: its keys are header names, "
                   "in the lower case HTTP/2 sends them (RFC 9113 §8.2.2)")  # fmt: skip
        return casing.convert(base, "kebab").lower(), "headers", (why,)
    if rule == "oauth" or rule == "oauth-names" and squash(base) in OAUTH_NAMES:
        why = Clue("rule", "an OAuth 2.0 message: its names are snake_case (RFC 6749)")
        return casing.convert(base, "snake"), "oauth", (why,)
    stem = _dedup_stem(base, model, ctx.definition_names)
    key, how, evidence = by_evidence(
        stem or base, model.name, style[0], ctx.dialect, ctx.evidence, True, style[1]
    )
    if stem is None:
        return key, how, evidence
    why = Clue("rule", f"'{base}' is liblab's numbering of '{stem}', a name the "
               "docs also give a definition or another property")  # fmt: skip
    return key, "dedup-suffix" if how == "as-written" else how, (why, *evidence)


def _dedup_stem(base: str, model: Model, definitions: frozenset[str]) -> str | None:
    """The name ``base`` numbers, when the number is liblab's way out of a
    collision the docs show: a property named like a definition (TypeScript's
    ``On.on1``, ``Motion.motion1``) or like another property of the model."""
    match = numbered(base)
    if match is None or match[2] != "1":
        return None
    stem = match[1]
    names = [squash(strip_escape(f.name)) for f in model.fields]
    if any(n.startswith(squash(stem)) and n[-1:] in "23456789" for n in names):
        return None  # a sequence: team1, team2
    # A PascalCase property named like a type (C#'s Room1 of type Room) is
    # legal in its SDK: only lower-case names were numbered for a definition.
    named_like_type = base[:1].islower() and squash(stem) in definitions
    if named_like_type or squash(stem) in names:
        return stem
    return None


def _model_style(
    model: Model, ctx: WireContext
) -> tuple[Style | None, float, StyleDecision | None]:
    """The style the model's keys follow (the API's, unless two or more of its
    own properties show another in what the docs write of them and none shows
    the API's: OAuth token models in snake_case inside a camelCase API), how
    much it weighs, and the decision it rests on."""
    decision = ctx.key_decision
    api_style = (ctx.key_style, strength(decision), decision)
    seen: dict[Style, set[str]] = {}
    for f in model.fields:
        base = strip_escape(f.name)
        for s in ctx.evidence.of(base, "field"):
            shape = casing.shape(s.spelling)
            if s.kind in _OWN_EVIDENCE and shape is not None:
                seen.setdefault(shape, set()).add(base)
    if not seen or ctx.key_style in seen:
        return api_style
    style, fields = max(sorted(seen.items()), key=lambda kv: len(kv[1]))
    if len(fields) < 2 or style == "kebab":
        return api_style
    own = StyleDecision(STYLE_NAMES[style], "inferred", (("properties", len(fields)),))
    return style, STYLE_WEIGHT["inferred"], own
