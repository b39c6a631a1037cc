"""The compiled codecs against the generic ones, on the same generated package.

specs/ is generated once and written twice: ``codec_fast`` as shipped, and
``codec_generic`` whose runtime is told never to compile (every model keeps
``generic_from_dict``/``generic_to_dict``, every decoder is the closure
``_decoder_of`` builds and unions rank with ``decode_union``), which is the
rules written plainly.  Hypothesis payloads, valid ones and ones with a value
of the wrong shape, must give the same values (classes, enum members and
whether they are listed, ``_extra``, ``_aliases``), the same JSON back and the
same errors from both.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_roundtrip import MODEL_NAMES, PayloadStrategies, _json_any

from generator.core import generate
from generator.ir import Api, Union
from generator.runtime import _decoders
from generator.runtime import _runtime as rt
from generator.write.package import write_files

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
NAMES = ("codec_fast", "codec_generic")


def _forget(name: str) -> None:
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]


def _never_compile(pkg: ModuleType) -> None:
    compiled, decoders = pkg._compiled, pkg._decoders

    def refuse(cls: type) -> Any:
        raise compiled._NotCompiled("the generic path, for comparison")

    compiled._compile_codec = refuse
    pkg._runtime.compiled_decoder = decoders._decoder_of  # unions: decode_union


@pytest.fixture(scope="module")
def packages(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Api, ModuleType, ModuleType]]:
    result = generate([SPECS])
    assert not result.diagnostics.has_errors
    root = tmp_path_factory.mktemp("codec")
    for name in NAMES:
        write_files(root / name, result.files)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        fast = importlib.import_module(NAMES[0])
        generic = importlib.import_module(NAMES[1])
        _never_compile(generic)
        yield result.api, fast, generic
    finally:
        sys.path.remove(str(root))
        for name in NAMES:
            _forget(name)


def _bench_floor() -> ModuleType:
    """bench/floor.py, imported from its path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "docs2py_bench_floor", ROOT / "bench" / "floor.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


structure = _bench_floor().structure
"""What a decoded value is, comparable across implementations (the bench's
floor compares itself with docs2py the same way)."""


def outcome(decode: Any, payload: Any) -> Any:
    """The decoded structure and its JSON, or the error."""
    try:
        value = decode(payload)
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))
    encoded = value.to_dict() if hasattr(value, "to_dict") else value
    return structure(value), json.dumps(encoded, sort_keys=True, default=repr)


def _spoiled(payload: Any, data: st.DataObject) -> Any:
    """``payload`` with one value, anywhere in it, replaced by any JSON."""
    if isinstance(payload, dict) and payload and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(payload)))
        return {**payload, key: _spoiled(payload[key], data)}
    if isinstance(payload, list) and payload and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(payload) - 1))
        return [*payload[:i], _spoiled(payload[i], data), *payload[i + 1 :]]
    return data.draw(_json_any)


_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("name", MODEL_NAMES)
@_SETTINGS
@given(data=st.data())
def test_compiled_models_decode_and_encode_as_the_generic_ones(
    packages: tuple[Api, ModuleType, ModuleType], name: str, data: st.DataObject
) -> None:
    api, fast, generic = packages
    payload = data.draw(PayloadStrategies(api).model(name), label="payload")
    if data.draw(st.booleans(), label="spoil"):
        payload = _spoiled(payload, data)
    got = outcome(getattr(fast, name).from_dict, payload)
    assert got == outcome(getattr(generic, name).from_dict, payload)


def _unions(api: Api) -> list[str]:
    return sorted(d.class_name for d in api.definitions if isinstance(d, Union))


@_SETTINGS
@given(data=st.data())
def test_compiled_union_decoders_rank_as_the_generic_ones(
    packages: tuple[Api, ModuleType, ModuleType], data: st.DataObject
) -> None:
    api, fast, generic = packages
    union = data.draw(st.sampled_from(_unions(api)))
    strategies = PayloadStrategies(api)
    d = strategies.defs[union]
    value = data.draw(strategies.definition(d, 0) | _json_any, label="value")
    for module in (fast, generic):
        getattr(module.models, union)  # the union's module, imported
    module_name = fast.models._MODULES[union]
    decode = [
        importlib.import_module(f"{pkg.__name__}.models.{module_name}").decode
        for pkg in (fast, generic)
    ]
    assert outcome(decode[0], value) == outcome(decode[1], value)


