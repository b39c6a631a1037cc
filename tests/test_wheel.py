"""The built wheel, installed with its dependencies into a fresh virtualenv
(no system site-packages: nothing but what the wheel asks for): it installs the
package ``docs2py`` (never a top-level ``generator``), finds its templates and
generates; without black it says so instead of crashing."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from generator import __version__
from generator.render.renderer import RUNTIME_MODULES

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, ok: bool = True) -> str:
    """Run a command with PYTHONPATH unset; its output (asserting the exit)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = done.stdout + done.stderr
    assert (done.returncode == 0) == ok, output[-3000:]
    return output


def build_wheel(outdir: Path) -> Path:
    """docs2py's wheel, built from this checkout into ``outdir``."""
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation"]
    run(*build, "--outdir", outdir, ROOT, cwd=outdir.parent)
    return next(outdir.glob("docs2py-*.whl"))


def fresh_venv(where: Path) -> Path:
    """A virtualenv without system site-packages; its python."""
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(where)
    return where / "bin" / "python"


def test_wheel_installs_docs2py_and_generates(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    info = f"docs2py-{__version__}.dist-info"
    assert {n.split("/")[0] for n in names} == {"docs2py", info}
    assert "docs2py/templates/model.py.jinja" in names
    for module in RUNTIME_MODULES:  # _runtime.py, _shape.py, _http.py…
        assert f"docs2py/runtime/{module}" in names
    assert not [n for n in names if "__pycache__" in n]

    env = tmp_path / "venv"
    python = fresh_venv(env)
    run(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    where = run(
        python,
        "-c",
        "import docs2py, docs2py.render.templates as r; print(docs2py.__version__, "
        "r.builtin_templates())",
        cwd=tmp_path,
    )
    assert str(env) in where, where
    assert run(python, "-m", "docs2py", "--version", cwd=tmp_path).startswith(
        "docs2py "
    )
    missing = run(python, "-c", "import generator", cwd=tmp_path, ok=False)
    assert "No module named 'generator'" in missing
    hook = run(  # the hatchling plugin (hatchling itself is not installed here)
        python,
        "-c",
        "import importlib.metadata as m, importlib.util as u; "
        "hook = m.entry_points(group='hatch')['docs2py'].value; "
        "print(hook, u.find_spec(hook) is not None)",
        cwd=tmp_path,
    )
    assert hook == "docs2py.cli.hatch_hook True\n"

    out = tmp_path / "pkg" / "petclinic"
    generate = [env / "bin" / "docs2py", "generate", ROOT / "specs", "--out", out]
    run(*generate, cwd=tmp_path)
    run(python, "-c", "import petclinic; print(petclinic.Owner)", cwd=out.parent)

    # A broken environment: black missing.
    run(python, "-m", "pip", "uninstall", "--quiet", "--yes", "black", cwd=tmp_path)
    output = run(*generate, "--force", cwd=tmp_path, ok=False)
    assert "docs2py: error: black is not installed in this Python" in output
    assert "pip install 'black>=24.1'" in output
    assert "Traceback" not in output


def test_a_checkout_runs_as_generator_and_as_docs2py() -> None:
    """From a checkout (no install needed): ``python -m generator`` as ever,
    and ``docs2py`` is the same package under its installed name."""
    for name in ("generator", "docs2py"):
        output = run(sys.executable, "-m", name, "--version", cwd=ROOT)
        assert output.startswith("docs2py "), output
    assert (ROOT / "docs2py").resolve() == (ROOT / "generator").resolve()
