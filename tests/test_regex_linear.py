"""Reading spec text takes time linear in its length (issue 22, item 7).

A 20,000-character README or service-doc line took seconds: patterns whose
repeats could match the same characters backtracked quadratically.  Two
checks, for every pattern the generator applies to input (all of its modules
but the runtime):

* statically, on the parsed pattern: no unbounded repeat inside another, and
  no two unbounded repeats that can take the same characters with nothing
  between them that only one could match (``\\s*`?\\s*``,
  ``[\\w-]*key[\\w-]*``), the shapes that backtrack quadratically;
* by growth, with hypothesis: long lines built from a drawn prefix and a
  repeated fragment go through the real readers (model docs, service docs,
  READMEs, evidence words, type cells), and eight times the length may take
  at most about eight times as long (quadratic code takes 64 times).  The
  bound is generous and compares CPU times of one process, measured several
  times: a ratio, not a deadline.

The linear rewrites that replaced patterns (evidence words, links in type
cells) are checked against the patterns they replace.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator
from generator.diagnostics import Diagnostics
from generator.infer.wire_evidence import _tokens, words
from generator.read.parse_readme import read_readme
from generator.read.parse_type import strip_links
from generator.read.specs import _model_file, _service_file

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover
    import sre_constants
    import sre_parse

ROOT = Path(__file__).resolve().parent.parent


SKIPPED = ("generator.runtime", "generator.__main__", "generator.write")
"""Not input readers: the runtime (generated code), and write/, whose one
pattern reads the first lines of generated files."""


_ANCHORED = frozenset(["match", "fullmatch"])


def _anchored_names(tree: ast.Module) -> set[str]:
    """Module-level pattern names used only with ``match``/``fullmatch``."""
    uses: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            uses.setdefault(node.value.id, set()).add(node.attr)
    return {name for name, attrs in uses.items() if attrs <= _ANCHORED}


SEARCHED: set[str] = set()
"""The patterns applied anywhere in a text (search, finditer, findall, sub…)."""


def _patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern of the generator's modules, and every literal
    pattern given to ``re.…()`` in their source (noting which are searched)."""
    seen: set[str] = set()
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if info.name.startswith(SKIPPED):
            continue
        module = importlib.import_module(info.name)
        tree = ast.parse(Path(module.__file__ or "").read_text("utf-8"))
        anchored = _anchored_names(tree)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                seen.add(value.pattern)
                if name not in anchored:
                    SEARCHED.add(f"{info.name}.{name}")
                yield f"{info.name}.{name}", value
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in seen
            ):
                flags = re.IGNORECASE if "IGNORECASE" in ast.unparse(node) else 0
                key = f"{info.name}:{node.lineno}"
                if node.func.attr not in _ANCHORED:
                    SEARCHED.add(key)
                yield key, re.compile(node.args[0].value, flags)


PATTERNS = dict(_patterns())

# --- the static check ----------------------------------------------------------

_ALPHABET = [chr(i) for i in range(128)] + ["é", "\u00a0", "\u2028", "Ω", "٣"]
_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w",
    sre_constants.CATEGORY_NOT_WORD: r"\W",
}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)  # 3.11+
_REPEATS = tuple(
    op
    for op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, _POSSESSIVE)
    if op is not None
)
_UNBOUNDED = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
_STARTS = (
    sre_constants.AT_BEGINNING,
    sre_constants.AT_BEGINNING_STRING,
    sre_constants.AT_BOUNDARY,
)
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def _chars(items: Any, ignore_case: bool) -> frozenset[str]:
    """The characters (of a test alphabet) a pattern piece can match."""
    out: set[str] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            out.add(chr(av))
        elif op is sre_constants.NOT_LITERAL:
            out |= set(_ALPHABET) - {chr(av)}
        elif op is sre_constants.ANY:
            out |= set(_ALPHABET) - {"\n"}
        elif op is sre_constants.IN:
            out |= _in(av)
        elif op is sre_constants.SUBPATTERN:
            out |= _chars(av[-1], ignore_case)
        elif op is sre_constants.BRANCH:
            for branch in av[1]:
                out |= _chars(branch, ignore_case)
        elif op in _REPEATS:
            out |= _chars(av[2], ignore_case)
        elif op is sre_constants.GROUPREF:
            out |= set(_ALPHABET)
    if ignore_case:
        out |= {c.swapcase() for c in out}
    return frozenset(out)


