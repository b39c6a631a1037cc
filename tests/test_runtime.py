"""Unit tests of the runtime copied into every generated package (``_runtime.py``).

The module is imported straight from the generator so that these tests need no
generated package; test_roundtrip.py checks the same code through real output.
"""

from __future__ import annotations

import ast
import keyword
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.ir import Field, Location, Primitive
from generator.render.filters import camel_keys, renames
from generator.render.renderer import RUNTIME_MODULES
from generator.runtime import _enums
from generator.runtime import _runtime as rt

RUNTIME_SOURCE = Path(rt.__file__)
MODEL_RUNTIME = (
    "_runtime.py",
    "_shape.py",
    "_enums.py",
    "_decoders.py",
    "_unions.py",
    "_compiled.py",
)
"""``_runtime.py`` and the modules it is split into (see its docstring): they
import the standard library and each other only."""


# --- small hand-written models shaped like generated ones ---------------------


@rt.model
class Card(rt.Model):
    card_number: Any
    expiry: Any
    holder_name: Any = rt.UNSET

    _keys: ClassVar[tuple[tuple[str, str], ...]] = (
        ("card_number", "cardNumber"),
        ("expiry", "expiry"),
        ("holder_name", "holderName"),
    )
    _required: ClassVar[frozenset[str]] = frozenset(["cardNumber", "expiry"])

    @classmethod
    def from_dict(cls, data: Any) -> Card:
        d = rt.expect_object(data, "Card")
        return cls(
            card_number=rt.required(d, "cardNumber", rt.keep, "Card"),
            expiry=rt.required(d, "expiry", rt.keep, "Card"),
            holder_name=rt.optional(d, "holderName", rt.keep),
            _extra=rt.extra(d, cls),
        )


@rt.model
class Bank(rt.Model):
    iban: Any
    account_holder: Any
    bic: Any = rt.UNSET

    _keys: ClassVar[tuple[tuple[str, str], ...]] = (
        ("iban", "iban"),
        ("account_holder", "accountHolder"),
        ("bic", "bic"),
    )
    _required: ClassVar[frozenset[str]] = frozenset(["iban", "accountHolder"])

    @classmethod
    def from_dict(cls, data: Any) -> Bank:
        d = rt.expect_object(data, "Bank")
        return cls(
            iban=rt.required(d, "iban", rt.keep, "Bank"),
            account_holder=rt.required(d, "accountHolder", rt.keep, "Bank"),
            bic=rt.optional(d, "bic", rt.keep),
            _extra=rt.extra(d, cls),
        )


@rt.model
class Dog(rt.Model):
    breed: Any
    is_trained: Any
    bark_level: Any = rt.UNSET

    _keys: ClassVar[tuple[tuple[str, str], ...]] = (
        ("breed", "breed"),
        ("is_trained", "isTrained"),
        ("bark_level", "barkLevel"),
    )
    _required: ClassVar[frozenset[str]] = frozenset(["breed", "isTrained"])

    @classmethod
    def from_dict(cls, data: Any) -> Dog:
        d = rt.expect_object(data, "Dog")
        return cls(
            breed=rt.required(d, "breed", rt.keep, "Dog"),
            is_trained=rt.required(d, "isTrained", rt.keep, "Dog"),
            bark_level=rt.optional(d, "barkLevel", rt.keep),
            _extra=rt.extra(d, cls),
        )


@rt.model
class Cat(rt.Model):
    indoor: Any
    lives_left: Any = rt.UNSET
    coat: Any = rt.UNSET

    _keys: ClassVar[tuple[tuple[str, str], ...]] = (
        ("indoor", "indoor"),
        ("lives_left", "livesLeft"),
        ("coat", "coat"),
    )
    _required: ClassVar[frozenset[str]] = frozenset(["indoor"])

    @classmethod
    def from_dict(cls, data: Any) -> Cat:
        d = rt.expect_object(data, "Cat")
        return cls(
            indoor=rt.required(d, "indoor", rt.keep, "Cat"),
            lives_left=rt.optional(d, "livesLeft", rt.keep),
            coat=rt.optional(d, "coat", rt.keep),
            _extra=rt.extra(d, cls),
        )


