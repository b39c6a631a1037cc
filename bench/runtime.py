"""Generated models at run time: decoding and encoding, side by side, and imports.

    python bench/runtime.py [--rounds N] [--work DIR] [--results PATH] [--quick]

Four model shapes from the corpus (``SHAPES``), each generated twice (the
built-in templates and examples/templates/attrs), against the hand-written
equivalent of the same classes (bench/handwritten.py: straight-line code with
docs2py's JSON rules), pydantic v2 and msgspec (bench/rivals.py; skipped when
not installed).  Payloads are made from the IR with a fixed seed: nested
objects, lists, every union variant in turn, enum values (a few unlisted),
nulls, absent optional keys and unknown keys; every payload must round-trip
through docs2py and the hand-written code and both must give the same JSON,
or the run stops.  Each round times every implementation once, in turn, so a
busy machine slows them alike; the reported ratio is the median of the
per-round ratios.  Also a 10,000-item list (the decoder a service uses for
``list[Match]``) and, in fresh interpreters, the CPU time, module count and
memory of importing one model, the client and every model.

Writes bench/RESULTS.md's "Run time" section unless ``--quick``.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import itertools
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.handwritten import closure, emit  # noqa: E402
from bench.rivals import msgspec_source, pydantic_source  # noqa: E402
from generator.core import load  # noqa: E402
from generator.diagnostics import Diagnostics  # noqa: E402
from generator.ir import (  # noqa: E402
    AnyType,
    Api,
    Enum,
    ListOf,
    MapOf,
    Model,
    Primitive,
    Ref,
    TypeRef,
    Union,
    UnionOf,
)
from generator.settings import Settings  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SETS = {
    "ps_py": "liblaber__pandascore-rest-api-v2.53-python-sdk-v1.0.0",
    "ps_ts": "liblaber__pandascore-rest-api-v2.53-typescript-sdk-v1.0.0",
    "pm_ts": "liblaber__postman-postman-api-1.0.0-typescript-1.0.0",
    "rc_py": "liblaber__ringcentral-rest-api-1.0.58-20240529-47eda8bd-python-sdk-1.0.0",
}
ATTRS = ROOT / "examples" / "templates" / "attrs"


@dataclass(frozen=True)
class Shape:
    label: str
    docs: str
    model: str
    what: str


SHAPES = [
    Shape("flat", "ps_py", "BasePlayer", "12 scalar fields"),
    Shape("nested", "pm_ts", "GetWorkspaceWorkspace", "5 lists of sub-models, 2 enums"),
    Shape("large", "ps_py", "Match", "34 fields, nested models, enums, opaque unions"),
    Shape("unions", "ps_ts", "LoLEventPayload", "unions of 9 and 8 variants, enums"),
]
IMPORTS = {"pandascore": "ps_py", "ringcentral": "rc_py"}


# --- generating the packages ------------------------------------------------------


def generate(work: Path, docs: str, flavour: str, full: bool) -> Path:
    """The package for a doc set (models only unless ``full``), in ``work``."""
    name = f"{docs}_{flavour}" + ("_full" if full else "")
    specs = CORPUS / SETS[docs]
    if not full:
        specs = specs / "documentation" / "models"
    out = work / "pkgs" / name
    command = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        str(specs),
        "--out",
        str(out),
    ]
    if flavour == "attrs":
        command += ["--templates", str(ATTRS)]
    env = {**os.environ, "DOCS2PY_CACHE_DIR": str(work / "cache" / flavour)}
    where = work / "before-src" if flavour == "before" else ROOT
    subprocess.run(command, cwd=where, env=env, check=True, capture_output=True)
    return out


# --- payloads -------------------------------------------------------------------------


class Payloads:
    """Valid JSON for models of ``api``, varied with a fixed seed."""

    def __init__(self, api: Api, seed: int = 16) -> None:
        self.defs = {d.class_name: d for d in api.definitions}
        self.rng = random.Random(seed)
        self.turn: dict[str, int] = {}

    def model(self, m: Model, depth: int = 0, unknown: bool = True) -> dict[str, Any]:
        rng = self.rng
        out: dict[str, Any] = {}
        for f in m.fields:
            if not f.required and rng.random() < 0.25:
                continue
            out[f.wire_key] = self.value(f.type, depth)
        if unknown and rng.random() < 0.3:
            out["zz-unlisted"] = rng.choice([1, "x", None, {"a": [1, None]}])
        return out

    def value(self, t: TypeRef, depth: int, nullable: bool = True) -> Any:
        rng = self.rng
        if nullable and rng.random() < 0.08:
            return None
        d = self.defs.get(t.target or "") if isinstance(t, Ref) else None
        if isinstance(t, Primitive):
            return {
                "str": lambda: rng.choice(
                    ["alpha", "beta gamma", "2024-05-01T09:30:00Z"]
                ),
                "bytes": lambda: "aGVsbG8=",
                "int": lambda: rng.randint(-5, 100_000),
                "float": lambda: rng.choice([0.5, 12.25, 3]),
                "bool": lambda: rng.random() < 0.5,
            }[t.name]()
        if isinstance(t, ListOf):
            n = rng.randint(0, 3) if depth < 4 else 0
            return [self.value(t.item, depth + 1) for _ in range(n)]
        if isinstance(t, MapOf):
            n = rng.randint(0, 2) if depth < 4 else 0
            return {f"key{i}": self.value(t.value, depth + 1) for i in range(n)}
        if isinstance(d, Model):
            return self.model(d, depth + 1, unknown=False) if depth < 4 else None
        if isinstance(d, Enum):
            values = [member.value for member in d.members]
            if rng.random() < 0.1:  # a value the docs do not list
                return 987654 if d.value_type == "int" else "zz-unlisted-value"
            return rng.choice(values) if values else None
        if isinstance(t, UnionOf) or (isinstance(d, Union) and d.variants):
            return self.union(t, depth)
        if isinstance(t, AnyType) or isinstance(d, Union):
            return rng.choice([1, "text", [1, "a"], {"k": None}])
        return None

    def union(self, t: TypeRef, depth: int) -> Any:
        """Each union's variants in turn (enums with listed values only)."""
        variants = self.flatten((t,))
        key = repr(t)
        turn = self.turn[key] = self.turn.get(key, -1) + 1
        chosen = variants[turn % len(variants)]
        d = self.defs.get(chosen.target or "") if isinstance(chosen, Ref) else None
        if isinstance(d, Enum) and d.members:
            return self.rng.choice([m.value for m in d.members])
        if isinstance(d, Model):
            return self.model(d, depth + 1, unknown=False)
        return self.value(chosen, depth + 1, nullable=False)

    def flatten(self, ts: tuple[TypeRef, ...]) -> list[TypeRef]:
        out: list[TypeRef] = []
        for t in ts:
            d = self.defs.get(t.target or "") if isinstance(t, Ref) else None
            if isinstance(t, UnionOf):
                out += self.flatten(t.variants)
            elif isinstance(d, Union) and d.variants:
                out += self.flatten(d.variants)
            else:
                out.append(t)
        return out


