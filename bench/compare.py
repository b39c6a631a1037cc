"""docs2py side by side with datamodel-code-generator and with black alone.

    python bench/compare.py [--repeat N] [--inputs NAME,...] [--results PATH]
    python bench/compare.py --quick     # synthetic-100, one round, no RESULTS.md

Inputs: synthetic doc sets of 100, 1,000 and 5,000 definitions (bench/synth.py,
seed 1) and the largest doc sets in ../shared/corpus (ringcentral, pandascore
python, postman python), each also as ``NAME-models``: its model docs alone, which are exactly
what datamodel-code-generator gets (the full set adds the services, so docs2py
also generates a client there).  Each input is copied to a temporary folder;
then each round runs, in this order and as separate processes, so that ratios
hold on a noisy machine:

1. docs2py cold: empty output folder, empty cache (``DOCS2PY_CACHE_DIR``);
2. docs2py no-op: the same command again;
3. docs2py one-model edit: one model's description changed, the command again;
4. datamodel-code-generator on docs2py's JSON Schema export (made once per
   input, in this process, with generator.core.load + generator.render.export), in a
   venv of its own (bench/.venv-dcg, created on first use; not a dependency);
5. black alone on a copy of the cold run's output (fresh ``BLACK_CACHE_DIR``).

Reports medians over the rounds, ratios, CPU time and peak memory (the largest
single process, from ``/usr/bin/time -v`` or ``os.wait4``) and, unless
``--quick``, writes its report at the top of bench/RESULTS.md (the sections
other benchmarks write are kept).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CORPUS = ROOT.parent / "shared" / "corpus"
VENV = BENCH / ".venv-dcg"
DCG = VENV / "bin" / "datamodel-codegen"
DCG_REQUIREMENT = "datamodel-code-generator"
GNU_TIME = Path("/usr/bin/time")
SEED = 1
CORES = os.cpu_count() or 1
RINGCENTRAL = (
    CORPUS / "liblaber__ringcentral-rest-api-1.0.58-20240529-47eda8bd-python-sdk-1.0.0"
)
PANDASCORE = CORPUS / "liblaber__pandascore-rest-api-v2.53-python-sdk-v1.0.0"
POSTMAN = CORPUS / "liblaber__postman-postman-api-1.0.0-python-1.0.0"
MODELS_ONLY = "documentation/models"


@dataclass(frozen=True)
class Only:
    """A corpus doc set reduced to one folder (its model docs: what dcg gets)."""

    path: Path
    folder: str = MODELS_ONLY


Source = int | Path | Only
INPUTS: dict[str, Source] = {
    "synthetic-100": 100,
    "synthetic-1000": 1000,
    "synthetic-5000": 5000,
    "ringcentral": RINGCENTRAL,
    "ringcentral-models": Only(RINGCENTRAL),
    "pandascore-python": PANDASCORE,
    "pandascore-python-models": Only(PANDASCORE),
    "postman-python": POSTMAN,
    "postman-python-models": Only(POSTMAN),
}
STEPS = ["cold", "no-op", "edit", "dcg", "black"]
OTHER_SECTIONS = (
    "## Wire fidelity",
    "## Run time",
    "## Generation speed",
    "## Generated code under the checkers",
)
"""Sections of RESULTS.md that other benchmarks write (kept as they are)."""
COMMANDS = {
    "synth": "python bench/synth.py --models N --seed 1 SPECS",
    "cold": "DOCS2PY_CACHE_DIR=EMPTY python -m generator generate SPECS --out OUT",
    "no-op": "DOCS2PY_CACHE_DIR=CACHE python -m generator generate SPECS --out OUT",
    "edit": "(one model's description edited) then the same command",
    "dcg": "bench/.venv-dcg/bin/datamodel-codegen --input schema.json "
    "--input-file-type jsonschema --output-model-type dataclasses.dataclass "
    "--output OUT.py",
    "black": "BLACK_CACHE_DIR=EMPTY python -m black -q -t py310 COPY_OF_OUT",
}


@dataclass
class Run:
    """One process: wall seconds, CPU seconds (with its children), peak RSS."""

    wall: float
    cpu: float
    rss_kib: int


@dataclass
class Series:
    name: str
    definitions: int = 0
    runs: dict[str, list[Run]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)

    def median(self, step: str, attr: str = "wall") -> float | None:
        values = [getattr(r, attr) for r in self.runs.get(step, [])]
        return statistics.median(values) if values else None

    def peak_mib(self, step: str) -> float | None:
        values = [r.rss_kib for r in self.runs.get(step, [])]
        return max(values) / 1024 if values else None


class Failed(Exception):
    """A benchmarked command exited with an error."""


def _parse_gnu_time(text: str) -> tuple[float, int]:
    found = dict(re.findall(r"^\s*([^:]+?(?:\([^)]*\))?): (\S+)$", text, re.M))
    cpu = float(found["User time (seconds)"]) + float(found["System time (seconds)"])
    return cpu, int(found["Maximum resident set size (kbytes)"])


def measure(command: list[str], env: dict[str, str], log: Path) -> Run:
    """Run ``command``; its output goes to ``log``."""
    report = log.with_suffix(".time")
    wrapped = command
    if GNU_TIME.exists():
        wrapped = [str(GNU_TIME), "-v", "-o", str(report), *command]
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=ROOT, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise Failed(f"{' '.join(command)}: exit {proc.returncode}\n" + _tail(log))
    if GNU_TIME.exists():
        cpu, rss = _parse_gnu_time(report.read_text())
    else:
        cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
    return Run(wall, cpu, rss)


def _tail(path: Path, lines: int = 15) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _env(**extra: str) -> dict[str, str]:
    return dict(os.environ, **extra)


def ensure_dcg() -> str:
    """Install datamodel-code-generator into bench/.venv-dcg; returns its version."""
    if not DCG.exists():
        print(f"creating {VENV} and installing {DCG_REQUIREMENT} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        done = subprocess.run([*pip, DCG_REQUIREMENT], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"pip install {DCG_REQUIREMENT} failed:\n{done.stderr}")
    return _version("datamodel-code-generator", str(VENV / "bin" / "python"))


def prepare(name: str, source: Source, specs: Path) -> str | None:
    """Copy or synthesise the input's doc set into ``specs``; None if absent."""
    if isinstance(source, int):
        command = [sys.executable, str(BENCH / "synth.py"), "--models", str(source)]
        subprocess.run([*command, "--seed", str(SEED), str(specs)], check=True)
        return None
    if isinstance(source, Only):
        if not (source.path / source.folder).is_dir():
            return f"{source.path / source.folder} is absent: skipped"
        shutil.copytree(source.path / source.folder, specs / source.folder)
        return None
    if not source.is_dir():
        return f"{source} is absent: skipped"
    shutil.copytree(source, specs)
    return None


