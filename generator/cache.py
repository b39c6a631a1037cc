"""The on-disk cache every stage keeps its entries in (``EntryStore``), and
where it lives (``default_cache_dir``).

Each stage has its own folder of entries under the cache root: parsed spec
files (read/parse_cache.py), rendered modules and compiled templates
(render/), black's output and the record of what each run wrote
(write/format_cache.py).  Every entry is checked against its SHA-256, so
concurrent runs share the cache safely, a damaged entry is only a miss, and
deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path


def default_cache_dir() -> Path:
    """``$DOCS2PY_CACHE_DIR``, ``$XDG_CACHE_HOME/docs2py`` or ``~/.cache/docs2py``."""
    explicit = os.environ.get("DOCS2PY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docs2py"


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
