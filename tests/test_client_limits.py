"""The client's connection pool: ``limits=``, and a default that keeps every
connection of the pool alive, measured against a real server on 127.0.0.1
that counts the connections it accepts."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.core import generate
from generator.write.package import write_files

DOC = (
    "# Ping\n\n**Properties**\n\n| Name | Type | Required | Description |\n"
    "| :--- | :--- | :--- | :--- |\n| ok | boolean | ✅ | |\n"
)


class _Counting(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True
    wbufsize = -1  # one write per response (flushed after each request)
    connections = 0
    lock = threading.Lock()

    def setup(self) -> None:
        super().setup()
        with self.lock:
            type(self).connections += 1

    def do_GET(self) -> None:
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, type[_Counting]]]:
    handler = type("Handler", (_Counting,), {"connections": 0})
    server_class = type(
        "Server",
        (http.server.ThreadingHTTPServer,),
        {"request_queue_size": 512, "daemon_threads": True},
    )
    httpd = server_class(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import importlib
    import sys

    root = tmp_path_factory.mktemp("limits")
    (root / "specs").mkdir()
    (root / "specs" / "Ping.md").write_text(DOC, "utf-8")
    result = generate([root / "specs"], package="limitspkg")
    assert not result.diagnostics.has_errors
    write_files(root / "out" / "limitspkg", result.files)
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("limitspkg")
    finally:
        sys.path.remove(str(root / "out"))


def _burst(pkg: Any, url: str, requests: int, width: int, **kwargs: Any) -> None:
    async def run() -> None:
        async with pkg.AsyncClient(url, max_retries=0, **kwargs) as client:
            gate = asyncio.Semaphore(width)
            decode = pkg.Ping.from_dict

            async def one() -> None:
                async with gate:
                    got = await client.request("GET", "/ping", decode=decode)
                    assert got.ok is True

            await asyncio.gather(*(one() for _ in range(requests)))

    asyncio.run(run())


def _connections(server: tuple[str, type[_Counting]], run: Any) -> int:
    url, handler = server
    before = handler.connections
    run(url)
    return handler.connections - before


def test_a_burst_reuses_the_pool_by_default(pkg: Any, server: Any) -> None:
    # 120 at a time through a pool of 100: httpx's own keep-alive of 20
    # closes most connections after each request and opens new ones.
    default = _connections(server, lambda url: _burst(pkg, url, 300, 120))
    few = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    churn = _connections(server, lambda url: _burst(pkg, url, 300, 120, limits=few))
    assert default <= 130, default  # the pool's 100, and a few the server dropped
    assert churn > 2 * default, (churn, default)


def test_limits_caps_the_pool(pkg: Any, server: Any) -> None:
    small = httpx.Limits(max_connections=5, max_keepalive_connections=5)
    opened = _connections(server, lambda url: _burst(pkg, url, 100, 50, limits=small))
    assert opened <= 5, opened


def test_limits_is_refused_with_a_client_of_your_own(pkg: Any) -> None:
    with (
        httpx.Client() as own,
        pytest.raises(TypeError, match="limits= is for the pool"),
    ):
        pkg.Client("http://127.0.0.1:9", http_client=own, limits=httpx.Limits())


def test_the_sync_client_takes_limits(pkg: Any, server: Any) -> None:
    url, _ = server
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=1)
    with pkg.Client(url, limits=limits) as client:
        assert client.request("GET", "/ping", decode=pkg.Ping.from_dict).ok is True


def test_the_documented_default(pkg: Any) -> None:
    limits = pkg._base.DEFAULT_LIMITS
    assert (limits.max_connections, limits.max_keepalive_connections) == (100, 100)
    assert Path(pkg._http.__file__).name == "_http.py"
