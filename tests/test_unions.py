"""Unions whose variants are documented under the union's heading (issue 21, 7).

liblab writes a union as a heading without a table, and its variants right
under it, each followed by what is nested in it; nothing names a variant (the
union's heading stands for it).  The variant names depend on the dialect and
the generator (``Winner_1_1``, ``Winner1_1``, ``AddApiCollection_1``,
``SuccessfulMigration``), so the reader goes by what names what.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import generate_into, imported
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from generator import ir_json
from generator.diagnostics import Diagnostics
from generator.ir import Ref, Union
from generator.read.build import Builder
from generator.read.parse import FileParser
from generator.read.resolve import Resolver
from generator.read.unions import UnionVariants

HEADER = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"


def table(name: str, rows: list[tuple[str, str]], desc: str = "") -> str:
    text = f"# {name}\n\n" + (f"{desc}\n\n" if desc else "") + "**Properties**\n\n"
    text += HEADER + "".join(f"| {n} | {t} | ✅ | |\n" for n, t in rows)
    return text + "\n"


def variants_of(text: str) -> dict[str, list[str]]:
    """Each union heading of one file and its variants, as the reader finds them."""
    blocks = FileParser("m.md", Diagnostics()).parse(text)
    found = UnionVariants(blocks)
    return {
        b.name: found.variants(i)
        for i, b in enumerate(blocks)
        if b.rows is None and b.stub is None and not b.union_sentence
    }


def unions(files: dict[str, str]) -> dict[str, tuple[tuple[str | None, ...], str]]:
    """Each union of a doc set after resolving: variant targets and rule."""
    diags = Diagnostics()
    built = []
    for path, text in files.items():
        blocks = FileParser(path, diags).parse(text)
        built.append((path, Builder(path, diags).build(blocks)))
    api = Resolver(diags).resolve(built)
    return {
        u.name: (
            tuple(v.target if isinstance(v, Ref) else None for v in u.variants),
            u.rule,
        )
        for u in api.unions
    }


# pandascore (Python): Match.winner is a player or a team; the variants are
# named after the property, numbered, and numbered again to be unique.
MATCH = (
    table("Match", [("winner", "MatchWinner"), ("winner_id", "MatchWinnerId")])
    + "# MatchWinner\n\n"
    + table("Winner_1_1", [("first_name", "str"), ("id\\_", "int")])
    + table("Winner_2_1", [("acronym", "str"), ("id\\_", "int")])
    + "# MatchWinnerId\n"
)


def test_variants_named_after_the_property() -> None:
    assert variants_of(MATCH) == {
        "MatchWinner": ["Winner_1_1", "Winner_2_1"],
        "MatchWinnerId": [],  # an int or an int: its variants are not written
    }


def test_typescript_names_and_resolved_targets() -> None:
    text = MATCH.replace("Winner_1_1", "Winner1_1").replace("Winner_2_1", "Winner2_1")
    assert unions({"Match.md": text}) == {
        "MatchWinner": (("Winner11", "Winner21"), "headings"),
        "MatchWinnerId": ((), ""),
    }


def test_nested_definitions_of_a_variant_are_not_variants() -> None:
    # postman (Python): a request body that is one of three operations
    text = (
        "# AddApiCollectionRequest\n\n"
        + table("AddApiCollection_1", [("data", "AddApiCollection1Data")])
        + table("AddApiCollection_1Data", [("name", "str")])
        + table("AddApiCollection_2", [("data", "List[GitInfo]")])
        + table("GitInfo", [("url", "str")])
        + table("AddApiCollection_3", [("id\\_", "str")])
    )
    assert variants_of(text) == {
        "AddApiCollectionRequest": [
            "AddApiCollection_1",
            "AddApiCollection_2",
            "AddApiCollection_3",
        ]
    }


def test_a_sibling_named_by_the_model_ends_the_union() -> None:
    text = (
        table("Serie", [("winner", "SerieWinner"), ("winner_type", "SerieWinnerType")])
        + "# SerieWinner\n\nThe winner.\n\n"
        + table("Winner_1", [("name", "str")])
        + table("SerieWinnerType", [("name", "str")])
    )
    assert variants_of(text) == {"SerieWinner": ["Winner_1"]}


def test_union_of_unions() -> None:
    # ringcentral: GetTokenRequest_7 is itself a union of two token requests;
    # GetTokenRequest_8 is its sibling (numbered alike), not its variant.
    text = "# GetTokenRequest\n\n"
    for n in ("1", "7", "7_1", "7_2", "8"):
        if n == "7":
            text += "# GetTokenRequest_7\n\n"
            continue
        text += table(f"GetTokenRequest_{n}", [("grant_type", f"GetTokenRequest{n}G")])
        text += table(f"GetTokenRequest_{n}G", [("value", "str")])
    assert variants_of(text) == {
        "GetTokenRequest": [
            "GetTokenRequest_1",
            "GetTokenRequest_7",
            "GetTokenRequest_8",
        ],
        "GetTokenRequest_7": ["GetTokenRequest_7_1", "GetTokenRequest_7_2"],
    }


def test_titled_variants_and_enum_variants() -> None:
    # sdkGen: OpenAPI titles; ringcentral: an enum under a described union
    text = (
        "# GetMigrationStatusDetails\n\n"
        + table("SuccessfulMigration", [("workspaceId", "string")], "Information.")
        + table("MigrationFailed", [("reason", "string")], "Information.")
    )
    assert variants_of(text) == {
        "GetMigrationStatusDetails": ["SuccessfulMigration", "MigrationFailed"]
    }
    enum = (
        "# HorizontalAlignment\n\nHow the image is aligned.\n\n"
        "# HorizontalAlignment_1\n\n**Properties**\n\n"
        + HEADER
        + '| LEFT | str | ✅ | "left" |\n'
    )
    assert variants_of(enum) == {"HorizontalAlignment": ["HorizontalAlignment_1"]}


def test_opaque_headings_in_a_row_are_not_each_others_variants() -> None:
    text = "# TeamId\n\nA team ID.\n\n# TeamSlug\n\nA slug.\n\n# Other\n"
    assert variants_of(text) == {"TeamId": [], "TeamSlug": [], "Other": []}


def test_stubs_end_a_union_of_headings() -> None:
    text = (
        "# Shape\n\n"
        + table("Shape_1", [("side", "int")])
        + "# Animal\n\nThis is a union type which means it could be any of several "
        "possible types.\n\n# Dog\n\nSee all details about Dog model [here](Dog.md).\n"
    )
    assert variants_of(text) == {"Shape": ["Shape_1"]}


def test_a_model_named_elsewhere_is_not_a_variant() -> None:
    # hand-written: an opaque heading followed by models that other files and
    # the services use is not a union
    files = {
        "types.md": "# Status\n\nFree text.\n\n"
        + table("Owner", [("name", "str")])
        + table("Extra", [("note", "str")]),
        "pet.md": table("Pet", [("owner", "Owner"), ("status", "Status")]),
    }
    assert unions(files) == {"Status": (("Extra",), "headings")}
    files["pet.md"] = table("Pet", [("owner", "Owner"), ("extra", "List[Extra]")])
    assert unions(files) == {"Status": ((), "")}


def test_ir_json_says_where_the_variants_were_read() -> None:
    diags = Diagnostics()
    blocks = FileParser("m.md", diags).parse(MATCH)
    api = Resolver(diags).resolve([("m.md", Builder("m.md", diags).build(blocks))])
    shown = {d["name"]: d for d in ir_json.to_json(api)["definitions"]}
    assert shown["MatchWinner"]["rule"] == "headings"
    assert [v["target"] for v in shown["MatchWinner"]["variants"]] == [
        "Winner11",
        "Winner21",
    ]
    assert shown["MatchWinnerId"]["rule"] == ""
    json.dumps(shown)


# --- the rule, on random schemas written the way liblab writes them -------------

WORD = st.sampled_from(
    ["Alpha", "Beta", "Gamma", "Delta", "Echo", "Fox", "Golf", "Hotel", "India"]
    + ["Juliet", "Kilo", "Lima", "Mike", "Nova", "Oscar", "Papa", "Quebec"]
)


@st.composite
def schemas(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A model doc: a root model, a union property (its variants, each with
    nested models) and sibling properties, written depth first; and the
    variants' names."""
    words = draw(st.lists(WORD, min_size=12, max_size=12, unique=True))
    root, union, *pool = words
    n_variants = draw(st.integers(1, 3))
    variants = [f"{pool[k]}_{k + 1}_1" for k in range(n_variants)]
    siblings = pool[3 : 3 + draw(st.integers(0, 2))]
    nested = pool[6:9]
    rows = [("value", f"{root}{union}")] + [(s.lower(), s) for s in siblings]
    text = table(root, rows)
    text += f"# {root}{union}\n\n" + (draw(st.sampled_from(["", "Either.\n\n"])))
    for k, name in enumerate(variants):
        inner = nested[k] if draw(st.booleans()) else None
        fields = [("id\\_", "int")] + ([("part", f"List[{inner}]")] if inner else [])
        text += table(name, fields)
        if inner:
            text += table(inner, [("name", "str")])
    for sibling in siblings:
        text += table(sibling, [("code", "str")])
    return text, variants


