"""The built wheel, installed with its dependencies into a fresh virtualenv
(no system site-packages: nothing but what the wheel asks for), finds its
templates and generates; without black it says so instead of crashing."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str | Path, cwd: Path, ok: bool = True) -> str:
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


def test_wheel_installs_and_generates(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation"]
    _run(*build, "--outdir", dist, ROOT, cwd=tmp_path)
    wheel = next(dist.glob("docs2py-*.whl"))
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env)
    python = env / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    where = _run(
        python,
        "-c",
        "import generator.inputs as r; print(r.builtin_templates())",
        cwd=tmp_path,
    )
    assert str(env) in where, where
    out = tmp_path / "pkg" / "petclinic"
    generate = [env / "bin" / "docs2py", "generate", ROOT / "specs", "--out", out]
    _run(*generate, cwd=tmp_path)
    _run(python, "-c", "import petclinic; print(petclinic.Owner)", cwd=out.parent)

    # A broken environment: black missing.
    _run(python, "-m", "pip", "uninstall", "--quiet", "--yes", "black", cwd=tmp_path)
    output = _run(*generate, "--force", cwd=tmp_path, ok=False)
    assert "docs2py: error: black is not installed in this Python" in output
    assert "pip install 'black>=24.1'" in output
    assert "Traceback" not in output
