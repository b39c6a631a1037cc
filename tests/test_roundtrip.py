"""Round trips through a package generated from specs/: JSON → models → JSON.

The package is generated once per session into a temporary folder and imported
under a name no other test uses.  Three kinds of checks:

1. hand-written payloads (nested models, lists, maps, enums, every union form,
   explicit nulls, unknown keys) and the Python types they decode to;
2. a hypothesis property: any valid payload of any model, built from the IR,
   satisfies ``X.from_dict(d).to_dict() == d``;
3. models built in Python survive ``to_dict`` then ``from_dict``.
"""

from __future__ import annotations

import enum
import importlib
import json
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core import generate, load
from generator.diagnostics import Diagnostics
from generator.ir import (
    AnyType,
    Api,
    Definition,
    Enum,
    ListOf,
    MapOf,
    Model,
    Primitive,
    Ref,
    TypeRef,
    Union,
    UnionOf,
)
from generator.render.renderer import RUNTIME_MODULES
from generator.settings import Settings
from generator.write.package import write_files

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
RUNTIME = ROOT / "generator" / "runtime"
PACKAGE = "petclinic_roundtrip"

# For parametrize ids only; the tests use the API of the generated package.
MODEL_NAMES = sorted(
    m.class_name for m in load([SPECS], Settings(), Diagnostics()).models
)


@dataclass
class Generated:
    api: Api
    pkg: ModuleType
    files: dict[str, str]
    defs: dict[str, Definition] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.defs = {d.class_name: d for d in self.api.definitions}

    def cls(self, class_name: str) -> Any:
        return getattr(self.pkg, class_name)

    @property
    def rt(self) -> Any:
        return self.pkg._runtime


def _forget(name: str) -> None:
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]


@pytest.fixture(scope="session")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    result = generate([SPECS])
    assert not result.diagnostics.has_errors, result.diagnostics.items
    assert result.files
    root = tmp_path_factory.mktemp("roundtrip")
    write_files(root / PACKAGE, result.files)
    sys.path.insert(0, str(root))
    _forget(PACKAGE)
    importlib.invalidate_caches()
    try:
        pkg = importlib.import_module(PACKAGE)
        yield Generated(result.api, pkg, result.files)
    finally:
        sys.path.remove(str(root))
        _forget(PACKAGE)


def assert_plain_json(value: Any, where: str = "$") -> None:
    """Only dict/list/str/int/float/bool/None, exactly (no enums, no models)."""
    kind = type(value)
    assert kind in (dict, list, str, int, float, bool, type(None)), (where, kind)
    if kind is dict:
        for key, item in value.items():
            assert type(key) is str, (where, key)
            assert_plain_json(item, f"{where}.{key}")
    elif kind is list:
        for i, item in enumerate(value):
            assert_plain_json(item, f"{where}[{i}]")
    elif kind is float:
        assert math.isfinite(value), where


def assert_round_trip(cls: Any, payload: dict[str, Any]) -> Any:
    """``cls.from_dict(payload).to_dict() == payload``, types included."""
    snapshot = json.dumps(payload, sort_keys=True)
    obj = cls.from_dict(payload)
    assert json.dumps(payload, sort_keys=True) == snapshot, "from_dict mutated input"
    out = obj.to_dict()
    assert out == payload
    assert_plain_json(out)
    # == treats True == 1 == 1.0; the JSON text does not
    assert json.dumps(out, sort_keys=True) == snapshot
    return obj


# --- the generated package itself -------------------------------------------------


def test_runtime_is_copied_verbatim(gen: Generated) -> None:
    for name in RUNTIME_MODULES:
        assert gen.files[name] == (RUNTIME / name).read_text("utf-8"), name


def test_package_exports(gen: Generated) -> None:
    assert gen.pkg.UNSET is gen.rt.UNSET
    assert gen.pkg.DecodeError is gen.rt.DecodeError
    for name in MODEL_NAMES:
        assert issubclass(gen.cls(name), gen.rt.Model), name
    assert issubclass(gen.pkg.VisitStatus, gen.rt.StrEnum)
    assert issubclass(gen.pkg.TriagePriority, gen.rt.IntEnum)


