"""A hatchling build hook: regenerate packages on ``pip install`` and ``hatch build``.

Enable it in the consumer project's pyproject.toml::

    [build-system]
    requires = ["hatchling", "docs2py"]
    build-backend = "hatchling.build"

    [tool.hatch.build.hooks.docs2py]
    # targets = ["petclinic"]   # optional: only these [tool.docs2py] targets

The targets come from the same ``[tool.docs2py]`` table the CLI reads.  The
generated files are added to the build as artifacts, so they are packaged even
when the output folder is git-ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from .config import load_config
from .core import generate
from .diagnostics import Diagnostics
from .format_cache import FormatCache, default_cache_dir, mode_key
from .write import apply, plan


class BuildError(Exception):
    """Generation failed; the message holds the diagnostics."""


class Docs2pyBuildHook(BuildHookInterface[Any]):
    """Runs ``docs2py generate`` for the project's targets before each build."""

    PLUGIN_NAME = "docs2py"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        diags = Diagnostics()
        config = load_config(root / "pyproject.toml", diags)
        wanted = self.config.get("targets")
        for target in config.targets:
            if wanted and target.name not in wanted:
                continue
            if target.out is None:
                raise BuildError(f"[tool.docs2py] target '{target.name}' has no 'out'")
            cache = FormatCache(
                config.cache_dir or default_cache_dir(), mode_key(target.line_length)
            )
            result = generate(
                target.specs,
                target.settings,
                list(target.templates),
                target.package or target.out.name,
                target.line_length,
                cache,
                target.outputs,
                target.filters,
                target.root,
            )
            diags.extend(list(result.diagnostics.items))
            if result.diagnostics.has_errors:
                break
            todo = plan(target.out, result.files)
            apply(target.out, todo)
            out = target.out.resolve().relative_to(root.resolve())
            build_data["artifacts"].extend(
                f"/{out.as_posix()}/{rel}" for rel in todo.files
            )
            self.app.display_info(
                f"docs2py: {target.name}: {len(todo.write)} files written, "
                f"{len(todo.unchanged)} unchanged"
            )
        if diags.has_errors:
            raise BuildError("\n".join(d.format() for d in diags.items))


@hookimpl
def hatch_register_build_hook() -> type[BuildHookInterface[Any]]:
    """Registers the hook under the name ``docs2py``."""
    return Docs2pyBuildHook
