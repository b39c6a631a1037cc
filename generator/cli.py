"""The ``docs2py`` command line: the only place that decides exit codes.

Exit codes: 0 success (``--check``: up to date); 1 errors in the specs, warnings
with ``--strict``, or (``--check``) output that would change; 2 usage,
configuration or environment errors.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import names
from .config import Config, Target
from .diagnostics import Diagnostics, Level
from .format_cache import FormatCache, default_cache_dir, mode_key
from .inputs import fingerprint
from .ir import to_json
from .options import UsageError, parser
from .options import load as load_targets
from .write import OutputError, Plan, apply, plan, up_to_date

if TYPE_CHECKING:
    from .core import Result

# The pipeline (mistune, Jinja2, black) and watchfiles are imported by the
# commands that use them, so that an up-to-date check starts quickly.

EXIT_OK, EXIT_SPEC, EXIT_USAGE = 0, 1, 2


def _exit_code(diags: Diagnostics, strict: bool) -> int:
    if diags.has_errors or (strict and diags.count(Level.WARNING)):
        return EXIT_SPEC
    return EXIT_OK


def _report(diags: Diagnostics, style: str, summary: dict[str, object]) -> None:
    """Diagnostics and the summary on stderr: text lines, or one JSON object."""
    if style == "json":
        items = [
            {"path": d.path, "line": d.line, "level": d.level.label}
            | {"message": d.message, "code": d.code}
            for d in diags.items
        ]
        document = {"diagnostics": items, "summary": summary}
        print(json.dumps(document, ensure_ascii=False), file=sys.stderr)
        return
    for d in diags.items:
        print(d.format(), file=sys.stderr)
    if summary:
        print(_summary_line(summary), file=sys.stderr)


def _summary(result: Result, todo: Plan | None) -> dict[str, object]:
    api, diags = result.api, result.diagnostics
    return {
        "models": len(api.models),
        "enums": len(api.enums),
        "unions": len(api.unions),
        "methods": sum(len(s.methods) for s in api.services),
        "written": len(todo.write) if todo else 0,
        "unchanged": len(todo.unchanged) if todo else 0,
        "deleted": len(todo.delete) if todo else 0,
        "seconds": round(result.seconds, 3),
        "errors": diags.count(Level.ERROR),
        "warnings": diags.count(Level.WARNING),
    }


def _summary_line(s: dict[str, object]) -> str:
    line = (
        f"docs2py: {s['models']} models, {s['enums']} enums, {s['unions']} unions, "
        f"{s['methods']} methods; {s['written']} files written, {s['unchanged']} "
        f"unchanged, {s['deleted']} deleted in {s['seconds']:.2f}s; "
        f"{s['errors']} errors, {s['warnings']} warnings"
    )
    return line if s["written"] or s["unchanged"] else line + "; nothing written"


def _cache(
    config: Config, args: argparse.Namespace, target: Target
) -> FormatCache | None:
    if args.no_cache:
        return None
    root = args.cache_dir or config.cache_dir or default_cache_dir()
    return FormatCache(root, mode_key(target.line_length))


def _package(target: Target) -> tuple[Path, str]:
    if target.out is None:
        raise UsageError(f"target '{target.name}': no output folder (--out or 'out')")
    package = target.package or target.out.resolve().name
    if not names.is_identifier(package):
        raise UsageError(f"package name {package!r} is not a Python identifier")
    for folder in target.templates:
        if not folder.is_dir():
            raise UsageError(f"templates folder {folder}: not a folder")
    return target.out, package


def build(
    target: Target, config: Config, args: argparse.Namespace
) -> tuple[Result, Path]:
    """Generate one target in memory (nothing written)."""
    from .core import generate

    out, package = _package(target)
    result = generate(
        target.specs,
        target.settings,
        list(target.templates),
        package,
        target.line_length,
        _cache(config, args, target),
        target.outputs,
        target.filters,
        target.root,
    )
    return result, out


def _show_check(out: Path, todo: Plan, diff: bool) -> None:
    for rel in todo.write:
        print(f"would write {out / rel}")
        if diff:
            old = (out / rel).read_text("utf-8") if (out / rel).is_file() else ""
            new = todo.files[rel].decode("utf-8")
            sys.stdout.writelines(
                difflib.unified_diff(
                    old.splitlines(True), new.splitlines(True), f"a/{rel}", f"b/{rel}"
                )
            )
    for rel in todo.delete:
        print(f"would delete {out / rel}")


def _filters_source(target: Target) -> bytes:
    """The user filters file's bytes (part of the input fingerprint)."""
    if not target.filters or not target.filters.endswith(".py"):
        return b""
    try:
        return ((target.root or Path.cwd()) / target.filters).read_bytes()
    except OSError:
        return b""


