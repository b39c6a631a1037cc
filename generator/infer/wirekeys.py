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

import re
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostics, Level
from ..ir import (
    Api,
    Clue,
    Definition,
    Field,
    ListOf,
    MapOf,
    Method,
    Model,
    Parameter,
    Ref,
    Service,
    Source,
    StyleDecision,
    TypeRef,
    WireStyles,
)
from ..read.build import strip_escape
from ..read.build_service import WELL_KNOWN_HEADERS, X_NAME, header_name
from ..settings import ParamOverride, Settings, WireKeyStyle
from . import casing
from .casing import STYLE_NAMES, Style
from .guesses import location_source
from .overrides import Overrides
from .priors import SETTLED_CASE
from .wire_evidence import (
    WEIGHTS,
    Evidence,
    Sighting,
    collect,
    name_style,
    squash,
)
from .wire_styles import (
    OAUTH_NAMES,
    SCIM_KEYS,
    SETTING_STYLES,
    decide,
    is_oauth_method,
    is_scim,
    model_rule,
    parameter_decision,
)

_OTHER_PROSE, _OTHER_PROSE_MAX = 0.2, 0.5
"""Prose in another naming style than the one in force counts a fifth, and
all of it together less than a style the evidence settled: however often the
docs' prose says ``clinic_id``, it does not make a camelCase API's key."""
STYLE_WEIGHT = {"inferred": 0.75, "weak": 0.5, "as the keys": 0.5, "prior": 0.25}
STYLE_WEIGHT["default"] = 0.25
"""How much the spelling a style derives weighs against what the docs show
(``wire_evidence.WEIGHTS``), by how the style was decided: one mention (1)
outweighs a style the evidence settled (0.75); prose in another style (0.2),
or an example that only repeats the Name (0), does not."""
IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
Decision = tuple[str, str, tuple[Clue, ...]]
"""(name, rule, evidence)."""


@dataclass(slots=True)
class _Context:
    settings: Settings
    evidence: Evidence
    key_style: Style | None
    parameter_style: Style | None
    dialect: Style | None
    """How the docs write field Names (``camel`` for TypeScript, Java, PHP;
    ``snake`` for Python; ``pascal`` for Go, C#)."""
    parameter_dialect: Style | None
    fields: Overrides[str]
    parameters: Overrides[ParamOverride]
    by_class: dict[str, Definition]
    headers: dict[str, Parameter]
    """Parameters the docs call headers, by squashed name."""
    key_decision: StyleDecision | None = None
    parameter_decision: StyleDecision | None = None
    definition_names: frozenset[str] = frozenset()
    """Every definition's name, squashed."""


def refine(api: Api, settings: Settings, diags: Diagnostics) -> Api:
    """``api`` with every wire key and query/header name decided."""
    evidence = collect(api)
    dialect = name_style(f.name for m in api.models for f in m.fields)
    keys = decide(evidence.keys, settings.wire_keys, dialect, "key")
    parameter_dialect = name_style(_parameter_names(api))
    parameters = parameter_decision(
        evidence, settings.wire_keys, parameter_dialect, keys
    )
    ctx = _Context(
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
        _model(d, ctx, diags) if isinstance(d, Model) else d for d in api.definitions
    )
    services = tuple(_service(s, ctx, diags) for s in api.services)
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


# Model fields ---------------------------------------------------------------


def _model(model: Model, ctx: _Context, diags: Diagnostics) -> Model:
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
    ctx: _Context,
    style: tuple[Style | None, float, StyleDecision | None],
) -> Field:
    key, how, evidence = _field_key(model, f, rule, scim, ctx, style)
    source = _source(how, style[2])
    acronym = _acronym(key, how, ctx.evidence.acronyms)
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
    ctx: _Context,
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
    key, how, evidence = _by_evidence(
        stem or base, model.name, style[0], ctx.dialect, ctx.evidence, True, style[1]
    )
    if stem is None:
        return key, how, evidence
    why = Clue("rule", f"'{base}' is liblab's numbering of '{stem}', a name the "
               "docs also give a definition or another property")  # fmt: skip
    return key, "dedup-suffix" if how == "as-written" else how, (why, *evidence)


