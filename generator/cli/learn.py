"""``docs2py learn [SAMPLES…] [--write]``: what samples of real traffic show
about the wire, reported, and with ``--write`` kept in the learned file
(``docs2py.lock.toml`` beside the pyproject.toml, or ``learned = …``).

The samples are matched against the API as the docs alone decide it (the
learned file left out), so the same samples always teach the same facts:
a second ``learn --write`` changes nothing.  Facts from sample files not
given this time are kept.  Errors (a sample that is not valid, not JSON,
too large) write nothing; warnings (another host, a contradiction of the
docs) do not stop it.  No value a sample carried is printed or written.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from ..core import Target
from ..diagnostics import Diagnostics, UsageError
from ..infer.decisions import decide
from ..infer.guesses import Guess, covered, guesses
from ..infer.learning import learn
from ..read.learned_file import Fact, Learned, read_learned
from ..read.samples import read_samples, sample_files
from ..read.specs import read_api
from ..write.learned_file import render, write_learned
from .explain import guess_json, learned_text
from .options import load as load_targets
from .report import EXIT_USAGE, Reporter, counted, exit_code


def learn_command(args: argparse.Namespace, reporter: Reporter) -> int:
    diags = Diagnostics()
    _, targets = load_targets(args, diags)
    if diags.has_errors:
        reporter.problems(diags)
        return EXIT_USAGE
    if len(targets) != 1:
        raise UsageError("learn takes one target: name it with --target")
    target = targets[0]
    samples = tuple(args.samples) or target.samples
    if not samples:
        raise UsageError(
            "no samples: give sample files or folders, or samples = [...] in "
            "[tool.docs2py]"
        )
    lock = target.settings.learned_file
    if args.write and lock is None:
        raise UsageError("--write needs a learned file: --learned FILE")
    outcome = _learn(target, samples, lock, diags)
    before, after, merged = outcome
    text = render(merged)
    status = _status(lock, text, args.write, diags.has_errors)
    if args.format == "json":
        data = _json(merged, before, after, status)
        reporter.target(target.name, diags.items, counted(diags.items), data=data)
    else:
        reporter.target(target.name, diags.items, counted(diags.items))
        sys.stdout.write(_text(merged, before, after, status))
    return exit_code(diags, target.strict)


def _learn(
    target: Target, samples: tuple[Path, ...], lock: Path | None, diags: Diagnostics
) -> tuple[list[Guess], list[Guess], Learned]:
    """The guesses without samples and with them, and what is learned."""
    api, readme = read_api(target.specs, diags)
    bare = replace(target.settings, learned_file=None)
    docs = decide(api, readme, bare, diags)
    old = read_learned(lock, diags) if lock is not None else None
    exchanges = read_samples(samples, diags)
    base = lock.parent if lock is not None else None
    new = learn(docs, exchanges, old.host if old else "", base, diags)
    if base is not None:
        new = replace(new, path=lock.as_posix() if lock else "", base=base.as_posix())
    files = {_relative(p, base) for p in sample_files(samples, Diagnostics())}
    merged = merge(old, new, files)
    after = decide(api, readme, bare, Diagnostics(), merged)
    return guesses(docs), guesses(after) + covered(after), merged


def _relative(path: Path, base: Path | None) -> str:
    if base is None:
        return path.as_posix()
    return Path(
        os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    ).as_posix()


def merge(old: Learned | None, new: Learned, files: set[str]) -> Learned:
    """``new``'s facts, and ``old``'s from sample files not read this time
    about what ``new`` says nothing of."""
    if old is None:
        return new
    taken = {(f.section, f.target) for f in new.facts}
    kept = [
        f
        for f in old.facts
        if f.seen.path not in files and (f.section, f.target) not in taken
    ]
    facts: list[Fact] = sorted({*new.facts, *kept})
    return Learned(tuple(facts), new.host or old.host, old.path, old.base)


def _status(lock: Path | None, text: str, write: bool, errors: bool) -> str:
    """``wrote``, ``unchanged``, ``not written`` or (errors) ``not written
    (errors)``."""
    if lock is None:
        return "none (--learned FILE keeps what was learned)"
    if errors:
        return "not written: the samples have errors"
    try:
        same = lock.read_text("utf-8") == text
    except (OSError, UnicodeDecodeError):
        same = False
    if same:
        return "unchanged"
    if write:
        write_learned(lock, text)
        return "wrote"
    return "not written"


def _text(
    learned: Learned, before: list[Guess], after: list[Guess], status: str
) -> str:
    by_section: dict[str, int] = {}
    for f in learned.facts:
        by_section[f.section] = by_section.get(f.section, 0) + 1
    kinds = ", ".join(f"{n} {s}" for s, n in by_section.items())
    lines = [f"docs2py learn: {len(learned.facts)} facts ({kinds or 'none'})"]
    remaining = [g for g in after if g.status == "guess"]
    lines.append(f"guesses: {len(before)} without samples, {len(remaining)} with them")
    text = (
        "\n".join(lines)
        + "\n"
        + learned_text([g for g in after if g.status != "guess"])
    )
    where = status if status != "not written" else "would write (run with --write)"
    return text + f"learned file: {where}\n"


def _json(
    learned: Learned, before: list[Guess], after: list[Guess], status: str
) -> dict[str, object]:
    """What ``learn --format json`` prints, with the diagnostics and summary."""
    return {
        "facts": [
            {"section": f.section, "target": f.target, "value": f.value}
            | {"seen": f"{f.seen.path}:{f.seen.line}"}
            for f in learned.facts
        ],
        "host": learned.host,
        "guesses_without_samples": len(before),
        "guesses": [guess_json(g) for g in after],
        "learned_file": status,
    }