@pytest.mark.parametrize("hint", ["list[_m.{}]", "dict[str, _m.{}]", "_m.{} | None"])
@_SETTINGS
@given(data=st.data())
def test_compiled_decoders_of_annotations_match_the_generic_ones(
    packages: tuple[Api, ModuleType, ModuleType], hint: str, data: st.DataObject
) -> None:
    api, fast, generic = packages
    name = data.draw(st.sampled_from(MODEL_NAMES))
    strategies = PayloadStrategies(api)
    item = strategies.model(name) | st.none()
    value = data.draw(
        st.lists(item, max_size=3) | st.dictionaries(st.text(max_size=3), item) | item
    )
    results = []
    for pkg in (fast, generic):
        ns = {"__name__": pkg.__name__ + ".services.x", "_m": pkg.models}
        results.append(outcome(pkg._runtime.decoder(hint.format(name), ns, "x"), value))
    assert results[0] == results[1]


def test_the_generic_package_really_is_generic(
    packages: tuple[Api, ModuleType, ModuleType],
) -> None:
    _, fast, generic = packages
    name = MODEL_NAMES[0]
    assert (
        generic._compiled._codec(getattr(generic, name))[0]
        is generic._runtime.generic_from_dict
    )
    compiled = fast._compiled._codec(getattr(fast, name))[0]
    assert getattr(compiled, "_compiled", False)


# --- union ranking on variants made to tie ------------------------------------
# Same keys everywhere, so the typed part of the score decides (as in
# pandascore's LoLEventKiller, whose nine variants are all {object, type}).


class Kind(rt.StrEnum):
    PENDING = "pending"
    DONE = "done"


class Code(rt.IntEnum):
    ONE = 1
    TWO = 2


@rt.model
class Detail(rt.Model):
    resources: list[str] | None | rt.Unset = rt.UNSET


@rt.model
class ByModel(rt.Model):
    object: Detail
    type: Kind | None | rt.Unset = rt.UNSET


@rt.model
class ByText(rt.Model):
    object: str
    type: str | None | rt.Unset = rt.UNSET
    count: int | float | None | rt.Unset = rt.UNSET


@rt.model
class ByCode(rt.Model):
    object: Code | bool
    type: Kind | None | rt.Unset = rt.UNSET
    tags: dict[str, rt.Any] | list[int] | None | rt.Unset = rt.UNSET


_MEMBERS: list[tuple[str, Any]] = [
    ("model", ByModel),
    ("model", ByText),
    ("model", ByCode),
    ("model", Detail),
    ("enum", Kind),
    ("enum", Code),
    ("value", "str"),
    ("value", "int"),
    ("value", "float"),
    ("value", "bool"),
    ("value", "any"),
    ("list", (("value", "int"),)),
    ("map", (("enum", Kind),)),
]
_LEAVES = st.sampled_from(
    [None, "x", "pending", "done", 1, 2, 3, True, 1.5, [], [1], ["a"], {}]
    + [{"resources": ["r"]}, {"resources": "r"}, {"k": "done"}]
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.dictionaries(
        st.sampled_from(["object", "type", "count", "tags", "resources", "x"]), inner
    ),
    max_leaves=6,
) | st.fixed_dictionaries(  # objects most variants fit: the typed part decides
    {"object": _LEAVES}, optional={"type": _LEAVES, "count": _LEAVES, "tags": _LEAVES}
)


@settings(max_examples=400, deadline=None, database=None)
@given(
    members=st.lists(st.sampled_from(_MEMBERS), min_size=1, max_size=6, unique=True),
    value=_VALUES,
)
@example(_MEMBERS[1::-1], {"object": {"resources": ["r"]}, "type": "done"})
@example(_MEMBERS[2::-1], {"object": 2, "type": "done", "tags": [1]})
@example([_MEMBERS[12], _MEMBERS[3]], {})  # a tie of all three parts: order
def test_fast_union_ranks_as_decode_union(
    members: list[tuple[str, Any]], value: Any
) -> None:
    generic = [_decoders._variant(kind, what) for kind, what in members]
    expected = outcome(lambda v: rt.decode_union(v, "U", generic), value)
    assert outcome(rt.fast_union("U", members), value) == expected


