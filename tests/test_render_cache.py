"""The render cache: a cached run writes what an uncached run writes, and an
edit re-renders every module whose template read what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.core import generate
from generator.write.format_cache import FormatCache, mode_key

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def _fresh(specs: Path, **kwargs: object) -> dict[str, str]:
    result = generate([specs], package="pc", **kwargs)  # type: ignore[arg-type]
    assert not result.diagnostics.has_errors
    return result.files


def _cached(specs: Path, cache: Path, **kwargs: object) -> dict[str, str]:
    return _fresh(specs, cache=FormatCache(cache, mode_key(88)), **kwargs)


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    shutil.copytree(SPECS, tmp_path / "specs")
    return tmp_path / "specs"


def test_a_cached_run_writes_what_an_uncached_one_does(
    specs: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = _cached(specs, cache)
    assert any((cache / "rendered").rglob("*")), "nothing was cached"
    assert _cached(specs, cache) == first == _fresh(specs)


def _edit(specs: Path, old: str, new: str) -> None:
    edited = 0
    for path in specs.rglob("*.md"):
        text = path.read_text("utf-8")
        if old in text:
            path.write_text(text.replace(old, new), "utf-8")
            edited += 1
    assert edited, f"{old!r} is not in the specs"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("# Dog\n", "# Hound\n"),  # a variant's class and module: the unions change
        ("Unique owner ID", "The owner's ID"),  # one model's description
        ("| breed ", "| breedName "),  # a property of a union variant
        ("in-progress", "ongoing"),  # an enum value
    ],
)
def test_an_edit_renders_what_it_changes(
    specs: Path, tmp_path: Path, old: str, new: str
) -> None:
    cache = tmp_path / "cache"
    _cached(specs, cache)
    _edit(specs, old, new)
    assert _cached(specs, cache) == _fresh(specs)


def test_user_templates_are_never_cached(specs: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    templates = tmp_path / "templates"
    templates.mkdir()
    override = templates / "enum.py.jinja"
    override.write_text(
        '{% extends "builtin/enum.py.jinja" %}{% block methods %}\n'
        "    # user-template-one\n{% endblock %}\n",
        "utf-8",
    )
    first = _cached(specs, cache, template_dirs=[templates])
    assert any("# user-template-one" in text for text in first.values())
    override.write_text(override.read_text("utf-8").replace("one", "two"), "utf-8")
    second = _cached(specs, cache, template_dirs=[templates])
    assert not any("# user-template-one" in text for text in second.values())
    assert second == _fresh(specs, template_dirs=[templates])


UNION = (
    "# {name}\n\nThis is a union type which means it could be any of several "
    "possible types.\n\n"
)
TABLE = (
    "**Properties**\n\n| Name | Type | Required | Description |\n"
    "| :--- | :--- | :--- | :--- |\n| {row} | ❌ | |\n"
)
DOCS = {
    "Circle.md": "# Circle\n\n" + TABLE.format(row="radius | number"),
    "Square.md": "# Square\n\n" + TABLE.format(row="side | number"),
    "Shape.md": UNION.format(name="Shape")
    + "# Circle\n\nSee all details about Circle model [here](Circle.md).\n",
    # a union of a union: its module spells Shape's variants
    "Figure.md": UNION.format(name="Figure")
    + "# Shape\n\nSee all details about Shape model [here](Shape.md).\n\n"
    + "# Square\n\nSee all details about Square model [here](Square.md).\n",
    "Canvas.md": "# Canvas\n\n" + TABLE.format(row="shape | Shape"),
}


@pytest.mark.parametrize(
    "shape",
    [
        # Figure's module changes with Shape's variants (Figure.md does not)
        UNION.format(name="Shape")
        + "# Square\n\nSee all details about Square model [here](Square.md).\n",
        # Shape opaque: Canvas's annotation becomes Any (Canvas.md does not change)
        "# Shape\n\nAny shape at all.\n",
    ],
)
def test_a_module_is_rendered_again_when_what_it_refers_to_changes(
    tmp_path: Path, shape: str
) -> None:
    specs, cache = tmp_path / "specs", tmp_path / "cache"
    specs.mkdir()
    for name, text in DOCS.items():
        (specs / name).write_text(text, "utf-8")
    before = _cached(specs, cache)
    (specs / "Shape.md").write_text(shape, "utf-8")
    after = _cached(specs, cache)
    assert after == _fresh(specs)
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed & {"models/figure.py", "models/canvas.py"}, changed
