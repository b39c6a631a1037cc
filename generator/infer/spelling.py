"""How a Name is spelled on the wire, from the docs' evidence and a style.

Shared by the keys (``field_keys``) and the query/header names
(``param_names``): the spelling the docs show for a Name, weighed against the
one the API's style derives (``by_evidence``, with ``STYLE_WEIGHT``); what a
decision rests on (``source_of``); and the capitals a derived key may have
(``acronym_clue``).
"""

from __future__ import annotations

import re

from ..ir import Clue, Source, StyleDecision
from . import casing
from .casing import Style
from .priors import SETTLED_CASE
from .wire_evidence import WEIGHTS, Evidence, Sighting

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


def by_evidence(
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
    key_ = respelled(base, best)
    if key_ == derived:
        return derived, fallback, shown[:3]
    return key_, "evidence", shown[:3]


def respelled(base: str, seen: str) -> str:
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


def source_of(rule: str, decision: StyleDecision | None) -> Source:
    """What a key or name decided by ``rule`` rests on: for the API's style
    (``style``) or the Name kept (``as-written``), what the style rests on."""
    if rule in ("style", "as-written", "dedup-suffix"):
        if decision is None or decision.rule == "default":
            return "default"
        return "prior" if decision.rule == "prior" else "evidence"
    return _SOURCES.get(rule, "default")


def strength(decision: StyleDecision | None) -> float:
    """How much a style's derived spelling weighs (``STYLE_WEIGHT``)."""
    if decision is None or decision.rule == "setting":
        return STYLE_WEIGHT["inferred"]
    if decision.rule == "inferred" and decision.note:
        return STYLE_WEIGHT["weak"]
    return STYLE_WEIGHT.get(decision.rule, STYLE_WEIGHT["default"])


_DEDUP = re.compile(r"(.*?[A-Za-z])_?([1-9])\Z")


def numbered(name: str) -> re.Match[str] | None:
    """``name`` as liblab numbers a colliding name (``id1``: the stem and
    the digit), or None."""
    return _DEDUP.match(name)


def _text_style(spelling: str) -> Style | None:
    """The style of a spelling in a description; a capitalised single word
    (``Quantity``) is PascalCase there, as in JSON examples of .NET APIs."""
    shape = casing.shape(spelling)
    if shape is None and spelling[:1].isupper() and spelling[1:].islower():
        return "pascal"
    return shape


def acronym_clue(key: str, rule: str, acronyms: frozenset[str]) -> Clue | None:
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
