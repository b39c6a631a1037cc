"""Paths that generated docs write: relative to the file that shows them, so
that the output reads the same on every machine (never the absolute paths
of the one that generated it)."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2


@jinja2.pass_context
def relative_path(ctx: jinja2.runtime.Context, path: str) -> str:
    """``path`` (a spec file's ``Location.path``: absolute, or relative to the
    working folder) relative to the folder of the file being rendered
    (``output_path``), with ``/``: ``../../specs/models/Pet.md``.  Text, not
    code: print it through ``md`` or ``literal``."""
    here = Path(str(ctx["output_path"])).parent
    return Path(os.path.relpath(os.path.abspath(path), here)).as_posix()


PATH_FILTERS = {"relative_path": relative_path}