# --- implementations ------------------------------------------------------------------


@dataclass
class Impl:
    name: str
    decode: Callable[[Any], Any]
    encode: Callable[[Any], Any]
    exact: bool = True
    """Must give docs2py's JSON back (the rivals need not)."""


def _load_module(path: Path, source: str) -> Any:
    path.write_text(source, "utf-8")
    importlib.invalidate_caches()
    return importlib.import_module(path.stem)


def flavours(work: Path) -> list[str]:
    """The built-in templates, the attrs example, and the ``--before`` code."""
    return ["builtin", "attrs"] + (["before"] if (work / "before-src").is_dir() else [])


def implementations(work: Path, shape: Shape, api: Api) -> list[Impl]:
    out = []
    for flavour in flavours(work):
        package = f"{shape.docs}_{flavour}"
        models = importlib.import_module(package + ".models")
        cls = getattr(models, shape.model)
        source = emit(api, [shape.model], package, attrs=flavour == "attrs")
        hand = _load_module(work / "hand" / f"hand_{shape.label}_{flavour}.py", source)
        hcls = getattr(hand, shape.model)
        suffix = "" if flavour == "builtin" else f" ({flavour})"
        out.append(Impl("docs2py" + suffix, cls.from_dict, cls.to_dict))
        out.append(Impl("hand-written" + suffix, hcls.from_dict, hcls.to_dict))
    try:
        import pydantic  # noqa: F401

        mod = _load_module(
            work / "hand" / f"pyd_{shape.label}.py", pydantic_source(api, [shape.model])
        )
        pcls = getattr(mod, "P_" + shape.model)
        out.append(
            Impl(
                "pydantic",
                pcls.model_validate,
                lambda o: o.model_dump(by_alias=True, exclude_unset=True),
                exact=False,
            )
        )
    except ImportError:
        pass
    try:
        import msgspec

        mod = _load_module(
            work / "hand" / f"msg_{shape.label}.py", msgspec_source(api, [shape.model])
        )
        scls = getattr(mod, "S_" + shape.model)
        out.append(
            Impl(
                "msgspec",
                lambda d: msgspec.convert(d, scls),
                msgspec.to_builtins,
                exact=False,
            )
        )
    except ImportError:
        pass
    return out


