"""Hostile spec text, round 2 (issue 22, generation): each class as a rule.

* an endpoint is a path from the client's base URL: anything else is an error
  at the method's line, and every accepted endpoint keeps the base URL's
  origin whatever the path values (a property test);
* an ``HTTP Method`` line without an HTTP verb is an error, not a dropped
  method; braces outside placeholders, two parameters for one placeholder and
  an OAuth token endpoint with placeholders never reach the wire silently;
* names: services named like client members and renamed parameters get a
  note; a parameter may be named like any builtin (``globals``, ``type``…) and
  the generated method still works;
* headers: names are RFC 9110 tokens and enum values sent in headers are
  printable ASCII, from the docs, ``--param`` or ``parameters``;
* paging: a ``page`` filter survives cursor paging, a page size typed as a
  string works (and type-checks), ``max_pages`` bounds, a repeated page ends;
* deep types (``X[][]…``) are errors at the spec line.
"""

from __future__ import annotations

import builtins
import json
import keyword
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import imported
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli.commands import main
from generator.core import Result, generate
from generator.diagnostics import Level
from generator.names import attribute_name
from generator.read.parse_service import VERBS, endpoint_problem
from generator.read.resolve import CLIENT_ATTRIBUTES
from generator.runtime import _http as runtime_http
from generator.runtime._request import path_segment
from generator.write.package import write_files

HEADER = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"
BASE = "https://api.example.test/v1"


def rows(*cells: tuple[str, str, str, str]) -> str:
    return HEADER + "".join(f"| {n} | {t} | {r} | {d} |\n" for n, t, r, d in cells)


def method(
    name: str,
    endpoint: str,
    *params: tuple[str, str, str, str],
    verb: str = "GET",
    returns: str | None = None,
) -> str:
    text = f"## {name}\n\n- HTTP Method: `{verb}`\n- Endpoint: `{endpoint}`\n\n"
    if params:
        text += "**Parameters**\n\n" + rows(*params) + "\n"
    if returns:
        text += f"**Return Type**\n\n`{returns}`\n\n"
    return text


def write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return folder


def build(tmp_path: Path, files: dict[str, str], **kwargs: Any) -> Result:
    return generate([write(tmp_path / "specs", files)], package="hostile", **kwargs)


def found(result: Result, level: Level = Level.ERROR) -> list[str]:
    return [d.format() for d in result.diagnostics.items if d.level is level]


# --- 1. endpoints ------------------------------------------------------------

HOSTILE_ENDPOINTS = [
    "@evil.example/steal",
    ".evil.example/x",
    ":8443/x",
    "//evil.example/x",
    "///evil.example/x",
    "\\\\evil.example\\x",
    "/\\evil.example/x",
    "/x\\..\\..\\y",
    "https://evil.example/x",
    "HTTPS://evil.example/x",
    "javascript:alert(1)",
    "evil.example/x",
    "{host}/x",
    "%2F%2Fevil.example/x",
    "?x=1",
    "#x",
    "／evil.example",  # a full-width solidus is no '/'
    "/x#fragment",
    "/x/{{double}}",
    "/x/{}",
    "/x/{a}}",
    "/x/{{a}",
    "/x/}",
]


@pytest.mark.parametrize("endpoint", HOSTILE_ENDPOINTS)
def test_an_endpoint_that_is_not_a_path_is_an_error_at_the_method(
    tmp_path: Path, endpoint: str
) -> None:
    doc = "# Evil\n\n" + method("steal", endpoint, ("a", "string", "✅", "A."))
    result = build(tmp_path, {"services/Evil.md": doc})
    assert not result.files
    errors = found(result)
    assert any(
        e.startswith(f"{tmp_path.as_posix()}/specs/services/Evil.md:3: error: method "
                     f"'steal': the endpoint {endpoint!r} ")
        and e.endswith("[bad-endpoint]")
        for e in errors
    ), errors  # fmt: skip


@pytest.mark.parametrize(
    "endpoint", ["/", "/x/{a}", "/users/@me", "/v1/files:upload", "/a/{a}/b?x=1"]
)
def test_paths_the_rule_accepts(endpoint: str) -> None:
    assert endpoint_problem(endpoint) is None


