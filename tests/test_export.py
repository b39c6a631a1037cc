"""JSON Schema 2020-12 and OpenAPI 3.1 export (generator/export.py).

Checked on specs/ (models only), the client fixture (models and services), the
seed document and synthetic doc sets (bench/synth.py): the documents are valid
(jsonschema's metaschema check, openapi-spec-validator when installed), every
definition is there with wire keys and required lists, payloads that the
generated models round-trip validate, and the output is deterministic.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, need_shared
from jsonschema import Draft202012Validator

from generator.core import generate, load
from generator.diagnostics import Diagnostics
from generator.ir import (
    AnyType,
    Api,
    Enum,
    EnumMember,
    Field,
    ListOf,
    Location,
    MapOf,
    Method,
    Model,
    Parameter,
    Primitive,
    Ref,
    SentIn,
    Service,
    UnionOf,
)
from generator.render.export import (
    COMPONENTS_PREFIX,
    DEFS_PREFIX,
    JSON_SCHEMA_DIALECT,
    json_schema,
    openapi,
    type_schema,
)
from generator.settings import Settings
from generator.write.package import write_files

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
CLIENT_API = ROOT / "tests" / "fixtures" / "client_api"
MODELS_ONLY = ROOT / "tests" / "cases" / "enums" / "specs"
SYNTH = ROOT / "bench" / "synth.py"
HERE = Location("test.md", 1)


def _load(*specs: Path) -> Api:
    diags = Diagnostics()
    api = load(list(specs), Settings(), diags)
    assert not diags.has_errors, [d.format() for d in diags.items]
    return api


@pytest.fixture(scope="module")
def pet_api() -> Api:
    return _load(SPECS)


@pytest.fixture(scope="module")
def client_api() -> Api:
    return _load(CLIENT_API)


def validator(document: dict[str, Any], class_name: str) -> Draft202012Validator:
    """A validator for one definition of a JSON Schema document."""
    return Draft202012Validator({**document, "$ref": DEFS_PREFIX + class_name})


def refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` value in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def check_definitions(api: Api, defs: dict[str, Any]) -> None:
    """One entry per definition; models' properties and required lists match."""
    assert list(defs) == sorted(d.class_name for d in api.definitions)
    for model in api.models:
        schema = defs[model.class_name]
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is True
        assert list(schema["properties"]) == [f.wire_key for f in model.fields]
        required = [f.wire_key for f in model.fields if f.required]
        assert schema.get("required", []) == required
    for enum in api.enums:
        values = [m.value for m in enum.members]
        assert defs[enum.class_name]["enum"] == values
        assert defs[enum.class_name]["type"] in ("string", "integer")


# --- JSON Schema: structure --------------------------------------------------------


@pytest.mark.parametrize("spec", [SPECS, CLIENT_API], ids=["specs", "client_api"])
def test_schema_is_valid_and_complete(spec: Path) -> None:
    api = _load(spec)
    document = json_schema(api)
    Draft202012Validator.check_schema(document)
    assert list(document) == ["$schema", "$defs"]
    assert document["$schema"] == JSON_SCHEMA_DIALECT
    check_definitions(api, document["$defs"])
    for ref in refs(document):
        assert ref.startswith(DEFS_PREFIX)
        assert ref.removeprefix(DEFS_PREFIX) in document["$defs"], ref


def test_wire_keys_and_required(pet_api: Api) -> None:
    defs = json_schema(pet_api)["$defs"]
    pet = defs["Pet"]
    assert pet["description"] == "An animal treated at the clinic."
    assert list(pet["properties"])[:4] == ["id", "name", "type", "animal"]
    assert pet["required"] == ["id", "name", "type", "animal"]
    assert pet["properties"]["id"] == {
        "description": "Unique pet ID.",
        "type": "string",
    }
    assert pet["properties"]["name"] == {"type": "string"}
    assert pet["properties"]["visits"]["items"] == {"$ref": "#/$defs/Visit"}
    assert pet["properties"]["extra"] == {"description": "Any additional JSON value."}
    line = defs["InvoiceLine"]["properties"]
    assert line["package"]["$ref"] == "#/$defs/Package"
    assert "package_" not in line
    assert defs["Contact1Address"]["required"] == ["line1", "zip_code", "city"]
    assert "required" not in defs["Contact1Address"]["properties"]["line2"]


