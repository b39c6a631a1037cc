"""A generated distribution as its users get it: ``python -m build`` makes its
wheel and sdist (with build isolation: hatchling comes from the index), their
metadata passes ``twine check``, and each installs into a fresh virtualenv and
works there: the client with its httpx dependency, or, for docs without
service docs, the models alone without httpx (flat layout)."""

from __future__ import annotations

import email
import email.message
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from test_wheel import fresh_venv, run

from generator.cli.commands import main

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
MODELS_ONLY = ROOT / "tests" / "cases" / "enums" / "specs"

pytestmark = pytest.mark.slow

USE_CLIENT = """
import httpx
from importlib.metadata import requires
from petclinic import Client, Owner, Problem, VisitStatus
from petclinic.errors import ConflictError

def clinic(request: httpx.Request) -> httpx.Response:
    if request.method == "POST":
        return httpx.Response(409, json={"title": "E-mail taken", "status": 409})
    if request.url.path == "/v1/visits":
        visit = {"id": "v1", "petId": "p1", "scheduledAt": "2024-05-01T09:30:00Z",
                 "status": request.url.params["status"]}
        return httpx.Response(200, json=[visit])
    jpeg = {"content-type": "image/jpeg"}
    return httpx.Response(200, content=b"\\xff\\xd8", headers=jpeg)

with Client(transport=httpx.MockTransport(clinic)) as client:
    (visit,) = client.visits.list_visits(status=VisitStatus.NO_SHOW, page=1)
    print(visit.status is VisitStatus.NO_SHOW, client.pets.get_pet_photo("p1"))
    owner = Owner(id="o1", first_name="Ada", last_name="Lovelace", active=True)
    try:
        client.owners.create_owner(body=owner, idempotency_key="k1")
    except ConflictError as error:
        print(Problem.from_dict(error.body).title)
print(requires("petclinic-client"))
"""

WITHOUT_HTTPX = """
from petclinic import *
ada = {"id": "o1", "firstName": "Ada", "lastName": "L", "active": True}
owner = Owner.from_dict(ada)
print(owner.first_name, "Client" in dir())
try:
    from petclinic import Client
except ModuleNotFoundError as error:
    print(error.name)
"""

USE_MODELS = """
import importlib.util
from importlib.metadata import requires
from enums import *
print(OrderStatus("pending").name, importlib.util.find_spec("httpx"))
try:
    import enums.client
except ModuleNotFoundError as error:
    print(error.name)
print(requires("enums"))
"""


def build(dist: Path, outdir: Path, *kind: str) -> list[Path]:
    """``python -m build`` with isolation, then ``twine check``: the artifacts."""
    run(sys.executable, "-m", "build", *kind, "--outdir", outdir, dist, cwd=dist)
    artifacts = sorted(outdir.iterdir())
    output = run(sys.executable, "-m", "twine", "check", *artifacts, cwd=dist)
    assert output.count("PASSED") == len(artifacts), output
    return artifacts


def generate(specs: Path, out: Path, dist: Path, table: str = "") -> None:
    """Generate the distribution; with ``table``, from a configuration whose
    [tool.docs2py.distribution] has it."""
    if not table:
        args = [specs, "--out", out, "--distribution", dist, "--no-cache"]
        assert main(["generate", *map(str, args)]) == 0
        return
    config = dist.parent / "pyproject.toml"
    config.write_text(
        f"[tool.docs2py]\nspecs = [{json.dumps(specs.as_posix())}]\n"
        f"out = {json.dumps(out.relative_to(dist.parent).as_posix())}\n\n"
        f"[tool.docs2py.distribution]\n"
        f"path = {json.dumps(dist.relative_to(dist.parent).as_posix())}\n{table}",
        "utf-8",
    )
    assert main(["generate", "--config", str(config), "--no-cache"]) == 0


