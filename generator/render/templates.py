"""Where templates come from: the built-in ones (inside the installed package,
or beside it in a checkout) and the extra outputs a user adds
(``extra-outputs``: a template rendered once, or per definition or service).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PER = ("package", "model", "enum", "union", "service")


@dataclass(frozen=True, slots=True)
class ExtraOutput:
    """A template rendered once (``per="package"``) or for each definition/service.

    ``path`` is a pattern relative to the package folder with ``{name}`` (class
    name), ``{module}`` (module name) and ``{package}``.
    """

    template: str
    per: str
    path: str


def builtin_templates() -> Path:
    """The built-in templates: inside the package (wheel) or beside it (checkout)."""
    here = Path(__file__).parent.parent  # the generator package
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "model.py.jinja").is_file():
            return candidate
    raise FileNotFoundError(f"built-in templates not found next to {here}")
