"""The template examples in examples/templates/, each generated from specs/.

* pydantic/, attrs/ and to_json/: the package is written with ``write_files``,
  imported under its own name, and JSON payloads round-trip through
  ``from_dict``/``to_dict`` (nested models, lists, maps, enums with unknown
  values, every union, unknown keys, nulls).  ``mypy --strict`` passes on the
  package and on a usage file whose ``type: ignore`` comments show that the
  types are real: with ``warn_unused_ignores`` an ignore that is not needed
  is an error too.
* docs/: a page per model and an index, with Mermaid class diagrams; hostile
  spec text is escaped.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.cli.commands import main
from generator.core import generate
from generator.ir import Union
from generator.render.templates import ExtraOutput
from generator.write.package import write_files

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
EXAMPLES = ROOT / "examples" / "templates"
CLIENT_API = ROOT / "tests" / "fixtures" / "client_api"
CODE_EXAMPLES = ("pydantic", "attrs", "to_json")
NEEDS = {"pydantic": "pydantic", "attrs": "attrs"}
DOCS_OUTPUTS = (
    ExtraOutput("model.md.jinja", "model", "docs/{module}.md"),
    ExtraOutput("index.md.jinja", "package", "docs/index.md"),
)


# --- payloads -------------------------------------------------------------------
# Valid for every example: numbers in float fields are floats, and lists hold no
# nulls (pydantic validates list items, the built-in models keep them).

DOG = {"breed": "beagle", "isTrained": True, "barkLevel": 7.5, "rabiesTagIds": ["r1"]}
CAT = {"indoor": False, "livesLeft": 8.5, "coatPattern": "tabby", "x-whiskers": 24}
CATEGORY = {
    "id": 3.0,
    "name": "dental",
    "parent": {"id": 1.0, "name": "surgery", "parent": None},
    "children": [{"id": 4.0, "name": "extraction", "children": []}],
    "path": "surgery/dental",
}
INVOICE_CARD = {
    "id": "inv_1",
    "visitId": "vis_1",
    "lines": [
        {"description": "exam", "quantity": 1.0, "unitPrice": 45.5},
        {
            "description": "vaccine",
            "quantity": 2.0,
            "unitPrice": 10.25,
            "code": "VAC|0042",
            "package": {
                "name": "puppy",
                "includedVisits": 3.0,
                "priceCents": 9900.0,
                "treatments": ["vac"],
            },
        },
    ],
    "bundles": [{"name": "senior", "includedVisits": 2.0, "priceCents": 5000.0}],
    "total": 65.5,
    "currency": "EUR",
    "paid": True,
    "payment": {"cardNumber": "**** 4242", "expiry": "12/29", "holderName": None},
}
INVOICE_BANK = {
    "id": "inv_2",
    "visitId": "vis_2",
    "lines": [],
    "total": 0.0,
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
        }
    ],
    "vitals": {"temperature": "38.5", "pulse": "80"},
    "heartRateSeries": [[0.0, 60.5], [1.0, 61.0]],
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
    "tags": ["vip"],
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
        "max_call_minutes": 15.5,
        "extra": {"provider": "acme", "fallback": None},
    },
    "pets": [],
    "active": False,
    "metadata": "just a string",
}
PAYLOADS: dict[str, tuple[str, dict[str, Any]]] = {
    "owner-postal": ("Owner", OWNER_POSTAL),
    "owner-phone": ("Owner", OWNER_PHONE),
    "visit-nested": ("Visit", VISIT),
    "invoice-bank": ("Invoice", INVOICE_BANK),
    "category-tree": ("Category", CATEGORY),
    "cat-unknown-key": ("Cat", CAT),
}


# --- generating and importing ---------------------------------------------------


def _forget(name: str) -> None:
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]


@dataclass
class Built:
    """A generated package written under ``root`` (importable once on sys.path)."""

    root: Path
    name: str
    files: dict[str, str]
    _module: Any = None

    @property
    def pkg(self) -> Any:
        if self._module is None:
            _forget(self.name)
            importlib.invalidate_caches()
            self._module = importlib.import_module(self.name)
        return self._module


@dataclass
class Examples:
    """Every example package, generated on first use into one folder."""

    root: Path
    built: dict[str, Built] = field(default_factory=dict)

    def get(
        self,
        example: str,
        specs: Path = SPECS,
        name: str = "",
        outputs: tuple[ExtraOutput, ...] = (),
    ) -> Built:
        name = name or f"example_{example}"
        if name not in self.built:
            result = generate(
                [specs],
                template_dirs=[EXAMPLES / example],
                package=name,
                outputs=outputs,
            )
            assert not result.diagnostics.has_errors, result.diagnostics.items
            write_files(self.root / name, result.files)
            self.built[name] = Built(self.root, name, result.files)
        return self.built[name]


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Examples]:
    found = Examples(tmp_path_factory.mktemp("template_examples"))
    sys.path.insert(0, str(found.root))
    try:
        yield found
    finally:
        sys.path.remove(str(found.root))
        for name in found.built:
            _forget(name)


def _example(examples: Examples, example: str) -> Built:
    if example in NEEDS:
        pytest.importorskip(NEEDS[example])
    return examples.get(example)


@pytest.fixture(params=CODE_EXAMPLES)
def built(request: pytest.FixtureRequest, examples: Examples) -> Built:
    return _example(examples, request.param)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


# --- every code example ---------------------------------------------------------


@pytest.mark.parametrize("case", sorted(PAYLOADS))
def test_payload_round_trips(built: Built, case: str) -> None:
    class_name, payload = PAYLOADS[case]
    snapshot = _json(payload)
    obj = getattr(built.pkg, class_name).from_dict(payload)
    assert _json(payload) == snapshot, "from_dict changed its input"
    out = obj.to_dict()
    assert out == payload
    assert _json(out) == snapshot  # True == 1 == 1.0 for ==, not in JSON


def test_decoded_types(built: Built) -> None:
    p = built.pkg
    owner = p.Owner.from_dict(OWNER_POSTAL)
    assert owner.first_name == "Ada" and owner.email is None
    assert isinstance(owner.address, p.OwnerAddress)
    assert isinstance(owner.contact, p.Contact1)
    assert isinstance(owner.contact.address, p.Contact1Address)
    (pet,) = owner.pets
    assert isinstance(pet, p.Pet) and isinstance(pet.animal, p.Dog)
    assert isinstance(pet.category.parent, p.Category)
    (visit,) = pet.visits
    assert visit.status is p.VisitStatus.IN_PROGRESS
    assert visit.priority is p.TriagePriority.VALUE_2
    assert isinstance(visit.patient, p.Dog)
    (follow,) = visit.follow_ups
    assert isinstance(follow.patient, p.Cat)
    assert isinstance(follow.status, p.VisitStatus)  # an unknown value decodes
    assert follow.status.value == "rescheduled-by-phone"
    assert isinstance(follow.priority, p.TriagePriority)
    assert follow.priority.value == 9
    assert isinstance(visit.invoice.payment, p.Payment1)
    assert isinstance(p.Invoice.from_dict(INVOICE_BANK).payment, p.Payment2)
    phone = p.Owner.from_dict(OWNER_PHONE)
    assert isinstance(phone.contact, p.Contact2)
    assert phone.first_name is None  # null in a required property


def test_union_decoders(built: Built) -> None:
    p = built.pkg
    assert isinstance(p.models.animal.decode(DOG), p.Dog)
    assert isinstance(p.models.animal.decode(CAT), p.Cat)
    assert p.models.metadata.decode({"any": [1]}) == {"any": [1]}
    with pytest.raises(p.DecodeError):
        p.models.payment.decode({"neither": "card nor bank"})


def test_wrong_shape_is_a_decode_error(built: Built) -> None:
    p = built.pkg
    with pytest.raises(p.DecodeError):
        p.Visit.from_dict({"petId": "p"})  # required keys missing
    with pytest.raises(p.DecodeError):
        p.Visit.from_dict(["not", "an", "object"])


USAGE = {
    "pydantic": """
        from typing import Any

        from example_pydantic import Cat, Dog, Owner, Pet, Visit
        from example_pydantic.models import animal

        owner = Owner(id="own_1", first_name="Ada", last_name="Lovelace", active=True)
        first: str | None = owner.first_name
        pets: list[Pet] | None = owner.pets
        data: dict[str, Any] = owner.to_dict()
        again: Owner = Owner.from_dict(data)
        patient: Dog | Cat = animal.decode({"indoor": True})
        visit = Visit.model_validate({"id": "v"})
        Owner(id=1, first_name="A", last_name="", active=True)  # type: ignore[arg-type]
        wrong: int = owner.last_name  # type: ignore[assignment]
    """,
    "attrs": """
        from typing import Any

        import attrs

        from example_attrs import Owner, Pet, Unset

        owner = Owner(id="own_1", first_name="Ada", last_name="Lovelace", active=True)
        email: str | None | Unset = owner.email
        pets: list[Pet] | None | Unset = owner.pets
        renamed: Owner = attrs.evolve(owner, last_name="Byron")
        data: dict[str, Any] = renamed.to_dict()
        again: Owner = Owner.from_dict(data)
        Owner(id=1, first_name="A", last_name="", active=True)  # type: ignore[arg-type]
        wrong: int = owner.last_name  # type: ignore[assignment]
    """,
    "to_json": """
        from example_to_json import Owner, Visit

        visit: Visit = Visit.from_json('{"id": "v"}')
        text: str = visit.to_json(indent=2, sort_keys=True)
        owner: Owner = Owner.from_json(b"{}")
        Visit.from_json(1)  # type: ignore[arg-type]
        wrong: int = visit.to_json()  # type: ignore[assignment]
    """,
}


@pytest.mark.parametrize("example", CODE_EXAMPLES)
def test_mypy_strict(examples: Examples, example: str) -> None:
    built = _example(examples, example)
    packages = [built.name]
    if example in ("pydantic", "attrs"):  # with services, too
        packages.append(_things(examples, example).name)
    usage = built.root / f"usage_{example}.py"
    usage.write_text(textwrap.dedent(USAGE[example]), encoding="utf-8")
    config = built.root / f"mypy_{example}.ini"
    text = "[mypy]\n"
    if example == "pydantic":  # typed constructors, as the README recommends
        text += "plugins = pydantic.mypy\n[pydantic-mypy]\n"
        text += "init_typed = True\ninit_forbid_extra = True\n"
    config.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict",
            "--config-file", str(config),
            "--cache-dir", str(built.root / f".mypy_cache_{example}"),
            *packages, usage.name,
        ],
        cwd=built.root, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


STRICT = '{"typeCheckingMode": "strict", "pythonVersion": "3.10"}'


@pytest.mark.parametrize(
    "checker",
    [
        ["basedpyright", "--pythonpath", sys.executable],  # pyright strict
        ["ruff", "check", "--isolated", "--target-version", "py310"],
    ],
    ids=["pyright-strict", "ruff-defaults"],
)
def test_pyright_strict_and_ruff(examples: Examples, checker: list[str]) -> None:
    """What every code example generates passes pyright's strict mode and
    ruff's default rules, as the built-in package does (one run for all)."""
    packages = [_example(examples, example).name for example in CODE_EXAMPLES]
    packages += [_things(examples, example).name for example in ("pydantic", "attrs")]
    (examples.root / "pyrightconfig.json").write_text(STRICT, "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", *checker, *packages],
        cwd=examples.root, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]


