"""``[tool.docs2py]`` in pyproject.toml: one or several generation targets.

Top-level keys are defaults; ``[[tool.docs2py.targets]]`` tables (each with a
``name``) add targets that override them.  Without ``targets`` the top level is
the one target.  Paths are relative to the pyproject.toml's folder.  Unknown
keys are errors that name the key and its line.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..core import Target
from ..diagnostics import Diagnostics
from ..infer.checks import header_name_problem
from ..infer.guesses import KINDS
from ..ir import Location
from ..render.templates import PER, ExtraOutput, path_problem
from ..settings import (
    API_KEY_FORMAT,
    PARAMETER_SYNTAX,
    PROJECT_KEYS,
    ApiKeyPlace,
    Distribution,
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
from ..write.distribution import problems
from .toml_lines import KeyLines, byte_position, toml_position

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TARGET_KEYS = frozenset(
    ["name", "specs", "out", "package", "templates", "wire-keys", "wire-key-overrides"]
    + ["parameters", "strict", "line-length", "extra-outputs", "filters"]
    + ["paging", "bodies", "distribution", "strict-wire", "api-key"]
    + ["samples", "learned"]
    + ["include", "exclude", "class-names"]
)
DISTRIBUTION_STRINGS = ("path", "name", "version", "description", "requires-python")
DISTRIBUTION_KEYS = frozenset(DISTRIBUTION_STRINGS + PROJECT_KEYS)
GLOBAL_KEYS = TARGET_KEYS | {"targets", "cache-dir"}


@dataclass(frozen=True)
class Config:
    """The parsed configuration: where it came from, its targets and cache folder."""

    path: Path | None
    targets: tuple[Target, ...]
    cache_dir: Path | None = None
    defaults: Target | None = None
    """The top-level keys alone (what spec arguments on the command line use)."""


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start`` that has [tool.docs2py]."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return candidate
            if "docs2py" in data.get("tool", {}):
                return candidate
    return None


class _Reader:
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

    def learned(self, table: dict[str, Any], default: str) -> Path:
        """``learned = "FILE"``: where ``docs2py learn`` keeps what samples
        showed (default ``docs2py.lock.toml``, or ``docs2py.NAME.lock.toml``
        for one of several targets)."""
        value = table.get("learned", default)
        if not isinstance(value, str) or not value:
            self.error("learned", "'learned' must be a path")
            value = default
        return self.root / value

    def target(
        self, table: dict[str, Any], name: str, learned: str = "docs2py.lock.toml"
    ) -> Target:
        specs = self.paths(table.get("specs", []), "specs")
        out = table.get("out")
        if out is not None and not isinstance(out, str):
            self.error("out", "'out' must be a path")
            out = None
        return Target(
            name=name,
            specs=specs,
            out=self.root / out if out else None,
            package=self.string(table, "package"),
            templates=self.paths(table.get("templates", []), "templates"),
            settings=replace(
                self.settings(table), learned_file=self.learned(table, learned)
            ),
            samples=self.paths(table.get("samples", []), "samples"),
            strict=self.boolean(table, "strict", False),
            line_length=self.integer(table, "line-length", 88),
            outputs=self.outputs(table.get("extra-outputs", [])),
            filters=self.string(table, "filters"),
            root=self.root,
            distribution=self.distribution(table.get("distribution")),
        )

    def distribution(self, value: Any) -> Distribution | None:
        """``distribution = "DIST"`` or a [tool.docs2py.distribution] table."""
        if value is None:
            return None
        if isinstance(value, str):
            return Distribution(self.root / value)
        if not isinstance(value, dict):
            self.error("distribution", "'distribution' must be a path or a table")
            return None
        where = "[tool.docs2py.distribution]"
        self.check_keys(value, DISTRIBUTION_KEYS, where, "distribution")
        values = {
            key: self.string(value, key, "distribution") for key in DISTRIBUTION_STRINGS
        }
        path = values.pop("path")
        d = Distribution(
            self.root / path if path else None,
            values["name"],
            values["version"],
            values["description"],
            values["requires-python"],
            {key: value[key] for key in PROJECT_KEYS if key in value},
        )
        for key, message in problems(d):
            self.error(key, f"{where} {message}", "distribution")
        return d

    def outputs(self, items: Any) -> tuple[ExtraOutput, ...]:
        """``extra-outputs``: each a table of ``template``, ``per`` and a
        ``path`` whose placeholders are data (``render.templates``)."""
        out: list[ExtraOutput] = []
        if not isinstance(items, list):
            self.error("extra-outputs", "'extra-outputs' must be an array of tables")
            return ()
        for n, item in enumerate(items):
            key = f"extra-outputs[{n}]"
            keys = {"template", "per", "path"}
            if (
                not isinstance(item, dict)
                or set(item) != keys
                or not all(isinstance(v, str) for v in item.values())
                or item["per"] not in PER
            ):
                self.error(
                    "extra-outputs",
                    f"{key} needs exactly template, per (one of {', '.join(PER)}) "
                    "and path, each a string",
                )
                continue
            line = self.line_of("extra-outputs", None, item["path"])
            problem = path_problem(item["path"])
            if problem:
                message = f"{key}: path {item['path']!r} {problem}"
                self.diags.error(self.path.as_posix(), line, message, "config")
                continue
            where = Location(self.path.as_posix(), line)
            out.append(
                ExtraOutput(item["template"], item["per"], item["path"], where, key)
            )
        return tuple(out)

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


def _read(path: Path, diags: Diagnostics) -> str | None:
    """The file's text; None, with an error (at the byte, if it is one that
    UTF-8 cannot decode), if it cannot be read."""
    try:
        data = path.read_bytes()
        return data.decode("utf-8")
    except OSError as exc:
        diags.error(
            path.as_posix(), 0, f"cannot read the configuration: {exc}", "config"
        )
    except UnicodeDecodeError as exc:
        line, column = byte_position(data, exc.start)
        message = f"cannot read the configuration: {exc.reason} (not UTF-8)"
        diags.error(path.as_posix(), line, message, "config", column)
    return None


def header_problem(where: ParamOverride | None) -> str | None:
    """Why an override's header name cannot be one (RFC 9110), or None."""
    if where is None or where.sent_in != "header" or not where.wire_name:
        return None
    problem = header_name_problem(where.wire_name)
    return f"the header name {where.wire_name!r} {problem}" if problem else None