def _convertible(base: str, dialect: Style | None) -> bool:
    """Whether ``base`` is an SDK identifier in the docs' dialect, so that
    its spelling is the SDK's, not the API's.  A Name written otherwise
    (``api-version``, ``it's quoted``, ``created_at`` in TypeScript docs) is
    the key itself: only evidence changes it."""
    if IDENTIFIER.match(base) is None:
        return False
    shape = casing.shape(base)
    if shape is not None:
        return shape == dialect
    core = casing.parts(base)[1]  # one word: in the dialect's case?
    return core[:1].isupper() if dialect == "pascal" else core == core.lower()


def _by_evidence(
    base: str,
    owner: str,
    style: Style | None,
    dialect: Style | None,
    evidence: Evidence,
    key: bool = True,
    strength: float = STYLE_WEIGHT["default"],
) -> Decision:
    """The spelling the docs use for ``base``, else ``base`` in ``style``.

    Each spelling the docs show scores its sightings' weights (twice in the
    owner's own text; prose in another style than the one in force, a fifth);
    the spelling ``style`` derives scores ``strength`` (how well the style
    itself rests on evidence) and wins ties.
    """
    convertible = style is not None and _convertible(base, dialect)
    derived = casing.convert(base, style) if style and convertible else base
    fallback = "style" if convertible else "as-written"
    target = "field" if key else "param"
    rule = (style, key)
    seen = evidence.counted(base, target, lambda s: _counts(s, style, key), rule)
    in_force = style or dialect
    scores: dict[str, float] = {derived: strength}
    weak: dict[str, float] = {}
    for s in seen:
        weight = WEIGHTS[s.kind] * (2.0 if s.owner == owner else 1.0)
        if s.kind == "prose" and _text_style(s.spelling) not in (None, in_force):
            weak[s.spelling] = weak.get(s.spelling, 0.0) + weight * _OTHER_PROSE
        else:
            scores[s.spelling] = scores.get(s.spelling, 0.0) + weight
    for spelling, weight in weak.items():
        scores[spelling] = scores.get(spelling, 0.0) + min(weight, _OTHER_PROSE_MAX)
    best = max(sorted(scores), key=lambda k: (scores[k], k == derived))
    shown = tuple(s.clue() for s in seen if s.spelling == best and WEIGHTS[s.kind])
    key_ = _respelled(base, best)
    if key_ == derived:
        return derived, fallback, shown[:3]
    return key_, "evidence", shown[:3]


def _respelled(base: str, seen: str) -> str:
    """``seen``'s spelling with ``base``'s ``_``/``$`` prefix unless it has one."""
    head, core, tail = casing.parts(seen)
    own_head, _, own_tail = casing.parts(base)
    return (head or own_head) + core + (tail or own_tail)


def _counts(s: Sighting, style: Style | None, key: bool) -> bool:
    """Whether a sighting may decide a key (or a parameter name)."""
    shape = casing.shape(s.spelling)
    text = s.kind in ("prose", "quoted")
    if shape is None and text:
        return False  # one word: "Type of…" starts a sentence, 'Value' a type
    if shape is None and _text_style(s.spelling) not in (None, style):
        return False  # one word capitalised unlike the API: a convention of an example
    if shape == "pascal" and text and style != "pascal":
        return False  # a type name, or a word starting a sentence
    # kebab-case in text is English ("read-only") or a query name, not a key
    return not (key and shape == "kebab" and text)


# Parameters -----------------------------------------------------------------


def _service(service: Service, ctx: _Context, diags: Diagnostics) -> Service:
    base = service.name.removesuffix("Service") or service.name
    svc = (service.name, base, service.python_name)
    methods = tuple(_method(svc, m, ctx, diags) for m in service.methods)
    return replace(service, methods=methods)


def _method(
    svc: tuple[str, ...], m: Method, ctx: _Context, diags: Diagnostics
) -> Method:
    oauth = is_oauth_method(m.parameters)
    owner = svc[0] + "." + m.name
    params = tuple(_parameter(svc, m, p, oauth, owner, ctx) for p in m.parameters)
    params = tuple(_numbered(p, params) for p in params)
    _check_collisions(m, params, diags)
    return replace(m, parameters=params)