# --- pydantic -------------------------------------------------------------------


@pytest.fixture
def pyd(examples: Examples) -> Any:
    return _example(examples, "pydantic").pkg


def test_pydantic_models(pyd: Any) -> None:
    import pydantic

    for name in ("Owner", "Pet", "Visit", "Category", "Contact1", "Payment2"):
        assert issubclass(getattr(pyd, name), pydantic.BaseModel), name
    # the cycle Owner -> Pet -> Owner (and Visit -> Visit) resolves
    schema = pyd.Owner.model_json_schema(by_alias=True)
    assert schema["$ref"] == "#/$defs/Owner"
    assert {"Owner", "Pet", "Visit", "Dog", "Cat"} <= set(schema["$defs"])
    owner = schema["$defs"]["Owner"]
    assert {"firstName", "pets", "contact"} <= set(owner["properties"])
    assert owner["properties"]["email"]["description"].startswith("Contact e-mail")


def test_pydantic_names_and_wire_keys(pyd: Any) -> None:
    owner = pyd.Owner(id="own_1", first_name="Ada", last_name="L", active=True)
    assert owner.to_dict() == {
        "id": "own_1",
        "firstName": "Ada",
        "lastName": "L",
        "active": True,
    }
    owner.email = "ada@example.test"
    # exclude_unset: only what was given (or set) is sent
    assert pyd.Owner.from_dict({**owner.to_dict()}).to_dict() == owner.to_dict()
    # from_dict reads JSON keys only: an attribute name is an unknown key
    payload = {"id": "o", "first_name": "x", "lastName": "L", "active": True}
    with pytest.raises(pyd.DecodeError, match="firstName"):
        pyd.Owner.from_dict(payload)