def check(impls: list[Impl], payloads: list[dict[str, Any]]) -> dict[str, bool]:
    """Correctness first: exact implementations round-trip every payload."""
    faithful = {}
    for impl in impls:
        try:
            same = all(impl.encode(impl.decode(p)) == p for p in payloads)
        except Exception as exc:  # a rival that cannot take this shape
            if impl.exact:
                raise
            print(f"  {impl.name}: {type(exc).__name__}: {exc}"[:300], file=sys.stderr)
            same = False
        if impl.exact and not same:
            bad = next(p for p in payloads if impl.encode(impl.decode(p)) != p)
            raise SystemExit(
                f"{impl.name} does not round-trip: {json.dumps(bad)[:2000]}"
            )
        faithful[impl.name] = same
    return faithful


def rate(fn: Callable[[], Any], items: int, seconds: float) -> float:
    """Items per second, running ``fn`` (which handles ``items``) for ``seconds``."""
    runs, start = 0, time.perf_counter()
    while True:
        fn()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return runs * items / elapsed


def measure(
    impls: list[Impl], payloads: list[Any], rounds: int, seconds: float
) -> dict[str, dict[str, list[float]]]:
    out: dict[str, dict[str, list[float]]] = {
        i.name: {"decode": [], "encode": []} for i in impls
    }
    objects = {i.name: [i.decode(p) for p in payloads] for i in impls}
    for r in range(rounds):
        order = impls[r % len(impls) :] + impls[: r % len(impls)]
        for impl in order:
            dec, enc, objs = impl.decode, impl.encode, objects[impl.name]
            out[impl.name]["decode"].append(
                rate(lambda: [dec(p) for p in payloads], len(payloads), seconds)
            )
            out[impl.name]["encode"].append(
                rate(lambda: [enc(o) for o in objs], len(objs), seconds)
            )
    return out


def ratio(
    runs: dict[str, dict[str, list[float]]], a: str, b: str, what: str
) -> float | None:
    if a not in runs or b not in runs:
        return None
    return statistics.median(
        x / y for x, y in zip(runs[a][what], runs[b][what], strict=True)
    )


# --- the 10,000-item list -----------------------------------------------------------


