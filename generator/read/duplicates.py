"""A service documented twice in one folder: liblab writes a Kotlin copy
``XService.kt.md`` beside a Java SDK's ``XService.md``.  Two files are the
same service's when the service has the same name in both and either the
file names differ only by language suffixes (``X.md``, ``X.kt.md``) or the
endpoints are the same; two different services that share a title stay two
(nothing is lost).  The service is generated once,
from the file without a language suffix (the SDK's own language, the one its
model docs are written in), with a warning at the other file that names both,
says whether they document the same endpoints (and, if not, which methods
only the other has), and gives the ``exclude`` pattern that leaves it out.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..ir import Service


def once(services: list[Service], diags: Diagnostics) -> list[Service]:
    """One service per class name and folder: a service documented twice
    is generated from its preferred file (``_preferred``), with a
    warning at the other that names both and says what differs."""
    groups: dict[tuple[str, str], list[list[Service]]] = {}
    for s in services:
        folder = s.location.path.rpartition("/")[0]
        copies = groups.setdefault((folder, s.class_name), [])
        group = next((g for g in copies if _same(g[0], s)), None)
        if group is None:
            copies.append([s])
        else:
            group.append(s)
    out: list[Service] = []
    for copies in groups.values():
        for group in copies:
            chosen = min(group, key=_preferred)
            out.append(chosen)
            for other in sorted(group, key=_preferred)[1:]:
                _twice(chosen, other, diags)
    return out


def _same(a: Service, b: Service) -> bool:
    """Whether two docs of a service's name document one service: file
    names that differ only by language suffixes, or the same endpoints."""
    stem_a = a.location.path.rpartition("/")[2].partition(".")[0]
    stem_b = b.location.path.rpartition("/")[2].partition(".")[0]
    return stem_a == stem_b or _service_signature(a) == _service_signature(b)


def _twice(chosen: Service, other: Service, diags: Diagnostics) -> None:
    if _service_signature(chosen) == _service_signature(other):
        what = "with the same endpoints"
    else:
        lost = {m.python_name for m in other.methods}
        lost -= {m.python_name for m in chosen.methods}
        what = "differently" + (
            f" (only this file has {', '.join(sorted(lost))})" if lost else ""
        )
    here, there = other.location.path, chosen.location.path
    name = here.rpartition("/")[2]
    suffixes = name.partition(".")[2]
    pattern = f"*.{suffixes}" if suffixes.count(".") else name
    why = "the file without a language suffix"
    if _preferred(chosen)[0] == _preferred(other)[0]:
        why = "the shorter name, or the first in path order"
    diags.warning(
        here, other.location.line,
        f"service '{chosen.name}' is documented twice, {what}: here and in "
        f"{there}; it is generated once, from {there} ({why}); "
        f"leave this file out with exclude = "
        f"[\"{pattern}\"] in [tool.docs2py] (or --exclude '{pattern}')",
        "duplicate-service",
    )  # fmt: skip


def _preferred(s: Service) -> tuple[int, int, str]:
    """Which file of a service documented twice is generated: the one with
    no second suffix (``XService.md``: the SDK's own language; liblab adds
    ``XService.kt.md`` for Kotlin beside a Java SDK's docs), then the
    shorter name, then the first in path order."""
    name = s.location.path.rpartition("/")[2]
    return (name.count("."), len(name), s.location.path)


def _service_signature(s: Service) -> object:
    """What makes two docs of a service the same: their endpoints and
    parameters, ignoring descriptions, examples and lines."""
    return tuple(
        (
            m.python_name, m.http_method, m.path, m.returns,
            tuple((p.name, p.type, p.required) for p in m.parameters),
        )
        for m in s.methods
    )  # fmt: skip
