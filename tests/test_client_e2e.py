"""End-to-end tests of a generated HTTP client against a real local server.

The package ``thingsapi`` is generated once per module from the fictional doc
set in tests/fixtures/client_api/ (two services, every parameter location,
every kind of return type) and imported from a temporary folder.  Every test
then talks HTTP to a pytest-httpserver instance on 127.0.0.1, through both
``Client`` and ``AsyncClient`` (the async runs use ``asyncio.run``).

Covered: where each parameter travels (path, query, headers, JSON body), what
each return type decodes to, raw responses, authentication, the default base
URL, error classes, retries (Retry-After, backoff, non-idempotent methods),
timeouts, refused connections, bad JSON, credential hygiene, the generic
``request()`` and ``mypy --strict`` on the generated code.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import generate_into, imported, with_client
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "client_api"
PACKAGE = "thingsapi"
DEFAULT_BASE_URL = "https://api.example.test/v1"

THING = {"id": "t-1", "name": "Lamp", "status": "active", "tags": ["a"]}
THING2 = {"id": "t-2", "name": "Desk", "status": "archived", "weightKg": 12.5}
ANY_PATH = re.compile(r"/.*")
_SSL = httpx.create_ssl_context()


# --- the generated package ------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the generated ``thingsapi`` package."""
    return generate_into(tmp_path_factory.mktemp("client_e2e"), FIXTURE, PACKAGE)


@pytest.fixture(scope="module")
def pkg(generated: Path) -> Iterator[Any]:
    with imported(generated, PACKAGE) as module:
        yield module


@pytest.fixture(scope="module")
def errors(pkg: Any) -> Any:
    return importlib.import_module(PACKAGE + ".errors")


# --- the server -------------------------------------------------------------------


@pytest.fixture(scope="module")
def _server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


@pytest.fixture
def httpserver(_server: HTTPServer) -> Iterator[HTTPServer]:
    """pytest-httpserver, bound to 127.0.0.1 and checked after each test."""
    _server.clear()
    yield _server
    try:
        _server.check_assertions()
    finally:
        _server.clear()


@pytest.fixture
def base(httpserver: HTTPServer) -> str:
    """The client's base URL: the server with a path prefix, as real APIs have."""
    return httpserver.url_for("/v1")


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- running the same scenario through Client and AsyncClient ---------------------

Run = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def run(pkg: Any, mode: str, base: str) -> Run:
    """``run(action, **client_kwargs)``: ``action(client)`` with a fresh client.

    ``action`` is written once: with ``AsyncClient`` it returns a coroutine,
    which is awaited inside ``asyncio.run``.  Exceptions propagate.
    """

    def go(action: Callable[[Any], Any], **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", base)
        # A transport sharing one SSL context: building one per client costs
        # ~60 ms, and the tests that pass no transport cover the default.
        if mode == "sync":
            kwargs.setdefault("transport", httpx.HTTPTransport(verify=_SSL))
        else:
            kwargs.setdefault("transport", httpx.AsyncHTTPTransport(verify=_SSL))
        return with_client(pkg, mode, action, kwargs)

    return go


def only_request(server: HTTPServer) -> Request:
    assert len(server.log) == 1, [r.url for r, _ in server.log]
    return server.log[0][0]


def raw_uri(request: Request) -> str:
    """The request target exactly as sent (not percent-decoded)."""
    return str(request.environ["RAW_URI"])


def wait_for_log(server: HTTPServer, count: int, seconds: float = 3.0) -> None:
    """Wait until a handler still running has finished (so ``clear()`` is safe)."""
    deadline = time.monotonic() + seconds
    while len(server.log) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def counting(responses: list[Response]) -> Callable[[Request], Response]:
    """A handler answering with ``responses`` in turn (the last one repeats)."""
    lock = threading.Lock()
    calls = [0]

    def handler(request: Request) -> Response:
        with lock:
            n = calls[0]
            calls[0] += 1
        return responses[min(n, len(responses) - 1)]

    return handler


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        json.dumps(data),
        status=status,
        headers=headers,
        content_type="application/json",
    )


# --- construction -----------------------------------------------------------------