def big_list(
    shape: Shape, payloads: list[dict[str, Any]], rounds: int, work: Path
) -> dict[str, float]:
    items = [payloads[i % len(payloads)] for i in range(10_000)]
    impls: dict[str, Callable[[Any], Any]] = {}
    for flavour in flavours(work):
        if flavour == "attrs":
            continue
        package = f"{shape.docs}_{flavour}"
        rt = importlib.import_module(package + "._runtime")
        models = importlib.import_module(package + ".models")
        ns = {"__name__": package + ".services.bench", "_m": models, "_rt": rt}
        label = "docs2py" if flavour == "builtin" else f"docs2py ({flavour})"
        impls[label] = rt.decoder(f"list[_m.{shape.model}]", ns, "bench")
    hand = getattr(importlib.import_module(f"hand_{shape.label}_builtin"), shape.model)
    impls["hand-written"] = lambda xs: [hand.from_dict(x) for x in xs]
    try:
        import pydantic

        pcls = getattr(
            importlib.import_module(f"pyd_{shape.label}"), "P_" + shape.model
        )
        impls["pydantic"] = pydantic.TypeAdapter(list[pcls]).validate_python  # type: ignore[valid-type]
    except ImportError:
        pass
    times: dict[str, list[float]] = {k: [] for k in impls}
    for _ in range(rounds):
        for name, fn in impls.items():
            start = time.perf_counter()
            fn(items)
            times[name].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


# --- imports -------------------------------------------------------------------------

_IMPORT = """
import os, sys, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
before, mods, cpu = rss(), len(sys.modules), time.process_time()
{statement}
cpu = time.process_time() - cpu
print(cpu, len(sys.modules) - mods, (rss() - before) / 2**20)
"""


def import_cost(folder: Path, statement: str, rounds: int) -> tuple[float, int, float]:
    results = []
    for _ in range(rounds):
        code = _IMPORT.format(statement=statement)
        env = {**os.environ, "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": ""}
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        cpu, mods, mem = done.stdout.split()
        results.append((float(cpu), int(mods), float(mem)))
    return (
        statistics.median(r[0] for r in results),
        int(statistics.median(r[1] for r in results)),
        statistics.median(r[2] for r in results),
    )


def imports(work: Path, rounds: int) -> list[tuple[str, str, float, int, float]]:
    rows = []
    for (label, docs), flavour in itertools.product(IMPORTS.items(), flavours(work)):
        if flavour == "attrs":
            continue
        folder = generate(work, docs, flavour, full=True)
        name = folder.name
        api = load([CORPUS / SETS[docs]], Settings(), Diagnostics())
        biggest = max(api.models, key=lambda m: len(m.fields)).class_name
        # compile every module once, so each round measures imports, not compiling
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(folder)], check=True
        )
        statements = {
            f"first model (`from {label} import {biggest}`)": f"from {name} import {biggest}",
            "`Client`": f"from {name} import Client",
            "every model": f"import {name}.models as m\nfor n in m.__all__: getattr(m, n)",
        }
        for what, statement in statements.items():
            cpu, mods, mem = import_cost(folder.parent, statement, rounds)
            shown = label if flavour == "builtin" else f"{label} ({flavour})"
            rows.append((shown, what, cpu, mods, mem))
    return rows


# --- the client --------------------------------------------------------------------


