"""The origin document: GetStatusOfAnAsyncTask (../shared/seeds)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, need_shared

from generator.core import generate
from generator.write.package import write_files

PAYLOAD: dict[str, Any] = {
    "id": "task-1",
    "meta": {"url": "/apis/1", "model": "collection", "action": "update"},
    "status": "pending",
    "details": {"resources": [{"id": "r1", "url": "https://x/r1"}]},
    "createdAt": "2024-01-01T00:00:00Z",
    "updatedAt": "2024-01-02T00:00:00Z",
}


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = generate([need_shared(SEED)])
    assert not result.diagnostics.items, [d.format() for d in result.diagnostics.items]
    root = tmp_path_factory.mktemp("seed")
    write_files(root / "seedpkg", result.files)
    return root


@pytest.fixture
def pkg(seed_dir: Path, import_package: Callable[[Path, str], Any]) -> Any:
    return import_package(seed_dir, "seedpkg")


def test_round_trip(pkg: Any) -> None:
    task = pkg.GetStatusOfAnAsyncTask.from_dict(PAYLOAD)
    assert task.to_dict() == PAYLOAD
    assert task.id == "task-1"
    assert task.created_at == "2024-01-01T00:00:00Z"


def test_enums(pkg: Any) -> None:
    task = pkg.GetStatusOfAnAsyncTask.from_dict(PAYLOAD)
    assert task.status is pkg.GetStatusOfAnAsyncTaskStatus.PENDING
    assert task.meta.model is pkg.MetaModel.COLLECTION
    assert task.meta.action is pkg.Action.UPDATE
    assert pkg.MetaModel("api-version") is pkg.MetaModel.API_VERSION
    assert [m.value for m in pkg.GetStatusOfAnAsyncTaskStatus] == [
        "pending",
        "failed",
        "completed",
    ]


def test_details_decodes_by_shape(pkg: Any) -> None:
    resources = pkg.GetStatusOfAnAsyncTask.from_dict(PAYLOAD).details
    assert isinstance(resources, pkg.Details1)
    assert isinstance(resources.resources[0], pkg.Details1Resources)
    error_payload = dict(PAYLOAD, details={"error": {"message": "boom"}})
    task = pkg.GetStatusOfAnAsyncTask.from_dict(error_payload)
    assert isinstance(task.details, pkg.Details2)
    assert isinstance(task.details.error, pkg.Error)
    assert task.details.error.message == "boom"
    assert task.to_dict() == error_payload


def test_unknown_values_survive(pkg: Any) -> None:
    payload = dict(PAYLOAD, status="archived", newKey={"a": [1, 2]})
    task = pkg.GetStatusOfAnAsyncTask.from_dict(payload)
    assert task.status.value == "archived"
    assert isinstance(task.status, pkg.GetStatusOfAnAsyncTaskStatus)
    assert task.to_dict() == payload


def test_absent_and_null(pkg: Any) -> None:
    task = pkg.GetStatusOfAnAsyncTask.from_dict({"id": None})
    assert task.id is None
    assert task.meta is pkg.UNSET
    assert task.to_dict() == {"id": None}