def test_model_names_match_generated_api(gen: Generated) -> None:
    assert sorted(m.class_name for m in gen.api.models) == MODEL_NAMES


# --- 1. hand-written payloads ---------------------------------------------------

DOG = {"breed": "beagle", "isTrained": True, "barkLevel": 7, "rabiesTagIds": ["r1"]}
CAT = {"indoor": False, "livesLeft": 8.5, "coatPattern": "tabby"}

CATEGORY = {
    "id": 3,
    "name": "dental",
    "parent": {"id": 1, "name": "surgery", "parent": None},
    "children": [
        {"id": 4, "name": "extraction", "children": []},
        None,
        {"id": 5.5, "name": "cleaning", "x-sort": 2},
    ],
    "path": "surgery/dental",
}

INVOICE_CARD = {
    "id": "inv_1",
    "visitId": "vis_1",
    "lines": [
        {"description": "exam", "quantity": 1, "unitPrice": 45.5},
        {
            "description": "vaccine",
            "quantity": 2,
            "unitPrice": 10,
            "code": "VAC|0042",
            "package": {
                "name": "puppy",
                "includedVisits": 3,
                "priceCents": 9900,
                "treatments": ["vac", None],
            },
        },
    ],
    "bundles": [{"name": "senior", "includedVisits": 2, "priceCents": 5000}],
    "total": 65.5,
    "currency": "EUR",
    "paid": True,
    "payment": {"cardNumber": "**** 4242", "expiry": "12/29", "holderName": None},
}

INVOICE_BANK = {
    "id": "inv_2",
    "visitId": "vis_2",
    "lines": [],
    "total": 0,
    "currency": "GBP",
    "payment": {
        "iban": "GB00",
        "accountHolder": "A. Owner",
        "bic": None,
        "x-reference": {"batch": [1, 2]},
    },
}

VISIT = {
    "id": "vis_1",
    "petId": "pet_1",
    "scheduledAt": "2024-05-01T09:30:00Z",
    "status": "in-progress",
    "priority": 2,
    "patient": DOG,
    "followUps": [
        {
            "id": "vis_2",
            "petId": "pet_1",
            "scheduledAt": "2024-05-08T09:30:00Z",
            "status": "rescheduled-by-phone",
            "priority": 9,
            "patient": CAT,
            "followUps": [],
        },
        None,
    ],
    "vitals": {"temperature": "38.5", "pulse": None},
    "heartRateSeries": [[0, 60.5], [1, None], None, []],
    "invoice": INVOICE_CARD,
}

OWNER_POSTAL = {
    "id": "own_42",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": None,
    "address": {
        "street": "1 Main St",
        "city": "London",
        "postalCode": "N1",
        "country": "GB",
        "coordinates": [51.5, -0.1],
    },
    "contact": {
        "name": "Ada",
        "address": {"line1": "1 Main St", "zip_code": "N1", "city": "London"},
        "languages": ["en", "fr"],
    },
    "pets": [
        {
            "id": "pet_1",
            "name": "Rex",
            "type": "dog",
            "animal": DOG,
            "visits": [VISIT],
            "category": CATEGORY,
            "weightKg": 12.25,
            "microchipped": False,
            "allergies": [],
            "extra": [1, "two", {"three": None}, True],
        }
    ],
    "tags": ["vip", None],
    "balance": -12.5,
    "active": True,
    "metadata": {"crm": {"id": 7, "synced": False, "tags": []}},
    "x-unknown": {"nested": [None, 1.5]},
}

OWNER_PHONE = {
    "id": "own_43",
    "firstName": None,
    "lastName": "Hopper",
    "contact": {
        "phone": "+441234567890",
        "sms_allowed": False,
        "call_window_start": 9,
        "max_call_minutes": 15,
        "extra": {"provider": "acme", "retries": 3, "fallback": None, "cfg": {}},
    },
    "pets": [],
    "active": False,
    "metadata": "just a string",
}

PET_CAT = {
    "id": "pet_2",
    "name": "Tom",
    "type": "cat",
    "animal": {"indoor": True, "x-whiskers": 24},
    "owner": OWNER_PHONE,
    "extra": None,
    "category": None,
    "visits": None,
}

