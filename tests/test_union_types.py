"""Union syntax in Type cells (issue 21, 9): ``str | bytes``, ``Model | dict``.

Hand-edited Python docs (and TypeScript's) write unions with ``|``, escaped
as ``\\|`` in a table; they are unions (``UnionOf``), ``X | None`` is ``X``
(optional or nullable, as ``Optional[X]``), and errors stay ``bad-type``.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.diagnostics import Diagnostics, Level
from generator.ir import AnyType, ListOf, MapOf, Model, Primitive, Ref, TypeRef, UnionOf
from generator.read.build import Builder
from generator.read.parse import FileParser
from generator.read.parse_type import TypeSyntaxError, parse_type, union_of

A = Ref("A", ("A",))
B = Ref("B", ("B",))
C = Ref("C", ("C",))
PET = Ref("Pet", ("Pet",))
STR, INT, BYTES = Primitive("str"), Primitive("int"), Primitive("bytes")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("str \\| bytes", UnionOf((STR, BYTES))),
        ("str | bytes", UnionOf((STR, BYTES))),
        ("str|bytes", UnionOf((STR, BYTES))),
        ("Pet \\| dict", UnionOf((PET, MapOf(AnyType())))),
        ("Pet \\| None", PET),
        ("None \\| Pet", PET),
        ("Pet \\| null", PET),
        ("None \\| None", AnyType()),
        ("str \\| str", STR),
        ("A \\| B \\| A", UnionOf((A, B))),
        ("Optional[A \\| B]", UnionOf((A, B))),
        ("Union[A, B \\| C]", UnionOf((A, B, C))),
        ("Union[A, None]", A),
        ("OneOf<A, A>", A),
        ("List[A \\| B]", ListOf(UnionOf((A, B)))),
        ("List\\[A \\| B\\]", ListOf(UnionOf((A, B)))),
        ("(A \\| B)[]", ListOf(UnionOf((A, B)))),
        ("A \\| B[]", UnionOf((A, ListOf(B)))),
        ("Dict[str, int \\| str]", MapOf(UnionOf((INT, STR)))),
        ("[]byte \\| string", UnionOf((BYTES, STR))),
        ("map[string]\\*A \\| B", UnionOf((MapOf(A), B))),
        ("[Pet](Pet.md) \\| None", PET),
        ("[Pet](../models/Pet.md) \\| [List[A]](A.md)", UnionOf((PET, ListOf(A)))),
        ("`str \\| bytes`", UnionOf((STR, BYTES))),
        ("Models\\A \\| pkg.B", UnionOf((A, B))),
    ],
)
def test_union_spellings(cell: str, expected: TypeRef) -> None:
    assert parse_type(cell) == expected


@pytest.mark.parametrize(
    "cell", ["str \\|", "\\| str", "A \\|\\| B", "(A \\| B", "A \\| )", "(", "A \\| ()"]
)
def test_broken_unions_are_errors(cell: str) -> None:
    with pytest.raises(TypeSyntaxError):
        parse_type(cell)


def test_a_table_of_union_types_builds_without_errors() -> None:
    text = (
        "# Upload\n\n**Properties**\n\n"
        "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"
        "| content | str \\| bytes | ✅ | text or bytes |\n"
        "| meta | Meta \\| dict | ❌ | |\n"
        "| bad | str \\| | ❌ | |\n"
    )
    diags = Diagnostics()
    (upload,) = Builder("u.md", diags).build(FileParser("u.md", diags).parse(text))
    assert isinstance(upload, Model)
    assert [f.type for f in upload.fields] == [
        UnionOf((STR, BYTES)),
        UnionOf((Ref("Meta", ("Meta",)), MapOf(AnyType()))),
        AnyType(),
    ]
    assert [(d.level, d.line, d.code) for d in diags.items] == [
        (Level.ERROR, 9, "bad-type")
    ]
    assert diags.items[0].message == ("expected a type name in type 'str |'; using Any")


# --- properties -------------------------------------------------------------------

ATOMS: list[tuple[str, TypeRef]] = [
    ("str", STR),
    ("int", INT),
    ("bytes", BYTES),
    ("dict", MapOf(AnyType())),
    ("A", A),
    ("B", B),
    ("[C](C.md)", C),
    ("List[A]", ListOf(A)),
    ("B[]", ListOf(B)),
    ("None", Ref("null", ())),
]


@given(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=6), st.booleans())
def test_bar_unions_are_flat_unique_and_drop_none(
    parts: list[tuple[str, TypeRef]], escaped: bool
) -> None:
    bar = " \\| " if escaped else " | "
    cell = bar.join(spelling for spelling, _ in parts)
    want: list[TypeRef] = []
    for _, t in parts:
        if t != Ref("null", ()) and t not in want:
            want.append(t)
    expected = (
        AnyType() if not want else want[0] if len(want) == 1 else UnionOf(tuple(want))
    )
    assert parse_type(cell) == expected
    # the same union written as Union[…], Optional[…] and in parentheses
    generic = "Union[" + ", ".join(spelling for spelling, _ in parts) + "]"
    assert parse_type(generic) == expected
    assert parse_type(f"Optional[{cell}]") == expected
    if want:
        assert parse_type(f"({cell})[]") == ListOf(expected)


@given(st.lists(st.sampled_from(ATOMS[:-1]), min_size=1, max_size=4))
def test_union_of_is_idempotent(parts: list[tuple[str, TypeRef]]) -> None:
    once = union_of(t for _, t in parts)
    assert union_of([once]) == once
    assert union_of([once, once]) == once