def _numbered(p: Parameter, params: tuple[Parameter, ...]) -> Parameter:
    """A query or header parameter liblab numbered because its SDK name
    collided with another parameter's (``orderBy`` and ``orderBy1``): the
    name it numbers, spelled so that it does not take the other's place
    (two names that collide in the SDK but not on the wire: ``orderBy`` and
    ``order_by``, or ``{accountId}`` in the path and ``accountId`` in the
    query)."""
    match = _DEDUP.match(p.own_name)
    if p.sent_in not in ("query", "header") or p.name_rule not in _DERIVED:
        return p
    if match is None or match[2] != "1":
        return p
    stem = match[1]
    others = [q for q in params if q is not p and squash(q.own_name) == squash(stem)]
    if not others:
        return p
    taken = {q.wire_name for q in params if q.sent_in == p.sent_in and q is not p}
    wire = _respelled(stem, p.wire_name[: len(p.wire_name) - len(match[2])].rstrip("_"))
    if wire in taken:
        other: Style = "snake" if casing.shape(wire) != "snake" else "camel"
        wire = casing.convert(wire, other)
    why = Clue("rule", f"'{p.own_name}' is liblab's numbering of '{stem}', the "
               f"name of another parameter ('{others[0].name}')")  # fmt: skip
    return replace(
        p, wire_name=wire, name_rule="dedup-suffix", name_source="prior",
        name_evidence=(why, *p.name_evidence),
    )  # fmt: skip


def _parameter(
    svc: tuple[str, ...],
    m: Method,
    p: Parameter,
    oauth: bool,
    owner: str,
    ctx: _Context,
) -> Parameter:
    base = strip_escape(p.own_name.lstrip("$"))
    found = ctx.parameters.find(
        (svc, (m.name, m.python_name), (p.name, base, p.python_name))
    )
    if found is None and p.rule == "well-known-header" and _is_object(p.type, ctx):
        p = replace(p, sent_in="query", rule="typed-object")
    elif found is None and p.rule == "default-query" and squash(base) in ctx.headers:
        p = replace(p, sent_in="header", rule="header-elsewhere")
    if found is not None:
        sent_in = found.sent_in or p.sent_in
        wire = found.wire_name or _default_name(p, sent_in, base)
        return replace(
            p, sent_in=sent_in, rule="override", wire_name=wire, name_rule="override",
            location_source="override", name_source="override",
        )  # fmt: skip
    p = replace(p, location_source=location_source(p.rule))
    if p.sent_in not in ("query", "header"):
        return p
    wire, how, evidence = _parameter_name(p, base, oauth, owner, ctx)
    source = _source(how, ctx.parameter_decision)
    acronym = _acronym(wire, how, ctx.evidence.acronyms)
    if acronym is not None:
        source, evidence = "prior", (*evidence, acronym)
    return replace(
        p, wire_name=wire, name_rule=how, name_evidence=evidence, name_source=source
    )


def _default_name(p: Parameter, sent_in: str, base: str) -> str:
    if sent_in == "path" and p.sent_in == "path":
        return p.wire_name
    return header_name(base) if sent_in == "header" else base


def _parameter_name(
    p: Parameter, base: str, oauth: bool, owner: str, ctx: _Context
) -> Decision:
    if p.sent_in == "header" and squash(base) in WELL_KNOWN_HEADERS:
        return header_name(base), "well-known-header", ()
    if ctx.settings.wire_keys is not WireKeyStyle.AUTO:
        style = SETTING_STYLES[ctx.settings.wire_keys]
        return (casing.convert(base, style) if style else base), "setting", ()
    if oauth and squash(base) in OAUTH_NAMES:
        why = Clue(
            "rule",
            "an OAuth 2.0 request: its registered names are snake_case (RFC 6749)",
        )
        return casing.convert(base, "snake"), "oauth", (why,)
    name, how, evidence = _by_evidence(
        base, owner, ctx.parameter_style, ctx.parameter_dialect, ctx.evidence, False,
        _strength(ctx.parameter_decision),
    )  # fmt: skip
    if p.sent_in == "header" and X_NAME.match(base) and how != "evidence":
        return header_name(base), "x-header", evidence
    return name, how, evidence


def _is_object(t: TypeRef, ctx: _Context) -> bool:
    """A value no header carries: a model, list or map."""
    if isinstance(t, ListOf | MapOf):
        return True
    return isinstance(t, Ref) and isinstance(ctx.by_class.get(t.target or ""), Model)


