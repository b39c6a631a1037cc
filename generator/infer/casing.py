"""Case conversion of wire names that keeps what the spelling carries.

A name is a prefix (leading ``_`` or ``$``, kept: ``_id``, ``$eq``), words and
a suffix (trailing ``_``).  Words split at separators, at lower→upper and
acronym→word boundaries and around digit runs, so ``csAt14`` is
``cs At 14`` and converts to ``cs_at_14``.  A name already written in the target
style is returned unchanged (``team1_score`` stays ``team1_score`` in
snake_case), so only names that change style are re-spelled.

Two liblab escapes are undone here: a leading ``_`` before a digit (an
identifier cannot start with one: ``_2Kills`` is the key ``2_kills``), and
nothing else; the trailing ``_`` that liblab adds to reserved words is
removed before names reach this module (``build.strip_escape``).
"""

from __future__ import annotations

import functools
import re
from typing import Literal

Style = Literal["snake", "camel", "pascal", "kebab"]
STYLE_NAMES: dict[Style, str] = {
    "snake": "snake_case",
    "camel": "camelCase",
    "pascal": "PascalCase",
    "kebab": "kebab-case",
}

_WORD = re.compile(r"[A-Z]{2,}[a-z](?=[0-9])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_PREFIX = re.compile(r"[_$]*")
_SUFFIX = re.compile(r"_*\Z")
# Words that a digit run belongs to in snake_case and kebab-case: versions
# (``v1``), single letters (``s3``, ``h264``) and standards whose names carry
# a number (``oauth2``, ``isbn13``, ``iso2``, ``utf8``, ``sha256``, ``ipv4``).
_DIGIT_HOSTS = frozenset(
    ["oauth", "isbn", "iso", "utf", "sha", "md", "base", "ipv", "http", "awsv"]
    + ["mp", "win", "arm", "x", "ec"]
)


@functools.lru_cache(maxsize=16384)
def parts(name: str) -> tuple[str, str, str]:
    """``(prefix, core, suffix)``: ``_csAt14_`` → ``('_', 'csAt14', '_')``; a
    ``_`` before a leading digit is an escape and dropped (``_2Kills``)."""
    match = _PREFIX.match(name)
    head = match.group() if match else ""
    rest = name[len(head) :]
    if head.endswith("_") and rest[:1].isdigit():
        head = head[:-1]
    tail = _SUFFIX.search(rest)
    suffix = tail.group() if tail and rest.strip("_") else ""
    return head, rest[: len(rest) - len(suffix)], suffix


@functools.lru_cache(maxsize=16384)
def split(name: str) -> tuple[str, ...]:
    """The words of ``name`` as written: ``csAt14`` → ``('cs', 'At', '14')``."""
    return tuple(_WORD.findall(parts(name)[1]))


@functools.lru_cache(maxsize=16384)
def words(name: str) -> tuple[str, ...]:
    """The words of ``name``, lower-cased (how spellings are compared)."""
    return tuple(w.lower() for w in split(name))


@functools.lru_cache(maxsize=16384)
def shape(name: str) -> Style | None:
    """The style a multi-word name is written in, or None (one word, mixed)."""
    core = parts(name)[1]
    if len(split(core)) < 2:
        return None
    if "_" in core:
        return "snake" if core == core.lower() else None
    if "-" in core:
        return "kebab" if core == core.lower() else None
    if not core.isalnum():
        return None
    first = next(c for c in core if c.isalpha()) if any(map(str.isalpha, core)) else ""
    return "pascal" if first.isupper() and core[0].isalpha() else "camel"


def _joined(found: tuple[str, ...], separator: str) -> str:
    out: list[str] = []
    for word in found:
        if word.isdigit() and out and out[-1] in _DIGIT_HOSTS | _letters(out[-1]):
            out[-1] += word
        else:
            out.append(word.lower())
    return separator.join(out)


def _letters(word: str) -> frozenset[str]:
    return frozenset([word]) if len(word) == 1 and word.isalpha() else frozenset()


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def convert(name: str, style: Style) -> str:
    """``name`` in ``style``; unchanged when it is written in it already."""
    head, core, tail = parts(name)
    found = tuple(_WORD.findall(core))
    if not found or shape(core) == style:
        return head + core + tail
    if style == "snake":
        out = _joined(found, "_")
    elif style == "kebab":
        out = _joined(found, "-")
    elif style == "camel":
        out = found[0].lower() + "".join(_capital(w) for w in found[1:])
    else:
        out = "".join(_capital(w) for w in found)
    return head + out + tail
