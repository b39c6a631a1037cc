"""Generated models at run time: decoding and encoding, side by side, and imports.

    python bench/runtime.py [--rounds N] [--pythons 3.10,3.13] [--before REV]
    python bench/runtime.py --quick            # 3 rounds, codec only, no file

Four models from the corpus (``SHAPES``) against a fair floor (bench/floor.py:
straight-line functions on docs2py's own classes and enums, with every rule
docs2py follows), pydantic v2, msgspec and cattrs (bench/rivals.py; each
skipped when not installed), and with ``--before REV`` docs2py at that git
revision.  Two payload kinds, made from the IR with a fixed seed:

* varied: nested objects, lists, every union variant in turn, enum values (a
  few unlisted), nulls, absent optional keys and unknown keys;
* full: every property present and valid (listed enum values, no nulls, no
  unknown keys), every union variant in turn.

Before anything is timed, docs2py and the floor decode every payload to equal
objects (classes, values, enum members and whether they are listed,
``_extra``, ``_aliases``) and encode them back to the payload, or the run
stops.  Methods are looked up after their first use, for every contender.
Each round times every implementation once, in turn, so a busy machine slows
them alike; the reported ratio is the median of the per-round ratios.  Also a
10,000-item list (the decoder a service uses for ``list[Match]``), the client's
overhead per request and, in fresh interpreters, the CPU time, module count
and memory of importing one model, the client and every model.

``--pythons`` runs the codec comparison again under each of these Pythons (a
venv per version, ``bench/.venv-pyX.Y``, made on first use from ``pythonX.Y``
on PATH or pyenv's) and adds a table of docs2py ÷ floor per version.

Writes bench/RESULTS.md's "Run time" section unless ``--quick``.
"""

from __future__ import annotations

import argparse
import datetime
import glob
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

from bench.floor import emit, structure  # noqa: E402
from bench.rivals import (  # noqa: E402
    cattrs_source,
    closure,
    msgspec_source,
    pydantic_source,
)
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
KINDS = ("varied", "full")


@dataclass(frozen=True)
class Shape:
    label: str
    docs: str
    model: str
    what: str


