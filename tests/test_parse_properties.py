"""Property tests for reading model docs.

(a) Random valid model docs (random names, types spelled in several SDK
    dialects, Required flags, descriptions with escaped pipes, code spans and
    unicode, PHP/CRLF/padding layouts) are written as Markdown, loaded with
    ``generator.core.load`` and must come back exactly, without any diagnostic.
(b) Random mutations of such a doc (cut, shuffled, duplicated lines, injected
    ``|``, ``\\r``, unicode, Markdown markup) must never make the parser, builder
    or resolver raise; they may only report diagnostics.
"""

from __future__ import annotations

import contextlib
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import names
from generator.core import load
from generator.diagnostics import Diagnostics, Level
from generator.ir import AnyType, ListOf, MapOf, Model, Primitive, Ref, TypeRef, UnionOf
from generator.read.build import Builder
from generator.read.parse import FileParser
from generator.read.parse_type import parse_type
from generator.read.resolve import RESERVED_CLASS_NAMES, Resolver
from generator.settings import Settings, WireKeyStyle

# When a test fails, hypothesis's pytest plugin imports its patch writer (libcst),
# whose import raises a DeprecationWarning; under filterwarnings=error that turns
# the failure report into an INTERNALERROR that hides the falsifying example.
# Importing it once here, with warnings ignored, keeps failures readable.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore")
    import hypothesis.extra._patching  # noqa: F401

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# A type as the test expects it after resolution.
Expected = tuple[Any, ...]


def norm(t: TypeRef) -> Expected:
    """A resolved IR type as a plain tuple (references by their target)."""
    if isinstance(t, Primitive):
        return ("prim", t.name)
    if isinstance(t, AnyType):
        return ("any",)
    if isinstance(t, ListOf):
        return ("list", norm(t.item))
    if isinstance(t, MapOf):
        return ("map", norm(t.value))
    if isinstance(t, Ref):
        return ("ref", t.target)
    assert isinstance(t, UnionOf)
    return ("union", tuple(norm(v) for v in t.variants))


# ------------------------------------------------------------------- names


def _is_model_name(name: str) -> bool:
    return (
        names.class_name(name) == name
        and name not in RESERVED_CLASS_NAMES
        and isinstance(parse_type(name), Ref)  # not a primitive/generic spelling
    )


NAME_PARTS = [
    "Pet",
    "Owner",
    "Visit",
    "Invoice",
    "Line",
    "Item",
    "Status",
    "Group",
    "Price",
    "Gpu",
    "Container",
    "Probe",
    "Http",
    "Header",
    "Details",
    "Resources",
    "Meta",
    "Action",
    "Task",
    "Team",
    "Slug",
    "Page",
    "Link",
    "Error",
    "Envelope",
    "Signing",
    "Step",
    "Purchase",
    "Profile",
    "Package",
    "Channel",
    "Promotion",
    "Redemption",
    "Quota",
]
LOWER = "abcdefghijklmnopqrstuvwxyz"
ALNUM = LOWER + LOWER.upper() + "0123456789"

model_names = (
    st.tuples(
        st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=3),
        st.text(LOWER, max_size=3),
    )
    .map(lambda ps: "".join(ps[0]) + ps[1])
    .filter(_is_model_name)
)


@dataclass(frozen=True)
class FieldName:
    cell: str  # as written in the Name column
    name: str  # Field.name (escapes undone)
    wire: str  # Field.wire_key (as-written style: a trailing escape '_' dropped)


def _field_name(parts: tuple[str, str, list[str], str]) -> FieldName:
    head, tail, snake_parts, style = parts
    base = head + tail + "".join("_" + p for p in snake_parts)
    if style == "trailing":  # liblab's reserved-word escape: `id\_` is the key `id`
        return FieldName(base + "\\_", base + "_", base)
    if style == "leading":
        return FieldName("\\_" + base, "_" + base, "_" + base)
    if style == "dollar":  # PHP service-style `$iccid`
        return FieldName("$" + base, "$" + base, "$" + base)
    return FieldName(base, base, base)


field_names = st.tuples(
    st.sampled_from(LOWER),
    st.text(ALNUM, max_size=9),
    st.lists(st.text(LOWER + "0123456789", min_size=1, max_size=4), max_size=2),
    st.sampled_from(["plain", "plain", "trailing", "leading", "dollar"]),
).map(_field_name)


# ------------------------------------------------------------------- types

