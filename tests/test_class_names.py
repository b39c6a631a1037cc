"""Mechanical class names (``Model1``, ``ModelModel``, liblab's ``X_1``/``X_2``,
``Cat_2``) replaced by names derived from where the definition is used, each
listed as a guess with its ``class-names`` pin; deterministic, collision-free
and stable when an unrelated model is added."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.core import generate, load
from generator.diagnostics import Diagnostics
from generator.infer.guesses import guesses
from generator.ir import Api, Model, Ref
from generator.settings import Settings

TABLE = "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"


def model(name: str, *rows: str) -> str:
    body = "".join(f"| {row} | ❌ | |\n" for row in rows)
    return f"# {name}\n\n**Properties**\n\n{TABLE}{body}\n"


# liblab's inline schemas: the request's and the response's `environment`
# have the same name, so they are numbered; each has its own nested model.
ENVIRONMENTS = {
    "CreateEnvironmentRequest.md": model(
        "CreateEnvironmentRequest", "environment | CreateEnvironmentEnvironment1"
    )
    + model("CreateEnvironmentEnvironment_1", "name | str", "values | List[Values1]")
    + model("Values_1", "key | str"),
    "CreateEnvironmentOkResponse.md": model(
        "CreateEnvironmentOkResponse", "environment | CreateEnvironmentEnvironment2"
    )
    + model("CreateEnvironmentEnvironment_2", "id | str")
    + model("Values_2", "key | str", "value | str"),
    "Holder.md": model("Holder", "values | Values2", "model | Model", "n | Model1st"),
    "Model.md": model("Model", "id | str"),
    "1st.md": model("1st", "id | str"),
}

SERVICE = """# EnvironmentsService

## createEnvironment

- HTTP Method: `POST`
- Endpoint: `/environments`

**Parameters**

| Name | Type | Required | Description |
| :--- | :--- | :--- | :--- |
| body | CreateEnvironmentRequest | ✅ | The request body. |

**Return Type**