def test_types_enums_and_unions(pet_api: Api) -> None:
    defs = json_schema(pet_api)["$defs"]
    visit = defs["Visit"]["properties"]
    assert visit["status"] == {"$ref": "#/$defs/VisitStatus"}
    assert visit["patient"]["anyOf"] == [
        {"$ref": "#/$defs/Dog"},
        {"$ref": "#/$defs/Cat"},
    ]
    assert visit["vitals"]["type"] == "object"
    assert visit["vitals"]["additionalProperties"] == {"type": "string"}
    assert visit["heartRateSeries"]["items"] == {
        "type": "array",
        "items": {"type": "number"},
    }
    assert defs["VisitStatus"] == {
        "type": "string",
        "enum": ["scheduled", "in-progress", "completed", "no-show"],
    }
    assert defs["TriagePriority"]["type"] == "integer"
    assert defs["TriagePriority"]["enum"] == [1, 2, 3]
    assert defs["Animal"] == {
        "anyOf": [{"$ref": "#/$defs/Dog"}, {"$ref": "#/$defs/Cat"}]
    }
    assert defs["Payment"]["anyOf"] == [
        {"$ref": "#/$defs/Payment1"},
        {"$ref": "#/$defs/Payment2"},
    ]
    assert defs["Metadata"] == {}  # opaque: any JSON
    assert defs["Contact2"]["properties"]["call_window_start"] == {
        "description": "Earliest hour (0-23) to call.",
        "type": "integer",
    }


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (Primitive("str"), {"type": "string"}),
        (Primitive("int"), {"type": "integer"}),
        (Primitive("float"), {"type": "number"}),
        (Primitive("bool"), {"type": "boolean"}),
        (Primitive("bytes"), {"type": "string", "contentEncoding": "base64"}),
        (AnyType(), {}),
        (ListOf(Primitive("int")), {"type": "array", "items": {"type": "integer"}}),
        (MapOf(AnyType()), {"type": "object", "additionalProperties": {}}),
        (Ref("X", ("X",), "X2"), {"$ref": "#/$defs/X2"}),
        (Ref("Missing"), {}),
        (
            UnionOf((Primitive("str"), ListOf(Ref("A", target="A")))),
            {
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/$defs/A"}},
                ]
            },
        ),
    ],
)
def test_type_schema(t: Any, expected: dict[str, Any]) -> None:
    assert type_schema(t) == expected


def test_bytes_field_validates_base64_text() -> None:
    field = Field("blob", "blob", "blob", Primitive("bytes"), True, "", HERE)
    api = Api((Model("File", "File", "A file.", (field,), HERE),))
    document = json_schema(api)
    assert document["$defs"]["File"]["properties"]["blob"] == {
        "type": "string",
        "contentEncoding": "base64",
    }
    check = validator(document, "File")
    assert check.is_valid({"blob": "aGVsbG8="})
    assert not check.is_valid({"blob": 1})


def test_enum_values_are_not_repeated() -> None:
    members = tuple(EnumMember(n, n, v, HERE) for n, v in [("A", "a"), ("A2", "a")])
    api = Api((Enum("E", "E", "", "str", members, HERE),))
    assert json_schema(api)["$defs"]["E"] == {"type": "string", "enum": ["a"]}


# --- JSON Schema: real payloads ------------------------------------------------------