METADATA = """
name = "petclinic-client"
version = "2.0.0"
description = "A typed client for the pet clinic's API."
license = "MIT"
license-files = ["LICENSE"]
authors = [{ name = "Ada Lovelace", email = "ada@example.com" }]
maintainers = [{ name = "Clinic Ops", email = "ops@example.com" }]
keywords = ["pets", "clinic"]
classifiers = ["Development Status :: 5 - Production/Stable"]
dependencies = ["typing-extensions>=4.6"]
optional-dependencies = { speed = ["orjson>=3"] }

[tool.docs2py.distribution.urls]
Homepage = "https://petclinic.example"
Issues = "https://petclinic.example/issues"
"""


def metadata(wheel: Path) -> email.message.Message:
    """The wheel's METADATA, parsed as the e-mail headers it is."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(archive.read(name))


def installed(artifact: Path, venv: Path) -> Path:
    """A fresh virtualenv with ``artifact`` installed: its python."""
    python = fresh_venv(venv)
    run(python, "-m", "pip", "install", "--quiet", artifact, cwd=venv.parent)
    return python


def test_wheel_and_sdist_install_and_work(tmp_path: Path) -> None:
    dist = tmp_path / "petclinic-client"
    generate(SPECS, dist / "src" / "petclinic", dist, METADATA)
    (dist / "LICENSE").write_text("MIT License\n", "utf-8")
    wheel, sdist = build(dist, tmp_path / "dist")
    assert (wheel.suffix, sdist.suffix) == (".whl", ".gz")
    meta = metadata(wheel)
    assert (meta["Name"], meta["Version"]) == ("petclinic-client", "2.0.0")
    assert meta["Summary"] == "A typed client for the pet clinic's API."
    assert (meta["License-Expression"], meta["License-File"]) == ("MIT", "LICENSE")
    assert meta["Author-email"] == "Ada Lovelace <ada@example.com>"
    assert meta["Maintainer-email"] == "Clinic Ops <ops@example.com>"
    assert meta["Keywords"] == "clinic,pets"
    assert meta.get_all("Classifier") == [
        "Development Status :: 5 - Production/Stable",
        "Typing :: Typed",
    ]
    assert meta.get_all("Project-URL") == [
        "Homepage, https://petclinic.example",
        "Issues, https://petclinic.example/issues",
    ]
    assert meta.get_all("Requires-Dist") == [
        "httpx<1,>=0.27",
        "typing-extensions>=4.6",
        "orjson>=3; extra == 'speed'",
    ]
    assert meta["Provides-Extra"] == "speed"
    assert "```python" in meta.get_payload()  # the client example (the README)
    names = zipfile.ZipFile(wheel).namelist()
    assert "petclinic/py.typed" in names and "petclinic/services/owners.py" in names
    assert not [n for n in names if n.endswith(".docs2py-manifest.json")]
    for artifact in (wheel, sdist):
        python = installed(artifact, tmp_path / f"venv-{artifact.suffix[1:]}")
        output = run(python, "-c", USE_CLIENT, cwd=tmp_path)
        assert output.splitlines() == [
            "True b'\\xff\\xd8'",
            "E-mail taken",
            "['httpx<1,>=0.27', 'typing-extensions>=4.6', "
            "\"orjson>=3; extra == 'speed'\"]",
        ], output
    # The models work without httpx; only the clients need it.
    run(python, "-m", "pip", "uninstall", "--quiet", "--yes", "httpx", cwd=tmp_path)
    output = run(python, "-c", WITHOUT_HTTPX, cwd=tmp_path)
    assert output.splitlines() == ["Ada False", "httpx"], output


def test_a_models_only_distribution_needs_no_httpx(tmp_path: Path) -> None:
    dist = tmp_path / "enums-models"  # the flat layout: DIST/PKG
    generate(MODELS_ONLY, dist / "enums", dist)
    (wheel,) = build(dist, tmp_path / "dist", "--wheel")
    python = installed(wheel, tmp_path / "venv")
    output = run(python, "-c", USE_MODELS, cwd=tmp_path)
    assert output.splitlines() == [
        "PENDING None",
        "httpx",
        "[\"httpx<1,>=0.27; extra == 'client'\"]",
    ], output
    done = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--dry-run", f"{wheel}[client]"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
