"""Definition modules that skip black are exactly what black writes.

``write.black_shape.as_black_writes`` lets a module of the built-in model,
enum and union templates skip black when it is sure black would write the
same text (after splitting long property lines as black does).  Held to
black's own output: on corpus doc sets of every dialect, at other line
lengths, and on hostile names and descriptions.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core import generate, load
from generator.diagnostics import Diagnostics
from generator.render.renderer import Renderer, Source, environment
from generator.settings import Settings
from generator.write.black_shape import TEMPLATES, as_black_writes
from generator.write.format import format_source, mode

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SETS = [
    "liblaber__ringcentral-rest-api-1.0.58-20240529-47eda8bd-python-sdk-1.0.0",
    "liblaber__pandascore-rest-api-v2.53-typescript-sdk-v1.0.0",
    "liblaber__postman-postman-api-1.0.0-csharp-1.0.0",
    "Celitech__CelitechSDKGo",
    "liblaber__voyado-engage-2.0.0-python-1.0.0",
    "AlohiHQ__signplus-java",
]


def _sources(specs: Path) -> list[Source]:
    with contextlib.redirect_stderr(io.StringIO()):
        api = load([specs], Settings(), Diagnostics())
    return list(Renderer(environment(), api, "pkg").sources())


def _check(sources: list[Source], line_length: int) -> int:
    """How many sources skip black; each one as black writes it."""
    skipped = 0
    for source in sources:
        shaped = as_black_writes(source, line_length)
        if shaped is None:
            continue
        skipped += 1
        expected = black.format_str(source.text, mode=mode(line_length))
        assert shaped[0] == expected, source.path
    return skipped


@pytest.mark.slow
@pytest.mark.parametrize("name", SETS)
def test_modules_that_skip_black_are_as_black_writes_them(name: str) -> None:
    if not (CORPUS / name).is_dir():
        pytest.skip("needs the corpus")
    sources = _sources(CORPUS / name)
    definitions = [s for s in sources if Path(s.template).name in TEMPLATES]
    skipped = _check(sources, 88)
    assert skipped >= 0.9 * len(definitions)  # black is the exception


@pytest.mark.slow
@pytest.mark.parametrize("line_length", [60, 79, 120])
def test_other_line_lengths(line_length: int) -> None:
    name = SETS[1]
    if not (CORPUS / name).is_dir():
        pytest.skip("needs the corpus")
    assert _check(_sources(CORPUS / name), line_length) > 0


def test_a_users_template_of_the_same_name_goes_to_black(tmp_path: Path) -> None:
    (tmp_path / "model.py.jinja").write_text(
        '{% extends "builtin/model.py.jinja" %}\n', "utf-8"
    )
    specs = Path(__file__).resolve().parent.parent / "specs"
    with contextlib.redirect_stderr(io.StringIO()):
        api = load([specs], Settings(), Diagnostics())
    env = environment([tmp_path])
    sources = [
        s for s in Renderer(env, api, "pkg").sources() if s.path.startswith("models/")
    ]
    models = [s for s in sources if s.template.endswith("model.py.jinja")]
    assert models and all(as_black_writes(s, 88) is None for s in models)


_WORDS = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=40
)
_DESCRIPTION = st.lists(
    st.one_of(
        _WORDS,
        st.sampled_from(['"', '"""', "\\", " ", "  indent", "\t", "x" * 90, "é" * 50]),
    ),
    max_size=6,
).map(lambda parts: "\n".join(parts))
_NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,60}", fullmatch=True)


def _spec(model: str, description: str, field: str, enum: str) -> str:
    cell = " ".join(description.split()).replace("|", "/")[:200]
    return (
        f"# {model}\n\n{description}\n\n**Properties**\n\n"
        "| Name | Type | Required | Description |\n"
        "| :--- | :--- | :------- | :---------- |\n"
        f"| {field} | {enum} | ❌ | {cell} |\n"
        f"| other_{field} | {model}[] | ✅ | |\n\n"
        f"# {enum}\n\n{description}\n\n**Properties**\n\n"
        "| Name | Type | Required | Description |\n"
        "| :--- | :--- | :------- | :---------- |\n"
        f'| A_{field.upper()} | string | ✅ | "{cell[:30] or "a"}" |\n'
    )


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    model=_NAME,
    description=_DESCRIPTION,
    field=_NAME,
    enum=_NAME,
    line_length=st.sampled_from([40, 88]),
)
def test_hostile_text_skips_black_only_as_black_writes_it(
    tmp_path: Path,
    model: str,
    description: str,
    field: str,
    enum: str,
    line_length: int,
) -> None:
    if model.lower() == enum.lower():
        return
    folder = tmp_path / model
    folder.mkdir(exist_ok=True)
    (folder / "Model.md").write_text(_spec(model, description, field, enum), "utf-8")
    with contextlib.redirect_stderr(io.StringIO()):
        api = load([folder], Settings(), Diagnostics())
    try:
        sources = list(Renderer(environment(), api, "pkg").sources())
    except Exception:  # a name the renderer refuses: nothing to format
        return
    for source in sources:
        if Path(source.template).name in TEMPLATES:
            shaped = as_black_writes(source, line_length)
            if shaped is not None:
                expected = black.format_str(source.text, mode=mode(line_length))
                assert shaped[0] == expected
                assert format_source(source, line_length) == expected


def test_generate_gives_black_output_where_black_was_skipped() -> None:
    specs = Path(__file__).resolve().parent.parent / "specs"
    result = generate([specs])
    for path, text in result.files.items():
        if path.startswith("models/") and path.endswith(".py"):
            assert black.format_str(text, mode=mode()) == text, path
