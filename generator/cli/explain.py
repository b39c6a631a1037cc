"""What docs2py could not know, shown to the user: ``docs2py explain``, the
``guesses`` of ``docs2py ir``, and ``docs2py generate --report FILE``.

Each guess (``infer/guesses.py``) is listed with what docs2py chose, why (the
rule and the evidence it had, with file:line), and the ``[tool.docs2py]``
line that pins it; then what samples of real traffic decided (the learned
file): the guesses they confirmed and corrected, and the docs' evidence
they overruled, each with the sample's file:line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..infer.guesses import ALL_KINDS, KINDS, Guess, covered, guesses, pin_toml
from ..ir import Api
from ..ir_json import clue_to_json


def reported(api: Api) -> list[Guess]:
    """The guesses that remain, then the decisions samples made."""
    return guesses(api) + covered(api)


def guess_json(g: Guess) -> dict[str, Any]:
    """The JSON form of one guess (in ``docs2py ir`` and JSON reports);
    ``status`` says whether it remains a guess (``guess``) or what samples
    did with it (``confirmed``, ``corrected``, ``overruled``; ``guessed``:
    what the docs alone decided)."""
    where = g.location
    extra = {"guessed": g.guessed} if g.status != "guess" else {}
    return extra | {
        "kind": g.kind,
        "target": g.target,
        "value": g.value,
        "source": g.source,
        "rule": g.rule,
        "path": where.path if where else None,
        "line": where.line if where else 0,
        "evidence": [clue_to_json(c) for c in g.evidence],
        "pin": pin_toml(g.pin),
        "status": g.status,
    }


def _heading(kind: str, n: int) -> str:
    return f"{n} {kind if n == 1 else kind + 's'}"


def explain_text(everything: list[Guess]) -> str:
    """The guesses, by kind, each with its reason and the line that pins it;
    then what samples decided."""
    found = [g for g in everything if g.status == "guess"]
    learned = learned_text([g for g in everything if g.status != "guess"])
    if not found:
        return (
            "docs2py: no guesses: the docs decide every wire key, name, "
            "location, encoding and auth choice\n"
        ) + learned
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
    return "\n".join(lines) + "\n" + learned


def learned_text(found: list[Guess]) -> str:
    """What samples decided: ``corrected key Package.dataLimitInGb:
    'dataLimitInGb' -> 'dataLimitInGB' (samples/a.har:41)``."""
    if not found:
        return ""
    tally = {s: sum(g.status == s for g in found) for s in STATUSES}
    counted = ", ".join(f"{n} {s}" for s, n in tally.items() if n)
    lines = ["", f"samples of real traffic (the learned file) decided: {counted}"]
    for g in found:
        seen = next((c.location for c in g.evidence if c.kind == "sample"), None)
        at = f" ({seen})" if seen else ""
        change = (
            f"{g.guessed!r} -> {g.value!r}" if g.guessed != g.value else repr(g.value)
        )
        lines.append(f"  {g.status} {g.kind} {g.target}: {change}{at}")
    return "\n".join(lines) + "\n"


STATUSES = ("confirmed", "corrected", "overruled")
"""What samples did with a decision (``Guess.status``), in the order shown."""


def write_report(path: Path, found: list[Guess]) -> None:
    """The guesses as JSON (``.json``) or text (anything else) in ``path``."""
    if path.suffix == ".json":
        text = json.dumps([guess_json(g) for g in found], indent=2)
        path.write_text(text + "\n", "utf-8")
    else:
        path.write_text(explain_text(found), "utf-8")
