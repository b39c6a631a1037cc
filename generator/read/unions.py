"""Which headings of a model doc are the variants of a union heading.

liblab writes a union as a heading with no property table (empty, or with a
description only) and documents its variants right under it, each followed
by the definitions nested in it, in the order it walks the schema (depth
first).  Two things tell a variant from a definition that only follows it:

* **nothing names a variant**: the union's heading stands for it, so no
  property of the file has it as its type, while a nested definition is the
  type of a property above it (``Details_1Resources`` of ``Details_1``) and a
  sibling (``MatchWinnerId``, the next property's type) is named by the
  model the union belongs to.  The variants of a union are the headings
  under it that no property of the file names, up to the first heading named
  from outside the union (or a "See all details" stub).  Their names vary
  with the dialect and the generator (``Details_1``, ``Details1``, the
  property's ``Winner_1_1``, a request's ``AddApiCollection_1``, an OpenAPI
  title such as ``SuccessfulMigration``), so they are not relied on;
* **numbered names**: ``U_1``/``U1``… are variants of ``U`` wherever they
  follow it (the older rule), and ``U_8`` is a sibling of ``U_7``, never its
  variant.

A heading without a table under a union is a variant too when nothing names
it and it has variants of its own (a union of unions: ringcentral's
``GetTokenRequest_7``); without variants it is an opaque value of its own and
ends the union.  The resolver drops a variant that another file or a service
names (a hand-written file with top-level models under an opaque heading is
not a union).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import names
from ..ir import ListOf, MapOf, Ref, TypeRef, UnionOf
from .parse import Block
from .parse_type import TypeSyntaxError, parse_type


def type_names(t: TypeRef) -> Iterator[str]:
    """The names a type refers to (``List[Details1Resources]`` → that name)."""
    if isinstance(t, Ref):
        yield t.name
    elif isinstance(t, ListOf):
        yield from type_names(t.item)
    elif isinstance(t, MapOf):
        yield from type_names(t.value)
    elif isinstance(t, UnionOf):
        for v in t.variants:
            yield from type_names(v)


def key(name: str) -> str:
    """Names equal as references (``Details_1Resources`` is ``Details1Resources``)."""
    return names.class_name(name)


def _named_by(blocks: list[Block]) -> dict[str, set[int]]:
    """For each name a property type refers to: the blocks whose table does."""
    out: dict[str, set[int]] = {}
    for i, block in enumerate(blocks):
        for row in block.rows or ():
            try:
                found = list(type_names(parse_type(row.type)))
            except TypeSyntaxError:
                continue
            for name in found:
                out.setdefault(key(name), set()).add(i)
    return out


def is_union_heading(block: Block) -> bool:
    """A heading with no property table that is not a stub nor a stub list."""
    return block.rows is None and block.stub is None and not block.union_sentence


def _siblings(a: str, b: str) -> bool:
    """``GetTokenRequest_7`` and ``GetTokenRequest_8``: numbered alike."""
    first, second = _numbered_stem(a), _numbered_stem(b)
    return first is not None and first == second


def _numbered_stem(name: str) -> str | None:
    """``GetTokenRequest_7`` → ``GetTokenRequest``; None without a number
    (string methods, not a pattern: a lazy stem before digits backtracks)."""
    stem = name.rstrip("0123456789")
    return stem.removesuffix("_") if stem != name else None


class UnionVariants:
    """The variants of every union heading of one file, by block index."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.named_by = _named_by(blocks)
        self.found: dict[int, list[int]] = {}
        self.end: dict[int, int] = {}
        for i in reversed(range(len(blocks))):  # a nested union is read first
            if is_union_heading(blocks[i]):
                self._under(i)

    def variants(self, i: int) -> list[str]:
        """The names of the variants of the union heading ``blocks[i]``."""
        head = self.blocks[i]
        numbered = re.compile(re.escape(head.name) + r"_?\d+\Z")
        found = set(self.found.get(i, ()))
        for j in range(i + 1, len(self.blocks)):
            block = self.blocks[j]
            if block.stub is None and numbered.match(block.name):
                found.add(j)
        return [self.blocks[j].name for j in sorted(found)]

    def _under(self, i: int) -> None:
        """Read the headings under the union ``blocks[i]`` (those of the unions
        after it are read already)."""
        head = self.blocks[i]
        inside = {i}
        variants: list[int] = []
        j = i + 1
        while j < len(self.blocks):
            block = self.blocks[j]
            if block.stub is not None or block.union_sentence:
                break
            if _siblings(head.name, block.name):
                break
            by = self.named_by.get(key(block.name), set()) - {j}
            if not by <= inside:
                break
            nested = is_union_heading(block)
            if not by and nested and not self.found[j]:
                break  # an opaque heading of its own (a union of primitives)
            if not by:
                variants.append(j)
            end = self.end[j] if nested else j + 1
            inside.update(range(j, end))
            j = end
        self.found[i] = variants
        self.end[i] = j