@settings(max_examples=200, deadline=None, database=None)
@given(value=_VALUES)
def test_compiled_fit_sums_as_model_variant(value: Any) -> None:
    for cls in (ByModel, ByText, ByCode, Detail):
        score = rt.model_variant(cls)[0](value)
        if score is not None:
            assert rt.compiled_fit(cls)(value) == score[2]


# --- where compiled methods go ------------------------------------------------


@rt.model
class Parent(rt.Model):
    name: str
    kind: Kind | None | rt.Unset = rt.UNSET


@rt.model
class Child(Parent):
    extra_count: int | None | rt.Unset = rt.UNSET

    _renames = {"extra_count": "extraCount"}


@rt.model
class OwnDecoder(rt.Model):
    name: str

    @classmethod
    def from_dict(cls, data: Any) -> OwnDecoder:
        return cls(name="always")


def test_a_subclass_gets_its_own_codec() -> None:
    parent = Parent.from_dict({"name": "p", "kind": "done"})
    assert parent.kind is Kind.DONE and vars(Parent)["from_dict"].__func__._compiled
    child = Child.from_dict({"name": "c", "extraCount": 2})
    assert type(child) is Child and child.extra_count == 2 and child._extra == {}
    assert child.to_dict() == {"name": "c", "extraCount": 2}
    assert parent.to_dict() == {"name": "p", "kind": "done"}


def test_a_class_that_defines_from_dict_keeps_it() -> None:
    own = vars(OwnDecoder)["from_dict"]
    assert OwnDecoder(name="x").to_dict() == {"name": "x"}  # compiles the codec
    assert vars(OwnDecoder)["from_dict"] is own
    assert OwnDecoder.from_dict({"name": "y"}).name == "always"


# --- the union plan: groups and discriminators, against the plain rules ------
# Shaped like pandascore's LoLEventKiller: variants with the same keys that
# differ by an enum-valued ``type``, one with fewer required keys, and
# variants that spoil the plan (shared enum values, an int discriminator, a
# second key that differs, a map or Any that competes for objects).


class DrakeType(rt.StrEnum):
    DRAKE = "drake"


class TowerType(rt.StrEnum):
    TOWER = "tower"
    INHIBITOR = "inhibitor"


class PlayerType(rt.StrEnum):
    PLAYER = "player"


class UnknownType(rt.StrEnum):
    UNKNOWN = "unknown"


class AlsoDrake(rt.StrEnum):
    DRAKE = "drake"


class Lane(rt.IntEnum):
    TOP = 1
    BOTTOM = 3


class NumberedType(rt.IntEnum):
    ONE = 1
    TWO = 2


@rt.model
class DrakeObject(rt.Model):
    name: str
    gold: int | None | rt.Unset = rt.UNSET


@rt.model
class TowerObject(rt.Model):
    name: str
    lane: Lane | None | rt.Unset = rt.UNSET


@rt.model
class PlayerObject(rt.Model):
    id: int
    name: str | None | rt.Unset = rt.UNSET


@rt.model
class Drake(rt.Model):
    object: DrakeObject
    type: DrakeType


@rt.model
class Tower(rt.Model):
    object: TowerObject
    type: TowerType


@rt.model
class Player(rt.Model):
    object: PlayerObject | None
    type: PlayerType


@rt.model
class Unknown(rt.Model):
    type: UnknownType
    object: rt.Any = rt.UNSET


@rt.model
class Dragon(rt.Model):  # shares "drake" with Drake: the typed fit decides
    object: DrakeObject
    type: AlsoDrake


@rt.model
class Numbered(rt.Model):  # an int discriminator, in a group of its own
    object: DrakeObject
    type: NumberedType


@rt.model
class Texty(rt.Model):  # differs from Drake by ``object`` too: no dispatch
    object: str
    type: PlayerType