_URL_TEXT = st.lists(
    st.sampled_from(list("/\\@:.#?%{}ab1 -_~[]") + ["//", "..", "%2F", "\u3000"]),
    max_size=12,
).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(endpoint=_URL_TEXT, value=st.text(max_size=8))
def test_every_accepted_endpoint_keeps_the_base_urls_origin(
    endpoint: str, value: str
) -> None:
    """The rule as a property: what the client builds (``base_url + path``,
    placeholders filled with percent-encoded values) stays on the base URL's
    scheme, host and port, for any path value."""
    if endpoint_problem(endpoint) is not None:
        return
    path = endpoint
    for name in [p[1:-1] for p in re.findall(r"\{[^{}]+\}", path)]:
        path = path.replace("{" + name + "}", path_segment(value))
    url = httpx.URL(BASE + path)
    base = httpx.URL(BASE)
    assert (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port)


# --- 4. verbs, braces, placeholders ---------------------------------------------


@pytest.mark.parametrize("verb", ["FETCH", "G-E-T", "", "GET POST", "get;"])
def test_a_method_without_an_http_verb_is_an_error_not_dropped(
    tmp_path: Path, verb: str
) -> None:
    doc = (
        "# Pets\n\n"
        + method("first", "/a", verb=verb)
        + method("second", "/b", ("c", "string", "✅", "C."))
    )
    result = build(tmp_path, {"services/Pets.md": doc})
    errors = found(result)
    assert errors == [
        f"{tmp_path.as_posix()}/specs/services/Pets.md:5: error: method 'first': "
        f"{verb!r} is not an HTTP method (one of {', '.join(VERBS)}) "
        "[bad-http-method]"
    ]
    (service,) = result.api.services
    assert [m.name for m in service.methods] == ["first", "second"]


@pytest.mark.parametrize("verb", [*VERBS, "get", "Patch"])
def test_every_http_verb_is_read(tmp_path: Path, verb: str) -> None:
    result = build(tmp_path, {"services/S.md": "# S\n\n" + method("m", "/", verb=verb)})
    assert not found(result)
    assert result.api.services[0].methods[0].http_method == verb.upper()


def test_two_parameters_for_one_placeholder_are_an_error(tmp_path: Path) -> None:
    doc = "# S\n\n" + method(
        "m", "/x/{id}", ("id", "string", "✅", "A."), ("Id", "string", "✅", "B.")
    )
    result = build(tmp_path, {"services/S.md": doc})
    (error,) = found(result)
    assert "parameters 'id' and 'Id' are both sent as path 'id'" in error
    assert "S.md:13: error:" in error


def test_an_oauth_token_endpoint_with_placeholders_is_not_the_token_url(
    tmp_path: Path,
) -> None:
    token = (
        "# Token\n\n"
        + "**Properties**\n\n"
        + rows(("grant_type", "string", "✅", ""), ("client_id", "string", "✅", ""))
    )
    doc = "# Auth\n\n" + method(
        "getToken",
        "/{tenant}/oauth2/token",
        ("tenant", "string", "✅", "The tenant."),
        ("body", "[Token](../models/Token.md)", "✅", "The request body."),
        verb="POST",
    )
    readme = "# API\n\n## Authentication\n\n### OAuth Authentication\n\nUse it.\n"
    files = {"services/Auth.md": doc, "models/Token.md": token, "README.md": readme}
    result = build(tmp_path, files)
    (warning,) = [w for w in found(result, Level.WARNING) if "[token-url]" in w]
    assert "Auth.md:3: warning: the OAuth token endpoint '/{tenant}/oauth2/token'" in (
        warning
    )
    (oauth,) = result.api.auth
    assert oauth.token_url == ""
    assert "token_url = " not in result.files["client.py"]


def test_a_readme_url_with_placeholders_is_no_base_url(tmp_path: Path) -> None:
    readme = (
        "# API\n\n## Environments\n\n"
        'production = "https://{region}.api.example.test"\n'
        'sandbox = "https://sandbox.example.test"\n'
    )
    doc = "# S\n\n" + method("m", "/x")
    result = build(tmp_path, {"README.md": readme, "services/S.md": doc})
    warnings = [w for w in found(result, Level.WARNING) if "[base-url]" in w]
    assert warnings == [
        f"{tmp_path.as_posix()}/specs/README.md:5: warning: the URL "
        "'https://{region}.api.example.test' has placeholders the client cannot "
        "fill: it is not a default base URL or an environment (pass base_url=) "
        "[base-url]"
    ]
    assert result.api.base_url == "https://sandbox.example.test"
    assert [e.name for e in result.api.environments] == ["sandbox"]


# --- 4. names --------------------------------------------------------------------


