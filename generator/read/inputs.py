"""What a run reads: the spec files (model docs, service docs, READMEs), and
their text."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics

_SERVICE = re.compile(r"^- HTTP Method:|^\|\s*Methods\s*\|", re.MULTILINE)


_EMPTY = (
    "no schema docs found in this folder (no *.md files other than README.md); "
    "check the path: nothing was generated or deleted"
)


@dataclass(frozen=True, slots=True)
class Inputs:
    """The spec files of a run, each list sorted."""

    models: list[Path] = field(default_factory=list)
    services: list[Path] = field(default_factory=list)
    readmes: list[Path] = field(default_factory=list)
    data: dict[Path, bytes] = field(default_factory=dict)
    """The bytes of the spec files, as read to tell services from models."""


def collect(specs: Iterable[Path], diags: Diagnostics) -> Inputs:
    """Model docs, service docs and READMEs among ``specs`` (files or folders).

    Folders are searched for ``*.md``; service docs are files with ``- HTTP
    Method:`` lines or a ``| Methods |`` table; README.md files directly in a
    named folder (or named themselves) are read for the API's base URL only.
    """
    found: set[Path] = set()
    readmes: set[Path] = set()
    for spec in specs:
        if spec.is_dir():
            readme = spec / "README.md"
            if readme.is_file():
                readmes.add(readme)
            docs = {p for p in spec.rglob("*.md") if p.name.lower() != "readme.md"}
            found |= {p for p in docs if p.is_file()}
            if not docs:
                diags.error(str(spec), 0, _EMPTY, "no-input")
        elif spec.is_file() and spec.name.lower() == "readme.md":
            readmes.add(spec)
        elif spec.is_file():
            found.add(spec)
        else:
            diags.error(str(spec), 0, "no such file or directory", "no-input")
    if not found and not diags.has_errors:
        where = ", ".join(str(s) for s in specs) or "the command line"
        diags.error(where, 0, "no schema docs given (only README.md files)", "no-input")
    data: dict[Path, bytes] = {}
    for path in found:
        with contextlib.suppress(OSError):  # reported when read for parsing
            data[path] = path.read_bytes()
    services = {p for p in found if p in data and _is_service(data[p])}
    return Inputs(sorted(found - services), sorted(services), sorted(readmes), data)


def _is_service(data: bytes) -> bool:
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    return bool(_SERVICE.search(text))


def read(path: Path, diags: Diagnostics, data: bytes | None = None) -> str | None:
    """The file's text (``data`` if given, else read), or None with an error
    (bad UTF-8, NUL bytes, unreadable)."""
    where = path.as_posix()
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        diags.error(where, 0, f"cannot read: {exc.strerror}", "no-input")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diags.error(where, line, f"not valid UTF-8 at byte {exc.start}", "encoding")
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        diags.error(where, line, "NUL byte in the file", "encoding")
        return None
    return text.removeprefix("\ufeff")
