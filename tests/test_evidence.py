"""Evidence you can trust (generator/infer/wire_evidence.py, wirekeys.py): each
kind of sighting weighs what it is worth, priors hold where there is none,
mixed-style APIs are decided per model, and liblab's numbering is undone."""

from __future__ import annotations

from pathlib import Path

from test_wirekeys import api_of, field, method, model, param, service

GO_EXAMPLE = (
    "request := purchases.CreatePurchaseRequest{\n"
    '  Iccid: util.ToPointer("Iccid"),\n'
    '  Destination: util.ToPointer("Destination"),\n'
    "}\n"
)


LESSON_EXAMPLE = 'request_body = Lesson(\n  _id="_id",\n  course_id="courseId",\n)'
CAMEL_METHODS = [
    method(
        f"get{n}",
        f"/clinics/{{clinicId}}/owners/{{ownerId}}/tenants/{{tenantId}}/{n}",
        ("clinicId", "string", ""),
        ("ownerId", "string", ""),
        ("tenantId", "string", ""),
    )
    for n in range(6)
]
"""Methods whose path placeholders show a camelCase API."""


def _purchase(example: str) -> dict[str, str]:
    return {
        "models/create_purchase_request.md": model(
            "CreatePurchaseRequest",
            ("Iccid", "string", ""),
            ("Destination", "string", ""),
            ("DataLimitInGb", "float64", ""),
        ),
        "services/purchases_service.md": service(
            "PurchasesService",
            method(
                "CreatePurchase",
                "/purchases",
                ("ctx", "Context", "Default go language context"),
                ("createPurchaseRequest", "CreatePurchaseRequest", ""),
                verb="POST",
                example=example,
            ),
        ),
    }


def test_an_example_that_repeats_the_name_is_no_evidence(tmp_path: Path) -> None:
    """liblab 2.25 fills example strings with the field's own name: a Go Name
    is never the key, whatever the example repeats."""
    api, _ = api_of(tmp_path, _purchase(GO_EXAMPLE))
    iccid = field(api, "CreatePurchaseRequest", "Iccid")
    assert iccid.wire_key == "iccid"
    assert iccid.key_source == "prior"  # camelCase: the Go dialect's prior
    assert field(api, "CreatePurchaseRequest", "Destination").wire_key == "destination"


def test_repeated_names_count_where_other_examples_show_the_apis_names(
    tmp_path: Path,
) -> None:
    """Where some example string spells its name otherwise, the examples are
    filled with the API's own names, and one that repeats its name confirms it."""
    example = (
        "const input = {\n  gpuClasses: ['gpuClasses'],\n"
        "  storageAmount: 'storage_amount',\n};"
    )
    files = {
        "models/Job.md": model(
            "Job", ("gpuClasses", "string[]", ""), ("storageAmount", "number", "")
        ),
        "services/JobsService.md": service(
            "JobsService",
            method("createJob", "/jobs", ("body", "Job", "The request body."),
                   verb="POST", example=example),
        ),  # fmt: skip
    }
    api, _ = api_of(tmp_path, files)
    gpu = field(api, "Job", "gpuClasses")
    assert (gpu.wire_key, gpu.key_source) == ("gpuClasses", "evidence")
    assert [c.kind for c in gpu.key_evidence] == ["example"]
    assert field(api, "Job", "storageAmount").wire_key == "storage_amount"


def test_prose_in_another_style_does_not_make_a_key(tmp_path: Path) -> None:
    """Comments copied from a proto file write snake_case names of a camelCase
    API: however often, prose in another style than the one in force loses to
    a style the evidence settled; a quoted mention wins."""
    prose = "external_id identifies the clinic; external_id is optional."
    files = {
        "models/Clinic.md": model(
            "Clinic",
            ("externalId", "string", prose),
            ("clinicId", "string", "links a clinic by clinic_id and agent_id"),
            ("tenantId", "string", "The tenant (`tenant_id` in exports)."),
        ),
        "models/Agent.md": model("Agent", ("agentId", "string", "")),
        "services/Clinics.md": service("Clinics", *CAMEL_METHODS),
    }
    api, _ = api_of(tmp_path, files)
    external = field(api, "Clinic", "externalId")
    assert (external.wire_key, external.key_rule) == ("externalId", "style")
    assert field(api, "Clinic", "clinicId").wire_key == "clinicId"
    tenant = field(api, "Clinic", "tenantId")
    assert (tenant.wire_key, tenant.key_rule) == ("tenant_id", "evidence")
    assert [c.kind for c in tenant.key_evidence] == ["quoted"]


