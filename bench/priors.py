"""The counts behind the dialect priors (generator/infer/priors.py).

    python bench/priors.py [--corpus DIR] [--truth DIR]

For every field of every corpus doc set whose SDK source gives its real key
(../shared/wiretruth/truth), how the key relates to the Name the docs write,
by SDK language: the Name itself (after the dialect's escapes), the Name in
snake_case, in camelCase, or none of these.  The truth is only read here, to
state the priors' counts; docs2py never reads it.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.infer.casing import convert  # noqa: E402
from generator.read.build import strip_escape  # noqa: E402


def _relation(name: str, key: str) -> str:
    base = strip_escape(name)
    if key == base:
        return "as written"
    if key == convert(base, "snake"):
        return "snake_case"
    if key == convert(base, "camel"):
        return "camelCase"
    if key.lower() == base.lower():
        return "case only (acronyms)"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument(
        "--truth", type=Path, default=ROOT.parent / "shared" / "wiretruth" / "truth"
    )
    args = parser.parse_args()
    language: dict[str, str] = {}
    with (args.corpus / "INDEX.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            language[row["dir"]] = row["sdk_language"]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for truth in sorted(args.truth.glob("*.tsv")):
        lines = [x for x in truth.read_text("utf-8").splitlines() if x[:1] != "#"]
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["kind"] == "field" and row["wire"]:
                lang = language.get(truth.stem, "?")
                counts[lang][_relation(row["name"], row["wire"])] += 1
    kinds = ["as written", "snake_case", "camelCase", "case only (acronyms)", "other"]
    print("| SDK language | fields | " + " | ".join(kinds) + " |")
    print("| --- | ---: |" + " ---: |" * len(kinds))
    for lang in sorted(counts):
        c = counts[lang]
        total = sum(c.values())
        cells = [f"{c[k]} ({100 * c[k] / total:.0f}%)" for k in kinds]
        print(f"| {lang} | {total} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