def test_pydantic_unknown_keys_kept(pyd: Any) -> None:
    owner = pyd.Owner.from_dict(OWNER_POSTAL)
    assert owner.model_extra == {"x-unknown": {"nested": [None, 1.5]}}


NESTED_UNION = {
    "Holder.md": """\
# Holder

**Properties**

| Name  | Type  | Required | Description |
| :---- | :---- | :------- | :---------- |
| thing | Outer | ✅       |             |

# Outer

This is a union type which means it could be any of several possible types.

# Circle

See all details about Circle model [here](Circle.md).

# Inner

See all details about Inner model [here](Inner.md).
""",
    "Inner.md": """\
# Inner

This is a union type which means it could be any of several possible types.

# Square

See all details about Square model [here](Square.md).
""",
}
for _shape, _property in (("Circle", "radius"), ("Square", "side")):
    NESTED_UNION[f"{_shape}.md"] = (
        f"# {_shape}\n\n**Properties**\n\n| Name | Type | Required | Description |\n"
        f"| :--- | :--- | :--- | :--- |\n| {_property} | number | ✅ | |\n"
    )


def test_pydantic_union_of_unions(examples: Examples, tmp_path: Path) -> None:
    """A union whose variant is another union imports that union's module."""
    pytest.importorskip("pydantic")
    for name, text in NESTED_UNION.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    p = examples.get("pydantic", specs=tmp_path, name="nested_pydantic").pkg
    for payload, cls in (({"side": 2.5}, p.Square), ({"radius": 1.5}, p.Circle)):
        holder = p.Holder.from_dict({"thing": payload})
        assert isinstance(holder.thing, cls)
        assert holder.to_dict() == {"thing": payload}
        assert isinstance(p.models.outer.decode(payload), cls)