_EVENTS: list[tuple[str, Any]] = [
    ("model", Drake),
    ("model", Tower),
    ("model", Player),
    ("model", Unknown),
    ("model", Dragon),
    ("model", Numbered),
    ("model", Texty),
    ("model", DrakeObject),
    ("map", (("value", "any"),)),
    ("value", "any"),
    ("value", "str"),
    ("enum", UnknownType),
]
_TAGS = st.sampled_from(
    ["drake", "tower", "inhibitor", "player", "unknown", "zz", 1, 2, 3, True, None]
)
_LEAF = st.sampled_from([None, "n", 7, 1.5, True, [], {}, "drake", 3])
_OBJECTS = st.fixed_dictionaries(
    {},
    optional={
        "name": _LEAF | st.just("baron"),
        "gold": _LEAF,
        "lane": _LEAF | st.sampled_from([1, 3, 2]),
        "id": _LEAF,
        "zz": _LEAF,
    },
)
_EVENT_VALUES = (
    st.fixed_dictionaries(
        {"type": _TAGS},
        optional={"object": _OBJECTS | _LEAF, "name": _LEAF, "extra": _LEAF},
    )
    | st.fixed_dictionaries({"object": _OBJECTS | _LEAF}, optional={"type": _TAGS})
    | st.dictionaries(st.sampled_from(["object", "type", "name", "id"]), _LEAF)
    | _LEAF
)


@settings(max_examples=3000, deadline=None, database=None)
@given(
    members=st.lists(st.sampled_from(_EVENTS), min_size=1, max_size=8, unique=True),
    value=_EVENT_VALUES,
)
@example(_EVENTS[:4], {"object": {"name": "baron"}, "type": "drake"})
@example(_EVENTS[:4], {"object": {"name": "baron"}, "type": "unknown"})
@example(_EVENTS[:4], {"object": {"name": 7}, "type": "drake"})  # Drake fails
@example(_EVENTS[:5], {"object": {"name": "n"}, "type": "drake"})  # shared value
@example([_EVENTS[0], _EVENTS[5]], {"object": {"name": "n"}, "type": 1})
@example([_EVENTS[2], _EVENTS[6]], {"object": "n", "type": "player"})
def test_the_union_plan_chooses_as_decode_union(
    members: list[tuple[str, Any]], value: Any
) -> None:
    generic = [_decoders._variant(kind, what) for kind, what in members]
    expected = outcome(lambda v: rt.decode_union(v, "U", generic), value)
    assert outcome(rt.fast_union("U", members), value) == expected


def test_the_union_plan_dispatches_on_the_discriminator() -> None:
    from generator.runtime import _unions

    plan = _unions._plan(list(_EVENTS[:4]))
    drake_group = next(g for g in plan.groups if len(g.variants) == 3)
    assert drake_group.key == "type"
    assert drake_group.table == {"drake": 0, "tower": 1, "inhibitor": 1, "player": 2}
    value = {"object": {"name": "baron"}, "type": "tower"}
    chosen = _unions._choose(plan, value)
    assert chosen is not None and chosen(value) == Tower.from_dict(value)
    # a shared value, or a second key that differs: the full ranking decides
    for extra in (("model", Dragon), ("model", Texty)):
        plan = _unions._plan([*_EVENTS[:4], extra])
        group = next(g for g in plan.groups if len(g.variants) == 4)
        assert group.key is None


# --- scalar properties: the JSON type is checked -----------------------------


@rt.model
class Typed(rt.Model):
    name: str
    count: int | None
    ratio: float | rt.Unset = rt.UNSET
    flag: bool | None | rt.Unset = rt.UNSET
    anything: rt.Any = rt.UNSET
    tags: list[str] | rt.Unset = rt.UNSET


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ["x"], "count": 1}, "key 'name': expected a string, got list"),
        ({"name": "x", "count": "1"}, "key 'count': expected an integer, got str"),
        ({"name": "x", "count": True}, "key 'count': expected an integer, got bool"),
        ({"name": "x", "count": 1.0}, "key 'count': expected an integer, got float"),
        ({"name": "x", "count": 1, "ratio": "1"}, "'ratio': expected a number"),
        ({"name": "x", "count": 1, "ratio": False}, "'ratio': expected a number"),
        ({"name": "x", "count": 1, "flag": 0}, "'flag': expected a boolean, got int"),
    ],
)
def test_a_scalar_property_of_the_wrong_json_type_is_a_decode_error(
    data: dict[str, Any], message: str
) -> None:
    for decode in (Typed.from_dict, lambda d: rt.generic_from_dict(Typed, d)):
        with pytest.raises(rt.DecodeError) as caught:
            decode(data)
        assert str(caught.value).startswith("Typed: ") and message in str(caught.value)