def test_the_list_of_client_members_is_complete() -> None:
    """Every public member of the runtime's clients is reserved (a service
    named like one would replace it): the list must grow with the runtime."""
    members = {
        name
        for cls in (runtime_http.SyncHttp, runtime_http.AsyncHttp)
        for name in dir(cls)
        if not name.startswith("_")
    }
    assert members <= CLIENT_ATTRIBUTES, sorted(members - CLIENT_ATTRIBUTES)


def test_services_named_like_client_members_are_renamed_with_a_note(
    tmp_path: Path,
) -> None:
    names = ["Stream", "WithOptions", "Close", "Request", "TokenUrl", "EnvPrefix"]
    files = {
        f"services/{n}.md": f"# {n}Service\n\n" + method("ping", f"/{n.lower()}")
        for n in names
    }
    result = build(tmp_path, files)
    assert not found(result)
    notes = found(result, Level.NOTE)
    for name in names:
        attr = attribute_name(name)
        assert any(
            f"service '{name}Service' is client.{attr}_2: '{attr}' is a member "
            "of the client [renamed]" in n
            for n in notes
        ), notes
    client = result.files["client.py"]
    assert "    stream_2: " in client and "\n    stream: " not in client


def _builtin_names() -> list[str]:
    reserved = {"self", "str", "int", "float", "bool", "bytes", "list", "dict"}
    reserved |= {"object", "cls"}
    return sorted(
        n
        for n in dir(builtins)
        if n.isidentifier()
        and not n.startswith("_")
        and not keyword.iskeyword(n)
        and n.islower()
        and n not in reserved
        and n != "input"  # a body's name (docs/services.md, rule 5)
    )


def _builtin_service(names: list[str]) -> tuple[str, str]:
    params = [("cursor", "string", "❌", "The cursor."), ("page", "string", "❌", "")]
    params += [(n, "string", "❌", f"The {n}.") for n in names]
    page = "# Page\n\n**Properties**\n\n" + rows(
        ("data", "string[]", "✅", ""), ("nextCursor", "string", "❌", "")
    )
    doc = "# Things\n\n" + method("listThings", "/things", *params, returns="Page")
    doc += method("getThing", "/things/{type}", ("type", "string", "✅", "T."))
    return doc, page


def test_parameters_named_like_builtins_work(tmp_path: Path) -> None:
    """No parameter is renamed for a builtin, and none breaks the method:
    generated bodies reach nothing a parameter can shadow (``globals()`` was
    one), and cursor paging keeps a ``page`` filter."""
    names = _builtin_names()
    assert {"globals", "type", "id", "filter", "format", "range"} <= set(names)
    doc, page = _builtin_service(names)
    result = build(tmp_path, {"services/Things.md": doc, "models/Page.md": page})
    assert not found(result), found(result)
    (service,) = result.api.services
    listing = service.methods[0]
    assert [p.python_name for p in listing.parameters[2:]] == names
    assert listing.paging is not None and listing.paging.style == "cursor"
    write_files(tmp_path / "out" / "hostile", result.files)
    seen: list[httpx.URL] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        cursor = request.url.params.get("cursor")
        body = {"data": ["a", "b"], "nextCursor": "c2"} if cursor is None else {
            "data": ["c"]
        }  # fmt: skip
        return httpx.Response(200, json=body)

    with imported(tmp_path / "out", "hostile") as pkg:
        transport = httpx.MockTransport(server)
        with pkg.Client(base_url=BASE, transport=transport) as client:
            values = {n: f"v-{n}" for n in names}
            assert client.things.list_things(**values).data == ["a", "b"]
            items = list(client.things.iter_things(page="5", globals="g", type="t"))
    assert items == ["a", "b", "c"]
    assert seen[0].params["globals"] == "v-globals"
    assert [u.params.get("page") for u in seen[1:]] == ["5", "5"]
    assert [u.params.get("cursor") for u in seen[1:]] == [None, "c2"]


# --- 5. headers ------------------------------------------------------------------


def test_a_header_name_that_is_no_token_is_an_error(tmp_path: Path) -> None:
    doc = "# S\n\n" + method(
        "m", "/x", ("my key", "string", "✅", "The API header, sent as is.")
    )
    result = build(tmp_path, {"services/S.md": doc})
    (error,) = found(result)
    assert "S.md:12: error: method 'm': parameter 'my key' is sent as header" in error
    assert "'my key'" in error and "RFC 9110" in error and "[bad-header]" in error


