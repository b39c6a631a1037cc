# pyright: reportPrivateUsage=false
"""Union decoding, planned and compiled: part of docs2py's runtime, the layer
above ``_decoders``.

Copied verbatim into every generated package, beside ``_runtime``, which
re-exports its public names (``compiled_fit``, ``fast_union``) and says how
the runtime's modules are layered.

``fast_union`` decodes a union as ``decode_union`` ranks its variants (the
rules: required keys, then shared keys, then how well the values fit, first
among equals, the next on a DecodeError) with a plan made on first use:

* model variants with the same required and known keys form a group, whose
  keys are tested once;
* in a group whose variants differ only by one enum-valued property (a
  discriminator, as ``type`` in pandascore's ``LoLEventKiller``) with
  disjoint listed values, that value says which variant fits best;
* when the first two parts of the score single out one group or variant,
  and the discriminator (if the group has several) one variant in it, that
  variant is decoded; on a tie, or if it fails to decode, the full ranking
  decides (``_ranked``, with each model variant's typed fit compiled by
  ``compiled_fit`` and computed only to break a tie), as before.

tests/test_codec.py checks the choice and the error against ``decode_union``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, cast

from ._decoders import _first_that_decodes, _variant, shape_of
from ._shape import _CODEC_OF, UNSET, DecodeError, Model, _Member


class _Code:
    """A namespace for compiled source: values the source uses are bound in
    it by reference (``bind``), never written as text."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.names: dict[str, Any] = {"_U": UNSET, "_Mapping": Mapping}
        self.bound: dict[int, str] = {}

    def bind(self, value: Any) -> str:
        name = self.bound.get(id(value))
        if name is None:
            name = self.bound[id(value)] = f"_b{len(self.bound)}"
            self.names[name] = value
        return name

    def run(self, source: str, name: str) -> Any:
        code = compile(source, f"<docs2py {name} of {self.owner}>", "exec")
        exec(code, self.names)  # noqa: S102 (only checked names and repr literals)
        made = self.names[name]
        made._compiled = True
        return made


_JSON_CHECKS: Final = {
    "str": "{x}.__class__ is str or isinstance({x}, str)",
    "bytes": "{x}.__class__ is str or isinstance({x}, str)",
    "int": "{x}.__class__ is not bool and isinstance({x}, int)",
    "float": "{x}.__class__ is not bool and isinstance({x}, (int, float))",
    "bool": "{x}.__class__ is bool",
    "list": "isinstance({x}, list)",
    "map": "{x}.__class__ is dict or isinstance({x}, _Mapping)",
}
"""What ``_json_type_fits`` and ``_fit_one`` check, as expressions of ``x``."""


def _fit_expression(code: _Code, members: Sequence[_Member], var: str) -> str | None:
    """An expression for how well ``var`` (not None) fits (as ``_fit_of``)."""
    parts: list[str] = []
    for kind, what in dict.fromkeys(members):
        if kind == "enum":
            check = _JSON_CHECKS["int" if issubclass(what, int) else "str"]
            table = code.bind(cast("type[enum.Enum]", what)._value2member_map_)
            parts.append(f"((2 if {{x}} in {table} else 0) if {check} else -1)")
        elif kind in ("model", "map", "list"):
            check = _JSON_CHECKS["list" if kind == "list" else "map"]
            parts.append(f"(1 if {check} else -1)")
        elif what == "any":
            parts.append("0")
        else:
            parts.append(f"(1 if {_JSON_CHECKS[what]} else -1)")
    if not parts:
        return None
    best = parts[0] if len(parts) == 1 else f"max(-1, {', '.join(parts)})"
    return best.format(x=var)


_FITS: dict[type, Callable[[Any], int]] = {}


