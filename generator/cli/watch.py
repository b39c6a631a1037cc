"""``docs2py watch``: regenerate when specs, templates or the configuration change.

Uses watchfiles (``pip install 'docs2py[watch]'``).  Changes are grouped
(``--debounce`` ms); each rebuild prints one line per target (``[12:00:01]
pets: 16 models, …; 1 file written, 45 unchanged, 0 deleted in 0.31s; 0
errors, 2 warnings``), after the diagnostics that are new since that
target's last rebuild (``--format json``: one JSON document per target and
rebuild, a line each, on stdout); errors are shown and watching goes on;
Ctrl-C exits cleanly (during a rebuild, as any run does: exit 130, see
cli/commands.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core import Target, run
from ..diagnostics import Diagnostic, Diagnostics, UsageError, printable
from ..write.folders import OutputError
from .options import load as load_targets
from .options import run_options
from .report import Reporter, finish, plural

_WATCHED_SUFFIXES = (".md", ".jinja", ".toml")


def _paths(targets: list[Target], config_path: Path | None) -> list[Path]:
    paths = {p for t in targets for p in (*t.specs, *t.templates) if p.exists()}
    paths |= {
        t.settings.learned_file
        for t in targets
        if t.settings.learned_file is not None and t.settings.learned_file.exists()
    }
    if config_path is not None:
        paths.add(config_path)
    return sorted(paths)


class Rebuilds(Reporter):
    """``watch``'s reporter: per target and rebuild one line, after the
    diagnostics not shown at the target's last rebuild; in JSON mode one
    document per line, printed at once."""

    def __init__(self, style: str) -> None:
        super().__init__(style)
        self.stamp = ""
        self.last: dict[str, set[str]] = {}

    def label(self, name: str) -> str:
        return f"[{self.stamp}] {name}: "

    def target(
        self,
        name: str,
        diagnostics: Iterable[Diagnostic],
        summary: dict[str, object],
        lines: Iterable[str] = (),
        data: dict[str, Any] | None = None,
    ) -> None:
        items = tuple(diagnostics)
        if self.style == "json":
            super().target(name, items, summary | {"time": self.stamp}, data=data)
            self.close()
            return
        shown = [d.format() for d in items]
        before = self.last.get(name, set())
        self.last[name] = set(shown)
        for line in shown:
            if line not in before:
                print(line, file=sys.stderr)
        print(summary.pop("line", self.label(name)), file=sys.stderr, flush=True)

    def failed(self, name: str, message: object) -> None:
        """A target that could not be built this time (watching goes on)."""
        self.last.pop(name, None)
        line = printable(f"{self.label(name)}{message}")
        print(line, file=sys.stderr, flush=True)


def _rebuild(
    args: argparse.Namespace, reporter: Rebuilds, first: bool = False
) -> tuple[list[Target], Path | None]:
    """Regenerate every target; print a line each (and new diagnostics; the
    configuration file read, the first time)."""
    diags = Diagnostics()
    reporter.stamp = time.strftime("%H:%M:%S")
    try:
        config, targets = load_targets(args, diags, announce=first)
    except UsageError as exc:  # a broken configuration: say so, keep watching
        reporter.failed("docs2py", f"error: {exc}")
        return [], None
    if diags.items:
        found = plural(len(diags.items), "configuration problem")
        reporter.target(
            "docs2py", diags.items, {"line": reporter.label("docs2py") + found}
        )
    for target in targets:
        try:
            finish(run(target, run_options(config, args)), target, args, reporter)
        except OutputError as exc:  # "path: error: …"; keep watching
            reporter.failed(target.name, exc)
        except (UsageError, OSError) as exc:
            reporter.failed(target.name, f"error: {exc}")
    return targets, config.path


def watch(args: argparse.Namespace) -> int:
    """Build once, then rebuild on every change until interrupted."""
    try:
        import watchfiles
    except ImportError as exc:
        raise UsageError(
            "docs2py watch needs watchfiles: pip install 'docs2py[watch]'"
        ) from exc
    args.check = False
    args.diff = False
    reporter = Rebuilds(args.format)
    targets, config_path = _rebuild(args, reporter, first=True)
    outputs = [t.out.resolve() for t in targets if t.out is not None]

    def relevant(change: watchfiles.Change, path: str) -> bool:
        resolved = Path(path).resolve()
        if any(resolved.is_relative_to(out) for out in outputs):
            return False
        return path.endswith(_WATCHED_SUFFIXES)

    print("watching for changes (Ctrl-C to stop)", file=sys.stderr)
    paths = _paths(targets, config_path)
    if not paths:
        raise UsageError("nothing to watch: no specs, templates or configuration")
    for _ in watchfiles.watch(
        *paths,
        watch_filter=relevant,
        debounce=args.debounce,
        step=50,
        raise_interrupt=False,
    ):
        rebuilt, new_config = _rebuild(args, reporter)
        if rebuilt:  # keep the last good targets when the configuration broke
            targets, config_path = rebuilt, new_config
            outputs = [t.out.resolve() for t in targets if t.out is not None]
    print("stopped watching", file=sys.stderr)
    return 0
