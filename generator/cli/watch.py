"""``docs2py watch``: regenerate when specs, templates or the configuration change.

Uses watchfiles (``pip install 'docs2py[watch]'``).  Changes are grouped
(``--debounce`` ms), each rebuild prints one line per target, errors are shown
and watching goes on; Ctrl-C exits cleanly (during a rebuild, as any run does:
exit 130, see cli/commands.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..core import Target, run
from ..diagnostics import Diagnostics, UsageError, printable
from ..write.folders import OutputError
from .options import load as load_targets
from .options import run_options
from .report import finish

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


def _rebuild(
    args: argparse.Namespace, first: bool = False
) -> tuple[list[Target], Path | None]:
    """Regenerate every target; print a line each (and its diagnostics; the
    configuration file read, the first time)."""
    diags = Diagnostics()
    try:
        config, targets = load_targets(args, diags, announce=first)
    except UsageError as exc:  # a broken configuration: say so, keep watching
        print(printable(f"docs2py: error: {exc}"), file=sys.stderr)
        return [], None
    for d in diags.items:
        print(d.format(), file=sys.stderr)
    stamp = time.strftime("%H:%M:%S")
    for target in targets:
        print(f"[{stamp}] {target.name}:", file=sys.stderr, end=" ", flush=True)
        try:
            finish(run(target, run_options(config, args)), target, args)
        except OutputError as exc:  # "path: error: …"; keep watching
            print(printable(str(exc)), file=sys.stderr)
        except (UsageError, OSError) as exc:
            print(printable(f"docs2py: error: {exc}"), file=sys.stderr)
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
    targets, config_path = _rebuild(args, first=True)
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
        rebuilt, new_config = _rebuild(args)
        if rebuilt:  # keep the last good targets when the configuration broke
            targets, config_path = rebuilt, new_config
            outputs = [t.out.resolve() for t in targets if t.out is not None]
    print("stopped watching", file=sys.stderr)
    return 0
