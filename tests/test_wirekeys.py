"""The wire stage: inferred key styles, per-name evidence, protocol rules,
overrides and parameter placement (generator/wirekeys.py and friends).

Every rule is pinned by a small doc set written here (the shared truth is
only used by bench/wiretruth.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import api_of

from generator.diagnostics import Level
from generator.infer.casing import convert, shape
from generator.ir import Api, Field, MapOf, Model, Parameter, Union
from generator.settings import ParamOverride, Settings, WireKeyStyle

HEADER = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"


def model(name: str, *rows: tuple[str, str, str], desc: str = "") -> str:
    """A model doc: rows are (Name, Type, Description)."""
    body = "".join(f"| {n} | {t} | ❌ | {d} |\n" for n, t, d in rows)
    head = f"# {name}\n\n" + (f"{desc}\n\n" if desc else "")
    return head + "**Properties**\n\n" + HEADER + body + "\n"


def method(
    name: str,
    path: str,
    *rows: tuple[str, str, str],
    verb: str = "GET",
    desc: str = "",
    example: str = "",
) -> str:
    table = "".join(f"| {n} | {t} | ❌ | {d} |\n" for n, t, d in rows)
    params = f"**Parameters**\n\n{HEADER}{table}\n" if rows else ""
    code = (
        f"**Example Usage Code Snippet**\n\n```\n{example}\n```\n\n" if example else ""
    )
    text = f"## {name}\n\n" + (f"{desc}\n\n" if desc else "")
    return text + f"- HTTP Method: `{verb}`\n- Endpoint: `{path}`\n\n{params}{code}"


def service(name: str, *methods: str) -> str:
    return f"# {name}\n\n" + "\n".join(methods)


def field(api: Api, model_name: str, name: str) -> Field:
    found = next(m for m in api.models if m.name == model_name)
    return next(f for f in found.fields if f.name == name)


def param(api: Api, method_name: str, name: str) -> Parameter:
    for s in api.services:
        for m in s.methods:
            if m.name == method_name:
                return next(p for p in m.parameters if p.name == name)
    raise KeyError(method_name)


# --- case conversion ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "style", "key"),
    [
        ("csAt14", "snake", "cs_at_14"),
        ("deathsPer10Minutes", "snake", "deaths_per_10_minutes"),
        ("versus1", "snake", "versus_1"),
        ("_2Kills", "snake", "2_kills"),  # liblab's escape of a leading digit
        ("primaryIsbn13", "snake", "primary_isbn13"),  # ISBN-13 is one word
        ("idV1", "snake", "id_v1"),
        ("oauth2", "snake", "oauth2"),
        ("_id", "camel", "_id"),  # a leading _ is kept
        ("_postmanId", "snake", "_postman_id"),
        ("team1_score", "camel", "team1Score"),
        ("team1_score", "snake", "team1_score"),  # already snake_case: kept
        ("userID", "camel", "userID"),  # already camelCase: kept
        ("HTTPServer", "snake", "http_server"),
        ("IPv4", "snake", "ipv4"),
        ("shipping_availability", "pascal", "ShippingAvailability"),
        ("Id", "camel", "id"),
        ("xMerchantId", "kebab", "x-merchant-id"),
        ("api-version", "camel", "apiVersion"),
    ],
)
def test_case_conversion_keeps_what_the_spelling_carries(
    name: str, style: str, key: str
) -> None:
    assert convert(name, style) == key  # type: ignore[arg-type]


def test_shapes() -> None:
    assert shape("begin_at") == "snake"
    assert shape("beginAt") == "camel"
    assert shape("BeginAt") == "pascal"
    assert shape("begin-at") == "kebab"
    assert shape("id") is None
    assert shape("Foo_bar") is None


# --- the API's style, from evidence ------------------------------------------

CAMEL_NAMES = model(
    "Task", ("taskId", "string", ""), ("createdAt", "string", ""), ("id", "string", "")
)


def test_placeholders_make_camel_names_snake_keys(tmp_path: Path) -> None:
    files = {
        "models/Task.md": CAMEL_NAMES,
        "services/TasksService.md": service(
            "TasksService",
            method(
                "getTask",
                "/workspaces/{workspace_id}/tasks/{task_id}",
                ("workspaceId", "string", ""),
                ("taskId", "string", ""),
            ),
        ),
    }
    api, diags = api_of(tmp_path, files)
    assert field(api, "Task", "createdAt").wire_key == "created_at"
    assert field(api, "Task", "createdAt").key_rule == "style"
    assert field(api, "Task", "id").wire_key == "id"
    styles = api.wire_styles
    assert styles is not None
    assert styles.keys.style == "snake_case" and styles.keys.rule == "inferred"
    assert dict(styles.keys.evidence) == {"placeholders": 2}
    assert styles.keys.summary() == "snake_case (2 placeholders)"
    # two placeholders are weak evidence: a note says so
    notes = [d for d in diags.items if d.code == "wire-style"]
    assert notes and notes[0].level is Level.NOTE and "weak" in notes[0].message


def test_python_names_of_a_camel_api(tmp_path: Path) -> None:
    files = {
        "models/Task.md": model(
            "Task",
            ("task_id", "str", "Also in `parentTaskId` and `subTaskIds`."),
            ("created_at", "str", "Sort by `updatedAt`."),
            ("parent_task_id", "str", ""),
        )
    }
    api, _ = api_of(tmp_path, files)
    assert field(api, "Task", "created_at").wire_key == "createdAt"
    assert field(api, "Task", "parent_task_id").wire_key == "parentTaskId"


def test_description_names_a_key_spelled_unlike_the_style(tmp_path: Path) -> None:
    files = {
        "models/Game.md": model(
            "Game",
            ("beginAt", "string", "`null` when `status` is `not_started`"),
            ("endAt", "string", "After `begin_at`; see `end_at`."),
            ("dataLimitInGB", "number", "The limit."),
        ),
    }
    api, _ = api_of(tmp_path, files)
    begin = field(api, "Game", "beginAt")
    assert begin.wire_key == "begin_at"
    assert any("begin_at" in str(e) for e in begin.key_evidence)
    assert field(api, "Game", "dataLimitInGB").wire_key == "data_limit_in_gb"


def test_examples_give_the_apis_own_spelling(tmp_path: Path) -> None:
    example = (
        "const input = {\n  gpuClasses: ['gpu_classes'],\n"
        "  transId: 'transId',\n  clientId: 'CLIENT_ID',\n};"
    )
    files = {
        "models/Job.md": model(
            "Job", ("gpuClasses", "string[]", ""), ("storageAmount", "number", "")
        ),
        "services/JobsService.md": service(
            "JobsService",
            method(
                "createJob",
                "/jobs",
                ("body", "Job", "The request body."),
                ("transId", "string", ""),
                verb="POST",
                example=example,
            ),
        ),
    }
    api, _ = api_of(tmp_path, files)
    gpu = field(api, "Job", "gpuClasses")
    assert (gpu.wire_key, gpu.key_rule) == ("gpu_classes", "style")
    assert field(api, "Job", "storageAmount").wire_key == "storage_amount"
    # an example given to a parameter of the method names the parameter only
    assert param(api, "createJob", "transId").wire_name == "transId"


def test_operation_ids_unlike_the_dialect_are_evidence(tmp_path: Path) -> None:
    files = {
        "models/Article.md": model("Article", ("webUrl", "string", "")),
        "services/ArchiveService.md": service(
            "ArchiveService", method("get_by_year_month_json", "/{year}.json",
                                     ("year", "number", ""))
        ),
    }  # fmt: skip
    api, _ = api_of(tmp_path, files)
    assert field(api, "Article", "webUrl").wire_key == "web_url"
    assert api.wire_styles and dict(api.wire_styles.keys.evidence) == {"operation": 1}


def test_enum_values_lean_the_keys_way(tmp_path: Path) -> None:
    enum = (
        "# State\n\n**Properties**\n\n" + HEADER
        + '| RUN | string | ✅ | "still_running" |\n'
        + '| DONE | string | ✅ | "all_done" |\n'
    )  # fmt: skip
    files = {"models/Job.md": model("Job", ("jobState", "State", "")) + enum}
    api, _ = api_of(tmp_path, files)
    assert field(api, "Job", "jobState").wire_key == "job_state"


def test_without_evidence_go_and_csharp_names_become_camel(tmp_path: Path) -> None:
    files = {"models/Task.md": model("Task", ("TaskId", "string", ""),
                                     ("CreatedAt", "string", ""))}  # fmt: skip
    api, _ = api_of(tmp_path, files)
    created = field(api, "Task", "CreatedAt")
    assert (created.wire_key, created.key_source) == ("createdAt", "prior")
    assert api.wire_styles and api.wire_styles.keys.rule == "prior"
    assert "never the key" in api.wire_styles.keys.note


def test_without_evidence_other_names_are_as_written(tmp_path: Path) -> None:
    api, _ = api_of(tmp_path, {"models/Task.md": CAMEL_NAMES})
    created = field(api, "Task", "createdAt")
    assert (created.wire_key, created.key_rule) == ("createdAt", "as-written")
    assert created.key_source == "prior"


def test_split_evidence_gets_a_note(tmp_path: Path) -> None:
    rows = [
        ("aB", "string", "see `a_b`, `c_d`, `e_f`"),
        ("cD", "string", "see `cD`"),
        ("eF", "string", "see `eF`, `gH`"),
        ("gH", "string", ""),
    ]
    api, diags = api_of(tmp_path, {"models/M.md": model("M", *rows)})
    assert any("split" in d.message for d in diags.items if d.code == "wire-style")


# --- protocol rules --------------------------------------------------------------


def test_oauth_messages_are_snake_case_in_a_camel_api(tmp_path: Path) -> None:
    files = {
        "models/Token.md": model(
            "TokenResponse",
            ("accessToken", "string", ""),
            ("expiresIn", "number", ""),
            ("ownerId", "string", ""),
        ),
        "models/Other.md": model(
            "GenerateServiceAccountTokenResponse", ("accessToken", "string", ""),
            ("serviceAccountId", "string", "See `serviceAccountId`."),
        ),
        "models/Thing.md": model("Thing", ("thingId", "string", "`thingId`")),
    }  # fmt: skip
    api, _ = api_of(tmp_path, files)
    assert field(api, "TokenResponse", "accessToken").wire_key == "access_token"
    assert field(api, "TokenResponse", "ownerId").wire_key == "owner_id"
    assert field(api, "TokenResponse", "ownerId").key_rule == "oauth"
    other = "GenerateServiceAccountTokenResponse"
    assert field(api, other, "accessToken").wire_key == "access_token"
    assert field(api, other, "serviceAccountId").wire_key == "serviceAccountId"


def test_scim_messages(tmp_path: Path) -> None:
    files = {
        "models/List.md": model(
            "ScimList",
            ("schemas", "string[]", ""),
            ("resources", "any[]", ""),
            ("total_results", "number", "`totalResults`"),
        )
    }
    api, _ = api_of(tmp_path, files)
    assert field(api, "ScimList", "resources").wire_key == "Resources"
    assert field(api, "ScimList", "total_results").wire_key == "totalResults"


def test_dollar_escapes(tmp_path: Path) -> None:
    files = {
        "models/Filter.md": model(
            "Filter", ("\\_eq", "string", ""), ("\\_nin", "string[]", "")
        ),
        "models/Doc.md": model("Doc", ("\\_id", "string", ""), ("name", "string", "")),
    }
    api, _ = api_of(tmp_path, files)
    assert field(api, "Filter", "_eq").wire_key == "$eq"
    assert field(api, "Filter", "_eq").key_rule == "escape"
    assert field(api, "Doc", "_id").wire_key == "_id"


def test_placeholder_names_make_maps(tmp_path: Path) -> None:
    files = {
        "models/Tagged.md": model(
            "TaggedUsers",
            ("_userName_", "UserName", "The object's name is the user's name."),
        )
        + model("UserName", ("id", "string", "")),
    }
    api, _ = api_of(tmp_path, files)
    tagged = next(d for d in api.definitions if d.name == "TaggedUsers")
    assert isinstance(tagged, Union)
    (variant,) = tagged.variants
    assert isinstance(variant, MapOf)


# --- explicit choices and overrides ------------------------------------------


def test_explicit_styles_ignore_the_evidence(tmp_path: Path) -> None:
    files = {"models/G.md": model("G", ("beginAt", "string", "`begin_at`"))}
    settings = Settings(wire_keys=WireKeyStyle.AS_WRITTEN)
    api, diags = api_of(tmp_path, files, settings)
    assert field(api, "G", "beginAt").wire_key == "beginAt"
    assert field(api, "G", "beginAt").key_rule == "setting"
    assert api.wire_styles and api.wire_styles.keys.rule == "setting"
    assert not [d for d in diags.items if d.code == "wire-style"]


def test_overrides_win_and_take_wildcards(tmp_path: Path) -> None:
    files = {
        "models/G.md": model("Game", ("beginAt", "string", "`begin_at`"),
                             ("endAt", "string", "")),
        "models/H.md": model("Match", ("beginAt", "string", "")),
    }  # fmt: skip
    settings = Settings(
        wire_key_overrides={"*": {"beginAt": "start"}, "Game": {"begin_at": "go"}}
    )
    api, _ = api_of(tmp_path, files, settings)
    assert field(api, "Game", "beginAt").wire_key == "go"  # the most specific
    assert field(api, "Game", "beginAt").key_rule == "override"
    assert field(api, "Match", "beginAt").wire_key == "start"


def test_an_override_that_matches_nothing_is_a_warning(tmp_path: Path) -> None:
    files = {
        "models/G.md": model("Game", ("beginAt", "string", "")),
        "services/GamesService.md": service(
            "GamesService",
            method("getGames", "/games", ("pageSize", "number", "")),
        ),
    }
    settings = Settings(
        wire_key_overrides={"Game": {"beginnAt": "x"}},
        parameter_overrides={
            "GamesService.getGames.page_sise": ParamOverride("header")
        },
    )
    _, diags = api_of(tmp_path, files, settings)
    messages = [d.message for d in diags.items if d.code == "unused-override"]
    assert any("'Game.beginnAt' matches nothing" in m and "Game.beginAt" in m
               for m in messages)  # fmt: skip
    assert any("page_sise" in m and "GamesService.getGames.pageSize" in m
               for m in messages)  # fmt: skip


def test_parameter_overrides_with_wildcards(tmp_path: Path) -> None:
    files = {
        "services/TeamsService.md": service(
            "TeamsService",
            method("getTeams", "/teams", ("identifierType", "string", "")),
            method("getTeam", "/teams/{teamId}", ("teamId", "string", ""),
                   ("identifierType", "string", "")),
        ),
    }  # fmt: skip
    settings = Settings(
        parameter_overrides={"*.*.identifierType": ParamOverride("header")}
    )
    api, diags = api_of(tmp_path, files, settings)
    for name in ("getTeams", "getTeam"):
        p = param(api, name, "identifierType")
        assert (p.sent_in, p.wire_name, p.rule) == (
            "header",
            "Identifier-Type",
            "override",
        )
    assert not [d for d in diags.items if d.code == "unused-override"]


# --- parameters --------------------------------------------------------------------


def test_parameter_placement_rules(tmp_path: Path) -> None:
    files = {
        "models/Range.md": model("RangeOverMatches", ("begin_at", "string", "")),
        "services/S.md": service(
            "ThingsService",
            method("listThings", "/things",
                   ("range", "RangeOverMatches", "Options to select results."),
                   ("x_merchant_id", "str", "6-digit account number."),
                   ("include", "string", "Records with header and body data. "
                    "This query parameter accepts `request.headers`."),
                   ("ui_locales", "string", "Overrides the 'Accept-Language' header."),
                   ("trace", "string", "Sent as a request header.")),
            method("updateRoles", "/roles", ("identifierType", "string", "Use SCIM."),
                   desc="Include the `identifierType=scim` header when you call it."),
            method("getRoles", "/roles/all", ("identifierType", "string", "Use SCIM.")),
            method("Contacts_DeleteWithHeaderParam", "/c/{id}", ("id", "string", ""),
                   ("source", "string", "Source system identifier")),
        ),
    }  # fmt: skip
    api, _ = api_of(tmp_path, files)

    def where(m: str, n: str) -> tuple[str, str, str]:
        p = param(api, m, n)
        return p.sent_in, p.wire_name, p.rule

    assert where("listThings", "range") == ("query", "range", "typed-object")
    assert where("listThings", "x_merchant_id") == (
        "header", "X-Merchant-Id", "x-header"
    )  # fmt: skip
    assert where("listThings", "include")[0] == "query"
    assert where("listThings", "ui_locales")[0] == "query"
    assert where("listThings", "trace") == ("header", "trace", "description-header")
    # the name is kept as written, not re-cased as a header
    assert where("updateRoles", "identifierType") == (
        "header", "identifierType", "description-header"
    )  # fmt: skip
    # a name the docs call a header elsewhere is a header everywhere
    assert where("getRoles", "identifierType") == (
        "header", "identifierType", "header-elsewhere"
    )  # fmt: skip
    assert where("Contacts_DeleteWithHeaderParam", "source")[::2] == (
        "header", "method-name-header"
    )  # fmt: skip


def test_query_names_follow_their_own_evidence(tmp_path: Path) -> None:
    """booking: snake_case bodies, camelCase query names."""
    files = {
        "models/Search.md": model(
            "Search", ("hotel_ids", "number[]", "see `hotel_ids` and `next_page`")
        ),
        "services/S.md": service(
            "HotelsService",
            method("getHotels", "/hotels", ("hotelsInput", "string", ""),
                   ("pageSize", "number", ""),
                   desc="`/hotels?hotelsInput=x&pageSize=10`"),
        ),
    }  # fmt: skip
    api, _ = api_of(tmp_path, files)
    assert api.wire_styles is not None
    assert api.wire_styles.keys.style == "snake_case"
    assert api.wire_styles.parameters.style == "camelCase"
    assert param(api, "getHotels", "pageSize").wire_name == "pageSize"


def test_oauth_request_parameters(tmp_path: Path) -> None:
    files = {
        "services/AuthService.md": service(
            "AuthService",
            method("authorize", "/oauth/authorize", ("clientId", "string", ""),
                   ("responseType", "string", ""), ("localeId", "string", "")),
        )
    }  # fmt: skip
    api, _ = api_of(tmp_path, files)
    assert param(api, "authorize", "responseType").wire_name == "response_type"
    assert param(api, "authorize", "localeId").wire_name == "localeId"


def test_names_equal_after_conversion_collide(tmp_path: Path) -> None:
    files = {"models/M.md": model("M", ("first_name", "str", ""),
                                  ("firstName", "str", ""))}  # fmt: skip
    settings = Settings(wire_keys=WireKeyStyle.CAMEL)
    api, diags = api_of(tmp_path, files, settings)
    assert [d.code for d in diags.items if d.level is Level.ERROR] == [
        "duplicate-property"
    ]
    found = next(m for m in api.models if m.name == "M")
    assert isinstance(found, Model) and len(found.fields) == 1


def test_the_run_summary_names_the_styles_and_their_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli.commands import main

    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "Task.md").write_text(CAMEL_NAMES, "utf-8")
    (specs / "TasksService.md").write_text(
        service(
            "TasksService",
            method("getTask", "/tasks/{task_id}", ("taskId", "string", "")),
        ),
        "utf-8",
    )
    out = tmp_path / "out" / "tasks"
    assert main(["generate", str(specs), "--out", str(out), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "wire keys: snake_case (1 placeholder); parameter names: " in err
    assert "weak" in err  # and the note that says how little it rests on
