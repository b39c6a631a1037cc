"""An endpoint's path as the segments a URL's path is matched against: a
literal segment, or a pattern for one with ``{placeholders}``
(``{list}.json``).  Shared by the matching of samples to methods
(``sample_match``) and the base URL that example calls show (``base_url``).
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{[^{}/]+\}")

Segment = re.Pattern[str] | str
"""A literal segment, or a pattern for one with a placeholder."""


def segments(path: str) -> tuple[Segment, ...]:
    """The segments of an endpoint's path (its query part left out)."""
    out: list[Segment] = []
    for part in path.split("?")[0].strip("/").split("/"):
        if not part:
            continue
        if _PLACEHOLDER.search(part) is None:
            out.append(part)
            continue
        pieces = _PLACEHOLDER.split(part)
        out.append(re.compile("[^/]+".join(re.escape(p) for p in pieces)))
    return tuple(out)


def fits(part: str, segment: Segment) -> bool:
    """Whether a URL's path segment fills an endpoint's segment (``{}``, a
    placeholder left unfilled, fills any pattern)."""
    if isinstance(segment, str):
        return part == segment
    return part == "{}" or segment.fullmatch(part) is not None
