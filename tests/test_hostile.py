"""Hostile specs: every class of RELIABILITY.md §1–2 against the whole pipeline.

Each spec is written inline.  For every one, ``generate`` either

* succeeds, and then (a) every generated file compiles from the bytes written
  to disk (``ast.parse(bytes)`` and ``ast.parse(str)`` agree, so a PEP 263
  cookie cannot change the meaning), (b) importing every module of the package
  in a subprocess whose cwd is the test's folder runs nothing but definitions
  (hostile payloads try to create ``CANARY`` there; it must not exist
  afterwards), and (c) the hostile text arrives intact: enum values via
  ``.value``, wire keys via a ``from_dict``/``to_dict`` round trip, descriptions
  via ``inspect.getdoc`` (or the docstring in the AST), paths and parameter
  names via the generated service call (captured with ``httpx.MockTransport``);
* or fails with error diagnostics (never an uncaught exception, never an
  ``internal`` error, never a traceback from the CLI).

Nothing may be written outside the output folder.

The matrix test puts one payload into every place a spec has text (names,
headings, descriptions, enum values and labels, parameter names, endpoints,
path placeholders, type cells, spec file names); the dedicated tests cover
``\\r``/``<br/>`` line breaks, NUL, bad UTF-8, UTF-7 smuggling, collisions,
confusables, long names, huge numbers, Jinja syntax and path traversal.

black is memoised for this module (``black.format_str`` is a pure function):
every distinct generated file is still formatted, but the two large runtime
files only once.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import os
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import black
import httpx
import pytest

from generator.core import Result, generate
from generator.diagnostics import Level
from generator.ir import Api, Model, Parameter, Service
from generator.read.parse_service import endpoint_problem
from generator.render.renderer import RUNTIME_MODULES
from generator.settings import Settings
from generator.write.package import write_files

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "client_api"
CANARY = "CANARY"
BASE_URL = "https://api.hostile.test/v1"
HEADER = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"
# A generated file path: package files, models/x.py, services/x.py, py.typed.
SAFE_PATH = re.compile(
    r"((models|services)/)?[A-Za-z_][A-Za-z0-9_]*\.py|py\.typed|README\.md"
)
CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
RUNTIME = frozenset(RUNTIME_MODULES)
ENUM_E = {"op": "enum", "cls": "E"}


# --- speed: black is a pure function, so memoise it for this module ---------------


@pytest.fixture(autouse=True, scope="module")
def _memoised_black() -> Iterator[None]:
    original = black.format_str
    cache: dict[tuple[str, str], str] = {}

    def format_str(src_contents: str, *, mode: black.Mode) -> str:
        key = (src_contents, repr(mode))
        if key not in cache:
            cache[key] = original(src_contents, mode=mode)
        return cache[key]

    patch = pytest.MonkeyPatch()
    patch.setattr(black, "format_str", format_str)
    yield
    patch.undo()


# --- spec builders ----------------------------------------------------------------


def md(text: str) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped.

    Read back literally from a table cell, a description or a heading.
    """
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def table(*rows: tuple[str, str, str, str]) -> str:
    return HEADER + "".join(f"| {n} | {t} | {r} | {d} |\n" for n, t, r, d in rows)


def model_doc(name: str, *rows: tuple[str, str, str, str], desc: str = "") -> str:
    text = f"# {name}\n\n"
    if desc:
        text += desc + "\n\n"
    return text + "**Properties**\n\n" + table(*rows) + "\n"


def method_doc(
    name: str,
    verb: str,
    endpoint: str,
    *rows: tuple[str, str, str, str],
    returns: str | None = None,
    desc: str = "",
) -> str:
    text = f"## {name}\n\n"
    if desc:
        text += desc + "\n\n"
    text += f"- HTTP Method: `{verb}`\n- Endpoint: `{endpoint}`\n\n"
    if rows:
        text += "**Parameters**\n\n" + table(*rows) + "\n"
    if returns is not None:
        text += f"**Return Type**\n\n`{returns}`\n\n"
    snippet = "open('CANARY', 'w')  # snippets are never read"
    return text + f"**Example Usage Code Snippet**\n\n```python\n{snippet}\n```\n\n"


def service_doc(title: str | None, *methods: str) -> str:
    head = f"# {title}\n\n" if title is not None else ""
    intro = "A list of all methods.\n\n| Methods | Description |\n| :--- | :--- |\n"
    return head + intro + "| [m](#m) | m |\n\n" + "".join(methods)


def norm(text: str) -> str:
    """Text as a reader sees it: any line break is a break, lines stripped."""
    lines = LINE_BREAKS.split(text.expandtabs())
    return "\n".join(line.strip() for line in lines).strip()


def flat(text: str) -> str:
    return " ".join(text.split())


# --- running the pipeline ---------------------------------------------------------


