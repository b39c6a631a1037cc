"""What a command tells the user, and its exit code.

Text (the default): diagnostics, then each target's summary, on stderr; a
line is printed once per command (targets that read the same docs share
their diagnostics and wire-key lines), and a target's summary line is named
when the command has several.  JSON (``--format json``): one JSON document
on stdout when the command ends (``Reporter.close``): for one target an
object with its ``diagnostics`` and ``summary`` (and what the command gives:
``ir``'s model, ``explain``'s guesses), for several a list of them; stderr
then carries only logs (``waiting for …``).

With ``--check`` in text mode, stdout has the ``would write``/``would
delete`` lines and ``--diff``'s diffs (in JSON mode the lists are in the
summary); ``ir`` prints its model on stdout in both modes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core import Outcome, Result, Target, facts, failed, load
from ..diagnostics import Diagnostic, Diagnostics, Level, printable
from ..infer.guesses import covered
from ..ir import Api
from ..write.package import Plan
from .explain import STATUSES, reported, write_report

EXIT_OK, EXIT_SPEC, EXIT_USAGE = 0, 1, 2
EXIT_SIGINT, EXIT_SIGTERM = 130, 143  # 128 + the signal's number


def plural(n: int, noun: str) -> str:
    """``1 file``, ``2 files``, ``0 warnings``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def exit_code(diags: Diagnostics, strict: bool) -> int:
    """1 with errors (or warnings, with ``strict``), else 0."""
    return EXIT_SPEC if failed(diags, strict) else EXIT_OK


class Reporter:
    """What one command prints (see the module's docstring)."""

    def __init__(self, style: str, indent: int | None = None) -> None:
        self.style = style
        self.indent = indent
        self.several = False
        """The command has several targets: name each in its lines."""
        self.documents: list[dict[str, Any]] = []
        self.data: list[Any] = []
        self.shown: set[str] = set()

    def label(self, name: str) -> str:
        return f"docs2py: {name}: " if self.several else "docs2py: "

    def target(
        self,
        name: str,
        diagnostics: Iterable[Diagnostic],
        summary: dict[str, object],
        lines: Iterable[str] = (),
        data: dict[str, Any] | None = None,
    ) -> None:
        """One target's diagnostics and summary: in text mode the
        diagnostics, ``lines`` (each once per command) and the summary line
        (``summary["line"]``, always); ``data`` goes to stdout (text mode:
        as a JSON document of its own; JSON mode: in the target's)."""
        items = tuple(diagnostics)
        line = summary.pop("line", None)
        if self.style == "json":
            document = dict(data or {})
            document |= {"target": name, "diagnostics": [d.to_json() for d in items]}
            self.documents.append(document | {"summary": summary})
            return
        self.once([d.format() for d in items] + list(lines))
        if isinstance(line, str):
            print(line, file=sys.stderr)
        if data is not None:
            self.data.append(data)

    def once(self, lines: Iterable[str]) -> None:
        """Text lines on stderr, each at most once per command."""
        for line in lines:
            if line not in self.shown:
                self.shown.add(line)
                print(line, file=sys.stderr)

    def problems(self, diags: Diagnostics) -> None:
        """Diagnostics that stop a command before any target runs (a bad
        configuration)."""
        summary: dict[str, object] = counted(diags.items)
        self.target("docs2py", diags.items, summary)

    def error(self, message: str) -> None:
        """A usage or environment error that ended the command (exit 2)."""
        if self.style != "json":
            print(printable(f"docs2py: error: {message}"), file=sys.stderr)
            return
        found = Diagnostic("docs2py", 0, Level.ERROR, message, "usage")
        self.target("docs2py", [found], counted([found]))

    def close(self) -> None:
        """Print what goes to stdout: the JSON document(s), or the data."""
        shown = self.documents if self.style == "json" else self.data
        if not shown:
            return
        output = shown[0] if len(shown) == 1 else shown
        json.dump(output, sys.stdout, indent=self.indent, ensure_ascii=False)
        sys.stdout.write("\n")
        sys.stdout.flush()
        self.documents, self.data = [], []


def counted(items: Iterable[Diagnostic]) -> dict[str, object]:
    levels = [d.level for d in items]
    return {
        "errors": levels.count(Level.ERROR),
        "warnings": levels.count(Level.WARNING),
    }


def finish(
    outcome: Outcome, target: Target, args: argparse.Namespace, reporter: Reporter
) -> int:
    """Tell the user what ``core.run`` did with ``target``; the exit code."""
    result = outcome.result
    if result is None:
        done = up_to_date(outcome)
        line = reporter.label(target.name) + up_to_date_line(done)
        record = outcome.record
        found = record.diagnostics if record is not None else ()
        reporter.target(target.name, found, done | {"line": line})
        if getattr(args, "report", None) is not None:  # the files need no run
            _write_report(
                args.report, load(target.specs, target.settings, Diagnostics())
            )
        return EXIT_OK
    code = EXIT_SPEC if outcome.failed or outcome.blocked else EXIT_OK
    if outcome.plans and args.check:
        show_check(outcome.plans, args.diff, args.format)
        code = EXIT_SPEC if any(p.changes for _, p in outcome.plans) else EXIT_OK
    counts = summary(result, outcome.plans, args.check)
    line = reporter.label(target.name) + summary_line(counts)
    reporter.target(
        target.name, result.diagnostics.items, counts | {"line": line},
        lines=style_lines(counts),
    )  # fmt: skip
    _write_report(getattr(args, "report", None), result.api)
    return EXIT_USAGE if args.check and result.diagnostics.has_errors else code


def _write_report(path: Path | None, api: Api) -> None:
    """``--report FILE``: the guesses, as ``docs2py explain`` lists them."""
    if path is not None:
        write_report(path, reported(api))


