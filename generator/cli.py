"""The ``docs2py`` command line: the only place that decides exit codes.

Exit codes: 0 success; 1 errors in the specs (or warnings with ``--strict``);
2 usage or environment errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, names
from .core import Result, generate, load
from .diagnostics import Diagnostics, Level
from .ir import SentIn, to_json
from .settings import ParamOverride, Settings, WireKeyStyle
from .write import write_files

EXIT_OK, EXIT_SPEC, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command line is wrong (exit 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docs2py",
        description="Turn Markdown schema docs into a typed Python package.",
    )
    parser.add_argument("--version", action="version", version=f"docs2py {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="generate a package from specs")
    gen.add_argument(
        "--out", required=True, type=Path, help="the package folder to write"
    )
    gen.add_argument("--package", help="import name (default: the --out folder's name)")
    gen.add_argument(
        "--templates",
        action="append",
        type=Path,
        default=[],
        help="a folder of templates that override the built-ins (repeatable)",
    )
    ir = sub.add_parser("ir", help="print the intermediate model as JSON")
    for p in (gen, ir):
        p.add_argument("specs", nargs="+", type=Path, help="spec files or folders")
        p.add_argument(
            "--wire-keys",
            choices=[s.value for s in WireKeyStyle],
            default=WireKeyStyle.AS_WRITTEN.value,
            help="how JSON keys derive from the Name column",
        )
        p.add_argument(
            "--wire-key",
            action="append",
            default=[],
            metavar="MODEL.FIELD=KEY",
            help="the JSON key of one property (repeatable)",
        )
        p.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="SERVICE.METHOD.PARAM=WHERE[:NAME]",
            help="send one endpoint parameter in path, query, header or body "
            "(optionally under NAME; repeatable)",
        )
        p.add_argument("--strict", action="store_true", help="fail on warnings too")
        p.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="diagnostics as text lines (default) or one JSON array on stderr",
        )
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, dict[str, str]] = {}
    for item in args.wire_key:
        target, sep, key = item.partition("=")
        model, dot, field = target.partition(".")
        if not (sep and dot and model and field and key):
            raise UsageError(f"--wire-key expects MODEL.FIELD=KEY, got {item!r}")
        overrides.setdefault(model, {})[field] = key
    return Settings(WireKeyStyle(args.wire_keys), overrides, _param_overrides(args))


_PLACES: dict[str, SentIn] = {"path": "path", "query": "query", "header": "header"}
_PLACES["body"] = "body"


def _param_overrides(args: argparse.Namespace) -> dict[str, ParamOverride]:
    out: dict[str, ParamOverride] = {}
    for item in args.param:
        target, sep, where = item.partition("=")
        place, _, name = where.partition(":")
        if not sep or target.count(".") != 2 or place not in _PLACES:
            raise UsageError(
                f"--param expects SERVICE.METHOD.PARAM=path|query|header|body[:NAME], "
                f"got {item!r}"
            )
        out[target] = ParamOverride(_PLACES[place], name or None)
    return out


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


def _summary(result: Result, written: int, unchanged: int) -> dict[str, object]:
    api, diags = result.api, result.diagnostics
    return {
        "models": len(api.models),
        "enums": len(api.enums),
        "unions": len(api.unions),
        "methods": sum(len(s.methods) for s in api.services),
        "written": written,
        "unchanged": unchanged,
        "seconds": round(result.seconds, 3),
        "errors": diags.count(Level.ERROR),
        "warnings": diags.count(Level.WARNING),
    }


def _summary_line(s: dict[str, object]) -> str:
    line = (
        f"docs2py: {s['models']} models, {s['enums']} enums, {s['unions']} unions, "
        f"{s['methods']} methods; {s['written']} files written, {s['unchanged']} "
        f"unchanged in {s['seconds']:.2f}s; {s['errors']} errors, "
        f"{s['warnings']} warnings"
    )
    return line if s["written"] or s["unchanged"] else line + "; nothing written"


def _generate(args: argparse.Namespace) -> int:
    out: Path = args.out
    package = args.package or out.resolve().name
    if not names.is_identifier(package):
        raise UsageError(f"package name {package!r} is not a Python identifier")
    for folder in args.templates:
        if not folder.is_dir():
            raise UsageError(f"--templates {folder}: not a folder")
    result = generate(args.specs, _settings(args), args.templates, package)
    code = _exit_code(result.diagnostics, args.strict)
    if code != EXIT_OK or not result.files:
        _report(result.diagnostics, args.format, _summary(result, 0, 0))
        return code or EXIT_SPEC
    report = write_files(out, result.files)
    summary = _summary(result, len(report.written), len(report.unchanged))
    _report(result.diagnostics, args.format, summary)
    return code


def _ir(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    api = load(args.specs, _settings(args), diags)
    _report(diags, args.format, {})
    json.dump(to_json(api), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return _exit_code(diags, args.strict)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "generate":
            return _generate(args)
        return _ir(args)
    except UsageError as exc:
        print(f"docs2py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        print(f"docs2py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
