"""Blocks → IR definitions (before references are resolved).

Decides what each ``# Heading`` is: a model, an enum, a union (a heading
without a table followed by its variants, see ``unions``, or "This is a union
type" followed by "See all details" stubs), or an opaque value (an empty or
description-only heading with no variants under it).  Stubs are references,
never definitions.
"""

from __future__ import annotations

import html
import json
import re
from typing import Literal

from .. import names
from ..diagnostics import Diagnostics, Level
from ..ir import (
    AnyType,
    Definition,
    Enum,
    EnumMember,
    Field,
    Location,
    MapOf,
    Model,
    Primitive,
    Ref,
    TypeRef,
    Union,
)
from .parse import Block
from .parse_table import Row, unescape
from .parse_type import TypeSyntaxError, parse_type
from .unions import UnionVariants

# The Required cell: liblab writes ✅ or ❌ (PHP leaves it empty), and other
# check and cross marks mean the same.  Words (and ``x``, ``-``) are read as
# they usually mean, with a warning naming the row: a table that uses them was
# written by hand, and ``x`` may be a tick or a cross.
_YES_MARKS = frozenset(["✅", "✔", "✔️", "✓"])
_NO_MARKS = frozenset(["❌", "✗", "✘", ""])
_YES = _YES_MARKS | {"yes", "y", "true", "required", "x"}
_NO = _NO_MARKS | {"no", "n", "false", "optional", "-"}
_INT = re.compile(r"-?\d+\Z")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A Name that stands for any key: liblab writes the placeholder `{{userId}}`
# as `_userId_` ("The object's name is the user's ID").
_PLACEHOLDER_NAME = re.compile(r"(\{\{[^{}]+\}\}|_[A-Za-z][A-Za-z0-9]*_)\Z")
# The Type cells an enum table may have, by the kind of its values.
_STR_ENUM_TYPES: frozenset[TypeRef | None] = frozenset(
    [Primitive("str"), Primitive("bool")]
)
_INT_ENUM_TYPES: frozenset[TypeRef | None] = frozenset(
    [Primitive("int"), Primitive("float"), Primitive("str")]
)


_DEPRECATED = re.compile(
    r"\A\W*(\(\s*)?deprecated\b|\bthis (endpoint|method|operation|parameter"
    r"|property|field) is deprecated\b|\bis (a )?deprecated parameter\b",
    re.IGNORECASE,
)
_CAPS = re.compile(r"\bDEPRECATED\b")


def is_deprecated(description: str) -> bool:
    """The docs mark it deprecated: "Deprecated. …", "**DEPRECATED** …",
    "This endpoint is deprecated", "DEPRECATED: use …" (not "We deprecated X")."""
    return bool(_DEPRECATED.search(description) or _CAPS.search(description))


def clean_description(cell: str) -> str:
    """Cell Markdown as plain text for docstrings: escapes undone, <br> → newline."""
    text = _BR.sub("\n", unescape(cell))
    text = html.unescape(text).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def parse_required(cell: str) -> bool | None:
    """The Required cell: ✅ (or yes/true/required) → True, ❌/empty → False."""
    text = cell.strip().lower()
    if text in _YES:
        return True
    return False if text in _NO else None


def read_required(cell: str, path: str, line: int, diags: Diagnostics) -> bool:
    """The Required cell of the row at ``path:line``; anything but a check or
    cross mark (or nothing) is reported with how it was read."""
    text = cell.strip()
    if text in _YES_MARKS or text in _NO_MARKS:
        return text in _YES_MARKS
    value = parse_required(text)
    if value is None:
        message = f"Required is '{text}', expected ✅ or ❌; read as ❌"
    else:
        message = f"Required is '{text}', read as {'✅' if value else '❌'}; "
        message += "write ✅ or ❌"
    diags.warning(path, line, message, "bad-required")
    return bool(value)


def _enum_value(row: Row, php: bool) -> str | int | None:
    text = row.description.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        for candidate in (text, unescape(text)):
            try:
                value = json.loads(candidate)
            except ValueError:
                continue
            if isinstance(value, str):
                return value
        return unescape(text[1:-1])
    if _INT.match(text):
        try:
            return int(text)
        except ValueError:  # longer than the interpreter converts
            return None
    if php and text:
        return clean_description(text)
    return None


