"""Cold run, no-op re-run and one-model edit, measured side by side.

    python bench/rerun.py [SPEC_DIR] [--repeat N]

Default SPEC_DIR: the largest doc set in ../shared/corpus (ringcentral, 1,656
models).  The doc set is copied to a temporary folder; each round runs, in
this order and as separate processes (``python -m generator generate``):

1. cold: an empty output folder and an empty formatting cache;
2. no-op: the same command again;
3. one-model edit: one model's description changed, then the command again.

Prints the median of each over the rounds and the ratios to the cold run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = (
    ROOT.parent / "shared" / "corpus"
    / "liblaber__ringcentral-rest-api-1.0.58-20240529-47eda8bd-python-sdk-1.0.0"
)  # fmt: skip


def _run(specs: Path, out: Path, cache: Path) -> float:
    command = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        str(specs),
        "--out",
        str(out),
    ]
    env = dict(os.environ, DOCS2PY_CACHE_DIR=str(cache))
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return elapsed


def _edit(specs: Path, round_: int) -> None:
    model = sorted((specs / "documentation" / "models").glob("*.md"))[round_ * 7 % 50]
    text = model.read_text("utf-8")
    heading_end = text.index("\n") + 1
    model.write_text(text[:heading_end] + f"\nEdited {round_}.\n" + text[heading_end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"cold": [], "no-op": [], "edit": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        specs = work / "specs"
        shutil.copytree(args.specs, specs)
        for round_ in range(args.repeat):
            out, cache = work / f"out{round_}" / "pkg", work / f"cache{round_}"
            times["cold"].append(_run(specs, out, cache))
            times["no-op"].append(_run(specs, out, cache))
            _edit(specs, round_)
            times["edit"].append(_run(specs, out, cache))
    cold = statistics.median(times["cold"])
    print(f"specs: {args.specs.name}; {args.repeat} rounds; {os.cpu_count()} CPUs")
    print(
        "command: python -m generator generate SPECS --out OUT (DOCS2PY_CACHE_DIR set)"
    )
    for name, values in times.items():
        median = statistics.median(values)
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(
            f"{name:6} median {median:7.2f}s  ({median / cold:6.1%} of cold)  [{shown}]"
        )


if __name__ == "__main__":
    main()