@rt.model
class Note(rt.Model):
    """A model with no required keys."""

    text: Any = rt.UNSET
    tags: Any = rt.UNSET

    _keys: ClassVar[tuple[tuple[str, str], ...]] = (("text", "text"), ("tags", "tags"))

    @classmethod
    def from_dict(cls, data: Any) -> Note:
        d = rt.expect_object(data, "Note")
        return cls(
            text=rt.optional(d, "text", rt.keep),
            tags=rt.optional(d, "tags", rt.list_of(rt.keep)),
            _extra=rt.extra(d, cls),
        )


class Status(rt.StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in-progress"


class Priority(rt.IntEnum):
    ONE = 1
    TWO = 2
    THREE = 3


class Level(rt.IntEnum):
    """An int enum with no member equal to 0 or 1 (so bools miss the value map)."""

    LOW = 10
    HIGH = 20


def tagged(tag: str) -> Callable[[Any], tuple[str, Any]]:
    """A decoder that records which variant decoded the value."""
    return lambda value: (tag, value)


def never(value: Any) -> Any:
    raise AssertionError(f"decoder called with {value!r}")


# --- the module itself ----------------------------------------------------------


@pytest.mark.parametrize("name", MODEL_RUNTIME)
def test_runtime_imports_only_the_standard_library(name: str) -> None:
    assert name in RUNTIME_MODULES  # copied into every package
    tree = ast.parse((RUNTIME_SOURCE.parent / name).read_text("utf-8"))
    checking_only = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    for block in checking_only:  # never imported at run time
        for node in block.body:
            assert isinstance(node, ast.ImportFrom)
            assert node.module == "typing_extensions"  # stubs ship with mypy
        block.body = []
    modules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            sibling = f"{node.module}.py"
            assert node.level == 1 and sibling in MODEL_RUNTIME, ast.unparse(node)
        elif isinstance(node, ast.ImportFrom):
            assert node.module is not None
            modules.append(node.module)
    assert modules, "expected the runtime to import something"
    for module in modules:
        top = module.split(".")[0]
        assert (
            top in sys.stdlib_module_names or top == "__future__"
        ), f"runtime imports {module}, which is not in the standard library"


@pytest.mark.parametrize("name", MODEL_RUNTIME)
def test_runtime_has_no_dynamic_imports(name: str) -> None:
    tree = ast.parse((RUNTIME_SOURCE.parent / name).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "__import__"
        if isinstance(node, ast.Name):
            assert node.id != "importlib"


def _public_definitions(name: str) -> set[str]:
    """The public names a runtime module defines (not those it imports)."""
    tree = ast.parse((RUNTIME_SOURCE.parent / name).read_text("utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return {n for n in names if not n.startswith("_")}


def test_runtime_lists_every_public_name_of_its_modules() -> None:
    # Generated code writes _rt.X whichever module defines X.
    defined = set().union(*(_public_definitions(n) for n in MODEL_RUNTIME))
    assert set(rt.__all__) == defined | {"Any"}
    assert len(rt.__all__) == len(set(rt.__all__))
    for name in rt.__all__:
        assert getattr(rt, name) is not None, name
    assert rt.Any is Any


@pytest.mark.parametrize("name", MODEL_RUNTIME)
def test_each_runtime_module_can_be_imported_first(name: str, tmp_path: Path) -> None:
    # The modules import each other at their ends: any of them may come first.
    package = tmp_path / "copied"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module in MODEL_RUNTIME:
        (package / module).write_text((RUNTIME_SOURCE.parent / module).read_text())
    script = (
        f"import copied.{name[:-3]}\n"
        "from copied import _runtime as rt\n"
        "assert all(getattr(rt, n) is not None for n in rt.__all__)\n"
        "@rt.model\n"
        "class Pet(rt.Model):\n"
        "    name: str\n"
        "    tag: str | rt.Unset = rt.UNSET\n"
        "data = {'name': 'x', 'unknown': 1}\n"
        "assert Pet.from_dict(data).to_dict() == data\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# --- Unset / UNSET --------------------------------------------------------------


def test_unset_is_falsy() -> None:
    assert not rt.UNSET
    assert bool(rt.UNSET) is False


def test_unset_repr() -> None:
    assert repr(rt.UNSET) == "UNSET"
    assert repr([rt.UNSET]) == "[UNSET]"


def test_unset_is_the_single_member_of_unset() -> None:
    assert rt.UNSET is rt.Unset.UNSET
    assert isinstance(rt.UNSET, rt.Unset)
    assert list(rt.Unset) == [rt.UNSET]
    assert rt.UNSET is not None
    assert rt.UNSET != None  # noqa: E711 - UNSET and null must stay distinct


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(rt.DecodeError, ValueError)


# --- encode and Model.to_dict ---------------------------------------------------


@pytest.mark.parametrize("value", [None, True, False, 0, -3, 1.5, "", "x", {}, []])
def test_encode_keeps_plain_json(value: Any) -> None:
    assert rt.encode(value) == value
    assert type(rt.encode(value)) is type(value)


def test_encode_enums_as_their_values() -> None:
    assert rt.encode(Status.SCHEDULED) == "scheduled"
    assert type(rt.encode(Status.SCHEDULED)) is str
    assert rt.encode(Priority.TWO) == 2
    assert type(rt.encode(Priority.TWO)) is int
    assert rt.encode(Status("brand-new")) == "brand-new"
    assert rt.encode(Priority(42)) == 42


def test_encode_models_lists_and_dicts_recursively() -> None:
    card = Card(card_number="**** 1", expiry="01/30")
    value = {"a": [card, Status.IN_PROGRESS, None], "b": {"c": [Priority.ONE]}}
    assert rt.encode(value) == {
        "a": [{"cardNumber": "**** 1", "expiry": "01/30"}, "in-progress", None],
        "b": {"c": [1]},
    }


def test_to_dict_omits_unset_and_keeps_null() -> None:
    assert Card(card_number="n", expiry="e").to_dict() == {
        "cardNumber": "n",
        "expiry": "e",
    }
    assert Card(card_number="n", expiry="e", holder_name=None).to_dict() == {
        "cardNumber": "n",
        "expiry": "e",
        "holderName": None,
    }


def test_to_dict_keeps_null_in_required_fields() -> None:
    assert Card(card_number=None, expiry=None).to_dict() == {
        "cardNumber": None,
        "expiry": None,
    }


def test_to_dict_reemits_extra_after_documented_keys() -> None:
    card = Card(card_number="n", expiry="e", _extra={"zzz": [1, {"q": None}]})
    out = card.to_dict()
    assert out == {"cardNumber": "n", "expiry": "e", "zzz": [1, {"q": None}]}
    assert list(out) == ["cardNumber", "expiry", "zzz"]


def test_to_dict_documented_value_wins_over_extra_with_same_key() -> None:
    card = Card(card_number="n", expiry="e", _extra={"expiry": "other"})
    assert card.to_dict() == {"cardNumber": "n", "expiry": "e"}


def test_extra_is_not_in_repr_and_defaults_to_empty() -> None:
    card = Card(card_number="n", expiry="e", _extra={"secret": 1})
    assert "secret" not in repr(card)
    assert Card(card_number="n", expiry="e")._extra == {}


def test_model_from_dict_to_dict_round_trip() -> None:
    d = {"cardNumber": "n", "expiry": None, "holderName": None, "x-extra": {"a": 1}}
    card = Card.from_dict(d)
    assert card.holder_name is None
    assert card._extra == {"x-extra": {"a": 1}}
    assert card.to_dict() == d


# --- StrEnum / IntEnum ----------------------------------------------------------


def test_str_enum_known_values() -> None:
    assert Status("scheduled") is Status.SCHEDULED
    assert Status.IN_PROGRESS.value == "in-progress"
    assert str(Status.IN_PROGRESS) == "in-progress"
    assert Status.SCHEDULED == "scheduled"
    assert rt.is_known(Status.SCHEDULED)


@pytest.mark.parametrize("raw", ["brand-new", "", "SCHEDULED", "Scheduled", "é ☃"])
def test_str_enum_unknown_values_become_pseudo_members(raw: str) -> None:
    member = Status(raw)
    assert isinstance(member, Status)
    assert isinstance(member, str)
    assert member.value == raw
    assert member._name_ == raw
    assert str(member) == raw
    assert member == raw
    assert not rt.is_known(member)
    assert Status(raw) == member


def test_str_enum_pseudo_members_are_not_added_to_the_enum() -> None:
    Status("added-later")
    assert [m.value for m in Status] == ["scheduled", "in-progress"]
    assert "added-later" not in Status._value2member_map_


@pytest.mark.parametrize("raw", [1, 0, 1.5, True, False, None, b"scheduled", ["x"]])
def test_str_enum_rejects_non_strings(raw: Any) -> None:
    with pytest.raises(ValueError):
        Status(raw)


def test_int_enum_known_values() -> None:
    assert Priority(2) is Priority.TWO
    assert Priority.TWO.value == 2
    assert Priority.TWO == 2
    assert rt.is_known(Priority.THREE)


@pytest.mark.parametrize("raw", [0, 4, -1, 10**30])
def test_int_enum_unknown_values_become_pseudo_members(raw: int) -> None:
    member = Priority(raw)
    assert isinstance(member, Priority)
    assert member.value == raw
    assert type(member.value) is int
    assert member._name_ == str(raw)
    assert member == raw
    assert not rt.is_known(member)
    assert Priority(raw) == member


@pytest.mark.parametrize("raw", ["1", "4", 1.5, 4.0, None, [1]])
def test_int_enum_rejects_non_integers(raw: Any) -> None:
    with pytest.raises(ValueError):
        Priority(raw)


@pytest.mark.parametrize("raw", [True, False])
def test_int_enum_rejects_bool_outside_the_value_map(raw: bool) -> None:
    with pytest.raises(ValueError):
        Level(raw)


def test_int_enum_rejects_bool_equal_to_a_member_value() -> None:
    with pytest.raises(ValueError):
        Priority(True)


def test_unlisted_values_are_kept_so_they_are_identical() -> None:
    assert Status("kept-value") is Status("kept-value")
    assert Priority(77) is Priority(77)
    assert "kept-value" not in Status._value2member_map_
    assert [m.value for m in Status] == ["scheduled", "in-progress"]


def test_the_fast_lookup_still_tells_json_types_apart() -> None:
    # 1 and True hash alike, "1" is not 1: the value map alone would mix them
    Priority(1)
    with pytest.raises(ValueError):
        Priority(True)
    with pytest.raises(ValueError):
        Priority(1.0)
    Status("odd")
    with pytest.raises(ValueError):
        Status(["odd"])  # unhashable: no lookup, a clear error
    assert Priority(1) is Priority.ONE and Status("scheduled") is Status.SCHEDULED


def test_only_so_many_unlisted_values_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    class Wide(rt.StrEnum):
        A = "a"

    monkeypatch.setattr(_enums, "_PSEUDO_LIMIT", 3)
    made = [Wide(f"v{i}") for i in range(5)]
    assert [Wide(f"v{i}") is made[i] for i in range(5)] == [True] * 3 + [False] * 2
    assert all(m.value == f"v{i}" for i, m in enumerate(made))
    assert len(_enums._PSEUDO[Wide]) == 3


def test_is_known() -> None:
    assert rt.is_known(Status.SCHEDULED)
    assert rt.is_known(Priority.ONE)
    assert not rt.is_known(Status("other"))
    assert not rt.is_known(Priority(99))


# --- expect_object / required / optional / extra / keep --------------------------


def test_expect_object_returns_mappings() -> None:
    d = {"a": 1}
    assert rt.expect_object(d, "Owner") is d
    proxy = types.MappingProxyType({"a": 1})
    assert rt.expect_object(proxy, "Owner") is proxy


@pytest.mark.parametrize("value", [None, [], "{}", 1, 1.5, True, ({"a": 1},)])
def test_expect_object_rejects_non_objects(value: Any) -> None:
    with pytest.raises(rt.DecodeError, match="Owner"):
        rt.expect_object(value, "Owner")


def test_required_decodes_present_value() -> None:
    assert rt.required({"n": 2}, "n", Priority, "Visit") is Priority.TWO


def test_required_null_stays_none_without_decoding() -> None:
    assert rt.required({"n": None}, "n", never, "Visit") is None


def test_required_missing_key_raises() -> None:
    with pytest.raises(rt.DecodeError, match=r"Visit.*'status'"):
        rt.required({"other": 1}, "status", rt.keep, "Visit")


def test_optional_absent_is_unset() -> None:
    assert rt.optional({}, "n", never) is rt.UNSET


def test_optional_null_is_none_without_decoding() -> None:
    assert rt.optional({"n": None}, "n", never) is None


def test_optional_present_is_decoded() -> None:
    assert rt.optional({"n": "scheduled"}, "n", Status) is Status.SCHEDULED
    assert rt.optional({"n": False}, "n", rt.keep) is False
    assert rt.optional({"n": 0}, "n", rt.keep) == 0


def test_optional_decode_errors_propagate() -> None:
    with pytest.raises(rt.DecodeError):
        rt.optional({"n": "not a list"}, "n", rt.list_of(rt.keep))


def test_extra_keeps_only_undocumented_keys() -> None:
    d = {"cardNumber": 1, "expiry": 2, "holder_name": 3, "x": None}
    # holder_name is the attribute name, not the JSON key: it is unknown
    assert rt.extra(d, Card) == {"holder_name": 3, "x": None}
    assert rt.extra({"cardNumber": 1, "expiry": 2}, Card) == {}
    assert rt.extra({}, Card) == {}


def test_keep_is_identity() -> None:
    value = {"a": [1]}
    assert rt.keep(value) is value


# --- list_of / map_of -----------------------------------------------------------


def test_list_of_decodes_items_and_keeps_nulls() -> None:
    decode = rt.list_of(Status)
    out = decode(["scheduled", None, "odd"])
    assert out[0] is Status.SCHEDULED
    assert out[1] is None
    assert out[2].value == "odd" and not rt.is_known(out[2])


def test_list_of_nulls_are_not_passed_to_the_item_decoder() -> None:
    assert rt.list_of(never)([None, None]) == [None, None]
    assert rt.list_of(never)([]) == []


def test_list_of_nested() -> None:
    assert rt.list_of(rt.list_of(rt.keep))([[1, 2.5], [], None, [None]]) == [
        [1, 2.5],
        [],
        None,
        [None],
    ]


def test_list_of_models() -> None:
    out = rt.list_of(Card.from_dict)([{"cardNumber": "a", "expiry": "b"}, None])
    assert isinstance(out[0], Card) and out[0].card_number == "a"
    assert out[1] is None


@pytest.mark.parametrize("value", [{"a": 1}, "abc", 1, True, (1, 2), None])
def test_list_of_rejects_non_arrays(value: Any) -> None:
    with pytest.raises(rt.DecodeError, match="array"):
        rt.list_of(rt.keep)(value)


def test_list_of_item_errors_propagate() -> None:
    with pytest.raises(rt.DecodeError):
        rt.list_of(rt.list_of(rt.keep))([[1], "not a list"])


def test_map_of_decodes_values_and_keeps_nulls() -> None:
    out = rt.map_of(Priority)({"a": 1, "b": None, "c": 7})
    assert out["a"] is Priority.ONE
    assert out["b"] is None
    assert out["c"].value == 7 and not rt.is_known(out["c"])
    assert list(out) == ["a", "b", "c"]
    assert rt.map_of(never)({"x": None}) == {"x": None}
    assert rt.map_of(never)({}) == {}


def test_map_of_accepts_any_mapping() -> None:
    proxy = types.MappingProxyType({"k": "scheduled"})
    assert rt.map_of(Status)(proxy) == {"k": Status.SCHEDULED}


@pytest.mark.parametrize("value", [[], [("a", 1)], "abc", 1, None])
def test_map_of_rejects_non_objects(value: Any) -> None:
    with pytest.raises(rt.DecodeError, match="object"):
        rt.map_of(rt.keep)(value)


def test_map_of_list_of() -> None:
    decode = rt.map_of(rt.list_of(rt.keep))
    assert decode({"a": [1, None], "b": None}) == {"a": [1, None], "b": None}
    with pytest.raises(rt.DecodeError):
        decode({"a": {"not": "a list"}})


# --- variants and decode_union ---------------------------------------------------


def test_model_variant_fits_only_objects_with_all_required_keys() -> None:
    fits, decode = rt.model_variant(Card)
    assert decode == Card.from_dict
    assert fits({"cardNumber": 1}) is None
    assert fits(["cardNumber", "expiry"]) is None
    assert fits("cardNumber") is None
    assert fits({"cardNumber": None, "expiry": None}) == (2, 2, 0)
    assert fits({"cardNumber": 1, "expiry": 1, "holderName": 1}) == (2, 3, 0)
    assert fits({"cardNumber": 1, "expiry": 1, "x": 1, "y": 2}) == (2, 0, 0)


def test_model_variant_without_required_keys_fits_any_object() -> None:
    fits, _ = rt.model_variant(Note)
    assert fits({}) == (0, 0, 0)
    assert fits({"text": "a"}) == (0, 1, 0)
    assert fits({"zzz": 1}) == (0, -1, 0)
    assert fits([]) is None


def test_enum_variant_fits_only_known_values() -> None:
    fits, decode = rt.enum_variant(Status)
    assert decode is Status
    assert fits("scheduled") == (1, 0, 0)
    assert fits("unknown") is None
    assert fits(1) is None
    int_fits, _ = rt.enum_variant(Priority)
    assert int_fits(3) == (1, 0, 0)
    assert int_fits(4) is None
    assert int_fits("3") is None


@pytest.mark.parametrize("value", [[1], {"a": 1}])
def test_enum_variant_does_not_fit_arrays_or_objects(value: Any) -> None:
    fits, _ = rt.enum_variant(Status)
    assert fits(value) is None


def test_enum_variant_does_not_fit_bool() -> None:
    fits, _ = rt.enum_variant(Priority)
    assert fits(True) is None


@pytest.mark.parametrize(
    ("kind", "fitting", "not_fitting"),
    [
        ("str", ["", "x"], [1, 1.5, True, [], {}]),
        ("bytes", ["aGk="], [1, True, []]),
        ("int", [0, -5, 10**20], [1.0, 1.5, "1", True, False, []]),
        ("float", [0, 1, 1.5, -2.0], ["1.5", True, False, []]),
        ("bool", [True, False], [0, 1, "true", None, []]),
        ("list", [[], [1, None]], [{}, "ab", (1,), 1, True]),
        ("map", [{}, {"a": 1}, types.MappingProxyType({})], [[], "ab", 1, True]),
        ("any", ["x", 1, 1.5, [], {}], []),
    ],
)
def test_value_variant_fits_its_json_type(
    kind: str, fitting: list[Any], not_fitting: list[Any]
) -> None:
    fits, decode = rt.value_variant(kind)
    assert decode is rt.keep
    expected = (-1, 0, 0) if kind == "any" else (0, 0, 0)
    for value in fitting:
        assert fits(value) == expected, value
    for value in not_fitting:
        assert fits(value) is None, value


@pytest.mark.parametrize("value", [True, False])
def test_value_variant_any_fits_bool(value: bool) -> None:
    fits, _ = rt.value_variant("any")
    assert fits(value) == (-1, 0, 0)


def test_value_variant_uses_given_decoder() -> None:
    decode = rt.list_of(Status)
    fits, got = rt.value_variant("list", decode)
    assert got is decode


def test_decode_union_by_required_keys() -> None:
    variants = (rt.model_variant(Card), rt.model_variant(Bank))
    card = rt.decode_union({"cardNumber": "1", "expiry": "2"}, "Payment", variants)
    assert isinstance(card, Card)
    bank = rt.decode_union({"iban": "DE", "accountHolder": "A"}, "Payment", variants)
    assert isinstance(bank, Bank)
    # a key of Card does not pull a Bank payload to Card without Card's required keys
    bank = rt.decode_union(
        {"iban": "DE", "accountHolder": "A", "expiry": "x"}, "Payment", variants
    )
    assert isinstance(bank, Bank)
    assert bank._extra == {"expiry": "x"}


def test_decode_union_null_required_value_still_counts_as_present() -> None:
    variants = (rt.model_variant(Card), rt.model_variant(Bank))
    bank = rt.decode_union({"iban": None, "accountHolder": None}, "P", variants)
    assert isinstance(bank, Bank)
    assert bank.iban is None


def test_decode_union_more_specific_variant_wins() -> None:
    # both fit; Dog has more required keys and the better key overlap
    value = {"breed": "x", "isTrained": True, "indoor": False}
    for variants in [
        (rt.model_variant(Cat), rt.model_variant(Dog)),
        (rt.model_variant(Dog), rt.model_variant(Cat)),
    ]:
        assert isinstance(rt.decode_union(value, "Animal", variants), Dog)


def test_decode_union_best_overlap_wins_among_equal_required() -> None:
    # Card and Bank both fit; Bank knows more of the keys
    value = {
        "cardNumber": 1,
        "expiry": 2,
        "iban": 3,
        "accountHolder": 4,
        "bic": 5,
    }
    for variants in [
        (rt.model_variant(Card), rt.model_variant(Bank)),
        (rt.model_variant(Bank), rt.model_variant(Card)),
    ]:
        out = rt.decode_union(value, "Payment", variants)
        assert isinstance(out, Bank)
        assert out.to_dict() == value


def test_decode_union_ties_go_to_the_first_variant() -> None:
    value = {"cardNumber": 1, "expiry": 2, "iban": 3, "accountHolder": 4}
    first = rt.decode_union(
        value, "P", (rt.model_variant(Card), rt.model_variant(Bank))
    )
    assert isinstance(first, Card)
    second = rt.decode_union(
        value, "P", (rt.model_variant(Bank), rt.model_variant(Card))
    )
    assert isinstance(second, Bank)
    tie = (rt.value_variant("int", tagged("a")), rt.value_variant("float", tagged("b")))
    assert rt.decode_union(3, "N", tie) == ("a", 3)
    assert rt.decode_union(3, "N", tie[::-1]) == ("b", 3)


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("s", "str"),
        (5, "int"),
        (5.5, "float"),
        (True, "bool"),
        (False, "bool"),
        ([1], "list"),
        ({"a": 1}, "map"),
    ],
)
def test_decode_union_primitives(value: Any, tag: str) -> None:
    variants = [
        rt.value_variant(kind, tagged(kind))
        for kind in ("str", "int", "float", "bool", "list", "map")
    ]
    assert rt.decode_union(value, "Prim", variants) == (tag, value)
    assert rt.decode_union(value, "Prim", variants[::-1]) == (
        "float" if tag == "int" else tag,  # int also fits float: first of equals
        value,
    )


def test_decode_union_bool_vs_int() -> None:
    int_bool = (
        rt.value_variant("int", tagged("int")),
        rt.value_variant("bool", tagged("bool")),
    )
    assert rt.decode_union(True, "B", int_bool) == ("bool", True)
    assert rt.decode_union(1, "B", int_bool) == ("int", 1)
    assert rt.decode_union(0, "B", int_bool[::-1]) == ("int", 0)
    with pytest.raises(rt.DecodeError):
        rt.decode_union(True, "B", (rt.value_variant("int"), rt.value_variant("float")))


def test_decode_union_bool_is_not_an_int_enum_member() -> None:
    variants = (rt.enum_variant(Priority), rt.value_variant("bool"))
    out = rt.decode_union(True, "U", variants)
    assert out is True
    assert type(rt.encode(out)) is bool


def test_decode_union_any_variant_is_lowest() -> None:
    any_first = [rt.value_variant("any", tagged("any"))]
    assert rt.decode_union(
        "x", "U", [*any_first, rt.value_variant("str", tagged("str"))]
    ) == (
        "str",
        "x",
    )
    assert rt.decode_union(
        [1], "U", [*any_first, rt.value_variant("list", tagged("list"))]
    ) == ("list", [1])
    note = rt.decode_union({"zzz": 1}, "U", [*any_first, rt.model_variant(Note)])
    assert isinstance(note, Note)  # (0, -1, 0) still beats any's (-1, 0, 0)
    # only 'any' fits: it is used
    assert rt.decode_union(2.5, "U", [*any_first, rt.value_variant("str")]) == (
        "any",
        2.5,
    )


def test_decode_union_enum_vs_str() -> None:
    variants = (rt.value_variant("str", tagged("str")), rt.enum_variant(Status))
    assert rt.decode_union("scheduled", "U", variants) is Status.SCHEDULED
    assert rt.decode_union("other", "U", variants) == ("str", "other")


def test_decode_union_unknown_enum_value_only_variant_fails() -> None:
    with pytest.raises(rt.DecodeError, match="U"):
        rt.decode_union("other", "U", (rt.enum_variant(Status),))


def test_decode_union_model_vs_map() -> None:
    variants = (rt.value_variant("map", tagged("map")), rt.model_variant(Card))
    card = rt.decode_union({"cardNumber": 1, "expiry": 2}, "U", variants)
    assert isinstance(card, Card)
    assert rt.decode_union({"cardNumber": 1}, "U", variants) == (
        "map",
        {"cardNumber": 1},
    )


def test_decode_union_model_without_required_keys_vs_map() -> None:
    variants = (rt.value_variant("map", tagged("map")), rt.model_variant(Note))
    assert isinstance(rt.decode_union({"text": "a"}, "U", variants), Note)
    assert rt.decode_union({"zzz": 1}, "U", variants) == ("map", {"zzz": 1})
    assert rt.decode_union({}, "U", variants) == ("map", {})  # tie → first


def test_decode_union_no_fit_raises() -> None:
    variants = (rt.model_variant(Card), rt.model_variant(Bank))
    for value in [{"iban": "x"}, [], "s", 1, True]:
        with pytest.raises(rt.DecodeError, match="Payment"):
            rt.decode_union(value, "Payment", variants)
    with pytest.raises(rt.DecodeError):
        rt.decode_union("x", "Empty", ())


def test_union_of_is_a_decoder() -> None:
    decode = rt.union_of("Visit", (rt.model_variant(Dog), rt.model_variant(Cat)))
    dog = decode({"breed": "lab", "isTrained": False})
    assert isinstance(dog, Dog)
    cat = decode({"indoor": True, "livesLeft": 9})
    assert isinstance(cat, Cat) and cat.lives_left == 9
    with pytest.raises(rt.DecodeError, match="Visit"):
        decode({"breed": "lab"})


def test_union_of_inside_list_of_keeps_nulls() -> None:
    decode = rt.list_of(
        rt.union_of("V", (rt.model_variant(Dog), rt.model_variant(Cat)))
    )
    out = decode([{"indoor": True}, None, {"breed": "b", "isTrained": True}])
    assert isinstance(out[0], Cat) and out[1] is None and isinstance(out[2], Dog)
    assert rt.encode(out) == [{"indoor": True}, None, {"breed": "b", "isTrained": True}]


# --- JSON keys: the generator's `camel_keys`/`renames` and the runtime agree -------

# Attribute names as names.attribute_name makes them (never a keyword).
_ATTRIBUTE = st.from_regex(
    r"[a-z][a-z0-9]{0,5}(_[a-z0-9]{1,5}){0,3}_?", fullmatch=True
).filter(lambda name: not keyword.iskeyword(name))
_KEY = st.one_of(
    st.text(min_size=1, max_size=12), st.sampled_from(["id", "weightKg", "TAG"])
)


@given(st.dictionaries(_ATTRIBUTE, st.one_of(_KEY, st.none()), max_size=8))
@example({"or_": None, "j_": "j", "class_": "class"})
@settings(max_examples=300)
def test_keys_written_by_the_template_are_the_keys_the_runtime_reads(
    spec: dict[str, str | None],
) -> None:
    """None stands for "the key is the attribute in lowerCamelCase"."""
    fields = tuple(
        Field(
            name=key or attr,
            python_name=attr,
            wire_key=key if key is not None else rt.camel_key(attr),
            type=Primitive("str"),
            required=False,
            description="",
            location=Location("x.md", 1),
        )
        for attr, key in spec.items()
    )
    camel = camel_keys(fields)
    namespace = {"_camel": camel, "_renames": renames(fields, camel)}
    if not fields:
        return
    annotations = {f.python_name: "str | None" for f in fields}
    body = {"__annotations__": annotations, "__module__": __name__} | namespace
    body |= {f.python_name: rt.UNSET for f in fields}
    cls = rt.model(types.new_class("M", (rt.Model,), {}, lambda ns: ns.update(body)))
    shape = rt.shape_of(cls)
    assert [key for _, key, _ in shape.fields] == [f.wire_key for f in fields]


@pytest.mark.parametrize("name", RUNTIME_MODULES)
def test_runtime_modules_ship_black_formatted(name: str) -> None:
    # format.py copies them without running black at the default line length.
    import black

    from generator.write.format import DEFAULT_LINE_LENGTH, mode

    text = (RUNTIME_SOURCE.parent / name).read_text("utf-8")
    assert black.format_str(text, mode=mode(DEFAULT_LINE_LENGTH)) == text