class Builder:
    """Builds the definitions of one file."""

    def __init__(self, path: str, diags: Diagnostics) -> None:
        self.path = path
        self.diags = diags

    def build(self, blocks: list[Block]) -> list[Definition]:
        out: list[Definition] = []
        unions = UnionVariants(blocks)
        for i, block in enumerate(blocks):
            if block.stub is not None:
                continue
            if not block.name:
                self.diags.warning(
                    self.path, block.line, "heading without a name ignored", "no-name"
                )
                continue
            if block.rows is not None:
                out.append(self._table(block))
                continue
            if block.union_sentence:
                found, rule, desc = _stubs(blocks, i), "stubs", ""
            else:
                found, rule, desc = unions.variants(i), "headings", block.description
            refs = tuple(Ref(name, (name,)) for name in found)
            if not refs:
                self.diags.add(
                    Level.NOTE, self.path, block.line,
                    f"'{block.name}' has no property table; it is generated as Any",
                    "opaque",
                )  # fmt: skip
            out.append(self._union(block, desc, refs, rule if refs else ""))
        return out

    def _loc(self, line: int) -> Location:
        return Location(self.path, line)

    def _union(
        self, block: Block, desc: str, refs: tuple[Ref, ...], rule: str
    ) -> Union:
        return Union(
            name=block.name,
            class_name=names.class_name(block.name),
            description=clean_description(desc),
            variants=refs,
            location=self._loc(block.line),
            rule=rule,
        )

    def _table(self, block: Block) -> Definition:
        rows = block.rows or ()
        enum = self._enum(block, rows) if rows else None
        if enum is not None:
            return enum
        if not rows:
            self.diags.warning(
                self.path,
                block.line,
                f"model '{block.name}' has no properties",
                "empty-model",
            )
        fields = self._fields(block, rows)
        if len(fields) == 1 and _PLACEHOLDER_NAME.match(fields[0].name):
            return Union(  # {"<any name>": value}: a map, not a model
                name=block.name,
                class_name=names.class_name(block.name),
                description=clean_description(block.description),
                variants=(MapOf(fields[0].type),),
                location=self._loc(block.line),
                rule="map",
            )
        return Model(
            name=block.name,
            class_name=names.class_name(block.name),
            description=clean_description(block.description),
            fields=fields,
            location=self._loc(block.line),
        )

    def _enum(self, block: Block, rows: tuple[Row, ...]) -> Enum | None:
        php = all(not r.required.strip() for r in rows)
        if not php and not all(parse_required(r.required) for r in rows):
            return None
        values = [_enum_value(r, php) for r in rows]
        kinds = {self._row_type(r) for r in rows}
        if any(v is None for v in values):
            return None
        value_type: Literal["str", "int"]
        if all(isinstance(v, str) for v in values):
            value_type, allowed = "str", _STR_ENUM_TYPES
        elif all(isinstance(v, int) for v in values):
            value_type, allowed = "int", _INT_ENUM_TYPES
        else:
            self.diags.warning(
                self.path, block.line,
                f"'{block.name}' looks like an enum but mixes string and integer "
                "values; it is generated as a model",
                "mixed-enum",
            )  # fmt: skip
            return None
        if not kinds <= allowed:
            return None
        return Enum(
            name=block.name,
            class_name=names.class_name(block.name),
            description=clean_description(block.description),
            value_type=value_type,
            members=self._members(rows, values),
            location=self._loc(block.line),
        )

    def _row_type(self, row: Row) -> TypeRef | None:
        try:
            return parse_type(row.type)
        except TypeSyntaxError:
            return None

    def _members(
        self, rows: tuple[Row, ...], values: list[str | int | None]
    ) -> tuple[EnumMember, ...]:
        taken: set[str] = set()
        seen: dict[str | int, int] = {}
        out: list[EnumMember] = []
        for row, value in zip(rows, values, strict=True):
            assert value is not None
            if value in seen:
                self.diags.warning(
                    self.path,
                    row.line,
                    f"duplicate enum value {value!r} (first at line {seen[value]}); "
                    "ignored",
                    "duplicate-enum-value",
                )
                continue
            seen[value] = row.line
            py = names.unique(names.member_name(value), taken)
            out.append(EnumMember(unescape(row.name), py, value, self._loc(row.line)))
        return tuple(out)

    def _fields(self, block: Block, rows: tuple[Row, ...]) -> tuple[Field, ...]:
        taken: set[str] = set()
        keys: dict[str, int] = {}
        out: list[Field] = []
        for row in rows:
            field = self._field(block, row, taken)
            if field is None:
                continue
            if field.wire_key in keys:
                self.diags.error(
                    self.path,
                    row.line,
                    f"duplicate property '{field.wire_key}' in '{block.name}' "
                    f"(first at line {keys[field.wire_key]})",
                    "duplicate-property",
                )
                continue
            keys[field.wire_key] = row.line
            out.append(field)
        return tuple(out)

    def _field(self, block: Block, row: Row, taken: set[str]) -> Field | None:
        name = unescape(row.name).strip()
        if not name:
            self.diags.error(self.path, row.line, "property has no name", "no-name")
            return None
        base = strip_escape(name)
        python = names.attribute_name(base)
        unique = names.unique(python, taken)
        if unique != python:
            self.diags.warning(
                self.path,
                row.line,
                f"property '{name}' is named '{unique}' in Python "
                f"('{python}' is taken)",
                "name-collision",
            )
        return Field(
            name=name,
            python_name=unique,
            wire_key=base,
            type=self._type(block, row, base),
            required=read_required(row.required, self.path, row.line, self.diags),
            description=(text := clean_description(row.description)),
            location=self._loc(row.line),
            deprecated=is_deprecated(text),
        )

    def _type(self, block: Block, row: Row, base: str) -> TypeRef:
        hint: tuple[str, ...] = ()
        if "model" in row.type:  # PHP's bare `model` (keeps the type cache shared)
            pascal = names.class_name(base)
            hint = (block.name + pascal, pascal)
        try:
            return parse_type(row.type, hint)
        except TypeSyntaxError as exc:
            self.diags.error(self.path, row.line, f"{exc}; using Any", "bad-type")
            return AnyType()


def _stubs(blocks: list[Block], i: int) -> list[str]:
    """The variants of a "This is a union type" heading: the stubs under it."""
    out: list[str] = []
    for block in blocks[i + 1 :]:
        if block.stub is None:
            break
        out.append(block.stub)
    return out


def strip_escape(name: str) -> str:
    """``id_`` → ``id``: liblab appends ``_`` to names reserved in the SDK language."""
    if name.endswith("_") and not name.endswith("__") and name.strip("_"):
        return name[:-1]
    return name