def _check_collisions(
    m: Method, params: tuple[Parameter, ...], diags: Diagnostics
) -> None:
    """Two parameters sent under one name would lose one of them: an error."""
    seen: dict[tuple[str, str], Parameter] = {}
    for p in params:
        if p.sent_in not in ("query", "header", "path"):
            continue
        name = p.wire_name.lower() if p.sent_in == "header" else p.wire_name
        first = seen.setdefault((p.sent_in, name), p)
        if first is not p:
            diags.error(
                p.location.path, p.location.line,
                f"method {m.name!r}: parameters {first.name!r} and {p.name!r} "
                f"are both sent as {p.sent_in} {p.wire_name!r}",
                "parameter-collision",
            )  # fmt: skip


_SOURCES: dict[str, Source] = {
    "override": "override",
    "setting": "setting",
    "escape": "protocol",
    "scim": "protocol",
    "oauth": "protocol",
    "headers": "protocol",
    "well-known-header": "protocol",
    "x-header": "protocol",
    "evidence": "evidence",
}


def _source(rule: str, decision: StyleDecision | None) -> Source:
    """What a key or name decided by ``rule`` rests on: for the API's style
    (``style``) or the Name kept (``as-written``), what the style rests on."""
    if rule in ("style", "as-written", "dedup-suffix"):
        if decision is None or decision.rule == "default":
            return "default"
        return "prior" if decision.rule == "prior" else "evidence"
    return _SOURCES.get(rule, "default")


def _inferred(decision: StyleDecision | None) -> bool:
    """Whether a style rests on evidence (its own, or the keys')."""
    return decision is not None and decision.rule in ("inferred", "as the keys")


def _strength(decision: StyleDecision | None) -> float:
    """How much a style's derived spelling weighs (``STYLE_WEIGHT``)."""
    if decision is None or decision.rule == "setting":
        return STYLE_WEIGHT["inferred"]
    if decision.rule == "inferred" and decision.note:
        return STYLE_WEIGHT["weak"]
    return STYLE_WEIGHT.get(decision.rule, STYLE_WEIGHT["default"])


_DEDUP = re.compile(r"(.*?[A-Za-z])_?([1-9])\Z")
"""A name ending in a digit; liblab numbers a colliding name ``1``."""
_OWN_EVIDENCE = frozenset({"json", "example"})
_DERIVED = frozenset({"style", "as-written", "evidence"})


def _text_style(spelling: str) -> Style | None:
    """The style of a spelling in a description; a capitalised single word
    (``Quantity``) is PascalCase there, as in JSON examples of .NET APIs."""
    shape = casing.shape(spelling)
    if shape is None and spelling[:1].isupper() and spelling[1:].islower():
        return "pascal"
    return shape


def _dedup_stem(base: str, model: Model, definitions: frozenset[str]) -> str | None:
    """The name ``base`` numbers, when the number is liblab's way out of a
    collision the docs show: a property named like a definition (TypeScript's
    ``On.on1``, ``Motion.motion1``) or like another property of the model."""
    match = _DEDUP.match(base)
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
    model: Model, ctx: _Context
) -> tuple[Style | None, float, StyleDecision | None]:
    """The style the model's keys follow (the API's, unless two or more of its
    own properties show another in what the docs write of them and none shows
    the API's: OAuth token models in snake_case inside a camelCase API), how
    much it weighs, and the decision it rests on."""
    decision = ctx.key_decision
    api_style = (ctx.key_style, _strength(decision), decision)
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


def _acronym(key: str, rule: str, acronyms: frozenset[str]) -> Clue | None:
    """Why a key derived from its Name may spell a word in capitals, if it
    may: the docs write the word so (``GB``), and every dialect writes a
    word's later letters in lower case (``dataLimitInGb``), so no Name shows
    whether the key does (``dataLimitInGB``).  Only keys the style or the
    Name decided; one word of a snake_case or kebab-case key never."""
    if rule not in ("style", "as-written", "dedup-suffix") or not acronyms:
        return None
    words = casing.split(key)
    for word in words:
        capitalised = word[:1].isupper() and word[1:].islower()
        alone = len(words) == 1 and word.islower() and len(word) > 2  # uom: UOM
        upper = word.upper()
        if upper in SETTLED_CASE:
            continue
        if (capitalised or alone) and 2 <= len(word) <= 6 and upper in acronyms:
            spelled = key.replace(word, word.upper(), 1)
            return Clue(
                "rule", f"the docs write '{word.upper()}' in capitals: the key "
                f"may be '{spelled}' (no Name shows a word's capitals)",
            )  # fmt: skip
    return None
