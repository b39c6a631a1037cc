"""Wire fidelity over the corpus: default settings against the old default.

    python bench/wiretruth.py [--markdown FILE] [--docs2py EXE] [--before EXE]

Runs ``../shared/wiretruth/score_corpus.py`` twice, side by side in one run:
with docs2py's defaults (``--wire-keys auto``) and, as the "before" column,
``--wire-keys as-written`` (the default before the inference), or another
docs2py given as ``--before`` (an older checkout: ``cd OLD && python -m
generator "$@"`` in a script) with its defaults.  Prints a row per doc set
(field keys, query/header names, parameter locations; each for both runs)
and the totals, and with ``--markdown`` writes the same as a Markdown table
(the one in bench/RESULTS.md).  The truth files are never read by docs2py:
they are the SDKs' own keys, used here only to measure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "wiretruth" / "score_corpus.py"
MEASURES = (
    ("fields", "fields_right", "fields_matched"),
    ("q/h names", "params_name_right", "params_named"),
    ("locations", "params_loc_right", "params_matched"),
)


def _score(docs2py: str, extra: list[str]) -> dict[str, dict[str, int]]:
    """``{set: stats}`` from the scorer's JSON dump."""
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "score.json"
        command = [sys.executable, str(SCORER), "--docs2py", docs2py]
        command += ["--json", str(dump)]
        command += ["--", *extra] if extra else []
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0 or not dump.is_file():
            raise SystemExit(f"score_corpus.py failed:\n{done.stderr[-3000:]}")
        data = json.loads(dump.read_text("utf-8"))
    return {name: entry["stats"] for name, entry in data.items()}


def _pct(stats: dict[str, int], right: str, total: str) -> str:
    n = stats.get(total, 0)
    return f"{100 * stats.get(right, 0) / n:.1f}" if n else "–"


def _table(now: dict[str, dict[str, int]], old: dict[str, dict[str, int]]) -> str:
    head = "| doc set | " + " | ".join(f"{m} (before → now)" for m, *_ in MEASURES)
    lines = [head + " |", "| --- |" + " ---: |" * len(MEASURES)]
    totals_now: dict[str, int] = {}
    totals_old: dict[str, int] = {}
    for name in sorted(now):
        cells = []
        for _, right, total in MEASURES:
            before = _pct(old.get(name, {}), right, total)
            cells.append(f"{before} → {_pct(now[name], right, total)}")
            for key in (right, total):
                totals_now[key] = totals_now.get(key, 0) + now[name].get(key, 0)
                totals_old[key] = totals_old.get(key, 0) + old.get(name, {}).get(key, 0)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    cells = []
    for _, right, total in MEASURES:
        cells.append(
            f"**{_pct(totals_old, right, total)} → {_pct(totals_now, right, total)}** "
            f"({totals_now.get(right, 0)}/{totals_now.get(total, 0)})"
        )
    lines.append(f"| **all {len(now)} sets** | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs2py", default="docs2py", help="the command to score")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--before", help="score this command with its defaults")
    args = parser.parse_args()
    if not SCORER.is_file():
        raise SystemExit(f"{SCORER}: not found (the shared wire truth is absent)")
    now = _score(args.docs2py, [])
    if args.before:
        old = _score(args.before, [])
    else:
        old = _score(args.docs2py, ["--wire-keys", "as-written"])
    table = _table(now, old)
    print(table)
    if args.markdown:
        args.markdown.write_text(table, "utf-8")


if __name__ == "__main__":
    main()