def test_default_base_url_comes_from_the_readme(pkg: Any) -> None:
    assert pkg.Client.default_base_url == DEFAULT_BASE_URL
    assert pkg.AsyncClient.default_base_url == DEFAULT_BASE_URL
    with pkg.Client() as client:
        assert client.base_url == DEFAULT_BASE_URL
    aclient = pkg.AsyncClient()
    try:
        assert aclient.base_url == DEFAULT_BASE_URL
    finally:
        asyncio.run(aclient.aclose())
    with pkg.Client("http://other.test/api/") as client:
        assert client.base_url == "http://other.test/api"


def test_services_are_attached(pkg: Any) -> None:
    with pkg.Client() as client:
        assert type(client.things).__name__ == "ThingsService"
        assert type(client.orgs).__name__ == "OrgsService"
    aclient = pkg.AsyncClient()
    try:
        assert type(aclient.things).__name__ == "AsyncThingsService"
        assert asyncio.iscoroutinefunction(aclient.orgs.ping)
    finally:
        asyncio.run(aclient.aclose())


# --- where parameters travel ------------------------------------------------------


def test_query_list_bool_enum_and_accept_header(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/things", method="GET").respond_with_json(
        [THING, THING2]
    )
    things = run(
        lambda c: c.things.list_things(
            limit=10,
            accept=pkg.Accept.APPLICATION_JSON,
            status=pkg.ThingStatus.ARCHIVED,
            tags=["red", "b c&d"],
            include_archived=False,
        )
    )
    req = only_request(httpserver)
    assert req.args.getlist("limit") == ["10"]
    assert req.args.getlist("status") == ["archived"]
    assert req.args.getlist("tags") == ["red", "b c&d"]  # repeated key
    assert req.args.getlist("includeArchived") == ["false"]
    assert "cursor" not in req.args
    assert "accept" not in req.args
    assert req.headers["Accept"] == "application/json"
    assert [type(t) for t in things] == [pkg.Thing, pkg.Thing]
    assert things[0].status is pkg.ThingStatus.ACTIVE
    assert things[1].weight_kg == 12.5
    assert [t.to_dict() for t in things] == [THING, THING2]