def _things(examples: Examples, example: str) -> Built:
    return examples.get(example, specs=CLIENT_API, name=f"things_{example}")


@pytest.mark.parametrize("example", ["pydantic", "attrs"])
def test_client_sends_model_bodies(examples: Examples, example: str) -> None:
    """Services of the example still encode models as bodies and decode replies."""
    httpx = pytest.importorskip("httpx")
    if example in NEEDS:
        pytest.importorskip(NEEDS[example])
    p = _things(examples, example).pkg
    seen: list[Any] = []
    thing = {"id": "t-1", "name": "Lamp", "status": "active", "tags": ["a"]}

    def handler(request: Any) -> Any:
        seen.append(json.loads(request.content))
        return httpx.Response(201, json=thing)

    with p.Client(
        base_url="https://api.example.test", transport=httpx.MockTransport(handler)
    ) as client:
        body = p.ThingCreate.from_dict({"name": "Lamp", "tags": ["a"]})
        created = client.things.create_thing(body=body)
    assert seen == [{"name": "Lamp", "tags": ["a"]}]
    assert isinstance(created, p.Thing) and created.to_dict() == thing
    assert created.status is p.ThingStatus.ACTIVE


# --- attrs ----------------------------------------------------------------------


def test_attrs_classes(examples: Examples) -> None:
    attrs = pytest.importorskip("attrs")
    p = _example(examples, "attrs").pkg
    for name in ("Owner", "Pet", "Visit", "Category", "Contact1", "Payment2"):
        cls = getattr(p, name)
        assert attrs.has(cls), name
        assert issubclass(cls, p._runtime.Model), name
    assert "first_name" in attrs.fields_dict(p.Owner)
    owner = p.Owner.from_dict(OWNER_POSTAL)
    assert not hasattr(owner, "__dict__")  # slotted
    renamed = attrs.evolve(owner, last_name="Byron")
    assert renamed.to_dict() == {**OWNER_POSTAL, "lastName": "Byron"}
    assert renamed != owner
    assert attrs.asdict(owner, recurse=False)["first_name"] == "Ada"
    fresh = p.Dog(breed="mixed", is_trained=False)
    assert fresh.to_dict() == {"breed": "mixed", "isTrained": False}
    assert "_extra" not in repr(fresh) and "_keys" not in repr(fresh)


