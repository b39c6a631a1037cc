"""The Type column: one small grammar for the spellings of every SDK dialect.

``M[]``, ``List[M]``, ``List<M>``, ``List`<M>` ``, ``List\\<M\\>``, ``[]pkg.M``,
``map[string]\\*M``, ``Map<String, M>``, ``Dict[str, M]``, ``OneOf<A, B>``,
``Union[A, B]``, ``Optional[M]``, Python's and TypeScript's ``A | B`` (written
``A \\| B`` in a table; ``M | None`` is ``Optional[M]``; ``(A | B)[]``), Go
package qualifiers, PHP ``Models\\X``, links with nested brackets, and the
primitive vocabularies of TypeScript, Python, Java, C#, Go and PHP.

A union's variants are flattened (``Union[A, B | C]`` is ``A | B | C``),
listed once each, and lose ``None``/``null`` (every value may be null:
docs2py types are nullable); a union of one type is that type.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

from ..ir import AnyType, ListOf, MapOf, Primitive, PrimitiveName, Ref, TypeRef, UnionOf

_PRIMITIVES: dict[str, PrimitiveName] = {
    **dict.fromkeys(["string", "str", "String", "char", "Char", "uuid"], "str"),
    **dict.fromkeys(
        ["int", "integer", "Integer", "long", "Long", "int32", "int64", "Int32"]
        + ["Int64", "short", "Short", "uint", "uint32", "uint64", "bigint"],
        "int",
    ),
    **dict.fromkeys(
        ["number", "float", "Float", "double", "Double", "float32", "float64"]
        + ["decimal", "Decimal", "BigDecimal", "Number"],
        "float",
    ),
    **dict.fromkeys(["bool", "boolean", "Boolean"], "bool"),
    **dict.fromkeys(["bytes", "ArrayBuffer", "binary", "Blob", "Buffer"], "bytes"),
}
_ANY = frozenset(
    ["any", "Any", "object", "Object", "mixed", "unknown", "JsonNode", "interface{}"]
)
_MAP_BARE = frozenset(["dict", "Dict", "dictionary", "Dictionary", "map", "Map"])
_LIST_BARE = frozenset(["array", "Array", "list", "List"])
_NULL = frozenset(["null", "None", "nil", "void", "undefined"])
_LIST_GENERIC = frozenset(
    ["List", "list", "Array", "IList", "IEnumerable", "ICollection", "Collection"]
    + ["Set", "set", "HashSet", "Sequence", "ReadonlyArray", "Iterable", "tuple"]
)
_MAP_GENERIC = frozenset(
    ["Map", "map", "Dict", "dict", "Dictionary", "IDictionary", "HashMap", "Record"]
    + ["Mapping", "Object"]
)
_UNION_GENERIC = frozenset(["OneOf", "Union", "AnyOf", "oneOf", "anyOf"])
_OPTIONAL_GENERIC = frozenset(["Optional", "Nullable"])
_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(?:(?:\.|\\)[A-Za-z_$][A-Za-z0-9_$]*)*")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


MAX_DEPTH = 32


class TypeSyntaxError(ValueError):
    """The Type cell does not follow the type grammar."""


def _pairs(text: str, open_: str, close: str) -> dict[int, int]:
    """Each unescaped ``open_`` bracket's closing bracket, by index (one pass:
    a bracket preceded by a backslash does not count)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch not in (open_, close) or (i and text[i - 1] == "\\"):
            continue
        if ch == open_:
            stack.append(i)
        elif stack:
            pairs[stack.pop()] = i
    return pairs


def strip_links(text: str) -> str:
    """``[List[X]](../models/X.md)`` → ``List[X]``, with nested brackets (in
    linear time: brackets are paired once, not rescanned from each one; a
    link inside a link's text ends inside it)."""
    brackets, parens = _pairs(text, "[", "]"), _pairs(text, "(", ")")
    out: list[str] = []
    skip_to: dict[int, int] = {}  # a link's "](…)": from its "]" to after ")"
    limits = [len(text)]  # where the text of the links we are in ends
    i = 0
    while i < len(text):
        if i in skip_to:
            limits.pop()
            i = skip_to[i]
            continue
        end = brackets.get(i, -1) if text[i] == "[" else -1
        if end > 0 and end + 1 < limits[-1] and text[end + 1] == "(":
            close = parens.get(end + 1, -1)
            if 0 < close < limits[-1]:
                skip_to[end] = close + 1
                limits.append(end)
                i += 1
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def clean(cell: str) -> str:
    """Links, backticks and Markdown escapes removed; ``Models\\X`` kept."""
    text = strip_links(cell).replace("`", "")
    return _ESCAPE.sub(r"\1", text).strip()


