"""Long-running fuzzer: random valid and mutated schema docs through the pipeline.

    python bench/fuzz.py --docs 100000 --seed 1
    python bench/fuzz.py --seed 1 --only 4711     # re-run one doc

Doc ``i`` of a run is built from ``random.Random(f"{seed}:{i}")`` alone, so any
doc can be reproduced by its seed and index.  A third of the docs are valid
liblab-style doc sets (model docs, service docs, sometimes a README, in the
dialects of the corpus); the rest are such sets after 1-6 mutations (cut
tables, dropped/duplicated/swapped/shuffled lines, shuffled columns, injected
characters — ``|``, backticks, ``\\r``, control characters, bidi controls,
Markdown and Jinja syntax — truncation, invalid UTF-8 bytes).

Each doc set goes through ``load`` + ``Renderer.render`` + ``compile`` of every
.py source from its UTF-8 bytes (no black, for speed); every ``--full``-th doc
(default 1000) also goes through ``generate()`` with black.  Outcomes:

* ok: files, no error diagnostics, every .py compiles from its UTF-8 bytes and
  has no PEP 263 coding cookie on lines 1-2 (which would change its meaning);
* failed-with-diagnostics: error diagnostics about the spec;
* internal: a generator bug reported without raising — an ``internal`` error
  diagnostic (an exception caught by the pipeline), a template/format error, a
  RenderError, or generated code that does not compile;
* crashes: an uncaught exception.

Internal and crash docs are printed and saved under bench/fuzz-failures/ (the
spec files plus ``failure.txt``).  Exit status 1 if there was any crash or
internal failure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.core import generate, load  # noqa: E402
from generator.diagnostics import Diagnostics, Level  # noqa: E402
from generator.render.renderer import Renderer, RenderError, environment  # noqa: E402
from generator.settings import Settings  # noqa: E402

FAILURES = HERE / "fuzz-failures"
BUG_CODES = frozenset(["internal", "template", "bad-output"])
Files = dict[str, "str | bytes"]

# --- vocabulary (the dialects of /work/shared/corpus/DIALECTS.md) -----------------

PRIMITIVES = [
    "string",
    "str",
    "String",
    "number",
    "int",
    "integer",
    "Long",
    "long",
    "int64",
    "Int32",
    "float",
    "Double",
    "double",
    "float64",
    "decimal",
    "boolean",
    "bool",
    "Boolean",
    "any",
    "object",
    "Object",
    "mixed",
    "dict",
    "dictionary",
    "Dictionary",
    "array",
    "bytes",
    "ArrayBuffer",
    "binary",
    "byte[]",
    "[]byte",
    "interface{}",
    "unknown",
    "uuid",
    "char",
]
WORDS = [
    "id",
    "name",
    "user",
    "created",
    "at",
    "type",
    "class",
    "from",
    "status",
    "value",
    "data",
    "item",
    "list",
    "meta",
    "owner",
    "tag",
    "count",
    "page",
    "next",
    "self",
    "match",
    "case",
    "None",
    "True",
    "field",
    "Optional",
    "str",
]
ODD_NAME_PARTS = ["_", "\\_", "-", "$", "1", "é", "ñ", "Ω", "数据", "ﬁ", " "]
DESC_PARTS = [
    "The",
    "**bold**",
    "`code`",
    "[link](https://x.test/a)",
    "<br/>",
    "&nbsp;",
    "\\|",
    '"quoted"',
    "it's",
    "ünïcödé",
    "\\_",
    "*",
    "null",
    "e.g.",
    "→",
    "{{",
    "x",
    "}}",
    "'''",
    '"""',
    "\\",
    "%",
    "#",
    "~",
    "<b>tag</b>",
    "&amp;",
]
VERBS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "get", "Options"]
INJECT_CHARS = (
    "|`\r\n\t\x00\x01\x0b\x0c\x1b\x7f\x85\u2028\u2029\u202e\u200b\ufeff"
    "#*_{}[]()<>\"'\\!&;:-=~ aé数🐍\ud800"
)
INJECT_SNIPPETS = [
    "**Properties**",
    "| Name | Type | Required | Description |",
    "| :--- | :--- | :--- | :--- |",
    "- HTTP Method: `GET`",
    "- Endpoint: `/x/{id}`",
    "**Parameters**",
    "**Return Type**",
    "```",
    "~~~",
    "<!--",
    "-->",
    "# ",
    "## ",
    "<br/>",
    "&#0;",
    "&#x202E;",
    "\\",
    '"""',
    "'''",
    "{{ 7*7 }}",
    "{% raw %}",
    "# -*- coding: utf-7 -*-",
    "+AAo-",
    "    | x | str | ✅ | y |",
    "This is a union type which means it could be any of several possible types.",
    "See all details about X model [here](X.md).",
    "1); __import__('os').system('touch CANARY') #",
]


