"""A cache of parsed spec files: one file's definitions and diagnostics.

Keyed by the file's path and text and by docs2py's own code (settings do not
change what parsing produces), so an edit re-parses only the files that
changed.  Entries live beside the format
cache (``<cache>/parsed/<version>/``), in the same kind of store: a damaged
entry is a miss.  The payload is a pickle of docs2py's own IR objects, written by
docs2py into the user's cache folder (as Python trusts its ``__pycache__``).
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

from .. import __version__
from ..cache import EntryStore
from ..diagnostics import Diagnostic


def code_digest() -> bytes:
    """A digest of the parser and IR modules: entries of other code are misses.

    The package's import name counts too: the pickles name their classes'
    modules, and a checkout runs as both ``generator`` and ``docs2py``."""
    digest = hashlib.sha256(f"{__version__} {__package__}".encode())
    here = Path(__file__).parent.parent  # the generator package
    for name in _PARSE_MODULES:
        digest.update((here / name).read_bytes())
    return digest.digest()


_PARSE_MODULES = (
    "read/parse.py", "read/parse_table.py", "read/parse_type.py",
    "read/parse_service.py", "read/build.py", "read/build_service.py", "ir.py",
    "read/unions.py",
    "names.py",
)  # fmt: skip


class ParseCache:
    """What parsing one spec file produced, by its path and text."""

    def __init__(self, root: Path) -> None:
        self.store = EntryStore(root / "parsed" / __version__)
        self.salt = code_digest()

    def _key(self, path: str, text: str) -> bytes:
        digest = hashlib.sha256(self.salt)
        digest.update(b"\0" + path.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def get(self, path: str, text: str) -> tuple[Any, list[Diagnostic]] | None:
        """(what the parser returned, its diagnostics), or None."""
        payload = self.store.get(self._key(path, text))
        return None if payload is None else unpack(payload)

    def put(self, path: str, text: str, payload: bytes) -> None:
        """Remember ``payload`` (from ``pack``) for this file; written by ``flush``."""
        self.store.put(self._key(path, text), payload)

    def flush(self) -> None:
        """Write the entries put since the last flush."""
        self.store.flush()


def pack(value: Any, items: list[Diagnostic]) -> bytes:
    """What parsing a file produced, as bytes (to the cache, and between processes)."""
    return pickle.dumps((value, items), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(payload: bytes) -> tuple[Any, list[Diagnostic]] | None:
    """``pack``'s arguments again, or None for an entry this build cannot read."""
    try:
        value, items = pickle.loads(payload)
    except Exception:  # an entry from another build of docs2py: a miss
        return None
    return value, list(items)