class _Parser:
    def __init__(self, text: str, model_hint: tuple[str, ...]) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0
        self.model_hint = model_hint

    def fail(self, message: str) -> TypeSyntaxError:
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return TypeSyntaxError(f"{message} in type {shown!r}")

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def eat(self, token: str) -> bool:
        self.skip()
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
            return True
        return False

    def parse(self) -> TypeRef:
        result = self.type_()
        self.skip()
        if self.pos != len(self.text):
            raise self.fail(f"unexpected {self.text[self.pos:]!r}")
        return result

    def type_(self) -> TypeRef:
        """``A | B | …``: a union of postfix types (``|`` binds loosest)."""
        first = self.postfix()
        self.skip()
        if not self.text.startswith("|", self.pos):
            return first
        variants = [first]
        while self.eat("|"):
            variants.append(self.postfix())
        return union_of(variants)

    def postfix(self) -> TypeRef:
        result = self.base()
        suffixes = 0  # X[][]…: each [] nests one level deeper, as List<…> does
        while self.eat("[]"):
            suffixes += 1
            if self.depth + suffixes >= MAX_DEPTH:
                raise self.fail("type nested too deeply")
            result = Primitive("bytes") if result == _BYTE else ListOf(result)
        return result

    def base(self) -> TypeRef:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail("type nested too deeply")
        try:
            return self._base()
        finally:
            self.depth -= 1

    def _base(self) -> TypeRef:
        if self.eat("interface{}"):
            return AnyType()
        if self.eat("("):
            inner = self.type_()
            if not self.eat(")"):
                raise self.fail("expected ')'")
            return inner
        if self.eat("[]"):
            item = self.postfix()
            return Primitive("bytes") if item == _BYTE else ListOf(item)
        if self.eat("*"):
            return self.postfix()
        if self.eat("map["):
            self.type_()
            if not self.eat("]"):
                raise self.fail("expected ']'")
            return MapOf(self.postfix())
        self.skip()
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise self.fail("expected a type name")
        self.pos = match.end()
        name = match[0]
        for open_, close in (("<", ">"), ("[", "]")):
            if self.text.startswith(open_ + close, self.pos):
                continue
            if self.eat(open_):
                args = self.arguments(close)
                return self.generic(name, args)
        return self.named(name)

    def arguments(self, close: str) -> list[TypeRef]:
        args = [self.type_()]
        while self.eat(","):
            args.append(self.type_())
        if not self.eat(close):
            raise self.fail(f"expected {close!r}")
        return args

    def generic(self, name: str, args: list[TypeRef]) -> TypeRef:
        if name in _LIST_GENERIC and len(args) == 1:
            return ListOf(args[0])
        if name in _MAP_GENERIC and len(args) in (1, 2):
            return MapOf(args[-1])
        if name in _OPTIONAL_GENERIC and len(args) == 1:
            return args[0]
        if name in _UNION_GENERIC:
            return union_of(args)
        raise self.fail(f"unknown generic type {name!r}")

    def named(self, name: str) -> TypeRef:
        short = re.split(r"[.\\]", name)[-1]
        if name in _PRIMITIVES:
            return Primitive(_PRIMITIVES[name])
        if name in _ANY:
            return AnyType()
        if name in _NULL:
            return _NULL_TYPE
        if name in _MAP_BARE:
            return MapOf(AnyType())
        if name in _LIST_BARE:
            return ListOf(AnyType())
        if name == "byte":
            return _BYTE
        if name == "model" and self.model_hint:
            return Ref(self.model_hint[0], self.model_hint)
        return Ref(short, (short,))


_SPELLINGS = sorted({*_PRIMITIVES, *_ANY, *_MAP_BARE, *_LIST_BARE} - {"interface{}"})


def suggestions(name: str, known: Iterable[str]) -> list[str]:
    """The names closest to an unknown type ``name``: the ``known`` definitions
    first, then the type spellings above when they are very close (``strng``
    → ``string``); at most three, one spelling of each word."""
    close = difflib.get_close_matches(name, list(known), n=3)
    close += difflib.get_close_matches(name, _SPELLINGS, n=3, cutoff=0.75)
    words = {c.lower(): c for c in reversed(close)}  # the first spelling of each
    return [c for c in close if words[c.lower()] == c][:3]


_BYTE = Ref("byte", ("byte",))
_NULL_TYPE = Ref("null", ())


def union_of(variants: Iterable[TypeRef]) -> TypeRef:
    """The union of ``variants``: nested unions flattened, each variant once,
    ``null`` dropped; one variant is itself, none is ``Any``."""
    flat: list[TypeRef] = []
    for variant in variants:
        for v in variant.variants if isinstance(variant, UnionOf) else (variant,):
            if v != _NULL_TYPE and v not in flat:
                flat.append(v)
    if not flat:
        return AnyType()
    return flat[0] if len(flat) == 1 else UnionOf(tuple(flat))


@functools.lru_cache(maxsize=4096)
def parse_type(cell: str, model_hint: tuple[str, ...] = ()) -> TypeRef:
    """Parse a Type cell.  ``model_hint`` names the candidates for PHP's ``model``.

    Raises TypeSyntaxError when the cell is not a type.  Results are cached
    (type cells repeat a lot, and TypeRefs are immutable).
    """
    text = clean(cell)
    if not text:
        raise TypeSyntaxError("empty type")
    if text in ("interface{}",):
        return AnyType()
    result = _Parser(text, model_hint).parse()
    if result == _NULL_TYPE:
        return AnyType()
    return result