# --- valid doc sets ---------------------------------------------------------------


class DocBuilder:
    """Builds one random, valid doc set (paths → text)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.php = rng.random() < 0.1  # indented rows, compact alignment

    def pascal(self) -> str:
        n = self.rng.randint(1, 3)
        name = "".join(w.capitalize() for w in self.rng.sample(WORDS, n))
        if self.rng.random() < 0.1:
            name += self.rng.choice(["_1", "2", "\\_", "Dto", "_2Data"])
        return name

    def prop(self) -> str:
        words = self.rng.sample(WORDS, self.rng.randint(1, 2))
        name = words[0] + "".join(w.capitalize() for w in words[1:])
        if self.rng.random() < 0.15:
            at = self.rng.randint(0, len(name))
            name = name[:at] + self.rng.choice(ODD_NAME_PARTS) + name[at:]
        return name.strip() or "x"

    def desc(self, lines: int = 1) -> str:
        out = []
        for _ in range(lines):
            parts = self.rng.choices(DESC_PARTS, k=self.rng.randint(0, 8))
            line = " ".join(parts).strip()
            if line and not line[0].isalpha():  # not a heading, list, fence…
                line = "Text " + line
            out.append(line)
        return "\n".join(line for line in out if line)

    def cell_desc(self) -> str:
        return self.desc().replace("\n", " ")  # its only '|' are escaped

    def type_(self, models: list[str], depth: int = 0) -> str:
        r = self.rng.random()
        if not models or r < 0.45 or depth > 1:
            return self.rng.choice(PRIMITIVES)
        m = self.rng.choice(models)
        if r < 0.7:
            forms = [m, f"[{m}]({m}.md)", f"[{m}](../models/{m}.md)", f"pkg.{m}"]
            return self.rng.choice(forms)
        inner = self.type_(models, depth + 1)
        forms = [
            f"{inner}[]",
            f"List[{inner}]",
            f"List<{inner}>",
            f"List`<{inner}>`",
            f"List\\<{inner}\\>",
            f"[]{inner}",
            f"Map<String, {inner}>",
            f"map[string]\\*{inner}",
            f"Dict[str, {inner}]",
            f"OneOf<{inner}, {self.type_(models, depth + 1)}>",
            f"[{m}]({m}.md)[]",
        ]
        return self.rng.choice(forms)

    def table(self, rows: list[tuple[str, str, str, str]]) -> str:
        align = "| :-------- | :----------| :----------| :----------|"
        if not self.php:
            align = "| :--- | :--- | :------- | :---------- |"
        indent = "    " if self.php else ""
        body = "".join(f"{indent}| {' | '.join(r)} |\n" for r in rows)
        return "| Name | Type | Required | Description |\n" + align + "\n" + body

    def model_block(self, name: str, models: list[str]) -> str:
        text = f"# {name}\n\n" + ("\n\n" if self.php else "")
        if self.rng.random() < 0.4:
            text += self.desc(self.rng.randint(1, 3)) + "\n\n"
        rows = []
        props = [self.prop() for _ in range(self.rng.randint(1, 6))]
        # one wire key each: liblab's reserved-word '_' suffix is dropped
        unique = {p.replace("\\_", "_").rstrip("_"): p for p in props}
        for prop in unique.values():
            required = self.rng.choice(["✅", "❌", "❌", ""])
            rows.append((prop, self.type_(models), required, self.cell_desc()))
        return text + "**Properties**\n\n" + self.table(rows) + "\n"

    def enum_block(self, name: str) -> str:
        kind = self.rng.choice(["str", "int", "php"])
        rows = []
        for i in range(self.rng.randint(1, 5)):
            value = self.desc().replace("\n", " ") or f"v{i}"
            if kind == "str":
                cell = json.dumps(value, ensure_ascii=False).replace("|", "\\|")
                rows.append((f"V{i}", "str", "✅", cell))
            elif kind == "int":
                rows.append((f"\\_{i}", "int", "✅", str(self.rng.randint(-9, 99))))
            else:
                rows.append((f"Value{i}", "string", "", f"value_{i}"))
        return f"# {name}\n\n**Properties**\n\n" + self.table(rows) + "\n"

    def union_blocks(self, name: str, models: list[str]) -> str:
        if self.rng.random() < 0.5:
            text = f"# {name}\n\n"
            for i in (1, 2):
                text += self.model_block(f"{name}_{i}", models)
            return text
        text = f"# {name}\n\nThis is a union type which means it could be any of "
        text += "several possible types.\n\n"
        for m in models[:2] or ["Missing"]:
            text += f"# {m}\n\nSee all details about {m} model [here]({m}.md).\n\n"
        return text

    def model_file(self, names: list[str], known: list[str]) -> str:
        text = ""
        for name in names:
            r = self.rng.random()
            if r < 0.6:
                text += self.model_block(name, known)
            elif r < 0.8:
                text += self.enum_block(name)
            elif r < 0.9:
                text += self.union_blocks(name, known)
            else:
                text += f"# {name}\n\n{self.desc()}\n\n"
        if self.rng.random() < 0.5:
            text += "<!-- This file was generated by liblab | https://liblab.com/ -->\n"
        return text

    def method(self, models: list[str]) -> str:
        name = self.prop()
        props = [self.prop() for _ in range(4)]
        unique = list({squash(p): p for p in props if squash(p)}.values())
        first, *others = unique or ["id"]
        params = [(first, self.rng.choice(["string", "int", "number"]), "✅", "")]
        holes = [first] if self.rng.random() < 0.8 else []
        path = "/" + "/".join(
            [self.rng.choice(WORDS)] + ["{" + self.spell(h) + "}" for h in holes]
        )
        for prop in others[: self.rng.randint(0, 3)]:
            required = self.rng.choice(["✅", "❌"])
            params.append((prop, self.type_(models), required, self.cell_desc()))
        if models and self.rng.random() < 0.4:
            params.insert(0, ("body", self.type_(models), "✅", "The request body."))
        text = (
            f"## {name}\n\n{self.desc()}\n\n- HTTP Method: `{self.rng.choice(VERBS)}`\n"
        )
        text += f"- Endpoint: `{path}`\n\n"
        if holes or self.rng.random() < 0.95:
            text += "**Parameters**\n\n" + self.table(params) + "\n"
        if self.rng.random() < 0.8:
            text += f"**Return Type**\n\n`{self.type_(models)}`\n\n"
        snippet = "client.call()  # ``` {{ x }}"
        return text + f"**Example Usage Code Snippet**\n\n```python\n{snippet}\n```\n\n"

    def spell(self, name: str) -> str:
        """A placeholder spelling of a parameter name (case/underscores vary)."""
        return self.rng.choice([name, name.lower(), name.replace("_", "")])

    def service_file(self, title: str, models: list[str]) -> str:
        text = f"# {title}\n\nA list of all methods in the `{title}` service.\n\n"
        text += "| Methods | Description |\n| :--- | :--- |\n| [m](#m) | x |\n\n"
        for _ in range(self.rng.randint(0, 4)):
            text += self.method(models)
        return text

    def build(self) -> Files:
        names = list(
            dict.fromkeys(self.pascal() for _ in range(self.rng.randint(1, 6)))
        )
        files: Files = {}
        per_file = max(1, len(names) // self.rng.randint(1, 3))
        for i in range(0, len(names), per_file):
            chunk = names[i : i + per_file]
            stem = chunk[0].replace("\\", "")
            files[f"documentation/models/{stem}.md"] = self.model_file(chunk, names)
        for _ in range(self.rng.randint(0, 2)):
            title = self.pascal() + "Service"
            files[f"documentation/services/{title}.md"] = self.service_file(
                title, names
            )
        if self.rng.random() < 0.2:
            files["README.md"] = (
                "# SDK\n\n## Environments\n\n```ts\nproduction = "
                "'https://api.example.test/v1';\n```\n"
            )
        return files


# --- mutations --------------------------------------------------------------------


def _lines(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    i, j = sorted(rng.sample(range(len(lines)), 2))
    op = rng.choice(["drop", "dup", "swap", "shuffle", "drop-range"])
    if op == "drop":
        del lines[i]
    elif op == "dup":
        lines.insert(i, lines[i])
    elif op == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "shuffle":
        part = lines[i : j + 1]
        rng.shuffle(part)
        lines[i : j + 1] = part
    else:
        del lines[i : j + 1]
    return "\n".join(lines)


def _columns(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if line.count("|") >= 3]
    if not rows:
        return text
    i = rng.choice(rows)
    cells = lines[i].split("|")
    inner = cells[1:-1]
    op = rng.random()
    if op < 0.5:
        rng.shuffle(inner)
    elif op < 0.75 and inner:
        del inner[rng.randrange(len(inner))]
    else:
        inner.insert(rng.randrange(len(inner) + 1), " extra ")
    lines[i] = "|".join([cells[0], *inner, cells[-1]])
    return "\n".join(lines)


def _inject(rng: random.Random, text: str) -> str:
    if rng.random() < 0.5:
        chunk = "".join(rng.choices(INJECT_CHARS, k=rng.randint(1, 4)))
    else:
        chunk = rng.choice(INJECT_SNIPPETS)
        if rng.random() < 0.5:
            chunk = "\n" + chunk + "\n"
    at = rng.randint(0, len(text))
    return text[:at] + chunk + text[at:]


def _replace(rng: random.Random, text: str) -> str:
    if not text:
        return text
    at = rng.randrange(len(text))
    return text[:at] + rng.choice(INJECT_CHARS) + text[at + 1 :]


def _truncate(rng: random.Random, text: str) -> str:
    return text[: rng.randint(0, len(text))]


def _cut_table(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    marks = [i for i, s in enumerate(lines) if s.lstrip().startswith("| :")]
    if not marks:
        return text
    i = rng.choice(marks)
    del lines[i - rng.randint(0, 1)]
    return "\n".join(lines)


MUTATIONS: list[Callable[[random.Random, str], str]] = [
    _lines,
    _lines,
    _columns,
    _inject,
    _inject,
    _inject,
    _replace,
    _truncate,
    _cut_table,
]


def mutate(rng: random.Random, files: Files) -> Files:
    """1-6 mutations of the texts; sometimes invalid UTF-8 bytes."""
    out = dict(files)
    for _ in range(rng.randint(1, 6)):
        path = rng.choice(sorted(out))
        text = out[path]
        if isinstance(text, str):
            out[path] = rng.choice(MUTATIONS)(rng, text)
    if rng.random() < 0.03:
        path = rng.choice(sorted(out))
        data = str(out[path]).encode("utf-8", "surrogatepass")
        at = rng.randint(0, len(data))
        bad = rng.choice([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82"])
        out[path] = data[:at] + bad + data[at:]
    return out


def make_doc(seed: int, index: int) -> tuple[Files, bool]:
    """Doc set ``index`` of run ``seed`` and whether it was mutated."""
    rng = random.Random(f"{seed}:{index}")
    files = DocBuilder(rng).build()
    if rng.random() < 1 / 3:
        return files, False
    return mutate(rng, files), True


# --- running one doc set ----------------------------------------------------------


def squash(name: str) -> str:
    """How the generator compares parameter names (letters and digits only)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def write_doc(folder: Path, files: Files) -> None:
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))


CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_CHECKED: set[int] = set()


def check_python(path: str, text: str) -> str | None:
    """Why ``text`` is not safe Python source, or None.

    It must compile from its UTF-8 bytes and have no PEP 263 cookie (which
    only counts on lines 1-2) that would make the bytes mean something else.
    Texts already checked (the verbatim runtime modules) are skipped.
    """
    key = hash(text)
    if key in _CHECKED:
        return None
    if any(CODING.match(line) for line in text.split("\n", 2)[:2]):
        return f"{path} has a coding cookie on line 1 or 2"
    try:
        compile(text.encode("utf-8"), path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"{path} does not compile: {exc}"
    if len(_CHECKED) > 100_000:
        _CHECKED.clear()
    _CHECKED.add(key)
    return None


def bug_diagnostics(diags: Diagnostics) -> list[str]:
    return [
        d.format()
        for d in diags.items
        if d.level is Level.ERROR and d.code in BUG_CODES
    ]


def run_fast(folder: Path, env: object) -> tuple[str, str]:
    """(outcome, detail) for load + render + compile; exceptions propagate."""
    diags = Diagnostics()
    api = load([folder], Settings(), diags)
    bugs = bug_diagnostics(diags)
    if bugs:
        return "internal", "\n".join(bugs)
    if diags.has_errors:
        return "failed-with-diagnostics", ""
    try:
        sources = Renderer(env, api, "fuzzpkg").render()  # type: ignore[arg-type]
    except RenderError as exc:
        return "internal", f"RenderError: {exc}"
    for source in sources:
        if source.path.endswith(".py"):
            problem = check_python(source.path, source.text)
            if problem:
                return "internal", problem
    return "ok", ""


def run_full(folder: Path) -> tuple[str, str]:
    """(outcome, detail) for ``generate()`` with black."""
    result = generate([folder], package="fuzzpkg")
    bugs = bug_diagnostics(result.diagnostics)
    if bugs:
        return "internal", "\n".join(bugs)
    if result.diagnostics.has_errors:
        if result.files:
            return "internal", "error diagnostics and files"
        return "failed-with-diagnostics", ""
    if not result.files:
        return "internal", "no files and no error"
    for path, text in result.files.items():
        problem = check_python(path, text) if path.endswith(".py") else None
        if problem:
            return "internal", problem
    return "ok", ""


def save_failure(seed: int, index: int, files: Files, detail: str) -> Path:
    folder = FAILURES / f"seed{seed}-doc{index}"
    shutil.rmtree(folder, ignore_errors=True)
    write_doc(folder / "specs", files)
    command = f"python bench/fuzz.py --seed {seed} --only {index}"
    (folder / "failure.txt").write_text(f"{command}\n\n{detail}\n", "utf-8")
    return folder


def run_one(
    seed: int, index: int, work: Path, env: object, full: bool
) -> tuple[str, str, Files]:
    files, _ = make_doc(seed, index)
    for path in work.rglob("*"):  # keep the folders: rmdir is slow on some disks
        if path.is_file():
            path.unlink()
    write_doc(work, files)
    try:
        outcome, detail = run_full(work) if full else run_fast(work, env)
    except Exception:
        return "crashes", traceback.format_exc(), files
    return outcome, detail, files


# --- the command line -------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs", type=int, default=10000, help="doc sets with indices below this"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--start", type=int, default=0, help="first doc index (split a run: 0-N, N-M)"
    )
    parser.add_argument("--only", type=int, help="run only this doc index")
    parser.add_argument(
        "--full", type=int, default=1000, help="every Nth doc through generate()"
    )
    parser.add_argument("--progress", type=int, default=10000)
    args = parser.parse_args(argv)
    indices = [args.only] if args.only is not None else range(args.start, args.docs)
    env = environment()
    counts: Counter[str] = Counter()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="docs2py-fuzz-") as tmp:
        work = Path(tmp) / "doc"
        for n, index in enumerate(indices, 1):
            full = args.only is not None or (args.full and index % args.full == 0)
            outcome, detail, files = run_one(args.seed, index, work, env, bool(full))
            counts[outcome] += 1
            counts["full"] += bool(full)
            if outcome in ("internal", "crashes"):
                saved = save_failure(args.seed, index, files, detail)
                print(f"doc {index}: {outcome}: {detail.strip()}\n  saved in {saved}")
            if n % args.progress == 0:
                print(summary(n, counts, time.perf_counter() - start), flush=True)
    print(summary(len(indices), counts, time.perf_counter() - start))
    return 1 if counts["crashes"] or counts["internal"] else 0


def summary(n: int, counts: Counter[str], elapsed: float) -> str:
    return (
        f"docs={n} ok={counts['ok']} "
        f"failed-with-diagnostics={counts['failed-with-diagnostics']} "
        f"internal={counts['internal']} crashes={counts['crashes']} "
        f"(full generate() runs: {counts['full']}) "
        f"elapsed={elapsed:.1f}s ({n / max(elapsed, 1e-9):.1f} docs/s)"
    )


if __name__ == "__main__":
    sys.exit(main())
