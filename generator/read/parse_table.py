"""Property tables read from their raw source lines.

mistune turns a table with one bad row into a paragraph and drops indented rows
(PHP) into a code block, so tables are read line by line here, with every row's
line number, and every irregular row is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostics

COLUMNS = ("name", "type", "required", "description")
_ALIGN_CELL = re.compile(r":?-+:?\Z")
_ESCAPABLE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: raw (still escaped) cell texts and the row's first line."""

    name: str
    type: str
    required: str
    description: str
    line: int


def unescape(text: str) -> str:
    """Undo Markdown backslash escapes (a backslash before ASCII punctuation)."""
    return _ESCAPABLE.sub(r"\1", text)


def _ends_row(text: str) -> bool:
    stripped = text.rstrip()
    return stripped.endswith("|") and not stripped.endswith("\\|")


_PIPE = re.compile(r"(?<!\\)\|")


def split_cells(line: str) -> list[str]:
    """Split a table line on unescaped ``|``; escaped pipes stay escaped."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if _ends_row(text):
        text = text.rstrip()[:-1]
    return [cell.strip() for cell in _PIPE.split(text)]


@dataclass(slots=True)
class _Pending:
    cells: list[str]
    line: int
    open: bool
    continued: bool = False


class TableReader:
    """Reads one ``Name | Type | Required | Description`` table."""

    def __init__(self, path: str, diags: Diagnostics) -> None:
        self.path = path
        self.diags = diags

    def read(self, lines: list[str], first: int) -> tuple[list[Row], int] | None:
        """Read the table starting at ``lines[0]`` (line number ``first``).

        Returns the rows and how many lines the table used, or None (with an
        error) when the lines do not start with a property table.
        """
        skip = 0
        while skip < len(lines) and not lines[skip].strip():
            skip += 1
        if skip + 1 >= len(lines) or not lines[skip].lstrip().startswith("|"):
            self.diags.error(
                self.path,
                (
                    first + skip
                    if skip < len(lines) and lines[skip].strip()
                    else first - 1
                ),
                "'**Properties**' is not followed by a "
                "'| Name | Type | Required | Description |' table",
                "no-table",
            )
            return None
        columns = self._header(lines[skip], lines[skip + 1], first + skip)
        if columns is None:
            return None
        rows: list[_Pending] = []
        used = skip + 2
        while used < len(lines):
            if self._take(lines[used], first + used, columns, rows):
                used += 1
                continue
            resume = self._resume(lines, used, first, columns, rows)
            if resume is None:
                break
            used = resume
        if rows and rows[-1].open and rows[-1].continued:
            self._warn(rows[-1].line, "the last row's final '|' is missing")
        return [self._row(p, columns) for p in rows], used

    def _header(self, head: str, align: str, line: int) -> list[str] | None:
        names = [c.strip().lower() for c in split_cells(head)]
        ok = (
            sorted(set(names)) == sorted(set(names) & set(COLUMNS))
            and len(set(names)) == len(names)
            and {"name", "type", "required"} <= set(names)
        )
        if not ok:
            self.diags.error(
                self.path,
                line,
                "a property table needs the columns Name, Type, Required and "
                f"(optionally) Description; found {' | '.join(split_cells(head))}",
                "bad-header",
            )
            return None
        cells = split_cells(align)
        if len(cells) != len(names) or not all(_ALIGN_CELL.match(c) for c in cells):
            self.diags.error(
                self.path,
                line + 1,
                "the line after the table header must be the alignment row "
                "(| :--- | :--- | …)",
                "bad-header",
            )
            return None
        return names

    def _resume(
        self,
        lines: list[str],
        at: int,
        first: int,
        columns: list[str],
        rows: list[_Pending],
    ) -> int | None:
        """Where the table goes on after the blank lines at ``lines[at]``, or None.

        A line break inside a cell can leave blank lines and unpiped text in the
        middle of a table: text whose paragraph ends with ``|`` continues the
        previous row, and a row with the table's cell count (not a new table's
        header) continues the table.
        """
        start = at
        while start < len(lines) and not lines[start].strip():
            start += 1
        if start == len(lines) or not rows:
            return None
        head = lines[start].strip()
        if head.startswith("|"):
            after = lines[start + 1] if start + 1 < len(lines) else ""
            header = all(_ALIGN_CELL.match(c) for c in split_cells(after))
            if len(split_cells(head)) == len(columns) and not header:
                return start
            return None
        end = start
        while end < len(lines) and lines[end].strip() and not _ends_row(lines[end]):
            end += 1
        if end == len(lines) or not lines[end].strip():
            return None
        text = "\n".join(line.strip() for line in lines[start : end + 1])[:-1]
        rows[-1].cells[-1] = (rows[-1].cells[-1] + "\n" + text.strip()).strip()
        rows[-1].open = False
        self._warn(
            first + start, "row continues the previous row (line break in a cell)"
        )
        return end + 1

    def _take(
        self, text: str, line: int, columns: list[str], rows: list[_Pending]
    ) -> bool:
        """Consume one line into ``rows``; False when the table has ended."""
        last = rows[-1] if rows else None
        stripped = text.strip()
        if last is not None and last.open:
            if not stripped:
                return False  # the table may end here; _resume decides
            if stripped.startswith("|") and len(split_cells(text)) >= len(columns):
                last.open = False  # a complete row: GFM's final '|' is optional
        if last is not None and last.open:
            if not last.continued:
                last.continued = True
                self._warn(
                    line, "row continues on the next line (line break in a cell)"
                )
            closed = _ends_row(text)
            body = text.rstrip()[:-1] if closed else text
            last.cells[-1] = (last.cells[-1] + "\n" + body.strip()).strip()
            last.open = not closed
            return True
        if not stripped.startswith("|"):
            return False
        cells = split_cells(text)
        if len(cells) == 1 < len(columns):  # liblab's line break in a cell
            if last is None:
                self.diags.error(
                    self.path,
                    line,
                    f"row has 1 cell, expected {len(columns)}",
                    "bad-row",
                )
                return True
            last.cells[-1] = (last.cells[-1] + "\n" + cells[0]).strip()
            self._warn(line, "row continues the previous row (line break in a cell)")
            return True
        rows.append(
            _Pending(self._fitted(cells, line, columns), line, not _ends_row(text))
        )
        return True

    def _fitted(self, cells: list[str], line: int, columns: list[str]) -> list[str]:
        """A row's cells, one per column: a short row padded with empty cells
        (as GFM does), a long one's extra cells joined into the last column;
        each with a warning."""
        if len(cells) < len(columns):
            missing = columns[len(cells) :]
            self._warn(
                line,
                f"row has {len(cells)} cells, expected {len(columns)}; the "
                f"missing ones ({', '.join(c.capitalize() for c in missing)}) are "
                "read as empty" + (" (Required: ❌)" if "required" in missing else ""),
            )
            return cells + [""] * (len(columns) - len(cells))
        if len(cells) > len(columns):
            self._warn(
                line,
                f"row has {len(cells)} cells, expected {len(columns)}; the extra "
                "cells were joined into the last column (escape '|' as '\\|')",
            )
            return cells[: len(columns) - 1] + [" | ".join(cells[len(columns) - 1 :])]
        return cells

    def _row(self, pending: _Pending, columns: list[str]) -> Row:
        values = dict(zip(columns, pending.cells, strict=True))
        return Row(
            name=values["name"],
            type=values["type"],
            required=values["required"],
            description=values.get("description", ""),
            line=pending.line,
        )

    def _warn(self, line: int, message: str) -> None:
        self.diags.warning(self.path, line, message, "irregular-row")
