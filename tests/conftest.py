"""Shared fixtures: golden-file updating, the shared corpus, generated packages."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.core import load
from generator.diagnostics import Diagnostics
from generator.ir import Api
from generator.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seeds" / "000_ccc54c4790e3f6e3.txt"


def corpus_index() -> list[dict[str, str]]:
    """The rows of the corpus's INDEX.tsv (none when ../shared is absent)."""
    index = CORPUS / "INDEX.tsv"
    if not index.exists():
        return []
    with index.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def corpus_sets() -> list[str]:
    """The corpus's doc set folders, in INDEX.tsv's order."""
    return [row["dir"] for row in corpus_index()]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/cases/*/expected from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def forget(name: str) -> None:
    """Drop a package and its modules from ``sys.modules``."""
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]


def generate_into(root: Path, specs: Path, package: str) -> Path:
    """``root`` with ``package`` generated from ``specs`` in it (no errors)."""
    from generator.core import generate
    from generator.write.package import write_files

    result = generate([specs], package=package)
    assert not result.diagnostics.has_errors, result.diagnostics.items
    assert result.files
    write_files(root / package, result.files)
    return root


def api_of(
    root: Path, files: dict[str, str], settings: Settings | None = None
) -> tuple[Api, Diagnostics]:
    """The API of spec ``files`` (relative path → text) written under
    ``root``, and the diagnostics of loading it."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    diags = Diagnostics()
    return load([root], settings or Settings(), diags), diags


def with_client(
    pkg: Any, mode: str, action: Callable[[Any], Any], kwargs: dict[str, Any]
) -> Any:
    """``action(client)`` with a fresh ``pkg.Client(**kwargs)`` (``mode``
    ``sync``) or ``AsyncClient`` (``async``: ``action`` returns a coroutine,
    awaited inside ``asyncio.run``).  Exceptions propagate."""
    if mode == "sync":
        with pkg.Client(**kwargs) as client:
            return action(client)

    async def main() -> Any:
        async with pkg.AsyncClient(**kwargs) as client:
            return await action(client)

    return asyncio.run(main())


@contextlib.contextmanager
def imported(folder: Path, package: str) -> Iterator[Any]:
    """``package`` imported from ``folder``, forgotten afterwards."""
    sys.path.insert(0, str(folder))
    forget(package)
    importlib.invalidate_caches()
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))
        forget(package)


def need_shared(path: Path) -> Path:
    """``path`` if the shared folder is present, else skip the test."""
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpus is not available)")
    return path


@pytest.fixture
def import_package() -> Iterator[object]:
    """Import a generated package from a folder; forget it afterwards."""
    added: list[str] = []

    def load(folder: Path, name: str) -> object:
        sys.path.insert(0, str(folder))
        added.append(str(folder))
        importlib.invalidate_caches()
        for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[mod]
        return importlib.import_module(name)

    yield load
    for folder in added:
        sys.path.remove(folder)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep a module's expensive set-up on one pytest-xdist worker.

    A test that uses a module- or session-scoped fixture of its own module
    joins the group named after the module (``--dist loadgroup`` runs a group
    on one worker, so the fixture is built once); the other tests go to
    whichever worker is free.  Run serially, the mark does nothing.
    """
    for item in items:
        module = getattr(item, "module", None)
        info = getattr(item, "_fixtureinfo", None)
        if module is None or info is None:
            continue
        shared = any(
            d.scope in ("module", "session") and d.func.__module__ == module.__name__
            for defs in info.name2fixturedefs.values()
            for d in defs
        )
        if shared:
            item.add_marker(pytest.mark.xdist_group(module.__name__))


# Rows a test hands to the terminal summary, by kind: record_property(kind,
# (key, row)) in the test (the row travels with its report from a pytest-xdist
# worker), collected here.
TABLES: dict[str, dict[str, Any]] = {"corpus": {}, "wire-sweep": {}}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" or not report.passed:
        return
    for kind, value in report.user_properties:
        if kind in TABLES:
            key, row = value
            TABLES[kind][key] = row


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the corpus table (models, enums, unions, warnings by kind) and
    what the wire sweep covered."""
    write = terminalreporter.write_line
    rows = TABLES["corpus"]
    if rows:
        write("")
        write(f"corpus: {len(rows)} doc sets generated with 0 errors")
        total: dict[str, int] = {}
        for name in sorted(rows):
            models, enums, unions, methods, warnings = rows[name]
            for code, n in warnings.items():
                total[code] = total.get(code, 0) + n
            shown = ", ".join(f"{c}={n}" for c, n in sorted(warnings.items())) or "-"
            write(
                f"  {name:72} {models:5} models {enums:4} enums {unions:4} unions "
                f"{methods:4} methods  {shown}"
            )
        write(
            "  warnings by kind: "
            + (", ".join(f"{c}={n}" for c, n in sorted(total.items())) or "none")
        )
    swept = TABLES["wire-sweep"]
    if swept:
        calls = sum(c for c, _ in swept.values())
        requests = sum(r for _, r in swept.values())
        write(
            f"wire sweep: {len(swept)} doc sets, {calls} methods called, "
            f"{requests} requests recorded, no repr"
        )