def load_config(path: Path, diags: Diagnostics) -> Config:
    """Read ``[tool.docs2py]`` from ``path``; problems go to ``diags``."""
    text = _read(path, diags)
    if text is None:
        return Config(path, ())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line, column = toml_position(str(exc), text)
        diags.error(
            path.as_posix(), line, f"cannot read the configuration: {message}",
            "config", column,
        )  # fmt: skip
        return Config(path, ())
    reader = _Reader(path, text, diags)
    table = data.get("tool", {}).get("docs2py", {})
    if not isinstance(table, dict):
        reader.error("docs2py", "[tool.docs2py] must be a table")
        return Config(path, ())
    reader.check_keys(table, GLOBAL_KEYS, "[tool.docs2py]")
    defaults = {k: v for k, v in table.items() if k not in ("targets", "cache-dir")}
    items = table.get("targets", [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        reader.error("targets", "'targets' must be [[tool.docs2py.targets]] tables")
        items = []
    targets: list[Target] = []
    for n, item in enumerate(items, 1):
        reader.lines.enter(n - 1, frozenset(item))
        reader.check_keys(item, TARGET_KEYS, "[[tool.docs2py.targets]]")
        name = str(item.get("name", f"target-{n}"))
        own = f"docs2py.{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.lock.toml"
        targets.append(reader.target({**defaults, **item}, name, own))
    reader.lines.enter(None)
    base = reader.target(defaults, "default")
    if not targets:
        targets.append(base)
    cache = reader.string(table, "cache-dir")
    return Config(path, tuple(targets), reader.root / cache if cache else None, base)