PAYLOADS: dict[str, tuple[str, dict[str, Any]]] = {
    "dog": ("Dog", DOG),
    "cat-minimal": ("Cat", {"indoor": True}),
    "category-tree": ("Category", CATEGORY),
    "invoice-card": ("Invoice", INVOICE_CARD),
    "invoice-bank": ("Invoice", INVOICE_BANK),
    "visit-nested": ("Visit", VISIT),
    "visit-nulls": (
        "Visit",
        {
            "id": None,
            "petId": "p",
            "scheduledAt": "t",
            "status": None,
            "priority": None,
            "patient": None,
            "followUps": None,
            "vitals": None,
            "heartRateSeries": None,
            "invoice": None,
        },
    ),
    "owner-postal": ("Owner", OWNER_POSTAL),
    "owner-phone": ("Owner", OWNER_PHONE),
    "pet-cat": ("Pet", PET_CAT),
    "pet-extra-keys-only": (
        "Pet",
        {"id": "p", "name": "n", "type": "t", "animal": DOG, "": 0, "id_": "x"},
    ),
    "contact1-address": (
        "Contact1Address",
        {"line1": "a", "line2": None, "zip_code": "z", "city": "c", "zipCode": "?"},
    ),
    "package-unicode": (
        "Package",
        {"name": "é ☃ \u0000", "includedVisits": 1e300, "priceCents": -0.0},
    ),
}


@pytest.mark.parametrize("case", sorted(PAYLOADS))
def test_hand_written_payload_round_trips(gen: Generated, case: str) -> None:
    name, payload = PAYLOADS[case]
    assert_round_trip(gen.cls(name), payload)


def test_owner_postal_decoded_types(gen: Generated) -> None:
    p = gen.pkg
    owner = p.Owner.from_dict(OWNER_POSTAL)
    assert owner.id == "own_42" and owner.first_name == "Ada"
    assert owner.email is None
    assert isinstance(owner.address, p.OwnerAddress)
    assert owner.address.postal_code == "N1"
    assert owner.address.coordinates == [51.5, -0.1]
    assert isinstance(owner.contact, p.Contact1)
    assert isinstance(owner.contact.address, p.Contact1Address)
    assert owner.contact.address.line2 is p.UNSET
    assert owner.tags == ["vip", None]
    assert owner.metadata == {"crm": {"id": 7, "synced": False, "tags": []}}
    assert owner._extra == {"x-unknown": {"nested": [None, 1.5]}}

    (pet,) = owner.pets
    assert isinstance(pet, p.Pet)
    assert isinstance(pet.animal, p.Dog) and pet.animal.is_trained is True
    assert pet.owner is p.UNSET
    assert pet.extra == [1, "two", {"three": None}, True]
    assert isinstance(pet.category, p.Category)
    assert isinstance(pet.category.parent, p.Category)
    assert pet.category.parent.parent is None
    assert pet.category.parent.children is p.UNSET
    first, hole, last = pet.category.children
    assert isinstance(first, p.Category) and first.children == []
    assert hole is None
    assert last._extra == {"x-sort": 2}

    (visit,) = pet.visits
    assert isinstance(visit, p.Visit)


def test_visit_decoded_types(gen: Generated) -> None:
    p, rt = gen.pkg, gen.rt
    visit = p.Visit.from_dict(VISIT)
    assert visit.status is p.VisitStatus.IN_PROGRESS
    assert rt.is_known(visit.status)
    assert visit.priority is p.TriagePriority.VALUE_2
    assert isinstance(visit.patient, p.Dog)
    assert visit.patient.rabies_tag_ids == ["r1"]
    assert visit.vitals == {"temperature": "38.5", "pulse": None}
    assert visit.heart_rate_series == [[0, 60.5], [1, None], None, []]

    follow, hole = visit.follow_ups
    assert hole is None
    assert isinstance(follow, p.Visit)
    assert isinstance(follow.status, p.VisitStatus)
    assert follow.status.value == "rescheduled-by-phone"
    assert not rt.is_known(follow.status)
    assert isinstance(follow.priority, p.TriagePriority)
    assert follow.priority.value == 9
    assert not rt.is_known(follow.priority)
    assert isinstance(follow.patient, p.Cat)
    assert follow.patient.lives_left == 8.5
    assert follow.follow_ups == []
    assert follow.invoice is p.UNSET

    invoice = visit.invoice
    assert isinstance(invoice, p.Invoice)
    assert all(isinstance(line, p.InvoiceLine) for line in invoice.lines)
    assert invoice.lines[0].package is p.UNSET
    assert isinstance(invoice.lines[1].package, p.Package)
    assert invoice.lines[1].package.treatments == ["vac", None]
    assert isinstance(invoice.bundles[0], p.Package)
    assert isinstance(invoice.payment, p.Payment1)
    assert invoice.payment.holder_name is None


