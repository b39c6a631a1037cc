"""Where templates come from: the built-in ones (inside the installed package,
or beside it in a checkout) and the extra outputs a user adds
(``extra-outputs``: a template rendered once, or per definition or service).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..ir import Location

PER = ("package", "model", "enum", "union", "service")
PLACEHOLDERS = ("name", "module", "package")
"""What an extra output's path may name: ``{name}`` (the class name),
``{module}`` (the module name) and ``{package}`` (the import name)."""
_FIELD = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class ExtraOutput:
    """A template rendered once (``per="package"``) or for each definition/service.

    ``path`` is a pattern relative to the package folder with ``{name}`` (class
    name), ``{module}`` (module name) and ``{package}``; ``location`` and
    ``key`` say where the configuration asked for it (``extra-outputs[0]``).
    """

    template: str
    per: str
    path: str
    location: Location | None = None
    key: str = "extra-outputs"


def path_problem(pattern: str) -> str | None:
    """Why an extra output's path pattern cannot name a file inside the
    package, or None.

    The pattern is data: ``{name}``, ``{module}`` and ``{package}`` are
    replaced by identifiers and nothing is evaluated (no ``str.format``, whose
    ``{0}`` and ``{name.__class__}`` index and read attributes).  Since the
    values are identifiers, whether the path stays inside the package is
    decided by the pattern alone.
    """
    rest = _FIELD.sub("", pattern)
    if "{" in rest or "}" in rest:
        return "has a brace outside a placeholder ({name}, {module}, {package})"
    unknown = [f for f in _FIELD.findall(pattern) if f not in PLACEHOLDERS]
    if unknown:
        return (
            f"has the placeholder {{{unknown[0]}}}: only {{name}}, {{module}} "
            "and {package} are replaced"
        )
    if any(c == "\\" or not c.isprintable() for c in pattern):
        return "holds a backslash or a control character"
    path = PurePosixPath(pattern)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return "leaves the package folder (it must be a relative path inside it)"
    if any(part.startswith(".docs2py") for part in path.parts):
        return "names docs2py's own bookkeeping (.docs2py…)"
    return None


def expand(pattern: str, name: str, module: str, package: str) -> str:
    """The path ``pattern`` names for one definition (checked by path_problem)."""
    values = {"name": name, "module": module, "package": package}
    return PurePosixPath(_FIELD.sub(lambda m: values[m[1]], pattern)).as_posix()


def builtin_templates() -> Path:
    """The built-in templates: inside the package (wheel) or beside it (checkout)."""
    here = Path(__file__).parent.parent  # the generator package
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "model.py.jinja").is_file():
            return candidate
    raise FileNotFoundError(f"built-in templates not found next to {here}")