PRIMITIVES: dict[str, list[str]] = {
    "str": ["string", "str", "String"],
    "int": ["int", "integer", "Long", "long", "int64", "Integer"],
    "float": ["number", "float", "double", "Double", "float64", "decimal"],
    "bool": ["bool", "boolean", "Boolean"],
    "bytes": ["bytes", "byte[]", "[]byte", "binary", "ArrayBuffer"],
}


# A reference is drawn as a placeholder ``§k§`` / ``("ref", k)`` and bound to
# the k-th model of the corpus afterwards, so the strategies are built once.
MAX_MODELS = 4

LEAVES = st.one_of(
    st.sampled_from(
        [(s, ("prim", p)) for p, spellings in PRIMITIVES.items() for s in spellings]
        + [(s, ("any",)) for s in ["any", "object", "Object", "mixed"]]
        + [("dict", ("map", ("any",))), ("dictionary", ("map", ("any",)))]
        + [("array", ("list", ("any",)))]
    ),
    st.sampled_from(
        [
            (form.format(m=f"§{k}§"), ("ref", k))
            for k in range(MAX_MODELS)
            for form in ["{m}", "[{m}]({m}.md)", "pkg.{m}", "Models\\{m}"]
        ]
    ),
)


def _list(inner: tuple[str, Expected], form: str) -> tuple[str, Expected]:
    spelling, expected = inner
    if form == "suffix" and spelling.startswith("map["):
        form = "List<>"  # `map[string]\*M[]` would mean a map of lists
    text = {
        "suffix": "{x}[]",
        "List[]": "List[{x}]",
        "List<>": "List<{x}>",
        "List`<>`": "List`<{x}>`",
        "List\\<\\>": "List\\<{x}\\>",
        "go": "[]{x}",
        "IEnumerable<>": "IEnumerable<{x}>",
    }[form].format(x=spelling)
    return text, ("list", expected)


def _map(inner: tuple[str, Expected], form: str) -> tuple[str, Expected]:
    spelling, expected = inner
    return form.format(x=spelling), ("map", expected)


LIST_FORMS = [
    "suffix",
    "List[]",
    "List<>",
    "List`<>`",
    "List\\<\\>",
    "go",
    "IEnumerable<>",
]
MAP_FORMS = [
    "Map<String, {x}>",
    "Map\\<String, {x}\\>",
    "Dict[str, {x}]",
    "map[string]\\*{x}",
    "Record<string, {x}>",
]


def _extend(
    inner: st.SearchStrategy[tuple[str, Expected]],
) -> st.SearchStrategy[tuple[str, Expected]]:
    return st.one_of(
        st.builds(_list, inner, st.sampled_from(LIST_FORMS)),
        st.builds(_map, inner, st.sampled_from(MAP_FORMS)),
    )


def _union_expected(variants: list[Expected]) -> Expected:
    """A union as parse_type gives it: flattened, each variant once; one
    variant is itself."""
    flat: list[Expected] = []
    for v in variants:
        for x in v[1] if v[0] == "union" else (v,):
            if x not in flat:
                flat.append(x)
    return flat[0] if len(flat) == 1 else ("union", tuple(flat))


def _union(
    a: tuple[str, Expected], b: tuple[str, Expected], form: str
) -> tuple[str, Expected]:
    union = _union_expected([a[1], b[1]])
    expected = {
        "{a} \\| None": a[1],
        "Optional[{a} \\| {b}]": union,
        "List[{a} \\| {b}]": ("list", union),
        "({a} \\| {b})[]": ("list", union),
        "{a} \\| ({b} \\| {a})": union,
    }.get(form, union)
    return form.format(a=a[0], b=b[0]), expected


UNION_FORMS = [
    "OneOf<{a}, {b}>",
    "OneOf`<{a}, {b}>`",
    "Union[{a}, {b}]",
    "{a} \\| {b}",
    "{a}\\|{b}",
    "{a} \\| None",
    "Optional[{a} \\| {b}]",
    "List[{a} \\| {b}]",
    "({a} \\| {b})[]",
    "{a} \\| ({b} \\| {a})",
]
TYPES = st.one_of(
    st.recursive(LEAVES, _extend, max_leaves=3),
    st.builds(_union, LEAVES, LEAVES, st.sampled_from(UNION_FORMS)),
)


def bind(drawn: tuple[str, Expected], models: list[str]) -> tuple[str, Expected]:
    """Replace the placeholders of a drawn type by the corpus's model names."""

    def model(k: int) -> str:
        return models[k % len(models)]

    def expected(e: Expected) -> Expected:
        if e[0] == "ref":
            return ("ref", model(e[1]))
        if e[0] in ("list", "map"):
            return (e[0], expected(e[1]))
        if e[0] == "union":  # two placeholders may name the same model
            return _union_expected([expected(v) for v in e[1]])
        return e

    spelling = drawn[0]
    for k in range(MAX_MODELS):
        spelling = spelling.replace(f"§{k}§", model(k))
    return spelling, expected(drawn[1])