DOG = {"breed": "beagle", "isTrained": True, "barkLevel": 7, "rabiesTagIds": ["r1"]}
CAT = {"indoor": False, "livesLeft": 8.5, "coatPattern": "tabby"}
INVOICE = {
    "id": "inv_1",
    "visitId": "vis_1",
    "lines": [
        {"description": "exam", "quantity": 1, "unitPrice": 45.5},
        {
            "description": "vaccine",
            "quantity": 2,
            "unitPrice": 10,
            "code": "VAC|0042",
            "package": {"name": "puppy", "includedVisits": 3, "priceCents": 9900},
        },
    ],
    "total": 65.5,
    "currency": "EUR",
    "payment": {"iban": "GB00", "accountHolder": "A. Owner", "x-ref": {"b": [1]}},
}
VISIT = {
    "id": "vis_1",
    "petId": "pet_1",
    "scheduledAt": "2024-05-01T09:30:00Z",
    "status": "in-progress",
    "priority": 2,
    "patient": CAT,
    "followUps": [
        {"id": "v2", "petId": "p", "scheduledAt": "t", "status": "scheduled"}
    ],
    "vitals": {"temperature": "38.5"},
    "heartRateSeries": [[0, 60.5], [1, 61]],
    "invoice": INVOICE,
}
OWNER = {
    "id": "own_42",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "address": {"street": "1 Main St", "city": "London", "coordinates": [51.5, -0.1]},
    "contact": {"phone": "+441234567890", "extra": {"provider": "acme"}},
    "pets": [
        {
            "id": "pet_1",
            "name": "Rex",
            "type": "dog",
            "animal": DOG,
            "visits": [VISIT],
            "category": {"id": 3, "name": "dental", "parent": {"id": 1, "name": "x"}},
            "extra": [1, "two", {"three": None}],
        }
    ],
    "active": True,
    "metadata": {"crm": {"id": 7}},
    "x-unknown": {"nested": [1.5]},
}
PAYLOADS: dict[str, tuple[str, dict[str, Any]]] = {
    "dog": ("Dog", DOG),
    "cat-minimal": ("Cat", {"indoor": True}),
    "invoice": ("Invoice", INVOICE),
    "visit": ("Visit", VISIT),
    "owner": ("Owner", OWNER),
}
INVALID: dict[str, tuple[str, Any]] = {
    "missing-required": ("Dog", {"breed": "x"}),
    "wrong-type": ("Dog", {"breed": "x", "isTrained": "yes"}),
    "unknown-enum-value": ("Visit", {**VISIT, "status": "archived"}),
    "int-enum-as-string": ("Visit", {**VISIT, "priority": "2"}),
    "list-not-array": ("Invoice", {**INVOICE, "lines": {"0": {}}}),
    "union-matches-no-variant": ("Invoice", {**INVOICE, "payment": {"iban": "x"}}),
    "map-value-type": ("Visit", {**VISIT, "vitals": {"pulse": 60}}),
    "not-an-object": ("Cat", ["indoor"]),
}


@pytest.fixture(scope="module")
def pet_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = generate([SPECS], package="petclinic_export")
    assert not result.diagnostics.has_errors
    root = tmp_path_factory.mktemp("export")
    write_files(root / "petclinic_export", result.files)
    return root


@pytest.fixture
def pkg(pet_package: Path, import_package: Callable[[Path, str], Any]) -> Any:
    return import_package(pet_package, "petclinic_export")


@pytest.mark.parametrize("case", sorted(PAYLOADS))
def test_payload_validates_and_round_trips(pet_api: Api, pkg: Any, case: str) -> None:
    name, payload = PAYLOADS[case]
    errors = list(validator(json_schema(pet_api), name).iter_errors(payload))
    assert not errors, [e.message for e in errors]
    assert getattr(pkg, name).from_dict(payload).to_dict() == payload


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_payload_is_rejected(pet_api: Api, case: str) -> None:
    name, payload = INVALID[case]
    assert not validator(json_schema(pet_api), name).is_valid(payload)


def test_any_of_accepts_a_payload_that_fits_every_variant(pet_api: Api) -> None:
    """Models are open objects, so a value with both shapes matches both
    variants; ``anyOf`` accepts it (the generated decoder picks one by shape)."""
    check = validator(json_schema(pet_api), "Visit")
    assert check.is_valid({**VISIT, "patient": DOG})
    assert check.is_valid({**VISIT, "patient": {**CAT, **DOG}})
    assert not check.is_valid({**VISIT, "patient": 3})


# --- the seed document ---------------------------------------------------------------

SEED_PAYLOAD: dict[str, Any] = {
    "id": "task-1",
    "meta": {"url": "/apis/1", "model": "collection", "action": "update"},
    "status": "pending",
    "createdAt": "2024-01-01T00:00:00Z",
}