def up_to_date(outcome: Outcome) -> dict[str, object]:
    """The summary of a run the up-to-date shortcut served: what the run
    that wrote the files reported, and that nothing changed."""
    record = outcome.record
    found = record.diagnostics if record is not None else ()
    summary: dict[str, object] = dict(record.facts) if record is not None else {}
    summary |= {"up_to_date": True, "written": 0, "unchanged": outcome.unchanged or 0}
    summary |= {"deleted": 0, "seconds": round(outcome.seconds, 3)}
    return summary | counted(found)


def up_to_date_line(s: dict[str, object]) -> str:
    """``up to date (46 files unchanged, inputs unchanged) in 0.01s; …``"""
    unchanged = s["unchanged"]
    assert isinstance(unchanged, int)
    return (
        f"up to date ({plural(unchanged, 'file')} unchanged, inputs unchanged) "
        f"in {s['seconds']:.2f}s; {_problems(s)}"
    )


def waiting(out: Path) -> None:
    """Say that another run holds ``out``'s lock (this one waits)."""
    print(
        f"docs2py: waiting for another docs2py run to finish with {out}",
        file=sys.stderr,
        flush=True,
    )


def summary(
    result: Result, todo: list[tuple[Path, Plan]], check: bool = False
) -> dict[str, object]:
    """The run's counts; with ``check``, what would change (nothing was written)."""
    diags = result.diagnostics
    write = [(out / rel).as_posix() for out, plan in todo for rel in plan.write]
    delete = [(out / rel).as_posix() for out, plan in todo for rel in plan.delete]
    counts: dict[str, object] = {
        "written": 0 if check else len(write),
        "unchanged": sum(len(plan.unchanged) for _, plan in todo),
        "deleted": 0 if check else len(delete),
    }
    if check:
        counts |= {"check": True, "would_write": write, "would_delete": delete}
    return facts(result.api) | counts | {
        "seconds": round(result.seconds, 3),
        "errors": diags.count(Level.ERROR),
        "warnings": diags.count(Level.WARNING),
    } | _samples(result.api)  # fmt: skip


def _samples(api: Api) -> dict[str, object]:
    """How many decisions samples confirmed, corrected and overruled."""
    found = [g.status for g in covered(api)]
    sampled = {s: found.count(s) for s in STATUSES if s in found}
    return {"samples": sampled} if sampled else {}


def _files(s: dict[str, object]) -> str:
    written, unchanged, deleted = s["written"], s["unchanged"], s["deleted"]
    assert isinstance(written, int) and isinstance(unchanged, int)
    assert isinstance(deleted, int)
    if s.get("check"):
        write, delete = s["would_write"], s["would_delete"]
        assert isinstance(write, list) and isinstance(delete, list)
        return (
            f"{plural(len(write), 'file')} would be written, {unchanged} unchanged, "
            f"{len(delete)} would be deleted (--check: nothing written)"
        )
    return (
        f"{plural(written, 'file')} written, {unchanged} unchanged, {deleted} deleted"
    )


def _problems(s: dict[str, object]) -> str:
    errors, warnings = s["errors"], s["warnings"]
    assert isinstance(errors, int) and isinstance(warnings, int)
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def summary_line(s: dict[str, object]) -> str:
    """``16 models, 2 enums, 4 unions, 10 methods; 46 files written, …``"""
    counted = [s[kind] for kind in ("models", "enums", "unions", "methods")]
    assert all(isinstance(n, int) for n in counted)
    kinds = ", ".join(
        plural(n, kind)
        for n, kind in zip(counted, ("model", "enum", "union", "method"), strict=True)
        if isinstance(n, int)
    )
    line = f"{kinds}; {_files(s)} in {s['seconds']:.2f}s; {_problems(s)}"
    if not (s["written"] or s["unchanged"] or s.get("check")):
        line += "; nothing written"
    return line


def style_lines(s: dict[str, object]) -> list[str]:
    """The wire-key decisions and the guesses, lines of their own before
    the summary line (none for an API without models or services)."""
    if "wire_keys" not in s:
        return []
    out = [f"wire keys: {s['wire_keys']}; parameter names: {s['parameter_names']}"]
    found, sampled = s.get("guesses"), s.get("samples")
    if isinstance(found, dict) and found:
        out.append(guess_line(found))
    if isinstance(sampled, dict) and sampled:
        out.append(sample_line(sampled))
    return out


def guess_line(found: dict[str, int]) -> str:
    """``guesses: 3 keys, 12 locations (docs2py explain lists them …)``, a line."""
    parts = ", ".join(plural(n, kind) for kind, n in found.items())
    return f"guesses: {parts} (docs2py explain lists them and how to pin each)"


def sample_line(sampled: dict[str, int]) -> str:
    """``samples: 3 guesses confirmed, 2 corrected (the learned file)``."""
    parts = ", ".join(f"{n} {status}" for status, n in sampled.items())
    return f"samples (the learned file): {parts}"


def show_check(todo: list[tuple[Path, Plan]], diff: bool, style: str) -> None:
    """``would write``/``would delete`` lines on stdout (in JSON mode they are
    in the summary instead), and with ``diff`` the unified diffs."""
    for out, plan in todo:
        for rel in plan.write:
            if style != "json":
                print(f"would write {out / rel}")
            if diff:
                old = (out / rel).read_text("utf-8") if (out / rel).is_file() else ""
                new = plan.files[rel].decode("utf-8")
                sys.stdout.writelines(
                    difflib.unified_diff(
                        old.splitlines(True),
                        new.splitlines(True),
                        f"a/{rel}",
                        f"b/{rel}",
                    )
                )
        if style != "json":
            for rel in plan.delete:
                print(f"would delete {out / rel}")