# ------------------------------------------------------------ descriptions

WORD_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzéüßΩж日本"
WORD_REST = WORD_FIRST + "0123456789語🚀"
words = st.tuples(st.sampled_from(WORD_FIRST), st.text(WORD_REST, max_size=7)).map(
    "".join
)
PIECES = st.one_of(
    words.map(lambda w: (w, w)),
    st.sampled_from(
        [
            ("\\|", "|"),
            ("\\*", "*"),
            ("\\_", "_"),
            ("`code`", "`code`"),
            ("`a\\|b`", "`a|b`"),
            ("<br/>", "\n"),
            ("&nbsp;", " "),
        ]
    ),
)


def _description(parts: tuple[str, list[tuple[str, str]]]) -> tuple[str, str]:
    """(cell text, expected Field.description)."""
    first, pieces = parts
    raw = " ".join([first] + [r for r, _ in pieces])
    text = " ".join([first] + [p for _, p in pieces])
    expected = "\n".join(line.strip() for line in text.split("\n")).strip()
    return raw, expected


# A non-empty description starts with a letter: never a quoted or integer value,
# so no table is mistaken for an enum.
descriptions = st.one_of(
    st.just(("", "")),
    st.tuples(words, st.lists(PIECES, max_size=6)).map(_description),
)
model_descriptions = st.lists(
    st.lists(words, min_size=1, max_size=5).map(" ".join), max_size=2
)

# ------------------------------------------------------------------ docs

REQUIRED = [("✅", True), ("❌", False), ("✔", True), ("✗", False)]


@dataclass(frozen=True)
class FieldSpec:
    name: FieldName
    type_cell: str
    type: Expected
    required_cell: str
    required: bool
    description_cell: str
    description: str


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: list[str]
    fields: list[FieldSpec]


@dataclass(frozen=True)
class Layout:
    blank_lines: int  # between heading and **Properties** (PHP: 3)
    php_indent: bool
    compact_align: bool
    pad: bool
    newline: str


def _unique_fields(fields: list[FieldName]) -> bool:
    wires = [f.wire for f in fields]
    pythons = [names.attribute_name(f.wire) for f in fields]
    return len(set(wires)) == len(wires) and len(set(pythons)) == len(pythons)


@dataclass(frozen=True)
class Draft:
    """A field before its model references are bound."""

    name: FieldName
    type: tuple[str, Expected]
    required: tuple[str, bool]
    description: tuple[str, str]


drafts = st.lists(
    st.builds(Draft, field_names, TYPES, st.sampled_from(REQUIRED), descriptions),
    min_size=1,
    max_size=6,
).filter(lambda ds: _unique_fields([d.name for d in ds]))


def model_spec(
    name: str, desc: list[str], ds: list[Draft], models: list[str]
) -> ModelSpec:
    fields = []
    for d in ds:
        type_cell, expected = bind(d.type, models)
        fields.append(
            FieldSpec(d.name, type_cell, expected, *d.required, *d.description)
        )
    return ModelSpec(name, desc, fields)


layouts = st.builds(
    Layout,
    blank_lines=st.sampled_from([1, 1, 3]),
    php_indent=st.booleans(),
    compact_align=st.booleans(),
    pad=st.booleans(),
    newline=st.sampled_from(["\n", "\n", "\r\n"]),
)


def render_model(m: ModelSpec, layout: Layout) -> str:
    cells = [
        [f.name.cell, f.type_cell, f.required_cell, f.description_cell]
        for f in m.fields
    ]
    header = ["Name", "Type", "Required", "Description"]
    widths = [max(len(c) for c in col) for col in zip(header, *cells, strict=True)]

    def line(row: list[str]) -> str:
        if layout.pad:
            row = [c.ljust(w) for c, w in zip(row, widths, strict=True)]
        return "| " + " | ".join(row) + " |"

    if layout.compact_align:
        align = "| :-------- | :----------| :----------| :----------|"
    else:
        align = "| " + " | ".join(":" + "-" * max(w - 1, 3) for w in widths) + " |"
    indent = "    " if layout.php_indent else ""
    out = [f"# {m.name}", *[""] * layout.blank_lines]
    if m.description:
        out += [*m.description, ""]
    out += ["**Properties**", "", line(header), align]
    out += [indent + line(r) for r in cells]
    out.append("")
    return "\n".join(out)


