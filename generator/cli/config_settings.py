"""Reading ``[tool.docs2py]`` values: the typed getters every table uses
(``boolean``, ``integer``, ``string``, ``paths``; unknown keys with a
suggestion) and a target's ``Settings`` (wire keys, parameters, paging,
bodies, ``strict-wire``, ``api-key``, ``include``/``exclude``,
``class-names``), each error at the key's line (``toml_lines``).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..infer.checks import header_name_problem
from ..infer.guesses import KINDS
from ..settings import (
    API_KEY_FORMAT,
    PARAMETER_SYNTAX,
    ApiKeyPlace,
    FileSelection,
    Glob,
    ParamOverride,
    Settings,
    StyleOverride,
    WireKeyStyle,
    glob_problem,
    is_class_name,
    parse_api_key,
    parse_body_override,
    parse_paging_override,
    parse_parameter,
)
from .toml_lines import KeyLines


class SettingsReader:
    """Reads values from the tables of one pyproject.toml; errors name the
    file and the key's line."""

    def __init__(self, path: Path, text: str, diags: Diagnostics) -> None:
        self.path = path
        self.text = text
        self.root = path.parent
        self.diags = diags
        self.lines = KeyLines(text)

    def line_of(self, key: str, parent: str | None = None, value: str = "") -> int:
        """The line where ``key`` is set (inside ``parent``), or 0."""
        return self.lines.line(key, parent, value)

    def boolean(self, table: dict[str, Any], key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.error(key, f"{key!r} must be true or false")
            return default
        return value

    def integer(self, table: dict[str, Any], key: str, default: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(key, f"{key!r} must be a positive whole number")
            return default
        return value

    def error(
        self, key: str, message: str, parent: str | None = None, value: str = ""
    ) -> None:
        line = self.line_of(key, parent, value)
        self.diags.error(self.path.as_posix(), line, message, "config")

    def check_keys(
        self,
        table: dict[str, Any],
        allowed: frozenset[str],
        where: str,
        parent: str | None = None,
    ) -> None:
        for key in sorted(set(table) - allowed):
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self.error(key, f"unknown key {key!r} in {where}{hint}", parent)

    def paths(self, value: Any, key: str) -> tuple[Path, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            self.error(key, f"{key!r} must be a path or a list of paths")
            return ()
        return tuple(self.root / i for i in items)

    def string(
        self, table: dict[str, Any], key: str, parent: str | None = None
    ) -> str | None:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            self.error(key, f"{key!r} must be a string", parent)
            return None
        return value

    def settings(self, table: dict[str, Any]) -> Settings:
        style = table.get("wire-keys", WireKeyStyle.AUTO.value)
        try:
            wire = WireKeyStyle(style)
        except ValueError:
            choices = ", ".join(s.value for s in WireKeyStyle)
            self.error("wire-keys", f"'wire-keys' must be one of {choices}")
            wire = WireKeyStyle.AUTO
        overrides = table.get("wire-key-overrides", {})
        if not isinstance(overrides, dict) or not all(
            isinstance(v, dict) for v in overrides.values()
        ):
            self.error(
                "wire-key-overrides", "'wire-key-overrides' maps models to tables"
            )
            overrides = {}
        placed, styles = self.parameters(table.get("parameters", {}))
        return Settings(
            wire,
            overrides,
            placed,
            self.methods(table, "paging", parse_paging_override,
                         "cursor|page|offset|none[:PARAM][->NEXT][@ITEMS]"),
            self.methods(table, "bodies", parse_body_override,
                         "json|multipart|form|raw"),
            strict_wire=self.strict_wire(table.get("strict-wire", False)),
            parameter_styles=styles,
            api_key=self.api_key(table),
            files=FileSelection(
                self.globs(table, "include"), self.globs(table, "exclude")
            ),
            class_names=self.class_names(table),
        )  # fmt: skip

    def globs(self, table: dict[str, Any], key: str) -> tuple[Glob, ...]:
        """``include``/``exclude``: glob patterns relative to this file's
        folder or to the spec folders (``read/inputs.py``)."""
        value = table.get(key, [])
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            self.error(key, f"'{key}' must be a glob pattern or a list of them")
            return ()
        problem = next((p for i in items if (p := glob_problem(i))), None)
        if problem:
            self.error(key, f"'{key}': {problem}")
            return ()
        return tuple(Glob(i, self.root) for i in items)

    def class_names(self, table: dict[str, Any]) -> dict[str, str]:
        """``class-names = { "Model1" = "Chosen" }``: pinned class names."""
        found = table.get("class-names", {})
        if not isinstance(found, dict) or not all(
            isinstance(v, str) for v in found.values()
        ):
            self.error("class-names", "'class-names' maps class names to class names")
            return {}
        for name, chosen in found.items():
            if not is_class_name(chosen):
                self.error(
                    name, f"class-names: '{chosen}' is not a class name (PascalCase, "
                    "a Python identifier)",
                )  # fmt: skip
                return {}
        return dict(found)

    def strict_wire(self, value: Any) -> frozenset[str]:
        """``strict-wire = true`` (every kind of guess) or a list of kinds."""
        if isinstance(value, bool):
            return frozenset(KINDS) if value else frozenset()
        if isinstance(value, list) and all(v in KINDS for v in value):
            return frozenset(value)
        self.error(
            "strict-wire",
            f"'strict-wire' must be true, false or a list of {', '.join(KINDS)}",
        )
        return frozenset()

    def api_key(self, table: dict[str, Any]) -> ApiKeyPlace | None:
        """``api-key = "header:NAME"`` or ``"query:NAME"``."""
        value = table.get("api-key")
        if value is None:
            return None
        place = parse_api_key(value) if isinstance(value, str) else None
        if place is None:
            self.error(
                "api-key",
                f"'api-key' must be '{API_KEY_FORMAT}' (an HTTP header name or a "
                f"query parameter name), not {value!r}",
            )
        return place

    def methods(
        self, table: dict[str, Any], key: str, parse: Any, expected: str
    ) -> dict[str, Any]:
        """``key = { "Service.method" = "…" }`` parsed with ``parse``."""
        found = table.get(key, {})
        out: dict[str, Any] = {}
        if not isinstance(found, dict):
            self.error(key, f"{key!r} must be a table")
            return out
        for target, value in found.items():
            parsed = parse(value) if isinstance(value, str) else None
            if target.count(".") != 1 or parsed is None:
                self.error(
                    target, f"{key}: {target!r} = {value!r} must be "
                    f"'SERVICE.METHOD' = '{expected}'", key,
                )  # fmt: skip
                continue
            out[target] = parsed
        return out

    def parameters(
        self, table: Any
    ) -> tuple[dict[str, ParamOverride], dict[str, StyleOverride]]:
        """``parameters``: where each parameter goes, and how its value is
        spelled (``WHERE[:NAME[:STYLE]]`` or ``STYLE``)."""
        placed: dict[str, ParamOverride] = {}
        styles: dict[str, StyleOverride] = {}
        if not isinstance(table, dict):
            self.error("parameters", "'parameters' must be a table")
            return placed, styles
        for key, value in table.items():
            parsed = parse_parameter(value) if isinstance(value, str) else None
            if key.count(".") != 2 or parsed is None:
                self.error(
                    key,
                    f"parameters: {key!r} = {value!r} must be "
                    f"'SERVICE.METHOD.PARAM' = {PARAMETER_SYNTAX}",
                    "parameters",
                )
                continue
            where, style = parsed
            problem = header_problem(where)
            if problem:
                message = f"parameters: {key!r} = {value!r}: {problem}"
                self.error(key, message, "parameters")
                continue
            if where is not None:
                placed[key] = where
            if style is not None:
                styles[key] = style
        return placed, styles


def header_problem(where: ParamOverride | None) -> str | None:
    """Why an override's header name cannot be one (RFC 9110), or None."""
    if where is None or where.sent_in != "header" or not where.wire_name:
        return None
    problem = header_name_problem(where.wire_name)
    return f"the header name {where.wire_name!r} {problem}" if problem else None