def test_null_ints_for_numbers_and_anything_for_any_are_accepted() -> None:
    data = {"name": None, "count": None, "ratio": 2, "flag": None, "anything": [1]}
    for decode in (Typed.from_dict, lambda d: rt.generic_from_dict(Typed, d)):
        typed = decode({**data, "tags": [1, None]})  # items are not checked
        assert typed.ratio == 2 and typed.name is None and typed.anything == [1]
        assert typed.to_dict() == {**data, "tags": [1, None]}


class _Text(str):
    pass


def test_subclasses_of_the_json_types_are_accepted() -> None:
    typed = Typed.from_dict({"name": _Text("x"), "count": 1, "ratio": 1.5})
    assert typed.name == "x" and type(typed.name) is _Text


# --- a required property cannot be UNSET --------------------------------------


def test_making_a_model_with_a_required_property_unset_is_a_clear_error() -> None:
    # to_dict sends every required property (one dict display): UNSET, which
    # type checkers already refuse there, is refused when the model is made.
    with pytest.raises(TypeError, match=r"Typed\.name is required: it cannot be UNSET"):
        Typed(name=rt.UNSET, count=2)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Drake\.object is required"):
        Drake(object=rt.UNSET, type=DrakeType.DRAKE)  # type: ignore[arg-type]
    typed = Typed(name="x", count=None, ratio=rt.UNSET)
    assert typed.to_dict() == {"name": "x", "count": None}
    assert rt.generic_to_dict(typed) == typed.to_dict()


# --- decoding fills the slots of a class that model made ---------------------


@rt.model
class Counted(rt.Model):
    name: str
    made: ClassVar[int] = 0

    def __post_init__(self) -> None:
        type(self).made += 1


def test_a_class_with_its_own_post_init_is_made_through_init() -> None:
    from generator.runtime import _compiled

    assert _compiled._plain_init(Typed, [f.name for f in dataclasses.fields(Typed)][:6])
    assert not _compiled._plain_init(Counted, ["name"])
    before = Counted.made
    assert Counted.from_dict({"name": "x"}).name == "x"
    assert Counted.made == before + 1


@rt.model
class Overriding(rt.Model):
    name: str

    @classmethod
    def from_dict(cls, data: Any) -> Overriding:
        return cls(name="always")

    def to_dict(self) -> dict[str, Any]:
        return {"name": "sent"}


@rt.model
class Holder(rt.Model):
    inner: Overriding
    many: list[Overriding] | rt.Unset = rt.UNSET


def test_nested_models_are_decoded_by_their_own_from_dict() -> None:
    holder = Holder.from_dict({"inner": {"name": "x"}, "many": [{"name": "y"}]})
    assert holder.inner.name == "always" and holder.many[0].name == "always"
    assert holder.to_dict() == {"inner": {"name": "sent"}, "many": [{"name": "sent"}]}


@rt.model
class Tower2(Tower):  # a subclass in a property typed as its parent
    height: int | rt.Unset = rt.UNSET


def test_a_property_holding_another_class_is_encoded_as_encode_does() -> None:
    values: list[Any] = [
        {"plain": ["dict", 1]},
        Tower2(object=TowerObject(name="t"), type=TowerType.TOWER, height=3),
        PlayerObject(id=1),
        None,
        "text",
    ]
    for value in values:
        holder = Holder(inner=value)
        assert holder.to_dict() == rt.generic_to_dict(holder)
        drake = Drake(object=value, type=DrakeType.DRAKE)
        assert drake.to_dict() == rt.generic_to_dict(drake)
        assert drake.to_dict()["object"] == rt.encode(value)
