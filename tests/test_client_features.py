"""The client's second generation, end to end against a real local server.

The package ``shopapi`` is generated from tests/fixtures/shop_api (cursor,
page and offset paging, an upload, a download, an OAuth token endpoint, a
deprecated method and parameter, an idempotency key, environments and
credential variables in the README) and talks HTTP to pytest-httpserver on
127.0.0.1, through ``Client`` and ``AsyncClient``.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import shutil
import subprocess
import sys
import time
import types
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import generate_into, imported, with_client
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "shop_api"
PACKAGE = "shopapi"
TOKEN = {"access_token": "tok-1", "expires_in": 3600, "token_type": "Bearer"}
Run = Callable[..., Any]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_into(tmp_path_factory.mktemp("features"), FIXTURE, PACKAGE)


@pytest.fixture(scope="module")
def pkg(generated: Path) -> Iterator[Any]:
    with imported(generated, PACKAGE) as module:
        yield module


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def base(httpserver: HTTPServer) -> str:
    return httpserver.url_for("/v2")


def token_endpoint(server: HTTPServer, body: dict[str, Any] = TOKEN) -> None:
    server.expect_request("/v2/oauth2/token", method="POST").respond_with_json(body)


@pytest.fixture
def run(pkg: Any, mode: str, base: str) -> Run:
    """``run(action, **client_kwargs)`` with a fresh sync or async client."""

    def go(action: Callable[[Any], Any], **kwargs: Any) -> Any:
        kwargs.setdefault("base_url", base)
        kwargs.setdefault("client_id", "cid")
        kwargs.setdefault("client_secret", "s3cr3t")
        return with_client(pkg, mode, action, kwargs)

    return go


def collect(iterable: Any) -> Any:
    """A list from a pager, whether it iterates or async-iterates."""
    if hasattr(iterable, "__aiter__"):

        async def gather() -> list[Any]:
            return [x async for x in iterable]

        return gather()
    return list(iterable)


def get_twice(c: Any) -> Any:
    """Two calls of ``get_item("i1")`` on a sync or an async client."""
    if asyncio.iscoroutinefunction(c.items.get_item):

        async def both() -> None:
            await c.items.get_item("i1")
            await c.items.get_item("i1")

        return both()
    c.items.get_item("i1")
    c.items.get_item("i1")
    return None


def api_requests(server: HTTPServer) -> list[Request]:
    return [r for r, _ in server.log if not r.path.endswith("/oauth2/token")]


# --- paging ---


def test_cursor_paging_follows_next_cursor_to_the_end(
    run: Run, httpserver: HTTPServer
) -> None:
    token_endpoint(httpserver)
    pages = {
        None: {"data": [{"id": "a"}, {"id": "b"}], "meta": {"nextCursor": "c2"}},
        "c2": {"data": [{"id": "c"}], "meta": {"nextCursor": "c3"}},
        "c3": {"data": [{"id": "d"}], "meta": {}},  # no cursor: the last page
    }

    def handler(request: Request) -> Response:
        return Response(json.dumps(pages[request.args.get("cursor")]), 200,
                        content_type="application/json")  # fmt: skip

    httpserver.expect_request("/v2/items").respond_with_handler(handler)
    items = run(lambda c: collect(c.items.iter_items(limit=2)))
    assert [i.id for i in items] == ["a", "b", "c", "d"]
    sent = api_requests(httpserver)
    assert [r.args.get("cursor") for r in sent] == [None, "c2", "c3"]
    assert all(r.args.get("limit") == "2" for r in sent)


@pytest.mark.parametrize(
    ("stop", "pages"),
    [
        ("empty page", [{"data": [{"id": "a"}], "meta": {"nextCursor": "x"}},
                        {"data": [], "meta": {"nextCursor": "y"}}]),
        ("repeated cursor", [{"data": [{"id": "a"}], "meta": {"nextCursor": "x"}},
                             {"data": [{"id": "b"}], "meta": {"nextCursor": "x"}}]),
    ],
)  # fmt: skip
def test_cursor_paging_stops(
    run: Run, httpserver: HTTPServer, stop: str, pages: list[Any]
) -> None:
    token_endpoint(httpserver)
    served = iter(pages)
    httpserver.expect_request("/v2/items").respond_with_handler(
        lambda r: Response(json.dumps(next(served)), 200,
                           content_type="application/json")  # fmt: skip
    )
    items = run(lambda c: collect(c.items.iter_items()))
    assert len(api_requests(httpserver)) == 2, stop
    assert [i.id for i in items] == [p["id"] for page in pages for p in page["data"]]


def test_page_paging_counts_pages_and_stops_on_a_short_page(
    run: Run, httpserver: HTTPServer
) -> None:
    token_endpoint(httpserver)

    def handler(request: Request) -> Response:
        page = int(request.args["page"])
        body = [{"id": f"o{page}-{i}"} for i in range(2 if page < 3 else 1)]
        return Response(json.dumps(body), 200, content_type="application/json")

    httpserver.expect_request("/v2/orders").respond_with_handler(handler)
    orders = run(lambda c: collect(c.items.iter_orders(per_page=2)))
    assert [r.args["page"] for r in api_requests(httpserver)] == ["1", "2", "3"]
    assert len(orders) == 5


def test_offset_paging_and_pages(run: Run, httpserver: HTTPServer, mode: str) -> None:
    token_endpoint(httpserver)

    def handler(request: Request) -> Response:
        offset = int(request.args.get("offset", "0"))
        found = [{"id": str(i)} for i in range(offset, min(offset + 2, 5))]
        return Response(json.dumps({"results": found, "total": 5}), 200,
                        content_type="application/json")  # fmt: skip

    httpserver.expect_request("/v2/search").respond_with_handler(handler)

    def pages(c: Any) -> Any:
        pager = c.items.iter_search_items(q="lamp")
        if mode == "sync":
            return [p.total for p in pager.pages()]

        async def gather() -> list[Any]:
            return [p.total async for p in pager.pages()]

        return gather()

    assert run(pages) == [5, 5, 5, 5]  # 2 + 2 + 1 items, then an empty page
    offsets = [r.args.get("offset") for r in api_requests(httpserver)]
    assert offsets == [None, "2", "4", "5"]


# --- per-call options ---


def test_per_call_options_reach_the_request(run: Run, httpserver: HTTPServer) -> None:
    token_endpoint(httpserver)
    httpserver.expect_request("/v2/orders", method="POST").respond_with_json(
        {"id": "o1"}
    )
    order = run(
        lambda c: c.items.create_order(
            body={"id": "o1", "total": 3},
            extra_headers={"X-Trace": "t1"},
            extra_query={"dry": "true"},
            extra_body={"note": "gift"},
            timeout=5.0,
        )
    )
    assert order.id == "o1"
    (sent,) = api_requests(httpserver)
    assert sent.headers["X-Trace"] == "t1"
    assert sent.args["dry"] == "true"
    assert json.loads(sent.data) == {"id": "o1", "total": 3, "note": "gift"}


def test_per_call_timeout_and_max_retries(run: Run, httpserver: HTTPServer) -> None:
    token_endpoint(httpserver)
    httpserver.expect_request("/v2/items/slow").respond_with_handler(
        lambda r: (time.sleep(0.5), Response("{}", 200))[1]
    )
    httpserver.expect_request("/v2/items/busy").respond_with_json(
        {}, status=503, headers={"Retry-After": "0"}
    )
    from shopapi.errors import ApiTimeoutError, ServerError

    with pytest.raises(ApiTimeoutError):
        run(lambda c: c.items.get_item("slow", timeout=0.1, max_retries=0))
    with pytest.raises(ServerError):
        run(lambda c: c.items.get_item("busy", max_retries=3))
    busy = [r for r in api_requests(httpserver) if r.path.endswith("busy")]
    assert len(busy) == 4


def test_with_options_shares_the_pool(pkg: Any, base: str) -> None:
    with pkg.Client(base, client_id="a", client_secret="b", timeout=9.0) as client:
        quick = client.with_options(timeout=1.0, headers={"X-Mode": "quick"})
        assert quick._client is client._client
        assert (quick.timeout, client.timeout) == (1.0, 9.0)
        assert quick.items._http is quick
        quick.close()  # does not close the shared pool
        assert not client._client.is_closed


def test_options_are_typed(generated: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(
        "from shopapi import Client\n"
        "c = Client(client_id='a', client_secret='b')\n"
        "c.items.get_item('i', timeout=2.0, extra_headers={'A': 'b'})\n"
        "c.items.get_item('i', timeout='soon')  # wrong: not a timeout\n"
        "c.items.get_item('i', retries=3)  # wrong: no such option\n"
        "for item in c.items.iter_items():\n"
        "    reveal_type(item)\n",
        "utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(usage)],
        capture_output=True, text=True, cwd=generated,
        env={"MYPYPATH": str(generated), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    out = done.stdout
    assert 'Revealed type is "shopapi.models.item.Item"' in out, out
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 2, out
    assert ":4:" in errors[0] and ":5:" in errors[1]


# --- bodies ---


def test_multipart_upload_reaches_the_server(
    run: Run, httpserver: HTTPServer, tmp_path: Path, pkg: Any
) -> None:
    token_endpoint(httpserver)
    seen: list[dict[str, Any]] = []

    def handler(request: Request) -> Response:
        upload = request.files["file"]
        seen.append(
            {"type": request.mimetype, "name": upload.filename,
             "ctype": upload.mimetype, "data": upload.read(),
             "title": request.form.get("title"), "tags": request.form.getlist("tags")}
        )  # fmt: skip
        return Response(json.dumps({"fileId": "f1"}), 200,
                        content_type="application/json")  # fmt: skip

    httpserver.expect_request("/v2/files", method="POST").respond_with_handler(handler)
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 x")
    for file in (
        path,
        ("notes.txt", io.BytesIO(b"hello"), "text/plain"),
        b"\x00raw",
    ):
        upload = pkg.Upload(file=file, title="T", tags=["a", "b"])
        sent = run(lambda c, u=upload: c.items.upload_file(body=u))
        assert sent.file_id == "f1"
    assert [s["type"] for s in seen] == ["multipart/form-data"] * 3
    assert [(s["name"], s["data"]) for s in seen] == [
        ("report.pdf", b"%PDF-1.4 x"), ("notes.txt", b"hello"), ("file", b"\x00raw")
    ]  # fmt: skip
    assert seen[1]["ctype"] == "text/plain"
    assert all(s["title"] == "T" and s["tags"] == ["a", "b"] for s in seen)


def test_download_streams_to_a_file(
    pkg: Any, httpserver: HTTPServer, base: str, tmp_path: Path
) -> None:
    token_endpoint(httpserver)
    blob = bytes(range(256)) * 1000
    httpserver.expect_request("/v2/files/f1").respond_with_data(
        blob, content_type="application/octet-stream"
    )
    with pkg.Client(base, client_id="a", client_secret="b") as client:
        assert client.items.download_file("f1") == blob
        with client.items.download_file_stream("f1") as download:
            assert download.save(tmp_path / "out.bin") == len(blob)
    assert (tmp_path / "out.bin").read_bytes() == blob


# --- auth ---


def test_oauth_token_is_form_encoded_cached_and_sent(
    run: Run, httpserver: HTTPServer
) -> None:
    token_endpoint(httpserver)
    httpserver.expect_request("/v2/items/i1").respond_with_json({"id": "i1"})

    run(get_twice)
    token_requests = [r for r, _ in httpserver.log if r.path.endswith("token")]
    assert len(token_requests) == 1  # cached
    form = token_requests[0]
    assert form.mimetype == "application/x-www-form-urlencoded"
    assert dict(form.form) == {
        "grant_type": "client_credentials",
        "client_id": "cid",
        "client_secret": "s3cr3t",
    }
    assert all(
        r.headers["Authorization"] == "Bearer tok-1" for r in api_requests(httpserver)
    )


def test_oauth_token_is_refreshed_when_expired_and_once_on_401(
    pkg: Any, run: Run, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = iter(["t1", "t2", "t3"])
    httpserver.expect_request("/v2/oauth2/token").respond_with_handler(
        lambda r: Response(
            json.dumps({"access_token": next(tokens), "expires_in": 120}),
            200, content_type="application/json",
        )  # fmt: skip
    )
    statuses = iter([200, 401, 200])
    httpserver.expect_request("/v2/items/i1").respond_with_handler(
        lambda r: Response(json.dumps({"id": "i1"}), next(statuses),
                           content_type="application/json")  # fmt: skip
    )
    clock = types.SimpleNamespace(monotonic=time.monotonic)
    monkeypatch.setattr(pkg._auth, "time", clock)

    def an_hour_later() -> None:
        clock.monotonic = lambda: time.monotonic() + 3600

    def calls(c: Any) -> Any:
        if asyncio.iscoroutinefunction(c.items.get_item):

            async def both() -> None:
                await c.items.get_item("i1")
                an_hour_later()
                await c.items.get_item("i1")

            return both()
        c.items.get_item("i1")
        an_hour_later()
        c.items.get_item("i1")
        return None

    run(calls)
    sent = [r.headers["Authorization"] for r in api_requests(httpserver)]
    # expired (after 120 s) before the second call: t2; its 401: t3, once
    assert sent == ["Bearer t1", "Bearer t2", "Bearer t3"]


def test_credentials_and_base_url_from_the_environment(
    pkg: Any, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_endpoint(httpserver)
    httpserver.expect_request("/v2/items/i1").respond_with_json({"id": "i1"})
    monkeypatch.setenv("SHOP_CLIENT_ID", "env-id")
    monkeypatch.setenv("SHOP_CLIENT_SECRET", "env-secret")
    monkeypatch.setenv("SHOPAPI_BASE_URL", httpserver.url_for("/v2"))
    with pkg.Client() as client:
        client.items.get_item("i1")
    form = next(r for r, _ in httpserver.log if r.path.endswith("token")).form
    assert (form["client_id"], form["client_secret"]) == ("env-id", "env-secret")


def test_environments_are_an_enum(pkg: Any) -> None:
    from shopapi.client import Environment

    client = pkg.Client(
        environment=Environment.SANDBOX, client_id="a", client_secret="b"
    )
    assert client.base_url == "https://sandbox.shop.test/v2"
    assert pkg.Client(client_id="a", client_secret="b").base_url == (
        "https://api.shop.test/v2"
    )


# --- observability and extension ---


def test_logging_redacts_credentials(
    pkg: Any, httpserver: HTTPServer, base: str, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    token_endpoint(httpserver)
    httpserver.expect_request("/v2/items/i1").respond_with_json(
        {"id": "i1"}, headers={"x-request-id": "req-42"}
    )
    caplog.set_level(logging.DEBUG, logger=PACKAGE)
    with pkg.Client(base, client_id="cid", client_secret="s3cr3t") as client:
        client.items.get_item("i1", extra_headers={"X-Api-Token": "tt-secret-9"})
    text = caplog.text
    assert "GET http://" in text and "-> 200" in text and "attempt 1" in text
    assert "req-42" in text
    for secret in ("s3cr3t", "tok-1", "tt-secret-9"):
        assert secret not in text
    assert "***" in text


def test_request_ids_on_errors(pkg: Any, httpserver: HTTPServer, base: str) -> None:
    token_endpoint(httpserver)
    httpserver.expect_request("/v2/items/gone").respond_with_json(
        {"error": "no"}, status=404, headers={"x-request-id": "req-7"}
    )
    from shopapi.errors import NotFoundError

    with (
        pkg.Client(base, client_id="a", client_secret="b") as client,
        pytest.raises(NotFoundError) as caught,
    ):
        client.items.get_item("gone")
    assert caught.value.request_id == "req-7"


def test_middleware_runs_in_order_once_per_attempt(
    pkg: Any, httpserver: HTTPServer, base: str, mode: str
) -> None:
    token_endpoint(httpserver)
    statuses = iter([503, 200])
    httpserver.expect_request("/v2/items/i1").respond_with_handler(
        lambda r: Response(json.dumps({"id": "i1"}), next(statuses),
                           headers={"Retry-After": "0"},
                           content_type="application/json")  # fmt: skip
    )
    calls: list[str] = []

    def layer(name: str) -> Any:
        if mode == "sync":

            def sync(request: httpx.Request, call_next: Any) -> httpx.Response:
                calls.append(f"{name}>")
                request.headers[f"X-{name}"] = "1"
                response: httpx.Response = call_next(request)
                calls.append(f"<{name}")
                return response

            return sync

        async def later(request: httpx.Request, call_next: Any) -> httpx.Response:
            calls.append(f"{name}>")
            request.headers[f"X-{name}"] = "1"
            response: httpx.Response = await call_next(request)
            calls.append(f"<{name}")
            return response

        return later

    kwargs = {
        "client_id": "a",
        "client_secret": "b",
        "middleware": [layer("a"), layer("b")],
    }
    if mode == "sync":
        with pkg.Client(base, **kwargs) as client:
            client.items.get_item("i1")
    else:

        async def main() -> None:
            async with pkg.AsyncClient(base, **kwargs) as client:
                await client.items.get_item("i1")

        asyncio.run(main())
    assert calls == ["a>", "b>", "<b", "<a"] * 2  # two attempts
    assert all(r.headers.get("X-a") == "1" for r in api_requests(httpserver))


# --- deprecation ---


def test_deprecated_methods_and_parameters_warn(
    pkg: Any, httpserver: HTTPServer, base: str
) -> None:
    token_endpoint(httpserver)
    httpserver.expect_request("/v2/old-items").respond_with_json([])
    httpserver.expect_request("/v2/items/i1").respond_with_json({"id": "i1"})
    with pkg.Client(base, client_id="a", client_secret="b") as client:
        with pytest.warns(DeprecationWarning, match="list_old_items"):
            client.items.list_old_items()
        with pytest.warns(DeprecationWarning, match="legacy_format"):
            client.items.get_item("i1", legacy_format=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            client.items.get_item("i1")  # not passing it: no warning


def test_setting_a_deprecated_field_warns_but_decoding_it_does_not(
    pkg: Any, httpserver: HTTPServer, base: str
) -> None:
    with pytest.warns(DeprecationWarning, match=r"Item\.legacy_code is deprecated"):
        item = pkg.Item(id="i1", legacy_code="old")
    assert item.to_dict() == {"id": "i1", "legacyCode": "old"}
    token_endpoint(httpserver)
    served = {"id": "i1", "legacyCode": "old", "more": 1}
    httpserver.expect_request("/v2/items/i1").respond_with_json(served)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pkg.Item(id="i2")  # not setting it: no warning
        assert pkg.Item.from_dict(served).to_dict() == served
        assert pkg._runtime.generic_from_dict(pkg.Item, served).legacy_code == "old"
        with pkg.Client(base, client_id="a", client_secret="b") as client:
            assert client.items.get_item("i1").legacy_code == "old"
    with pytest.warns(DeprecationWarning):  # the flag does not stick
        pkg.Item(id="i3", legacy_code="x")


def test_generated_package_passes_mypy_strict(generated: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", PACKAGE],
        capture_output=True, text=True, cwd=generated,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert re.search(r"Success: no issues found", done.stdout)


STRICT = '{"typeCheckingMode": "strict", "pythonVersion": "3.10"}'


@pytest.mark.parametrize(
    "checker",
    [
        ["basedpyright", "--pythonpath", sys.executable, PACKAGE],  # pyright strict
        ["ruff", "check", "--isolated", "--target-version", "py310", PACKAGE],
    ],
    ids=["pyright-strict", "ruff-defaults"],
)
def test_generated_package_passes_pyright_strict_and_ruff(
    generated: Path, checker: list[str]
) -> None:
    (generated / "pyrightconfig.json").write_text(STRICT, "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", *checker],
        capture_output=True, text=True, cwd=generated,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]


@pytest.mark.parametrize(
    ("readme", "where"),
    [
        ("### API Key Authentication\n\nSend the key in the `X-Shop-Key` request "
         "header.\n", "header"),
        ("Search: `https://api.test/v1/things?q=x&api-key=yourkey`\n", "query"),
    ],
)  # fmt: skip
def test_api_key_goes_where_the_readme_says(
    tmp_path: Path, httpserver: HTTPServer, readme: str, where: str
) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(FIXTURE / "documentation", specs / "documentation")
    (specs / "README.md").write_text(f"# Shop\n\n## Authentication\n\n{readme}")
    root = generate_into(tmp_path / "out", specs, "keyshop")
    httpserver.expect_request("/v2/items/i1").respond_with_json({"id": "i1"})
    with imported(root, "keyshop") as module:
        client = module.Client(httpserver.url_for("/v2"), api_key="k-1")
        client.items.get_item("i1")
        client.close()
    ((request, _),) = httpserver.log
    if where == "header":
        assert request.headers["X-Shop-Key"] == "k-1"
        assert "api-key" not in request.args
    else:
        assert request.args["api-key"] == "k-1"
        assert "X-API-Key" not in request.headers
