"""The context the wire stage's decisions share: the settings, the docs'
evidence, the API's two styles and the decisions behind them, the user's
overrides, and lookups over the whole API (``wirekeys`` builds it once).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Definition, Parameter, StyleDecision
from ..settings import ParamOverride, Settings
from .casing import Style
from .overrides import Overrides
from .wire_evidence import Evidence


@dataclass(slots=True)
class WireContext:
    settings: Settings
    evidence: Evidence
    key_style: Style | None
    parameter_style: Style | None
    dialect: Style | None
    """How the docs write field Names (``camel`` for TypeScript, Java, PHP;
    ``snake`` for Python; ``pascal`` for Go, C#)."""
    parameter_dialect: Style | None
    fields: Overrides[str]
    parameters: Overrides[ParamOverride]
    by_class: dict[str, Definition]
    headers: dict[str, Parameter]
    """Parameters the docs call headers, by squashed name."""
    key_decision: StyleDecision | None = None
    parameter_decision: StyleDecision | None = None
    definition_names: frozenset[str] = frozenset()
    """Every definition's name, squashed."""