def test_seed_details_is_any_of_details1_details2() -> None:
    api = _load(need_shared(SEED))
    document = json_schema(api)
    Draft202012Validator.check_schema(document)
    check_definitions(api, document["$defs"])
    defs = document["$defs"]
    assert defs["Details"] == {
        "anyOf": [{"$ref": "#/$defs/Details1"}, {"$ref": "#/$defs/Details2"}]
    }
    assert defs["GetStatusOfAnAsyncTaskStatus"]["enum"] == [
        "pending",
        "failed",
        "completed",
    ]
    assert defs["MetaModel"]["enum"] == ["collection", "api-version"]
    check = validator(document, "GetStatusOfAnAsyncTask")
    assert check.is_valid(SEED_PAYLOAD)
    assert not check.is_valid({**SEED_PAYLOAD, "status": 1})


def test_seed_all_optional_variants_overlap() -> None:
    """Details1 and Details2 have only optional fields: any object fits both, and
    ``anyOf`` accepts it (the generated decoder picks by keys)."""
    document = json_schema(_load(need_shared(SEED)))
    resources = {"resources": [{"id": "r1", "url": "https://x/r1"}]}
    error = {"error": {"message": "boom"}}
    for details in (resources, error, {}):
        assert validator(document, "Details1").is_valid(details)
        assert validator(document, "Details2").is_valid(details)
        assert validator(document, "Details").is_valid(details)


# --- determinism -----------------------------------------------------------------


@pytest.mark.parametrize("spec", [SPECS, CLIENT_API], ids=["specs", "client_api"])
def test_output_is_deterministic(spec: Path) -> None:
    first, second = _load(spec), _load(spec)
    assert json.dumps(json_schema(first)) == json.dumps(json_schema(second))
    assert json.dumps(json_schema(first)) == json.dumps(json_schema(first))
    one = json.dumps(openapi(first, "T", "1"))
    assert one == json.dumps(openapi(second, "T", "1"))


# --- OpenAPI ---------------------------------------------------------------------