def test_json_literals_in_descriptions_are_evidence(tmp_path: Path) -> None:
    files = {
        "models/Item.md": model(
            "Item",
            ("skuCode", "string", ""),
            ("itemCount", "number", ""),
            desc='Sent as `{"sku_code": "A1", "itemCount": 2}`.',
        ),
    }
    api, _ = api_of(tmp_path, files)
    sku = field(api, "Item", "skuCode")
    assert (sku.wire_key, sku.key_evidence[0].kind) == ("sku_code", "json")
    assert sku.key_evidence[0].weight == 2.0
    assert field(api, "Item", "itemCount").wire_key == "itemCount"


def test_a_python_escape_is_not_a_leading_underscore(tmp_path: Path) -> None:
    """Python's ``id_`` escapes the reserved ``id``: the key is ``id``, not the
    ``_id`` that another model's example shows."""
    files = {
        "models/Course.md": model("Course", ("id\\_", "str", ""), ("name", "str", "")),
        "models/Lesson.md": model(
            "Lesson", ("\\_id", "str", ""), ("course_id", "str", "")
        ),
        "services/LessonService.md": service(
            "LessonService",
            method("add_lesson", "/lessons",
                   ("request_body", "Lesson", "The request body."), verb="POST",
                   example=LESSON_EXAMPLE),
        ),  # fmt: skip
    }
    api, _ = api_of(tmp_path, files)
    assert field(api, "Course", "id_").wire_key == "id"
    assert field(api, "Lesson", "_id").wire_key == "_id"


def test_liblabs_numbering_of_a_colliding_name_is_undone(tmp_path: Path) -> None:
    """TypeScript numbers a property named like a definition (``On.on1``);
    a sequence (``team1``, ``team2``) and a C# property named like its type
    (``Room1`` of type ``Room``) are real names."""
    files = {
        "models/On.md": model("On", ("on1", "boolean", "On/Off state")),
        "models/Light.md": model(
            "Light", ("on1", "On", ""), ("brightness", "number", "")
        ),
        "models/Bet.md": model("Bet", ("team1", "string", ""), ("team2", "string", "")),
    }
    api, _ = api_of(tmp_path, files)
    on = field(api, "On", "on1")
    assert (on.wire_key, on.key_rule) == ("on", "dedup-suffix")
    assert field(api, "Light", "on1").wire_key == "on"
    assert field(api, "Bet", "team1").wire_key == "team1"
    csharp = {
        "models/Room.md": model("Room", ("Size", "long", "")),
        "models/Booking.md": model("Booking", ("Room1", "List<string>", ""),
                                   ("GuestQty", "long", "")),
    }  # fmt: skip
    api, _ = api_of(tmp_path / "cs", csharp)
    assert field(api, "Booking", "Room1").wire_key == "room1"


def test_a_model_whose_own_evidence_shows_another_style(tmp_path: Path) -> None:
    """OAuth-like token models in snake_case inside a camelCase API: two or
    more of the model's own properties shown in another style, none in the
    API's, decide the model's other keys too."""
    example = (
        "const token = {\n  accessToken: 'access_token',\n"
        "  refreshToken: 'refresh_token',\n};"
    )
    files = {
        "models/Session.md": model(
            "Session",
            ("accessToken", "string", ""),
            ("refreshToken", "string", ""),
            ("expiresAt", "string", ""),
        ),
        "models/Pet.md": model(
            "Pet", ("petName", "string", ""), ("ownerId", "string", "")
        ),
        "services/Pets.md": service(
            "Pets",
            *CAMEL_METHODS,
            method("login", "/login", ("body", "Session", "The request body."),
                   verb="POST", example=example),
        ),  # fmt: skip
    }
    api, _ = api_of(tmp_path, files)
    assert api.wire_styles is not None and api.wire_styles.keys.style == "camelCase"
    assert field(api, "Session", "expiresAt").wire_key == "expires_at"
    assert field(api, "Pet", "petName").wire_key == "petName"
    assert param(api, "get0", "ownerId").wire_name == "ownerId"


