"""Markdown model docs → blocks (one per ``# Heading``), read with mistune.

mistune finds the document's block structure (headings outside code fences,
paragraphs); its tokens carry no positions, so a ``BlockState`` subclass stamps
each top-level token with its first line.  Property tables are then read from
the raw lines (see parse_table).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

import mistune
from mistune.block_parser import BlockParser
from mistune.core import BlockState

from ..diagnostics import Diagnostics
from .parse_table import Row, TableReader, unescape

_STUB = re.compile(
    r"See all details about (?P<name>.+?) model \[here\]\((?P<target>[^()]*)\)\.?\Z",
    re.DOTALL,
)
_UNION_SENTENCE = "This is a union type"


@dataclass(frozen=True, slots=True)
class Block:
    """One ``# Name`` section of a model doc.

    ``rows`` is None when the section has no ``**Properties**`` table;
    ``stub`` names the model a "See all details about X model" stub points at.
    """

    name: str
    line: int
    description: str
    rows: tuple[Row, ...] | None
    stub: str | None
    union_sentence: bool


class _PosState(BlockState):
    """A BlockState that knows where its source lines start."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.line_starts: list[int] = [0]

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def append_token(self, token: dict[str, Any]) -> None:
        if self.parent is None:  # refined by _PosBlockParser.parse_method
            token.setdefault("_line", self.line_at(self.cursor))
        super().append_token(token)

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        if last and last["type"] == "paragraph":
            last["text"] += text
        else:
            token: dict[str, Any] = {"type": "paragraph", "text": text}
            if self.parent is None:
                token["_line"] = self.line_at(self.cursor)
            self.tokens.append(token)


class _PosBlockParser(BlockParser):
    """Stamps every top-level token with the line where its block starts.

    mistune's tokens carry no positions (lepture/mistune#218); every block rule
    runs through ``parse_method`` with the match at the block's start, so the
    tokens it appends get that line.  Relies on mistune 3.x internals (pinned <4).
    """

    def parse_method(self, m: re.Match[str], state: BlockState) -> int | None:
        if state.parent is not None or not isinstance(state, _PosState):
            return super().parse_method(m, state)
        count = len(state.tokens)
        line = state.line_at(m.start())
        result = super().parse_method(m, state)
        if len(state.tokens) > count:  # later tokens keep their own stamps
            state.tokens[count]["_line"] = line
        return result


def _markdown() -> mistune.Markdown:
    block = _PosBlockParser()
    block.state_cls = _PosState
    return mistune.Markdown(renderer=None, block=block)


_MD = _markdown()


def inline_text(children: list[dict[str, Any]]) -> str:
    """Plain text of inline tokens (text, code spans, emphasis, links)."""
    parts: list[str] = []
    for child in children:
        if "raw" in child:
            parts.append(child["raw"])
        elif "children" in child:
            parts.append(inline_text(child["children"]))
    return "".join(parts)