`List[Listed_1]`
"""


def write(root: Path, files: dict[str, str], service: str | None = None) -> Path:
    (root / "models").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / "models" / name).write_text(text, "utf-8")
    if service is not None:
        (root / "services").mkdir(exist_ok=True)
        (root / "services" / "EnvironmentsService.md").write_text(service, "utf-8")
    return root


def classes(api: Api) -> dict[str, str]:
    """Heading → class name."""
    return {d.name: d.class_name for d in api.definitions}


def test_mechanical_names_are_derived_from_their_use(tmp_path: Path) -> None:
    api = load([write(tmp_path, ENVIRONMENTS)], Settings(), Diagnostics())
    found = classes(api)
    assert found["CreateEnvironmentEnvironment_1"] == (
        "CreateEnvironmentRequestEnvironment"
    )
    assert found["CreateEnvironmentEnvironment_2"] == (
        "CreateEnvironmentOkResponseEnvironment"
    )
    # a nested model takes its parent's new name
    assert found["Values_1"] == "CreateEnvironmentRequestEnvironmentValues"
    assert found["Values_2"] == "HolderValues"
    assert found["Model"] == "HolderModel"  # not ModelModel
    assert found["1st"] == "HolderN"  # not Model1st
    assert found["Holder"] == "Holder"  # a name that says something stays
    request = next(d for d in api.models if d.name == "CreateEnvironmentRequest")
    [field] = request.fields
    assert isinstance(field.type, Ref)
    assert field.type.target == "CreateEnvironmentRequestEnvironment"
    renamed = next(d for d in api.definitions if d.name == "Model")
    assert renamed.name_rule == "derived" and renamed.renamed_from == "ModelModel"
    assert str(renamed.name_evidence[0]).startswith("property 'Holder.model' at ")


def test_methods_name_what_they_send_and_return(tmp_path: Path) -> None:
    files = {
        "Listed.md": model("Listed_1", "id | str") + model("Listed_2", "x | int"),
        "CreateEnvironmentRequest.md": model("CreateEnvironmentRequest", "id | str"),
    }
    api = load([write(tmp_path, files, SERVICE)], Settings(), Diagnostics())
    found = classes(api)
    assert found["Listed_1"] == "CreateEnvironmentItem"  # the items of a list
    assert found["Listed_2"] == "Listed2"  # used nowhere: kept
    [service] = api.services
    returns = service.methods[0].returns
    assert returns is not None and "CreateEnvironmentItem" in repr(returns)


def test_each_rename_is_a_guess_with_a_pin(tmp_path: Path) -> None:
    api = load([write(tmp_path, ENVIRONMENTS)], Settings(), Diagnostics())
    named = {g.target: g for g in guesses(api) if g.kind == "class-name"}
    model_model = named["ModelModel"]
    assert model_model.value == "HolderModel" and model_model.source == "default"
    assert model_model.pin == ("class-names", ("ModelModel",), "HolderModel")


def test_a_pin_wins_and_a_pin_to_a_taken_name_is_an_error(tmp_path: Path) -> None:
    root = write(tmp_path, ENVIRONMENTS)
    pins = {"ModelModel": "Thing", "Values_2": "HolderValue"}  # class or heading
    api = load([root], Settings(class_names=pins), Diagnostics())
    found = classes(api)
    assert (found["Model"], found["Values_2"]) == ("Thing", "HolderValue")
    assert not [g for g in guesses(api) if g.target in ("ModelModel", "Values2")]
    diags = Diagnostics()
    load([root], Settings(class_names={"ModelModel": "Holder"}), diags)
    assert any("'Holder' (for 'ModelModel')" in d.message for d in diags.items)
    diags = Diagnostics()
    load([root], Settings(class_names={"Nothing": "X"}), diags)
    assert any("no definition is called 'Nothing'" in d.message for d in diags.items)


def test_an_unrelated_model_changes_no_rename(tmp_path: Path) -> None:
    before = classes(
        load([write(tmp_path / "a", ENVIRONMENTS)], Settings(), Diagnostics())
    )
    more = dict(ENVIRONMENTS) | {
        "Zebra.md": model("Zebra", "stripes | Stripes_1")
        + model("Stripes_1", "n | int"),
        "Aardvark.md": model("Aardvark", "id | str"),
    }
    after = classes(load([write(tmp_path / "b", more)], Settings(), Diagnostics()))
    assert {k: after[k] for k in before} == before
    assert after["Stripes_1"] == "ZebraStripes"


def test_a_derived_name_that_is_taken_is_not_used(tmp_path: Path) -> None:
    files = dict(ENVIRONMENTS) | {"HolderModel.md": model("HolderModel", "id | int")}
    found = classes(load([write(tmp_path, files)], Settings(), Diagnostics()))
    assert found["HolderModel"] == "HolderModel"
    assert found["Model"] == "ModelModel"  # HolderModel is taken: kept
    two = {
        "A.md": model("A", "x | X_1"),
        "B.md": model("AX", "y | int") + model("Ax", "z | X_2"),
        "X.md": model("X_1", "id | str") + model("X_2", "id | int"),
    }
    found = classes(load([write(tmp_path / "two", two)], Settings(), Diagnostics()))
    assert found["X_1"] == "X1"  # AX is a class name already


def test_the_conflict_warning_names_the_final_class(tmp_path: Path) -> None:
    files = {
        "Cat.md": model("Cat", "name | str"),
        "Pet.md": model("Pet", "cat | Cat") + model("Cat", "lives | int"),
    }
    diags = Diagnostics()
    api = load([write(tmp_path, files)], Settings(), diags)
    assert sorted(d.class_name for d in api.definitions) == ["Cat", "Pet", "PetCat"]
    [warning] = [d for d in diags.items if d.code == "conflicting-definition"]
    assert "generated as 'PetCat'" in warning.message
    pet = next(d for d in api.definitions if isinstance(d, Model) and d.name == "Pet")
    assert isinstance(pet.fields[0].type, Ref)
    assert pet.fields[0].type.target == "PetCat"


def test_the_renamed_package_imports_and_ir_and_config_show_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(tmp_path / "docs", ENVIRONMENTS)
    result = generate([root], package="envs")
    assert not result.diagnostics.has_errors
    assert "models/holder_model.py" in result.files
    assert "class HolderModel(_rt.Model):" in result.files["models/holder_model.py"]

    assert main(["ir", str(root)]) == 0
    ir = json.loads(capsys.readouterr().out)
    renamed = {d["renamed_from"]: d for d in ir["definitions"] if d["renamed_from"]}
    assert renamed["ModelModel"]["class_name"] == "HolderModel"
    assert renamed["ModelModel"]["name_rule"] == "derived"
    assert "ModelModel" in {g["target"] for g in ir["guesses"]}

    config = """
        [tool.docs2py]
        specs = ["docs"]
        out = "out/envs"
        class-names = { "ModelModel" = "Thing" }
    """
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    assert (tmp_path / "out/envs/models/thing.py").is_file()
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(config).replace('"Thing"', '"not a class"'), "utf-8"
    )
    assert main(["generate"]) == 2
    assert "is not a class name" in capsys.readouterr().err