SHAPES = [
    Shape("flat", "ps_py", "BasePlayer", "12 scalar fields"),
    Shape("nested", "pm_ts", "GetWorkspaceWorkspace", "15 nested models, 2 enums"),
    Shape("large", "ps_py", "Match", "34 fields, 25 objects, 21 enum values"),
    Shape("unions", "ps_ts", "LoLGameEvent", "unions of 9 and 8 variants"),
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
    if (out / ".docs2py-manifest.json").is_file() and flavour != "builtin":
        return out  # another revision's code: generated once per work folder
    command = [sys.executable, "-m", "generator", "generate", str(specs)]
    command += ["--out", str(out), "--force"]
    env = {**os.environ, "DOCS2PY_CACHE_DIR": str(work / "cache" / flavour)}
    where = work / "before-src" if flavour == "before" else ROOT
    subprocess.run(command, cwd=where, env=env, check=True, capture_output=True)
    return out


# --- payloads -------------------------------------------------------------------------


class Payloads:
    """Valid JSON for models of ``api``, varied (or ``full``) with a fixed seed."""

    def __init__(self, api: Api, full: bool = False, seed: int = 16) -> None:
        self.defs = {d.class_name: d for d in api.definitions}
        self.rng = random.Random(seed)
        self.turn: dict[str, int] = {}
        self.full = full

    def chance(self, p: float) -> bool:
        return not self.full and self.rng.random() < p

    def model(self, m: Model, depth: int = 0, unknown: bool = True) -> dict[str, Any]:
        rng = self.rng
        out: dict[str, Any] = {}
        for f in m.fields:
            if not f.required and self.chance(0.25):
                continue
            out[f.wire_key] = self.value(f.type, depth)
        if unknown and self.chance(0.3):
            out["zz-unlisted"] = rng.choice([1, "x", None, {"a": [1, None]}])
        return out

    def value(self, t: TypeRef, depth: int, nullable: bool = True) -> Any:
        rng = self.rng
        if nullable and self.chance(0.08):
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
            n = (2 if self.full else rng.randint(0, 3)) if depth < 4 else 0
            return [self.value(t.item, depth + 1) for _ in range(n)]
        if isinstance(t, MapOf):
            n = (2 if self.full else rng.randint(0, 2)) if depth < 4 else 0
            return {f"key{i}": self.value(t.value, depth + 1) for i in range(n)}
        if isinstance(d, Model):
            return self.model(d, depth + 1, unknown=False) if depth < 4 else None
        if isinstance(d, Enum):
            values = [member.value for member in d.members]
            if self.chance(0.1):  # a value the docs do not list
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
    """This tree's docs2py, and the ``--before`` code."""
    return ["builtin"] + (["before"] if (work / "before-src").is_dir() else [])


def _warm(decode: Callable[[Any], Any], payloads: list[Any]) -> None:
    for payload in payloads:
        decode(payload)


def implementations(
    work: Path, shape: Shape, api: Api, payloads: list[Any]
) -> list[Impl]:
    """Every contender, its methods looked up after their first use."""
    out = []
    roots = [shape.model]
    for flavour in flavours(work):
        package = f"{shape.docs}_{flavour}"
        models = importlib.import_module(package + ".models")
        cls = getattr(models, shape.model)
        _warm(cls.from_dict, payloads)
        for obj in [cls.from_dict(p) for p in payloads]:
            obj.to_dict()
        suffix = "" if flavour == "builtin" else f" ({flavour})"
        out.append(
            Impl("docs2py" + suffix, cls.from_dict, cls.to_dict, flavour == "builtin")
        )
    floor = _load_module(
        work / "hand" / f"floor_{shape.label}.py", emit(f"{shape.docs}_builtin", roots)
    )
    out.insert(
        1,
        Impl(
            "floor",
            getattr(floor, f"dec_{shape.model}"),
            getattr(floor, f"enc_{shape.model}"),
        ),
    )
    rivals: dict[str, Callable[[], Impl]] = {
        "pydantic": lambda: _pydantic(work, shape, api),
        "msgspec": lambda: _msgspec(work, shape, api),
        "cattrs": lambda: _cattrs(work, shape, api),
    }
    for name, make in rivals.items():
        try:
            out.append(make())
        except ImportError:
            print(f"  {name} is not installed: skipped", file=sys.stderr)
    return out


def _pydantic(work: Path, shape: Shape, api: Api) -> Impl:
    import pydantic  # noqa: F401

    source = pydantic_source(api, [shape.model])
    cls = getattr(
        _load_module(work / "hand" / f"pyd_{shape.label}.py", source),
        "P_" + shape.model,
    )
    return Impl(
        "pydantic",
        cls.model_validate,
        lambda o: o.model_dump(by_alias=True, exclude_unset=True),
        exact=False,
    )


def _msgspec(work: Path, shape: Shape, api: Api) -> Impl:
    import msgspec

    source = msgspec_source(api, [shape.model])
    cls = getattr(
        _load_module(work / "hand" / f"msg_{shape.label}.py", source),
        "S_" + shape.model,
    )
    convert = msgspec.convert
    return Impl("msgspec", lambda d: convert(d, cls), msgspec.to_builtins, exact=False)


def _cattrs(work: Path, shape: Shape, api: Api) -> Impl:
    import cattrs  # noqa: F401

    module = _load_module(
        work / "hand" / f"cat_{shape.label}.py", cattrs_source(api, [shape.model])
    )
    cls = getattr(module, "C_" + shape.model)
    converter = module.CONVERTER
    structure_, unstructure = converter.structure, converter.unstructure
    return Impl("cattrs", lambda d: structure_(d, cls), unstructure, exact=False)


def check(impls: list[Impl], payloads: list[dict[str, Any]]) -> dict[str, bool]:
    """Correctness first: docs2py and the floor decode every payload to equal
    objects and give it back; the others, whether they give the same JSON."""
    faithful = {}
    reference = {impl.name: impl for impl in impls}["docs2py"]
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
        if impl.exact and impl is not reference:
            for p in payloads:
                if structure(impl.decode(p)) != structure(reference.decode(p)):
                    raise SystemExit(
                        f"{impl.name} decodes differently: {json.dumps(p)[:2000]}"
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


Runs = dict[str, dict[str, list[float]]]


def measure(
    impls: list[Impl], payloads: list[Any], rounds: int, seconds: float
) -> Runs:
    out: Runs = {i.name: {"decode": [], "encode": []} for i in impls}
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


def ratio(runs: Runs, a: str, b: str, what: str) -> float | None:
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
        package = f"{shape.docs}_{flavour}"
        rt = importlib.import_module(package + "._runtime")
        models = importlib.import_module(package + ".models")
        ns = {"__name__": package + ".services.bench", "_m": models, "_rt": rt}
        label = "docs2py" if flavour == "builtin" else f"docs2py ({flavour})"
        impls[label] = rt.decoder(f"list[_m.{shape.model}]", ns, "bench")
    floor = getattr(
        importlib.import_module(f"floor_{shape.label}"), f"dec_{shape.model}"
    )
    impls["floor"] = lambda xs: [floor(x) for x in xs]
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


# --- the codec, per model and payload kind -----------------------------------------

Results = dict[str, tuple[Runs, dict[str, bool]]]
"""``label/kind`` → (runs, faithful)."""


def codec(
    work: Path, rounds: int, seconds: float, only: str
) -> tuple[Results, dict[str, float]]:
    apis: dict[str, Api] = {}
    results: Results = {}
    lists: dict[str, float] = {}
    for shape in SHAPES:
        if only and shape.label not in only.split(","):
            continue
        if shape.docs not in apis:
            for flavour in flavours(work):
                generate(work, shape.docs, flavour, full=False)
            models = CORPUS / SETS[shape.docs] / "documentation" / "models"
            apis[shape.docs] = load([models], Settings(), Diagnostics())
        api = apis[shape.docs]
        model = next(m for m in api.models if m.class_name == shape.model)
        reached = len(closure(api, [shape.model]))
        print(f"{shape.label}: {reached} definitions reached", file=sys.stderr)
        for kind in KINDS:
            maker = Payloads(api, full=kind == "full")
            payloads = [maker.model(model) for _ in range(60)]
            impls = implementations(work, shape, api, payloads)
            faithful = check(impls, payloads)
            results[f"{shape.label}/{kind}"] = (
                measure(impls, payloads, rounds, seconds),
                faithful,
            )
            if shape.label == "large" and kind == "varied":
                lists = big_list(shape, payloads, rounds, work)
    return results, lists


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


RIVALS = ("pydantic", "msgspec", "cattrs")


def codec_report(results: Results) -> list[str]:
    head = ["decode ÷ floor", *(f"÷ {r}" for r in RIVALS), "encode ÷ floor"]
    head += [f"÷ {r}" for r in RIVALS] + [
        "before: decode ÷ floor",
        "before: encode ÷ floor",
    ]
    out = [
        "| model | payloads | " + " | ".join(head) + " |",
        "| --- | --- |" + " ---: |" * len(head),
    ]
    for shape in SHAPES:
        for kind in KINDS:
            found = results.get(f"{shape.label}/{kind}")
            if found is None:
                continue
            runs = found[0]
            cells = [
                ratio(runs, "docs2py", other, what)
                for what in ("decode", "encode")
                for other in ("floor", *RIVALS)
            ]
            cells += [
                ratio(runs, "docs2py (before)", "floor", w)
                for w in ("decode", "encode")
            ]
            out.append(
                f"| {shape.label} (`{shape.model}`: {shape.what}) | {kind} | "
                + " | ".join(_f(c) for c in cells)
                + " |"
            )
    out += [
        "",
        "### ops/s (medians)",
        "",
        "| model | payloads | implementation | decode | encode | same JSON back |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for key, (runs, faithful) in results.items():
        label, kind = key.split("/")
        for name, r in runs.items():
            dec, enc = statistics.median(r["decode"]), statistics.median(r["encode"])
            same = "yes" if faithful[name] else "no"
            out.append(
                f"| {label} | {kind} | {name} | {dec:,.0f} | {enc:,.0f} | {same} |"
            )
    return out


def versions_report(by_version: dict[str, Results]) -> list[str]:
    versions = list(by_version)
    slash = " / ".join(versions)
    out = [
        f"| model | payloads | decode ÷ floor ({slash}) | encode ÷ floor ({slash})"
        f" | decode ÷ pydantic ({slash}) | encode ÷ pydantic ({slash}) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for shape in SHAPES:
        for kind in KINDS:
            key = f"{shape.label}/{kind}"
            cells = []
            for other, what in (("floor", "decode"), ("floor", "encode"),
                                ("pydantic", "decode"), ("pydantic", "encode")):  # fmt: skip
                values = [
                    _f(ratio(r[key][0], "docs2py", other, what) if key in r else None)
                    for r in by_version.values()
                ]
                cells.append(" / ".join(values))
            out.append(
                f"| {shape.label} (`{shape.model}`) | {kind} | "
                + " | ".join(cells)
                + " |"
            )
    return out


# --- other Pythons ---------------------------------------------------------------


def interpreter(version: str) -> str:
    """A Python of this version: pyenv's, or on PATH (one that runs)."""
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    pattern = f"{pyenv}/versions/{version}.*/bin/python{version}"
    found = sorted(glob.glob(pattern), reverse=True)  # the newest first
    found += [p for p in [shutil.which(f"python{version}")] if p]
    for candidate in found:
        done = subprocess.run([candidate, "--version"], capture_output=True)
        if done.returncode == 0:
            return candidate
    raise SystemExit(f"no Python {version} found (in {pyenv} or on PATH)")


def venv_for(version: str) -> Path:
    """bench/.venv-pyX.Y with docs2py (editable) and the rivals, made once."""
    venv = BENCH / f".venv-py{version}"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} ...", file=sys.stderr, flush=True)
        subprocess.run([interpreter(version), "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-e", f"{ROOT}[test]", "msgspec", "cattrs"], check=True)
    return python


def elsewhere(version: str, args: argparse.Namespace) -> Results:
    python = venv_for(version)
    out = args.work / f"py{version}" / "codec.json"
    command = [str(python), str(Path(__file__)), "--codec-only", "--json", str(out)]
    command += ["--rounds", str(args.rounds), "--seconds", str(args.seconds)]
    command += ["--work", str(args.work / f"py{version}"), "--shapes", args.shapes]
    if args.before:
        command += ["--before", args.before]
    subprocess.run(command, check=True)
    saved = json.loads(out.read_text("utf-8"))
    return {k: (v[0], v[1]) for k, v in saved.items()}


# --- report ------------------------------------------------------------------------


def report(
    results: Results,
    by_version: dict[str, Results],
    lists: dict[str, float],
    rows: list[tuple[str, str, float, int, float]],
    args: argparse.Namespace,
    rounds: int,
    load_before: str,
) -> str:
    command = (
        "python bench/runtime.py"
        + (f" --pythons {args.pythons}" if args.pythons else "")
        + (f" --before {args.before}" if args.before else "")
    )
    out = [
        "## Run time (issues 16 and 25)",
        "",
        f"Regenerate with `{command}` (see its docstring); `before` is docs2py at"
        " REV, measured in the same run.",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} cores, {platform.platform()}",
        f"- load average before the run: {load_before}; after: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"- Python {platform.python_version()}; {rounds} rounds, every implementation"
        " once per round, in turn; ratios are medians of the per-round ratios"
        " (above 1: docs2py is faster)",
        "",
        f"### Decode and encode: docs2py ÷ the others (ops/s ratio), Python {platform.python_version()}",
        "",
        *codec_report(results),
        "",
        "Notes: the floor is bench/floor.py (straight-line functions on docs2py's own"
        " classes, checked equal to docs2py on every payload before timing; it makes"
        " objects through the class's constructor, as hand-written code does, where"
        " docs2py fills the slots of a class `model` made). pydantic, msgspec and"
        " cattrs get enums as plain values; msgspec and cattrs unions of several"
        " objects as `dict`; msgspec and cattrs drop unknown keys, so they do not"
        " give the same JSON back.",
    ]
    if by_version:
        out += [
            "",
            "### docs2py ÷ the floor and ÷ pydantic, per Python version",
            "",
            *versions_report(by_version),
        ]
    if lists:
        out += [
            "",
            "### A 10,000-item list (`list[Match]`, the decoder a service uses), seconds",
            "",
            "| implementation | seconds | ÷ docs2py |",
            "| --- | ---: | ---: |",
        ]
        for name, seconds in lists.items():
            out.append(f"| {name} | {seconds:.3f} | {seconds / lists['docs2py']:.2f} |")
    if rows:
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
        "--quick", action="store_true", help="3 rounds, codec only, no file"
    )
    parser.add_argument("--shapes", default="", help="only these (comma-separated)")
    parser.add_argument("--before", help="also measure docs2py at this git revision")
    parser.add_argument(
        "--pythons", default="", help="also under these, e.g. 3.10,3.13"
    )
    parser.add_argument("--codec-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        raise SystemExit(f"needs the corpus at {CORPUS}")
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    rounds = 3 if args.quick else args.rounds
    (args.work / "hand").mkdir(parents=True, exist_ok=True)
    if args.before and not (args.work / "before-src").is_dir():
        extract(args.before, args.work / "before-src")
    sys.path[:0] = [str(args.work / "pkgs"), str(args.work / "hand")]
    results, lists = codec(args.work, rounds, args.seconds, args.shapes)
    if args.json:
        args.json.write_text(json.dumps(results), "utf-8")
        return 0
    by_version: dict[str, Results] = {}
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    for version in sorted(
        {*args.pythons.split(","), here} - {""},
        key=lambda v: tuple(map(int, v.split("."))),
    ):
        by_version[version] = results if version == here else elsewhere(version, args)
    client: dict[str, tuple[float, float]] = {}
    rows: list[tuple[str, str, float, int, float]] = []
    if not args.quick and not args.codec_only:
        large = next(s for s in SHAPES if s.label == "large")
        api = load([CORPUS / SETS[large.docs]], Settings(), Diagnostics())
        model = next(m for m in api.models if m.class_name == large.model)
        client = client_overhead(args.work, large, Payloads(api).model(model), rounds)
        rows = imports(args.work, 5)
    if len(by_version) < 2:
        by_version = {}
    text = report(results, by_version, lists, rows, args, rounds, load_before)
    text += client_report(client)
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
    for head in ("## Run time (issues 16 and 25)", "## Run time (issue 16)"):
        if head in text:
            start = text.index(head)
            rest = text[start + len(head) :]
            end = rest.find("\n## ")
            text = text[:start] + section + ("" if end < 0 else rest[end + 1 :])
            break
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, "utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
