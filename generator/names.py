"""Python identifiers from spec spellings.

Rules (documented in docs/names.md):

* identifiers are ASCII: text is NFKD-normalised and other characters dropped
  (the package name, the user's choice, may be any portable identifier: see
  ``package_problem``);
* attributes are snake_case, classes PascalCase, enum members UPPER_SNAKE;
* a name that is empty or starts with a digit gets a prefix (``field_``, ``Model``,
  ``VALUE_``); a keyword or a reserved name gets a trailing ``_``;
* collisions get ``_2``, ``_3``… in the order the spec wrote them.
"""

from __future__ import annotations

import functools
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_LOWER_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ACRONYM_END = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# Names that a generated model module uses inside class bodies (annotations and
# methods), so a field must not take them.
RESERVED_ATTRIBUTES = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "object", "from_dict"}
    | {"to_dict", "self", "cls"}
)
# File names Windows refuses; module names must not be one of them.
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)


def ascii_text(text: str) -> str:
    """``text`` without accents and without characters outside ASCII."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    """Split ``text`` into words at separators and case changes."""
    out: list[str] = []
    for chunk in _NON_ALNUM.split(ascii_text(text)):
        if not chunk:
            continue
        chunk = _ACRONYM_END.sub(" ", _LOWER_UPPER.sub(" ", chunk))
        out.extend(w for w in chunk.split(" ") if w)
    return out


def is_identifier(name: str) -> bool:
    """True if ``name`` is an ASCII Python identifier and not a keyword."""
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def package_problem(name: str) -> str | None:
    """Why ``name`` cannot be a generated package's import name, or None.

    Unlike attributes and classes, the package name is the user's choice and
    may be any Python identifier (PEP 3131: ``пакет``), with two limits that
    keep ``import name`` finding the folder everywhere: Python looks a module
    up by the NFKC form of the name written in the source, and some file
    systems and archivers store names decomposed (NFD, as macOS HFS+ does), so
    the name must be the same in all three forms (``café``, whose ``é`` can be
    stored as ``e`` plus an accent, is refused); and it may not be a name
    Windows reserves for devices (``con``, ``aux``…).
    """
    if not name.isidentifier() or keyword.iskeyword(name):
        return "is not a Python identifier"
    forms = {unicodedata.normalize(form, name) for form in ("NFC", "NFD", "NFKC")}
    if forms != {name}:
        return (
            "is not the same in every Unicode normal form (file systems may "
            "store it decomposed, and Python imports it by its NFKC form); "
            "use letters without accents or combining marks"
        )
    if name.lower() in _WINDOWS_RESERVED:
        return "is a device name on Windows"
    return None


def _fix(name: str, prefix: str, reserved: Iterable[str] = ()) -> str:
    if not name or name[0].isdigit():
        name = prefix + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) and name == "_":
        name += "_"
    if name in reserved:
        name += "_"
    assert is_identifier(name), name
    return name


@functools.lru_cache(maxsize=8192)
def snake(text: str) -> str:
    """``createdAt`` → ``created_at``; ``api-version`` → ``api_version``."""
    return "_".join(w.lower() for w in words(text))


def attribute_name(text: str) -> str:
    """A dataclass attribute for a property called ``text``."""
    return _fix(snake(text), "field_", RESERVED_ATTRIBUTES)


def class_stem(text: str) -> str:
    """``text``'s parts joined in PascalCase, before any prefix: ``""`` or a
    name starting with a digit means ``class_name`` had to make one up
    (``Model1``)."""
    parts = [p for p in _NON_ALNUM.split(ascii_text(text)) if p]
    return "".join(p[0].upper() + p[1:] for p in parts)


@functools.lru_cache(maxsize=8192)
def class_name(text: str) -> str:
    """``Details_1Resources`` → ``Details1Resources``; ``a-b`` → ``AB``."""
    return _fix(class_stem(text), "Model")


MAX_MODULE_NAME = 100


def module_name(class_name_: str) -> str:
    """The module file stem for a class name (at most 100 characters)."""
    name = _fix(snake(class_name_), "m_")
    if len(name) > MAX_MODULE_NAME:
        digest = hashlib.sha256(name.encode()).hexdigest()[:10]
        name = name[: MAX_MODULE_NAME - 11].rstrip("_") + "_" + digest
    if name in _WINDOWS_RESERVED:
        name += "_"
    return name


def member_name(value: str | int) -> str:
    """An UPPER_SNAKE enum member name derived from the member's JSON value."""
    text = str(value)
    if isinstance(value, int) and value < 0:
        text = "minus " + text[1:]
    name = "_".join(w.upper() for w in words(text))
    return _fix(name, "VALUE_") if name else "EMPTY" if text == "" else "VALUE"


def _kind(name: str) -> int:
    """isort's member types: constants (``UNSET``), classes, the rest."""
    return 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2


def _natural(text: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def export_order(name: str) -> tuple[int, list[str | int]]:
    """The order of ``__all__`` that ruff checks (RUF022, isort's): constants
    (``UNSET``), then classes, then the rest; numbers compared as numbers."""
    return _kind(name), _natural(name)


def import_order(name: str) -> tuple[int, list[str | int], list[str | int]]:
    """The order of imported names that ruff's isort checks (I001): by member
    type as ``export_order``, then ignoring case, numbers compared as numbers."""
    return _kind(name), _natural(name.lower()), _natural(name)


def module_order(module: str) -> tuple[list[str | int], list[str | int]]:
    """The order of ``from .module import …`` statements (I001): ignoring
    case, numbers compared as numbers."""
    return _natural(module.lower()), _natural(module)


def unique(name: str, taken: set[str]) -> str:
    """``name`` or ``name_2``, ``name_3``… whichever is not in ``taken``; adds it."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate)
    return candidate