def _up_to_date(target: Target, args: argparse.Namespace) -> str | None:
    """The input fingerprint, or None when the package is already up to date."""
    out, package = _package(target)
    start = time.perf_counter()
    inputs = fingerprint(
        target.specs, target.settings, list(target.templates), package,
        target.line_length, (target.outputs, target.filters, _filters_source(target)),
    )  # fmt: skip
    count = None if args.force else up_to_date(out, inputs, target.strict)
    if count is None:
        return inputs
    summary: dict[str, object] = {"up_to_date": True, "unchanged": count}
    summary["seconds"] = round(time.perf_counter() - start, 3)
    if args.format == "json":
        print(json.dumps({"diagnostics": [], "summary": summary}), file=sys.stderr)
    else:
        print(
            f"docs2py: {target.name}: up to date ({count} files unchanged, inputs "
            f"unchanged) in {summary['seconds']:.2f}s",
            file=sys.stderr,
        )
    return None


def _generate_one(target: Target, config: Config, args: argparse.Namespace) -> int:
    inputs = _up_to_date(target, args)
    if inputs is None:
        return EXIT_OK
    result, out = build(target, config, args)
    code = _exit_code(result.diagnostics, target.strict)
    todo = None
    if code == EXIT_OK and result.files:
        todo = plan(out, result.files, args.force, inputs)
        todo.warnings = result.diagnostics.count(Level.WARNING)
        for rel in todo.kept:
            result.diagnostics.warning(
                (out / rel).as_posix(), 0,
                "no longer generated but edited by hand: left in place", "kept",
            )  # fmt: skip
        for problem in todo.blocked:
            result.diagnostics.error(out.as_posix(), 0, problem, "edited")
        if todo.blocked:
            code, todo = EXIT_SPEC, None
    if todo is not None and args.check:
        _show_check(out, todo, args.diff)
        code = EXIT_SPEC if todo.changes else EXIT_OK
    elif todo is not None:
        apply(out, todo)
    _report(result.diagnostics, args.format, _summary(result, todo))
    return EXIT_USAGE if args.check and result.diagnostics.has_errors else code


def _generate(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, targets = load_targets(args, diags)
    if diags.has_errors:
        _report(diags, args.format, {})
        return EXIT_USAGE
    return max(_generate_one(t, config, args) for t in targets)


def _ir(args: argparse.Namespace) -> int:
    from .core import load

    diags = Diagnostics()
    _, targets = load_targets(args, diags)
    if diags.has_errors:
        _report(diags, args.format, {})
        return EXIT_USAGE
    documents = []
    for target in targets:
        documents.append(to_json(load(target.specs, target.settings, diags)))
    _report(diags, args.format, {})
    output = documents[0] if len(documents) == 1 else documents
    json.dump(output, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return _exit_code(diags, any(t.strict for t in targets))


def _export(args: argparse.Namespace) -> int:
    from .core import load
    from .export import json_schema, openapi

    diags = Diagnostics()
    _, targets = load_targets(args, diags)
    if diags.has_errors or len(targets) != 1:
        if len(targets) > 1:
            raise UsageError("export takes one target: name it with --target")
        _report(diags, args.format, {})
        return EXIT_USAGE
    target = targets[0]
    api = load(target.specs, target.settings, diags)
    _report(diags, args.format, {})
    if diags.has_errors:
        return EXIT_SPEC
    if args.kind == "jsonschema":
        document = json_schema(api)
    else:
        title = args.title or target.package or target.name
        document = openapi(api, title, args.api_version)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, "utf-8")
    return _exit_code(diags, target.strict)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = parser().parse_args(argv)
    try:
        if args.command == "generate":
            return _generate(args)
        if args.command == "watch":
            from .watch import watch

            return watch(args)
        if args.command == "export":
            return _export(args)
        return _ir(args)
    except UsageError as exc:
        print(f"docs2py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:
        print(f"docs2py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        print(f"docs2py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