def compiled_fit(cls: type[Model]) -> Callable[[Any], int]:
    """The third part of a model variant's union score (what its values fit,
    as ``model_variant`` sums it), compiled once per class."""
    found = _FITS.get(cls)
    if found is None:
        shape = shape_of(cls)
        code = _Code(cls.__name__)
        lines = ["def fit(value):", "    _t = 0", "    _get = value.get"]
        for (_, key, _), members in zip(shape.fields, shape.types, strict=True):
            fit = _fit_expression(code, members, "_x")
            if fit is not None:
                lines.append(f"    _x = _get({key!r}, _U)")
                lines.append(f"    if _x is not None and _x is not _U: _t += {fit}")
        source = "\n".join([*lines, "    return _t\n"])
        found = _FITS[cls] = code.run(source, "fit")
    return found


def _model_decoder(cls: type[Model]) -> Callable[[Any], Any]:
    """``cls.from_dict``, once the class's codec is compiled (so that no call
    goes through ``Model.from_dict`` to find it)."""
    _CODEC_OF[0](cls)
    return cast(Callable[[Any], Any], cls.from_dict)


# --- The plan ---------------------------------------------------------------


@dataclass(slots=True)
class _Group:
    """Model variants with the same required and known keys."""

    required: frozenset[str]
    known: frozenset[str]
    variants: list[tuple[int, Callable[[Any], int], Callable[[Any], Any]]] = field(
        default_factory=list[tuple[int, Callable[[Any], int], Callable[[Any], Any]]]
    )
    """(-order, compiled typed fit, decoder) per variant, in order."""
    classes: list[type[Model]] = field(default_factory=list[type[Model]])
    key: str | None = None
    """The discriminator, if the variants differ only by it."""
    json_type: type = str
    table: dict[Any, int] = field(default_factory=dict[Any, int])
    """A listed value of the discriminator → the variant (its index) it names."""


@dataclass(slots=True)
class _Plan:
    groups: list[_Group]
    others: list[tuple[Any, ...]]
    """Every variant that is not a runtime model: (fits, -order, decoder)."""
    for_objects: list[tuple[Any, ...]]
    """Those of the others that can fit a JSON object."""


def _plan(members: list[_Member]) -> _Plan:
    groups: dict[tuple[frozenset[str], frozenset[str]], _Group] = {}
    others: list[tuple[Any, ...]] = []
    for_objects: list[tuple[Any, ...]] = []
    for order, (kind, what) in enumerate(members):
        if kind == "model" and issubclass(what, Model):
            shape = shape_of(what)
            group = groups.setdefault(
                (shape.required, shape.known), _Group(shape.required, shape.known)
            )
            group.variants.append((-order, compiled_fit(what), _model_decoder(what)))
            group.classes.append(what)
            continue
        fits, decode = _variant(kind, what)
        others.append((fits, -order, decode))
        if kind in ("model", "map") or what == "any":
            for_objects.append((fits, -order, decode))
    for group in groups.values():
        _discriminate(group)
    return _Plan(list(groups.values()), others, for_objects)


def _signature(members: list[_Member]) -> frozenset[Any]:
    """What ``_fit_of`` checks of a property of these types."""
    out: set[Any] = set()
    for kind, what in members:
        if kind in ("model", "map"):
            out.add("map")
        elif kind == "value":
            out.add("str" if what == "bytes" else what)
        else:  # a list, or an enum (its listed values)
            out.add(kind if kind == "list" else (kind, what))
    return frozenset(out)


def _discriminate(group: _Group) -> None:
    """Find the group's discriminator: the one key whose types differ across
    its variants, each a single enum of one JSON type, with disjoint values."""
    if len(group.classes) < 2:
        return
    types: list[dict[str, list[_Member]]] = []
    for cls in group.classes:
        shape = shape_of(cls)
        keys = [key for _, key, _ in shape.fields]
        pairs = zip(keys, shape.types, strict=True)
        types.append({k: list(dict.fromkeys(m)) for k, m in pairs})
    differ = [
        key
        for key in sorted(group.known)
        if len({_signature(t[key]) for t in types}) > 1
    ]
    if len(differ) != 1:
        return
    key = differ[0]
    enums = [t[key] for t in types]
    if any(len(m) != 1 or m[0][0] != "enum" for m in enums):
        return
    json_types = {int if issubclass(m[0][1], int) else str for m in enums}
    if len(json_types) != 1:
        return
    table: dict[Any, int] = {}
    for index, members in enumerate(enums):
        for value in cast("type[enum.Enum]", members[0][1])._value2member_map_:
            if value in table or value.__class__ not in json_types:
                return  # shared values: the typed fit decides
            table[value] = index
    group.key, group.json_type, group.table = key, json_types.pop(), table