def validate_openapi(document: dict[str, Any]) -> None:
    """openapi-spec-validator's check (the test is skipped if it is not installed)."""
    spec_validator = pytest.importorskip("openapi_spec_validator")
    spec_validator.validate(document)


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Operations by operationId, each with its ``path`` and ``verb`` added."""
    out = {}
    for path, item in document["paths"].items():
        for verb, op in item.items():
            out[op["operationId"]] = {**op, "path": path, "verb": verb}
    return out


def test_openapi_document(client_api: Api) -> None:
    document = openapi(client_api, "Things API", "1.0.0")
    assert document["openapi"] == "3.1.0"
    assert document["info"] == {"title": "Things API", "version": "1.0.0"}
    assert document["servers"] == [
        {"url": "https://api.example.test/v1", "description": "production"}
    ]
    assert document["tags"] == [{"name": "OrgsService"}, {"name": "ThingsService"}]
    assert list(document["paths"]) == sorted(document["paths"])
    ops = operations(document)
    assert sorted(ops) == sorted(
        f"{s.python_name}.{m.python_name}"
        for s in client_api.services
        for m in s.methods
    )
    assert ops["orgs.ping"]["tags"] == ["OrgsService"]
    assert ops["things.create_thing"]["verb"] == "post"
    assert ops["things.delete_thing"]["verb"] == "delete"


def test_openapi_components_are_the_json_schema_defs(client_api: Api) -> None:
    document = openapi(client_api, "Things API", "1.0.0")
    defs = json.dumps(json_schema(client_api)["$defs"])
    schemas = json.dumps(document["components"]["schemas"])
    assert schemas == defs.replace(DEFS_PREFIX, COMPONENTS_PREFIX)
    assert all(ref.startswith(COMPONENTS_PREFIX) for ref in refs(document))
    Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})


def test_openapi_parameters(client_api: Api) -> None:
    ops = operations(openapi(client_api, "Things API", "1.0.0"))
    member = ops["orgs.get_member"]
    assert member["path"] == "/orgs/{org_id}/members/{memberId}"
    assert [(p["name"], p["in"], p["required"]) for p in member["parameters"]] == [
        ("org_id", "path", True),
        ("memberId", "path", True),
    ]
    listing = {p["name"]: p for p in ops["things.list_things"]["parameters"]}
    assert listing["Accept"]["in"] == "header"
    assert listing["Accept"]["schema"] == {"$ref": "#/components/schemas/Accept"}
    assert listing["limit"] == {
        "name": "limit",
        "in": "query",
        "description": "The maximum number of things to return.",
        "required": True,
        "schema": {"type": "number"},
    }
    assert listing["tags"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert listing["status"]["required"] is False
    create = {p["name"]: p["in"] for p in ops["things.create_thing"]["parameters"]}
    assert create == {"Idempotency-Key": "header", "requestTag": "header"}


def test_openapi_bodies_and_responses(client_api: Api) -> None:
    ops = operations(openapi(client_api, "Things API", "1.0.0"))
    create = ops["things.create_thing"]
    assert create["requestBody"] == {
        "description": "The request body.",
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ThingCreate"}}
        },
    }
    assert create["responses"]["200"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
    }
    assert list(ops["things.delete_thing"]["responses"]) == ["204"]
    assert "content" not in ops["things.delete_thing"]["responses"]["204"]
    download = ops["things.download_thing"]["responses"]["200"]
    assert download["content"] == {"application/octet-stream": {}}
    label = ops["things.get_thing_label"]["responses"]["200"]["content"]
    assert label == {"application/json": {"schema": {"type": "string"}}}
    assert "requestBody" not in ops["things.get_thing"]


def test_openapi_validates(client_api: Api, pet_api: Api) -> None:
    validate_openapi(openapi(client_api, "Things API", "1.0.0"))
    validate_openapi(openapi(pet_api, "Pet clinic", "0.1"))
    models_only = openapi(_load(MODELS_ONLY), "Orders", "0.1")
    assert models_only["paths"] == {}
    assert "servers" not in models_only and "tags" not in models_only
    assert "security" not in models_only
    assert "securitySchemes" not in models_only["components"]
    validate_openapi(models_only)


def _readme_api(tmp_path: Path, readme: str) -> Api:
    """The client fixture's docs with another README."""
    specs = tmp_path / "specs"
    shutil.copytree(CLIENT_API / "documentation", specs / "documentation")
    (specs / "README.md").write_text(readme, "utf-8")
    return _load(specs)


AUTH_README = """# Shop

## Environments

```py
production = "https://api.shop.test/v2"
sandbox = "https://sandbox.shop.test/v2"
```

## Authentication

### Access Token Authentication

### API Key Authentication

Send the key in the `X-Shop-Key` request header.

### Basic Authentication

### OAuth Authentication
"""


def test_openapi_servers_and_security_schemes(tmp_path: Path) -> None:
    api = _readme_api(tmp_path, AUTH_README)
    document = openapi(api, "Shop", "2.0")
    assert document["servers"] == [
        {"url": "https://api.shop.test/v2", "description": "production"},
        {"url": "https://sandbox.shop.test/v2", "description": "sandbox"},
    ]
    schemes = document["components"]["securitySchemes"]
    assert schemes == {
        "bearerAuth": {"type": "http", "scheme": "bearer"},
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-Shop-Key"},
        "basicAuth": {"type": "http", "scheme": "basic"},
        "oauth2": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "", "scopes": {}}},
            "description": "The docs name no token endpoint: set tokenUrl.",
        },
    }
    assert document["security"] == [{name: []} for name in schemes]
    validate_openapi(document)


def test_openapi_oauth_token_endpoint() -> None:
    """The documented token endpoint is the flow's tokenUrl, and the token
    request itself needs no other scheme."""
    document = openapi(_load(ROOT / "tests" / "fixtures" / "shop_api"), "Shop", "2")
    flow = {"tokenUrl": "/oauth2/token", "scopes": {}}
    assert document["components"]["securitySchemes"] == {
        "oauth2": {"type": "oauth2", "flows": {"clientCredentials": flow}}
    }
    assert document["security"] == [{"oauth2": []}]
    ops = operations(document)
    assert ops["auth.get_token"]["security"] == []
    assert all(
        "security" not in op for name, op in ops.items() if name != "auth.get_token"
    )
    validate_openapi(document)


