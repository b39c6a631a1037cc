"""What docs2py could not know, shown to the user: ``docs2py explain``, the
``guesses`` of ``docs2py ir``, and ``docs2py generate --report FILE``.

Each guess (``infer/guesses.py``) is listed with what docs2py chose, why (the
rule and the evidence it had, with file:line), and the ``[tool.docs2py]``
line that pins it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..infer.guesses import ALL_KINDS, KINDS, Guess, pin_toml
from ..ir import clue_to_json


def guess_json(g: Guess) -> dict[str, Any]:
    """The JSON form of one guess (in ``docs2py ir`` and JSON reports)."""
    where = g.location
    return {
        "kind": g.kind,
        "target": g.target,
        "value": g.value,
        "source": g.source,
        "rule": g.rule,
        "path": where.path if where else None,
        "line": where.line if where else 0,
        "evidence": [clue_to_json(c) for c in g.evidence],
        "pin": pin_toml(g.pin),
    }


def _heading(kind: str, n: int) -> str:
    return f"{n} {kind if n == 1 else kind + 's'}"


def explain_text(found: list[Guess]) -> str:
    """The guesses, by kind, each with its reason and the line that pins it."""
    if not found:
        return (
            "docs2py: no guesses: the docs decide every wire key, name, "
            "location, encoding and auth choice\n"
        )
    wire = sum(1 for g in found if g.kind in KINDS)
    head = (
        f"docs2py: {_heading('wire decision', wire)} "
        f"{'is a guess' if wire == 1 else 'are guesses'} (the docs do not decide "
        "them); pin each in [tool.docs2py] as shown, or run with --strict-wire "
        "to fail while one is left"
    )
    named = len(found) - wire
    if named:
        head += (
            f"; {_heading('class name', named)} derived from where the "
            "definitions are used (the docs' names say nothing), pinned with "
            "class-names"
        )
    lines = [head]
    for kind in ALL_KINDS:
        group = [g for g in found if g.kind == kind]
        if not group:
            continue
        lines += ["", f"{_heading(kind, len(group))}:"]
        for g in group:
            where = f"  ({g.location})" if g.location else ""
            lines.append(f"  {g.target}: {g.value!r} [{g.source}: {g.rule}]{where}")
            lines += [f"      seen: {clue}" for clue in g.evidence]
            lines.append(f"      pin:  {pin_toml(g.pin)}")
    return "\n".join(lines) + "\n"


def write_report(path: Path, found: list[Guess]) -> None:
    """The guesses as JSON (``.json``) or text (anything else) in ``path``."""
    if path.suffix == ".json":
        text = json.dumps([guess_json(g) for g in found], indent=2)
        path.write_text(text + "\n", "utf-8")
    else:
        path.write_text(explain_text(found), "utf-8")