def write_specs(folder: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
    return folder


def tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def canaries(folder: Path) -> list[Path]:
    found = [p for p in folder.rglob("*") if p.name == CANARY]
    return found + ([ROOT / CANARY] if (ROOT / CANARY).exists() else [])


def errors(result: Result) -> list[str]:
    return [d.format() for d in result.diagnostics.items if d.level is Level.ERROR]


def assert_clean_failure(result: Result) -> None:
    """No files, error diagnostics with a location, none of them a caught crash."""
    assert not result.files
    errs = [d for d in result.diagnostics.items if d.level is Level.ERROR]
    assert errs, "no files but no error either"
    for d in errs:
        assert d.code != "internal", d.format()
        assert d.path, d.format()


def run(
    folder: Path,
    files: dict[str, str | bytes],
    package: str,
    baseline: Baseline | None,
    settings: Settings | None = None,
) -> Result:
    """Generate from ``files``; on success write to ``folder/out/<package>``.

    Checks everything that does not need an import: generation ran no spec
    text, the files are safe (see ``check_files``), and writing them touched
    nothing outside the output folder.
    """
    specs = write_specs(folder / "specs", files)
    result = generate([specs], settings, package=package)
    assert not canaries(folder)
    if not result.files:
        assert_clean_failure(result)
        return result
    assert not errors(result)
    before = tree(folder)
    out = folder / "out" / package
    write_files(out, result.files)
    created = tree(folder) - before
    assert all(p.startswith(f"out/{package}") or p == "out" for p in created), created
    for rel in result.files:
        assert (out / rel).resolve().is_relative_to(out.resolve())
    check_files(out, result, baseline)
    return result


# --- static checks of the generated files -----------------------------------------


def comments(text: str) -> set[str]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return {t.string for t in tokens if t.type == tokenize.COMMENT}


def _callee(node: ast.Call) -> str:
    name = ast.unparse(node.func)  # other generated modules' names are spec text
    name = re.sub(r"\b_([ms])_\w+\.\w+", r"_\1_*.*", name)
    return re.sub(r"\b_([ms])_\w+", r"_\1_*", name)


def import_time_calls(tree_: ast.Module) -> set[str]:
    """Callees evaluated when the module is imported (function bodies excluded)."""
    found: set[str] = set()

    def walk(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                parts: list[ast.AST] = [*node.decorator_list, *node.args.defaults]
                parts += [d for d in node.args.kw_defaults if d is not None]
            elif isinstance(node, ast.ClassDef):
                parts = [*node.decorator_list, *node.bases, *node.keywords]
                walk(node.body)
            elif isinstance(node, ast.If):
                parts = [node.test]
                walk(node.body)
                walk(node.orelse)
            else:
                parts = [node]
            for part in parts:
                found.update(
                    _callee(n) for n in ast.walk(part) if isinstance(n, ast.Call)
                )

    walk(tree_.body)
    return found


def all_calls(tree_: ast.Module) -> set[str]:
    return {_callee(n) for n in ast.walk(tree_) if isinstance(n, ast.Call)}


def docstrings(text: str) -> list[str]:
    """Every string that stands alone as a statement (docstrings), anywhere."""
    return [
        node.value.value
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]


class Baseline:
    """What benign specs generate: comments, callees, runtime files."""

    def __init__(self, files: dict[str, str]) -> None:
        self.comments: set[str] = set()
        self.import_calls: set[str] = set()
        self.calls: set[str] = set()
        self.runtime = {p: files[p] for p in RUNTIME}
        self.add(files)

    def add(self, files: dict[str, str]) -> None:
        for path, text in files.items():
            if path.endswith(".py") and path not in RUNTIME:
                parsed = ast.parse(text)
                self.comments |= comments(text)
                self.import_calls |= import_time_calls(parsed)
                self.calls |= all_calls(parsed)


def check_files(out: Path, result: Result, baseline: Baseline | None) -> None:
    """Safe paths, printable text, compiles from bytes, no spec text as code."""
    for rel, text in result.files.items():
        assert SAFE_PATH.fullmatch(rel), rel
        data = (out / rel).read_bytes()
        assert data == text.encode("utf-8")
        if rel == "README.md":
            check_readme(text, result)
        if not rel.endswith(".py"):
            continue
        bad = sorted({c for c in text if c != "\n" and not c.isprintable()})
        assert not bad, f"{rel}: raw invisible/control characters {bad!r}"
        head = data.split(b"\n", 2)[:2]
        assert not any(CODING.match(h.decode("utf-8")) for h in head), rel
        compile(data, str(out / rel), "exec", dont_inherit=True)
        from_bytes = ast.dump(ast.parse(data))
        assert from_bytes == ast.dump(ast.parse(data.decode("utf-8"))), rel
        if baseline is None:
            continue
        if rel in RUNTIME:
            assert text == baseline.runtime[rel], f"{rel} depends on the spec"
            continue
        parsed = ast.parse(data)
        assert comments(text) <= baseline.comments, (rel, comments(text))
        unexpected = import_time_calls(parsed) - baseline.import_calls
        assert not unexpected, f"{rel}: runs {unexpected} on import"
        assert all_calls(parsed) <= baseline.calls, (rel, all_calls(parsed))


def split_row(line: str) -> list[str]:
    return re.split(r"(?<!\\)\|", line.strip().strip("|"))


def check_readme(text: str, result: Result) -> None:
    """Spec text cannot break the package README's definitions table."""
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text), "control characters"
    if "## Definitions" not in text:
        return
    index = text.split("## Definitions", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in index.splitlines() if line.startswith("| `")]
    assert len(rows) == len(result.api.definitions), rows
    assert all(len(split_row(row)) == 3 for row in rows), rows
    assert "<script" not in text.lower()


# --- importing and probing in a subprocess ----------------------------------------

PROBE = r"""
import importlib, inspect, json, os, pkgutil, sys
import httpx

def probe(root, name, ops):
    sys.path.insert(0, root)
    pkg = importlib.import_module(name)
    modules = sorted(m.name for m in pkgutil.walk_packages(pkg.__path__, name + "."))
    for module in modules:
        importlib.import_module(module)
    pkg.Client, pkg.AsyncClient
    canary = os.path.exists("CANARY")

    def find(dotted):
        obj = pkg
        for part in dotted.split("."):
            obj = getattr(obj, part)
        return obj

    def call(op):
        requests, calls = [], []

        def handler(request):
            requests.append(request)
            body = request.content or b"null"
            return httpx.Response(
                200, content=body, headers={"content-type": "application/json"}
            )

        client = pkg.Client(BASE, transport=httpx.MockTransport(handler))
        original = client.call

        def spy(c, decode):
            calls.append(c)
            return original(c, decode)

        client.call = spy
        service = getattr(client, op["service"])
        value = getattr(service, op["method"])(*op["args"], **op["kwargs"])
        c, req = calls[-1], requests[-1]
        return {
            "path": c.path,
            "path_params": dict(c.path_params),
            "query": dict(c.query),
            "headers": dict(c.headers),
            "raw_path": req.url.raw_path.decode("ascii"),
            "params": [list(p) for p in req.url.params.multi_items()],
            "result": value.to_dict() if hasattr(value, "to_dict") else value,
            "doc": inspect.getdoc(getattr(service, op["method"])),
            "service_doc": inspect.getdoc(type(service)),
        }

    results = []
    for op in ops:
        if op["op"] == "enum":
            results.append([m.value for m in find(op["cls"])])
        elif op["op"] == "roundtrip":
            obj = find(op["cls"]).from_dict(op["payload"])
            results.append({"to_dict": obj.to_dict(), "extra": obj._extra})
        elif op["op"] == "doc":
            results.append(inspect.getdoc(find(op["obj"])))
        elif op["op"] == "call":
            try:
                results.append(call(op))
            except Exception as exc:
                results.append({"error": f"{type(exc).__name__}: {exc}"})
    return {"modules": modules, "canary": canary, "results": results}

def isolated(root, name, ops):
    # one job: its failure or canary does not leak into the next job
    try:
        answer = probe(root, name, ops)
    except BaseException:
        import traceback
        answer = {"error": traceback.format_exc(), "canary": False}
    if os.path.exists("CANARY"):
        answer["canary"] = True
        os.remove("CANARY")
    return answer

BASE = sys.argv[2]
jobs = json.load(open(sys.argv[1], encoding="utf-8"))
print(json.dumps([isolated(*job) for job in jobs]))
"""


def probe(
    folder: Path, jobs: list[tuple[str, str, list[dict[str, Any]]]], check: bool = True
) -> list[Any]:
    """Import each (root, package) in one subprocess (cwd=folder) and run its ops.

    Each answer says whether ``CANARY`` appeared while its package was imported
    and used (the file is then removed), or holds the job's traceback.  With
    ``check`` every answer must be clean.
    """
    script = folder / "probe.py"
    script.write_text(PROBE, "utf-8")
    ops = folder / "ops.json"
    ops.write_text(json.dumps(jobs), "utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, str(script), str(ops), BASE_URL],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert not canaries(folder)
    answers: list[Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if check:
        for answer in answers:
            check_answer(answer)
    return answers


def check_answer(answer: dict[str, Any]) -> None:
    assert not answer["canary"], "importing the package ran spec text"
    assert "error" not in answer, answer.get("error")


def job(
    folder: Path, package: str, ops: list[dict[str, Any]]
) -> tuple[str, str, list[dict[str, Any]]]:
    return (str(folder / "out"), package, ops)


def generate_and_import(
    folder: Path,
    files: dict[str, str | bytes],
    baseline: Baseline,
    ops: list[dict[str, Any]] | None = None,
    settings: Settings | None = None,
) -> tuple[Result, list[Any]]:
    """``run`` that must succeed, then import the package and run ``ops``."""
    result = run(folder, files, "hostilepkg", baseline, settings)
    assert result.files, errors(result)
    answers = probe(folder, [job(folder, "hostilepkg", ops or [])])
    return result, answers[0]["results"]


def service_call(
    service: Service, method_index: int = 0, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A ``call`` op for a method, with every parameter given a value."""
    values = values or {}
    method = service.methods[method_index]
    args, kwargs = [], {}
    for p in method.parameters:
        value = values.get(p.name, f"v-{p.python_name}"[:40])
        if p.sent_in == "path":
            args.append(value)
        elif p.sent_in != "none":
            kwargs[p.python_name] = value
    return {
        "op": "call",
        "service": service.python_name,
        "method": method.python_name,
        "args": args,
        "kwargs": kwargs,
    }


def model_named(api: Api, *wire_keys: str) -> Model:
    """The model whose properties have exactly these wire keys."""
    found = [m for m in api.models if [f.wire_key for f in m.fields] == [*wire_keys]]
    assert len(found) == 1, [m.name for m in api.models]
    return found[0]


# --- the baseline: benign specs with every feature --------------------------------


def benign_docs(text: str = "benign") -> dict[str, str | bytes]:
    return {
        **docs_models(text),
        **docs_service(text),
        **docs_path(text),
        "documentation/models/Rich.md": model_doc(
            "Rich",
            ("tags", "string[]", "❌", "Tags."),
            ("byName", "Map<String, Thing>", "❌", "A map."),
            ("either", "OneOf<Thing, string>", "❌", "A union."),
            ("blob", "bytes", "❌", "Bytes."),
            ("shape", "Shape", "❌", "A named union."),
            ("count", "int", "❌", "An int."),
            desc="Rich.",
        ),
    }


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    folder = tmp_path_factory.mktemp("baseline")
    first = generate([FIXTURE], package="hostilepkg")
    assert first.files, errors(first)
    base = Baseline(first.files)
    result = run(folder, benign_docs(), "hostilepkg", None)
    assert result.files, errors(result)
    base.add(result.files)
    return base


# --- the checks themselves catch injected code -----------------------------------


INJECTIONS = {
    "module-call": lambda t: t + "\nopen('CANARY', 'w')\n",
    "class-body-call": lambda t: t.replace(
        "(_rt.Model):\n", "(_rt.Model):\n    _x = open('CANARY', 'w')\n", 1
    ),
    "comment": lambda t: t + "\nX = 1  # type: ignore\n",
    "bidi": lambda t: t.replace("Thing description", "Thing\u202e description"),
    "coding-cookie": lambda t: "# -*- coding: utf-7 -*-\n" + t,
    "utf7-smuggling": lambda t: "# coding: utf-7\n" + t + "\n# +AAo-X = 1\n",
}


@pytest.mark.parametrize("how", list(INJECTIONS))
def test_the_checks_catch_injected_code(
    tmp_path: Path, baseline: Baseline, how: str
) -> None:
    """Guards the guards: a tampered package fails the static checks."""
    result = run(tmp_path / "ok", benign_docs(), "hostilepkg", baseline)
    path = f"models/{module_of(result, 'Thing')}.py"
    files = dict(result.files)
    files[path] = INJECTIONS[how](files[path])
    assert files[path] != result.files[path]
    out = tmp_path / "bad" / "out" / "hostilepkg"
    write_files(out, files)
    with pytest.raises((AssertionError, SyntaxError)):
        check_files(out, dataclasses.replace(result, files=files), baseline)
    if how == "module-call":
        with pytest.raises(AssertionError, match="ran spec text"):
            probe(tmp_path / "bad", [job(tmp_path / "bad", "hostilepkg", [])])


# --- the payload matrix -----------------------------------------------------------

PAYLOADS = {
    "single-quote": "it's 'quoted'",
    "double-quote": 'say "hi" now',
    "triple-double": 'a """ b',
    "triple-single": "a ''' b",
    "final-quote": 'ends with "',
    "backslashes": r"a \ b \n \x00 \N{BULLET} \u1234 c",
    "final-backslash": "ends with \\",
    "line-separators": "a\u2028b\u2029c",
    "next-line": "a\x85b",
    "form-feed-vtab": "a\x0cb\x0bc",
    "file-separators": "a\x1cb\x1dc\x1ed",
    "tab": "a\tb",
    "bidi-invisible": "a\u202eb\u2066c\u200bd\ufeffe",
    "coding-cookie": "# -*- coding: utf-7 -*-",
    "utf7-newline": "+AAo-open('CANARY', 'w')+AAo-",
    "type-ignore": "x  # type: ignore",
    "import-os": "'; import os; '",
    "call-break": "1); __import__('os').system('touch CANARY') #",
    "string-break": '"); open("CANARY", "w"); ("',
    "docstring-break": '"""); open("CANARY", "w"); ("""',
    "fstring": "{open('CANARY', 'w')}",
    "format-spec": "%s %(x)s {0!r:>{1}}",
    "jinja-expression": "{{ 7*7 }}",
    "jinja-raw": "{% raw %}{{ x }}{% endraw %}",
    "jinja-comment": "{# c #}",
    "keyword": "class",
    "soft-keyword": "match",
    "soft-keyword-type": "type",
    "underscore": "_",
    "builtin": "id",
    "none": "None",
    "self": "self",
    "dunder-init": "__init__",
    "dunder-class": "__class__",
    "dunder-slots": "__slots__",
    "ligature": "\ufb01eld",
    "cyrillic": "n\u0430me",
    "astral": "\U0001f40d snake",
    "long": "x" * 5000,
    "nan": "nan",
    "huge-int-text": "9" * 400,
    "traversal": "../../x",
    "absolute": "/etc/passwd",
    "windows-path": "C:\\Windows\\con",
    "windows-reserved": "aux",
    "pipe": "a | b",
}


def enum_cell(value: str) -> str:
    """An enum Description cell: the JSON string, ``|`` escaped for the table."""
    return json.dumps(value, ensure_ascii=False).replace("|", "\\|")


def docs_models(p: str) -> dict[str, str | bytes]:
    """``p`` as a property name and in every description, heading and enum."""
    m = md(p)
    thing = model_doc(
        "Thing",
        (m, "string", "✅", f"Field description: {m}"),
        ("plain", "[ThingKind](ThingKind.md)", "❌", "A kind."),
        desc=f"Thing description: {m}",
    )
    thing += model_doc(m, ("marker", "int", "❌", "Marks the hostile heading."))
    kind = model_doc(
        "ThingKind",
        (m, "str", "✅", enum_cell(p)),
        ("OTHER", "str", "✅", '"other"'),
        desc=f"Kind description: {m}",
    )
    shape = f"# Shape\n\nShape description: {m}\n\n"
    shape += model_doc("Shape_1", ("side", "int", "✅", "A side."))
    shape += model_doc("Shape_2", ("radius", "float", "✅", "A radius."))
    return {
        "documentation/models/Thing.md": thing,
        "documentation/models/ThingKind.md": kind,
        "documentation/models/Shape.md": shape,
    }


def docs_service(p: str) -> dict[str, str | bytes]:
    """``p`` as the service title, method heading, query name and descriptions."""
    m = md(p)
    method = method_doc(
        m,
        "POST",
        "/things/{thingId}",
        ("thingId", "string", "✅", f"Param description: {m}"),
        (m, "string", "❌", "A query parameter."),
        ("body", "[Thing](../models/Thing.md)", "✅", "The request body."),
        returns="Thing",
        desc=f"Method description: {m}",
    )
    return {"documentation/services/ThingsService.md": service_doc(m, method)}


def docs_path(p: str) -> dict[str, str | bytes]:
    """``p`` as a literal path segment and as a path placeholder."""
    endpoint = "/things/" + p + "/{" + p + "}"
    method = method_doc(
        "getByPath", "GET", endpoint, (md(p), "string", "✅", "The placeholder.")
    )
    return {"documentation/services/PathsService.md": service_doc("Paths", method)}


def docs_file_names(p: str) -> dict[str, str | bytes] | None:
    """``p`` as the file name of a model doc and of a title-less service doc."""
    if "/" in p or len(p.encode()) > 200:
        return None
    ping = method_doc("ping", "GET", "/ping")
    return {
        f"documentation/services/{p}.md": service_doc(None, ping),
        f"documentation/models/{p}.md": model_doc(
            "FileModel", ("id", "string", "✅", "x")
        ),
    }


def docs_type_cell(p: str) -> dict[str, str | bytes]:
    return {
        "documentation/models/Typed.md": model_doc(
            "Typed", ("value", md(p), "✅", "A value."), ("other", "string", "❌", "x")
        )
    }


def check_annotation(result: Result, package: Path) -> None:
    """The hostile Type cell became a known type or Any, never code."""
    typed = next(m for m in result.api.models if m.name == "Typed")
    path = package / "models" / "typed.py"
    cls = next(
        n
        for n in ast.walk(ast.parse(path.read_bytes()))
        if isinstance(n, ast.ClassDef) and n.name == typed.class_name
    )
    value = next(
        n
        for n in cls.body
        if isinstance(n, ast.AnnAssign) and ast.unparse(n.target) == "value"
    )
    classes = {d.class_name for d in result.api.definitions}
    for node in ast.walk(value.annotation):
        if isinstance(node, ast.Name):
            allowed = {"str", "int", "float", "bool", "list", "dict", "_t", "_rt", "_m"}
            assert node.id in allowed, node.id
        elif isinstance(node, ast.Attribute):
            assert node.attr in {"Any", "Unset"} | classes, node.attr


CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


@dataclasses.dataclass
class Prepared:
    """One payload's packages, generated and statically checked, and its jobs."""

    a: Result
    package_a: Path
    query: Parameter
    call_b: bool
    jobs: list[tuple[str, str, list[dict[str, Any]]]]


def prepare(p: str, index: int, folder: Path, baseline: Baseline) -> Prepared:
    """``p`` in every place a spec has text; generated once per kind of place."""
    name_a, name_b, name_d = f"h{index}a", f"h{index}b", f"h{index}d"
    docs = docs_models(p) | docs_service(p) | (docs_file_names(p) or {})
    a = run(folder / "a", docs, name_a, baseline)
    assert a.files, errors(a)
    b = run(folder / "b", docs_path(p), name_b, baseline)
    if "`" in p:  # an endpoint cannot hold a backtick
        assert not b.files
    elif endpoint_problem("/things/" + p + "/{" + p + "}"):  # issue 22: no path
        assert not b.files
        assert any("[bad-endpoint]" in e for e in errors(b)), errors(b)
    elif not re.search(r"[{}]", p):  # braces make placeholders: may be unbound
        assert b.files, errors(b)
    d = run(folder / "d", docs_type_cell(p), name_d, baseline)
    if d.files:
        check_annotation(d, folder / "d" / "out" / name_d)

    thing = model_named(a.api, p, "plain")
    kind = next(e for e in a.api.enums if e.name == "ThingKind")
    marked = model_named(a.api, "marker")
    payload = {p: "value \" ' \\", "plain": "other"}
    things = service_in(a.api, "ThingsService.md")
    ops_a = [
        {"op": "enum", "cls": kind.class_name},
        {"op": "roundtrip", "cls": thing.class_name, "payload": payload},
        {"op": "roundtrip", "cls": marked.class_name, "payload": {"marker": 1}},
        {"op": "doc", "obj": thing.class_name},
        {"op": "doc", "obj": kind.class_name},
        service_call(things, 0, {"body": payload, p: "q-value"}),
    ]
    if docs_file_names(p):
        ops_a.append(service_call(service_in(a.api, f"/{p}.md")))
    jobs = [job(folder / "a", name_a, ops_a)]
    call_b = bool(b.files)
    if b.files:
        ops_b = [service_call(b.api.services[0], 0, {p: "a b/c"})] if call_b else []
        jobs.append(job(folder / "b", name_b, ops_b))
    if d.files:
        jobs.append(job(folder / "d", name_d, []))
    query = next(x for x in things.methods[0].parameters if x.name == p)
    return Prepared(a, folder / "a" / "out" / name_a, query, call_b, jobs)


Matrix = dict[str, tuple[Prepared | Exception, list[Any]]]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory, baseline: Baseline) -> Matrix:
    """Every payload prepared, then all packages probed in one subprocess."""
    root = tmp_path_factory.mktemp("matrix")
    prepared: dict[str, Prepared | Exception] = {}
    for index, (name, p) in enumerate(PAYLOADS.items()):
        try:
            prepared[name] = prepare(p, index, root / name, baseline)
        except Exception as exc:  # raised again by that payload's test
            prepared[name] = exc
    jobs = [j for x in prepared.values() if isinstance(x, Prepared) for j in x.jobs]
    answers = iter(probe(root, jobs, check=False))
    return {
        name: (x, [next(answers) for _ in x.jobs] if isinstance(x, Prepared) else [])
        for name, x in prepared.items()
    }


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_payload_everywhere(name: str, matrix: Matrix) -> None:
    prepared, answers = matrix[name]
    if isinstance(prepared, Exception):
        raise prepared
    for answer in answers:
        check_answer(answer)
    p = PAYLOADS[name]
    results = answers[0]["results"]
    check_models_and_service(p, prepared.a, prepared.package_a, results, prepared.query)
    if prepared.call_b:
        check_path_call(p, answers[1]["results"][0])


def check_models_and_service(
    p: str, a: Result, out_a: Path, results: list[Any], query: Parameter
) -> None:
    values, thing_rt, marker_rt, thing_doc, kind_doc, call, *named = results
    thing = model_named(a.api, p, "plain")
    payload = {p: "value \" ' \\", "plain": "other"}
    assert values == [p, "other"]
    assert thing_rt == {"to_dict": payload, "extra": {}}
    assert marker_rt == {"to_dict": {"marker": 1}, "extra": {}}
    assert norm(thing_doc) == norm(f"Thing description: {p}")
    assert norm(kind_doc) == norm(f"Kind description: {p}")
    assert norm(f"Method description: {p}") in norm(call["doc"])
    assert flat(f"Param description: {p}") in flat(call["doc"])
    assert norm(call["service_doc"]) == norm(f"The {p} endpoints.")
    if not p.endswith("__"):  # see test_dunder_parameter_names_reach_the_wire
        assert query.wire_name == p
        assert call["query"] == {p: "q-value"}
        assert [p, "q-value"] in call["params"]
    assert call["result"] == payload
    field_docs = docstrings(module_text(a, out_a, thing.class_name))
    assert norm(f"Field description: {p}") in [norm(s) for s in field_docs]
    shape = next(u for u in a.api.unions if u.name == "Shape")
    union_docs = [norm(s) for s in docstrings(module_text(a, out_a, shape.class_name))]
    assert norm(f"Shape description: {p}") in union_docs
    if named:  # the file name is the service's name
        assert norm(named[0]["service_doc"]) == norm(f"The {p} endpoints.")


def check_path_call(p: str, path_call: dict[str, Any]) -> None:
    """The endpoint reaches the client intact; placeholders are filled quoted."""
    endpoint = "/things/" + p + "/{" + p + "}"
    assert path_call["path"] == endpoint
    sent = endpoint
    for name, value in path_call["path_params"].items():
        sent = sent.replace("{" + name + "}", quote(value, safe=""))
    sent = CONTROLS.sub(lambda m: f"%{ord(m[0]):02X}", sent)  # see _http._CONTROL
    if not re.search(r"[{}]", p):
        assert path_call["path_params"] == {p: "a b/c"}
    expected = httpx.URL(BASE_URL + sent)
    assert path_call["raw_path"] == expected.raw_path.decode("ascii")


def service_in(api: Api, path_end: str) -> Service:
    """The service read from the spec file whose path ends with ``path_end``."""
    return next(s for s in api.services if s.location.path.endswith(path_end))


def module_of(result: Result, class_name: str) -> str:
    """The module (under models/) that defines ``class_name``."""
    init = result.files["models/__init__.py"]
    # models/__init__ imports lazily: its imports are under `if TYPE_CHECKING:`
    match = re.search(rf"^\s*from \.(\w+) import {class_name}\b", init, re.MULTILINE)
    assert match, class_name
    return match[1]


def module_text(result: Result, out: Path, class_name: str) -> str:
    return (out / "models" / f"{module_of(result, class_name)}.py").read_text("utf-8")


# --- line breaks: \r, \n via <br/>, CRLF ------------------------------------------


def test_carriage_returns_split_rows_but_never_code(
    tmp_path: Path, baseline: Baseline
) -> None:
    """``\\r`` is a line break to Markdown: a row breaks, nothing else happens."""
    evil = (
        "x\r# -*- coding: utf-7 -*-\r+AAo-open('CANARY', 'w')\r\"\"\"; open('CANARY')"
    )
    docs: dict[str, str | bytes] = {
        "documentation/models/Pet.md": model_doc(
            "Pet",
            ("id", "string", "✅", "The id."),
            ("name", "string", "❌", f"Name. {evil} |"),
            desc=f"Pet description {evil}",
        )
    }
    result = run(tmp_path, docs, "hostilepkg", baseline)
    if result.files:
        probe(tmp_path, [job(tmp_path, "hostilepkg", [])])


def test_carriage_return_in_a_name_cell_fails_cleanly(tmp_path: Path) -> None:
    docs: dict[str, str | bytes] = {
        "Pet.md": model_doc("Pet", ("a\rb", "string", "✅", "x"))
    }
    result = run(tmp_path, docs, "hostilepkg", None)
    assert_clean_failure(result)
    assert any(d.line in (7, 8) for d in result.diagnostics.items)


@pytest.mark.parametrize(
    "style",
    [
        "\r\n",
        pytest.param(
            "\r",
        ),
    ],
    ids=["crlf", "cr"],
)
def test_crlf_and_cr_files_generate_like_lf(tmp_path: Path, style: str) -> None:
    docs = benign_docs()
    lf = run(tmp_path / "lf", docs, "hostilepkg", None)
    files: dict[str, str | bytes] = {
        k: str(v).replace("\n", style) for k, v in docs.items()
    }
    other = run(tmp_path / "other", files, "hostilepkg", None)
    assert lf.files and other.files, errors(other)
    assert other.files == lf.files


def test_br_line_breaks_in_cells_stay_inside_docstrings(
    tmp_path: Path, baseline: Baseline
) -> None:
    lines = ["one", "# -*- coding: utf-7 -*-", "+AAo-open('CANARY', 'w')", '"""']
    lines += ["import os; os.system('touch CANARY')", "# type: ignore", "end"]
    cell = "<br/>".join(md(line) for line in lines)
    docs: dict[str, str | bytes] = {
        "documentation/models/Pet.md": model_doc(
            "Pet", ("id", "string", "✅", cell), desc=cell
        ),
        "documentation/services/PetsService.md": service_doc(
            "Pets",
            method_doc(
                "getPet",
                "GET",
                "/pets/{id}",
                ("id", "string", "✅", cell),
                desc=cell,
            ),
        ),
    }
    result, (doc, call) = generate_and_import(
        tmp_path,
        docs,
        baseline,
        [{"op": "doc", "obj": "Pet"}, service_call_op("pets", "get_pet", ["1"])],
    )
    assert norm(doc) == "\n".join(lines)
    assert "\n".join(lines) in norm(call["doc"])
    assert " ".join(lines) in call["doc"]  # the Args line is one line
    field_docs = docstrings(module_text(result, tmp_path / "out/hostilepkg", "Pet"))
    assert "\n".join(lines) in field_docs


def service_call_op(
    service: str, method: str, args: list[Any], **kwargs: Any
) -> dict[str, Any]:
    return {
        "op": "call",
        "service": service,
        "method": method,
        "args": args,
        "kwargs": kwargs,
    }


# --- NUL, invalid UTF-8, lone surrogates, BOMs ------------------------------------


@pytest.mark.parametrize(
    "where",
    ["heading", "description", "name", "cell", "enum", "service", "readme"],
)
def test_nul_byte_is_a_clean_error_with_its_line(tmp_path: Path, where: str) -> None:
    pet = {
        "heading": "# Pe\x00t\n",
        "description": "# Pet\n\nA \x00 description\n",
        "name": "# Pet\n\n**Properties**\n\n"
        + HEADER
        + "| i\x00d | string | ✅ | x |\n",
        "cell": "# Pet\n\n**Properties**\n\n"
        + HEADER
        + "| id | string | ✅ | \x00 |\n",
        "enum": "# E\n\n**Properties**\n\n" + HEADER + '| A | str | ✅ | "\x00" |\n',
    }
    line = {"heading": 1, "description": 3, "name": 7, "cell": 7, "enum": 7}
    files: dict[str, str | bytes] = {}
    if where in pet:
        files["documentation/models/Pet.md"] = pet[where]
    elif where == "service":
        bad = method_doc("getPet", "GET", "/pets/\x00")
        files["documentation/services/PetsService.md"] = service_doc("Pets", bad)
        files["documentation/models/Pet.md"] = model_doc("Pet", ("id", "int", "✅", ""))
    else:
        files["README.md"] = "# API\n\n## Environments\n\nhttps://x.test/\x00\n"
        files["documentation/models/Pet.md"] = model_doc("Pet", ("id", "int", "✅", ""))
    result = run(tmp_path, files, "hostilepkg", None)
    assert_clean_failure(result)
    nul = [d for d in result.diagnostics.items if "NUL" in d.message]
    assert nul and all(d.level is Level.ERROR for d in nul)
    if where in line:
        assert nul[0].line == line[where]


@pytest.mark.parametrize(
    "raw, line",
    [
        (b"\xff", 3),
        (b"\xed\xa0\x80", 3),  # a lone surrogate, UTF-8-encoded
        (b"\xc0\xaf", 3),  # an overlong '/'
        (b"\xf4\x90\x80\x80", 3),  # beyond U+10FFFF
        (b"\xe2\x82", 3),  # truncated
    ],
    ids=["ff", "lone-surrogate", "overlong", "too-large", "truncated"],
)
def test_invalid_utf8_is_a_clean_error_with_its_line(
    tmp_path: Path, raw: bytes, line: int
) -> None:
    data = b"# Pet\n\nA description " + raw + b" here\n\n**Properties**\n"
    files: dict[str, str | bytes] = {"documentation/models/Pet.md": data}
    result = run(tmp_path, files, "hostilepkg", None)
    assert_clean_failure(result)
    (diag,) = [d for d in result.diagnostics.items if d.level is Level.ERROR]
    assert diag.line == line
    assert "UTF-8" in diag.message


def test_utf16_file_is_a_clean_error(tmp_path: Path) -> None:
    data = model_doc("Pet", ("id", "string", "✅", "x")).encode("utf-16")
    result = run(tmp_path, {"Pet.md": data}, "hostilepkg", None)
    assert_clean_failure(result)


def test_lone_surrogate_escapes_stay_text(tmp_path: Path, baseline: Baseline) -> None:
    """JSON ``\\ud800`` in an enum value and ``&#xD800;`` in a description."""
    docs: dict[str, str | bytes] = {
        "documentation/models/E.md": model_doc(
            "E",
            ("A", "str", "✅", '"\\ud800"'),
            ("B", "str", "✅", '"b"'),
            desc="Surrogate &#xD800; entity &#0; &#x202E; &#13;",
        )
    }
    result = run(tmp_path, docs, "hostilepkg", baseline)
    if result.files:
        (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", [ENUM_E])])
        assert answer["results"] == [["\ud800", "b"]]


def test_bom_is_ignored(tmp_path: Path) -> None:
    text = model_doc("Pet", ("id", "string", "✅", "x"))
    a = run(tmp_path / "a", {"Pet.md": text}, "hostilepkg", None)
    b = run(tmp_path / "b", {"Pet.md": "\ufeff" + text}, "hostilepkg", None)
    assert a.files == b.files


# --- PEP 263 cookies and UTF-7 smuggling ------------------------------------------


def test_utf7_smuggling_everywhere(tmp_path: Path, baseline: Baseline) -> None:
    """The reproduced attack: a cookie on line 1-2, then ``+AAo-`` newlines."""
    cookie = "# -*- coding: utf-7 -*-"
    smuggled = "+AAo-open('CANARY', 'w')+AAo-"
    both = f"{cookie} {smuggled}"
    docs: dict[str, str | bytes] = {
        f"documentation/models/{cookie}.md": f"# {md(cookie)}\n\n{smuggled}\n\n"
        + "**Properties**\n\n"
        + table((md(both), "string", "✅", md(both)))
        + f"\n# Kind\n\nKind:\n{md(cookie)}\n{smuggled}\n\n**Properties**\n\n"
        + table(("A", "str", "✅", json.dumps(both)), ("B", "str", "✅", '"b"')),
        f"documentation/services/{cookie}.md": service_doc(
            None,
            method_doc(
                md(both),
                "GET",
                f"/x/{smuggled}/{{{cookie}}}",
                (md(cookie), "string", "✅", md(both)),
                desc=f"{md(cookie)}\n{smuggled}",
            ),
        ),
    }
    result, (kind,) = generate_and_import(
        tmp_path, docs, baseline, [{"op": "enum", "cls": "Kind"}]
    )
    assert kind == [both, "b"]
    for rel, text in result.files.items():
        first_two = text.split("\n")[:2]
        assert "utf-7" not in "\n".join(first_two), rel


def test_coding_cookie_on_the_first_line_of_a_spec_file(
    tmp_path: Path, baseline: Baseline
) -> None:
    text = "# -*- coding: utf-7 -*-\n# +AAo-open('CANARY', 'w')+AAo-\n\n"
    text += "**Properties**\n\n" + table(("id", "string", "✅", "+AAo-x"))
    generate_and_import(tmp_path, {"documentation/models/A.md": text}, baseline)


# --- names: keywords, builtins, dunders, collisions, confusables, bidi, length ----

NAMES = [
    "class",
    "from",
    "None",
    "True",
    "match",
    "case",
    "_",
    "type",
    "id",
    "self",
    "cls",
    "str",
    "list",
    "print",
    "object",
    "field",
    "Optional",
    "dataclasses",
    "_dc",
    "_t",
    "_rt",
    "_extra",
    "_keys",
    "_required",
    "to_dict",
    "from_dict",
    "__init__",
    "__class__",
    "__slots__",
    "__dict__",
    "__weakref__",
    "__post_init__",
    "_private",
    "1st",
    "user id",
    "x'y",
    "a-b",
    "UNSET",
]


def test_hostile_property_names_round_trip(tmp_path: Path, baseline: Baseline) -> None:
    rows = [(md(n), "string", "❌", f"The {md(n)} property.") for n in NAMES]
    docs: dict[str, str | bytes] = {
        "documentation/models/Names.md": model_doc("Names", *rows)
    }
    payload = {n: f"value of {n}" for n in NAMES}
    result, (rt,) = generate_and_import(
        tmp_path,
        docs,
        baseline,
        [{"op": "roundtrip", "cls": "Names", "payload": payload}],
    )
    assert rt == {"to_dict": payload, "extra": {}}
    python = [f.python_name for f in result.api.models[0].fields]
    assert len(set(python)) == len(python)


def test_hostile_names_as_headings_methods_and_parameters(
    tmp_path: Path, baseline: Baseline
) -> None:
    names = [n for n in NAMES if not n.endswith("__")]  # dunders: test below
    docs: dict[str, str | bytes] = {}
    for i, name in enumerate(NAMES):
        docs[f"documentation/models/M{i}.md"] = model_doc(
            md(name), (f"value{i}", "int", "❌", "x")
        )
    rows = [(md(n), "string", "❌", "A parameter.") for n in names]
    methods = [method_doc("allParams", "GET", "/all", *rows)]
    methods += [method_doc(md(name), "GET", f"/m{i}") for i, name in enumerate(NAMES)]
    docs["documentation/services/NamesService.md"] = service_doc("Names", *methods)
    clashing = ["request", "call", "close", "base_url", "Client", "_services"]
    for i, name in enumerate(clashing):
        docs[f"documentation/services/S{i}.md"] = service_doc(
            name, method_doc("ping", "GET", f"/ping{i}")
        )
    values = {n: f"v{i}" for i, n in enumerate(names)}
    result = run(tmp_path, docs, "hostilepkg", baseline)
    assert result.files, errors(result)
    service = next(s for s in result.api.services if s.name == "Names")
    ops = [service_call(service, i) for i in range(len(service.methods))]
    ops[0] = service_call(service, 0, values)
    ops += [service_call(s) for s in result.api.services if s.name in clashing]
    (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", ops)])
    first, *others = answer["results"]
    assert first["query"] == values
    assert sorted(map(tuple, first["params"])) == sorted(values.items())
    paths = [f"/v1/m{i}" for i in range(len(NAMES))]
    paths += [f"/v1/ping{i}" for i in range(len(clashing))]
    assert sorted(c["raw_path"] for c in others) == sorted(paths)
    assert len({m.class_name for m in result.api.models}) == len(NAMES)
    assert len({m.python_name for m in service.methods}) == len(service.methods)


def test_dunder_parameter_names_reach_the_wire(
    tmp_path: Path, baseline: Baseline
) -> None:
    names = ["__init__", "__class__", "__slots__"]
    method = method_doc(
        "getIt", "GET", "/x", *[(md(n), "string", "❌", "x") for n in names]
    )
    docs: dict[str, str | bytes] = {"S.md": service_doc("S", method)}
    values = {n: f"v{i}" for i, n in enumerate(names)}
    result = run(tmp_path, docs, "hostilepkg", baseline)
    (answer,) = probe(
        tmp_path,
        [
            job(
                tmp_path,
                "hostilepkg",
                [service_call(result.api.services[0], 0, values)],
            )
        ],
    )
    assert answer["results"][0]["query"] == values


def test_names_colliding_after_normalisation(
    tmp_path: Path, baseline: Baseline
) -> None:
    keys = ["userId", "user_id", "user-id", "UserID", "user id", "USER_ID"]
    docs: dict[str, str | bytes] = {
        "documentation/models/Pet.md": model_doc(
            "Pet", *[(md(k), "string", "❌", "x") for k in keys]
        )
        + model_doc("pet", ("other", "int", "❌", "x"))
        + model_doc("PET", ("third", "bool", "❌", "x")),
        "documentation/models/Owner.md": model_doc(
            "Owner",
            ("a", "Pet", "❌", "x"),
            ("b", "pet", "❌", "x"),
            ("c", "PET", "❌", "x"),
        ),
        "documentation/models/Kind.md": model_doc(
            "Kind",
            *[(md(k), "str", "✅", json.dumps(k)) for k in keys],
        ),
        "documentation/services/PetsService.md": service_doc(
            "Pets",
            *[
                method_doc(md(k), "GET", f"/p{i}", (md(k), "string", "❌", "x"))
                for i, k in enumerate(keys)
            ],
        ),
    }
    payload = {k: k for k in keys}
    owner = {"a": payload, "b": {"other": 1}, "c": {"third": True}}
    result, (pet, own, kind) = generate_and_import(
        tmp_path,
        docs,
        baseline,
        [
            {"op": "roundtrip", "cls": "Pet", "payload": payload},
            {"op": "roundtrip", "cls": "Owner", "payload": owner},
            {"op": "enum", "cls": "Kind"},
        ],
    )
    assert pet == {"to_dict": payload, "extra": {}}
    assert own == {"to_dict": owner, "extra": {}}
    assert kind == keys
    assert len({m.class_name for m in result.api.models}) == 4
    owner_model = next(m for m in result.api.models if m.name == "Owner")
    targets = [getattr(f.type, "target", None) for f in owner_model.fields]
    expected = [
        model_named(result.api, *keys).class_name,
        model_named(result.api, "other").class_name,
        model_named(result.api, "third").class_name,
    ]
    assert targets == expected
    methods = result.api.services[0].methods
    assert len({m.python_name for m in methods}) == len(keys)
    codes = {d.code for d in result.diagnostics.items}
    assert "name-collision" in codes
    ops = [
        service_call(result.api.services[0], i, {k: "v"}) for i, k in enumerate(keys)
    ]
    (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", ops)])
    assert [c["query"] for c in answer["results"]] == [{k: "v"} for k in keys]


COLLIDING_PARAMETERS = {
    "placeholders": (
        "/x/{user-id}/{userId}",
        [("user-id", "string", "✅", "x"), ("userId", "string", "✅", "y")],
    ),
    "same-query-name": (
        "/x",
        [("q", "string", "✅", "x"), ("q", "string", "✅", "y")],
    ),
    "same-header-name": (
        "/x",
        [("X-Trace", "string", "✅", "x"), ("xTrace", "string", "✅", "y")],
    ),
}


@pytest.mark.parametrize("case", list(COLLIDING_PARAMETERS))
def test_parameters_colliding_on_the_wire_are_sent_or_rejected(
    tmp_path: Path, baseline: Baseline, case: str
) -> None:
    endpoint, rows = COLLIDING_PARAMETERS[case]
    docs: dict[str, str | bytes] = {
        "S.md": service_doc("S", method_doc("getIt", "GET", endpoint, *rows))
    }
    result = run(tmp_path, docs, "hostilepkg", baseline)
    if not result.files:
        return  # an error diagnostic is a fine answer
    method = result.api.services[0].methods[0]
    args = [f"first{i}" for i, p in enumerate(method.parameters) if p.sent_in == "path"]
    kwargs = {
        p.python_name: f"value{i}"
        for i, p in enumerate(method.parameters)
        if p.sent_in != "path"
    }
    op = service_call_op(
        result.api.services[0].python_name, method.python_name, args, **kwargs
    )
    (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", [op])])
    call = answer["results"][0]
    sent = json.dumps(call)
    for value in [*args, *kwargs.values()]:
        assert value in sent, value
    assert "{" not in call["raw_path"] and "%7B" not in call["raw_path"]


def test_confusable_unicode_names(tmp_path: Path, baseline: Baseline) -> None:
    keys = ["field", "\ufb01eld", "name", "n\u0430me", "\u0430", "a", "Ａ", "ⅰ", "i"]
    docs: dict[str, str | bytes] = {
        "documentation/models/Pet.md": model_doc(
            "Pet", *[(k, "string", "❌", "x") for k in keys]
        )
        + model_doc("P\u0430y", ("x", "int", "❌", "x"))
        + model_doc("Pay", ("y", "int", "❌", "x"))
        + model_doc("\ufb01le", ("z", "int", "❌", "x"))
        + model_doc("file", ("w", "int", "❌", "x")),
    }
    payload = {k: f"v{i}" for i, k in enumerate(keys)}
    result, (rt,) = generate_and_import(
        tmp_path,
        docs,
        baseline,
        [{"op": "roundtrip", "cls": "Pet", "payload": payload}],
    )
    assert rt == {"to_dict": payload, "extra": {}}
    for name in [f.python_name for m in result.api.models for f in m.fields]:
        assert name.isascii()
    classes = [m.class_name for m in result.api.models]
    assert all(c.isascii() for c in classes)
    assert len(set(classes)) == len(classes)


def test_bidi_and_invisible_characters_never_reach_code_raw(
    tmp_path: Path, baseline: Baseline
) -> None:
    tricky = ["\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u00ad"]
    keys = [f"is{c}Admin" for c in tricky]
    docs: dict[str, str | bytes] = {
        "documentation/models/User.md": model_doc(
            "User\u202e",
            *[(k, "bool", "❌", f"desc {k} end") for k in keys],
            desc="access\u202e = 'admin' \u2066#\u2069",
        ),
        "documentation/models/Role.md": model_doc(
            "Role", *[(f"R{i}", "str", "✅", json.dumps(k)) for i, k in enumerate(keys)]
        ),
    }
    payload = {k: True for k in keys}
    _, (rt, role) = generate_and_import(
        tmp_path,
        docs,
        baseline,
        [
            {"op": "roundtrip", "cls": "User", "payload": payload},
            {"op": "enum", "cls": "Role"},
        ],
    )
    assert rt == {"to_dict": payload, "extra": {}}
    assert role == keys


def test_very_long_names(tmp_path: Path, baseline: Baseline) -> None:
    long = "a" * 5000
    docs: dict[str, str | bytes] = {
        "documentation/models/Long.md": model_doc(
            long + "Model",
            (long, "string", "✅", long),
            ("ref", long + "Model", "❌", "x"),
            desc=long,
        )
        + model_doc(
            long + "Kind",
            ("A", "str", "✅", json.dumps(long)),
            ("B", "str", "✅", '"b"'),
        ),
        "documentation/services/LongService.md": service_doc(
            long,
            method_doc(
                long,
                "GET",
                f"/{long}/{{{long}}}",
                (long, "string", "✅", long),
                ("q" + long, "string", "❌", long),
                desc=long,
            ),
        ),
    }
    result = run(tmp_path, docs, "hostilepkg", baseline)
    assert result.files, errors(result)
    assert all(len(Path(p).name) <= 110 for p in result.files)
    model = next(m for m in result.api.models if m.name == long + "Model")
    kind = result.api.enums[0]
    payload = {long: "x", "ref": {long: "y"}}
    ops = [
        {"op": "roundtrip", "cls": model.class_name, "payload": payload},
        {"op": "enum", "cls": kind.class_name},
        service_call(result.api.services[0], 0, {long: "p", "q" + long: "q"}),
    ]
    (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", ops)])
    rt, values, call = answer["results"]
    assert rt == {"to_dict": payload, "extra": {}}
    assert values == [long, "b"]
    assert call["path_params"] == {long: "p"}
    assert call["query"] == {"q" + long: "q"}
    assert call["raw_path"] == f"/v1/{long}/p?q{long}=q"


# --- values: enum injections, nan, huge ints --------------------------------------


def test_enum_values_that_look_like_code(tmp_path: Path, baseline: Baseline) -> None:
    values = [
        "'; import os; '",
        "1); __import__('os').system('touch CANARY') #",
        '"""',
        "\\",
        "{{ 7*7 }}",
        "{% raw %}",
        "nan",
        "inf",
        "-0",
        "None",
        "null",
        "True",
        "",
        " ",
        "\x00",
        "\r\n",
        "\u2028",
        "\x85",
    ]
    rows = [(f"V{i}", "str", "✅", enum_cell(v)) for i, v in enumerate(values)]
    docs: dict[str, str | bytes] = {"E.md": model_doc("E", *rows)}
    _, (got,) = generate_and_import(
        tmp_path, docs, baseline, [{"op": "enum", "cls": "E"}]
    )
    assert got == values


def test_integer_enums_with_odd_numbers(tmp_path: Path, baseline: Baseline) -> None:
    numbers = ["-0", "007", "9" * 4000, "-" + "9" * 4000, "1", "-1"]
    rows = [(f"V{i}", "int", "✅", n) for i, n in enumerate(numbers)]
    docs: dict[str, str | bytes] = {"E.md": model_doc("E", *rows)}
    result = run(tmp_path, docs, "hostilepkg", baseline)
    assert result.files, errors(result)
    (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", [ENUM_E])])
    expected = [0, 7, int("9" * 4000), -int("9" * 4000), 1, -1]
    assert answer["results"] == [expected]


@pytest.mark.parametrize("number", ["nan", "1e309", "-inf", "0x10", "1_000", "١٢"])
def test_numbers_that_are_not_integers(
    tmp_path: Path, baseline: Baseline, number: str
) -> None:
    """Never a float literal: a model with int fields, or an int enum."""
    rows = [("A", "int", "✅", number), ("B", "int", "✅", "2")]
    result = run(tmp_path, {"E.md": model_doc("E", *rows)}, "hostilepkg", baseline)
    assert result.files, errors(result)
    values = [m.value for e in result.api.enums for m in e.members]
    assert all(type(v) is int for v in values)
    probe(tmp_path, [job(tmp_path, "hostilepkg", [])])


def test_huge_integer_enum_value_is_a_spec_error(tmp_path: Path) -> None:
    rows = [("A", "int", "✅", "9" * 5000), ("B", "int", "✅", "2")]
    result = run(tmp_path, {"E.md": model_doc("E", *rows)}, "hostilepkg", None)
    assert not any(d.code == "internal" for d in result.diagnostics.items)


# --- type cells -------------------------------------------------------------------

TYPE_CELLS = [
    "os.system",
    "__import__('os')",
    "eval",
    "exec",
    "builtins.open",
    "typing.Any",
    "Callable",
    "Callable[[], None]",
    "List[Tag]",
    "dict[str, Any]",
    "Union[int, str]",
    "Union[int \\| str]",
    "Optional[os.system]",
    "Map<String, os.system>",
    "List[" * 100 + "str" + "]" * 100,
    "List[",
    "]",
    "[x](javascript:alert(1))",
    "[x](../../../../etc/passwd)",
    "Models\\..\\..\\x",
    "map[string]\\*os.File",
    "int; import os",
    "str # type: ignore",
    "`str`",
    "``",
    "str<br/>int",
]


@pytest.mark.parametrize("cell", TYPE_CELLS)
def test_hostile_type_cells(tmp_path: Path, baseline: Baseline, cell: str) -> None:
    docs: dict[str, str | bytes] = {
        "documentation/models/Typed.md": model_doc(
            "Typed", ("value", cell, "✅", "x"), ("other", "string", "❌", "x")
        ),
        "documentation/models/Tag.md": model_doc("Tag", ("id", "int", "✅", "x")),
    }
    result = run(tmp_path / "d", docs, "hostile_d", baseline)
    if result.files:
        check_annotation(result, tmp_path / "d" / "out" / "hostile_d")
        probe(tmp_path, [job(tmp_path / "d", "hostile_d", [])])


# --- Jinja syntax in spec text ----------------------------------------------------


def test_jinja_syntax_is_data(tmp_path: Path, baseline: Baseline) -> None:
    texts = [
        "{{ 7*7 }}",
        "{% raw %}",
        "{% endraw %}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% for x in range(3) %}{{ x }}{% endfor %}",
        "{# comment",
        "{{ header }}",
        "{% include 'client.py.jinja' %}",
        "{{ cycler.__init__.__globals__.os.popen('touch CANARY') }}",
    ]
    desc = "<br/>".join(md(t) for t in texts)
    docs: dict[str, str | bytes] = {
        "documentation/models/Pet.md": model_doc(
            "Pet",
            *[(md(t), "string", "❌", md(t)) for t in texts],
            desc=desc,
        )
        + model_doc(
            "Kind", *[(f"V{i}", "str", "✅", enum_cell(t)) for i, t in enumerate(texts)]
        ),
        "documentation/services/JinjaService.md": service_doc(
            "{{ 7*7 }}", method_doc("{% raw %}", "GET", "/x", desc=desc)
        ),
    }
    payload = {t: t for t in texts}
    result = run(tmp_path, docs, "hostilepkg", baseline)
    assert result.files, errors(result)
    ops = [
        {"op": "roundtrip", "cls": "Pet", "payload": payload},
        {"op": "enum", "cls": "Kind"},
        {"op": "doc", "obj": "Pet"},
        service_call(result.api.services[0]),
    ]
    (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", ops)])
    rt, kind, doc, call = answer["results"]
    assert rt == {"to_dict": payload, "extra": {}}
    assert kind == texts
    assert norm(doc) == "\n".join(texts)
    assert "\n".join(texts) in norm(call["doc"])
    assert call["service_doc"] == "The {{ 7*7 }} endpoints."
    generated = [t for p, t in result.files.items() if p not in RUNTIME]
    assert not any("49" in text for text in generated)


# --- path traversal: headings and file names never become paths -------------------

TRAVERSALS = [
    "../../x",
    "../../../../../../tmp/pwned",
    "/etc/passwd",
    "..\\..\\windows",
    "a/b",
    "..",
    ".",
    "~",
    "con",
    "aux",
    "COM1",
    "__init__",
    "models",
    "services",
    "client",
    "_runtime",
    "_http",
    "py.typed",
    "errors",
]


def test_headings_never_escape_the_output_folder(
    tmp_path: Path, baseline: Baseline
) -> None:
    docs: dict[str, str | bytes] = {
        f"documentation/models/M{i}.md": model_doc(md(h), (f"id{i}", "int", "❌", "x"))
        for i, h in enumerate(TRAVERSALS)
    }
    for i, h in enumerate(TRAVERSALS):
        docs[f"documentation/services/S{i}.md"] = service_doc(
            md(h), method_doc(md(h), "GET", "/../../" + h.replace("\\", "/"))
        )
    result = run(tmp_path, docs, "hostilepkg", baseline)
    assert result.files, errors(result)
    probe(tmp_path, [job(tmp_path, "hostilepkg", [])])
    assert len(result.api.models) == len(TRAVERSALS)
    expected = {"__init__.py", "client.py", "errors.py", *RUNTIME_MODULES}
    top = {p for p in result.files if "/" not in p} - {"README.md"}
    assert top == expected | {"py.typed"}
    lower = [p.lower() for p in result.files]
    assert len(set(lower)) == len(lower)  # also safe on case-insensitive disks


def test_cli_keeps_every_write_inside_out(tmp_path: Path, cli_cache: Path) -> None:
    work = tmp_path / "work"
    specs = write_specs(
        work / "specs",
        {
            f"M{i}.md": model_doc(md(h), ("id", "int", "❌", "x"))
            for i, h in enumerate(TRAVERSALS)
        },
    )
    before = tree(tmp_path)
    proc = cli(
        "generate",
        str(specs),
        "--out",
        str(work / "out" / "pkg"),
        cwd=work,
        cache=cli_cache,
    )
    assert proc.returncode == 0, proc.stderr
    created = tree(tmp_path) - before
    outside = [p for p in created if not p.startswith("work/out")]
    assert created and not outside, outside


# --- the command line -------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One formatting cache for the module's CLI runs (outside their folders)."""
    return tmp_path_factory.mktemp("cli_cache")


def cli(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` with the formatting cache in ``cache``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    env["DOCS2PY_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        errors="replace",
        env=env,
        timeout=120,
    )


CLI_CASES: dict[str, dict[str, str | bytes]] = {
    "nul": {
        "Pet.md": "# Pet\n\n**Properties**\n\n" + HEADER + "| id\x00 | x | ✅ | |\n"
    },
    "bad-utf8": {"Pet.md": b"# Pet\n\n\xff\xfe\n"},
    "carriage-returns": {
        "Pet.md": model_doc("Pet", ("a\rb", "string", "✅", "x\r# coding: utf-7"))
    },
    "newline-file-name": {
        "a\nb: error: fake [x].md": model_doc("Pet", ("id", "int", "✅", "x")),
        "x\r.md": service_doc(None, method_doc("ping", "GET", "/ping")),
    },
    "payloads": {
        **docs_models("1); __import__('os').system('touch CANARY') #"),
        **docs_service('"""); open("CANARY", "w"); ("""'),
    },
    "type-cells": {"T.md": model_doc("T", ("v", "__import__('os')", "✅", "x"))},
    "traversal": {"M.md": model_doc("../../../x", ("id", "int", "✅", "x"))},
    "unbound": docs_path("{{ 7*7 }}"),
}


CLI_RUNS = [(case, "text") for case in CLI_CASES]
CLI_RUNS += [(case, "json") for case in ("nul", "newline-file-name", "payloads")]


@pytest.mark.parametrize("case, style", CLI_RUNS)
def test_cli_never_prints_a_traceback(
    tmp_path: Path, cli_cache: Path, case: str, style: str
) -> None:
    specs = write_specs(tmp_path / "specs", CLI_CASES[case])
    before = tree(tmp_path)
    out = tmp_path / "out" / "pkg"
    args = ["generate", str(specs), "--out", str(out), "--format", style]
    proc = cli(*args, cwd=tmp_path, cache=cli_cache)
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not canaries(tmp_path)
    created = tree(tmp_path) - before
    assert all(p.startswith("out") for p in created), created
    if style == "json":
        document = json.loads(proc.stdout)
        assert {"diagnostics", "summary"} <= set(document)
    if proc.returncode == 0:
        for path in out.rglob("*.py"):
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        subprocess.run(
            [sys.executable, "-c", "import pkg, pkg.client, pkg.models"],
            cwd=tmp_path / "out",
            check=True,
            capture_output=True,
        )
        assert not canaries(tmp_path)
    else:
        assert not out.exists()
        if style == "text":
            assert re.search(r":\d+: error: |: error: ", proc.stderr), proc.stderr


def test_cli_nul_and_utf8_errors_name_file_and_line(
    tmp_path: Path, cli_cache: Path
) -> None:
    spec = tmp_path / "Pet.md"
    spec.write_bytes(b"# Pet\n\nok\n\nbad \x00 here\n")
    proc = cli(
        "generate",
        str(spec),
        "--out",
        str(tmp_path / "p"),
        cwd=tmp_path,
        cache=cli_cache,
    )
    assert proc.returncode == 1
    assert f"{spec.as_posix()}:5: error: NUL" in proc.stderr
    spec.write_bytes(b"# Pet\n\nok\n\n\n\xed\xa0\x80\n")
    proc = cli(
        "generate",
        str(spec),
        "--out",
        str(tmp_path / "p"),
        cwd=tmp_path,
        cache=cli_cache,
    )
    assert proc.returncode == 1
    assert f"{spec.as_posix()}:6: error: not valid UTF-8" in proc.stderr


@pytest.mark.parametrize(
    "package", ["class", "a b", "x; import os", "../x", "\u202eabc", "café"]
)
def test_cli_rejects_hostile_package_names(
    tmp_path: Path, cli_cache: Path, package: str
) -> None:
    spec = write_specs(tmp_path, {"Pet.md": model_doc("Pet", ("id", "int", "✅", ""))})
    proc = cli(
        "generate",
        str(spec / "Pet.md"),
        "--out",
        str(tmp_path / "out"),
        "--package",
        package,
        cwd=tmp_path,
        cache=cli_cache,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "package", ["class", "a b", "x; import os", "../x", "\u202eabc", "café"]
)
def test_generate_rejects_hostile_package_names(tmp_path: Path, package: str) -> None:
    """A direct caller of generate() gets an error diagnostic, not an exception."""
    spec = write_specs(tmp_path, {"Pet.md": model_doc("Pet", ("id", "int", "✅", ""))})
    result = generate([spec], package=package)
    assert result.files == {}
    (error,) = [d for d in result.diagnostics.items if d.level is Level.ERROR]
    assert error.code == "usage" and repr(package) in error.message


def test_hostile_wire_key_overrides(tmp_path: Path, baseline: Baseline) -> None:
    key = "1); __import__('os').system('touch CANARY') #\"\"\"\n\u2028"
    settings = Settings(wire_key_overrides={"Pet": {"id": key}})
    docs: dict[str, str | bytes] = {"Pet.md": model_doc("Pet", ("id", "int", "✅", ""))}
    _, (rt,) = generate_and_import(
        tmp_path,
        docs,
        baseline,
        [{"op": "roundtrip", "cls": "Pet", "payload": {key: 1}}],
        settings,
    )
    assert rt == {"to_dict": {key: 1}, "extra": {}}


# --- the generated client: hostile values at call time ----------------------------


def test_path_parameter_values_are_escaped(tmp_path: Path, baseline: Baseline) -> None:
    docs: dict[str, str | bytes] = {
        "S.md": service_doc(
            "S",
            method_doc(
                "getIt", "GET", "/things/{id}/x", ("id", "string", "✅", "The id.")
            ),
        )
    }
    values = ["a/b", "../x", "?q=1", "#frag", "a b", "%2F", "\u202e", "\r\nX: y"]
    result = run(tmp_path, docs, "hostilepkg", baseline)
    ops = [service_call(result.api.services[0], 0, {"id": v}) for v in values]
    (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", ops)])
    for value, call in zip(values, answer["results"], strict=True):
        assert call["raw_path"] == f"/v1/things/{quote(value, safe='')}/x"


@pytest.mark.parametrize("value", ["..", "."])
def test_dot_segment_path_values_stay_in_their_segment(
    tmp_path: Path, baseline: Baseline, value: str
) -> None:
    docs: dict[str, str | bytes] = {
        "S.md": service_doc(
            "S",
            method_doc(
                "getIt", "GET", "/things/{id}/x", ("id", "string", "✅", "The id.")
            ),
        )
    }
    result = run(tmp_path, docs, "hostilepkg", baseline)
    ops = [service_call(result.api.services[0], 0, {"id": value})]
    (answer,) = probe(tmp_path, [job(tmp_path, "hostilepkg", ops)])
    raw_path = answer["results"][0]["raw_path"]
    assert raw_path.startswith("/v1/things/") and raw_path.count("/") == 4, raw_path


@pytest.mark.parametrize("char", ["\t", "\x0c", "\x0b", "\x1c", "\x7f"])
def test_endpoint_control_chars(tmp_path: Path, baseline: Baseline, char: str) -> None:
    """Warned about, and sent percent-encoded (httpx refuses them raw)."""
    method = method_doc("getIt", "GET", f"/x/a{char}b")
    result = run(tmp_path, {"S.md": service_doc("S", method)}, "hostilepkg", baseline)
    warned = [d.code for d in result.diagnostics.items if d.level >= Level.WARNING]
    assert warned == ["endpoint-control"]
    (answer,) = probe(
        tmp_path, [job(tmp_path, "hostilepkg", [service_call(result.api.services[0])])]
    )
    assert answer["results"][0]["raw_path"] == f"/v1/x/a%{ord(char):02X}b"


# --- Markdown structure that swallows or shifts text ------------------------------


def test_heading_after_a_list_keeps_its_line(tmp_path: Path) -> None:
    model = "# A\n\nValues:\n\n- one\n- two\n\n# B\n\nB text.\n\n**Properties**\n\n"
    model += table(("id", "string", "✅", "x"))
    service = service_doc(
        "S",
        "## first\n\n- HTTP Method: `GET`\n- Endpoint: `/a`\n\n",
        "## second\n\n- HTTP Method: `GET`\n- Endpoint: `/b`\n\n",
    )
    files: dict[str, str | bytes] = {
        "documentation/models/A.md": model,
        "documentation/services/S.md": service,
    }
    result = run(tmp_path, files, "hostilepkg", None)
    assert result.files, errors(result)
    a = next(u for u in result.api.unions if u.name == "A")
    b = next(m for m in result.api.models if m.name == "B")
    assert a.description == "Values:\n\n- one\n- two"
    assert (b.location.line, b.description) == (8, "B text.")
    assert [m.name for m in result.api.services[0].methods] == ["first", "second"]


def test_heading_right_under_a_paragraph(tmp_path: Path) -> None:
    model = "# A\n\nA text.\n# B\n\n**Properties**\n\n" + table(
        ("id", "string", "✅", "")
    )
    result = run(tmp_path, {"A.md": model}, "hostilepkg", None)
    assert result.files, errors(result)
    b = next(m for m in result.api.models if m.name == "B")
    assert [f.name for f in b.fields] == ["id"]
    assert not any(d.name == "A" and isinstance(d, Model) for d in result.api.models)


@pytest.mark.parametrize("opener", ["```", "~~~", "<!-- note", "<script>"])
def test_description_that_opens_a_block_does_not_hide_tables(
    tmp_path: Path, opener: str
) -> None:
    files: dict[str, str | bytes] = {
        "documentation/models/Pet.md": model_doc(
            "Pet", ("id", "string", "✅", "x"), desc=f"Text.\n\n{opener}"
        ),
        "documentation/services/S.md": service_doc(
            "S",
            method_doc("first", "GET", "/a", ("q", "int", "❌", "x"), desc=opener),
            method_doc("second", "GET", "/b", ("q", "int", "❌", "x")),
        ),
    }
    result = run(tmp_path, files, "hostilepkg", None)
    warned = {
        d.line
        for d in result.diagnostics.items
        if d.level >= Level.WARNING and "Pet" in d.path
    }
    pet = [m for m in result.api.models if m.name == "Pet"]
    assert (pet and pet[0].fields) or warned
    methods = [m.name for s in result.api.services for m in s.methods]
    service_diags = [
        d
        for d in result.diagnostics.items
        if d.level >= Level.WARNING and "S.md" in d.path
    ]
    assert methods == ["first", "second"] or service_diags


def test_union_made_only_of_itself_is_any(tmp_path: Path, baseline: Baseline) -> None:
    """Found by bench/fuzz.py (seed 8): its alias was left without a value."""
    doc = (
        "# List\n\nThis is a union type which means it could be any of several "
        "possible types.\n\n# List\n\n"
        "See all details about List model [here](List.md).\n"
    )
    result = run(tmp_path, {"List.md": doc}, "hostilepkg", baseline)
    assert result.files, errors(result)
    assert "List: _t.TypeAlias = _rt.Any\n" in result.files["models/list.py"]