def test_visit_nulls_decoded(gen: Generated) -> None:
    p = gen.pkg
    _, payload = PAYLOADS["visit-nulls"]
    visit = p.Visit.from_dict(payload)
    assert visit.id is None and visit.status is None  # null in required fields
    for attr in ("priority", "patient", "follow_ups", "vitals", "invoice"):
        assert getattr(visit, attr) is None, attr


def test_payment_union_by_required_keys(gen: Generated) -> None:
    p = gen.pkg
    card = p.Invoice.from_dict(INVOICE_CARD).payment
    assert isinstance(card, p.Payment1) and card.card_number == "**** 4242"
    bank = p.Invoice.from_dict(INVOICE_BANK).payment
    assert isinstance(bank, p.Payment2)
    assert bank.bic is None
    assert bank._extra == {"x-reference": {"batch": [1, 2]}}


def test_contact_union_by_required_keys(gen: Generated) -> None:
    p = gen.pkg
    assert isinstance(p.Owner.from_dict(OWNER_POSTAL).contact, p.Contact1)
    contact = p.Owner.from_dict(OWNER_PHONE).contact
    assert isinstance(contact, p.Contact2)
    assert contact.call_window_start == 9
    assert contact.extra == {
        "provider": "acme",
        "retries": 3,
        "fallback": None,
        "cfg": {},
    }


def test_animal_union_and_inline_one_of(gen: Generated) -> None:
    p = gen.pkg
    pet = p.Pet.from_dict(PET_CAT)
    assert isinstance(pet.animal, p.Cat)
    assert pet.animal._extra == {"x-whiskers": 24}
    assert isinstance(pet.owner, p.Owner)
    assert pet.extra is None and pet.category is None and pet.visits is None
    assert isinstance(p.Pet.from_dict({**PET_CAT, "animal": DOG}).animal, p.Dog)
    # the Animal module's decode is the union decoder
    animal = sys.modules[f"{PACKAGE}.models.animal"]
    assert isinstance(animal.decode(CAT), p.Cat)
    assert isinstance(animal.decode(DOG), p.Dog)
    # both shapes present: Dog has more required keys
    both = animal.decode({**CAT, **DOG})
    assert isinstance(both, p.Dog)
    assert both.to_dict() == {**CAT, **DOG}


def test_extra_keys_that_are_attribute_names_stay_extra(gen: Generated) -> None:
    p = gen.pkg
    _, payload = PAYLOADS["pet-extra-keys-only"]
    pet = p.Pet.from_dict(payload)
    assert pet.id == "p"
    assert pet._extra == {"": 0, "id_": "x"}
    _, payload = PAYLOADS["contact1-address"]
    address = p.Contact1Address.from_dict(payload)
    assert address.zip_code == "z"
    assert address._extra == {"zipCode": "?"}


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("Dog", {"breed": "x"}),
        ("Dog", ["breed", "isTrained"]),
        ("Dog", {"breed": "x", "isTrained": True, "rabiesTagIds": "r1"}),
        ("Pet", {"id": "p", "name": "n", "type": "t", "animal": {"barkLevel": 1}}),
        ("Pet", {"id": "p", "name": "n", "type": "t", "animal": "dog"}),
        (
            "Visit",
            {
                "id": "v",
                "petId": "p",
                "scheduledAt": "s",
                "status": "x",
                "patient": {"coatPattern": "tabby"},
            },
        ),
        (
            "Visit",
            {
                "id": "v",
                "petId": "p",
                "scheduledAt": "s",
                "status": "x",
                "vitals": ["not", "a", "map"],
            },
        ),
        ("Invoice", {**INVOICE_BANK, "payment": {"iban": "x"}}),
        ("Invoice", {**INVOICE_BANK, "lines": {"0": {}}}),
        ("Owner", {**OWNER_PHONE, "contact": {"name": "x"}}),
    ],
)
def test_wrong_shapes_raise_decode_error(
    gen: Generated, name: str, payload: Any
) -> None:
    with pytest.raises(gen.pkg.DecodeError):
        gen.cls(name).from_dict(payload)