def export_schema(specs: Path, target: Path) -> tuple[int, float]:
    """docs2py's JSON Schema export; returns (definitions, seconds)."""
    sys.path.insert(0, str(ROOT))
    from generator.core import load
    from generator.diagnostics import Diagnostics
    from generator.render.export import json_schema
    from generator.settings import Settings

    start = time.perf_counter()
    api = load([specs], Settings(), Diagnostics())
    target.write_text(json.dumps(json_schema(api), indent=2), "utf-8")
    return len(api.definitions), time.perf_counter() - start


def edit_one_model(specs: Path, round_: int) -> None:
    models = sorted(specs.rglob("documentation/models/*.md"))
    model = models[round_ * 7 % len(models)]
    text = model.read_text("utf-8")
    heading_end = text.index("\n") + 1
    model.write_text(text[:heading_end] + f"\nEdited {round_}.\n" + text[heading_end:])


def code_size(path: Path) -> tuple[int, int]:
    """(Python files, lines) under ``path`` (a folder or one file)."""
    files = [path] if path.is_file() else sorted(path.rglob("*.py"))
    lines = sum(len(f.read_text("utf-8").splitlines()) for f in files)
    return len(files), lines


def one_round(series: Series, work: Path, specs: Path, round_: int) -> None:
    """The five steps, in order, for one round."""
    here = work / f"round{round_}"
    here.mkdir()
    out, cache = here / "out" / "pkg", here / "cache"
    docs2py = [sys.executable, "-m", "generator", "generate", str(specs)]
    docs2py += ["--out", str(out)]
    env = _env(DOCS2PY_CACHE_DIR=str(cache))
    add = series.runs.setdefault
    add("cold", []).append(measure(docs2py, env, here / "cold.log"))
    add("no-op", []).append(measure(docs2py, env, here / "noop.log"))
    edit_one_model(specs, round_)
    add("edit", []).append(measure(docs2py, env, here / "edit.log"))
    series.sizes["docs2py"] = code_size(out)
    dcg_out = here / "dcg_models.py"
    dcg = [str(DCG), "--input", str(work / "schema.json")]
    dcg += ["--input-file-type", "jsonschema"]
    dcg += ["--output-model-type", "dataclasses.dataclass", "--output", str(dcg_out)]
    try:
        add("dcg", []).append(measure(dcg, _env(), here / "dcg.log"))
        series.sizes["dcg"] = code_size(dcg_out)
    except Failed as exc:
        series.notes.append(f"datamodel-codegen failed: {exc}")
    copy = here / "black" / "pkg"
    shutil.copytree(out, copy)
    black = [sys.executable, "-m", "black", "-q", "-t", "py310", str(copy)]
    black_env = _env(BLACK_CACHE_DIR=str(here / "black-cache"))
    add("black", []).append(measure(black, black_env, here / "black.log"))


