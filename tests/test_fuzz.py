"""Property-based fuzzing of the whole pipeline with hypothesis.

Strategies build valid liblab-style doc sets (model docs with models, enums,
unions and opaque headings; service docs with methods, path placeholders,
parameter tables and return types; identifiers in ASCII and other scripts; the
type spellings of every SDK dialect; descriptions with Markdown) and mutations
of them (cut tables, dropped/duplicated/swapped/shuffled lines, shuffled
columns, injected characters: ``|``, backticks, ``\\r``, control characters,
bidi controls, lone surrogates, Markdown and Jinja syntax).

Property: the pipeline never raises.  It either returns files with no error
diagnostics, every .py of which compiles from its UTF-8 bytes (with no PEP 263
cookie on lines 1-2), or it returns error diagnostics and no files.  An error
diagnostic must not be a generator bug in disguise (``internal``: an exception
the pipeline caught; ``template``/``bad-output``: code the generator itself
rejected).

For speed most examples run ``load`` + ``Renderer.render`` + ``compile``
without black; a few run the full ``generate()``.  The long-running version
of this test is bench/fuzz.py.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import black
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.core import generate, load
from generator.diagnostics import Diagnostics, Level
from generator.render.renderer import Renderer, environment
from generator.settings import Settings

Files = dict[str, str | bytes]
BUG_CODES = frozenset(["internal", "template", "bad-output"])
CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
ENV = environment()
FAST = settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- vocabulary -------------------------------------------------------------------

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
    "meta",
    "owner",
    "tag",
    "count",
    "self",
    "match",
    "none",
    "field",
]
ODD_NAMES = [
    "class",
    "from",
    "None",
    "_",
    "__init__",
    "__class__",
    "$iccid",
    "id\\_",
    "\\_id",
    "a-b",
    "user id",
    "1st",
    "application/json",
    "ﬁeld",
    "n\u0430me",
    "x'y",
    'q"uote',
]
PRIMITIVES = [
    "string",
    "str",
    "String",
    "number",
    "int",
    "integer",
    "Long",
    "int64",
    "float",
    "Double",
    "float64",
    "boolean",
    "bool",
    "any",
    "object",
    "Object",
    "mixed",
    "dict",
    "dictionary",
    "array",
    "bytes",
    "ArrayBuffer",
    "binary",
    "byte[]",
    "[]byte",
    "interface{}",
]
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
    "\\_",
    "*",
    "null",
    "{{ x }}",
    '"""',
    "'''",
    "\\",
    "<b>tag</b>",
    "&amp;",
    "# not a heading",
    "- not a list",
]
INJECT = list(
    "|`\r\n\t\x00\x01\x0b\x0c\x1b\x7f\x85\u2028\u2029\u202e\u200b\ufeff"
    "#*_{}[]()<>\"'\\!&;:-=~ é数🐍\ud800"
) + [
    "**Properties**",
    "| Name | Type | Required | Description |",
    "| :--- | :--- | :--- | :--- |",
    "- HTTP Method: `GET`",
    "- Endpoint: `/x/{id}`",
    "**Parameters**",
    "**Return Type**",
    "```",
    "<!--",
    "# ",
    "## ",
    "&#0;",
    '"""',
    "{{ 7*7 }}",
    "{% raw %}",
    "# -*- coding: utf-7 -*-",
    "+AAo-",
    "1); __import__('os').system('touch CANARY') #",
]

# --- strategies: valid doc sets ---------------------------------------------------

model_names = st.builds(
    lambda ws, suffix: "".join(w.capitalize() for w in ws) + suffix,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True),
    st.sampled_from(["", "", "_1", "2", "\\_", "Dto"]),
)
unicode_words = st.text(
    st.characters(categories=["L", "Nd"], exclude_characters="\u0130"),
    min_size=1,
    max_size=8,
)
property_names = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(
        lambda ws: ws[0] + "".join(w.capitalize() for w in ws[1:])
    ),
    unicode_words,
    st.sampled_from(ODD_NAMES),
)
safe_text = st.text(
    st.characters(
        categories=["L", "M", "N", "P", "S", "Zs", "Zl", "Zp"],
        exclude_characters="|\\`<>&#*_[]",
    ),
    max_size=12,
)


