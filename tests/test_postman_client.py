"""The client generated from the Postman TypeScript docs, against a real server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, need_shared
from pytest_httpserver import HTTPServer

from generator.core import generate
from generator.write.package import write_files

SET = "liblaber__postman-postman-api-1.0.0-typescript-1.0.0"
TASK = {
    "id": "t-1",
    "status": "completed",
    "details": {"error": {"message": "none"}},
    "createdAt": "2024-01-01",
}


@pytest.fixture(scope="module")
def postman_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = generate([need_shared(CORPUS / SET)])
    assert not result.diagnostics.has_errors
    root = tmp_path_factory.mktemp("postman")
    write_files(root / "postman_sdk", result.files)
    return root


def test_get_status_of_an_async_task(
    postman_dir: Path,
    import_package: Callable[[Path, str], Any],
    httpserver: HTTPServer,
) -> None:
    pkg = import_package(postman_dir, "postman_sdk")
    httpserver.expect_oneshot_request(
        "/apis/api-1/tasks/t-1",
        method="GET",
        headers={"X-API-Key": "PMAK-secret", "Accept": "application/vnd.api.v10+json"},
    ).respond_with_json(TASK)
    with pkg.Client(httpserver.url_for("/"), api_key="PMAK-secret") as client:
        task = client.api.get_status_of_an_async_task("api-1", "t-1")
    httpserver.check_assertions()
    assert isinstance(task, pkg.GetStatusOfAnAsyncTask)
    assert task.status is pkg.GetStatusOfAnAsyncTaskStatus.COMPLETED
    assert isinstance(task.details, pkg.Details2)
    assert task.to_dict() == TASK
    assert "PMAK-secret" not in repr(client)
