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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor  # a process pool that broke
from typing import Any

from ..core import facts, load, run
from ..diagnostics import Diagnostics, UsageError, printable
from ..ir import Api
from ..ir_json import to_json
from ..render.export import json_schema, openapi
from ..write.folders import OutputError
from ..write.format_cache import MissingFormatter
from .arguments import parser
from .explain import explain_text, guess_json, reported
from .learn import learn_command
from .options import load as load_targets
from .options import run_options
from .report import (
    EXIT_OK,
    EXIT_SIGINT,
    EXIT_SIGTERM,
    EXIT_SPEC,
    EXIT_USAGE,
    Reporter,
    counted,
    exit_code,
    finish,
)
from .watch import watch

# The pipeline's heavy modules (mistune, Jinja2, black) are imported by
# core.load and core.generate when they run, and watchfiles by ``watch``, so
# that an up-to-date check starts quickly.


def _generate(args: argparse.Namespace, reporter: Reporter) -> int:
    diags = Diagnostics()
    config, targets = load_targets(args, diags)
    if diags.has_errors:
        reporter.problems(diags)
        return EXIT_USAGE
    options = run_options(config, args)
    reporter.several = len(targets) > 1
    return max(finish(run(t, options), t, args, reporter) for t in targets)


def _summary(api: Api, diags: Diagnostics) -> dict[str, object]:
    return facts(api) | counted(diags.items)


def _each_target(
    args: argparse.Namespace,
    reporter: Reporter,
    data_of: Callable[[Api], dict[str, Any] | None],
) -> int:
    """Load every target and report it with what ``data_of`` gives (``ir``,
    ``explain``); 1 when a target has errors (or warnings, when strict)."""
    diags = Diagnostics()
    _, targets = load_targets(args, diags)
    if diags.has_errors:
        reporter.problems(diags)
        return EXIT_USAGE
    reporter.several = len(targets) > 1
    failed = False
    for target in targets:
        own = Diagnostics()
        api = load(target.specs, target.settings, own)
        data = data_of(api)
        reporter.target(target.name, own.items, _summary(api, own), data=data)
        failed = failed or exit_code(own, target.strict) != EXIT_OK
    return EXIT_SPEC if failed else EXIT_OK


def _ir(args: argparse.Namespace, reporter: Reporter) -> int:
    def data_of(api: Api) -> dict[str, Any]:
        return to_json(api) | {"guesses": [guess_json(g) for g in reported(api)]}

    return _each_target(args, reporter, data_of)


def _export(args: argparse.Namespace, reporter: Reporter) -> int:
    diags = Diagnostics()
    _, targets = load_targets(args, diags)
    if diags.has_errors or len(targets) != 1:
        if len(targets) > 1:
            raise UsageError("export takes one target: name it with --target")
        reporter.problems(diags)
        return EXIT_USAGE
    target = targets[0]
    api = load(target.specs, target.settings, diags)
    if args.output is None:  # stdout is the exported document's: text on stderr
        reporter.style = "text"
    summary = _summary(api, diags)
    if diags.has_errors:
        reporter.target(target.name, diags.items, summary)
        return EXIT_SPEC
    if args.kind == "jsonschema":
        document = json_schema(api)
    else:
        title = args.title or target.package or target.name
        document = openapi(api, title, args.api_version)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        reporter.target(target.name, diags.items, summary)
        sys.stdout.write(text)
    else:
        args.output.write_text(text, "utf-8")
        written = {"output": args.output.as_posix()}
        reporter.target(target.name, diags.items, summary | written)
    return exit_code(diags, target.strict)


def _explain(args: argparse.Namespace, reporter: Reporter) -> int:
    """``docs2py explain``: the guesses, and the settings that pin them."""

    def data_of(api: Api) -> dict[str, Any] | None:
        found = reported(api)
        if args.format == "json":
            return {"guesses": [guess_json(g) for g in found]}
        sys.stdout.write(explain_text(found))
        return None

    return _each_target(args, reporter, data_of)


def _command(args: argparse.Namespace, reporter: Reporter) -> int:
    if args.command == "generate":
        return _generate(args, reporter)
    if args.command == "watch":
        return watch(args)
    if args.command == "export":
        return _export(args, reporter)
    if args.command == "explain":
        return _explain(args, reporter)
    if args.command == "learn":
        return learn_command(args, reporter)
    return _ir(args, reporter)


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = parser().parse_args(argv)
    indent = 2 if args.command in ("ir", "explain", "learn") else None
    reporter = Reporter(args.format, indent)
    try:
        return _run(args, reporter)
    finally:
        with contextlib.suppress(BrokenPipeError):
            reporter.close()


def _run(args: argparse.Namespace, reporter: Reporter) -> int:
    try:
        with _signals():
            return _command(args, reporter)
    except (KeyboardInterrupt, Terminated) as exc:
        name = "SIGINT" if isinstance(exc, KeyboardInterrupt) else "SIGTERM"
        print(
            f"docs2py: stopped by {name}; no package was left half-written",
            file=sys.stderr,
        )
        return EXIT_SIGINT if name == "SIGINT" else EXIT_SIGTERM
    except OutputError as exc:
        if reporter.style == "json":
            reporter.error(str(exc))
        else:
            print(printable(str(exc)), file=sys.stderr)  # "path: error: what to do"
        return EXIT_USAGE
    except (UsageError, MissingFormatter) as exc:
        reporter.error(str(exc))
    except BrokenExecutor as exc:
        reporter.error(f"a worker process died ({exc}); run again")
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        reporter.error(str(exc))
    return EXIT_USAGE
