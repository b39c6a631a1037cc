"""Structured parameters through generated clients, against a real server.

Two small APIs are written here: ``leagues`` documents bracketed filter
names (``filter[winner_type]=Team``), so its object query parameters are
``deepObject``; ``hotels`` does not, so its objects are flattened into their
own keys.  Every request goes to pytest-httpserver on 127.0.0.1 through
``Client`` and ``AsyncClient``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import imported, with_client
from pytest_httpserver import HTTPServer
from werkzeug import Request

from generator.core import generate
from generator.settings import ParamOverride, Settings, StyleOverride, WireKeyStyle
from generator.write.package import write_files

HEADER = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"
Run = Callable[[Callable[[Any], Any]], Any]
AS_WRITTEN = WireKeyStyle.AS_WRITTEN
"""Keys and names as the docs write them (the rules for those are elsewhere)."""


def _model(name: str, *rows: str) -> str:
    return f"# {name}\n\n**Properties**\n\n{HEADER}" + "".join(
        f"| {r} |\n" for r in rows
    )


def _method(name: str, verb: str, path: str, *rows: str) -> str:
    table = "".join(f"| {r} |\n" for r in rows)
    return (
        f"## {name}\n\n- HTTP Method: `{verb}`\n- Endpoint: `{path}`\n\n"
        f"**Parameters**\n\n{HEADER}{table}\n**Return Type**\n\n`any`\n\n"
    )


LEAGUES = {
    "models/Opponent.md": _model("Opponent", "id | int | ✅ |", "kind | Kind | ❌ |"),
    "models/Kind.md": "# Kind\n\n**Properties**\n\n| Name | Type | Required | "
    "Description |\n| :--- | :--- | :--- | :--- |\n| TEAM | str | ✅ | \"team\" |\n",
    "models/MatchFilter.md": _model(
        "MatchFilter",
        "id | List[int] | ❌ |",
        "winner_type | str | ❌ | Use `filter[winner_type]=Team` for teams.",
        "finished | bool | ❌ |",
        "opponent | Opponent | ❌ |",
    ),
    "models/MatchRange.md": _model("MatchRange", "begin_at | List[str] | ❌ |"),
    "services/MatchesService.md": "# MatchesService\n\n"
    + _method(
        "getMatches", "GET", "/matches",
        "filter | MatchFilter | ❌ | Options to filter results.",
        "range | MatchRange | ❌ | Ranges.",
        "sort | List[str] | ❌ | Sort by these.",
        "ids | List[int] | ❌ | A comma-separated list of ids.",
        "X-Tags | List[str] | ❌ | Tags, sent as a header.",
    )
    + _method(
        "getCards", "GET", "/cards/{cardId}",
        "cardId | List[str] | ✅ | A card id, or a comma separated list of ids.",
    ),  # fmt: skip
}

HOTELS = {
    "models/Room.md": _model("Room", "adults | int | ✅ |"),
    "models/BlockInput.md": _model(
        "BlockInput",
        "hotel_ids | List[int] | ✅ |",
        "checkin | str | ✅ |",
        "room | Room | ❌ |",
        "extras | List[Room] | ❌ |",
    ),
    "models/SearchParams.md": _model(
        "GetHotelsRequestParams", "city | str | ❌ |", "stars | List[int] | ❌ |",
        "near | Room | ❌ |",
    ),  # fmt: skip
    "models/Note.md": _model(
        "Note", "text | str | ✅ |", "tags | List[str] | ❌ |", "room | Room | ❌ |",
        "rooms | List[Room] | ❌ |",
    ),  # fmt: skip
    "services/HotelsService.md": "# HotelsService\n\n"
    + _method("getBlocks", "GET", "/blocks", "block_input | BlockInput | ✅ |")
    + _method(
        "getHotels", "GET", "/hotels",
        "params | GetHotelsRequestParams | ❌ |",
    )
    + _method("postNote", "POST", "/notes", "body | Note | ✅ | The request body."),
}  # fmt: skip


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "documentation" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root / "documentation"


def _generate(root: Path, specs: Path, package: str, settings: Settings) -> Path:
    result = generate([specs], settings, package=package)
    assert not result.diagnostics.has_errors, result.diagnostics.items
    write_files(root / "out" / package, result.files)
    return root / "out"


@pytest.fixture(scope="module")
def leagues(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("leagues")
    out = _generate(root, _write(root, LEAGUES), "leagues", Settings(AS_WRITTEN))
    with imported(out, "leagues") as module:
        yield module


@pytest.fixture(scope="module")
def hotels(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("hotels")
    form = {"HotelsService.postNote": "form"}
    settings = Settings(AS_WRITTEN, body_overrides=form)
    out = _generate(root, _write(root, HOTELS), "hotels", settings)
    with imported(out, "hotels") as module:
        yield module


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def runner(pkg: Any, mode: str, server: HTTPServer) -> Run:
    def go(action: Callable[[Any], Any]) -> Any:
        kwargs = {"base_url": server.url_for(""), "token": "t"}
        return with_client(pkg, mode, action, kwargs)

    return go


def sent(server: HTTPServer) -> Request:
    (request, _), *_ = server.log
    return request


def query_of(request: Request) -> list[tuple[str, str]]:
    return list(request.args.items(multi=True))


def test_deep_objects_arrays_and_headers(
    leagues: Any, mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/matches").respond_with_json([])
    m = leagues
    match_filter = m.MatchFilter(
        id=[3, 3], winner_type="Team", finished=True,
        opponent=m.Opponent(id=5, kind=m.Kind.TEAM),
    )  # fmt: skip
    runner(m, mode, httpserver)(
        lambda c: c.matches.get_matches(
            filter=match_filter, range=m.MatchRange(begin_at=["2024", "2025"]),
            sort=["name", "-id"], ids=[1, 2], x_tags=["a", "b"],
        )
    )  # fmt: skip
    request = sent(httpserver)
    assert query_of(request) == [
        ("filter[id]", "3,3"),
        ("filter[winner_type]", "Team"),
        ("filter[finished]", "true"),
        ("filter[opponent][id]", "5"),
        ("filter[opponent][kind]", "team"),
        ("range[begin_at]", "2024,2025"),
        ("sort", "name"),
        ("sort", "-id"),
        ("ids", "1,2"),
    ]
    assert request.headers["X-Tags"] == "a,b"


def test_a_path_array_is_comma_joined(
    leagues: Any, mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/cards/card-id,card/1").respond_with_json({})
    runner(leagues, mode, httpserver)(
        lambda c: c.matches.get_cards(["card-id", "card/1"])
    )
    request = sent(httpserver)
    raw = request.environ.get("RAW_URI") or request.environ["REQUEST_URI"]
    assert raw == "/cards/card-id,card%2F1"


def test_an_object_without_brackets_is_flattened(
    hotels: Any, mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/blocks").respond_with_json({})
    h = hotels
    block = h.BlockInput(
        hotel_ids=[3, 4], checkin="2024-05-01", room=h.Room(adults=2),
        extras=[h.Room(adults=1)],
    )  # fmt: skip
    runner(h, mode, httpserver)(
        lambda c: c.hotels.get_blocks(
            block_input=block, extra_query={"debug": {"on": True}, "n": [1, 2]}
        )
    )
    assert query_of(sent(httpserver)) == [
        ("hotel_ids", "3"),
        ("hotel_ids", "4"),
        ("checkin", "2024-05-01"),
        ("room", '{"adults":2}'),
        ("extras", '{"adults":1}'),
        ("on", "true"),
        ("n", "1"),
        ("n", "2"),
    ]


def test_a_query_bundle_spreads_its_members_by_the_same_rules(
    hotels: Any, mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hotels").respond_with_json([])
    h = hotels
    bundle = h.GetHotelsRequestParams(city="Oslo", stars=[4, 5], near=h.Room(adults=1))
    runner(h, mode, httpserver)(lambda c: c.hotels.get_hotels(params=bundle))
    assert query_of(sent(httpserver)) == [
        ("city", "Oslo"),
        ("stars", "4"),
        ("stars", "5"),
        ("adults", "1"),
    ]


def test_form_bodies_hold_json_not_repr(
    hotels: Any, mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/notes", method="POST").respond_with_json({})
    h = hotels
    note = h.Note(
        text="hi", tags=["a", "b"], room=h.Room(adults=2), rooms=[h.Room(adults=1)]
    )
    runner(h, mode, httpserver)(lambda c: c.hotels.post_note(body=note))
    request = sent(httpserver)
    assert request.content_type == "application/x-www-form-urlencoded"
    assert list(request.form.items(multi=True)) == [
        ("text", "hi"),
        ("tags", "a"),
        ("tags", "b"),
        ("room", '{"adults":2}'),
        ("rooms", '{"adults":1}'),
    ]


def test_a_style_setting_changes_the_wire(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    settings = Settings(
        AS_WRITTEN,
        parameter_overrides={"*.getMatches.filter": ParamOverride("query", "f")},
        parameter_styles={
            "*.getMatches.filter": StyleOverride("form", True),
            "*.*.sort": StyleOverride("pipeDelimited", False),
        },
    )
    out = _generate(tmp_path, _write(tmp_path, LEAGUES), "pinned", settings)
    httpserver.expect_request("/matches").respond_with_json([])
    with imported(out, "pinned") as m:
        source = (out / "pinned" / "services" / "matches.py").read_text("utf-8")
        assert '"query:f": ("form", True)' in source
        assert '"query:sort": ("pipeDelimited", False)' in source
        runner(m, "sync", httpserver)(
            lambda c: c.matches.get_matches(
                filter=m.MatchFilter(id=[1], winner_type="x"), sort=["a", "b"]
            )
        )
    assert query_of(sent(httpserver)) == [
        ("id", "1"), ("winner_type", "x"), ("sort", "a|b"),
    ]  # fmt: skip