def client_overhead(
    work: Path, shape: Shape, payload: dict[str, Any], rounds: int
) -> dict[str, tuple[float, float]]:
    """The generated client's extra time per request over httpx alone, in µs,
    on one in-process transport answering ``payload``: (with both decoding
    it with the model, without decoding).  Medians of per-round differences."""
    import httpx

    body = json.dumps(payload).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=body, headers={"content-type": "application/json"}
        )

    def micros(call: Callable[[], Any], n: int = 200) -> float:
        start = time.perf_counter()
        for _ in range(n):
            call()
        return (time.perf_counter() - start) / n * 1e6

    out: dict[str, tuple[float, float]] = {}
    pairs: dict[str, list[tuple[Callable[[], Any], Callable[[], Any]]]] = {}
    for flavour in flavours(work):
        if flavour == "attrs":
            continue
        package = importlib.import_module(
            generate(work, shape.docs, flavour, True).name
        )
        decode = getattr(package, shape.model).from_dict
        transport = httpx.MockTransport(answer)
        client = package.Client("http://api.test", transport=transport)
        raw = httpx.Client(base_url="http://api.test", transport=transport)
        pairs[flavour] = [
            (
                lambda c=client, d=decode: c.request("GET", "/x", decode=d),
                lambda r=raw, d=decode: d(r.get("/x").json()),
            ),
            (
                lambda c=client: c.request("GET", "/x", decode=lambda v: v),
                lambda r=raw: r.get("/x").json(),
            ),
        ]
    extra: dict[str, list[list[float]]] = {f: [[], []] for f in pairs}
    for _ in range(rounds):  # every code once per round, in turn
        for flavour, calls in pairs.items():
            for i, (ours, theirs) in enumerate(calls):
                extra[flavour][i].append(micros(ours) - micros(theirs))
    for flavour, (decoded, plain) in extra.items():
        out[flavour] = (statistics.median(decoded), statistics.median(plain))
    return out


# --- report ------------------------------------------------------------------------