def test_true_and_second_enum_member(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/things").respond_with_json([])
    out = run(
        lambda c: c.things.list_things(
            limit=1, accept=pkg.Accept.TEXT_CSV, include_archived=True, cursor="c/1"
        )
    )
    req = only_request(httpserver)
    assert out == []
    assert req.args["includeArchived"] == "true"
    assert req.args["cursor"] == "c/1"
    assert req.headers["Accept"] == "text/csv"


def test_optional_parameters_are_not_sent(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/things", method="GET").respond_with_json([])
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(THING)
    httpserver.expect_request("/v1/things/t-1", method="GET").respond_with_json(THING)

    async def both_async(c: Any) -> None:
        await c.things.list_things(limit=5, accept=pkg.Accept.APPLICATION_JSON)
        await c.things.create_thing(body={"name": "Lamp"})
        await c.things.get_thing("t-1")

    def both_sync(c: Any) -> None:
        c.things.list_things(limit=5, accept=pkg.Accept.APPLICATION_JSON)
        c.things.create_thing(body={"name": "Lamp"})
        c.things.get_thing("t-1")

    run(lambda c: both_async(c) if isinstance(c, pkg.AsyncClient) else both_sync(c))
    (listed, _), (created, _), (got, _) = httpserver.log
    assert sorted(listed.args) == ["limit"]
    assert raw_uri(listed) == "/v1/things?limit=5"
    # an API that takes an idempotency key gets a fresh one per call
    assert re.fullmatch(r"[0-9a-f-]{36}", created.headers["Idempotency-Key"])
    assert "requestTag" not in created.headers
    assert raw_uri(created) == "/v1/things"
    assert raw_uri(got) == "/v1/things/t-1"
    for req, _ in httpserver.log:
        assert "X-API-Key" not in req.headers
        assert "Authorization" not in req.headers


def test_path_parameter_is_url_encoded(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    # the doc names the row ``thing_id``; the placeholder is ``{thingId}``
    httpserver.expect_request(ANY_PATH).respond_with_json(THING)
    thing = run(lambda c: c.things.get_thing("a/b c?#%é", include_archived=True))
    req = only_request(httpserver)
    assert raw_uri(req) == "/v1/things/a%2Fb%20c%3F%23%25%C3%A9?includeArchived=true"
    assert req.path == "/v1/things/a/b c?#%é"
    assert isinstance(thing, pkg.Thing)


def test_two_path_parameters_named_unlike_placeholders(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    # rows ``orgId`` / ``member_id``; placeholders ``{org_id}`` / ``{memberId}``
    member = {"memberId": "m/2", "displayName": "Ada", "admin": True}
    httpserver.expect_request(ANY_PATH).respond_with_json(member)
    got = run(lambda c: c.orgs.get_member("org 1", "m/2"))
    req = only_request(httpserver)
    assert raw_uri(req) == "/v1/orgs/org%201/members/m%2F2"
    assert isinstance(got, pkg.Member)
    assert (got.member_id, got.display_name, got.admin) == ("m/2", "Ada", True)


def test_body_from_a_model_and_headers(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(
        THING, status=201
    )
    body = pkg.ThingCreate(
        name="Lamp", status=pkg.ThingStatus.ACTIVE, tags=["x", "y"], weight_kg=1.5
    )
    thing = run(
        lambda c: c.things.create_thing(
            body=body, idempotency_key="idem-1", request_tag="tag-7"
        )
    )
    req = only_request(httpserver)
    assert req.method == "POST"
    assert req.headers["Content-Type"] == "application/json"
    assert json.loads(req.get_data()) == {
        "name": "Lamp",
        "status": "active",
        "tags": ["x", "y"],
        "weightKg": 1.5,
    }
    # a well-known header, and one whose description says "header"
    assert req.headers["Idempotency-Key"] == "idem-1"
    assert req.headers["requestTag"] == "tag-7"  # a header keeps its name
    assert req.query_string == b""
    assert isinstance(thing, pkg.Thing)
    assert thing.to_dict() == THING


def test_unset_model_fields_are_not_sent(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(THING)
    run(lambda c: c.things.create_thing(body=pkg.ThingCreate(name="Lamp")))
    assert json.loads(only_request(httpserver).get_data()) == {"name": "Lamp"}


def test_body_from_a_plain_dict(pkg: Any, run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(THING)
    body = {
        "name": "Lamp",
        "status": pkg.ThingStatus.ARCHIVED,  # enums inside dicts are encoded too
        "extra": {"nested": [1, None, True]},
    }
    run(lambda c: c.things.create_thing(body=body))
    req = only_request(httpserver)
    assert req.headers["Content-Type"] == "application/json"
    assert json.loads(req.get_data()) == {
        "name": "Lamp",
        "status": "archived",
        "extra": {"nested": [1, None, True]},
    }


def test_body_from_a_read_only_mapping(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(THING)
    body = types.MappingProxyType({"name": "Lamp"})
    run(lambda c: c.things.create_thing(body=body))
    assert json.loads(only_request(httpserver).get_data()) == {"name": "Lamp"}


# --- what each return type decodes to ---------------------------------------------


def test_method_without_parameters_returns_a_model(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/ping", method="GET").respond_with_json(
        {"ok": True, "version": "1.2.3", "region": "eu"}
    )
    health = run(lambda c: c.orgs.ping())
    assert isinstance(health, pkg.Health)
    assert health.ok is True
    assert health.version == "1.2.3"
    assert health.to_dict() == {"ok": True, "version": "1.2.3", "region": "eu"}
    assert raw_uri(only_request(httpserver)) == "/v1/ping"


def test_list_of_models(pkg: Any, run: Run, httpserver: HTTPServer) -> None:
    members = [
        {"memberId": "m1", "displayName": "Ada", "admin": True},
        {"memberId": "m2", "displayName": "Bob"},
    ]
    httpserver.expect_request("/v1/orgs/o1/members").respond_with_json(members)
    got = run(lambda c: c.orgs.list_members("o1", admin=True, page=2))
    req = only_request(httpserver)
    assert req.args.to_dict(flat=False) == {"admin": ["true"], "page": ["2"]}
    assert [type(m) for m in got] == [pkg.Member, pkg.Member]
    assert got[1].admin is pkg.UNSET
    assert [m.to_dict() for m in got] == members


@pytest.mark.parametrize("status,body", [(204, b""), (200, b'{"deleted": true}')])
def test_no_return_type_gives_none(
    run: Run, httpserver: HTTPServer, status: int, body: bytes
) -> None:
    httpserver.expect_request("/v1/things/t-1", method="DELETE").respond_with_data(
        body, status=status, content_type="application/json"
    )
    assert run(lambda c: c.things.delete_thing("t-1")) is None
    assert only_request(httpserver).method == "DELETE"


def test_string_return_from_text(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/things/t-1/label").respond_with_data(
        "Lamp, blue", content_type="text/plain"
    )
    assert run(lambda c: c.things.get_thing_label("t-1")) == "Lamp, blue"


def test_string_return_from_a_json_string(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/things/t-1/label").respond_with_json("Lamp")
    assert run(lambda c: c.things.get_thing_label("t-1")) == "Lamp"


def test_string_return_from_text_that_looks_like_json(
    run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/things/t-1/label").respond_with_data(
        "42", content_type="text/plain"
    )
    label = run(lambda c: c.things.get_thing_label("t-1"))
    assert label == "42"
    assert isinstance(label, str)


def test_bytes_return(run: Run, httpserver: HTTPServer) -> None:
    payload = bytes(range(256)) + b"{not json"
    httpserver.expect_request("/v1/things/t-1/file").respond_with_data(
        payload, content_type="application/octet-stream"
    )
    got = run(lambda c: c.things.download_thing("t-1"))
    assert type(got) is bytes
    assert got == payload


def test_empty_bytes_return(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/things/t-1/file").respond_with_data(b"")
    assert run(lambda c: c.things.download_thing("t-1")) == b""


def test_wrong_shape_raises_response_decode_error(
    pkg: Any, run: Run, httpserver: HTTPServer, errors: Any, base: str
) -> None:
    httpserver.expect_request("/v1/things/t-1").respond_with_json({"id": "t-1"})
    with pytest.raises(errors.ResponseDecodeError, match="name") as info:
        run(lambda c: c.things.get_thing("t-1"))
    assert isinstance(info.value.__cause__, pkg.DecodeError)
    assert isinstance(info.value, errors.ClientError)
    assert info.value.status_code == 200
    assert info.value.url == f"{base}/things/t-1"


# --- raw responses ----------------------------------------------------------------


def test_raw_responses_capture_status_and_headers(
    pkg: Any, run: Run, httpserver: HTTPServer, base: str, errors: Any
) -> None:
    httpserver.expect_request("/v1/things/t-1").respond_with_json(
        THING, headers={"X-Request-Id": "req-1", "ETag": '"v7"'}
    )
    httpserver.expect_request("/v1/things/t-2").respond_with_json(
        {"error": "gone"}, status=404
    )
    with pkg.raw_responses() as seen:
        thing = run(lambda c: c.things.get_thing("t-1"))
        with pytest.raises(errors.NotFoundError):
            run(lambda c: c.things.get_thing("t-2"))
    assert thing.id == "t-1"
    assert [r.status_code for r in seen] == [200, 404]
    first = seen[0]
    assert isinstance(first, errors.RawResponse)
    assert first.method == "GET"
    assert first.url == f"{base}/things/t-1"
    assert first.headers["x-request-id"] == "req-1"
    assert first.headers["ETag"] == '"v7"'
    assert json.loads(first.content) == THING
    assert json.loads(first.text) == THING
    # nothing is collected outside the block
    httpserver.clear_log()
    run(lambda c: c.things.get_thing("t-1"))
    assert len(seen) == 2


# --- authentication ---------------------------------------------------------------


def test_api_key_default_header(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/ping").respond_with_json({"ok": True})
    run(lambda c: c.orgs.ping(), api_key="sk-123")
    req = only_request(httpserver)
    assert req.headers["X-API-Key"] == "sk-123"
    assert "Authorization" not in req.headers


def test_api_key_custom_header(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/ping").respond_with_json({"ok": True})
    run(lambda c: c.orgs.ping(), api_key="sk-123", api_key_header="X-Custom-Key")
    req = only_request(httpserver)
    assert req.headers["X-Custom-Key"] == "sk-123"
    assert "X-API-Key" not in req.headers


def test_bearer_token(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/ping").respond_with_json({"ok": True})
    run(lambda c: c.orgs.ping(), token="tok-abc")
    assert only_request(httpserver).headers["Authorization"] == "Bearer tok-abc"


def test_basic_auth(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/ping").respond_with_json({"ok": True})
    run(lambda c: c.orgs.ping(), username="ada", password="p:ss")
    req = only_request(httpserver)
    expected = base64.b64encode(b"ada:p:ss").decode()
    assert req.headers["Authorization"] == f"Basic {expected}"
    assert req.authorization is not None
    assert (req.authorization.username, req.authorization.password) == ("ada", "p:ss")


def test_default_headers_are_sent(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/ping").respond_with_json({"ok": True})
    run(lambda c: c.orgs.ping(), headers={"User-Agent": "e2e/1", "X-Team": "qa"})
    req = only_request(httpserver)
    assert req.headers["User-Agent"] == "e2e/1"
    assert req.headers["X-Team"] == "qa"


SECRETS = {"api_key": "sk-SECRET-1", "token": "tok-SECRET-2", "password": "pw-SECRET-3"}


def _no_secret(text: str) -> None:
    for secret in SECRETS.values():
        assert secret not in text


def _assert_clean(exc: BaseException) -> None:
    _no_secret(str(exc))
    _no_secret(repr(exc))
    _no_secret(repr(exc.args))
    for value in vars(exc).values():
        _no_secret(repr(value))


def test_credentials_never_leak(
    pkg: Any, run: Run, httpserver: HTTPServer, errors: Any, closed_port: int
) -> None:
    creds = {"username": "ada", **SECRETS}
    with pkg.Client(**creds) as client:
        _no_secret(repr(client))
        _no_secret(str(client))
    aclient = pkg.AsyncClient(**creds)
    try:
        _no_secret(repr(aclient))
    finally:
        asyncio.run(aclient.aclose())

    httpserver.expect_request("/v1/ping").respond_with_json(
        {"error": "bad credentials"}, status=401
    )
    with pytest.raises(errors.AuthenticationError) as info:
        run(lambda c: c.orgs.ping(), **creds)
    _assert_clean(info.value)
    req = only_request(httpserver)
    assert req.headers["X-API-Key"] == SECRETS["api_key"]  # they were sent, though

    with pytest.raises(errors.ApiConnectionError) as conn:
        run(
            lambda c: c.orgs.ping(),
            base_url=f"http://127.0.0.1:{closed_port}",
            max_retries=0,
            **creds,
        )
    _assert_clean(conn.value)


# --- errors -----------------------------------------------------------------------

ERRORS = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "ServerError"),
    (503, "ServerError"),
]


@pytest.mark.parametrize("status,name", ERRORS, ids=[str(s) for s, _ in ERRORS])
def test_error_statuses(
    run: Run, httpserver: HTTPServer, errors: Any, base: str, status: int, name: str
) -> None:
    body = {"error": {"code": status, "message": "nope"}}
    httpserver.expect_request("/v1/things/t-1").respond_with_json(
        body, status=status, headers={"X-Trace": f"tr-{status}"}
    )
    with pytest.raises(errors.ApiError) as info:
        run(lambda c: c.things.get_thing("t-1"), max_retries=0)
    exc = info.value
    assert type(exc) is getattr(errors, name)
    assert isinstance(exc, errors.ClientError)
    assert exc.status_code == status
    assert exc.headers["x-trace"] == f"tr-{status}"
    assert exc.body == body
    assert json.loads(exc.content) == body
    assert exc.method == "GET"
    assert exc.url == f"{base}/things/t-1"
    assert exc.response.status_code == status
    text = str(exc)
    assert f"GET {base}/things/t-1" in text
    assert str(status) in text
    assert "nope" in text
    assert len(httpserver.log) == 1  # max_retries=0: asked once


def test_other_statuses_and_text_bodies(
    run: Run, httpserver: HTTPServer, errors: Any
) -> None:
    httpserver.expect_request("/v1/things/t-1").respond_with_data(
        "I'm a teapot", status=418, content_type="text/plain"
    )
    httpserver.expect_request("/v1/things/t-2").respond_with_data(
        "<html>bad gateway</html>", status=502, content_type="text/html"
    )
    with pytest.raises(errors.ApiError) as teapot:
        run(lambda c: c.things.get_thing("t-1"), max_retries=0)
    assert type(teapot.value) is errors.ApiError
    assert teapot.value.body == "I'm a teapot"
    with pytest.raises(errors.ServerError) as gateway:
        run(lambda c: c.things.get_thing("t-2"), max_retries=0)
    assert gateway.value.status_code == 502
    assert gateway.value.body == "<html>bad gateway</html>"


def test_error_on_post_names_the_method(
    run: Run, httpserver: HTTPServer, errors: Any, base: str
) -> None:
    detail = {"detail": [{"loc": ["body", "name"], "msg": "required"}]}
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(
        detail, status=422
    )
    with pytest.raises(errors.UnprocessableEntityError) as info:
        run(lambda c: c.things.create_thing(body={}))
    assert info.value.method == "POST"
    assert info.value.url == f"{base}/things"
    assert info.value.body == detail


def test_malformed_json_raises_response_decode_error(
    run: Run, httpserver: HTTPServer, errors: Any, base: str
) -> None:
    bad = '{"id": "t-1", "name": oops'
    httpserver.expect_request("/v1/things/t-1").respond_with_data(
        bad, content_type="application/json"
    )
    with pytest.raises(errors.ResponseDecodeError) as info:
        run(lambda c: c.things.get_thing("t-1"))
    exc = info.value
    assert isinstance(exc, errors.ClientError)
    assert isinstance(exc, errors.ApiError)  # with the response attached
    assert exc.response.status_code == exc.status_code == 200
    assert exc.body == bad
    assert exc.url == f"{base}/things/t-1"
    assert "200" in str(exc)
    assert bad in str(exc)
    assert len(httpserver.log) == 1  # a decode error is not retried


def test_malformed_json_excerpt_is_short(
    run: Run, httpserver: HTTPServer, errors: Any
) -> None:
    bad = "<html>" + "x" * 5000
    httpserver.expect_request("/v1/ping").respond_with_data(bad)
    with pytest.raises(errors.ResponseDecodeError) as info:
        run(lambda c: c.orgs.ping())
    assert "<html>xxx" in str(info.value)
    assert len(str(info.value)) < 500


# --- retries ----------------------------------------------------------------------


def test_retry_after_then_success(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/things/t-1").respond_with_handler(
        counting(
            [
                json_response({"error": "slow down"}, 429, {"Retry-After": "1"}),
                json_response(THING),
            ]
        )
    )
    start = time.monotonic()
    thing = run(lambda c: c.things.get_thing("t-1"), max_retries=2)
    elapsed = time.monotonic() - start
    assert thing.id == "t-1"
    assert len(httpserver.log) == 2
    assert 0.9 <= elapsed < 5.0


def test_raw_responses_see_every_attempt(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/ping").respond_with_handler(
        counting(
            [
                json_response({}, 503, {"Retry-After": "0"}),
                json_response({"ok": True}),
            ]
        )
    )
    with pkg.raw_responses() as seen:
        run(lambda c: c.orgs.ping())
    assert [r.status_code for r in seen] == [503, 200]


def test_503_storm_exhausts_retries(
    run: Run, httpserver: HTTPServer, errors: Any
) -> None:
    httpserver.expect_request("/v1/things/t-1").respond_with_json(
        {"error": "down"}, status=503, headers={"Retry-After": "0"}
    )
    with pytest.raises(errors.ServerError) as info:
        run(lambda c: c.things.get_thing("t-1"), max_retries=2)
    assert info.value.status_code == 503
    assert info.value.body == {"error": "down"}
    assert len(httpserver.log) == 3


def test_backoff_without_retry_after(
    pkg: Any, base: str, httpserver: HTTPServer, errors: Any
) -> None:
    httpserver.expect_request("/v1/ping").respond_with_json({}, status=500)
    start = time.monotonic()
    with pkg.Client(base, max_retries=2) as client, pytest.raises(errors.ServerError):
        client.orgs.ping()
    elapsed = time.monotonic() - start
    assert len(httpserver.log) == 3
    # 0.5 s then 1 s, each with up to 25 % jitter off
    assert 1.1 <= elapsed < 4.0


def test_post_is_not_retried_by_default(
    run: Run, httpserver: HTTPServer, errors: Any
) -> None:
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(
        {"error": "down"}, status=503, headers={"Retry-After": "0"}
    )
    with pytest.raises(errors.ServerError):  # a POST without an idempotency key
        run(
            lambda c: c.request("POST", "/things", body={"name": "Lamp"}), max_retries=2
        )
    assert len(httpserver.log) == 1


def test_post_with_an_idempotency_key_is_retried_with_the_same_key(
    run: Run, httpserver: HTTPServer, errors: Any
) -> None:
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(
        {"error": "down"}, status=503, headers={"Retry-After": "0"}
    )
    with pytest.raises(errors.ServerError):
        run(lambda c: c.things.create_thing(body={"name": "Lamp"}), max_retries=2)
    keys = [req.headers["Idempotency-Key"] for req, _ in httpserver.log]
    assert len(keys) == 3 and len(set(keys)) == 1


def test_post_is_retried_with_retry_all_methods(
    run: Run, httpserver: HTTPServer, errors: Any
) -> None:
    httpserver.expect_request("/v1/things", method="POST").respond_with_json(
        {"error": "down"}, status=503, headers={"Retry-After": "0"}
    )
    with pytest.raises(errors.ServerError):
        run(
            lambda c: c.things.create_thing(body={"name": "Lamp"}),
            max_retries=2,
            retry_all_methods=True,
        )
    assert len(httpserver.log) == 3


def test_retried_post_resends_body_and_headers(
    run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/things", method="POST").respond_with_handler(
        counting(
            [
                json_response({}, 503, {"Retry-After": "0"}),
                json_response(THING, 201),
            ]
        )
    )
    thing = run(
        lambda c: c.things.create_thing(body={"name": "Lamp"}, idempotency_key="k-9"),
        retry_all_methods=True,
    )
    assert thing.id == "t-1"
    assert len(httpserver.log) == 2
    for req, _ in httpserver.log:
        assert json.loads(req.get_data()) == {"name": "Lamp"}
        assert req.headers["Idempotency-Key"] == "k-9"


def test_delete_is_idempotent_and_retried(run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/things/t-1", method="DELETE").respond_with_handler(
        counting([json_response({}, 503, {"Retry-After": "0"}), Response(status=204)])
    )
    assert run(lambda c: c.things.delete_thing("t-1")) is None
    assert len(httpserver.log) == 2


# --- transport failures -----------------------------------------------------------


def test_read_timeout(run: Run, httpserver: HTTPServer, errors: Any, base: str) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return json_response(THING)

    httpserver.expect_request("/v1/things/t-1").respond_with_handler(slow)
    start = time.monotonic()
    try:
        with pytest.raises(errors.ApiTimeoutError) as info:
            run(lambda c: c.things.get_thing("t-1"), timeout=0.2, max_retries=0)
        elapsed = time.monotonic() - start
    finally:
        wait_for_log(httpserver, 1)  # let the slow handler finish first
    assert isinstance(info.value, errors.ApiConnectionError)
    assert isinstance(info.value, errors.ClientError)
    assert info.value.method == "GET"
    assert info.value.url == f"{base}/things/t-1"
    assert f"GET {base}/things/t-1" in str(info.value)
    assert elapsed < 0.55


def test_refused_connection(run: Run, errors: Any, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/v1"
    with pytest.raises(errors.ApiConnectionError) as info:
        run(lambda c: c.things.get_thing("t-1"), base_url=url, max_retries=0)
    assert not isinstance(info.value, errors.ApiTimeoutError)
    assert info.value.method == "GET"
    assert info.value.url == f"{url}/things/t-1"
    assert isinstance(info.value.__cause__, Exception)


def test_refused_connection_is_retried(pkg: Any, errors: Any, closed_port: int) -> None:
    start = time.monotonic()
    with (
        pkg.Client(f"http://127.0.0.1:{closed_port}", max_retries=1) as client,
        pytest.raises(errors.ApiConnectionError),
    ):
        client.orgs.ping()
    assert time.monotonic() - start >= 0.35  # one backoff of 0.375–0.5 s


# --- the generic request() --------------------------------------------------------


def test_generic_request_with_decoder(
    pkg: Any, run: Run, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/v1/x").respond_with_json(THING)
    thing = run(lambda c: c.request("GET", "/x", decode=pkg.Thing.from_dict))
    assert isinstance(thing, pkg.Thing)
    assert thing.to_dict() == THING


def test_generic_request_everything(pkg: Any, run: Run, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/raw/a b", method="PATCH").respond_with_json(
        {"ok": 1}
    )
    out = run(
        lambda c: c.request(
            "patch",
            "/raw/a b",
            query={
                "ids": [1, 2],
                "flag": True,
                "skip": None,
                "s": pkg.ThingStatus.ACTIVE,
            },
            headers={"X-Extra": "1"},
            body=pkg.ThingCreate(name="n"),
        ),
        api_key="k",
    )
    assert out == {"ok": 1}
    req = only_request(httpserver)
    assert req.args.to_dict(flat=False) == {
        "ids": ["1", "2"],
        "flag": ["true"],
        "s": ["active"],
    }
    assert req.headers["X-Extra"] == "1"
    assert req.headers["X-API-Key"] == "k"
    assert json.loads(req.get_data()) == {"name": "n"}


def test_generic_request_text_and_errors(
    run: Run, httpserver: HTTPServer, errors: Any
) -> None:
    httpserver.expect_request("/v1/text").respond_with_data("plain words")
    httpserver.expect_request("/v1/missing").respond_with_json({"e": 1}, status=404)
    assert run(lambda c: c.request("GET", "/text")) == "plain words"
    with pytest.raises(errors.NotFoundError):
        run(lambda c: c.request("GET", "/missing"))


# --- static typing ----------------------------------------------------------------

USAGE = """\
from __future__ import annotations

from typing import Any

from typing_extensions import assert_type  # typing has it from Python 3.11 on

from thingsapi import Accept, AsyncClient, Client, Health, Member, Thing, ThingCreate
from thingsapi.errors import ApiError, RawResponse
from thingsapi import raw_responses


def sync(c: Client) -> None:
    assert_type(c.things.get_thing("x", include_archived=True), Thing)
    assert_type(
        c.things.list_things(limit=1, accept=Accept.APPLICATION_JSON, tags=["a"]),
        list[Thing],
    )
    assert_type(c.things.create_thing(body=ThingCreate(name="n")), Thing)
    assert_type(c.things.create_thing(body={"name": "n"}, idempotency_key="k"), Thing)
    assert_type(c.things.delete_thing("x"), None)
    assert_type(c.things.get_thing_label("x"), str)
    assert_type(c.things.download_thing("x"), bytes)
    assert_type(c.orgs.ping(), Health)
    assert_type(c.orgs.list_members("o", admin=False), list[Member])
    assert_type(c.request("GET", "/x", decode=Thing.from_dict), Thing)
    assert_type(c.request("GET", "/x"), Any)
    with raw_responses() as seen:
        assert_type(seen, list[RawResponse])


async def asynchronous(c: AsyncClient) -> None:
    assert_type(await c.things.get_thing("x"), Thing)
    assert_type(await c.orgs.get_member("o", "m"), Member)
    assert_type(await c.things.download_thing("x"), bytes)
    assert_type(await c.request("GET", "/x", decode=Health.from_dict), Health)


def errors(e: ApiError) -> int:
    return e.status_code


with Client(api_key="k", max_retries=0, timeout=1.5) as client:
    sync(client)
"""


@pytest.fixture(scope="module")
def mypy_run(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """``mypy --strict`` over the package and a typed usage file: its output."""
    (generated / "usage.py").write_text(textwrap.dedent(USAGE), encoding="utf-8")
    work = tmp_path_factory.mktemp("mypy")
    config = work / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict",
            "--config-file", str(config), "--cache-dir", str(work / "cache"),
            PACKAGE, "usage.py",
        ],
        cwd=generated, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert "error: May only" not in proc.stderr, proc.stderr
    return f"exit {proc.returncode}\n{proc.stdout}{proc.stderr}"


KNOWN_MYPY_BUG = 'Returning Any from function declared to return "str"'


def test_mypy_strict(mypy_run: str) -> None:
    assert mypy_run.startswith("exit 0\n"), mypy_run


def test_mypy_strict_finds_nothing_else(mypy_run: str) -> None:
    """All of mypy's complaints but the known bug above (so this one can pass)."""
    errors = [
        line
        for line in mypy_run.splitlines()
        if ": error:" in line and KNOWN_MYPY_BUG not in line
    ]
    assert errors == [], mypy_run
    assert "Found" in mypy_run or mypy_run.startswith("exit 0\n"), mypy_run
