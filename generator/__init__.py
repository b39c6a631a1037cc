"""docs2py: Markdown schema docs → a typed Python package.

The generator is one package per stage, in the order data flows (each stage
imports only the ones before it and the shared modules; the import-linter
contracts in pyproject.toml keep it so):

* ``read/``: Markdown → IR;
* ``infer/``: wire decisions (keys, names, locations, bodies, paging, auth),
  each with its evidence;
* ``render/``: IR → Python source, through Jinja templates;
* ``write/``: source → formatted files on disk, safely;
* ``core``: the pipeline every entry point calls (``load``, ``generate``,
  ``run``);
* ``cli/``: the command line, configuration, reports, watch, the build hook.

Shared by every stage: ``ir``, ``diagnostics``, ``names``, ``settings``,
``workers``, ``cache``.  ``runtime/`` is copied into every generated package
and imports only the standard library and httpx.
"""

from __future__ import annotations

__version__ = "0.1.0"