@pytest.mark.parametrize("value", ["application/json\r\nX-Evil: 1", "tëxt/plain"])
def test_an_enum_value_sent_in_a_header_is_printable_ascii(
    tmp_path: Path, value: str
) -> None:
    cell = json.dumps(value, ensure_ascii=False)
    accept = "# Accept\n\n**Properties**\n\n" + rows(("A", "string", "✅", cell))
    ref = "[Accept](../models/Accept.md)"
    doc = "# S\n\n" + method("m", "/x", ("accept", ref, "✅", "The format."))
    result = build(tmp_path, {"services/S.md": doc, "models/Accept.md": accept})
    (error,) = found(result)
    assert error.startswith(f"{tmp_path.as_posix()}/specs/models/Accept.md:7: error: ")
    assert f" = {value!r} is not printable ASCII" in error
    assert "it is sent in header 'Accept' (parameter 'accept' at " in error


def test_a_header_override_that_is_no_token_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = write(tmp_path / "specs", {"services/S.md": "# S\n\n" + method(
        "m", "/x", ("a", "string", "✅", "A."))})  # fmt: skip
    code = main(
        ["generate", str(specs), "--out", str(tmp_path / "pkg"), "--no-cache",
         "--param", "S.m.a=header:Bad Name"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "--param 'S.m.a=header:Bad Name': the header name 'Bad Name' is not" in err


# --- 6. paging -------------------------------------------------------------------


def _paged(size_type: str) -> dict[str, str]:
    doc = "# Items\n\n" + method(
        "listItems",
        "/items",
        ("page", "number", "❌", "The page."),
        ("limit", size_type, "❌", "How many per page."),
        returns="Item[]",
    )
    item = "# Item\n\n**Properties**\n\n" + rows(("id", "string", "✅", ""))
    return {"services/Items.md": doc, "models/Item.md": item}


@pytest.fixture(scope="module")
def string_sized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A package whose page size is typed as a string (TorBox's JS docs)."""
    root = tmp_path_factory.mktemp("string-size")
    result = build(root, _paged("string"))
    assert not found(result)
    paging = result.api.services[0].methods[0].paging
    assert paging is not None and paging.size == "limit"
    assert any("typed as a string: read as a number" in e for e in paging.evidence)
    write_files(root / "out" / "sized", result.files)
    return root / "out"


def test_a_string_page_size_type_checks(string_sized: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path),
         "-p", "sized"],
        capture_output=True, text=True, cwd=string_sized, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout


def _pages(pkg: Any, limit: str | None, pages: list[list[int]], **kw: Any) -> Any:
    """The ids ``iter_items`` yields and how many pages it asked for, from a
    server whose page ``n`` is ``pages[n - 1]`` (the last one from then on)."""
    asked: list[httpx.URL] = []

    def server(request: httpx.Request) -> httpx.Response:
        asked.append(request.url)
        n = min(int(request.url.params["page"]), len(pages))
        return httpx.Response(200, json=[{"id": str(i)} for i in pages[n - 1]])

    transport = httpx.MockTransport(server)
    with pkg.Client(base_url=BASE, transport=transport) as client:
        ids = [item.id for item in client.items.iter_items(limit=limit, **kw)]
    return ids, len(asked)


def test_a_string_page_size_ends_on_a_short_page(string_sized: Path) -> None:
    with imported(string_sized, "sized") as pkg:
        assert _pages(pkg, "2", [[1, 2], [3, 4], [5]]) == (list("12345"), 3)
        # no number: no size; the empty page ends it
        assert _pages(pkg, "all", [[1, 2], [3], []]) == (list("123"), 3)


def test_max_pages_and_a_repeated_page_end_the_iteration(string_sized: Path) -> None:
    with imported(string_sized, "sized") as pkg:
        full = [[1, 2], [3, 4], [5, 6], [7, 8]]
        assert _pages(pkg, "2", full, max_pages=2) == (list("1234"), 2)
        assert _pages(pkg, None, full, max_pages=0) == ([], 0)
        # a server that ignores the page number: the same page again ends it
        assert _pages(pkg, "2", [[1, 2]]) == (list("12"), 2)


# --- 9. deep types ---------------------------------------------------------------


@pytest.mark.parametrize("depth", [40, 400, 4000])
def test_deep_suffix_arrays_are_an_error_at_the_spec_line(
    tmp_path: Path, depth: int
) -> None:
    cell = "string" + "[]" * depth
    doc = "# S\n\n" + method("m", "/x", ("q", cell, "❌", "Q."), returns=cell)
    result = build(tmp_path, {"services/S.md": doc})
    errors = found(result)
    assert errors and all("type nested too deeply" in e for e in errors), errors
    assert all("/specs/services/S.md:" in e for e in errors)
    assert not any(".jinja" in e for e in errors)