def _in(items: Any) -> set[str]:
    chars: set[str] = set()
    negate = False
    for op, av in items:
        if op is sre_constants.NEGATE:
            negate = True
        elif op is sre_constants.LITERAL:
            chars.add(chr(av))
        elif op is sre_constants.RANGE:
            chars |= {c for c in _ALPHABET if av[0] <= ord(c) <= av[1]}
        elif op is sre_constants.CATEGORY:
            chars |= {c for c in _ALPHABET if re.fullmatch(_CATEGORIES[av], c)}
    return set(_ALPHABET) - chars if negate else chars


def _unbounded(op: Any, av: Any) -> bool:
    return op in _UNBOUNDED and av[1] == sre_constants.MAXREPEAT


def _empty(op: Any, av: Any) -> bool:
    """Whether a piece can match nothing (an optional one, a zero-width one)."""
    if op in _ZERO_WIDTH:
        return True
    if op in _REPEATS:
        return bool(av[0] == 0)
    if op is sre_constants.SUBPATTERN:
        return all(_empty(o, a) for o, a in av[-1])
    return False


def _flat(items: Any) -> list[tuple[Any, Any]]:
    """A sequence with its plain groups spelled out in place."""
    out: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is sre_constants.SUBPATTERN:
            out += _flat(av[-1])
        else:
            out.append((op, av))
    return out


def _first(items: Any, ignore_case: bool) -> frozenset[str]:
    """The characters a sequence can start with."""
    out: frozenset[str] = frozenset()
    for op, av in _flat(items):
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.BRANCH:
            piece = frozenset().union(*(_first(b, ignore_case) for b in av[1]))
        elif op in _REPEATS:
            piece = _first(av[2], ignore_case)
        else:
            piece = _chars([(op, av)], ignore_case)
        out |= piece
        if not _empty(op, av):
            break
    return out


def _overlap(sequence: list[tuple[Any, Any]], i: int, ignore_case: bool) -> str | None:
    """Whether the unbounded repeat at ``i`` and the next one can split the
    same text between them: they share characters, and what stands between
    them can be matched by both (or nothing)."""
    first = _chars(sequence[i][1][2], ignore_case)
    between: list[tuple[Any, Any]] = []
    for op, av in sequence[i + 1 :]:
        if _unbounded(op, av):
            second = _chars(av[2], ignore_case)
            shared = first & _first(av[2], ignore_case)
            both = first & second
            if shared and all(
                _empty(o, a) or _chars([(o, a)], ignore_case) <= both
                for o, a in between
            ):
                return f"two repeats share {sorted(shared)[:5]}"
            return None
        between.append((op, av))
    return None


def _ambiguous_loop(body: Any, ignore_case: bool) -> bool:
    """Whether a repeated ``body`` can end with a repeat that also takes what
    starts the next iteration (``(a+)+``, ``(\\w*)*``): then each split of a
    run between iterations is tried."""
    sequence = _flat(body)
    start = _first(body, ignore_case)
    for i, (op, av) in enumerate(sequence):
        rest = sequence[i + 1 :]
        ends = _unbounded(op, av) and all(_empty(o, a) for o, a in rest)
        if ends and _chars(av[2], ignore_case) & start:
            return True
    return False


def _problem(items: Any, ignore_case: bool) -> str | None:
    """A quadratic (or worse) shape in a parsed pattern, or None."""
    sequence = _flat(items)
    for i, (op, av) in enumerate(sequence):
        if _unbounded(op, av):
            if _ambiguous_loop(av[2], ignore_case):
                return "a repeat whose iterations can split a run in many ways"
            problem = _overlap(sequence, i, ignore_case)
            if problem:
                return problem
        nested = []
        if op in _REPEATS:
            nested = [av[2]]
        elif op is sre_constants.BRANCH:
            nested = list(av[1])
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            nested = [av[1]]
        for sub in nested:
            problem = _problem(sub, ignore_case)
            if problem:
                return problem
    return None


