"""Decoding that survives a wrong key-style guess, unions that pick the
variant the values fit, placeholder-named objects as maps, and header
parameters that replace the client's header of the same name.

A small doc set written here is generated into a package and imported; the
client test talks to a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from generator.core import generate
from generator.write.package import write_files

HEADER = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"


def table(*rows: str) -> str:
    return "**Properties**\n\n" + HEADER + "".join(rows) + "\n"


DOCS = {
    "documentation/models/Owner.md": "# Owner\n\n"
    + table(
        "| firstName | string | ✅ | First name. |\n",
        "| lastName | string | ❌ | Last name. |\n",
        "| petCount | number | ❌ | How many. |\n",
    ),
    # two variants with the same keys: the values decide (issue: details as text)
    "documentation/models/TaskStatus.md": "# TaskStatus\n\n"
    "This is a union type which means it could be any of several possible types.\n\n"
    "# TaskDone\n\nSee all details about TaskDone model [here](TaskDone.md).\n\n"
    "# TaskFailed\n\nSee all details about TaskFailed model [here](TaskFailed.md).\n",
    "documentation/models/TaskDone.md": "# TaskDone\n\n"
    + table(
        "| details | TaskDetails | ❌ | The resources. |\n",
        "| status | DoneStatus | ❌ | The status. |\n",
    )
    + "# TaskDetails\n\n"
    + table("| resources | string[] | ❌ | |\n")
    + "# DoneStatus\n\n"
    + table(
        '| PENDING | string | ✅ | "pending" |\n',
        '| COMPLETED | string | ✅ | "completed" |\n',
    ),
    "documentation/models/TaskFailed.md": "# TaskFailed\n\n"
    + table(
        "| details | string | ❌ | What went wrong. |\n",
        "| status | FailedStatus | ❌ | The status. |\n",
    )
    + "# FailedStatus\n\n"
    + table('| FAILED | string | ✅ | "failed" |\n'),
    "documentation/models/Tagged.md": "# TaggedUsers\n\n"
    + table("| _userName_ | UserName | ❌ | The object's name is the user's name. |\n")
    + "# UserName\n\n"
    + table("| id | string | ✅ | The user's ID. |\n"),
    "documentation/services/KeysService.md": "# KeysService\n\n## rotateKey\n\n"
    "- HTTP Method: `POST`\n- Endpoint: `/keys`\n\n**Parameters**\n\n"
    + HEADER
    + "| xApiKey | string | ✅ | The key to rotate, sent instead of yours. |\n\n"
    "**Return Type**\n\n`TaskStatus`\n",
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory, import_package_module: Any) -> Any:
    root = tmp_path_factory.mktemp("fallback")
    specs = root / "specs"
    for rel, text in DOCS.items():
        (specs / rel).parent.mkdir(parents=True, exist_ok=True)
        (specs / rel).write_text(text, "utf-8")
    result = generate([specs], package="fallbackpkg")
    assert not result.diagnostics.has_errors, result.diagnostics.items
    write_files(root / "out" / "fallbackpkg", result.files)
    return import_package_module(root / "out", "fallbackpkg")


@pytest.fixture(scope="module")
def import_package_module() -> Any:
    import importlib
    import sys

    added: list[str] = []

    def load(folder: Path, name: str) -> Any:
        sys.path.insert(0, str(folder))
        added.append(str(folder))
        importlib.invalidate_caches()
        return importlib.import_module(name)

    yield load
    for folder in added:
        sys.path.remove(folder)


def test_a_key_spelled_differently_decodes_and_goes_back_as_it_came(pkg: Any) -> None:
    data = {"first_name": "Ada", "LastName": "Lovelace", "petCount": 2}
    owner = pkg.Owner.from_dict(data)
    assert (owner.first_name, owner.last_name, owner.pet_count) == (
        "Ada",
        "Lovelace",
        2,
    )
    assert owner._extra == {}
    assert owner.to_dict() == data
    # the documented spelling wins; the other one stays an unknown key
    both = {"firstName": "A", "first_name": "B"}
    decoded = pkg.Owner.from_dict(both)
    assert decoded.first_name == "A" and decoded._extra == {"first_name": "B"}
    assert decoded.to_dict() == both
    # a model made in Python sends the documented keys
    assert pkg.Owner(first_name="Ada").to_dict() == {"firstName": "Ada"}


def test_equal_variants_are_told_apart_by_their_values(pkg: Any) -> None:
    failed = pkg.models.task_status.decode({"details": "boom", "status": "failed"})
    assert isinstance(failed, pkg.TaskFailed) and failed.details == "boom"
    done = pkg.models.task_status.decode(
        {"details": {"resources": ["r1"]}, "status": "completed"}
    )
    assert isinstance(done, pkg.TaskDone)
    assert done.details.resources == ["r1"]


def test_a_variant_that_fails_to_decode_gives_way_to_the_next(pkg: Any) -> None:
    # ranks first on enum fit (pending is TaskDone's), but details is text
    value = pkg.models.task_status.decode({"details": "boom", "status": "pending"})
    assert isinstance(value, pkg.TaskFailed)
    assert value.status.value == "pending"  # an unlisted value, kept


def test_placeholder_named_objects_are_maps(pkg: Any) -> None:
    tagged = pkg.models.tagged_users.decode(
        {"@ada": {"id": "u1"}, "@bob": {"id": "u2"}}
    )
    assert set(tagged) == {"@ada", "@bob"}
    assert isinstance(tagged["@ada"], pkg.UserName) and tagged["@bob"].id == "u2"


def test_a_header_parameter_replaces_the_clients_header(
    pkg: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/keys", method="POST").respond_with_json(
        {"status": "completed"}
    )
    with pkg.Client(httpserver.url_for(""), api_key="mine") as client:
        client.keys.rotate_key(x_api_key="theirs")
    ((request, _),) = httpserver.log
    sent = [(k, v) for k, v in request.headers.items() if k.lower() == "x-api-key"]
    assert sent == [("X-Api-Key", "theirs")]