def report(
    shapes: list[tuple[Shape, dict[str, Any], dict[str, bool]]],
    lists: dict[str, float],
    rows: list[tuple[str, str, float, int, float]],
    rounds: int,
    load_before: str,
) -> str:
    out = [
        "## Run time (issue 16)",
        "",
        "Regenerate with `python bench/runtime.py --before REV` (see its docstring);"
        " `before` is docs2py at REV, measured in the same run.",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} cores, {platform.platform()}",
        f"- load average before the run: {load_before}",
        f"- Python {platform.python_version()}; {rounds} rounds, every implementation once per round, in turn;"
        " ratios are medians of the per-round ratios (higher is better for docs2py)",
        "",
        "### Decode and encode: docs2py ÷ the others (ops/s ratio)",
        "",
        "| model | shape | decode ÷ hand-written | ÷ pydantic | ÷ msgspec | encode ÷ hand-written | ÷ pydantic | ÷ msgspec | attrs: decode ÷ hand | attrs: encode ÷ hand | before: decode ÷ hand | before: encode ÷ hand |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def f(x: float | None) -> str:
        return "–" if x is None else f"{x:.2f}"

    for shape, runs, faithful in shapes:
        cells = [
            ratio(runs, "docs2py", "hand-written", "decode"),
            ratio(runs, "docs2py", "pydantic", "decode"),
            ratio(runs, "docs2py", "msgspec", "decode"),
            ratio(runs, "docs2py", "hand-written", "encode"),
            ratio(runs, "docs2py", "pydantic", "encode"),
            ratio(runs, "docs2py", "msgspec", "encode"),
            ratio(runs, "docs2py (attrs)", "hand-written (attrs)", "decode"),
            ratio(runs, "docs2py (attrs)", "hand-written (attrs)", "encode"),
            ratio(runs, "docs2py (before)", "hand-written (before)", "decode"),
            ratio(runs, "docs2py (before)", "hand-written (before)", "encode"),
        ]
        out.append(
            f"| {shape.label} (`{shape.model}`) | {shape.what} | "
            + " | ".join(f(c) for c in cells)
            + " |"
        )
    out += [
        "",
        "Notes: above 1 means docs2py is faster. The hand-written code uses the"
        " package's own enum classes, so `hand-written (before)` pays the old enum"
        " lookup where enums are decoded. pydantic and msgspec get enums as plain"
        " values, and msgspec unions of several objects as `dict`; msgspec drops"
        " unknown keys, so it does not give the same JSON back.",
        "",
        "### ops/s (medians)",
        "",
        "| model | implementation | decode | encode | same JSON back |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for shape, runs, faithful in shapes:
        for name, r in runs.items():
            out.append(
                f"| {shape.label} | {name} | {statistics.median(r['decode']):,.0f} | {statistics.median(r['encode']):,.0f} | {'yes' if faithful[name] else 'no'} |"
            )
    out += [
        "",
        "### A 10,000-item list (`list[Match]`, the decoder a service uses), seconds",
        "",
        "| implementation | seconds | ÷ docs2py |",
        "| --- | ---: | ---: |",
    ]
    for name, seconds in lists.items():  # empty without the large shape
        out.append(f"| {name} | {seconds:.3f} | {seconds / lists['docs2py']:.2f} |")
    out += [
        "",
        "### Imports (fresh interpreter, bytecode compiled; medians)",
        "",
        "| package | import | CPU s | modules loaded | RSS MiB added |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for label, what, cpu, mods, mem in rows:
        out.append(f"| {label} | {what} | {cpu:.3f} | {mods} | {mem:.1f} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=0.15, help="per measurement")
    parser.add_argument("--work", type=Path, default=Path("/tmp/docs2py-bench-runtime"))
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument(
        "--quick", action="store_true", help="3 rounds, no imports, no file"
    )
    parser.add_argument("--shapes", default="", help="only these (comma-separated)")
    parser.add_argument("--before", help="also measure docs2py at this git revision")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        raise SystemExit(f"needs the corpus at {CORPUS}")
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    rounds = 3 if args.quick else args.rounds
    (args.work / "hand").mkdir(parents=True, exist_ok=True)
    shutil.rmtree(args.work / "before-src", ignore_errors=True)
    if args.before:
        extract(args.before, args.work / "before-src")
    sys.path[:0] = [str(args.work / "pkgs"), str(args.work / "hand")]
    apis: dict[str, Api] = {}
    results = []
    lists: dict[str, float] = {}
    client: dict[str, tuple[float, float]] = {}
    for shape in SHAPES:
        if args.shapes and shape.label not in args.shapes.split(","):
            continue
        if shape.docs not in apis:
            for flavour in flavours(args.work):
                generate(args.work, shape.docs, flavour, full=False)
            models = CORPUS / SETS[shape.docs] / "documentation" / "models"
            apis[shape.docs] = load([models], Settings(), Diagnostics())
        api = apis[shape.docs]
        model = next(m for m in api.models if m.class_name == shape.model)
        maker = Payloads(api)
        payloads = [maker.model(model) for _ in range(60)]
        impls = implementations(args.work, shape, api)
        faithful = check(impls, payloads)
        reached = len(closure(api, [shape.model]))
        print(f"{shape.label}: {reached} definitions reached", file=sys.stderr)
        runs = measure(impls, payloads, rounds, args.seconds)
        results.append((shape, runs, faithful))
        if shape.label == "large":
            lists = big_list(shape, payloads, rounds, args.work)
            client = client_overhead(args.work, shape, payloads[0], rounds)
    rows = [] if args.quick else imports(args.work, 5)
    text = report(results, lists, rows, rounds, load_before) + client_report(client)
    print(text)
    if not args.quick:
        write_section(args.results, text)
    return 0


def client_report(client: dict[str, tuple[float, float]]) -> str:
    if not client:
        return ""
    out = [
        "",
        "### The client's extra time per request over httpx alone (`Match`,"
        " in-process transport), µs",
        "",
        "| code | both decode with the model | without decoding |",
        "| --- | ---: | ---: |",
    ]
    for flavour, (decoded, plain) in client.items():
        out.append(f"| {flavour} | {decoded:.0f} | {plain:.0f} |")
    return "\n".join(out) + "\n"


def extract(revision: str, folder: Path) -> None:
    """docs2py's source at ``revision`` (git archive), to generate with."""
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section of RESULTS.md (or add it at the end)."""
    text = path.read_text("utf-8") if path.exists() else ""
    head = "## Run time (issue 16)"
    if head in text:
        start = text.index(head)
        rest = text[start + len(head) :]
        end = rest.find("\n## ")
        text = text[:start] + section + ("" if end < 0 else rest[end + 1 :])
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, "utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
