"""The ``docs2py`` command line: the only place that decides exit codes.

Exit codes: 0 success (``--check``: up to date); 1 errors in the specs, warnings
with ``--strict``, or (``--check``) output that would change; 2 usage,
configuration or environment errors; 130 and 143 when SIGINT or SIGTERM ended
the run (the package folder is then as it was, or complete and new).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from .. import names
from ..diagnostics import Diagnostics, Level
from ..ir import to_json
from ..read.inputs import fingerprint
from ..write import inplace
from ..write.distribution import DistributionInfo, layout
from ..write.folders import OutputError
from ..write.format_cache import (
    FormatCache,
    MissingFormatter,
    Outputs,
    default_cache_dir,
    mode_key,
)
from ..write.package import Plan, apply, plan, reading, real, up_to_date, writing
from .config import Config, Target
from .options import UsageError, parser
from .options import load as load_targets
from .report import report, show_check, summary

if TYPE_CHECKING:
    from ..core import Result

# The pipeline (mistune, Jinja2, black) and watchfiles are imported by the
# commands that use them, so that an up-to-date check starts quickly.

EXIT_OK, EXIT_SPEC, EXIT_USAGE = 0, 1, 2
EXIT_SIGINT, EXIT_SIGTERM = 130, 143  # 128 + the signal's number


def _exit_code(diags: Diagnostics, strict: bool) -> int:
    if diags.has_errors or (strict and diags.count(Level.WARNING)):
        return EXIT_SPEC
    return EXIT_OK


def _cache(
    config: Config, args: argparse.Namespace, target: Target
) -> FormatCache | None:
    if args.no_cache:
        return None
    root = args.cache_dir or config.cache_dir or default_cache_dir()
    return FormatCache(root, mode_key(target.line_length))


def _package(target: Target) -> tuple[Path, str, DistributionInfo | None]:
    """The package folder, the import name and the distribution, if asked."""
    if target.out is None:
        raise UsageError(f"target '{target.name}': no output folder (--out or 'out')")
    package = target.package or target.out.resolve().name
    problem = names.package_problem(package)
    if problem:
        raise UsageError(f"package name {package!r} {problem}")
    for folder in target.templates:
        if not folder.is_dir():
            raise UsageError(f"templates folder {folder}: not a folder")
    if target.distribution is None:
        return target.out, package, None
    try:
        return target.out, package, layout(target.distribution, target.out, package)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _folders(target: Target) -> list[Path]:
    """Where a run writes: the package folder, then the distribution folder."""
    out, _, info = _package(target)
    dist = target.distribution
    if info is None or dist is None or dist.folder is None:
        return [out]
    return [out, dist.folder]


def build(
    target: Target, config: Config, args: argparse.Namespace
) -> tuple[Result, Path]:
    """Generate one target in memory (nothing written)."""
    from ..core import generate

    out, package, distribution = _package(target)
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
        distribution,
    )
    return result, out


def _filters_source(target: Target) -> bytes:
    """The user filters file's bytes (part of the input fingerprint)."""
    if not target.filters or not target.filters.endswith(".py"):
        return b""
    try:
        return ((target.root or Path.cwd()) / target.filters).read_bytes()
    except OSError:
        return b""


def _outputs(config: Config, args: argparse.Namespace) -> Outputs | None:
    """The record of what earlier runs wrote (None with --no-cache)."""
    if args.no_cache:
        return None
    return Outputs(args.cache_dir or config.cache_dir or default_cache_dir())


def _fingerprint(target: Target) -> str:
    _, package, distribution = _package(target)
    extra = (target.outputs, target.filters, _filters_source(target), distribution)
    return fingerprint(
        target.specs, target.settings, list(target.templates), package,
        target.line_length, extra,
    )  # fmt: skip


def _up_to_date(
    target: Target,
    args: argparse.Namespace,
    record: Outputs | None,
    inputs: str,
    where: list[Path],
) -> bool:
    """True (saying so) when the folders ``where`` (real paths) hold exactly
    what docs2py wrote there last from the same inputs.  ``--check`` never
    takes this shortcut: it compares with what would be generated, byte for
    byte."""
    if record is None or args.force or args.check:
        return False
    start = time.perf_counter()
    count = 0
    for folder in where:
        last = record.get(folder, inputs)
        if last is None or (target.strict and last[1]):
            return False
        with reading(folder):
            files = up_to_date(folder, last[0])
        if files is None:
            return False
        count += files
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
    return True


def _waiting(out: Path) -> Callable[[], None]:
    def say() -> None:
        print(
            f"docs2py: waiting for another docs2py run to finish with {out}",
            file=sys.stderr,
            flush=True,
        )

    return say


def _plan(
    out: Path,
    files: dict[str, str],
    own: bool,
    result: Result,
    args: argparse.Namespace,
) -> Plan | None:
    """What writing ``files`` to ``out`` (the package folder if ``own``) would
    do; None, with errors in ``result``, if it must not."""
    todo = plan(out, files, args.force, own)
    for rel in todo.kept:
        result.diagnostics.warning(
            (out / rel).as_posix(), 0,
            "no longer generated but edited by hand: left in place", "kept",
        )  # fmt: skip
    for problem, code in todo.blocked:
        result.diagnostics.error(out.as_posix(), 0, problem, code)
    return None if todo.blocked else todo


