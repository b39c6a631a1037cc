"""Client details: the ``User-Agent`` names the distribution, docs2py, httpx
and Python; the per-call options start from defaults set once on
``Client(...)`` (headers, ``api_version`` where the API takes one, timeout,
retries), and each call can override them.  End to end against a real
server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import generate_into, imported
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator import __version__
from generator.core import generate, load
from generator.diagnostics import Diagnostics
from generator.settings import DistributionInfo, Settings

VERSIONED = """# ShipService

## getRate

- HTTP Method: `GET`
- Endpoint: `/rating/{version}/rates/{rateId}`

**Parameters**

| Name     | Type   | Required | Description          |
| :------- | :----- | :------- | :------------------- |
| version  | string | ✅       | Version of the API.  |
| rateId   | string | ✅       | The rate.            |

**Return Type**

`Any`

## listZones

- HTTP Method: `GET`
- Endpoint: `/zones`

**Parameters**

| Name          | Type   | Required | Description                 |
| :------------ | :----- | :------- | :-------------------------- |
| X-Api-Version | string | ❌       | The version to speak.       |
| region        | string | ❌       | A region.                   |

**Return Type**

`Any`
"""

PLAIN = VERSIONED.replace("Version of the API.", "The version of the rate.")
PLAIN = PLAIN.replace("X-Api-Version", "X-Trace")


def _write(root: Path, text: str) -> Path:
    specs = root / "specs"
    (specs / "services").mkdir(parents=True)
    (specs / "services" / "ShipService.md").write_text(text, "utf-8")
    return specs


@pytest.fixture(scope="module")
def ship(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("ship")
    generate_into(root, _write(root, VERSIONED), "shipapi")
    with imported(root, "shipapi") as module:
        yield module


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("plain")
    generate_into(root, _write(root, PLAIN), "plainapi")
    with imported(root, "plainapi") as module:
        yield module


def _seen(server: HTTPServer) -> list[Request]:
    return [request for request, _ in server.log]


# --- User-Agent ---------------------------------------------------------------


def test_the_user_agent_names_the_package_docs2py_httpx_and_python(
    ship: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/zones").respond_with_json([])
    with ship.Client(base_url=httpserver.url_for("")) as client:
        client.ship.list_zones()
    agent = _seen(httpserver)[0].headers["User-Agent"]
    python = ".".join(str(n) for n in sys.version_info[:3])
    assert agent == (
        f"shipapi/0.1.0 docs2py/{__version__} httpx/{httpx.__version__} "
        f"python/{python}"
    )


def test_the_user_agent_names_the_distribution(tmp_path: Path) -> None:
    info = DistributionInfo("ship-client", "2.3.1", "Ships.", ">=3.10", "src/ship")
    result = generate([_write(tmp_path, VERSIONED)], package="ship", distribution=info)
    assert f'user_agent = "ship-client/2.3.1 docs2py/{__version__}"' in (
        result.files["client.py"]
    )


def test_headers_override_the_user_agent_ignoring_case(
    ship: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/zones").respond_with_json([])
    url = httpserver.url_for("")
    with ship.Client(base_url=url, headers={"user-agent": "mine/1"}) as client:
        client.ship.list_zones()
        other = client.with_options(headers={"USER-AGENT": "other/2", "X-A": "1"})
        other.ship.list_zones()
        assert other.headers["X-A"] == "1"
    first, second = _seen(httpserver)
    assert first.headers.getlist("User-Agent") == ["mine/1"]
    assert second.headers.getlist("User-Agent") == ["other/2"]


# --- api_version --------------------------------------------------------------


def test_the_api_version_parameters_are_found(tmp_path: Path) -> None:
    api = load([_write(tmp_path, VERSIONED)], Settings(), Diagnostics())
    marked = {
        p.name: p.client_option
        for s in api.services for m in s.methods for p in m.parameters
    }  # fmt: skip
    assert marked == {
        "version": "api_version",
        "rateId": "",
        "X-Api-Version": "api_version",
        "region": "",
    }
    plain = load([_write(tmp_path / "p", PLAIN)], Settings(), Diagnostics())
    assert not [
        p for s in plain.services for m in s.methods for p in m.parameters
        if p.client_option
    ]  # fmt: skip


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_api_version_is_set_once_and_overridable_per_call(
    ship: Any, httpserver: HTTPServer, mode: str
) -> None:
    httpserver.expect_request(re.compile("/rating/.*")).respond_with_json({})
    httpserver.expect_request("/zones").respond_with_json([])

    async def calls(client: Any) -> None:
        for call in (
            client.ship.get_rate("r1"),
            client.ship.get_rate("r2", version="v3"),
            client.ship.list_zones(),
            client.ship.list_zones(x_api_version="v4"),
        ):
            if mode == "async":
                await call

    url = httpserver.url_for("")
    if mode == "sync":
        with ship.Client(base_url=url, api_version="v2") as client:
            asyncio.run(calls(client))
    else:

        async def main() -> None:
            async with ship.AsyncClient(base_url=url, api_version="v2") as client:
                await calls(client)

        asyncio.run(main())
    seen = _seen(httpserver)
    assert [r.path for r in seen[:2]] == ["/rating/v2/rates/r1", "/rating/v3/rates/r2"]
    assert [r.headers.get("X-Api-Version") for r in seen[2:]] == ["v2", "v4"]


def test_a_required_api_version_must_come_from_somewhere(
    ship: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/zones").respond_with_json([])
    with ship.Client(base_url=httpserver.url_for("")) as client:
        with pytest.raises(TypeError, match="needs api_version.*Client\\(api_version"):
            client.ship.get_rate("r1")
        client.ship.list_zones()  # optional: not sent
        assert "X-Api-Version" not in _seen(httpserver)[0].headers
        later = client.with_options(api_version="v9")
        assert later.api_version == "v9" and client.api_version is None


def test_api_version_is_refused_where_the_api_has_none(plain: Any) -> None:
    with pytest.raises(TypeError, match="no API-version parameter"):
        plain.Client(base_url="https://x.test", api_version="v2")
    with plain.Client(base_url="https://x.test") as client:
        assert not client.takes_api_version
        with pytest.raises(TypeError, match="no API-version parameter"):
            client.with_options(api_version="v2")


# --- timeout and retries: set once, overridden per call ---------------------


def test_retries_and_timeout_are_client_defaults_a_call_overrides(
    ship: Any, httpserver: HTTPServer
) -> None:
    statuses = iter([503, 200, 503, 503])

    def answer(request: Request) -> Response:
        return Response("[]", status=next(statuses), content_type="application/json")

    httpserver.expect_request("/zones").respond_with_handler(answer)
    url = httpserver.url_for("")
    with ship.Client(base_url=url, max_retries=1, timeout=5) as client:
        assert client.ship.list_zones() == []  # 503, then 200: one retry
        with pytest.raises(importlib.import_module("shipapi.errors").ServerError):
            client.ship.list_zones(max_retries=0)  # 503: no retry this time
        assert client.max_retries == 1 and client.timeout == 5
    assert len(_seen(httpserver)) == 3
