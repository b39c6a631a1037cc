"""The built-in templates are found from a built wheel installed in a fresh venv."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout + done.stderr


def test_wheel_installs_and_generates(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(
        sys.executable,
        "-m",
        "build",
        "--wheel",
        "--no-isolation",
        "--outdir",
        dist,
        ROOT,
        cwd=tmp_path,
    )
    wheel = next(dist.glob("docs2py-*.whl"))
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=True).create(env)
    python = env / "bin" / "python"
    _run(
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--force-reinstall",
        wheel,
        cwd=tmp_path,
    )
    where = _run(
        python,
        "-c",
        "import generator.inputs as r; print(r.builtin_templates())",
        cwd=tmp_path,
    )
    assert str(env) in where, where
    out = tmp_path / "pkg" / "petclinic"
    _run(
        env / "bin" / "docs2py", "generate", ROOT / "specs", "--out", out, cwd=tmp_path
    )
    _run(python, "-c", "import petclinic; print(petclinic.Owner)", cwd=out.parent)