# --- to_json --------------------------------------------------------------------


def test_to_json_methods(examples: Examples) -> None:
    p = _example(examples, "to_json").pkg
    visit = p.Visit.from_json(json.dumps(VISIT))
    assert visit.to_json(sort_keys=True) == _json(VISIT)
    assert p.Owner.from_json(json.dumps(OWNER_POSTAL).encode()).to_dict() == (
        OWNER_POSTAL
    )
    with pytest.raises(p.DecodeError):
        p.Dog.from_json("[]")


def test_to_json_only_adds_methods() -> None:
    """The block override leaves the rest of each built-in module as it was."""
    plain = generate([SPECS]).files
    files = generate([SPECS], template_dirs=[EXAMPLES / "to_json"]).files
    assert set(files) == set(plain)
    models = [path for path, text in plain.items() if "(_rt.Model):" in text]
    assert "models/owner.py" in models
    for path in models:
        assert files[path].startswith(plain[path].rstrip("\n")), path
        assert "def to_json" in files[path], path
    for path in set(plain) - set(models):
        assert files[path] == plain[path], path


# --- docs -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    root = tmp_path_factory.mktemp("docs_example")
    result = generate(
        [SPECS],
        template_dirs=[EXAMPLES / "docs"],
        package="example_docs",
        outputs=DOCS_OUTPUTS,
    )
    assert not result.diagnostics.has_errors, result.diagnostics.items
    write_files(root / "example_docs", result.files)
    return root / "example_docs", result


def _modules(api: Any) -> dict[str, str]:
    from generator.render.pytypes import symbol_table

    table = symbol_table(api).values()
    return {s.class_name: s.module for s in table if s.kind == "model"}


def _table_rows(page: str, header: str) -> list[str]:
    lines = page.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _cells(row: str) -> int:
    """The number of cells of a Markdown table row (``\\|`` does not split)."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


PROPERTIES = "| Property | JSON key | Type | Required | Description |"


def test_docs_page_per_model(docs: tuple[Path, Any]) -> None:
    out, result = docs
    modules = _modules(result.api)
    assert len(modules) == len(result.api.models) > 10
    for model in result.api.models:
        page = (out / "docs" / f"{modules[model.class_name]}.md").read_text("utf-8")
        assert page.startswith(f"# {model.class_name}\n"), model.class_name
        assert "```mermaid\nclassDiagram\n" in page
        assert f"    class {model.class_name} {{\n" in page
        rows = _table_rows(page, PROPERTIES)
        assert len(rows) == 2 + len(model.fields)
        assert {_cells(row) for row in rows} == {5}
        for f in model.fields:
            assert f"| `{f.python_name}` | {f.wire_key} |" in page


def test_docs_page_content(docs: tuple[Path, Any]) -> None:
    out, _ = docs
    owner = (out / "docs" / "owner.md").read_text("utf-8")
    assert "> A pet owner registered at the clinic." in owner
    assert "| `pets` | pets | list[[Pet](pet.md)] | no |" in owner
    assert "| `contact` | contact | [Contact](index.md#contact) | no |" in owner
    assert "    Owner --> Pet : pets\n" in owner  # what Owner refers to
    assert "    Pet --> Owner : owner\n" in owner  # what refers to Owner
    assert "<<union>>" in owner  # Contact
    dog = (out / "docs" / "dog.md").read_text("utf-8")
    assert "    Animal <|.. Dog\n" in dog
    assert "    Visit --> Dog : patient\n" in dog
    visit = (out / "docs" / "visit.md").read_text("utf-8")
    assert "| [Dog](dog.md) \\| [Cat](cat.md) |" in visit
    assert "list[list[float]]" in visit and "dict[str, str]" in visit
    assert "<<enumeration>>" in visit


def test_docs_index_lists_every_model(docs: tuple[Path, Any]) -> None:
    out, result = docs
    index = (out / "docs" / "index.md").read_text("utf-8")
    assert "```mermaid\nclassDiagram\n" in index
    modules = _modules(result.api)
    for d in result.api.definitions:
        if not (isinstance(d, Union) and not d.variants):  # opaque: no box
            assert f"    class {d.class_name} {{\n" in index, d.class_name
    for name, module in modules.items():
        assert f"| [{name}]({module}.md) |" in index, name
    for d in (*result.api.enums, *result.api.unions):
        assert f"\n### {d.class_name}\n" in index, d.class_name
    rows = _table_rows(index, "| Model | Properties | Description |")
    assert len(rows) == 2 + len(modules)
    assert {_cells(row) for row in rows} == {3}


def test_docs_leave_the_code_alone() -> None:
    """The docs set only adds pages: the package itself is the built-in one."""
    plain = generate([SPECS]).files
    files = generate(
        [SPECS], template_dirs=[EXAMPLES / "docs"], outputs=DOCS_OUTPUTS
    ).files
    assert {p for p in files if p not in plain} == {
        p for p in files if p.startswith("docs/")
    }
    assert all(files[p] == text for p, text in plain.items())


HOSTILE = """\
# Hostile