def _rescanned(items: Any, ignore_case: bool) -> str | None:
    """A searched pattern that starts inside a run of the characters its
    first repeat takes, and can fail after it (``[a-z][\\w]*=``): searching
    tries it from every character of a long run, scanning the rest of the run
    each time.  A lookbehind that refuses to start inside the run (``(?<!\\w)``)
    or a repeat that ends the pattern avoids that."""
    sequence = _flat(items)
    before: list[tuple[Any, Any]] = []
    for i, (op, av) in enumerate(sequence):
        if op is sre_constants.ASSERT_NOT and av[0] == -1 and not before:
            return None  # a lookbehind decides where a match may start
        if op is sre_constants.AT and av in _STARTS:
            return None  # so does ^ (a line's start) or \\b
        if _unbounded(op, av):
            run = _chars(av[2], ignore_case)
            inside = all(
                _empty(o, a) or _chars([(o, a)], ignore_case) <= run for o, a in before
            )
            after = [(o, a) for o, a in sequence[i + 1 :] if not _empty(o, a)]
            if inside and after:
                return "searched, it rescans a run from each of its characters"
            return None
        before.append((op, av))
    return None


def problem_of(pattern: re.Pattern[str], searched: bool = False) -> str | None:
    parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    found = _problem(parsed, ignore_case)
    return found or (_rescanned(parsed, ignore_case) if searched else None)


LINEAR_BY_CONSTRUCTION = {
    "```.*?```": "a fence opens and closes it: once a search from one fails, "
    "no fence follows, so at most three searches fail",
    r"""\?((?:[\w$.\[\]-]+=[^\s&`'\"<>()]*&?)+)""": "its repeat of repeats ends "
    "the pattern: nothing after it can fail, so no iteration is revisited",
}
"""Patterns the checks flag that are linear for a reason they cannot see."""


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_can_backtrack_quadratically(name: str) -> None:
    pattern = PATTERNS[name]
    if pattern.pattern in LINEAR_BY_CONSTRUCTION:
        pytest.skip(LINEAR_BY_CONSTRUCTION[pattern.pattern])
    assert problem_of(pattern, name in SEARCHED) is None, pattern.pattern


@pytest.mark.parametrize(
    "pattern",
    [
        r"\s*[-*]\s*HTTP Method:\s*`?\s*([A-Za-z]+)\s*`?\s*\Z",  # the old ones
        r"[?&]([\w-]*key[\w-]*)=(?:your|YOUR|<|\{)",
        r"\s*\|?\s*Name\s*\|\s*Type\s*\|",
        r"(a+)+b",
        r"(\w*)*x",
        r"\d+\d+",
        r"x\s*(?:\s*y)?\s*z",
        r"See all details about (?P<name>.+?) model \[here\]\((?P<target>[^)]*)\)",
    ],
)
def test_the_static_check_finds_the_quadratic_shapes(pattern: str) -> None:
    assert problem_of(re.compile(pattern)) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?P<name>[A-Za-z_$][\w$]*)[\"']?\s*(?:[:=]|\()\s*[\"']",  # the old one
        r"[A-Za-z_$][A-Za-z0-9_$-]*[A-Za-z0-9_]",
        r"\w+=",
        r"<!--.*?-->",
    ],
)
def test_the_static_check_finds_searches_that_rescan_runs(pattern: str) -> None:
    assert problem_of(re.compile(pattern)) is None
    assert problem_of(re.compile(pattern), searched=True) is not None


def test_every_module_was_searched() -> None:
    names = {n.rsplit(".", 1)[0] for n in PATTERNS if ":" not in n}
    assert {"generator.read.parse_service", "generator.read.parse_readme"} <= names
    assert len(PATTERNS) > 60


# --- growth on real input ------------------------------------------------------