@st.composite
def corpora(draw: st.DrawFn) -> tuple[dict[str, str], list[ModelSpec]]:
    """One to three files holding one to four models that reference each other."""
    model_list = draw(
        st.lists(model_names, min_size=1, max_size=MAX_MODELS, unique_by=str.lower)
    )
    specs = [
        model_spec(n, draw(model_descriptions), draw(drafts), model_list)
        for n in model_list
    ]
    n_files = draw(st.integers(1, min(3, len(specs))))
    files: dict[str, list[str]] = {}
    for i, spec in enumerate(specs):
        layout = draw(layouts)
        text = render_model(spec, layout)
        files.setdefault(f"f{i % n_files}.md", []).append(
            text.replace("\n", layout.newline)
        )
    footer = "<!-- This file was generated by liblab | https://liblab.com/ -->\n"
    out = {}
    for path, texts in files.items():
        text = "\n".join(texts)
        if draw(st.booleans()):
            text += "\n" + footer
        out[path] = text
    return out, specs


# --------------------------------------------------------------- (a) round trip


@SETTINGS
@given(corpora())
def test_valid_docs_parse_back_exactly(
    corpus: tuple[dict[str, str], list[ModelSpec]],
) -> None:
    files, specs = corpus
    diags = Diagnostics()
    with tempfile.TemporaryDirectory() as tmp:
        for path, text in files.items():
            (Path(tmp) / path).write_bytes(text.encode("utf-8"))
        # as written: this is about reading the docs, not inferring key styles
        api = load([Path(tmp)], Settings(wire_keys=WireKeyStyle.AS_WRITTEN), diags)

    assert [d.format() for d in diags.items] == []
    got = {m.name: m for m in api.models}
    assert sorted(got) == sorted(s.name for s in specs)
    assert len(api.definitions) == len(specs)  # no enums/unions invented
    for spec in specs:
        model = got[spec.name]
        assert isinstance(model, Model)
        assert model.class_name == spec.name
        assert model.description == "\n".join(spec.description)
        actual = [
            (f.name, f.wire_key, norm(f.type), f.required, f.description)
            for f in model.fields
        ]
        expected = [
            (f.name.name, f.name.wire, f.type, f.required, f.description)
            for f in spec.fields
        ]
        assert actual == expected
        pythons = [f.python_name for f in model.fields]
        assert len(set(pythons)) == len(pythons)
        assert all(names.is_identifier(p) for p in pythons)


# ----------------------------------------------------------- (b) robustness

INJECTIONS = [
    "|",
    "||",
    "\\|",
    "\\",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "    ",
    "é",
    "🚀",
    "\u2028",
    "\x0c",
    "\u0085",
    "\ufeff",
    "`",
    "```",
    "~~~",
    "#",
    "# ",
    "## ",
    "**Properties**",
    "<!--",
    "-->",
    "<br/>",
    '"',
    "[",
    "](x.md)",
    "<",
    ">",
    "*",
    "\\_",
    "✅",
    "❌",
    "---",
    "&nbsp;",
    "$",
    "This is a union type",
    "See all details about X model [here](X.md).",
    "| Name | Type | Required | Description |",
    "| :--- | :--- | :--- | :--- |",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    files, _ = draw(corpora())
    lines = "\n".join(files.values()).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["cut", "shuffle", "inject", "dup", "trim", "chop"]))
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        if op == "cut":
            del lines[i]
        elif op == "shuffle":
            lines = draw(st.permutations(lines))
        elif op == "inject":
            at = draw(st.integers(0, len(lines[i])))
            text = draw(st.one_of(st.sampled_from(INJECTIONS), st.text(max_size=3)))
            lines[i] = lines[i][:at] + text + lines[i][at:]
        elif op == "dup":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif op == "trim":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at]
        else:  # chop the whole text somewhere
            lines = lines[: i + 1]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


@settings(SETTINGS, max_examples=150)
@given(mutated())
def test_mutated_docs_never_raise(text: str) -> None:
    diags = Diagnostics()
    blocks = FileParser("m.md", diags).parse(text)
    definitions = Builder("m.md", diags).build(blocks)
    api = Resolver(diags).resolve([("m.md", definitions)])

    normalized = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for block in blocks:
        assert 1 <= block.line <= len(normalized)
        for row in block.rows or ():
            # every row starts on a table line
            assert normalized[row.line - 1].lstrip().startswith("|"), row
    for d in diags.items:
        assert isinstance(d.level, Level) and d.line >= 0
        assert d.path == "m.md"
    assert len(api.definitions) <= len(blocks)
