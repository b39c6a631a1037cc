"""The decision of how each structured parameter is spelled
(generator/infer/param_styles.py), its settings and its guesses.

Every rule is pinned by a small doc set written here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import api_of

from generator.cli.commands import main
from generator.diagnostics import Level
from generator.infer.guesses import counts, guesses
from generator.ir import Api, Parameter
from generator.ir_json import to_json
from generator.settings import (
    Settings,
    StyleOverride,
    parse_parameter,
    parse_style,
    style_token,
)

HEADER = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"


def model(name: str, *rows: tuple[str, str, str]) -> str:
    body = "".join(f"| {n} | {t} | ❌ | {d} |\n" for n, t, d in rows)
    return f"# {name}\n\n**Properties**\n\n{HEADER}{body}\n"


def method(name: str, path: str, *rows: tuple[str, str, str], desc: str = "") -> str:
    table = "".join(f"| {n} | {t} | ❌ | {d} |\n" for n, t, d in rows)
    text = f"## {name}\n\n" + (f"{desc}\n\n" if desc else "")
    return (
        text
        + f"- HTTP Method: `GET`\n- Endpoint: `{path}`\n\n"
        + (f"**Parameters**\n\n{HEADER}{table}\n" if rows else "")
    )


def param(api: Api, method_name: str, name: str) -> Parameter:
    for s in api.services:
        for m in s.methods:
            if m.name == method_name:
                return next(p for p in m.parameters if p.name == name)
    raise KeyError(method_name)


MATCHES = {
    "models/Filter.md": model(
        "Filter",
        ("id", "List[int]", ""),
        ("winner_type", "str", "Use `filter[winner_type]=Team` for teams."),
    ),
    "models/Range.md": model("Range", ("begin_at", "List[str]", "")),
    "models/Block.md": model("Block", ("hotel_ids", "List[int]", "")),
    "services/MatchesService.md": "# MatchesService\n\n"
    + method(
        "getMatches",
        "/matches",
        ("filter", "[Filter](../models/Filter.md)", "Options to filter results."),
        ("range", "[Range](../models/Range.md)", "Ranges."),
        ("sort", "List[str]", "Sort by these."),
        ("ids", "List[int]", "A comma-separated list of match ids."),
        ("tags", "List[str]", "Tags, pipe-separated."),
        ("page", "any", "Pagination: `page=2` or `page[size]=30&page[number]=2`"),
        ("labels", "any", "Labels."),
    )
    + method(
        "getBets",
        "/bets/{betIds}",
        ("betIds", "List[int]", "Bet ids."),
        ("eventIds", "List[int]", "Events."),
        ("text", "List[str]", "Provided multiple times, the values are ANDed."),
        ("X-Ids", "List[str]", "A header."),
        ("X-Point", "[Range](../models/Range.md)", "A header."),
        desc="Example: `https://api.test/bets?eventIds=1,2,3&x=1`",
    ),
}


def test_bracketed_names_make_deep_objects_and_the_api_follows_them(
    tmp_path: Path,
) -> None:
    api, diags = api_of(tmp_path, MATCHES)
    assert not diags.has_errors
    found = param(api, "getMatches", "filter")
    assert (found.style, found.explode, found.style_rule) == (
        "deepObject", True, "bracketed-name",
    )  # fmt: skip
    assert found.style_source == "evidence"
    (clue,) = found.style_evidence
    assert clue.text == "filter[winner_type]"
    assert clue.location is not None and clue.location.path.endswith("Filter.md")
    assert clue.location.line == 8
    ranged = param(api, "getMatches", "range")
    assert (ranged.style, ranged.style_rule) == ("deepObject", "api-brackets")
    assert ranged.style_evidence[0].weight == 0.5
    page = param(api, "getMatches", "page")  # any, with its own brackets
    assert (page.style, page.style_rule) == ("deepObject", "bracketed-name")
    assert param(api, "getMatches", "labels").style == ""  # any, no evidence


def test_without_brackets_an_object_is_flattened_a_guess(tmp_path: Path) -> None:
    files = {
        "models/Block.md": model("Block", ("hotel_ids", "List[int]", "")),
        "services/HotelsService.md": "# HotelsService\n\n"
        + method("getBlocks", "/blocks", ("block_input", "Block", "")),
    }
    api, _ = api_of(tmp_path, files)
    p = param(api, "getBlocks", "block_input")
    assert (p.style, p.explode, p.style_rule, p.style_source) == (
        "form", True, "object-flattened", "prior",
    )  # fmt: skip
    (guess,) = [g for g in guesses(api) if g.kind == "style"]
    assert guess.target == "HotelsService.getBlocks.block_input"
    assert guess.value == "form"
    where = f"query:{p.wire_name}:form"
    assert guess.pin == ("parameters", ("HotelsService.getBlocks.block_input",), where)
    assert counts(guesses(api))["style"] == 1
    parsed = parse_parameter(guess.pin[2])  # the pin, applied, is no guess
    assert parsed is not None and parsed[0] is not None and parsed[1] is not None
    key = guess.pin[1][0]
    pinned = Settings(
        parameter_overrides={key: parsed[0]}, parameter_styles={key: parsed[1]}
    )
    again, _ = api_of(tmp_path, files, pinned)
    assert not [g for g in guesses(again) if g.kind == "style"]
    same = param(again, "getBlocks", "block_input")
    assert (same.wire_name, same.style, same.explode) == (p.wire_name, "form", True)


@pytest.mark.parametrize(
    ("method_name", "name", "expected"),
    [
        ("getMatches", "sort", ("form", True, "array-repeated", "prior")),
        ("getMatches", "ids", ("form", False, "comma-separated", "evidence")),
        ("getMatches", "tags", ("pipeDelimited", False, "pipe-separated", "evidence")),
        ("getBets", "eventIds", ("form", False, "joined-example", "evidence")),
        ("getBets", "text", ("form", True, "repeated", "evidence")),
        ("getBets", "betIds", ("simple", False, "path-simple", "prior")),
        ("getBets", "X-Ids", ("simple", False, "header-list", "protocol")),
        ("getBets", "X-Point", ("simple", False, "header-simple", "prior")),
    ],
)
def test_arrays_paths_and_headers(
    tmp_path: Path, method_name: str, name: str, expected: tuple[object, ...]
) -> None:
    api, _ = api_of(tmp_path, MATCHES)
    p = param(api, method_name, name)
    assert (p.style, p.explode, p.style_rule, p.style_source) == expected
    if p.style_source == "evidence":
        assert p.style_evidence and p.style_evidence[0].location is not None


def test_scalars_bodies_and_bundles_get_no_style(tmp_path: Path) -> None:
    files = {
        "models/Note.md": model("Note", ("tags", "List[str]", "")),
        "services/NotesService.md": "# NotesService\n\n"
        + method(
            "createNote", "/notes/{id}", ("id", "str", ""), ("limit", "int", ""),
            ("body", "Note", "The request body."),
        ),  # fmt: skip
    }
    api, _ = api_of(tmp_path, files)
    assert all(not p.style for s in api.services for m in s.methods
               for p in m.parameters)  # fmt: skip


def test_a_path_array_described_comma_separated_rests_on_evidence(
    tmp_path: Path,
) -> None:
    files = {
        "services/CardsService.md": "# CardsService\n\n"
        + method(
            "getCards", "/cards/{cardId}",
            ("cardId", "List[str]", "A card id, or comma separated list of ids"),
        ),  # fmt: skip
    }
    api, _ = api_of(tmp_path, files)
    p = param(api, "getCards", "cardId")
    assert (p.style, p.style_rule, p.style_source) == (
        "simple", "comma-separated", "evidence",
    )  # fmt: skip


def test_settings_override_the_style_and_only_the_style(tmp_path: Path) -> None:
    settings = Settings(
        parameter_styles={
            "MatchesService.getMatches.filter": StyleOverride("form", True),
            "*.*.sort": StyleOverride("form", False),
        }
    )
    api, diags = api_of(tmp_path, MATCHES, settings)
    assert not diags.has_errors
    p = param(api, "getMatches", "filter")
    assert (p.style, p.explode, p.style_rule, p.style_source) == (
        "form", True, "override", "override",
    )  # fmt: skip
    assert p.rule == "default-query"  # the place is still the docs'
    sort = param(api, "getMatches", "sort")
    assert (sort.style, sort.explode) == ("form", False)
    assert not [g for g in guesses(api) if g.kind == "style" and "sort" in g.target]


def test_a_style_that_does_not_fit_the_place_is_an_error(tmp_path: Path) -> None:
    settings = Settings(
        parameter_styles={"*.getBets.betIds": StyleOverride("deepObject", True)}
    )
    api, diags = api_of(tmp_path, MATCHES, settings)
    (error,) = [d for d in diags.items if d.level is Level.ERROR]
    assert "parameter 'betIds' (path) cannot be sent in style 'deepObject'" in (
        error.message
    )
    assert error.path.endswith("MatchesService.md") and error.line > 0
    assert param(api, "getBets", "betIds").style_rule == "path-simple"


def test_an_unused_style_override_is_a_warning(tmp_path: Path) -> None:
    settings = Settings(parameter_styles={"Nope.x.y": StyleOverride("form", True)})
    _, diags = api_of(tmp_path, MATCHES, settings)
    assert any(
        d.code == "unused-override" and "'Nope.x.y' matches nothing" in d.message
        for d in diags.items
    )


def test_the_ir_json_shows_the_decision(tmp_path: Path) -> None:
    api, _ = api_of(tmp_path, MATCHES)
    out = to_json(api)
    (shown,) = [
        p for s in out["services"] for m in s["methods"] for p in m["parameters"]
        if p["name"] == "filter"
    ]  # fmt: skip
    assert shown["style"] == "deepObject" and shown["explode"] is True
    assert shown["style_rule"] == "bracketed-name"
    assert shown["style_source"] == "evidence"
    assert shown["style_evidence"][0]["text"] == "filter[winner_type]"
    assert shown["style_evidence"][0]["line"] == 8


# --- the setting's syntax ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("deepObject", ("deepObject", True)),
        ("deepobject", ("deepObject", True)),
        ("form", ("form", True)),
        ("form,explode=false", ("form", False)),
        ("simple", ("simple", False)),
        ("simple, explode=true", ("simple", True)),
        ("pipeDelimited", ("pipeDelimited", False)),
        ("deepObject,explode=false", None),
        ("form,explode", None),
        ("matrix", None),
        ("", None),
    ],
)
def test_parse_style(text: str, expected: tuple[str, bool] | None) -> None:
    found = parse_style(text)
    assert (None if found is None else (found.style, found.explode)) == expected
    if found is not None:
        assert parse_style(style_token(found.style, found.explode)) == found


@pytest.mark.parametrize(
    ("text", "placed", "style"),
    [
        ("query", ("query", None), None),
        ("header:X-Ids", ("header", "X-Ids"), None),
        ("query:filter:deepObject", ("query", "filter"), ("deepObject", True)),
        ("query::form,explode=false", ("query", None), ("form", False)),
        ("path::simple", ("path", None), ("simple", False)),
        ("deepObject", None, ("deepObject", True)),
    ],
)
def test_parse_parameter(
    text: str, placed: tuple[str, str | None] | None, style: tuple[str, bool] | None
) -> None:
    found = parse_parameter(text)
    assert found is not None
    where, how = found
    assert (None if where is None else (where.sent_in, where.wire_name)) == placed
    assert (None if how is None else (how.style, how.explode)) == style


@pytest.mark.parametrize(
    "text",
    ["cookie", "query:x:matrix", "path::deepObject", "header::form", "body::form",
     "query:x:form,explode=maybe"],
)  # fmt: skip
def test_parse_parameter_refuses(text: str) -> None:
    assert parse_parameter(text) is None


def test_the_command_line_takes_a_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api_of(tmp_path, MATCHES)
    pin = "MatchesService.getMatches.sort=query::form,explode=false"
    assert main(["ir", str(tmp_path), "--param", pin]) == 0
    out = json.loads(capsys.readouterr().out)
    (sort,) = [
        p for s in out["services"] for m in s["methods"] for p in m["parameters"]
        if p["name"] == "sort"
    ]  # fmt: skip
    assert (sort["style"], sort["explode"], sort["style_rule"]) == (
        "form", False, "override",
    )  # fmt: skip
    assert sort["rule"] == "override" and sort["wire_name"] == "sort"
    bad = "MatchesService.getMatches.sort=query:sort:matrix"
    assert main(["ir", str(tmp_path), "--param", bad]) == 2
    err = capsys.readouterr().err
    assert "--param expects SERVICE.METHOD.PARAM='path|query|header|body" in err
    assert "'MatchesService.getMatches.sort=query:sort:matrix'" in err


def test_an_index_or_empty_brackets_are_no_deep_object(tmp_path: Path) -> None:
    files = {
        "models/Query.md": model("Query", ("a", "str", "")),
        "services/ItemsService.md": "# ItemsService\n\n"
        + method(
            "getItems", "/items",
            ("data", "Query", "Read `data[0]` first; or send `data[]=1`."),
        ),  # fmt: skip
    }
    api, _ = api_of(tmp_path, files)
    assert param(api, "getItems", "data").style_rule == "object-flattened"


def test_shape_of_unions_even_circular_ones() -> None:
    from generator.infer.param_styles import shape
    from generator.ir import ListOf, Location, Primitive, Ref, Union, UnionOf

    at = Location("x.md", 1)
    a = Union("A", "A", "", (Ref("B", target="B"), Primitive("int")), at)
    b = Union("B", "B", "", (Ref("A", target="A"),), at)
    c = Union("C", "C", "", (Primitive("int"), ListOf(Primitive("str"))), at)
    by_class: dict[str, Any] = {"A": a, "B": b, "C": c}
    assert shape(Ref("A", target="A"), by_class) is None
    assert shape(Ref("C", target="C"), by_class) == "array"
    assert shape(UnionOf((Primitive("str"), Ref("C", target="C"))), by_class) == (
        "array"
    )