PREFIXES = [
    "", "- HTTP Method: GET", "- HTTP Method: ", "- Endpoint: `/", "| Name | Type |",
    "|", "?", "?api-key=", "'X-Api-Key' ", "x = ", "**", "# ", "## ", "> ", "1. ",
    "```", "    ", "[", "a(", "production = \"https://",
]  # fmt: skip
PUMPS = [
    "a", " ", "\t", "key", "?key", "'a' ", "`", "`a` ", "_", "__", "**", "$", "-",
    "-$", "a=", "a = ", "x(", "|", "| ", "[", "](", "[x](", "\\", "{", "}", "&",
    "=", "<", "a.", "1", ":", "#", "*", "- ", "HTTP Method: ", "Name | Type |",
    "'a'", '"a": ', "https://", "\\|", "<br/>", "1a",
]  # fmt: skip


def _docs(line: str) -> list[Callable[[], object]]:
    table = "| Name | Type | Required | Description |\n| :-- | :-- | :-- | :-- |\n"
    model = (
        f"# M\n\n{line}\n\n**Properties**\n\n{table}| a | {line} | ✅ | {line} |\n"
        f"| {line} | string | ✅ | x |\n"
    )
    service = (
        f"# S\n\n## m\n\n{line}\n\n- HTTP Method: GET\n- Endpoint: `/x`\n\n"
        f"**Parameters**\n\n{table}| a | string | ✅ | {line} |\n\n"
        f"```js\n{line}\n```\n\n{line}\n"
    )
    readme = (
        f"# API\n\n## Environments\n\n{line}\n\n## Authentication\n\n"
        f"### API Key Authentication\n\n{line}\n\n## Environment Variables\n\n"
        f"| {line} | x |\n"
    )
    return [
        lambda: _model_file(Path("m.md"), model, Diagnostics()),
        lambda: _service_file(Path("s.md"), service, Diagnostics()),
        lambda: read_readme(readme, "README.md"),
        lambda: list(_tokens(line)),
    ]


def _cpu(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    prefix=st.sampled_from(PREFIXES),
    pump=st.lists(st.sampled_from(PUMPS), min_size=1, max_size=3).map("".join),
    suffix=st.sampled_from(["", "!", "x", "`", "\\"]),
)
def test_long_lines_take_linear_time(prefix: str, pump: str, suffix: str) -> None:
    short, long_ = 1_200, 9_600
    lines = [prefix + pump * (n // len(pump)) + suffix for n in (short, long_)]
    for a, b in zip(_docs(lines[0]), _docs(lines[1]), strict=True):
        small, large = _cpu(a), _cpu(b)
        assert large <= 24 * small + 0.05, (prefix, pump, suffix, small, large)


def test_the_growth_check_notices_quadratic_work() -> None:
    """The bound above tells the old HTTP Method pattern from a linear one."""
    old = re.compile(r"\s*[-*]\s*HTTP Method:\s*`?\s*([A-Za-z]+)\s*`?\s*\Z")
    lines = ["- HTTP Method: GET" + " " * n + "x" for n in (1_200, 9_600)]
    small, large = (_cpu(lambda line=line: old.match(line)) for line in lines)
    assert large > 24 * small + 0.05


# --- the linear rewrites match what they replace -----------------------------------

_OLD_TOKEN = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*[A-Za-z0-9_]")


@given(st.text(st.sampled_from("aZ09_$- .!é"), max_size=30))
def test_words_are_what_the_token_pattern_found(text: str) -> None:
    assert words(text) == _OLD_TOKEN.findall(text)


def _old_match(text: str, start: int, open_: str, close: str) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "\\":
            continue
        if text[i] == open_ and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == close and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i
    return -1


def _old_strip_links(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "[" and (i == 0 or text[i - 1] != "\\"):
            end = _old_match(text, i, "[", "]")
            if end > 0 and end + 1 < len(text) and text[end + 1] == "(":
                close = _old_match(text, end + 1, "(", ")")
                if close > 0:
                    out.append(_old_strip_links(text[i + 1 : end]))
                    i = close + 1
                    continue
        out.append(text[i])
        i += 1
    return "".join(out)


@given(st.text(st.sampled_from("[]()\\ax"), max_size=40))
def test_links_are_stripped_as_before(text: str) -> None:
    assert strip_links(text) == _old_strip_links(text)
