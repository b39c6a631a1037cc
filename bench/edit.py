"""Cold run and one-model edit, docs2py at a git revision against this tree.

    python bench/edit.py [--before REV] [--rounds N] [INPUT ...]

INPUT is a corpus doc set folder or one of its ``documentation/models``
folders (default: pandascore's and ringcentral's models).  Each round runs,
for each code in turn: a cold run (empty cache and output), then the same
command after one model's description changed.  Prints medians and the edit's
share of the cold run.  Nothing is written to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT = [
    CORPUS
    / "liblaber__pandascore-rest-api-v2.53-python-sdk-v1.0.0/documentation/models",
    CORPUS
    / "liblaber__ringcentral-rest-api-1.0.58-20240529-47eda8bd-python-sdk-1.0.0"
    / "documentation/models",
]


def run(code: Path, specs: Path, out: Path, cache: Path) -> float:
    command = [sys.executable, "-m", "generator", "generate", str(specs)]
    command += ["--out", str(out), "--cache-dir", str(cache)]
    start = time.perf_counter()
    subprocess.run(command, cwd=code, check=True, capture_output=True)
    return time.perf_counter() - start


def edit(specs: Path, n: int) -> None:
    first = sorted(specs.rglob("*.md"))[0]
    text = first.read_text("utf-8")
    head, _, rest = text.partition("\n")
    first.write_text(f"{head}\n\nEdited {n}.\n{rest}", "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default="main")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("inputs", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        before = work / "before-src"
        before.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.before],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["tar", "-x", "-C", str(before)], input=archive.stdout, check=True
        )
        codes = {args.before: before, "this tree": ROOT}
        for specs_in in args.inputs:
            times: dict[str, dict[str, list[float]]] = {
                c: {"cold": [], "edit": []} for c in codes
            }
            for r in range(args.rounds):
                for label, code in codes.items():
                    specs = work / "specs"
                    shutil.rmtree(specs, ignore_errors=True)
                    shutil.copytree(specs_in, specs)
                    out, cache = work / "out" / "pkg", work / "cache"
                    shutil.rmtree(out.parent, ignore_errors=True)
                    shutil.rmtree(cache, ignore_errors=True)
                    times[label]["cold"].append(run(code, specs, out, cache))
                    edit(specs, r)
                    times[label]["edit"].append(run(code, specs, out, cache))
            print(
                f"{specs_in.relative_to(CORPUS) if specs_in.is_relative_to(CORPUS) else specs_in}"
            )
            for label, t in times.items():
                cold, one = statistics.median(t["cold"]), statistics.median(t["edit"])
                print(
                    f"  {label}: cold {cold:.2f} s, edit {one:.2f} s ({one / cold:.0%})"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
