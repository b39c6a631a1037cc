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

import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from ..diagnostics import Diagnostics, UsageError
from ..write.package import MANIFEST, read_manifest
from .arguments import parser
from .commands import main
from .options import load as load_targets


class Docs2pyBuildHook(BuildHookInterface[Any]):
    """Runs ``docs2py generate`` for the project's targets before each build.

    It is the command line itself (``docs2py generate --config
    <project>/pyproject.toml [--target NAME]…``): the same configuration,
    ``strict``, diagnostics, locking and messages.  A failure ends the build
    with those messages and no traceback.
    """

    PLUGIN_NAME = "docs2py"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        argv = ["generate", "--config", str(root / "pyproject.toml")]
        wanted = self.config.get("targets", [])
        if not isinstance(wanted, list) or not all(isinstance(t, str) for t in wanted):
            self.app.abort(
                f"{root / 'pyproject.toml'}: error: [tool.hatch.build.hooks.docs2py] "
                "'targets' must be a list of target names"
            )
        for name in wanted:
            argv += ["--target", name]
        folders = self._folders(root, argv)
        code = main(argv)
        if code != 0:
            self.app.abort(
                f"docs2py: generation failed (exit code {code}); see the messages "
                "above",
                code=code,
            )
        for name, out in folders.items():
            rel = os.path.relpath(os.path.realpath(out), os.path.realpath(root))
            files = [*(read_manifest(out) or {}), MANIFEST]  # the sdist needs it
            build_data["artifacts"].extend(
                f"/{Path(rel).as_posix()}/{f}" for f in files
            )
            self.app.display_info(f"docs2py: {name}: {len(files)} files in {rel}")

    def _folders(self, root: Path, argv: list[str]) -> dict[str, Path]:
        """The targets' package folders; aborts if one is outside the project.

        Configuration errors are left to ``main``, which reports them.
        """
        try:
            args = parser().parse_args(argv)
            _, targets = load_targets(args, Diagnostics(), announce=False)
        except UsageError:
            return {}
        project = os.path.realpath(root)
        outs = {t.name: t.out for t in targets if t.out is not None}
        for name, out in outs.items():
            if os.path.commonpath([project, os.path.realpath(out)]) != project:
                self.app.abort(
                    f"{out}: error: the package folder ('out' of target '{name}') "
                    f"is outside the project {root}; the build hook can only "
                    "package files inside it: move 'out' into the project",
                    code=2,
                )
        return outs


@hookimpl
def hatch_register_build_hook() -> type[BuildHookInterface[Any]]:
    """Registers the hook under the name ``docs2py``."""
    return Docs2pyBuildHook
