"""Diagnostics are values: collected with a level, printed and judged at the edge."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.IntEnum):
    """How bad a diagnostic is; the CLI turns the worst level into an exit code."""

    NOTE = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


def printable(text: str) -> str:
    """``text`` on one line for a terminal: line breaks, escape sequences and
    other invisible characters written as Python writes them (``\\n``), so
    input text can neither forge a diagnostic line nor drive the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One finding about the input, located at ``path:line`` (or
    ``path:line:column``)."""

    path: str
    line: int
    level: Level
    message: str
    code: str
    column: int = 0

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.line and self.column:
            where += f":{self.column}"
        text = f"{where}: {self.level.label}: {self.message} [{self.code}]"
        return printable(text)

    def to_json(self) -> dict[str, object]:
        """The JSON form (``--format json``, and the record of a run)."""
        where = {"path": self.path, "line": self.line}
        column = {"column": self.column} if self.column else {}
        return (
            where
            | column
            | {
                "level": self.level.label,
                "message": self.message,
                "code": self.code,
            }
        )

    @classmethod
    def from_json(cls, data: object) -> Diagnostic | None:
        """The diagnostic ``to_json`` gave, or None if ``data`` is not one."""
        if not isinstance(data, dict):
            return None
        path, line, label = data.get("path"), data.get("line"), data.get("level")
        message, code = data.get("message"), data.get("code")
        column = data.get("column", 0)
        levels = {level.label: level for level in Level}
        if not (
            isinstance(path, str) and isinstance(line, int) and label in levels
            and isinstance(message, str) and isinstance(code, str)
            and isinstance(column, int)
        ):  # fmt: skip
            return None
        return cls(path, line, levels[str(label)], message, code, column)


class UsageError(Exception):
    """The command line or the configuration is wrong (exit 2)."""


class Diagnostics:
    """An append-only collection of diagnostics."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(
        self,
        level: Level,
        path: str,
        line: int,
        message: str,
        code: str,
        column: int = 0,
    ) -> None:
        self._items.append(Diagnostic(path, line, level, message, code, column))

    def error(
        self, path: str, line: int, message: str, code: str, column: int = 0
    ) -> None:
        self.add(Level.ERROR, path, line, message, code, column)

    def warning(self, path: str, line: int, message: str, code: str) -> None:
        self.add(Level.WARNING, path, line, message, code)

    def extend(self, items: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self._items.extend(items)

    @property
    def items(self) -> tuple[Diagnostic, ...]:
        """Deduplicated and sorted by location."""
        return tuple(sorted(set(self._items)))

    @property
    def has_errors(self) -> bool:
        return any(d.level is Level.ERROR for d in self._items)

    def count(self, level: Level) -> int:
        return sum(1 for d in self.items if d.level is level)
