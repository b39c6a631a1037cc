"""How the runtime spells parameter values (``_styles``, through ``_request``).

Imported straight from the generator, as test_runtime.py does; the same code
is exercised through generated clients in test_param_styles_e2e.py and the
corpus sweep (test_wire_sweep.py).
"""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.runtime import _request, _styles
from generator.runtime import _runtime as rt


@rt.model
class Point(rt.Model):
    x_pos: int
    label: str | rt.Unset = rt.UNSET

    _camel = True


class Color(enum.Enum):
    RED = "red"


# --- query --------------------------------------------------------------------


def test_deep_object_brackets_members_and_comma_joins_arrays() -> None:
    value = {"id": [3, 3], "winner_type": "Team", "finished": True}
    assert _styles.query_pairs("filter", value, ("deepObject", True)) == [
        ("filter[id]", "3,3"),
        ("filter[winner_type]", "Team"),
        ("filter[finished]", "true"),
    ]


def test_deep_object_goes_deeper_for_objects_and_uses_json_for_arrays_of_them() -> None:
    value = {"a": {"b": 1, "c": {"d": None, "e": 2.0}}, "f": [{"g": 1}], "h": None}
    assert _styles.query_pairs("q", value, ("deepObject", True)) == [
        ("q[a][b]", "1"),
        ("q[a][c][e]", "2"),
        ("q[f]", '[{"g":1}]'),
    ]


def test_form_explode_flattens_an_object_into_its_own_keys() -> None:
    value = {"hotel_ids": [3, 4], "checkin": "2024-05-01", "room": {"adults": 2}}
    assert _styles.query_pairs("block_input", value) == [
        ("hotel_ids", "3"),
        ("hotel_ids", "4"),
        ("checkin", "2024-05-01"),
        ("room", '{"adults":2}'),
    ]


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (("form", True), [("a", "1"), ("a", "x y"), ("a", "false")]),
        (("form", False), [("a", "1,x y,false")]),
        (("pipeDelimited", False), [("a", "1|x y|false")]),
        (("spaceDelimited", False), [("a", "1 x y false")]),
        (("deepObject", True), [("a", "1"), ("a", "x y"), ("a", "false")]),
    ],
)
def test_arrays_in_each_query_style(style: _styles.Style, expected: Any) -> None:
    assert _styles.query_pairs("a", [1, "x y", False], style) == expected


def test_an_object_not_exploded_is_keys_and_values_comma_joined() -> None:
    value = {"r": 100, "g": [1, 2]}
    assert _styles.query_pairs("c", value, ("form", False)) == [("c", "r,100,g,[1,2]")]


def test_models_and_enums_are_encoded_first() -> None:
    value = [Point(x_pos=1, label="a"), Point(x_pos=2)]
    assert _styles.query_pairs("p", value) == [
        ("p", '{"xPos":1,"label":"a"}'),
        ("p", '{"xPos":2}'),
    ]
    assert _styles.query_pairs("p", Point(x_pos=1), ("deepObject", True)) == [
        ("p[xPos]", "1")
    ]
    assert _styles.query_pairs("c", [Color.RED], ("form", False)) == [("c", "red")]


def test_scalars_are_spelled_as_in_json() -> None:
    assert _styles.scalar(True) == "true"
    assert _styles.scalar(3.0) == "3"
    assert _styles.scalar(0.5) == "0.5"
    assert _styles.scalar(None) == "null"
    assert _styles.scalar(datetime.date(2024, 5, 1)) == "2024-05-01"
    ident = uuid.UUID(int=1)
    assert _styles.scalar(ident) == str(ident)


def test_a_value_without_a_spelling_is_refused_not_repr() -> None:
    with pytest.raises(TypeError, match="object has no spelling"):
        _styles.query_pairs("a", object())
    with pytest.raises(TypeError, match="no JSON spelling"):
        _styles.query_pairs("a", [[object()]])


# --- path and header ----------------------------------------------------------


