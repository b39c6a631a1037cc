"""On-disk caches; here black's output, keyed by the unformatted source and mode.

One file per entry under ``<cache>/format/<mode key>/``, written atomically and
checked against the SHA-256 it starts with, so concurrent runs share it safely,
a damaged entry is only a miss, and deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
from pathlib import Path

from . import __version__


def default_cache_dir() -> Path:
    """``$DOCS2PY_CACHE_DIR``, ``$XDG_CACHE_HOME/docs2py`` or ``~/.cache/docs2py``."""
    explicit = os.environ.get("DOCS2PY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docs2py"


def mode_key(line_length: int = 88) -> str:
    """Identifies black's version and mode (and ours) for the formatting cache.

    black's mode is fixed by this version of docs2py (``format.mode``) apart
    from the line length; black itself is not imported, so that a no-op run
    stays quick.
    """
    black_version = importlib.metadata.version("black")
    text = f"{black_version}|py310|{line_length}|{__version__}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class EntryStore:
    """Byte payloads by key: one file per entry, written atomically, starting
    with the payload's SHA-256 (so a damaged entry is only a miss)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: bytes) -> Path:
        digest = hashlib.sha256(key).hexdigest()
        return self.folder / digest[:2] / digest

    def get(self, key: bytes) -> bytes | None:
        try:
            digest, _, payload = self.path(key).read_bytes().partition(b"\n")
        except OSError:
            return None
        if digest != hashlib.sha256(payload).hexdigest().encode():
            return None
        return payload

    def put(self, key: bytes, payload: bytes) -> None:
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.sha256(payload).hexdigest().encode() + b"\n")
                handle.write(payload)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


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
        key = source.encode("utf-8", "surrogatepass")
        self.store.put(key, formatted.encode("utf-8", "surrogatepass"))
