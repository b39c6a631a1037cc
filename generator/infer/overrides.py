"""User overrides of wire keys and parameters, matched with wildcards.

An override names its target by dotted parts (``Model.field`` or
``Service.method.parameter``); each part matches any spelling of the target
(as written in the docs or as the generated Python name; a service also
without its ``Service`` suffix) with shell wildcards (``*``, ``?``,
``[…]``).  When several overrides match, the most specific wins (fewest
wildcard characters; then the one given last).  An override that matches
nothing is reported with the closest real targets.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..diagnostics import Diagnostics

T = TypeVar("T")
_WILD = re.compile(r"[*?\[]")


def _specificity(pattern: str) -> int:
    return -len(_WILD.findall(pattern))


@dataclass(slots=True)
class Overrides(Generic[T]):
    """Patterns (tuples of parts) → values; remembers which ones matched."""

    what: str
    """How the patterns were given, for messages (``--wire-key``)."""
    patterns: dict[tuple[str, ...], T]
    used: set[tuple[str, ...]] = field(default_factory=set)
    targets: list[str] = field(default_factory=list)

    def find(self, spellings: tuple[Iterable[str], ...]) -> T | None:
        """The value of the most specific pattern matching the target whose
        parts may be spelled as ``spellings`` (per part, the docs' spelling
        first: it is the one suggestions show)."""
        if not self.patterns:
            return None
        options = [tuple(dict.fromkeys(s)) for s in spellings]
        self.targets.append(".".join(o[0] for o in options))
        best: tuple[int, int, tuple[str, ...]] | None = None
        for order, pattern in enumerate(self.patterns):
            if len(pattern) == len(options) and all(
                any(fnmatch.fnmatchcase(s, part) for s in opts)
                for part, opts in zip(pattern, options, strict=True)
            ):
                rank = (sum(_specificity(p) for p in pattern), order, pattern)
                best = rank if best is None or rank[:2] > best[:2] else best
        if best is None:
            return None
        self.used.add(best[2])
        return self.patterns[best[2]]

    def report_unused(self, diags: Diagnostics, where: str) -> None:
        """A warning for every pattern that matched nothing, with suggestions."""
        for pattern in self.patterns:
            if pattern in self.used:
                continue
            text = ".".join(pattern)
            close = difflib.get_close_matches(text, sorted(set(self.targets)), n=3)
            hint = ", ".join(repr(c) for c in close)
            message = f"{self.what} '{text}' matches nothing"
            message += f"; did you mean {hint}?" if close else ""
            diags.warning(where, 0, message, "unused-override")
