"""On-disk caches; here black's output, keyed by the unformatted source and mode,
and what docs2py last wrote into each package folder (``Outputs``).

One SQLite file per mode under ``<cache>/format/<mode key>/``; every entry is
checked against its SHA-256, so concurrent runs share it safely, a damaged
entry is only a miss, and deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sqlite3
import sys
from pathlib import Path

from .. import __version__


def default_cache_dir() -> Path:
    """``$DOCS2PY_CACHE_DIR``, ``$XDG_CACHE_HOME/docs2py`` or ``~/.cache/docs2py``."""
    explicit = os.environ.get("DOCS2PY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docs2py"


class MissingFormatter(Exception):
    """black is not installed where docs2py runs (an environment error)."""


def mode_key(line_length: int = 88) -> str:
    """Identifies black's version and mode (and ours) for the formatting cache.

    black's mode is fixed by this version of docs2py (``format.mode``) apart
    from the line length; black itself is not imported, so that a no-op run
    stays quick.
    """
    try:
        black_version = importlib.metadata.version("black")
    except importlib.metadata.PackageNotFoundError as exc:
        raise MissingFormatter(
            "black is not installed in this Python "
            f"({sys.executable}); docs2py formats the code it writes with "
            "black: pip install 'black>=24.1'"
        ) from exc
    text = f"{black_version}|py310|{line_length}|{__version__}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class EntryStore:
    """Byte payloads by key, in one SQLite file (``entries.sqlite3`` in ``folder``).

    Each payload is stored with its SHA-256 and checked when read, so a damaged
    entry is only a miss; a file that is not a database is replaced; a cache
    that cannot be opened or written only costs time.  ``put`` keeps entries
    in memory until ``flush``, which writes them in one short transaction
    (thousands of entries cost milliseconds, and concurrent runs seldom wait)
    and closes the database (the next ``get`` opens it again).
    """

    FILE = "entries.sqlite3"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self._pending: dict[bytes, bytes] = {}

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self._db = self._open()
            except (OSError, sqlite3.Error):
                self._broken = True
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / self.FILE
        try:
            return _database(path)
        except sqlite3.OperationalError:  # locked, read-only: not damage
            raise
        except sqlite3.DatabaseError:  # not a database, or a damaged one
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return _database(path)

    def get(self, key: bytes) -> bytes | None:
        digest = hashlib.sha256(key).digest()
        if digest in self._pending:
            return self._pending[digest]
        db = self._connect()
        try:
            row = db and db.execute(_GET, (digest,)).fetchone()
        except sqlite3.Error:
            return None
        if not row or hashlib.sha256(row[1]).digest() != row[0]:
            return None
        return bytes(row[1])

    def put(self, key: bytes, payload: bytes) -> None:
        self._pending[hashlib.sha256(key).digest()] = payload

    def flush(self) -> None:
        """Write the entries put since the last flush; close the database."""
        db = self._connect() if self._pending else self._db
        rows = [(k, hashlib.sha256(v).digest(), v) for k, v in self._pending.items()]
        self._pending.clear()
        self._db = None
        if db is None:
            return
        try:
            if rows:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(_PUT, rows)
                db.execute("COMMIT")
        except sqlite3.Error:  # a cache that cannot be written only costs time
            if db.in_transaction:
                db.rollback()
        finally:
            db.close()


def _database(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_SCHEMA)
    except sqlite3.Error:
        db.close()
        raise
    return db


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries "
    "(key BLOB PRIMARY KEY, sha256 BLOB NOT NULL, payload BLOB NOT NULL) "
    "WITHOUT ROWID"
)
_GET = "SELECT sha256, payload FROM entries WHERE key = ?"
_PUT = "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)"


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


class Outputs:
    """What docs2py last wrote into each package folder, for a no-op re-run.

    Keyed by the folder's real path (``write.real``; resolved before the run,
    as a swap may replace the current folder) and the input fingerprint
    (inputs.fingerprint); the value is the SHA-256 of the manifest that run wrote and
    its number of warnings.  The manifest itself holds only what was generated,
    so it does not change with the checkout folder or how paths are spelled.
    """

    def __init__(self, root: Path) -> None:
        self.store = EntryStore(root / "outputs")

    @staticmethod
    def _key(out: Path, inputs: str) -> bytes:
        return os.fsencode(out) + b"\0" + inputs.encode()

    def get(self, out: Path, inputs: str) -> tuple[str, int] | None:
        """(manifest SHA-256, warnings) of the last run with these inputs."""
        payload = self.store.get(self._key(out, inputs))
        self.store.flush()
        try:
            digest, warnings = (payload or b"").decode("ascii").split(" ")
            return digest, int(warnings)
        except ValueError:
            return None

    def put(self, out: Path, inputs: str, manifest: bytes, warnings: int) -> None:
        digest = hashlib.sha256(manifest).hexdigest()
        self.store.put(self._key(out, inputs), f"{digest} {warnings}".encode())
        self.store.flush()