def _no_fine(value: Any) -> int:
    return 0


def _ranked(value: Any, scored: list[tuple[Any, ...]]) -> list[Callable[[Any], Any]]:
    """The decoders, best first: the typed fit only where the rest ties."""
    counts: dict[tuple[int, int], int] = {}
    for score in scored:
        counts[score[:2]] = counts.get(score[:2], 0) + 1
    ranked = sorted(
        (
            (a, b, fine(value) if counts[a, b] > 1 else 0, order, decode)
            for a, b, order, fine, decode in scored
        ),
        key=lambda r: r[:4],
        reverse=True,
    )
    return [r[4] for r in ranked]


def fast_union(owner: str, members: list[_Member]) -> Callable[[Any], Any]:
    """``union_of`` for resolved members, choosing as ``decode_union`` does
    (see the module's docstring)."""
    message = f"{owner}: the value fits none of the union's variants"
    plans: list[_Plan] = []  # made on first use, when every class exists

    def run(value: Any) -> Any:
        if not plans:
            plans.append(_plan(members))
        if value.__class__ is not dict and not isinstance(value, Mapping):
            return _rank_all(plans[0], value, message)
        chosen = _choose(plans[0], cast("Mapping[str, Any]", value))
        if chosen is None:
            return _rank_all(plans[0], value, message)
        try:
            return chosen(value)
        except DecodeError:
            return _rank_all(plans[0], value, message)  # the next, or the same error

    return run


def _rank_all(plan: _Plan, value: Any, message: str) -> Any:
    """Decode ``value`` by the full ranking: every candidate scored."""
    scored: list[tuple[Any, ...]] = []
    others = plan.others
    if value.__class__ is dict or isinstance(value, Mapping):
        keys = cast("Mapping[str, Any]", value).keys()
        size = len(keys)
        for group in plan.groups:
            if keys >= group.required:
                shared = 2 * len(group.known.intersection(keys)) - size
                needs = len(group.required)
                for order, fine, decode in group.variants:
                    scored.append((needs, shared, order, fine, decode))
        others = plan.for_objects
    for fits, order, decode in others:
        score = fits(value)
        if score is not None:
            scored.append((score[0], score[1], order, _no_fine, decode))
    if len(scored) == 1:
        return scored[0][4](value)
    if not scored:
        raise DecodeError(message)
    return _first_that_decodes(value, _ranked(value, scored))


def _choose(plan: _Plan, value: Mapping[str, Any]) -> Callable[[Any], Any] | None:
    """The decoder of the variant that ranks first for the JSON object
    ``value``, when the plan can tell without the full ranking; else None."""
    keys = value.keys()
    size = len(keys)
    best: tuple[int, int] | None = None
    top: _Group | None = None
    tied = False
    for group in plan.groups:
        if keys >= group.required:
            score = (
                len(group.required),
                2 * len(group.known.intersection(keys)) - size,
            )
            if best is None or score > best:
                best, top, tied = score, group, False
            elif score == best:
                tied = True
    for fits, _, _ in plan.for_objects:
        score = fits(value)
        if score is not None and (best is None or score[:2] >= best):
            return None  # rare: a map or a template class competes
    if top is None or tied:
        return None
    if len(top.variants) == 1:
        return top.variants[0][2]
    if top.key is None:
        return None
    tag = value.get(top.key)
    if tag.__class__ is not top.json_type:
        return None
    index = top.table.get(tag)
    return None if index is None else top.variants[index][2]