def cell(text: str) -> str:
    """Text for a table cell: one line, ``|`` escaped."""
    return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|").strip()


@st.composite
def descriptions(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(st.one_of(st.sampled_from(DESC_PARTS), safe_text), max_size=6)
    )
    text = " ".join(p for p in parts if p.strip()).strip()
    return "Text " + text if text and not text[0].isalpha() else text


@st.composite
def type_cells(draw: st.DrawFn, models: list[str], depth: int = 0) -> str:
    """A Type cell in one of the dialects' spellings (links, generics, Go, C#…)."""
    if not models or depth > 1 or draw(st.booleans()):
        return draw(st.sampled_from(PRIMITIVES))
    m = draw(st.sampled_from(models))
    form = draw(st.integers(0, 15))
    if form < 5:
        return [m, f"[{m}]({m}.md)", f"[{m}](../models/{m}.md)", f"pkg.{m}"][form % 4]
    if form == 5:
        return f"[{m}]({m}.md)[]"
    inner = draw(type_cells(models, depth + 1))
    if form == 6:
        return f"OneOf<{inner}, {draw(type_cells(models, depth + 1))}>"
    return [
        f"{inner}[]",
        f"List[{inner}]",
        f"List<{inner}>",
        f"List`<{inner}>`",
        f"List\\<{inner}\\>",
        f"[]{inner}",
        f"Map<String, {inner}>",
        f"map[string]\\*{inner}",
        f"Dict[str, {inner}]",
    ][form - 7]


def table(rows: list[tuple[str, str, str, str]], indent: str = "") -> str:
    body = "".join(f"{indent}| {' | '.join(r)} |\n" for r in rows)
    head = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"
    return head + body


def wire_key(name: str) -> str:
    """The JSON key a Name cell gives (liblab's reserved-word ``_`` dropped)."""
    text = re.sub(r"\\(.)", r"\1", name).strip()
    return text[:-1] if text.endswith("_") and not text.endswith("__") else text


@st.composite
def model_blocks(draw: st.DrawFn, name: str, models: list[str]) -> str:
    text = f"# {name}\n\n"
    desc = draw(descriptions())
    if desc:
        text += desc + "\n\n"
    props = draw(st.lists(property_names, min_size=1, max_size=6))
    unique = {wire_key(p): p for p in props if wire_key(p)}
    rows = [
        (
            cell(p),
            draw(type_cells(models)),
            draw(st.sampled_from(["✅", "❌", ""])),
            cell(draw(descriptions())),
        )
        for p in unique.values()
    ]
    indent = draw(st.sampled_from(["", "", "    "]))  # PHP indents rows
    return text + "**Properties**\n\n" + table(rows, indent) + "\n"


@st.composite
def enum_blocks(draw: st.DrawFn, name: str) -> str:
    if draw(st.booleans()):
        values: list[str] = draw(
            st.lists(st.text(max_size=10), min_size=1, max_size=5, unique=True)
        )
        rows = [
            (f"V{i}", "str", "✅", cell(json.dumps(v, ensure_ascii=False)))
            for i, v in enumerate(values)
        ]
    else:
        numbers = draw(st.lists(st.integers(-(10**30), 10**30), min_size=1, max_size=5))
        rows = [(f"\\_{i}", "int", "✅", str(n)) for i, n in enumerate(numbers)]
    return f"# {name}\n\n**Properties**\n\n" + table(rows) + "\n"


