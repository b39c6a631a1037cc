"""``[tool.docs2py]`` in pyproject.toml: one or several generation targets.

Top-level keys are defaults; ``[[tool.docs2py.targets]]`` tables (each with a
``name``) add targets that override them.  Without ``targets`` the top level is
the one target.  Paths are relative to the pyproject.toml's folder.  Unknown
keys are errors that name the key and its line.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..core import Target
from ..diagnostics import Diagnostics
from ..ir import Location
from ..render.templates import PER, ExtraOutput, path_problem
from ..settings import PROJECT_KEYS, Distribution
from ..write.distribution import problems
from .config_settings import SettingsReader
from .toml_lines import byte_position, toml_position

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


class _Reader(SettingsReader):
    """A target's keys: paths, output, distribution, extra outputs."""

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