@settings(max_examples=60, deadline=None)
@given(schemas())
def test_variants_of_depth_first_schemas(schema: tuple[str, list[str]]) -> None:
    text, expected = schema
    found = {k: v for k, v in variants_of(text).items() if v}
    assert list(found.values()) == [expected]


def test_built_union_has_rule_and_refs() -> None:
    diags = Diagnostics()
    blocks = FileParser("m.md", diags).parse(textwrap.dedent(MATCH))
    built = Builder("m.md", diags).build(blocks)
    (winner,) = [d for d in built if isinstance(d, Union) and d.variants]
    assert winner.variants == (
        Ref("Winner_1_1", ("Winner_1_1",)),
        Ref("Winner_2_1", ("Winner_2_1",)),
    )
    assert winner.rule == "headings"


# --- end to end: a generated client on 127.0.0.1 decodes the variants -----------

MATCHES_SERVICE = """\
# MatchesService

## getMatch

- HTTP Method: `GET`
- Endpoint: `/matches/{matchId}`

**Parameters**

| Name    | Type | Required | Description |
| :------ | :--- | :------- | :---------- |
| matchId | str  | ✅       | The match.  |

**Return Type**

`Match`

## getWinner

- HTTP Method: `GET`
- Endpoint: `/matches/{matchId}/winner`

**Parameters**

| Name    | Type | Required | Description |
| :------ | :--- | :------- | :---------- |
| matchId | str  | ✅       | The match.  |

**Return Type**

`MatchWinner`
"""


