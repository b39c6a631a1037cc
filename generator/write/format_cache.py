"""The write stage's caches: black's output, keyed by the unformatted source and
mode, and what docs2py last wrote into each package folder and reported
(``Outputs``, ``Record``).

One store (``cache.EntryStore``) per mode under ``<cache>/format/<mode key>/``.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..cache import EntryStore
from ..diagnostics import Diagnostic, Level


class MissingFormatter(Exception):
    """black is not installed where docs2py runs (an environment error)."""


def mode_key(line_length: int = 88) -> str:
    """Identifies black's version and mode (and ours) for the formatting cache.

    black's mode is fixed by this version of docs2py (``format.mode``) apart
    from the line length; black itself is not imported, so that a no-op run
    stays quick.
    """
    text = f"{_black_version()}|py310|{line_length}|{__version__}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _black_version() -> str:
    """black's version: from the module its wheel ships for that (quick to
    import, as a no-op run must be), else from its metadata."""
    try:
        return str(importlib.import_module("_black_version").version)
    except (ImportError, AttributeError):
        pass
    from importlib import metadata

    try:
        return metadata.version("black")
    except metadata.PackageNotFoundError as exc:
        raise MissingFormatter(
            "black is not installed in this Python "
            f"({sys.executable}); docs2py formats the code it writes with "
            "black: pip install 'black>=24.1'"
        ) from exc


class FormatCache:
    """Formatted text by unformatted text, for one formatter mode."""

    def __init__(self, root: Path, mode_key: str) -> None:
        self.root = root
        self.folder = root / "format" / mode_key
        self.store = EntryStore(self.folder)
        self.hits = 0
        self.misses = 0

    def get(self, source: str) -> str | None:
        """The cached text, or None (a missing, truncated or altered entry)."""
        payload = self.store.get(source.encode("utf-8", "surrogatepass"))
        try:
            text = None if payload is None else payload.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None:
            self.misses += 1
        else:
            self.hits += 1
        return text

    def put(self, source: str, formatted: str) -> None:
        """Remember ``formatted`` for ``source`` (written by ``flush``)."""
        key = source.encode("utf-8", "surrogatepass")
        self.store.put(key, formatted.encode("utf-8", "surrogatepass"))

    def flush(self) -> None:
        self.store.flush()


@dataclass(frozen=True, slots=True)
class Record:
    """What a run that wrote a package reported: its diagnostics and
    ``facts``.  Kept beside the up-to-date record (``Outputs``), never in
    the manifest: it depends on the inputs the fingerprint covers (paths as
    spelled, docs2py's version), not only on the generated files."""

    diagnostics: tuple[Diagnostic, ...]
    facts: dict[str, object]

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.level is Level.WARNING)

    def dumps(self) -> bytes:
        items = [d.to_json() for d in self.diagnostics]
        return json.dumps({"diagnostics": items, "facts": self.facts}).encode()

    @classmethod
    def loads(cls, data: bytes) -> Record | None:
        """The record ``dumps`` gave, or None (another shape: a miss)."""
        try:
            found = json.loads(data)
        except ValueError:
            return None
        if not isinstance(found, dict) or not isinstance(found.get("facts"), dict):
            return None
        items = found.get("diagnostics")
        read = [Diagnostic.from_json(i) for i in items or []]
        if not isinstance(items, list) or None in read:
            return None
        return cls(tuple(d for d in read if d is not None), found["facts"])


class Outputs:
    """What docs2py last wrote into each package folder, for a no-op re-run.

    Keyed by the folder's real path (``write.real``; resolved before the run,
    as a swap may replace the current folder) and the input fingerprint
    (``core.fingerprint``); the value is the SHA-256 of the manifest that run
    wrote and the record of what it reported (``core.Record``: its
    diagnostics and counts, which the same inputs give again), so that a run
    the shortcut serves repeats them.  The manifest itself holds only what
    was generated, so it does not change with the checkout folder or how
    paths are spelled, and a fresh clone has no cache: it runs in full.
    """

    def __init__(self, root: Path) -> None:
        self.store = EntryStore(root / "outputs")

    @staticmethod
    def _key(out: Path, inputs: str) -> bytes:
        return os.fsencode(out) + b"\0" + inputs.encode()

    def get(self, out: Path, inputs: str) -> tuple[str, Record] | None:
        """(manifest SHA-256, record) of the last run with these inputs."""
        payload = self.store.get(self._key(out, inputs))
        self.store.flush()
        digest, newline, data = (payload or b"").partition(b"\n")
        record = Record.loads(data) if newline and len(digest) == 64 else None
        return None if record is None else (digest.decode("ascii", "replace"), record)

    def put(self, out: Path, inputs: str, manifest: bytes, record: Record) -> None:
        digest = hashlib.sha256(manifest).hexdigest().encode()
        self.store.put(self._key(out, inputs), digest + b"\n" + record.dumps())
        self.store.flush()