@st.composite
def model_files(draw: st.DrawFn, names: list[str], known: list[str]) -> str:
    text = ""
    for name in names:
        kind = draw(st.sampled_from(["model", "model", "enum", "union", "opaque"]))
        if kind == "model":
            text += draw(model_blocks(name, known))
        elif kind == "enum":
            text += draw(enum_blocks(name))
        elif kind == "union":
            text += f"# {name}\n\n"
            for i in (1, 2):
                text += draw(model_blocks(f"{name}_{i}", known))
        else:
            text += f"# {name}\n\n{draw(descriptions())}\n\n"
    return text


def squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@st.composite
def methods(draw: st.DrawFn, models: list[str]) -> str:
    names = draw(st.lists(property_names, min_size=1, max_size=4))
    unique = list({squash(n): n for n in names if squash(n)}.values()) or ["id"]
    first, *others = unique
    hole = draw(st.sampled_from([first, first.lower(), "{none}"]))
    path = "/" + draw(st.sampled_from(WORDS))
    path += "" if hole == "{none}" else "/{" + re.sub(r"\\(.)", r"\1", hole) + "}"
    rows = [(cell(first), "string", "✅", "")]
    rows += [
        (
            cell(n),
            draw(type_cells(models)),
            draw(st.sampled_from(["✅", "❌"])),
            cell(draw(descriptions())),
        )
        for n in others
    ]
    if models and draw(st.booleans()):
        rows.insert(0, ("body", draw(type_cells(models)), "✅", "The request body."))
    verb = draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "get"]))
    text = f"## {draw(property_names)}\n\n{draw(descriptions())}\n\n"
    text += f"- HTTP Method: `{verb}`\n- Endpoint: `{path}`\n\n"
    text += "**Parameters**\n\n" + table(rows) + "\n"
    if draw(st.booleans()):
        text += f"**Return Type**\n\n`{draw(type_cells(models))}`\n\n"
    return text + "**Example Usage Code Snippet**\n\n```python\nx = 1  # ```\n```\n\n"


@st.composite
def doc_sets(draw: st.DrawFn) -> Files:
    names = draw(st.lists(model_names, min_size=1, max_size=5, unique=True))
    names = list({n.replace("\\_", "_").rstrip("_"): n for n in names}.values())
    files: Files = {}
    split = draw(st.integers(1, len(names)))
    for chunk in (names[:split], names[split:]):
        if chunk:
            stem = chunk[0].replace("\\", "")
            files[f"documentation/models/{stem}.md"] = draw(model_files(chunk, names))
    for i in range(draw(st.integers(0, 2))):
        title = draw(model_names).replace("\\", "") + "Service"
        body = "".join(draw(st.lists(methods(names), max_size=3)))
        intro = f"# {title}\n\n| Methods | Description |\n| :--- | :--- |\n\n"
        files[f"documentation/services/{title}{i}.md"] = intro + body
    if draw(st.booleans()):
        files["README.md"] = "# SDK\n\n## Environments\n\n`https://api.x.test/v1`\n"
    return files


# --- strategies: mutations --------------------------------------------------------


@st.composite
def mutated_doc_sets(draw: st.DrawFn) -> Files:
    files = dict(draw(doc_sets()))
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(sorted(files)))
        text = files[path]
        assert isinstance(text, str)
        files[path] = draw(mutations(text))
    if draw(st.integers(0, 19)) == 0:  # invalid UTF-8 bytes
        path = draw(st.sampled_from(sorted(files)))
        data = str(files[path]).encode("utf-8", "surrogatepass")
        at = draw(st.integers(0, len(data)))
        bad = draw(st.sampled_from([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2"]))
        files[path] = data[:at] + bad + data[at:]
    return files


@st.composite
def mutations(draw: st.DrawFn, text: str) -> str:
    op = draw(
        st.sampled_from(["inject", "inject", "lines", "columns", "cut", "truncate"])
    )
    if op == "inject":
        chunk = "".join(draw(st.lists(st.sampled_from(INJECT), min_size=1, max_size=4)))
        chunk += draw(st.text(max_size=3))
        at = draw(st.integers(0, len(text)))
        return text[:at] + chunk + text[at:]
    if op == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    lines = text.split("\n")
    if op == "lines" and len(lines) > 1:
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(i, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "dup", "swap", "shuffle"]))
        if how == "drop":
            del lines[i : j + 1]
        elif how == "dup":
            lines[i:i] = lines[i : j + 1]
        elif how == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i : j + 1] = draw(st.permutations(lines[i : j + 1]))
    rows = [i for i, line in enumerate(lines) if line.count("|") >= 3]
    if op == "columns" and rows:
        i = draw(st.sampled_from(rows))
        cells = lines[i].split("|")
        inner = draw(st.permutations(cells[1:-1]))
        keep = draw(st.integers(0, len(inner)))
        lines[i] = "|".join([cells[0], *inner[:keep], cells[-1]])
    aligned = [i for i, line in enumerate(lines) if line.lstrip().startswith("| :")]
    if op == "cut" and aligned:
        i = draw(st.sampled_from(aligned))
        del lines[i - draw(st.integers(0, 1))]
    return "\n".join(lines)


