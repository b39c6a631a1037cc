"""What a run tells the user, and its exit code: diagnostics and the summary on
stderr (text lines or one JSON document), and what ``--check`` would change.

stdout carries data only: with ``--check``, the ``would write``/``would
delete`` lines and ``--diff``'s diffs (in JSON mode the lists are part of the
JSON document instead).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from ..core import Outcome, Result, Target, failed, load
from ..diagnostics import Diagnostics, Level
from ..infer.guesses import counts, covered, guesses
from ..ir import Api
from ..write.package import Plan
from .explain import STATUSES, reported, write_report

EXIT_OK, EXIT_SPEC, EXIT_USAGE = 0, 1, 2
EXIT_SIGINT, EXIT_SIGTERM = 130, 143  # 128 + the signal's number


def exit_code(diags: Diagnostics, strict: bool) -> int:
    """1 with errors (or warnings, with ``strict``), else 0."""
    return EXIT_SPEC if failed(diags, strict) else EXIT_OK


def finish(outcome: Outcome, target: Target, args: argparse.Namespace) -> int:
    """Tell the user what ``core.run`` did with ``target``; the exit code."""
    result = outcome.result
    if result is None:
        _up_to_date(target.name, outcome.unchanged or 0, outcome.seconds, args.format)
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
    report(result.diagnostics, args.format, counts)
    _write_report(getattr(args, "report", None), result.api)
    return EXIT_USAGE if args.check and result.diagnostics.has_errors else code


def _write_report(path: Path | None, api: Api) -> None:
    """``--report FILE``: the guesses, as ``docs2py explain`` lists them."""
    if path is not None:
        write_report(path, reported(api))


def _up_to_date(name: str, count: int, seconds: float, style: str) -> None:
    """The line (or JSON document) of a run the up-to-date shortcut served."""
    summary: dict[str, object] = {"up_to_date": True, "unchanged": count}
    summary["seconds"] = round(seconds, 3)
    if style == "json":
        print(json.dumps({"diagnostics": [], "summary": summary}), file=sys.stderr)
    else:
        print(
            f"docs2py: {name}: up to date ({count} files unchanged, inputs "
            f"unchanged) in {summary['seconds']:.2f}s",
            file=sys.stderr,
        )


def waiting(out: Path) -> None:
    """Say that another run holds ``out``'s lock (this one waits)."""
    print(
        f"docs2py: waiting for another docs2py run to finish with {out}",
        file=sys.stderr,
        flush=True,
    )


def report(diags: Diagnostics, style: str, summary: dict[str, object]) -> None:
    """Diagnostics and the summary on stderr: text lines, or one JSON object."""
    if style == "json":
        items = [
            {"path": d.path, "line": d.line, "level": d.level.label}
            | ({"column": d.column} if d.column else {})
            | {"message": d.message, "code": d.code}
            for d in diags.items
        ]
        document = {"diagnostics": items, "summary": summary}
        print(json.dumps(document, ensure_ascii=False), file=sys.stderr)
        return
    for d in diags.items:
        print(d.format(), file=sys.stderr)
    if summary:
        print(summary_line(summary), file=sys.stderr)


def summary(
    result: Result, todo: list[tuple[Path, Plan]], check: bool = False
) -> dict[str, object]:
    """The run's counts; with ``check``, what would change (nothing was written)."""
    api, diags = result.api, result.diagnostics
    write = [(out / rel).as_posix() for out, plan in todo for rel in plan.write]
    delete = [(out / rel).as_posix() for out, plan in todo for rel in plan.delete]
    counts: dict[str, object] = {
        "models": len(api.models),
        "enums": len(api.enums),
        "unions": len(api.unions),
        "methods": sum(len(s.methods) for s in api.services),
        "written": 0 if check else len(write),
        "unchanged": sum(len(plan.unchanged) for _, plan in todo),
        "deleted": 0 if check else len(delete),
    }
    if check:
        counts |= {"check": True, "would_write": write, "would_delete": delete}
    return counts | {
        "seconds": round(result.seconds, 3),
        "errors": diags.count(Level.ERROR),
        "warnings": diags.count(Level.WARNING),
    } | _styles(result)  # fmt: skip


def _styles(result: Result) -> dict[str, object]:
    styles = result.api.wire_styles
    if styles is None or not (result.api.models or result.api.services):
        return {}
    return {
        "wire_keys": styles.keys.summary(),
        "parameter_names": styles.parameters.summary(),
        "guesses": counts(guesses(result.api)),
        "samples": _sampled(result.api),
    }


def _sampled(api: Api) -> dict[str, int]:
    """How many decisions samples confirmed, corrected and overruled."""
    found = [g.status for g in covered(api)]
    return {s: found.count(s) for s in STATUSES if s in found}


def _files(s: dict[str, object]) -> str:
    if s.get("check"):
        write, delete = s["would_write"], s["would_delete"]
        assert isinstance(write, list) and isinstance(delete, list)
        return (
            f"{len(write)} files would be written, {s['unchanged']} unchanged, "
            f"{len(delete)} would be deleted (--check: nothing written)"
        )
    text = f"{s['written']} files written, {s['unchanged']} unchanged, "
    text += f"{s['deleted']} deleted"
    return text


def summary_line(s: dict[str, object]) -> str:
    line = (
        f"docs2py: {s['models']} models, {s['enums']} enums, {s['unions']} unions, "
        f"{s['methods']} methods; {_files(s)} in {s['seconds']:.2f}s; "
        f"{s['errors']} errors, {s['warnings']} warnings"
    )
    if not (s["written"] or s["unchanged"] or s.get("check")):
        line += "; nothing written"
    if "wire_keys" in s:  # its own lines, before the summary (the last line)
        styles = f"wire keys: {s['wire_keys']}; parameter names: "
        found, sampled = s.get("guesses"), s.get("samples")
        shown = guess_line(found) if isinstance(found, dict) else ""
        if isinstance(sampled, dict) and sampled:
            shown += sample_line(sampled)
        line = f"{styles}{s['parameter_names']}\n{shown}{line}"
    return line


def guess_line(found: dict[str, int]) -> str:
    """``guesses: 3 keys, 12 locations (docs2py explain lists them …)``, a line."""
    if not found:
        return ""
    parts = ", ".join(
        f"{n} {kind if n == 1 else ('encodings' if kind == 'encoding' else kind + 's')}"
        for kind, n in found.items()
    )
    return f"guesses: {parts} (docs2py explain lists them and how to pin each)\n"


def sample_line(sampled: dict[str, int]) -> str:
    """``samples: 3 guesses confirmed, 2 corrected (the learned file)``."""
    parts = ", ".join(f"{n} {status}" for status, n in sampled.items())
    return f"samples (the learned file): {parts}\n"


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