def _write(
    folders: list[Path],
    result: Result,
    args: argparse.Namespace,
    record: tuple[Outputs, str, list[Path]] | None,
) -> list[tuple[Path, Plan]] | None:
    """Plan every folder's files and, unless ``--check``, write them: the
    package (swapped in whole), then the distribution files (in place, see
    inplace.py), holding every folder's lock.  None if a plan is blocked."""
    units = list(zip(folders, [result.files, result.distribution], strict=False))
    lock = reading if args.check else writing
    with contextlib.ExitStack() as held:
        for folder in reversed(folders):  # always the distribution's first
            held.enter_context(lock(folder, _waiting(folder)))
        if len(units) > 1 and not args.check:
            inplace.recover(folders[1])
        plans = [
            (folder, _plan(folder, files, n == 0, result, args))
            for n, (folder, files) in enumerate(units)
        ]
        todo = [(folder, p) for folder, p in plans if p is not None]
        if len(todo) < len(plans) or args.check:
            return todo if len(todo) == len(plans) else None
        warnings = result.diagnostics.count(Level.WARNING)
        for n, (folder, p) in enumerate(todo):
            (apply if n == 0 else inplace.apply)(folder, p)
            if record is not None:
                store, inputs, where = record
                store.put(where[n], inputs, p.manifest(), warnings)
    return todo


def _generate_one(target: Target, config: Config, args: argparse.Namespace) -> int:
    where = [real(f) for f in _folders(target)]  # before a swap replaces "."
    store = _outputs(config, args)
    inputs = _fingerprint(target) if store and not args.check else ""
    if _up_to_date(target, args, store, inputs, where):
        return EXIT_OK
    result, _ = build(target, config, args)
    code = _exit_code(result.diagnostics, target.strict)
    plans: list[tuple[Path, Plan]] = []
    if code == EXIT_OK and result.files:
        record = (store, inputs, where) if store is not None else None
        written = _write(_folders(target), result, args, record)
        plans = written or []
        code = EXIT_SPEC if written is None else code
    if plans and args.check:
        show_check(plans, args.diff, args.format)
        code = EXIT_SPEC if any(p.changes for _, p in plans) else EXIT_OK
    report(result.diagnostics, args.format, summary(result, plans, args.check))
    return EXIT_USAGE if args.check and result.diagnostics.has_errors else code


def _generate(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, targets = load_targets(args, diags)
    if diags.has_errors:
        report(diags, args.format, {})
        return EXIT_USAGE
    return max(_generate_one(t, config, args) for t in targets)


def _ir(args: argparse.Namespace) -> int:
    from ..core import load

    diags = Diagnostics()
    _, targets = load_targets(args, diags)
    if diags.has_errors:
        report(diags, args.format, {})
        return EXIT_USAGE
    documents = []
    for target in targets:
        documents.append(to_json(load(target.specs, target.settings, diags)))
    report(diags, args.format, {})
    output = documents[0] if len(documents) == 1 else documents
    json.dump(output, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return _exit_code(diags, any(t.strict for t in targets))


def _export(args: argparse.Namespace) -> int:
    from ..core import load
    from ..render.export import json_schema, openapi

    diags = Diagnostics()
    _, targets = load_targets(args, diags)
    if diags.has_errors or len(targets) != 1:
        if len(targets) > 1:
            raise UsageError("export takes one target: name it with --target")
        report(diags, args.format, {})
        return EXIT_USAGE
    target = targets[0]
    api = load(target.specs, target.settings, diags)
    report(diags, args.format, {})
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


def _command(args: argparse.Namespace) -> int:
    if args.command == "generate":
        return _generate(args)
    if args.command == "watch":
        from .watch import watch

        return watch(args)
    if args.command == "export":
        return _export(args)
    return _ir(args)


class Terminated(BaseException):
    """SIGTERM, raised in the main thread as SIGINT raises KeyboardInterrupt."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def _signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise (also when the shell started us with SIGINT
    ignored, as it does for background jobs), so that a run ends cleanly."""
    try:
        previous = {
            signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
            signal.SIGTERM: signal.signal(signal.SIGTERM, _terminate),
        }
    except ValueError:  # not the main thread: leave signals to the caller
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _error(message: object) -> int:
    print(f"docs2py: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = parser().parse_args(argv)
    try:
        with _signals():
            return _command(args)
    except (KeyboardInterrupt, Terminated) as exc:
        name = "SIGINT" if isinstance(exc, KeyboardInterrupt) else "SIGTERM"
        print(
            f"docs2py: stopped by {name}; no package was left half-written",
            file=sys.stderr,
        )
        return EXIT_SIGINT if name == "SIGINT" else EXIT_SIGTERM
    except OutputError as exc:
        print(exc, file=sys.stderr)  # "path: error: what to do"
        return EXIT_USAGE
    except (UsageError, MissingFormatter) as exc:
        return _error(exc)
    except BrokenProcessPool as exc:
        return _error(f"a worker process died ({exc}); run again")
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        return _error(exc)
