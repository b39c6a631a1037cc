"""docs/templates.md documents every public IR attribute, filter and global."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from generator import ir
from generator.render import pytypes, templates
from generator.render import renderer as render
from generator.render.client_filters import CLIENT_FILTERS
from generator.render.filters import FILTERS
from generator.render.paths import PATH_FILTERS
from generator.render.usage import USAGE_FILTERS

DOC = (Path(__file__).resolve().parent.parent / "docs" / "templates.md").read_text()
IR_CLASSES = [
    ir.Api, ir.Model, ir.Field, ir.Enum, ir.EnumMember, ir.Union, ir.Service,
    ir.Method, ir.Parameter, ir.Location, ir.Primitive, ir.ListOf, ir.MapOf,
    ir.Ref, ir.UnionOf, ir.Example, ir.StyleDecision, ir.WireStyles,
    ir.Paging, ir.AuthScheme, ir.Environment, ir.Clue,
    render.Module, pytypes.Symbol,
]  # fmt: skip


def _public(cls: type) -> list[str]:
    names = [f.name for f in dataclasses.fields(cls)]
    names += [n for n, v in inspect.getmembers(cls) if isinstance(v, property)]
    return [n for n in names if not n.startswith("_")]


@pytest.mark.parametrize("cls", IR_CLASSES, ids=lambda c: c.__name__)
def test_every_public_attribute_is_documented(cls: type) -> None:
    missing = [n for n in _public(cls) if f"{cls.__name__}.{n}" not in DOC]
    assert not missing, f"docs/templates.md lacks {cls.__name__}: {missing}"


def test_every_ir_class_is_covered() -> None:
    classes = {
        c for _, c in inspect.getmembers(ir, inspect.isclass)
        if dataclasses.is_dataclass(c) and c.__module__ == ir.__name__
    }  # fmt: skip
    assert classes - {ir.AnyType} <= set(IR_CLASSES)
    assert "`AnyType`" in DOC


def test_every_filter_and_global_is_documented() -> None:
    every = [*FILTERS, *CLIENT_FILTERS, *USAGE_FILTERS, *PATH_FILTERS]
    missing = [name for name in every if f"| `{name}` |" not in DOC]
    assert not missing, f"docs/templates.md lacks filters {missing}"
    env = render.environment()
    for name in ("header", "template_api_version"):
        assert name in env.globals
        assert f"`{name}`" in DOC
    assert f"Template API version {render.TEMPLATE_API_VERSION}" in DOC


def test_every_builtin_block_is_documented() -> None:
    env = render.environment()
    for path in sorted(templates.builtin_templates().glob("*.jinja")):
        assert f"`{path.name}`" in DOC, path.name
        for block in env.get_template(path.name).blocks:
            assert f"`{block}`" in DOC, f"{path.name}: block {block}"
