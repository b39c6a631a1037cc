"""Every doc set in ../shared/corpus generates with zero errors and its models
and client import, ``typing.get_type_hints`` resolves every generated class,
and it passes ruff's default rules; one set per SDK language passes
``mypy --strict``.
Skipped without ../shared."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS, corpus_index, corpus_sets

from generator.core import generate
from generator.diagnostics import Level
from generator.write.package import write_files

pytestmark = pytest.mark.slow  # corpus-wide


# One doc set per SDK language, type-checked with mypy --strict.
TYPED = {
    "liblaber__postman-postman-api-1.0.0-typescript-1.0.0",
    "liblaber__postman-postman-api-1.0.0-python-1.0.0",
    "liblaber__postman-postman-api-1.0.0-csharp-1.0.0",
    "SaladTechnologies__salad-cloud-sdk-java",
    "SaladTechnologies__salad-cloud-sdk-go",
    "Celitech__CelitechSDKPHP",
}


# Imports the package and its client, and resolves every class's annotations
# with typing.get_type_hints (what pydantic, cattrs and FastAPI do).
HINTS = """
import typing
import {package}, {package}.client
from {package} import models

failed = []
for name in models._MODULES:
    value = getattr(models, name)
    if isinstance(value, type):
        try:
            typing.get_type_hints(value)
        except Exception as error:
            failed.append(f"{{name}}: {{error!r}}")
assert not failed, f"{{len(failed)}} classes: {{failed[:5]}}"
"""

Record = Callable[[str, object], None]


def _generate(name: str, tmp_path: Path, record: Record) -> tuple[Path, str]:
    result = generate([CORPUS / name])
    items = result.diagnostics.items
    errors = [d.format() for d in items if d.level is Level.ERROR]
    assert not errors, errors
    warnings = Counter(d.code for d in items if d.level is Level.WARNING)
    api = result.api
    methods = sum(len(s.methods) for s in api.services)
    # (models, enums, unions, methods, {warning code: count}): a row of the
    # corpus table conftest's terminal summary prints
    row = (len(api.models), len(api.enums), len(api.unions), methods, dict(warnings))
    record("corpus", (name, row))
    package = "sdk_models"
    write_files(tmp_path / package, result.files)
    return tmp_path, package


@pytest.mark.skipif(not corpus_sets(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("name", corpus_sets())
def test_doc_set_generates_and_imports(
    name: str, tmp_path: Path, record_property: Record
) -> None:
    root, package = _generate(name, tmp_path, record_property)
    done = subprocess.run(
        [sys.executable, "-c", HINTS.format(package=package)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    linted = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--target-version",
         "py310", "--output-format", "concise", package],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert linted.returncode == 0, linted.stdout[-3000:]
    if name in TYPED:
        checked = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stdout[-3000:]


def test_typed_sets_cover_every_language() -> None:
    if not corpus_sets():
        pytest.skip("../shared/corpus is absent")
    language = {row["dir"]: row["sdk_language"] for row in corpus_index()}
    assert {language[name] for name in TYPED} == set(language.values())