# --- 2. hypothesis: any valid payload round-trips ---------------------------------

MAX_DEPTH = 3
EXTRA_PREFIX = "x-"

_finite = st.floats(allow_nan=False, allow_infinity=False)
_text = st.text(max_size=8)
_json_any = st.recursive(
    st.none() | st.booleans() | st.integers() | _finite | _text,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_PRIMITIVES: dict[str, st.SearchStrategy[Any]] = {
    "str": _text,
    "bytes": _text,
    "int": st.integers(),
    "float": st.integers() | _finite,
    "bool": st.booleans(),
}


class PayloadStrategies:
    """Strategies for valid JSON of IR types, with nesting bounded by depth."""

    def __init__(self, api: Api) -> None:
        self.defs = {d.class_name: d for d in api.definitions}
        self._models: dict[tuple[str, int], st.SearchStrategy[dict[str, Any]]] = {}

    def nullable(self, t: TypeRef, depth: int) -> st.SearchStrategy[Any]:
        """Any value of ``t`` or null (null is valid everywhere)."""
        return self.of(t, depth) | st.none()

    def of(self, t: TypeRef, depth: int) -> st.SearchStrategy[Any]:
        if isinstance(t, Primitive):
            return _PRIMITIVES[t.name]
        if isinstance(t, AnyType):
            return _json_any
        if isinstance(t, ListOf):
            return st.lists(self.nullable(t.item, depth), max_size=2)
        if isinstance(t, MapOf):
            return st.dictionaries(_text, self.nullable(t.value, depth), max_size=2)
        if isinstance(t, UnionOf):
            return st.one_of([self.of(v, depth) for v in t.variants])
        assert isinstance(t, Ref) and t.target is not None, t
        return self.definition(self.defs[t.target], depth + 1)

    def definition(self, d: Definition, depth: int) -> st.SearchStrategy[Any]:
        if isinstance(d, Enum):
            known = [m.value for m in d.members]
            other: st.SearchStrategy[Any]
            if d.value_type == "int":
                other = st.integers().filter(lambda v: v not in known)
            else:
                other = _text.filter(lambda v: v not in known)
            return st.sampled_from(known) | other
        if depth > MAX_DEPTH:
            return st.none()  # deep enough: null is a valid value of any type
        if isinstance(d, Model):
            return self.model(d.class_name, depth)
        assert isinstance(d, Union)
        if not d.variants:
            return _json_any
        return st.one_of([self.of(v, depth) for v in d.variants])

    def model(self, class_name: str, depth: int = 0) -> st.SearchStrategy[Any]:
        key = (class_name, depth)
        if key not in self._models:
            d = self.defs[class_name]
            assert isinstance(d, Model)
            assert not any(f.wire_key.startswith(EXTRA_PREFIX) for f in d.fields)
            required = {
                f.wire_key: self.nullable(f.type, depth) for f in d.fields if f.required
            }
            optional = {
                f.wire_key: self.nullable(f.type, depth)
                for f in d.fields
                if not f.required
            }
            extra = st.dictionaries(
                _text.map(lambda s: EXTRA_PREFIX + s), _json_any, max_size=2
            )
            self._models[key] = st.tuples(
                st.fixed_dictionaries(required, optional=optional), extra
            ).map(lambda pair: {**pair[0], **pair[1]})
        return self._models[key]


def _flatten(defs: dict[str, Definition], types: tuple[TypeRef, ...]) -> list[TypeRef]:
    out: list[TypeRef] = []
    for t in types:
        if isinstance(t, UnionOf):
            out += _flatten(defs, t.variants)
        elif isinstance(t, Ref) and isinstance(defs[t.target or ""], Union):
            u = defs[t.target or ""]
            assert isinstance(u, Union)
            out += _flatten(defs, u.variants) if u.variants else [AnyType()]
        else:
            out.append(t)
    return out


def check_decoded(gen: Generated, value: Any, t: TypeRef, raw: Any) -> None:
    """``value`` (decoded from ``raw``) has the Python type the IR promises."""
    if raw is None:
        assert value is None
    elif isinstance(t, Primitive | AnyType):
        assert value is raw
    elif isinstance(t, ListOf):
        assert type(value) is list and len(value) == len(raw)
        for item, raw_item in zip(value, raw, strict=True):
            check_decoded(gen, item, t.item, raw_item)
    elif isinstance(t, MapOf):
        assert type(value) is dict and list(value) == list(raw)
        for key, item in value.items():
            check_decoded(gen, item, t.value, raw[key])
    elif _flatten(gen.defs, (t,)) != [t]:
        check_union(gen, value, _flatten(gen.defs, (t,)), raw)
    else:
        assert isinstance(t, Ref)
        check_definition(gen, value, gen.defs[t.target or ""], raw)


def check_union(gen: Generated, value: Any, variants: list[TypeRef], raw: Any) -> None:
    """``value`` is an instance of one of the variants' classes, or kept as is."""
    for v in variants:
        target = gen.defs.get(v.target or "") if isinstance(v, Ref) else None
        if target is not None and isinstance(value, gen.cls(target.class_name)):
            check_definition(gen, value, target, raw)
            return
    assert not isinstance(value, gen.rt.Model | enum.Enum), (value, variants)
    assert value is raw


def check_definition(gen: Generated, value: Any, d: Definition, raw: Any) -> None:
    """``value`` is the model or enum member ``d`` describes, decoded from ``raw``."""
    cls = gen.cls(d.class_name)
    assert isinstance(value, cls), (value, cls)
    if isinstance(d, Enum):
        assert value.value == raw
        assert type(value.value) is type(raw)
        known = raw in [m.value for m in d.members]
        assert gen.rt.is_known(value) is known
        if known:
            assert value in list(cls)
    else:
        assert isinstance(d, Model)
        check_model(gen, value, d, raw)


def check_model(gen: Generated, obj: Any, d: Model, raw: dict[str, Any]) -> None:
    for f in d.fields:
        attribute = getattr(obj, f.python_name)
        if f.wire_key in raw:
            check_decoded(gen, attribute, f.type, raw[f.wire_key])
        else:
            assert not f.required
            assert attribute is gen.rt.UNSET, f.python_name
    known = {f.wire_key for f in d.fields}
    assert obj._extra == {k: v for k, v in raw.items() if k not in known}


@pytest.fixture(scope="session")
def strategies(gen: Generated) -> PayloadStrategies:
    return PayloadStrategies(gen.api)


@pytest.mark.parametrize("name", MODEL_NAMES)
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_any_valid_payload_round_trips(
    gen: Generated, strategies: PayloadStrategies, name: str, data: st.DataObject
) -> None:
    payload = data.draw(strategies.model(name), label=name)
    obj = assert_round_trip(gen.cls(name), payload)
    d = gen.defs[name]
    assert isinstance(d, Model)
    check_model(gen, obj, d, payload)


def test_strategies_cover_every_definition(
    gen: Generated, strategies: PayloadStrategies
) -> None:
    """Every model is reachable, and the strategy builds for every depth."""
    for name in MODEL_NAMES:
        for depth in range(MAX_DEPTH + 2):
            assert strategies.model(name, depth) is not None


# --- 3. models built in Python -----------------------------------------------------


def _python_owner(gen: Generated) -> Any:
    p = gen.pkg
    dog = p.Dog(breed="lab", is_trained=False, rabies_tag_ids=["a", "b"])
    cat = p.Cat(indoor=True, lives_left=9, _extra={"x-mood": "grumpy"})
    invoice = p.Invoice(
        id="inv",
        visit_id="vis",
        lines=[
            p.InvoiceLine(
                description="exam",
                quantity=1,
                unit_price=30.0,
                package=p.Package(name="pk", included_visits=2, price_cents=100),
            )
        ],
        total=30.0,
        currency="EUR",
        payment=p.Payment2(iban="DE00", account_holder="X", bic=None),
    )
    visit = p.Visit(
        id="v1",
        pet_id="p1",
        scheduled_at="2024-01-01T00:00:00Z",
        status=p.VisitStatus.SCHEDULED,
        priority=p.TriagePriority.VALUE_3,
        patient=cat,
        follow_ups=[
            p.Visit(
                id="v2",
                pet_id="p1",
                scheduled_at="2024-01-08T00:00:00Z",
                status=p.VisitStatus("postponed"),
                priority=p.TriagePriority(7),
                patient=dog,
            )
        ],
        vitals={"temp": "38", "note": None},
        heart_rate_series=[[0, 70.5], [60, 72]],
        invoice=invoice,
    )
    category = p.Category(
        id=2, name="child", parent=p.Category(id=1, name="root"), children=[]
    )
    pet = p.Pet(
        id="p1",
        name="Rex",
        type="dog",
        animal=dog,
        visits=[visit],
        category=category,
        weight_kg=None,
        extra={"anything": [1, None]},
    )
    return p.Owner(
        id="o1",
        first_name="Ada",
        last_name="L",
        address=p.OwnerAddress(street="s", city="c", coordinates=[1.0, 2.0]),
        contact=p.Contact1(
            name="Ada",
            address=p.Contact1Address(line1="l1", zip_code="z", city="c"),
        ),
        pets=[pet],
        tags=[],
        active=True,
        metadata=None,
        _extra={"x-source": "crm"},
    )


def test_python_built_owner_round_trips(gen: Generated) -> None:
    owner = _python_owner(gen)
    d = owner.to_dict()
    assert_plain_json(d)
    again = gen.pkg.Owner.from_dict(d)
    assert again == owner
    assert again.to_dict() == d
    assert "email" not in d and d["metadata"] is None
    assert d["x-source"] == "crm"
    visit = d["pets"][0]["visits"][0]
    assert visit["status"] == "scheduled" and visit["priority"] == 3
    assert visit["followUps"][0]["status"] == "postponed"
    assert visit["followUps"][0]["priority"] == 7
    assert visit["patient"] == {"indoor": True, "livesLeft": 9, "x-mood": "grumpy"}


def test_python_built_union_members_decode_to_same_variant(gen: Generated) -> None:
    p = gen.pkg
    owner = p.Owner.from_dict(_python_owner(gen).to_dict())
    visit = owner.pets[0].visits[0]
    assert type(visit.patient) is p.Cat
    assert type(visit.follow_ups[0].patient) is p.Dog
    assert type(visit.invoice.payment) is p.Payment2
    assert type(owner.contact) is p.Contact1
    assert type(owner.pets[0].animal) is p.Dog
    assert visit.follow_ups[0].status.value == "postponed"
    assert not gen.rt.is_known(visit.follow_ups[0].status)


@pytest.mark.parametrize(
    "build",
    [
        lambda p: p.Dog(breed="b", is_trained=True),
        lambda p: p.Dog(breed=None, is_trained=None, bark_level=None),
        lambda p: p.Cat(indoor=False, coat_pattern="", _extra={"k": [{}]}),
        lambda p: p.Payment1(card_number="c", expiry="e", holder_name="h"),
        lambda p: p.Contact2(phone="1", extra={}, sms_allowed=True),
        lambda p: p.Pet(id="1", name="n", type="cat", animal=p.Cat(indoor=True)),
        lambda p: p.Pet(id="1", name="n", type="t", animal=None),
        lambda p: p.Visit(
            id="v", pet_id="p", scheduled_at="s", status=p.VisitStatus("weird")
        ),
        lambda p: p.Invoice(id="i", visit_id="v", lines=[None], total=1, currency="c"),
    ],
)
def test_python_built_models_round_trip(gen: Generated, build: Any) -> None:
    obj = build(gen.pkg)
    d = obj.to_dict()
    assert_plain_json(d)
    again = type(obj).from_dict(d)
    assert again == obj
    assert again.to_dict() == d