def test_path_arrays_are_comma_joined_and_each_item_percent_encoded() -> None:
    assert _styles.path_segment(["card-id", "card-id-1"]) == "card-id,card-id-1"
    assert _styles.path_segment(["a/b", "c,d"]) == "a%2Fb,c%2Cd"
    assert _styles.path_segment({"k": "v", "n": 2}) == "k,v,n,2"
    assert _styles.path_segment({"k": "v"}, ("simple", True)) == "k=v"
    assert _styles.path_segment(True) == "true"
    assert _styles.path_segment("..") == "%2E%2E"


def test_header_arrays_and_objects_are_simple() -> None:
    assert _styles.header_value(["a", 1, True]) == "a,1,true"
    assert _styles.header_value({"k": "v", "n": [1, 2]}) == "k,v,n,[1,2]"
    assert _styles.header_value(Point(x_pos=1), ("simple", True)) == "xPos=1"


def test_form_fields_never_hold_a_repr() -> None:
    fields = _styles.form_fields(
        {"a": [{"b": 1}], "c": {"d": [1]}, "e": None, "f": False, "g": [[1]]}
    )
    assert fields == {"a": ['{"b":1}'], "c": '{"d":[1]}', "f": "false", "g": ["[1]"]}


# --- whole requests, arbitrary values -----------------------------------------

# Lower-case text only: a repr's markers (``{'``, ``True``, ``None``, ``<``)
# cannot come from the data itself.
_TEXT = st.text(alphabet="abcxyz019 -_.,/:", max_size=6)
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
    allow_infinity=False) | _TEXT  # fmt: skip
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(_TEXT.filter(bool), inner, max_size=3),
    max_leaves=12,
)
_STYLES = st.sampled_from(
    [("form", True), ("form", False), ("deepObject", True),
     ("pipeDelimited", False), ("spaceDelimited", False)]
)  # fmt: skip
_SIMPLE = st.sampled_from([("simple", False), ("simple", True)])
REPR_MARKERS = ("{'", "['", "<", "object at", "True", "False", "None", "(")


def assert_no_repr(text: str) -> None:
    for shown in (text, unquote(text), unquote(text.replace("+", " "))):
        found = [m for m in REPR_MARKERS if m in shown]
        assert not found, (found, shown)


@settings(max_examples=150, deadline=None)
@given(
    query=_JSON, path=_JSON, header=_JSON, extra=_JSON, form=_JSON,
    style=_STYLES, simple=_SIMPLE,
)  # fmt: skip
def test_no_repr_reaches_a_url_a_header_or_a_form_body(
    query: Any, path: Any, header: Any, extra: Any, form: Any,
    style: _styles.Style, simple: _styles.Style,
) -> None:  # fmt: skip
    call = _request.Call(
        "POST", "/items/{id}", path_params={"id": path if path is not None else 1},
        query={"q": query}, query_maps=({"m": query},),
        headers={"X-H": header}, styles={"query:q": style, "path:id": simple,
                                         "header:X-H": simple},
        body={"f": form, "g": [form]}, has_body=True, encoding="form",
        options=_request.Options(extra_query={"e": extra}),
    )  # fmt: skip
    with httpx.Client() as client:
        request = _request.build(client, "https://api.test", {}, 5.0, call, [])
    assert_no_repr(str(request.url))
    assert_no_repr(request.headers.get("X-H", ""))
    assert_no_repr(request.read().decode())


@settings(max_examples=100, deadline=None)
@given(value=st.dictionaries(_TEXT.filter(bool), _TEXT | st.integers(), max_size=4))
def test_a_flat_object_deep_or_flattened_reads_back(value: dict[str, Any]) -> None:
    flat = httpx.URL("https://api.test/", params=_styles.query_pairs("o", value))
    deep = _styles.query_pairs("o", value, ("deepObject", True))
    back = dict(httpx.URL("https://api.test/", params=deep).params.multi_items())
    assert back == {f"o[{k}]": str(v) for k, v in value.items()}
    assert dict(flat.params.multi_items()) == {k: str(v) for k, v in value.items()}