def normalize(text: str) -> str:
    """Line endings as mistune sees them: ``\n`` only, and a final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


_TABLE_LINE = re.compile(r"^[ \t]*\|.*$", re.MULTILINE)
_FENCE = re.compile(r" {0,3}(`{3,}(?=[^`]*\Z)|~{3,})")
# HTML blocks that run past blank lines (CommonMark types 1-5): opener, closer.
_HTML_BLOCKS = [
    (
        re.compile(r" {0,3}<(script|pre|style|textarea)(\s|>|\Z)", re.I),
        r"</(script|pre|style|textarea)>",
    ),
    (re.compile(r" {0,3}<!--"), r"-->"),
    (re.compile(r" {0,3}<\?"), r"\?>"),
    (re.compile(r" {0,3}<![A-Za-z]"), r">"),
    (re.compile(r" {0,3}<!\[CDATA\["), r"\]\]>"),
]
_OPENERS = ("`", "~", "<")
# Lines that are document structure and never code: a block hiding one of
# them was not meant as a block (a stray opener in a description).
_STRUCTURE = re.compile(r" {0,3}((\*\*|__)Properties(\*\*|__)[ \t]*\Z|- HTTP Method:)")


@dataclass(frozen=True, slots=True)
class HidingBlock:
    """A code fence or HTML block (closed or not) that would hide a line of
    document structure (a property table, a method)."""

    line: int
    hidden: int
    what: str


def _closer(line: str) -> tuple[str, re.Pattern[str]] | None:
    """What ``line`` opens that may run past blank lines, and what ends it."""
    fence = _FENCE.match(line)
    if fence:
        mark = fence[1][0] * len(fence[1])
        closing = r" {0,3}" + re.escape(mark) + re.escape(mark[0]) + r"*[ \t]*\Z"
        return "code fence", re.compile(closing)
    for opener, end in _HTML_BLOCKS:
        if opener.match(line):
            return "HTML block", re.compile(r".*?" + end, re.I)
    return None


def hiding_blocks(lines: list[str]) -> list[HidingBlock]:
    """Code fences and HTML blocks that would hide document structure.

    CommonMark runs an unclosed block to the end of the document, and pairs a
    stray fence with the next fence, so one stray opener in a description
    would swallow the property table or the methods after it.  Such an
    opener is read as text instead (and reported).
    """
    found: list[HidingBlock] = []
    n = 0
    while n < len(lines):
        opened = _closer(lines[n]) if lines[n].lstrip(" ")[:1] in _OPENERS else None
        if opened is None:
            n += 1
            continue
        what, end = opened
        start = n + 1 if what == "code fence" else n  # HTML may end on its line
        rest = range(start, len(lines))
        close = next((i for i in rest if end.match(lines[i])), len(lines))
        inside = range(n + 1, close)
        hidden = next((i for i in inside if _STRUCTURE.match(lines[i])), None)
        if hidden is None:
            n = close + 1
        else:
            found.append(HidingBlock(n + 1, hidden + 1, what))
            n += 1
    return found


def block_tokens(
    text: str, path: str = "", diags: Diagnostics | None = None
) -> list[dict[str, Any]]:
    """mistune's top-level block tokens of ``text``, each with its first line.

    Table lines (``|…``) are read from the raw text by parse_table, so mistune
    sees each as a bare ``|``: the block structure and line numbers are the
    same, and long padded rows cost nothing.  The opening line of a block
    that would hide structure (``hiding_blocks``) is shown to mistune as a
    blank line (with a warning in ``diags``, when given).
    """
    lines = text.split("\n")
    for block in hiding_blocks(lines):
        lines[block.line - 1] = ""
        if diags is not None:
            diags.warning(
                path,
                block.line,
                f"this {block.what} would hide the document structure at line "
                f"{block.hidden}; its first line is read as text (close the block "
                "before it)",
                "hiding-block",
            )
    text = _TABLE_LINE.sub("|", "\n".join(lines))
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    state = _PosState()
    state.line_starts = starts
    state.process(text)
    _MD.block.parse(state)
    tokens: list[dict[str, Any]] = state.tokens
    return tokens


_PROPERTIES = re.compile(r"\s*(\*\*|__)Properties(\*\*|__)\s*(\n|\Z)")
_HEADER = re.compile(r"\s*(?:\|\s*)?Name\s*\|\s*Type\s*\|", re.IGNORECASE)


def _table_start(
    tokens: list[dict[str, Any]], lines: list[str], stop: int
) -> tuple[int, int] | None:
    """(last description line, first table-region line), 1-based, or None.

    The table follows a ``**Properties**`` line; a table whose header starts
    ``| Name | Type |`` right after the description is accepted without it.
    Only paragraph lines up to ``stop`` (the block's last line) are searched
    (never code blocks), from the raw text.
    """
    for i, token in enumerate(tokens):
        if token["type"] != "paragraph":
            continue
        end = tokens[i + 1]["_line"] if i + 1 < len(tokens) else stop + 1
        for n in range(token["_line"], end):
            text = lines[n - 1]
            if _PROPERTIES.match(text):
                return n - 1, n + 1
            if _HEADER.match(text):
                return n - 1, n
    return None


def heading_text(token: dict[str, Any]) -> str:
    """A heading's text with inline Markdown (escapes, emphasis, code) undone."""
    rendered = _MD.inline(token["text"], {})
    return inline_text(rendered).strip()


def without_comments(text: str, keep_lines: bool = False) -> str:
    """``text`` without its ``<!-- … -->`` comments (each replaced by its line
    breaks with ``keep_lines``).  An unclosed comment is kept, as the pattern
    ``<!--.*?-->`` would keep it; found with ``str.find`` so that text full of
    unclosed comments takes linear time (the pattern rescanned the rest of
    the text from each one)."""
    out: list[str] = []
    done = 0
    while (start := text.find("<!--", done)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[done:start])
        out.append("\n" * text.count("\n", start, end) if keep_lines else "")
        done = end + 3
    out.append(text[done:])
    return "".join(out)


def description_text(lines: list[str]) -> str:
    """Raw description lines without HTML comments and surrounding blank lines."""
    text = without_comments("\n".join(lines))
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


class FileParser:
    """Parses one model doc into blocks, reporting problems to ``diags``."""

    def __init__(self, path: str, diags: Diagnostics) -> None:
        self.path = path
        self.diags = diags

    def parse(self, text: str) -> list[Block]:
        text = normalize(text)
        lines = text.split("\n")
        tokens = [t for t in block_tokens(text, self.path, self.diags) if "_line" in t]
        headings = [
            i
            for i, t in enumerate(tokens)
            if t["type"] == "heading" and t["attrs"]["level"] == 1
        ]
        blocks: list[Block] = []
        for n, index in enumerate(headings):
            end = headings[n + 1] if n + 1 < len(headings) else len(tokens)
            stop = tokens[end]["_line"] - 1 if end < len(tokens) else len(lines)
            blocks.append(self._block(tokens[index:end], lines, stop))
        return blocks

    def _block(
        self, tokens: list[dict[str, Any]], lines: list[str], stop: int
    ) -> Block:
        heading = tokens[0]
        line = heading["_line"]
        table = _table_start(tokens[1:], lines, stop)
        desc_end = table[0] if table else stop
        description = description_text(lines[line:desc_end])
        rows: tuple[Row, ...] | None = None
        if table is not None:
            rows = self._table(lines, table[1], stop)
        stub = _STUB.match(description) if rows is None else None
        return Block(
            name=heading_text(heading),
            line=line,
            description=description,
            rows=rows,
            stub=unescape(stub["name"]) if stub else None,
            union_sentence=rows is None and description.startswith(_UNION_SENTENCE),
        )

    def _table(self, lines: list[str], first: int, stop: int) -> tuple[Row, ...]:
        """Rows of the table in lines ``first``..``stop`` (1-based, inclusive)."""
        region = lines[first - 1 : stop]
        result = TableReader(self.path, self.diags).read(region, first)
        if result is None:
            return ()
        rows, used = result
        rest = without_comments("\n".join(region[used:])).strip()
        if rest:
            lines_left = without_comments("\n".join(region[used:]), True).split("\n")
            offset = next(i for i, s in enumerate(lines_left) if s.strip())
            self.diags.warning(
                self.path,
                first + used + offset,
                "text after the property table is ignored",
                "trailing-text",
            )
        return tuple(rows)
