"""black, in-process, plus a check that every file compiles from its bytes."""

from __future__ import annotations

from dataclasses import dataclass

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from .render import Source

MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=88)


@dataclass(frozen=True, slots=True)
class FormatError(Exception):
    """Generated code that black or the compiler rejected (a generator bug)."""

    source: Source
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.source.template}: error: generated code for "
            f"'{self.source.subject}' ({self.source.path}) is invalid: {self.reason}"
        )


def format_source(source: Source) -> str:
    """The formatted text of a generated Python file."""
    if not source.path.endswith(".py"):
        return source.text
    try:
        text = black.format_str(source.text, mode=MODE)
    except InvalidInput as exc:
        raise FormatError(source, f"black cannot parse it: {exc}") from None
    try:
        compile(text.encode("utf-8"), source.path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        raise FormatError(source, f"it does not compile: {exc}") from None
    return text
