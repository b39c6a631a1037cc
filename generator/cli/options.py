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
