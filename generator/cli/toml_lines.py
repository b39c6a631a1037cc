"""Where things are written in a pyproject.toml, for diagnostics.

``tomllib`` gives values, not positions, so the configuration reader finds a
key's line in the text: an assignment (``key = …``, the key bare or quoted), a
table header (``[tool.docs2py.key]``, ``[[tool.docs2py.distribution.key]]``)
or a key inside an inline table (``{ "key" = … }``), searched from the table
being read (``[tool.docs2py]`` or the n-th ``[[tool.docs2py.targets]]``), and
within a parent key when one is given (an entry of ``paging = { … }`` is on
that line or below it).  Broken TOML and undecodable bytes get their line and
column from the parser's own error.  Every pattern here is linear: no two
neighbouring repeats overlap.
"""

from __future__ import annotations

import re

_TOP = re.compile(r"^[ \t]*\[[ \t]*tool\.docs2py[ \t]*\]", re.MULTILINE)
_ANY = re.compile(r"^[ \t]*\[+[ \t]*tool\.docs2py\b", re.MULTILINE)
_TARGETS = re.compile(r"^[ \t]*\[\[[ \t]*tool\.docs2py\.targets[ \t]*\]\]", re.M)
_AT = re.compile(r" \(at line (\d+), column (\d+)\)\Z")
_AT_END = " (at end of document)"


class KeyLines:
    """Lines of keys in one pyproject.toml's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        top = _TOP.search(text) or _ANY.search(text)
        self.top = top.start() if top else 0
        self.targets = [m.start() for m in _TARGETS.finditer(text)]
        self.start = self.top
        self.own: frozenset[str] = frozenset()

    def enter(self, target: int | None, keys: frozenset[str] = frozenset()) -> None:
        """Read the n-th ``[[tool.docs2py.targets]]`` table (its own ``keys``;
        the others come from [tool.docs2py]), or, with None, the top level."""
        inside = target is not None and target < len(self.targets)
        self.start = self.targets[target] if inside and target is not None else self.top
        self.own = keys if inside else frozenset()

    def _find(self, key: str, start: int) -> int | None:
        k = re.escape(key)
        patterns = (
            rf"^[ \t]*([\"']?){k}\1[ \t]*=",
            rf"^[ \t]*\[+[ \t]*tool\.docs2py(?:\.[\w-]+)*\.([\"']?){k}\1[ \t]*\]",
            rf"[{{,][ \t]*([\"']?){k}\1[ \t]*=",
        )
        found = [
            m.start()
            for p in patterns
            if (m := re.compile(p, re.MULTILINE).search(self.text, start))
        ]
        return min(found) if found else None

    def line(self, key: str, parent: str | None = None, value: str = "") -> int:
        """The line of ``key`` (inside ``parent``; with ``value``, the line
        below the key that holds that text), or 0."""
        top = parent or key
        start = self.start if top in self.own else self.top
        if parent is not None:
            found = self._find(parent, start)
            if found is None:
                return 0
            start = found
        at = self._find(key, start)
        if at is None and parent is not None:
            at = start
        if at is not None and value:
            held = self.text.find(value, at)
            at = held if held >= 0 else at
        return self.text.count("\n", 0, at) + 1 if at is not None else 0


def toml_position(message: str, text: str) -> tuple[str, int, int]:
    """tomllib's message without its position, the line and the column."""
    match = _AT.search(message)
    if match:
        return message[: match.start()], int(match[1]), int(match[2])
    if message.endswith(_AT_END):
        lines = text.split("\n")
        return message[: -len(_AT_END)], len(lines), len(lines[-1]) + 1
    return message, 0, 0


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """The line and column (1-based) of byte ``offset`` in ``data``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