def test_a_numbered_parameter_takes_the_other_spelling(tmp_path: Path) -> None:
    """liblab numbers a query parameter whose SDK name collides with another's
    (``orderBy``, ``orderBy1``): it is the same words in the other style."""
    files = {
        "services/Logs.md": service(
            "Logs",
            *CAMEL_METHODS,
            method(
                "getLogs",
                "/accounts/{accountId}/logs",
                ("accountId", "string", ""),
                ("accountId1", "string", "Another account"),
                ("orderBy", "string", ""),
                ("orderBy1", "string", ""),
            ),
        )
    }
    api, diags = api_of(tmp_path, files)
    assert not diags.has_errors, diags.items
    numbered = param(api, "getLogs", "orderBy1")
    assert (numbered.wire_name, numbered.name_rule) == ("order_by", "dedup-suffix")
    assert numbered.name_source == "prior"
    # the path's {accountId} is another place: the query may use the name
    assert param(api, "getLogs", "accountId1").wire_name == "accountId"


def test_only_a_go_method_names_its_body_after_its_type(tmp_path: Path) -> None:
    files = {
        "models/Status.md": "# Status\n\n**Properties**\n\n| Name | Type | Required |"
        ' Description |\n| :--- | :--- | :--- | :--- |\n| OPEN | str | ✅ | "open" |\n',
        "models/Task.md": model("Task", ("title", "string", "")),
        "services/TaskService.md": service(
            "TaskService",
            method("update_status", "/tasks/{task_id}", ("task_id", "str", ""),
                   ("status", "Status", ""), verb="PATCH"),
            method("UpdateTask", "/tasks/{task_id}", ("ctx", "Context", ""),
                   ("task_id", "string", ""), ("task", "Task", ""), verb="PUT"),
        ),  # fmt: skip
    }
    api, _ = api_of(tmp_path, files)
    assert param(api, "update_status", "status").sent_in == "query"
    task = param(api, "UpdateTask", "task")
    assert (task.sent_in, task.rule) == ("body", "body-type-name")


def test_oauth_token_and_revocation_requests_are_forms(tmp_path: Path) -> None:
    """A body that is (a union of) OAuth token requests, or another OAuth
    request such as a revocation, is sent form-encoded (RFC 6749, 7009)."""
    files = {
        "models/GetTokenRequest.md": "# GetTokenRequest\n\n"
        + model("GetTokenRequest_1", ("grant_type", "str", ""), ("code", "str", ""))
        + model("GetTokenRequest_2", ("grant_type", "str", ""),
                ("refresh_token", "str", "")),  # fmt: skip
        "models/RevokeTokenRequest.md": model(
            "RevokeTokenRequest", ("token", "str", ""),
            ("client_assertion_type", "str", ""), ("client_assertion", "str", ""),
        ),  # fmt: skip
        "services/OAuthService.md": service(
            "OAuthService",
            method("get_token", "/oauth/token",
                   ("request_body", "GetTokenRequest", "The request body."),
                   verb="POST"),
            method("revoke_token", "/oauth/revoke",
                   ("request_body", "RevokeTokenRequest", "The request body."),
                   verb="POST"),
        ),  # fmt: skip
    }
    api, _ = api_of(tmp_path, files)
    methods = {m.name: m for s in api.services for m in s.methods}
    token, revoke = methods["get_token"], methods["revoke_token"]
    assert (token.body_encoding, token.body_rule) == ("form", "oauth-token")
    assert (revoke.body_encoding, revoke.body_rule) == ("form", "oauth-message")
    assert revoke.body_source == "protocol"
    assert api.auth == () or all(a.token_url in ("", "/oauth/token") for a in api.auth)


def test_a_model_of_http_headers_has_header_names_for_keys(tmp_path: Path) -> None:
    files = {
        "models/DisabledSystemHeaders.md": model(
            "DisabledSystemHeaders",
            ("cacheControl", "boolean", ""),
            ("contentType", "boolean", ""),
            ("postmanToken", "boolean", ""),
        ),
        "services/S.md": service("S", *CAMEL_METHODS),
    }
    api, _ = api_of(tmp_path, files)
    keys = [f.wire_key for f in api.models[0].fields]
    assert keys == ["cache-control", "content-type", "postman-token"]
    assert api.models[0].fields[0].key_source == "protocol"