# --- running the pipeline ---------------------------------------------------------


def write(folder: Path, files: Files) -> Path:
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = (
            content
            if isinstance(content, bytes)
            else content.encode("utf-8", "surrogatepass")
        )
        path.write_bytes(data)
    return folder


def assert_no_bug_diagnostics(diags: Diagnostics) -> None:
    bugs = [
        d.format()
        for d in diags.items
        if d.level is Level.ERROR and d.code in BUG_CODES
    ]
    assert not bugs, bugs


_COMPILED: set[str] = set()


def assert_compiles(path: str, text: str) -> None:
    """Compiles from its UTF-8 bytes, no PEP 263 cookie on lines 1-2."""
    if text in _COMPILED:  # the runtime modules, identical in every package
        return
    head = text.split("\n", 2)[:2]
    assert not any(CODING.match(line) for line in head), (path, head)
    compile(text.encode("utf-8"), path, "exec", dont_inherit=True)
    if path.startswith("_"):
        _COMPILED.add(text)


def fast_pipeline(files: Files) -> bool:
    """load + render + compile; True if files were produced, False on errors."""
    with tempfile.TemporaryDirectory(prefix="docs2py-fuzz-") as tmp:
        diags = Diagnostics()
        api = load([write(Path(tmp), files)], Settings(), diags)
    assert_no_bug_diagnostics(diags)
    if diags.has_errors:
        return False
    sources = Renderer(ENV, api, "fuzzpkg").render()
    assert sources
    for source in sources:
        if source.path.endswith(".py"):
            assert_compiles(source.path, source.text)
    return True


def full_pipeline(files: Files) -> bool:
    """generate() with black; True if files were produced, False on errors."""
    with tempfile.TemporaryDirectory(prefix="docs2py-fuzz-") as tmp:
        result = generate([write(Path(tmp), files)], package="fuzzpkg")
    assert_no_bug_diagnostics(result.diagnostics)
    if result.diagnostics.has_errors:
        assert not result.files
        return False
    assert result.files
    for path, text in result.files.items():
        if path.endswith(".py"):
            assert_compiles(path, text)
    return True


# --- the properties ---------------------------------------------------------------


@FAST
@given(doc_sets())
def test_valid_doc_sets_generate_compiling_code(files: Files) -> None:
    assert fast_pipeline(files), "a valid doc set was rejected"


@settings(FAST, max_examples=120)
@given(mutated_doc_sets())
def test_mutated_doc_sets_never_crash(files: Files) -> None:
    event("generated" if fast_pipeline(files) else "rejected with errors")


@pytest.fixture(scope="module")
def memoised_black() -> Iterator[None]:
    """black is a pure function: format each distinct source once."""
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


@settings(
    FAST,
    max_examples=8,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(st.one_of(doc_sets(), mutated_doc_sets()))
def test_full_generate_property(memoised_black: None, files: Files) -> None:
    event("generated" if full_pipeline(files) else "rejected with errors")
