"""Command-line options and ``[tool.docs2py]`` turned into generation targets.

Without spec arguments the configuration's targets are used (all of them, or
the ones named with ``--target``); with spec arguments one target is built from
them and the configuration's top-level keys.  Flags given on the command line
override the configuration.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from .. import __version__
from ..cache import default_cache_dir
from ..core import RunOptions, Target
from ..diagnostics import Diagnostics, UsageError
from ..infer.guesses import KINDS
from ..settings import (
    API_KEY_FORMAT,
    PARAMETER_SYNTAX,
    ApiKeyPlace,
    Distribution,
    FileSelection,
    Glob,
    ParamOverride,
    StyleOverride,
    WireKeyStyle,
    glob_problem,
    parse_api_key,
    parse_body_override,
    parse_paging_override,
    parse_parameter,
)
from .config import Config, find_pyproject, load_config
from .config_settings import header_problem
from .report import waiting

T = TypeVar("T")


def _add_target_options(p: argparse.ArgumentParser, specs: bool = True) -> None:
    if specs:
        p.add_argument("specs", nargs="*", type=Path, help="spec files or folders")
    else:
        p.add_argument(
            "--spec", dest="specs", action="append", type=Path, default=[],
            help="a spec file or folder (default: the configuration's specs)",
        )  # fmt: skip
    p.add_argument(
        "--learned",
        type=Path,
        metavar="FILE",
        help="the learned file: what samples of real traffic showed (default: "
        "docs2py.lock.toml beside the pyproject.toml)",
    )
    p.add_argument("--config", type=Path, help="a pyproject.toml (default: nearest)")
    p.add_argument("--target", action="append", default=[], help="only this target")
    p.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="read only the spec folders' files that match (gitignore syntax, "
        "relative to the spec folder or the working folder; added to the "
        "configuration's 'include'; repeatable)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out the spec folders' files that match (wins over "
        "--include; added to the configuration's 'exclude'; repeatable)",
    )
    p.add_argument(
        "--wire-keys",
        choices=[s.value for s in WireKeyStyle],
        help="how JSON keys and query/header names derive from the Name column "
        "(default: auto, inferred from the docs)",
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
        metavar="SERVICE.METHOD.PARAM=WHERE[:NAME[:STYLE]]|STYLE",
        help="send one endpoint parameter in path, query, header or body "
        "(optionally under NAME), and spell its array or object value in STYLE "
        "(form, deepObject, spaceDelimited, pipeDelimited, simple; "
        "',explode=false' joins with commas); repeatable",
    )
    p.add_argument(
        "--paging",
        action="append",
        default=[],
        metavar="SERVICE.METHOD=STYLE[:PARAM][->NEXT][@ITEMS]",
        help="how one method pages (cursor, page, offset or none; repeatable)",
    )
    p.add_argument(
        "--body",
        action="append",
        default=[],
        metavar="SERVICE.METHOD=ENCODING",
        help="a method's body encoding: json, multipart, form or raw (repeatable)",
    )
    p.add_argument(
        "--api-key",
        metavar="WHERE:NAME",
        help="send the API key in this header or query parameter "
        "(header:NAME or query:NAME; default: where the docs say, else the "
        "header X-API-Key)",
    )
    p.add_argument(
        "--strict", action="store_true", default=None, help="fail on warnings"
    )
    p.add_argument(
        "--strict-wire",
        action="store_true",
        default=None,
        help="fail while a wire decision is a guess (docs2py explain lists them)",
    )
    p.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="diagnostics as text lines (default) or one JSON document on stderr",
    )


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, help="the package folder to write")
    p.add_argument("--package", help="import name (default: the --out folder's name)")
    p.add_argument(
        "--distribution",
        type=Path,
        metavar="DIST",
        help="also write DIST/pyproject.toml and DIST/README.md, making DIST an "
        "installable distribution of the package (--out must be inside DIST)",
    )
    p.add_argument(
        "--templates",
        action="append",
        type=Path,
        default=[],
        help="a folder of templates that override the built-ins (repeatable)",
    )
    p.add_argument("--force", action="store_true", help="overwrite edited files")
    p.add_argument("--cache-dir", type=Path, help="the formatting cache folder")
    p.add_argument("--no-cache", action="store_true", help="do not use the cache")


def parser() -> argparse.ArgumentParser:
    """The ``docs2py`` argument parser."""
    top = argparse.ArgumentParser(
        prog="docs2py",
        description="Turn Markdown schema docs into a typed Python package.",
    )
    top.add_argument("--version", action="version", version=f"docs2py {__version__}")
    sub = top.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="generate packages from specs")
    _add_target_options(gen)
    _add_output_options(gen)
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the output is not up to date",
    )
    gen.add_argument("--diff", action="store_true", help="with --check: show diffs")
    gen.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write the guesses (docs2py explain) to FILE (.json: as JSON)",
    )
    watch = sub.add_parser("watch", help="regenerate when specs or templates change")
    _add_target_options(watch)
    _add_output_options(watch)
    watch.add_argument(
        "--debounce", type=int, default=400, help="milliseconds to group changes"
    )
    _add_target_options(sub.add_parser("ir", help="print the intermediate model"))
    _add_target_options(
        sub.add_parser(
            "explain",
            help="list the wire decisions the docs do not decide, and how to pin each",
        )
    )
    learn = sub.add_parser(
        "learn",
        help="learn the wire from samples of real traffic (HAR files, Postman "
        "collections, JSON bodies named SERVICE.METHOD.json)",
    )
    learn.add_argument(
        "samples", nargs="*", type=Path,
        help="sample files or folders (default: the configuration's samples)",
    )  # fmt: skip
    _add_target_options(learn, specs=False)
    learn.add_argument(
        "--write",
        action="store_true",
        help="write what was learned to the learned file (else only report it)",
    )
    export = sub.add_parser("export", help="write the specs as JSON Schema or OpenAPI")
    export.add_argument("kind", choices=["jsonschema", "openapi"])
    _add_target_options(export)
    export.add_argument("-o", "--output", type=Path, help="the file (default: stdout)")
    export.add_argument("--title", help="OpenAPI info.title (default: the target)")
    export.add_argument("--api-version", default="1.0.0", help="OpenAPI info.version")
    return top


def _wire_overrides(items: list[str]) -> dict[str, dict[str, str]]:
    overrides: dict[str, dict[str, str]] = {}
    for item in items:
        target, sep, key = item.partition("=")
        model, dot, name = target.partition(".")
        if not (sep and dot and model and name and key):
            raise UsageError(f"--wire-key expects MODEL.FIELD=KEY, got {item!r}")
        overrides.setdefault(model, {})[name] = key
    return overrides


def _param_overrides(
    items: list[str],
) -> tuple[dict[str, ParamOverride], dict[str, StyleOverride]]:
    placed: dict[str, ParamOverride] = {}
    styles: dict[str, StyleOverride] = {}
    for item in items:
        target, sep, value = item.partition("=")
        parsed = parse_parameter(value)
        if not sep or target.count(".") != 2 or parsed is None:
            raise UsageError(
                f"--param expects SERVICE.METHOD.PARAM={PARAMETER_SYNTAX}, "
                f"got {item!r}"
            )
        where, style = parsed
        problem = header_problem(where)
        if problem:
            raise UsageError(f"--param {item!r}: {problem}")
        if where is not None:
            placed[target] = where
        if style is not None:
            styles[target] = style
    return placed, styles


def _method_overrides(
    items: list[str], flag: str, parse: Callable[[str], T | None], expected: str
) -> dict[str, T]:
    out: dict[str, T] = {}
    for item in items:
        target, sep, value = item.partition("=")
        parsed = parse(value)
        if not sep or target.count(".") != 1 or parsed is None:
            raise UsageError(f"{flag} expects SERVICE.METHOD={expected}, got {item!r}")
        out[target] = parsed
    return out


def _api_key(value: str) -> ApiKeyPlace:
    place = parse_api_key(value)
    if place is None:
        raise UsageError(f"--api-key expects {API_KEY_FORMAT}, got {value!r}")
    return place


def _globs(items: list[str], flag: str) -> tuple[Glob, ...]:
    """Command-line patterns: relative to the working folder (or the spec folder)."""
    for item in items:
        problem = glob_problem(item)
        if problem:
            raise UsageError(f"{flag}: {problem}")
    return tuple(Glob(item, Path.cwd()) for item in items)


def _override(target: Target, args: argparse.Namespace) -> Target:
    s = target.settings
    strict_wire = frozenset(KINDS) if args.strict_wire else s.strict_wire
    placed, styles = _param_overrides(args.param)
    settings = replace(
        s,
        wire_keys=WireKeyStyle(args.wire_keys) if args.wire_keys else s.wire_keys,
        wire_key_overrides={**s.wire_key_overrides, **_wire_overrides(args.wire_key)},
        parameter_overrides={**s.parameter_overrides, **placed},
        paging_overrides={
            **s.paging_overrides,
            **_method_overrides(
                args.paging, "--paging", parse_paging_override,
                "cursor|page|offset|none[:PARAM][->NEXT][@ITEMS]",
            ),
        },
        body_overrides={
            **s.body_overrides,
            **_method_overrides(
                args.body, "--body", parse_body_override, "json|multipart|form|raw"
            ),
        },
        strict_wire=strict_wire,
        parameter_styles={**s.parameter_styles, **styles},
        api_key=_api_key(args.api_key) if args.api_key else s.api_key,
        learned_file=args.learned or s.learned_file,
        files=FileSelection(
            s.files.include + _globs(args.include, "--include"),
            s.files.exclude + _globs(args.exclude, "--exclude"),
        ),
    )  # fmt: skip
    out = getattr(args, "out", None) or target.out
    distribution = target.distribution
    if getattr(args, "distribution", None):
        distribution = replace(
            distribution or Distribution(None), folder=args.distribution
        )
    return replace(
        target,
        out=out,
        distribution=distribution,
        package=getattr(args, "package", None) or target.package,
        templates=target.templates + tuple(getattr(args, "templates", [])),
        settings=settings,
        strict=target.strict if args.strict is None else args.strict,
    )


def load(
    args: argparse.Namespace, diags: Diagnostics, announce: bool = True
) -> tuple[Config, list[Target]]:
    """The configuration and the targets this command line asks for; with
    ``announce``, a line on stderr names the configuration file read."""
    path = args.config or find_pyproject(Path.cwd())
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"--config {args.config}: no such file")
    config = load_config(path, diags) if path else Config(None, ())
    if diags.has_errors:
        return config, []
    if args.specs:
        base = config.defaults or Target("command-line", (), None)
        if getattr(args, "out", None) is not None:
            # They describe the configured package folder, not --out's.
            base = replace(base, out=None, package=None, distribution=None)
        targets = [replace(base, name="command-line", specs=tuple(args.specs))]
    elif not config.targets:
        raise UsageError("no specs given and no [tool.docs2py] in a pyproject.toml")
    else:
        targets = [
            t for t in config.targets if not args.target or t.name in args.target
        ]
        missing = set(args.target) - {t.name for t in config.targets}
        if missing:
            raise UsageError(f"no target named {', '.join(sorted(missing))}")
    targets = [_override(t, args) for t in targets]
    for target in targets:
        _check_specs(target, config)
    if announce and config.path is not None and args.format == "text":
        print(_using(config.path, args), file=sys.stderr)
    return config, targets


def _using(path: Path, args: argparse.Namespace) -> str:
    """The line that says which configuration file a run uses, and what of
    it a command-line target leaves out."""
    line = f"docs2py: configuration: {path}"
    if args.specs and getattr(args, "out", None) is not None:
        line += " (its out, package and distribution are not used with --out)"
    return line


def _check_specs(target: Target, config: Config) -> None:
    """A spec path that does not exist is a usage error (exit 2), whether it
    came from the command line or from the configuration."""
    for spec in target.specs:
        if not spec.exists():
            where = "" if target.name == "command-line" else f" ({config.path})"
            raise UsageError(f"{spec}: no such spec file or folder{where}")


def run_options(config: Config, args: argparse.Namespace) -> RunOptions:
    """How ``core.run`` treats the folders on disk, from the flags (``watch``
    never checks)."""
    cache = None
    if not args.no_cache:
        cache = args.cache_dir or config.cache_dir or default_cache_dir()
    check = bool(getattr(args, "check", False))
    return RunOptions(check=check, force=args.force, cache=cache, waiting=waiting)
