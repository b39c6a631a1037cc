"""Where the API key goes (issue 21, 8): the docs' evidence, the user's
``api-key`` setting, or the default header ``X-API-Key``, listed as a guess.

Unit tests of the README and service-doc reading, the decision and its
provenance in the IR, the ``[tool.docs2py]`` key and ``--api-key`` flag with
their errors, and end-to-end: a generated client against pytest-httpserver
on 127.0.0.1 sends the key where each source put it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import generate_into, imported
from pytest_httpserver import HTTPServer

from generator import ir_json
from generator.cli.commands import main
from generator.core import generate, load
from generator.diagnostics import Diagnostics
from generator.infer.guesses import guesses
from generator.ir import AuthScheme, Location
from generator.read.parse_readme import key_places, read_readme
from generator.settings import ApiKeyPlace, Settings, parse_api_key
from generator.write.package import write_files

API_KEY_SECTION = "## Authentication\n\n### API Key Authentication\n\n"


def readme_key(body: str) -> AuthScheme:
    (scheme,) = [
        s for s in read_readme("# Shop\n\n" + body, "README.md").auth
        if s.kind == "api_key"
    ]  # fmt: skip
    return scheme


# --- reading the README ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "name"),
    [
        ("Send it in the `X-Shop-Key` request header.", "header", "X-Shop-Key"),
        ("Put the key in the header `salad-api-key`.", "header", "salad-api-key"),
        ("Use the header named 'X-Affiliate-Id' for your API key.", "header",
         "X-Affiliate-Id"),
        ("The `x-api-key` passed as a header authorizes the call.", "header",
         "x-api-key"),
        ("Pass your API key as the `apikey` query parameter.", "query", "apikey"),
        ("Search: `https://api.test/v1/things?q=x&api-key=yourkey`", "query",
         "api-key"),
    ],
)  # fmt: skip
def test_readme_names_the_place(text: str, where: str, name: str) -> None:
    scheme = readme_key(API_KEY_SECTION + "Some words.\n\n" + text + "\n")
    assert (scheme.where, scheme.name, scheme.source) == (where, name, "evidence")
    assert scheme.location == Location("README.md", 9)
    (clue,) = scheme.evidence
    assert clue.location == Location("README.md", 9)
    assert name in clue.text


def test_readme_without_a_name_leaves_the_place_undecided() -> None:
    scheme = readme_key(
        API_KEY_SECTION
        + "The API uses API keys.\n\n```py\n"
        + 'Client(api_key_header="YOUR_API_KEY_HEADER")\n```\n'
    )
    assert (scheme.name, scheme.source, scheme.evidence) == ("", "default", ())
    assert scheme.location == Location("README.md", 5)  # the section


def test_other_headers_are_not_the_key() -> None:
    # a header named in a line that does not speak of a key, or a name in code
    places = key_places(
        "The `Location` header has the new URL.\n"
        "Send `Authorization` header with the bearer token.\n"
        "A fresh `Idempotency-Key` header makes a retry safe, with your API key.\n"
        "Sort the keys of the `Accept` header.\n"
        "```\ncurl -H 'X-Api-Key' header\n```\n",
        "README.md",
    )
    assert places == []
    (place,) = key_places("Send your API key in the `Authorization` header.", "R")
    assert (place.where, place.name) == ("header", "Authorization")


def test_prose_wins_over_an_example_url_and_lines_are_counted() -> None:
    places = key_places(
        "See `https://x.test/a?api-key=yourkey`.\n\nUse the `X-Key` header.\n", "R.md"
    )
    assert [(p.where, p.name, p.line, p.clue.kind) for p in places] == [
        ("query", "api-key", 1, "example"),
        ("header", "X-Key", 3, "prose"),
    ]
    scheme = readme_key(API_KEY_SECTION + "See `https://x.test/a?api-key=yourkey`.\n\n"
                        "Use the `X-Key` header.\n")  # fmt: skip
    assert (scheme.where, scheme.name) == ("header", "X-Key")


# --- the decision ---------------------------------------------------------------

SERVICE = """\
# ItemsService

## getItem

Gets an item. This endpoint takes your API key in the `x-shop-token` header.

- HTTP Method: `GET`
- Endpoint: `/items/{itemId}`

**Parameters**

| Name   | Type   | Required | Description |
| :----- | :----- | :------- | :---------- |
| itemId | string | ✅       | The item.   |

**Return Type**

`Item`
"""
ITEM = """\
# Item

**Properties**