def run_input(name: str, source: Source, repeat: int) -> Series:
    series = Series(name)
    with tempfile.TemporaryDirectory(prefix="docs2py-bench-") as tmp:
        work = Path(tmp)
        specs = work / "specs"
        skipped = prepare(name, source, specs)
        if skipped:
            series.notes.append(skipped)
            return series
        series.definitions, seconds = export_schema(specs, work / "schema.json")
        series.notes.append(f"JSON Schema export (in-process): {seconds:.2f}s")
        for round_ in range(repeat):
            print(f"  {name}: round {round_ + 1}/{repeat}", flush=True)
            one_round(series, work, specs, round_)
    return series


# --- the report ------------------------------------------------------------------


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _pct(part: float | None, whole: float | None) -> str:
    if part is None or not whole:
        return "–"
    return f"{part / whole:.0%}"


def _ratio(part: float | None, whole: float | None) -> str:
    return "–" if part is None or not whole else f"{part / whole:.2f}×"


def floor(series: Series) -> float | None:
    """black's CPU-seconds spread over every core: the least a run could take."""
    cpu = series.median("black", "cpu")
    return None if cpu is None else cpu / CORES


def times_table(rows: list[Series]) -> list[str]:
    out = [
        "| input | definitions | docs2py cold | no-op | edit | datamodel-codegen "
        "| cold ÷ dcg | black wall (÷ cold) | black CPU-s | floor | floor ÷ cold |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in rows:
        cold, noop, edit = s.median("cold"), s.median("no-op"), s.median("edit")
        dcg, low, black = s.median("dcg"), floor(s), s.median("black")
        out.append(
            f"| {s.name} | {s.definitions} | {_s(cold)} | {_s(noop)} "
            f"({_pct(noop, cold)}) | {_s(edit)} ({_pct(edit, cold)}) | {_s(dcg)} "
            f"| {_ratio(cold, dcg)} | {_s(black)} ({_pct(black, cold)}) "
            f"| {_s(s.median('black', 'cpu'))} | {_s(low)} | {_pct(low, cold)} |"
        )
    return out


def resources_table(rows: list[Series]) -> list[str]:
    out = [
        "| input | step | wall s | CPU-s | cores used | peak RSS MiB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for s in rows:
        for step in STEPS:
            wall, cpu = s.median(step), s.median(step, "cpu")
            cores = "–" if wall is None or cpu is None else f"{cpu / wall:.2f}"
            peak = s.peak_mib(step)
            shown = "–" if peak is None else f"{peak:.0f}"
            out.append(
                f"| {s.name} | {step} | {_s(wall)} | {_s(cpu)} | {cores} | {shown} |"
            )
    return out


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("✅" if ok else "❌")


def _check(value: float | None, limit: float, below: bool = True) -> bool | None:
    if value is None:
        return None
    return value <= limit if below else value >= limit


def targets_table(rows: list[Series]) -> list[str]:
    out = [
        "| input | cold ≤ 0.5× dcg | floor ≥ 80% of cold | no-op ≤ 5% of cold "
        "| edit ≤ 10% of cold | peak ≤ 300 MiB (5,000 models) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in rows:
        cold = s.median("cold")
        if not cold:
            continue
        dcg, low, peak = s.median("dcg"), floor(s), s.peak_mib("cold")
        marks = [
            _check(None if dcg is None else cold / dcg, 0.5),
            _check(None if low is None else low / cold, 0.8, below=False),
            _check((s.median("no-op") or 0) / cold, 0.05),
            _check((s.median("edit") or 0) / cold, 0.10),
            _check(peak, 300) if s.name == "synthetic-5000" else None,
        ]
        out.append(f"| {s.name} | " + " | ".join(_mark(m) for m in marks) + " |")
    return out


def sizes_table(rows: list[Series]) -> list[str]:
    out = [
        "| input | docs2py .py files | docs2py lines | dcg files | dcg lines |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for s in rows:
        ours, theirs = s.sizes.get("docs2py"), s.sizes.get("dcg")
        a = ("–", "–") if ours is None else ours
        b = ("–", "–") if theirs is None else theirs
        out.append(f"| {s.name} | {a[0]} | {a[1]} | {b[0]} | {b[1]} |")
    return out


def rounds_lines(rows: list[Series]) -> list[str]:
    out = []
    for s in rows:
        for step in STEPS:
            walls = ", ".join(f"{r.wall:.2f}" for r in s.runs.get(step, []))
            if walls:
                out.append(f"- {s.name} {step}: {walls}")
        out += [f"- {s.name}: {note}" for note in dict.fromkeys(s.notes)]
    return out


def _version(module: str, python: str = sys.executable) -> str:
    code = f"import importlib.metadata as m; print(m.version({module!r}))"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "?"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return found.group(1) if found else "?"


def machine_lines(repeat: int, dcg_version: str, load: str) -> list[str]:
    dcg_python = str(VENV / "bin" / "python")
    return [
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {CORES} cores ({_cpu_model()}), {platform.platform()}",
        f"- load average before the run: {load}",
        f"- Python {platform.python_version()}; docs2py {_version('docs2py')}, "
        f"black {_version('black')}",
        f"- datamodel-code-generator {dcg_version} (black "
        f"{_version('black', dcg_python)} in bench/.venv-dcg)",
        f"- medians of {repeat} round(s); peak RSS is the largest single process "
        "(GNU time / wait4), the maximum over the rounds",
    ]


def report(rows: list[Series], repeat: int, dcg_version: str, load: str) -> str:
    commands = [f"- {step}: `{text}`" for step, text in COMMANDS.items()]
    parts = [
        "# docs2py benchmark",
        "",
        "Regenerate with `python bench/compare.py` (see its docstring).",
        "",
        *machine_lines(repeat, dcg_version, load),
        "",
        "## Times (seconds, medians)",
        "",
        "no-op and edit in brackets: share of the cold run. floor: black's "
        f"CPU-seconds on docs2py's output ÷ {CORES} cores.",
        "",
        *times_table(rows),
        "",
        "## Targets (issues 7 and 25)",
        "",
        *targets_table(rows),
        "",
        "## CPU and memory",
        "",
        *resources_table(rows),
        "",
        "## Generated code",
        "",
        *sizes_table(rows),
        "",
        "## Commands",
        "",
        *commands,
        "",
        "## Every round (wall seconds) and notes",
        "",
        *rounds_lines(rows),
        "",
    ]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--inputs", help="comma-separated: " + ", ".join(INPUTS))
    parser.add_argument("--quick", action="store_true", help="synthetic-100, 1 round")
    parser.add_argument("--results", type=Path, help="default: bench/RESULTS.md")
    args = parser.parse_args()
    names = args.inputs.split(",") if args.inputs else list(INPUTS)
    if args.quick:
        names, args.repeat = ["synthetic-100"], 1
    unknown = [n for n in names if n not in INPUTS]
    if unknown:
        parser.error(f"unknown inputs: {', '.join(unknown)}")
    results = args.results or (None if args.quick else BENCH / "RESULTS.md")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    dcg_version = ensure_dcg()
    rows = []
    for name in names:
        print(f"{name} ...", flush=True)
        rows.append(run_input(name, INPUTS[name], args.repeat))
    text = report(rows, args.repeat, dcg_version, load)
    print(text)
    if results is not None:
        write_section(results, text)
        print(f"wrote {results}")


def write_section(path: Path, report_text: str) -> None:
    """Put this benchmark's report at the top of RESULTS.md, in place of the
    last one (everything before the first section another benchmark wrote)."""
    text = path.read_text("utf-8") if path.exists() else ""
    others = [text.find(head) for head in OTHER_SECTIONS if head in text]
    rest = text[min(others) :] if others else ""
    path.write_text(report_text.rstrip("\n") + "\n\n" + rest, "utf-8")


if __name__ == "__main__":
    main()