def test_openapi_api_key_in_the_query_and_a_base_url_alone(tmp_path: Path) -> None:
    readme = (
        "# News\n\n## Environments\n\nThe API is at https://news.test/v3.\n\n"
        "Search: `https://news.test/v3/search.json?q=x&api-key=yourkey`\n"
    )
    document = openapi(_readme_api(tmp_path, readme), "News", "3")
    assert document["servers"] == [{"url": "https://news.test/v3"}]
    assert document["components"]["securitySchemes"] == {
        "apiKey": {"type": "apiKey", "in": "query", "name": "api-key"}
    }
    validate_openapi(document)


def _param(name: str, sent_in: SentIn, t: Any, required: bool = False) -> Parameter:
    return Parameter(name, name, name, sent_in, "test", t, required, "", HERE)


def test_openapi_query_map_none_bytes_and_undocumented_placeholders() -> None:
    params = (
        _param("ctx", "none", AnyType()),
        _param("filters", "query-map", MapOf(Primitive("str"))),
        _param("body", "body", Primitive("bytes"), required=True),
        _param("q", "query", Primitive("str")),
        _param("q", "query", Primitive("int")),  # the same key twice: first wins
    )
    method = Method(
        "upload",
        "upload",
        "PUT",
        "files/{fileId}",
        "",
        params,
        Primitive("bytes"),
        HERE,
    )
    trace = Method("odd", "odd", "CONNECT", "/x", "", (), None, HERE)
    service = Service("FilesService", "files", "FilesService", (method, trace), HERE)
    document = openapi(Api((), (service,), "https://h.test"), "Files", "2")
    assert list(document["paths"]) == ["/files/{fileId}"]  # CONNECT left out
    op = document["paths"]["/files/{fileId}"]["put"]
    assert op["operationId"] == "files.upload"
    assert op["parameters"] == [
        {
            "name": "filters",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": True,
            "schema": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        {"name": "q", "in": "query", "required": False, "schema": {"type": "string"}},
        {
            "name": "fileId",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        },
    ]
    assert op["requestBody"] == {
        "required": True,
        "content": {"application/octet-stream": {}},
    }
    assert op["responses"]["200"]["content"] == {"application/octet-stream": {}}
    validate_openapi(document)


# --- synthetic doc sets (bench/synth.py) ------------------------------------------


@pytest.fixture
def synth(monkeypatch: pytest.MonkeyPatch) -> Any:
    """bench/synth.py, imported from its path (bench/ is not a package)."""
    name = "docs2py_bench_synth"
    spec = importlib.util.spec_from_file_location(name, SYNTH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)  # dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_synthetic_doc_set_exports(synth: Any, tmp_path: Path) -> None:
    synth.write_doc_set(tmp_path / "a", models=120, seed=3)
    synth.write_doc_set(tmp_path / "b", models=120, seed=3)
    files_a = sorted((tmp_path / "a").rglob("*.md"))
    texts_a = [p.read_text("utf-8") for p in files_a]
    texts_b = [p.read_text("utf-8") for p in sorted((tmp_path / "b").rglob("*.md"))]
    assert texts_a == texts_b  # seeded: the same doc set twice
    diags = Diagnostics()
    api = load([tmp_path / "a"], Settings(), diags)
    assert not diags.items, [d.format() for d in diags.items[:5]]
    assert len(api.definitions) == 120
    assert 10 <= len(api.enums) <= 30
    assert len(api.unions) >= 3
    assert all(len(u.variants) == 2 for u in api.unions)
    document = json_schema(api)
    Draft202012Validator.check_schema(document)
    check_definitions(api, document["$defs"])


def test_synth_command_line(tmp_path: Path) -> None:
    command = [sys.executable, str(SYNTH), "--models", "30", "--seed", "1"]
    subprocess.run([*command, str(tmp_path)], check=True, capture_output=True)
    assert len(list((tmp_path / "documentation" / "models").glob("*.md"))) >= 10
