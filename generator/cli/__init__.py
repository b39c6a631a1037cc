"""Stage 6, cli: the user's entry points.

Takes the command line and ``[tool.docs2py]`` and gives targets for
``core.run``, then tells the user what happened and decides the exit code (the
only place that does).

* ``commands``: ``docs2py generate|watch|ir|export|explain|learn``
  (``main``), signals;
* ``learn``: ``docs2py learn``: samples of real traffic → the learned file;
* ``arguments``: the command line's arguments (argparse);
* ``options``, ``config``: flags and ``pyproject.toml`` → ``core.Target``
  (``config_settings``: the typed values of its tables and a target's
  ``Settings``; ``toml_lines``: where each key is written, for diagnostics);
* ``report``: diagnostics, summaries, ``--check`` output, exit codes;
* ``explain``: the guesses (``docs2py explain``, ``ir``'s ``guesses``,
  ``--report``), and what samples confirmed and corrected;
* ``watch``: regenerate on changes; ``hatch_hook``: the hatchling build hook.

May import: everything below it (``core``, the stages, the shared modules).
"""

from .commands import main

__all__ = ["main"]