def test_client_decodes_documented_variants(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    docs = tmp_path / "docs"
    (docs / "models").mkdir(parents=True)
    (docs / "services").mkdir()
    (docs / "models" / "Match.md").write_text(MATCH)
    (docs / "services" / "MatchesService.md").write_text(MATCHES_SERVICE)
    out = generate_into(tmp_path / "out", docs, "esports")
    with imported(out, "esports") as pkg:
        # the JSON as the API sends it (keys as docs2py decided them)
        team = pkg.Winner21(acronym="T1", id=1).to_dict()
        player = pkg.Winner11(first_name="Faker", id=7).to_dict()
        match = pkg.Match(winner=pkg.Winner21(acronym="T1", id=1), winner_id=1)
        assert match.to_dict()["winner"] == team
        httpserver.expect_request("/v1/matches/3").respond_with_json(match.to_dict())
        httpserver.expect_request("/v1/matches/4/winner").respond_with_json(player)
        with pkg.Client(httpserver.url_for("/v1")) as client:
            got = client.matches.get_match("3")
            winner = client.matches.get_winner("4")
    assert type(got.winner).__name__ == "Winner21"
    assert (got.winner.acronym, got.winner.id, got.winner_id) == ("T1", 1, 1)
    assert got == match
    assert type(winner).__name__ == "Winner11" and winner.first_name == "Faker"
    assert [r.path for r, _ in httpserver.log] == [
        "/v1/matches/3",
        "/v1/matches/4/winner",
    ]
