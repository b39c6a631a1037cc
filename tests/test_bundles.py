"""Parameter bundles (generator/infer/bundles.py): Java's ``requestParameters``
argument spread into its members, each sent where the docs place it, and the
generated method taking them as keyword arguments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import generate_into, imported
from test_wirekeys import HEADER, api_of, field, method, model, service

PARAMETERS = (
    "# WriteParameters\n\n**Properties**\n\n" + HEADER
    + "| db | String | ✅ | The database. |\n"
    + "| precision | String | ❌ | |\n"
    + "| requestBody | String | ✅ | |\n"
    + "| contentType | ContentType | ❌ | The format of the request body. |\n"
    + "| accept | String | ❌ | |\n"
    + "| contentLength | Long | ❌ | |\n"
    + "| bucketId | String | ✅ | |\n"
)  # fmt: skip
CONTENT_TYPE = (
    "# ContentType\n\n**Properties**\n\n" + HEADER
    + '| APPLICATION_JSON | String | ✅ | "application/json" |\n'
    + '| TEXT_PLAIN | String | ✅ | "text/plain" |\n'
)  # fmt: skip
WRITE = service(
    "WriteService",
    method(
        "postWrite",
        "/buckets/{bucket_id}/write",
        ("requestParameters", "[WriteParameters](../models/WriteParameters.md)",
         "Request Parameters Object"),
        verb="POST",
    ),  # fmt: skip
    method(
        "deleteTrigger",
        "/triggers",
        ("requestParameters", "[DeleteTriggerParameters](../models/X.md)",
         "Request Parameters Object"),
        verb="DELETE",
    ),  # fmt: skip
)
DELETE = model(
    "DeleteTriggerParameters", ("db", "String", ""), ("triggerName", "String", "")
)
FILES = {
    "models/WriteParameters.md": PARAMETERS,
    "models/ContentType.md": CONTENT_TYPE,
    "models/DeleteTriggerParameters.md": DELETE,
    "services/WriteService.md": WRITE,
}


def _members(api: Any, name: str) -> dict[str, Any]:
    m = next(m for s in api.services for m in s.methods if m.name == name)
    return {p.own_name: p for p in m.parameters}


def test_each_member_goes_where_the_docs_place_it(tmp_path: Path) -> None:
    api, diags = api_of(tmp_path, FILES)
    assert not diags.has_errors, diags.items
    members = _members(api, "postWrite")
    where = {name: (p.sent_in, p.rule) for name, p in members.items()}
    assert where == {
        "db": ("query", "default-query"),
        "precision": ("query", "default-query"),
        "requestBody": ("body", "body-name"),
        "contentType": ("header", "well-known-header"),
        "accept": ("header", "well-known-header"),
        "contentLength": ("header", "well-known-header"),
        "bucketId": ("path", "path-placeholder"),
    }
    assert members["contentType"].wire_name == "Content-Type"
    assert members["bucketId"].wire_name == "bucket_id"
    assert members["db"].name == "requestParameters.db"
    assert members["db"].bundle == "requestParameters"
    # no member is required unless the bundle is: the table says ❌
    assert not any(p.required for p in members.values())


def test_the_bundle_model_keys_follow_its_members(tmp_path: Path) -> None:
    api, _ = api_of(tmp_path, FILES)
    assert field(api, "WriteParameters", "contentType").wire_key == "Content-Type"
    assert field(api, "WriteParameters", "bucketId").wire_key == "bucket_id"
    body = field(api, "WriteParameters", "requestBody")
    assert (body.wire_key, body.key_rule) == ("requestBody", "bundle-body")


def test_a_bundle_whose_model_is_not_documented_stays_one_argument(
    tmp_path: Path,
) -> None:
    files = dict(FILES)
    del files["models/DeleteTriggerParameters.md"]
    api, _ = api_of(tmp_path, files)
    members = _members(api, "deleteTrigger")
    assert list(members) == ["requestParameters"]
    assert members["requestParameters"].sent_in == "query-map"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    specs = tmp_path_factory.mktemp("specs")
    for rel, text in FILES.items():
        (specs / rel).parent.mkdir(parents=True, exist_ok=True)
        (specs / rel).write_text(text, "utf-8")
    root = generate_into(tmp_path_factory.mktemp("gen"), specs, "bundled")
    with imported(root, "bundled") as pkg:
        yield pkg


def test_the_generated_method_takes_members_as_keywords(package: Any) -> None:
    sent: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    client = package.Client(
        base_url="https://api.example", transport=httpx.MockTransport(server)
    )
    with client:
        client.write.post_write(
            bucket_id="b1", db="metrics", body="cpu load=1",
            content_type=package.ContentType.TEXT_PLAIN, accept="text/csv",
        )  # fmt: skip
    request = sent[0]
    assert request.url.path == "/buckets/b1/write"
    assert dict(request.url.params) == {"db": "metrics"}
    assert request.headers["Content-Type"] == "text/plain"
    assert request.headers["Accept"] == "text/csv"
    assert json.loads(request.content) == "cpu load=1"


def test_go_request_params_are_a_mapping_or_their_member_rows(
    tmp_path: Path,
) -> None:
    """Go's ``params | XxxRequestParams``: liblab never documents the type, so
    it is a mapping of query parameters (no unknown-type warning); member rows
    written ``params.member`` are parameters of their own."""
    files = {
        "services/purchases_service.md": service(
            "PurchasesService",
            method(
                "ListPurchases",
                "/purchases",
                ("ctx", "Context", "Default go language context"),
                (
                    "params",
                    "ListPurchasesRequestParams",
                    "Additional request parameters",
                ),
            ),
            method(
                "ListPackages",
                "/packages",
                ("ctx", "Context", "Default go language context"),
                (
                    "params",
                    "ListPackagesRequestParams",
                    "Additional request parameters",
                ),
                ("params.AfterCursor", "string", "The cursor"),
                ("params.Limit", "float64", ""),
            ),
        ),
    }
    api, diags = api_of(tmp_path, files)
    assert not [d for d in diags.items if d.code == "unknown-type"], diags.items
    purchases = _members(api, "ListPurchases")["params"]
    assert (purchases.sent_in, type(purchases.type).__name__) == ("query-map", "MapOf")
    members = _members(api, "ListPackages")
    cursor = members["AfterCursor"]
    assert (cursor.name, cursor.bundle, cursor.sent_in) == (
        "params.AfterCursor",
        "params",
        "query",
    )
    assert cursor.wire_name == "afterCursor"  # a Go Name is never the key
