"""A generated client against a misbehaving server (issue 22, run time).

The package ``vaultapi`` is generated from tests/fixtures/vault_api (an API
key header, a bearer token, OAuth, cursor paging, a download) and every test
talks to servers on 127.0.0.1: pytest-httpserver for well-formed HTTP, and a
raw socket server for what no HTTP library sends (a byte now and then, a
broken status line, bad gzip, a truncated body).  Each test runs through
``Client`` and ``AsyncClient``.  The rules under test (README, "Using a
generated client"):

* every failure of a call is a ``ClientError``; the client refuses, before
  sending, a request that would leave the base URL's origin or a header a
  header cannot carry;
* credentials never appear in messages, URLs, logs or tracebacks;
* credentials never follow a redirect to another origin;
* ``timeout`` bounds the whole call, retries included; a body is refused past
  ``max_response_size`` (after decompression);
* concurrent cold calls share one OAuth token request;
* the client reads only its own README's environment variables;
* ``typing.get_type_hints`` and pydantic work on the generated models.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import enum
import gzip
import importlib
import io
import json
import logging
import socket
import threading
import time
import traceback
import types
import typing
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import CORPUS, ROOT, generate_into, imported, need_shared
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURE = ROOT / "tests" / "fixtures" / "vault_api"
PACKAGE = "vaultapi"
SECRET = {"id": "s1", "value": "v"}
KEY = "vk-SECRET-key-1"
TOKEN = "tok-SECRET-2"

Run = Callable[..., Any]


# --- the generated package and the servers ------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_into(tmp_path_factory.mktemp("hostile"), FIXTURE, PACKAGE)


@pytest.fixture(scope="module")
def pkg(generated: Path) -> Iterator[Any]:
    with imported(generated, PACKAGE) as module:
        yield module


@pytest.fixture(scope="module")
def errors(pkg: Any) -> Any:
    return importlib.import_module(PACKAGE + ".errors")


def _started() -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


@pytest.fixture(scope="module")
def _servers() -> Iterator[tuple[HTTPServer, HTTPServer]]:
    servers = (_started(), _started())
    yield servers
    for server in servers:
        server.clear()
        server.stop()


@pytest.fixture
def server(_servers: tuple[HTTPServer, HTTPServer]) -> Iterator[HTTPServer]:
    """The API's server (its base URL is ``…/v1`` on it)."""
    _servers[0].clear()
    yield _servers[0]
    _servers[0].clear()


@pytest.fixture
def elsewhere(_servers: tuple[HTTPServer, HTTPServer]) -> Iterator[HTTPServer]:
    """Another origin: the same host, another port."""
    _servers[1].clear()
    yield _servers[1]
    _servers[1].clear()


@pytest.fixture
def base(server: HTTPServer) -> str:
    return server.url_for("/v1")


class RawServer:
    """A TCP server on 127.0.0.1 that answers every connection with
    ``respond(connection, request_head, stop)``: any bytes, at any pace."""

    def __init__(
        self, respond: Callable[[socket.socket, bytes, threading.Event], None]
    ):
        self._respond = respond
        self.stop = threading.Event()
        self.requests: list[bytes] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            head = b""
            try:
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                self.requests.append(head)
                self._respond(conn, head, self.stop)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=5)


@pytest.fixture
def raw() -> Iterator[Callable[..., RawServer]]:
    started: list[RawServer] = []

    def start(
        respond: Callable[[socket.socket, bytes, threading.Event], None],
    ) -> RawServer:
        started.append(RawServer(respond))
        return started[-1]

    yield start
    for each in started:
        each.close()