| Name | Type   | Required | Description |
| :--- | :----- | :------- | :---------- |
| id   | string | ✅       |             |
"""


def doc_set(
    root: Path,
    readme: str | None,
    service_text: str = SERVICE.replace(
        " This endpoint takes your API key in the `x-shop-token` header.", ""
    ),
) -> Path:
    (root / "documentation" / "services").mkdir(parents=True)
    (root / "documentation" / "models").mkdir()
    (root / "documentation" / "services" / "ItemsService.md").write_text(service_text)
    (root / "documentation" / "models" / "Item.md").write_text(ITEM)
    if readme is not None:
        (root / "README.md").write_text(
            '# Shop\n\n## Environments\n\nproduction = "https://shop.test/v1"\n\n'
            + readme
        )
    return root


def api_key_of(root: Path, settings: Settings | None = None) -> AuthScheme | None:
    api = load([root], settings or Settings(), Diagnostics())
    return next((a for a in api.auth if a.kind == "api_key"), None)


def test_default_is_a_guess_with_its_pin(tmp_path: Path) -> None:
    root = doc_set(tmp_path, API_KEY_SECTION + "The API uses API keys.\n")
    api = load([root], Settings(), Diagnostics())
    (scheme,) = api.auth
    assert (scheme.where, scheme.name, scheme.source) == (
        "header",
        "X-API-Key",
        "default",
    )
    (guess,) = [g for g in guesses(api) if g.kind == "auth"]
    assert guess.pin == ("api-key", (), "header:X-API-Key")
    assert guess.location == scheme.location
    shown = ir_json.to_json(api)["auth"][0]
    assert shown["source"] == "default" and shown["evidence"] == []
    assert shown["location"]["path"].endswith("README.md")


def test_readme_evidence_is_no_guess(tmp_path: Path) -> None:
    root = doc_set(tmp_path, API_KEY_SECTION + "Use the `X-Shop-Key` request header.\n")
    api = load([root], Settings(), Diagnostics())
    assert [g for g in guesses(api) if g.kind == "auth"] == []
    shown = ir_json.to_json(api)["auth"][0]
    assert (shown["name"], shown["source"]) == ("X-Shop-Key", "evidence")
    assert shown["location"]["line"] == 11
    assert shown["evidence"][0]["text"] == "`X-Shop-Key` request header"


def test_a_service_doc_names_the_header(tmp_path: Path) -> None:
    root = doc_set(tmp_path, API_KEY_SECTION + "The API uses API keys.\n", SERVICE)
    scheme = api_key_of(root)
    assert scheme is not None
    assert (scheme.where, scheme.name, scheme.source) == (
        "header",
        "x-shop-token",
        "evidence",
    )
    assert scheme.location is not None
    assert scheme.location.path.endswith("ItemsService.md")
    assert scheme.location.line == 3  # the method's heading


def test_a_service_doc_adds_the_scheme_when_the_readme_has_none(tmp_path: Path) -> None:
    root = doc_set(tmp_path, None, SERVICE)
    scheme = api_key_of(root)
    assert scheme is not None and scheme.name == "x-shop-token"


def test_the_setting_wins_and_adds_the_scheme(tmp_path: Path) -> None:
    root = doc_set(tmp_path, API_KEY_SECTION + "Use the `X-Shop-Key` request header.\n")
    pinned = Settings(api_key=ApiKeyPlace("query", "key"))
    scheme = api_key_of(root, pinned)
    assert scheme is not None
    assert (scheme.where, scheme.name, scheme.source, scheme.evidence) == (
        "query",
        "key",
        "setting",
        (),
    )
    bare = doc_set(tmp_path / "bare", None)
    assert api_key_of(bare) is None  # the docs say nothing of a key
    scheme = api_key_of(bare, Settings(api_key=ApiKeyPlace("header", "salad-api-key")))
    assert scheme is not None and (scheme.name, scheme.source) == (
        "salad-api-key",
        "setting",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("header:X-Key", ApiKeyPlace("header", "X-Key")),
        ("query:api-key", ApiKeyPlace("query", "api-key")),
        ("header:salad-api-key", ApiKeyPlace("header", "salad-api-key")),
        ("header:", None),
        ("header:bad name", None),
        ("header:a:b", None),
        ("query:a&b", None),
        ("cookie:k", None),
        ("X-Key", None),
    ],
)
def test_parse_api_key(value: str, expected: ApiKeyPlace | None) -> None:
    assert parse_api_key(value) == expected


# --- [tool.docs2py] and --api-key --------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCS2PY_CACHE_DIR", str(tmp_path / "cache"))


def test_config_key_pins_the_client_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = doc_set(tmp_path, API_KEY_SECTION + "The API uses API keys.\n")
    (root / "pyproject.toml").write_text(
        '[tool.docs2py]\nspecs = ["."]\nout = "shop"\n'
        'api-key = "header:Salad-Api-Key"\n'
    )
    monkeypatch.chdir(root)
    assert main(["generate"]) == 0, capsys.readouterr().err
    assert 'api_key_name = "Salad-Api-Key"' in (root / "shop" / "client.py").read_text()
    assert main(["generate", "--api-key", "query:token"]) == 0
    client = (root / "shop" / "client.py").read_text()
    assert 'api_key_name = "token"' in client and 'api_key_in = "query"' in client


@pytest.mark.parametrize(
    "value", ['"header:two words"', '"cookie:k"', "42", '"header"']
)
def test_bad_config_value_names_the_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    value: str,
) -> None:
    root = doc_set(tmp_path, None)
    path = root / "pyproject.toml"
    path.write_text(
        f'[tool.docs2py]\nspecs = ["."]\nout = "shop"\n\napi-key = {value}\n'
    )
    monkeypatch.chdir(root)
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert (
        f"{path.as_posix()}:5: error: 'api-key' must be 'header:NAME or query:NAME'"
    ) in err
    assert "[config]" in err and not (root / "shop").exists()


def test_bad_flag_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = doc_set(tmp_path, None)
    assert main(["ir", str(root), "--api-key", "header:a b"]) == 2
    err = capsys.readouterr().err
    assert "--api-key expects header:NAME or query:NAME, got 'header:a b'" in err


# --- end to end: the generated client on 127.0.0.1 ---------------------------------


CASES = {
    "readme": (API_KEY_SECTION + "Use the `X-Shop-Key` request header.\n", False,
               None, ("header", "X-Shop-Key")),
    "service-doc": (API_KEY_SECTION + "Keys.\n", True, None,
                    ("header", "x-shop-token")),
    "setting": (API_KEY_SECTION + "Keys.\n", False,
                ApiKeyPlace("header", "salad-api-key"), ("header", "salad-api-key")),
    "setting-query": (API_KEY_SECTION + "Use the `X-Shop-Key` request header.\n", False,
                      ApiKeyPlace("query", "key"), ("query", "key")),
    "default": (API_KEY_SECTION + "Keys.\n", False, None, ("header", "X-API-Key")),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_client_sends_the_key_there(
    tmp_path: Path, httpserver: HTTPServer, case: str
) -> None:
    readme, in_service, pinned, (where, name) = CASES[case]
    service = (
        SERVICE
        if in_service
        else SERVICE.replace(
            " This endpoint takes your API key in the `x-shop-token` header.", ""
        )
    )
    root = doc_set(tmp_path / "docs", readme, service)
    result = generate([root], Settings(api_key=pinned), package="keyshop")
    assert not result.diagnostics.has_errors
    write_files(tmp_path / "out" / "keyshop", result.files)
    httpserver.expect_request("/v1/items/i1").respond_with_json({"id": "i1"})
    with (
        imported(tmp_path / "out", "keyshop") as module,
        module.Client(httpserver.url_for("/v1"), api_key="k-1") as client,
    ):
        assert client.items.get_item("i1").id == "i1"
    ((request, _),) = httpserver.log
    if where == "header":
        assert request.headers[name] == "k-1"
        assert request.args == {}
    else:
        assert request.args[name] == "k-1"
        assert (
            "X-API-Key" not in request.headers and "X-Shop-Key" not in request.headers
        )


def test_generate_into_uses_the_readme(tmp_path: Path, httpserver: HTTPServer) -> None:
    # the same through conftest's helper (no settings): the README decides
    root = doc_set(tmp_path / "d", API_KEY_SECTION + "Use the header `x-affiliate-id` "
                   "for your API key.\n")  # fmt: skip
    out = generate_into(tmp_path / "o", root, "affshop")
    httpserver.expect_request("/v1/items/i2").respond_with_json({"id": "i2"})
    with (
        imported(out, "affshop") as module,
        module.Client(httpserver.url_for("/v1"), api_key="aff-7") as client,
    ):
        client.items.get_item("i2")
    ((request, _),) = httpserver.log
    assert request.headers["x-affiliate-id"] == "aff-7"
    assert "X-API-Key" not in request.headers