Evil <script>alert("pwned")</script> & co | pipes
second line

**Properties**

| Name       | Type      | Required | Description                                |
| :--------- | :-------- | :------- | :----------------------------------------- |
| id         | string    | ✅       | <img src=x onerror=alert(1)> \\| cell break |
| pet        | Hostile[] | ❌       | </td></tr><tr><td>escape                   |
| <b>key</b> | string    | ❌       |                                            |
| a\\|b       | string    | ❌       |                                            |
"""


def test_docs_escape_hostile_text(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "Hostile.md").write_text(HOSTILE, encoding="utf-8")
    result = generate(
        [tmp_path / "specs"],
        template_dirs=[EXAMPLES / "docs"],
        package="hostile_docs",
        outputs=DOCS_OUTPUTS,
    )
    assert not result.diagnostics.has_errors, result.diagnostics.items
    (model,) = result.api.models
    assert "<script>" in model.description  # the spec text itself is hostile
    assert [f.wire_key for f in model.fields] == ["id", "pet", "<b>key</b>", "a|b"]
    write_files(tmp_path / "hostile_docs", result.files)
    docs = tmp_path / "hostile_docs" / "docs"
    page = (docs / "hostile.md").read_text("utf-8")
    index = (docs / "index.md").read_text("utf-8")
    for text in (page, index):
        assert "<script" not in text and "<img" not in text and "</td>" not in text
        assert "<b>" not in text
        assert (
            'Evil &lt;script&gt;alert("pwned")&lt;/script&gt; &amp; co'  # quotes kept
            " \\| pipes<br/>second line"
        ) in text
    assert "&lt;img src=x onerror=alert(1)&gt; \\| cell break" in page
    assert "| `a_b` | a\\|b |" in page
    assert "&lt;b&gt;key&lt;/b&gt;" in page
    assert {_cells(row) for row in _table_rows(page, PROPERTIES)} == {5}
    assert "    Hostile --> Hostile : pet\n" in page


def test_generated_docs_and_distribution_hold_no_absolute_path(tmp_path: Path) -> None:
    """The docs example, the package and its distribution name the spec files
    relative to where they are written, never as this machine's paths."""
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    config = tmp_path / "project" / "pyproject.toml"
    config.parent.mkdir()
    config.write_text(
        textwrap.dedent(f"""
            [tool.docs2py]
            specs = [{json.dumps(specs.as_posix())}]
            out = "dist/src/clinic"
            distribution = "dist"
            templates = [{json.dumps((EXAMPLES / "docs").as_posix())}]

            [[tool.docs2py.extra-outputs]]
            template = "model.md.jinja"
            per = "model"
            path = "docs/{{module}}.md"

            [[tool.docs2py.extra-outputs]]
            template = "index.md.jinja"
            per = "package"
            path = "docs/index.md"
            """),
        "utf-8",
    )
    assert main(["generate", "--config", str(config), "--no-cache"]) == 0
    written = [p for p in (tmp_path / "project" / "dist").rglob("*") if p.is_file()]
    assert len(written) > 40
    for path in written:
        text = path.read_text("utf-8")
        for absolute in {str(tmp_path), tmp_path.as_posix(), str(ROOT)}:
            assert absolute not in text, path
    page = tmp_path / "project" / "dist" / "src" / "clinic" / "docs" / "category.md"
    spec = os.path.relpath(specs / "models" / "Category.md", page.parent)
    assert f"Defined in {Path(spec).as_posix()}, line 1." in page.read_text("utf-8")
    assert spec.startswith("../../../../../specs/")