def canned(data: bytes) -> Callable[[socket.socket, bytes, threading.Event], None]:
    def respond(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        conn.sendall(data)

    return respond


def http(status: str, body: bytes = b"", *headers: str) -> bytes:
    """An HTTP/1.1 response (Content-Length added unless a header sets it)."""
    lines = [f"HTTP/1.1 {status}", *headers]
    if not any(
        h.lower().startswith(("content-length", "transfer-encoding")) for h in headers
    ):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def run(pkg: Any, mode: str, base: str) -> Run:
    """``run(action, **client_kwargs)``: ``action(client)`` with a fresh client
    (awaited on ``AsyncClient``)."""

    def go(action: Callable[[Any], Any], **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", base)
        cls = pkg.Client if mode == "sync" else pkg.AsyncClient
        if kwargs.pop("query_key", False):  # the API key in the query string
            where = {"api_key_name": "api_key", "api_key_in": "query"}
            cls = type("QueryKeyClient", (cls,), where)
        if mode == "sync":
            with cls(**kwargs) as client:
                return action(client)

        async def main() -> Any:
            async with cls(**kwargs) as client:
                return await action(client)

        return asyncio.run(main())

    return go


def get_secret(client: Any) -> Any:
    return client.vault.get_secret("s1")


def timed(run: Run, action: Callable[[Any], Any], **kwargs: Any) -> tuple[float, Any]:
    """(seconds, the exception) of a call that must fail."""
    start = time.monotonic()
    with pytest.raises(Exception) as info:
        run(action, **kwargs)
    return time.monotonic() - start, info.value


# --- 1. requests stay on the base URL's origin ------------------------------------


@pytest.mark.parametrize(
    "path",
    ["@evil.example/steal", ".evil.example/x", ":{port}/x", "https://evil.example/x"],
)
def test_a_request_never_leaves_the_base_urls_origin(
    run: Run, server: HTTPServer, elsewhere: HTTPServer, errors: Any, path: str
) -> None:
    # The base URL has no path, so the endpoint path is glued to the host.
    origin = f"http://127.0.0.1:{server.port}"
    path = path.format(port=elsewhere.port)
    with pytest.raises(errors.InvalidRequestError) as info:
        run(lambda c: c.request("GET", path), base_url=origin, api_key=KEY)
    assert KEY not in str(info.value)
    assert server.log == [] and elsewhere.log == []


def test_the_origin_check_guards_generated_calls_too(
    pkg: Any, run: Run, server: HTTPServer, elsewhere: HTTPServer, errors: Any
) -> None:
    # What a method made from a path without its leading "/" would send.
    _http = importlib.import_module(PACKAGE + "._http")
    call = _http.Call("GET", f":{elsewhere.port}/steal")
    origin = f"http://127.0.0.1:{server.port}"
    with pytest.raises(errors.InvalidRequestError):
        run(lambda c: c.call(call, _http.binary), base_url=origin, token=TOKEN)
    assert elsewhere.log == []


# --- 5. header values that a header cannot carry ----------------------------------

UNSENDABLE = {
    "non-ascii key": {"api_key": "ключ-1234"},
    "non-ascii token": {"token": "tök-1234"},
    "key with a line break": {"api_key": "k1234\r\nX-Evil: 1"},
    "non-ascii default header": {"headers": {"X-Team": "Zürich"}},
    "nul in a default header": {"headers": {"X-Team": "a\x00b"}},
    "bad header name": {"headers": {"Bad Name": "x"}},
}


@pytest.mark.parametrize("kwargs", UNSENDABLE.values(), ids=UNSENDABLE.keys())
def test_an_unsendable_header_is_the_clients_error(
    run: Run, server: HTTPServer, errors: Any, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(errors.InvalidRequestError) as info:
        run(get_secret, max_retries=0, **kwargs)
    for value in ("ключ", "tök", "X-Evil", "Zürich"):
        assert value not in str(info.value)
    assert server.log == []


@pytest.mark.parametrize("value", ["a\nb", "é", "\x7f"])
def test_an_unsendable_per_call_header_is_the_clients_error(
    run: Run, server: HTTPServer, errors: Any, value: str
) -> None:
    with pytest.raises(errors.InvalidRequestError):
        run(lambda c: c.vault.get_secret("s1", extra_headers={"X-Note": value}))
    assert server.log == []


def test_a_token_a_header_cannot_carry_is_a_decode_error(
    run: Run, server: HTTPServer, errors: Any
) -> None:
    server.expect_request("/v1/oauth/token").respond_with_json(
        {"access_token": "tok\r\nX-Evil: 1", "expires_in": 60}
    )
    with pytest.raises(errors.ResponseDecodeError):
        run(get_secret, client_id="c", client_secret="s3cr3t-1",
            token_url="/oauth/token")  # fmt: skip
    assert [r.path for r, _ in server.log] == ["/v1/oauth/token"]


# --- 10. every failure is the client's error ------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
JSON = "Content-Type: application/json"
DECODE, GONE = "ResponseDecodeError", "ApiConnectionError"
GZIP = "Content-Encoding: gzip"
FAR = "Retry-After: Fri, 31 Dec 9999 23:59:59 GMT"
MISBEHAVIOURS: dict[str, tuple[bytes, str | None, int | None]] = {
    # name: (what the server sends, the error class, its status)
    "deeply nested JSON": (http("200 OK", DEEP, JSON), DECODE, 200),
    "deeply nested error body": (http("400 Bad", DEEP, JSON), "BadRequestError", 400),
    "empty 200": (http("200 OK", b"", JSON), DECODE, 200),
    "blank 200": (http("200 OK", b" \r\n ", JSON), DECODE, 200),
    "HTML 200": (http("200 OK", b"<html>hi</html>"), DECODE, 200),
    "invalid UTF-8": (http("200 OK", b'{"id": "\xff"}', JSON), DECODE, 200),
    "a list for a model": (http("200 OK", b"[1, 2]", JSON), DECODE, 200),
    "a number for a model": (http("200 OK", b"1e999", JSON), DECODE, 200),
    "bad gzip": (http("200 OK", b"not gzip at all", JSON, GZIP), DECODE, 200),
    # a decode or a connection error: either is the client's
    "truncated gzip": (http("200 OK", gzip.compress(bytes(999))[:40], GZIP), None, 0),
    "302 without Location": (http("302 Found"), "ApiError", 302),
    "304 Not Modified": (http("304 Not Modified"), "ApiError", 304),
    "redirect to ftp": (
        http("302 Found", b"", "Location: ftp://127.0.0.1/"),
        GONE,
        None,
    ),
    "redirect loop": (
        http("302 Found", b"", "Location: /v1/secrets/s1"),
        "ApiError",
        302,
    ),
    "truncated body": (
        http("200 OK", b'{"id"', JSON, "Content-Length: 100"),
        GONE,
        None,
    ),
    "bad chunks": (http("200 OK", b"zz\r\n", "Transfer-Encoding: chunked"), GONE, None),
    "garbage status line": (b"HELLO THERE\r\n\r\n", GONE, None),
    "closed at once": (b"", GONE, None),
    "a header line of 1 MB": (
        http("200 OK", b"{}", "X-Big: " + "x" * 2**20),
        GONE,
        None,
    ),
    "Retry-After: 1e400": (
        http("503 No", b"{}", "Retry-After: 1e400"),
        "ServerError",
        503,
    ),
    "Retry-After in 9999": (http("503 No", b"{}", FAR), "ServerError", 503),
}


@pytest.mark.parametrize("name", MISBEHAVIOURS)
def test_every_failure_is_a_client_error(
    run: Run, raw: Callable[..., RawServer], errors: Any, name: str
) -> None:
    data, expected, status = MISBEHAVIOURS[name]
    server = raw(canned(data))
    seconds, exc = timed(
        run, get_secret, base_url=server.url + "/v1", api_key=KEY, timeout=10
    )
    assert isinstance(exc, errors.ClientError), repr(exc)
    if expected is not None:
        assert type(exc).__name__ == expected, repr(exc)
        assert getattr(exc, "status_code", None) == status
    assert seconds < 8  # no retry waits past the call's deadline
    if isinstance(exc, errors.ApiError):
        assert exc.response.status_code == exc.status_code


def test_a_response_decode_error_is_an_api_error_with_the_response(
    run: Run, server: HTTPServer, errors: Any
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_data(
        "", content_type="application/json"
    )
    with pytest.raises(errors.ApiError) as info:
        run(get_secret)
    assert isinstance(info.value, errors.ResponseDecodeError)
    assert info.value.response.status_code == 200
    assert info.value.content == b""


def test_redirects_are_followed_only_as_far_as_the_client_allows(
    run: Run, server: HTTPServer, errors: Any, mode: str
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_data(
        "", status=307, headers={"Location": "/v1/secrets/s2"}
    )
    server.expect_request("/v1/secrets/s2").respond_with_json(SECRET)
    assert run(get_secret).id == "s1"  # followed by default
    own = httpx.Client() if mode == "sync" else httpx.AsyncClient()  # not following
    with pytest.raises(errors.ApiError) as info:
        run(get_secret, http_client=own)
    assert info.value.status_code == 307
    assert "not followed" in str(info.value)


def test_an_object_cursor_is_the_clients_error(
    run: Run, server: HTTPServer, errors: Any
) -> None:
    server.expect_request("/v1/secrets").respond_with_json(
        {"data": [SECRET], "nextCursor": {"after": "s1"}}
    )

    def pages(client: Any) -> Any:
        pager = client.vault.iter_secrets(limit=1)
        if hasattr(pager, "__aiter__"):

            async def gather() -> list[Any]:
                return [s async for s in pager]

            return gather()
        return list(pager)

    with pytest.raises(errors.ClientError):
        run(pages)


@pytest.mark.parametrize("cursor", [["a"], True, {"a": 1}])
def test_the_pager_refuses_cursors_that_are_not_strings_or_numbers(
    pkg: Any, cursor: Any
) -> None:
    paging = importlib.import_module(PACKAGE + "._paging")
    fetched: list[Any] = []

    def fetch(token: Any) -> dict[str, Any]:
        fetched.append(token)
        return {"items": [1], "next": cursor}

    pager = paging.Pager(
        fetch, paging.Paging("cursor", items=("items",), next=("next",))
    )
    with pytest.raises(paging.PagingError):
        list(pager)
    assert fetched == [None]


def test_a_page_size_given_as_a_string_still_stops_paging(pkg: Any) -> None:
    paging = importlib.import_module(PACKAGE + "._paging")
    pages = iter([[1, 2], [3]])
    pager = paging.Pager(lambda token: next(pages), paging.Paging("page", size="2"))
    assert list(pager) == [1, 2, 3]


# --- 11. secrets never show ---------------------------------------------------------

HIDDEN = (KEY, TOKEN, "pw-SECRET-3", "at-SECRET-4", "cs-SECRET-5")


def _clean(*texts: str) -> None:
    for text in texts:
        for secret in HIDDEN:
            assert secret not in text, text


def _everything(exc: BaseException) -> list[str]:
    """Every way an exception shows: str, repr, its traceback, its attributes
    (but the body, which is the server's, as it sent it)."""
    shown = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    kept = ("body", "content", "response")
    shown += [repr(v) for k, v in vars(exc).items() if k not in kept]
    response = getattr(exc, "response", None)
    if response is not None:
        shown += [repr(response), response.url]
    return shown


def ours(caplog: pytest.LogCaptureFixture) -> str:
    """The client's log lines (not the test server's)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name == PACKAGE)


def echo(request: Request) -> Response:
    """A 404 whose body repeats the request: its URL and its headers."""
    return Response(f"no such thing: {request.url} {dict(request.headers)}", 404)


def test_a_query_api_key_never_shows(
    run: Run,
    server: HTTPServer,
    errors: Any,
    pkg: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_handler(echo)
    caplog.set_level(logging.DEBUG, logger=PACKAGE)
    with pkg.raw_responses() as seen, pytest.raises(errors.NotFoundError) as info:
        run(get_secret, api_key=KEY, query_key=True, token=TOKEN)
    ((request, _),) = server.log
    assert request.args["api_key"] == KEY  # sent, though
    logged = ours(caplog)
    _clean(*_everything(info.value), logged, *(r.url for r in seen))
    assert "api_key=***" in info.value.url
    assert "api_key=***" in logged


def test_httpx_own_log_lines_hide_the_query_key(
    run: Run, server: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_json(SECRET)
    caplog.set_level(logging.INFO, logger="httpx")
    run(get_secret, api_key=KEY, query_key=True)
    logged = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert logged and all(KEY not in line for line in logged)
    assert "api_key=***" in logged[0]


def test_secret_named_query_parameters_never_show(
    run: Run, server: HTTPServer, errors: Any
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_handler(echo)
    query = {"password": "pw-SECRET-3", "accessToken": "at-SECRET-4", "page": "2"}
    with pytest.raises(errors.NotFoundError) as info:
        run(lambda c: c.vault.get_secret("s1", extra_query=query))
    _clean(*_everything(info.value))
    assert "page=2" in info.value.url
    assert "password=***" in info.value.url


def test_secrets_never_show_in_connection_errors(
    run: Run, errors: Any, raw: Callable[..., RawServer]
) -> None:
    refused = raw(canned(b""))
    query = {"client_secret": "cs-SECRET-5"}
    with pytest.raises(errors.ApiConnectionError) as info:
        run(
            lambda c: c.vault.get_secret("s1", extra_query=query),
            base_url=refused.url,
            api_key=KEY,
            query_key=True,
            max_retries=0,
        )
    _clean(*_everything(info.value))


def test_an_oauth_token_and_secret_never_show(
    run: Run, server: HTTPServer, errors: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_request("/v1/oauth/token").respond_with_json(
        {"access_token": "at-SECRET-4", "expires_in": 600}
    )
    server.expect_request("/v1/secrets/s1").respond_with_handler(echo)
    caplog.set_level(logging.DEBUG, logger=PACKAGE)
    with pytest.raises(errors.NotFoundError) as info:
        run(get_secret, client_id="c", client_secret="cs-SECRET-5",
            token_url="/oauth/token")  # fmt: skip
    assert "at-SECRET-4" in info.value.body  # the body is the server's, as sent
    _clean(str(info.value), repr(info.value), ours(caplog))


def test_a_token_endpoint_that_echoes_the_secret(
    run: Run, server: HTTPServer, errors: Any
) -> None:
    server.expect_request("/v1/oauth/token").respond_with_handler(
        lambda r: Response(f"bad client: {r.get_data(as_text=True)}", 401)
    )
    with pytest.raises(errors.AuthenticationError) as info:
        run(get_secret, client_id="c", client_secret="cs-SECRET-5",
            token_url="/oauth/token")  # fmt: skip
    _clean(str(info.value), repr(info.value))


def test_long_header_values_are_cut_in_log_lines(
    run: Run, server: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_json(SECRET)
    caplog.set_level(logging.DEBUG, logger=PACKAGE)
    run(lambda c: c.vault.get_secret("s1", extra_headers={"X-Trace": "x" * 5000}))
    logged = ours(caplog)
    assert "x" * 200 in logged and "x" * 201 not in logged
    assert "5000 characters" in logged


@pytest.mark.parametrize(
    "name,secret",
    [("api_key", True), ("apiKey", True), ("X-Auth-Token", True), ("accesstoken", True),
     ("client_secret", True), ("X-Amz-Signature", True), ("sessionId", True),
     ("keyword", False), ("max_tokens", False), ("page", False), ("author", False)],
)  # fmt: skip
def test_which_names_are_secret(pkg: Any, name: str, secret: bool) -> None:
    _errors = importlib.import_module(PACKAGE + "._errors")
    assert _errors.secret_name(name) is secret


# --- 12. credentials never follow a redirect to another origin ------------------

CREDENTIALS = {
    "api_key": KEY,
    "token": TOKEN,
    "headers": {
        "Cookie": "sid=SECRET",
        "X-Session-Token": "st-SECRET",
        "X-Plain": "ok",
    },
}


def _carries_no_credentials(request: Request) -> None:
    for name in ("Authorization", "X-Vault-Key", "Cookie", "X-Session-Token"):
        assert name not in request.headers, name
    assert request.headers["X-Plain"] == "ok"  # other headers still go


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_carries_no_credentials(
    run: Run, server: HTTPServer, elsewhere: HTTPServer, status: int
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_data(
        "", status=status, headers={"Location": elsewhere.url_for("/landing")}
    )
    elsewhere.expect_request("/landing").respond_with_json(SECRET)
    assert run(get_secret, **CREDENTIALS).id == "s1"
    ((first, _),) = server.log
    assert first.headers["X-Vault-Key"] == KEY
    ((landed, _),) = elsewhere.log
    _carries_no_credentials(landed)


def test_a_redirect_to_another_host_name_carries_no_credentials(
    run: Run, server: HTTPServer
) -> None:
    # localhost and 127.0.0.1 are the same server, but not the same origin.
    server.expect_request("/v1/secrets/s1").respond_with_data(
        "", status=302,
        headers={"Location": f"http://localhost:{server.port}/v1/landing"},
    )  # fmt: skip
    server.expect_request("/v1/landing").respond_with_json(SECRET)
    run(get_secret, **CREDENTIALS)
    _carries_no_credentials(server.log[1][0])


def test_your_own_client_following_redirects_is_guarded_too(
    run: Run, server: HTTPServer, elsewhere: HTTPServer, mode: str
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_data(
        "", status=302, headers={"Location": elsewhere.url_for("/landing")}
    )
    elsewhere.expect_request("/landing").respond_with_json(SECRET)
    kind = httpx.Client if mode == "sync" else httpx.AsyncClient
    own = kind(follow_redirects=True, cookies={"sid": "jar-SECRET"})
    run(get_secret, http_client=own, **CREDENTIALS)
    ((landed, _),) = elsewhere.log
    _carries_no_credentials(landed)


def test_a_redirect_on_the_same_origin_keeps_the_credentials(
    run: Run, server: HTTPServer
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_data(
        "", status=308, headers={"Location": "/v1/secrets/s2"}
    )
    server.expect_request("/v1/secrets/s2").respond_with_json(SECRET)
    run(get_secret, api_key=KEY, token=TOKEN)
    second = server.log[1][0]
    assert second.headers["X-Vault-Key"] == KEY
    assert second.headers["Authorization"] == f"Bearer {TOKEN}"


# --- 13. deadlines and limits ------------------------------------------------------


def drip_body(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    """Headers at once, then a byte of the body every half second."""
    conn.sendall(http("200 OK", b"", JSON, "Content-Length: 1000"))
    for _ in range(60):
        if stop.wait(0.5):
            return
        conn.sendall(b" ")


def drip_head(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    """The status line and headers themselves, a byte every half second."""
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 60:
        if stop.wait(0.5):
            return
        conn.sendall(bytes([byte]))


def endless_continue(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    """``100 Continue`` after ``100 Continue``, never a final answer."""
    for _ in range(3000):
        if stop.wait(0.01):
            return
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")


@pytest.mark.parametrize(
    "drip", [drip_body, drip_head, endless_continue], ids=["body", "headers", "100s"]
)
def test_timeout_bounds_a_server_that_drips(
    run: Run, raw: Callable[..., RawServer], errors: Any, drip: Any
) -> None:
    server = raw(drip)
    seconds, exc = timed(run, get_secret, base_url=server.url, timeout=1.0)
    assert isinstance(exc, errors.ApiTimeoutError), repr(exc)
    assert seconds < 6  # the drip would hold the call for 30 s (hours, in life)


def test_per_call_timeout_bounds_the_call_too(
    run: Run, raw: Callable[..., RawServer], errors: Any
) -> None:
    server = raw(drip_body)
    seconds, exc = timed(
        run, lambda c: c.vault.get_secret("s1", timeout=1.0), base_url=server.url
    )
    assert isinstance(exc, errors.ApiTimeoutError) and seconds < 6


def test_retries_end_by_the_deadline(run: Run, server: HTTPServer, errors: Any) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_data(
        "{}", status=503, headers={"Retry-After": "1"}
    )
    seconds, exc = timed(run, get_secret, timeout=2.5, max_retries=50)
    assert isinstance(exc, errors.ServerError)
    assert seconds < 5
    assert 1 <= len(server.log) <= 3


def test_a_long_retry_after_is_not_waited_for(
    run: Run, server: HTTPServer, errors: Any
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_data(
        "{}", status=429, headers={"Retry-After": "3600"}
    )
    seconds, exc = timed(run, get_secret)  # the default timeout: 30 s
    assert isinstance(exc, errors.RateLimitError)
    assert seconds < 5 and len(server.log) == 1


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """300 MB of zeros, gzipped to about 300 KB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(300)) + packer.flush()


def test_a_gzip_bomb_is_refused(
    run: Run, raw: Callable[..., RawServer], errors: Any, bomb: bytes
) -> None:
    server = raw(canned(http("200 OK", bomb, JSON, "Content-Encoding: gzip")))
    _, exc = timed(run, get_secret, base_url=server.url)
    assert isinstance(exc, errors.ResponseTooLargeError), repr(exc)
    assert exc.status_code == 200 and exc.content == b""
    assert "max_response_size" in str(exc)


def test_max_response_size_can_be_raised(
    run: Run, raw: Callable[..., RawServer], errors: Any
) -> None:
    body = gzip.compress(bytes(2_000_000))
    server = raw(canned(http("200 OK", body, "Content-Encoding: gzip")))
    fetch = lambda c: c.vault.get_blob("b1")  # noqa: E731
    with pytest.raises(errors.ResponseTooLargeError):
        run(fetch, base_url=server.url, max_response_size=1_000_000)
    assert (
        len(run(fetch, base_url=server.url, max_response_size=3_000_000)) == 2_000_000
    )
    assert len(run(lambda c: c.with_options(max_response_size=None).vault.get_blob("b"),
                   base_url=server.url, max_response_size=10)) == 2_000_000  # fmt: skip


def test_an_error_body_over_the_limit_is_cut_not_refused(
    run: Run, server: HTTPServer, errors: Any
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_data("e" * 5000, status=404)
    with pytest.raises(errors.NotFoundError) as info:
        run(get_secret, max_response_size=1000)
    assert info.value.content == b"e" * 1000


def test_a_download_is_read_within_the_deadline(
    run: Run, raw: Callable[..., RawServer], errors: Any, mode: str
) -> None:
    server = raw(drip_body)

    def download(client: Any) -> Any:
        if mode == "sync":
            with client.vault.get_blob_stream("b1") as blob:
                return blob.save(io.BytesIO())

        async def save() -> Any:
            async with client.vault.get_blob_stream("b1") as blob:
                return await blob.save(io.BytesIO())

        return save()

    seconds, exc = timed(run, download, base_url=server.url, timeout=1.0)
    assert isinstance(exc, errors.ApiTimeoutError), repr(exc)
    assert seconds < 6


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    run: Run, raw: Callable[..., RawServer], errors: Any
) -> None:
    def promise(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        conn.sendall(http("200 OK", b"", "Content-Length: 10000000000"))
        stop.wait(30)  # and never send it

    server = raw(promise)
    seconds, exc = timed(run, get_secret, base_url=server.url)
    assert isinstance(exc, errors.ResponseTooLargeError) and seconds < 5


# --- 14. OAuth: one token request, whatever the concurrency and expiry ---------


def slow_token_endpoint(server: HTTPServer, body: dict[str, Any]) -> list[int]:
    """A token endpoint that takes 0.3 s; the list counts its requests."""
    count: list[int] = []

    def issue(request: Request) -> Response:
        count.append(1)
        time.sleep(0.3)
        return Response(json.dumps(body), content_type="application/json")

    server.expect_request("/v1/oauth/token").respond_with_handler(issue)
    server.expect_request("/v1/secrets/s1").respond_with_json(SECRET)
    return count


OAUTH = {"client_id": "c", "client_secret": "cs-SECRET-5", "token_url": "/oauth/token"}


def test_concurrent_cold_sync_calls_share_one_token_request(
    pkg: Any, server: HTTPServer, base: str
) -> None:
    count = slow_token_endpoint(server, {"access_token": "t", "expires_in": 3600})
    with (
        pkg.Client(base, **OAUTH) as client,
        concurrent.futures.ThreadPoolExecutor(10) as pool,
    ):
        results = list(pool.map(lambda _: get_secret(client).id, range(10)))
    assert results == ["s1"] * 10
    assert len(count) == 1


def test_concurrent_cold_async_calls_share_one_token_request(
    pkg: Any, server: HTTPServer, base: str
) -> None:
    count = slow_token_endpoint(server, {"access_token": "t", "expires_in": 3600})

    async def main() -> list[str]:
        async with pkg.AsyncClient(base, **OAUTH) as client:
            found = await asyncio.gather(*(get_secret(client) for _ in range(20)))
            return [s.id for s in found]

    assert asyncio.run(main()) == ["s1"] * 20
    assert len(count) == 1


@pytest.mark.parametrize("expires_in", [0, -30, None, "soon", "NaN", 1e308, True])
def test_an_odd_expires_in_does_not_cost_a_token_request_per_call(
    run: Run, server: HTTPServer, expires_in: Any
) -> None:
    body: dict[str, Any] = {"access_token": "t"}
    if expires_in is not None:
        body["expires_in"] = expires_in
    server.expect_request("/v1/oauth/token").respond_with_json(body)
    server.expect_request("/v1/secrets/s1").respond_with_json(SECRET)

    def five(client: Any) -> Any:
        if isinstance(client, httpx.AsyncClient) or hasattr(client, "aclose"):

            async def calls() -> None:
                for _ in range(5):
                    await get_secret(client)

            return calls()
        for _ in range(5):
            get_secret(client)
        return None

    run(five, **OAUTH)
    assert [r.path for r, _ in server.log].count("/v1/oauth/token") == 1


def test_the_documented_token_endpoint_is_on_the_base_url(
    pkg: Any, server: HTTPServer, base: str
) -> None:
    server.expect_request("/v1/oauth/token").respond_with_json({"access_token": "t"})
    server.expect_request("/v1/secrets/s1").respond_with_json(SECRET)
    documented = type("Documented", (pkg.Client,), {"token_url": "oauth/token"})
    with documented(base, client_id="c", client_secret="s") as client:
        get_secret(client)
    assert [r.path for r, _ in server.log] == ["/v1/oauth/token", "/v1/secrets/s1"]


def test_your_own_clients_auth_is_used_when_the_client_has_none(
    pkg: Any, server: HTTPServer, base: str
) -> None:
    server.expect_request("/v1/secrets/s1").respond_with_json(SECRET)
    with pkg.Client(base, http_client=httpx.Client(auth=("ada", "pw"))) as client:
        get_secret(client)
    assert server.log[0][0].authorization.username == "ada"


# --- 15. only the README's own environment variables --------------------------


def test_the_client_reads_only_its_own_variables(pkg: Any) -> None:
    assert pkg.Client.credential_env == {
        "api_key": "VAULT_API_KEY",
        "client_id": "CLIENT_ID",
        "client_secret": "CLIENT_SECRET",
    }


def test_another_services_secret_is_never_sent(
    run: Run, server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-SECRET")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-SECRET")
    server.expect_request("/v1/secrets/s1").respond_with_json(SECRET)
    run(get_secret)
    ((request, _),) = server.log
    sent = json.dumps([request.url, dict(request.headers)])
    assert "SECRET" not in sent
    monkeypatch.setenv("VAULT_API_KEY", KEY)
    run(get_secret)
    assert server.log[1][0].headers["X-Vault-Key"] == KEY


@pytest.mark.parametrize(
    "title,row,read",
    [
        ("# Vault Python SDK", "VAULT_API_KEY", {"api_key": "VAULT_API_KEY"}),
        ("# Vault Python SDK", "API_KEY", {"api_key": "API_KEY"}),
        ("# Vault Python SDK", "OPENAI_API_KEY", {}),
        ("# Vault Python SDK", "GITHUB_TOKEN", {}),
        ("# Vault Python SDK", "VAULT_GITHUB_TOKEN", {}),
        ("# OpenAI Python SDK", "OPENAI_API_KEY", {"api_key": "OPENAI_API_KEY"}),
        ("# NY Times Books SDK", "NY_TIMES_API_KEY", {"api_key": "NY_TIMES_API_KEY"}),
        ("# PandascoreClient SDK", "PANDASCORE_TOKEN", {"token": "PANDASCORE_TOKEN"}),
    ],
)  # fmt: skip
def test_which_variables_a_readme_defines(
    title: str, row: str, read: dict[str, str]
) -> None:
    from generator.read.parse_readme import read_readme

    text = (
        f"{title}\n\n## Environment Variables\n\nSee also {row} and `GITHUB_TOKEN`.\n\n"
        f"| Name | Description |\n| :--- | :--- |\n| {row} | A variable |\n"
    )
    assert read_readme(text, "README.md").variables == read


# --- 16. the models work with the tools users combine them with -----------------


def _classes(module: Any) -> list[type]:
    models = importlib.import_module(module.__name__ + ".models")
    found = [getattr(models, name) for name in models._MODULES]
    return [c for c in found if isinstance(c, type)]


def test_get_type_hints_works_on_every_generated_class(pkg: Any) -> None:
    classes = _classes(pkg)
    assert classes
    for cls in classes:
        hints = typing.get_type_hints(cls)
        assert "_extra" in hints or issubclass(cls, enum.Enum)


def test_a_pydantic_type_adapter_round_trips_a_model(pkg: Any) -> None:
    pydantic = pytest.importorskip("pydantic")
    page = pkg.SecretPage.from_dict(
        {"data": [{"id": "s1", "value": "v", "tags": ["a"]}], "nextCursor": "c2"}
    )
    adapter = pydantic.TypeAdapter(pkg.SecretPage)
    again = adapter.validate_python(adapter.dump_python(page, warnings=False))
    assert again == page
    assert again.to_dict() == page.to_dict()


def _sample(hint: Any, depth: int) -> Any:
    """A value of an annotation (nested models built to depth 3)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        usable = [a for a in args if a is not type(None) and a.__name__ != "Unset"]
        return _sample(usable[0], depth) if usable else None
    if origin is list:
        return [_sample(args[0], depth)] if depth < 3 else []
    if origin is dict:
        return {"k": _sample(args[1], depth)} if depth < 3 else {}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return next(iter(hint))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(hint, depth + 1)
    plain = {str: "text", int: 7, float: 2.5, bool: True, bytes: b"b"}
    return plain.get(hint, {"any": [1, "two"]})


def _build(cls: type, depth: int = 0) -> Any:
    """An instance of a generated model with every property set (to depth 3)."""
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if not f.name.startswith("_")]
    return cls(**{f.name: _sample(hints[f.name], depth) for f in fields})


@pytest.mark.slow
def test_pydantic_round_trips_every_model_of_a_corpus_set(tmp_path: Path) -> None:
    pydantic = pytest.importorskip("pydantic")
    specs = need_shared(CORPUS / "liblaber__postman-postman-api-1.0.0-python-1.0.0")
    generate_into(tmp_path, specs, "postman_models")
    with imported(tmp_path, "postman_models") as postman:
        models = [c for c in _classes(postman) if dataclasses.is_dataclass(c)]
        assert len(models) > 400
        for cls in models:
            made = _build(cls)
            adapter = pydantic.TypeAdapter(cls)
            again = adapter.validate_python(adapter.dump_python(made, warnings=False))
            assert again == made, cls.__name__
            assert cls.from_dict(made.to_dict()) == made, cls.__name__
