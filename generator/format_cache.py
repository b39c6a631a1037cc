"""A cache of black's output, keyed by the unformatted source and black's mode.

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


class FormatCache:
    """Formatted text by unformatted text, for one formatter mode."""

    def __init__(self, root: Path, mode_key: str) -> None:
        self.folder = root / "format" / mode_key
        self.hits = 0
        self.misses = 0

    def _path(self, source: str) -> Path:
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / digest

    def get(self, source: str) -> str | None:
        """The cached text, or None (a missing, truncated or altered entry)."""
        try:
            digest, _, text = self._path(source).read_text("utf-8").partition("\n")
        except (OSError, UnicodeDecodeError):
            digest, text = "", ""
        if not digest or digest != hashlib.sha256(text.encode("utf-8")).hexdigest():
            self.misses += 1
            return None
        self.hits += 1
        return text

    def put(self, source: str, formatted: str) -> None:
        path = self._path(source)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            digest = hashlib.sha256(formatted.encode("utf-8")).hexdigest()
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(digest + "\n" + formatted)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time
