"""learn → generate → the client sends what the samples sent.

The Fleet API's docs (tests/fixtures/learn_api) let docs2py guess
``dataLimitInGb``, ``pageSize``, a ``clientVersion`` query parameter,
repeated ``ids``, JSON firmware uploads and the ``X-API-Key`` header; its
server (the samples: a browser's HAR file and a Postman collection, both
recorded from it) says ``dataLimitInGB``, ``PageSize``, a
``Client-Version`` header, ``ids=a,b``, multipart uploads, ``X-Fleet-Key``
and snake_case devices.  After ``docs2py learn --write`` and a bare
``docs2py generate``, the generated client's requests to a recording
server on 127.0.0.1 carry the names, places and encodings the samples do.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import imported
from pytest_httpserver import HTTPServer
from werkzeug import Request

from generator.cli.commands import main

FIXTURE = Path(__file__).parent / "fixtures" / "learn_api"
SAMPLES = {
    "har": "samples/console.har",
    "postman": "samples/fleet.postman_collection.json",
}


def _project(root: Path, sample: str) -> Path:
    shutil.copytree(FIXTURE / "documentation", root / "documentation")
    shutil.copy(FIXTURE / "README.md", root / "README.md")
    (root / "samples").mkdir()
    shutil.copy(FIXTURE / sample, root / sample)
    config = root / "pyproject.toml"
    config.write_text(
        '[tool.docs2py]\nspecs = ["documentation", "README.md"]\n'
        f'out = "out/fleet"\nsamples = ["{sample}"]\n',
        "utf-8",
    )
    return config


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def fleet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Any]]:
    kind = str(request.param)
    root = tmp_path_factory.mktemp(kind)
    config = _project(root, SAMPLES[kind])
    assert main(["learn", "--config", str(config), "--write"]) == 0
    assert (root / "docs2py.lock.toml").is_file()
    assert main(["generate", "--config", str(config), "--no-cache"]) == 0
    with imported(root / "out", "fleet") as module:
        yield kind, module


def _sample_requests(kind: str) -> list[tuple[str, str, list[str], list[str]]]:
    """(verb, path, query names, header names) of each request the sample
    recorded, as a test reads them (not with docs2py's reader)."""
    doc = json.loads((FIXTURE / SAMPLES[kind]).read_text("utf-8"))
    out = []
    if kind == "har":
        for e in doc["log"]["entries"]:
            r = e["request"]
            url = urlsplit(r["url"])
            names = [n for n, _ in parse_qsl(url.query)]
            out.append(
                (r["method"], url.path, names, [h["name"] for h in r["headers"]])
            )
        return out
    for folder in doc["item"]:
        for item in folder["item"]:
            r = item["response"][0]["originalRequest"]
            path = "/v2/" + "/".join(r["url"]["path"])
            names = [q["key"] for q in r["url"].get("query", [])]
            out.append((r["method"], path, names, [h["key"] for h in r["header"]]))
    return out


def _call(module: Any, server: HTTPServer, action: Any) -> Request:
    server.clear_log()
    with module.Client(base_url=server.url_for("/v2"), api_key="k-test") as client:
        action(client)
    (request, _), *_ = server.log
    return request


PACKAGE = {"id": "pk_1", "name": "Starter", "dataLimitInGB": 5, "status": "active"}


def test_query_names_headers_and_auth_are_the_samples(
    fleet: tuple[str, Any], httpserver: HTTPServer
) -> None:
    kind, m = fleet
    httpserver.expect_request("/v2/packages").respond_with_json(
        {"items": [PACKAGE], "nextCursor": None}
    )
    request = _call(
        m, httpserver,
        lambda c: c.packages.list_packages(
            page_size=2, status=m.PackageStatus.ACTIVE, client_version="4.2.0"
        ),
    )  # fmt: skip
    recorded = next(
        r for r in _sample_requests(kind) if r[0] == "GET" and r[1] == "/v2/packages"
    )
    assert sorted(request.args) == sorted(recorded[2]) == ["PageSize", "status"]
    assert request.headers["Client-Version"] == "4.2.0"
    assert "clientVersion" not in request.args
    assert request.headers["X-Fleet-Key"] == "k-test"
    assert "X-API-Key" not in request.headers
    assert "Client-Version" in recorded[3] and "X-Fleet-Key" in (
        recorded[3] if kind == "har" else ["X-Fleet-Key"]  # Postman: its apikey auth
    )


def test_bodies_keys_and_encodings_are_the_samples(
    fleet: tuple[str, Any], httpserver: HTTPServer
) -> None:
    _, m = fleet
    httpserver.expect_request("/v2/packages", method="POST").respond_with_json(
        PACKAGE | {"id": "pk_3"}
    )
    new = m.NewPackage(name="Pro", data_limit_in_gb=50, tags=["eu"])
    request = _call(m, httpserver, lambda c: c.packages.create_package(body=new))
    assert request.headers["Content-Type"] == "application/json"
    assert request.get_json() == {"name": "Pro", "dataLimitInGB": 50, "tags": ["eu"]}
    httpserver.expect_request("/v2/devices/dv_1/firmware").respond_with_json(
        {"jobId": "job_1", "state": "queued"}
    )
    upload = m.FirmwareUpload(version="2.1.0", notes="Fixes the modem reset.")
    request = _call(
        m, httpserver, lambda c: c.devices.upload_firmware("dv_1", body=upload)
    )
    assert not request.is_json  # the docs' guess was JSON; the samples say a form
    assert request.form.to_dict() == {
        "version": "2.1.0",
        "notes": "Fixes the modem reset.",
    }


def test_a_multipart_body_without_files_is_sent_as_multipart(
    fleet: tuple[str, Any], httpserver: HTTPServer
) -> None:
    _, m = fleet
    httpserver.expect_request("/v2/devices/dv_1/firmware").respond_with_json(
        {"jobId": "job_1", "state": "queued"}
    )
    upload = m.FirmwareUpload(version="2.1.0")
    request = _call(
        m, httpserver, lambda c: c.devices.upload_firmware("dv_1", body=upload)
    )
    assert request.headers["Content-Type"].startswith("multipart/form-data")


def test_arrays_and_snake_case_models_are_the_samples(
    fleet: tuple[str, Any], httpserver: HTTPServer
) -> None:
    _, m = fleet
    device = {"device_id": "dv_1", "serial_number": "SN-1", "last_seen_at": None}
    httpserver.expect_request("/v2/devices").respond_with_json([device])
    seen: list[Any] = []
    request = _call(
        m, httpserver,
        lambda c: seen.extend(c.devices.list_devices(region_code="eu", ids=["a", "b"])),
    )  # fmt: skip
    assert list(request.args.items(multi=True)) == [
        ("RegionCode", "eu"),
        ("ids", "a,b"),
    ]
    assert seen[0].device_id == "dv_1" and seen[0].to_dict() == device
    made = m.Device(device_id="dv_2", serial_number="SN-2")
    assert made.to_dict() == {"device_id": "dv_2", "serial_number": "SN-2"}
