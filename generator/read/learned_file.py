"""The learned file (``docs2py.lock.toml``): what ``docs2py learn`` saw in
real traffic, reviewed and committed, and read by every later run as the
strongest evidence there is (``infer/learned.py``).

Each fact names what it is about (``Package.dataLimitInGb``), what the
samples showed (``dataLimitInGB``) and the sample file and line it was
first seen at; never a value the samples carried (no credentials, no
data).  The file's shape (``write/learned_file.py`` writes it)::

    version = 1
    host = "api.example.test"

    [keys]        # MODEL.PROPERTY: the JSON key
    "Package.dataLimitInGb" = { key = "dataLimitInGB", seen = "samples/a.har:41" }

    [parameters]  # SERVICE.METHOD.PARAMETER: where:name
    "PackagesService.list.pageSize" = { sent = "query:PageSize", seen = "…" }

    [styles]      # SERVICE.METHOD.PARAMETER: an OpenAPI style
    [bodies]      # SERVICE.METHOD: json, form, multipart or raw
    [auth]        # "api-key": where:name
    [nullable]    # MODEL.PROPERTY: null was seen
    [enum-values] # ENUM: values the docs do not list
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..ir import Location

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

VERSION = 1
SECTIONS: dict[str, str] = {
    "keys": "key",
    "parameters": "sent",
    "styles": "style",
    "bodies": "encoding",
    "auth": "sent",
    "nullable": "",
    "enum-values": "value",
}
"""Each section, and the name of its value (``""``: none, the fact is all)."""
_SEEN = re.compile(r"(?P<path>.+):(?P<line>[0-9]+)\Z")


@dataclass(frozen=True, slots=True, order=True)
class Fact:
    """One thing the samples showed about the wire."""

    section: str
    """A key of ``SECTIONS``."""
    target: str
    """What it is about: ``Model.property``, ``Service.method.parameter``,
    ``Service.method``, ``api-key`` or an enum's name."""
    value: str
    """What was seen (``""`` for ``nullable``)."""
    seen: Location
    """The sample file (relative to the learned file's folder) and line."""


@dataclass(frozen=True, slots=True)
class Learned:
    """The facts of a learned file, and the API host its samples came from."""

    facts: tuple[Fact, ...] = ()
    host: str = ""
    path: str = ""
    """The learned file (where its diagnostics point)."""
    base: str = ""
    """The learned file's folder: sample paths are relative to it."""
    lines: dict[tuple[str, str], int] = field(default_factory=dict, compare=False)
    """The line of each (section, target) in the file."""

    def find(self, section: str, target: str) -> list[Fact]:
        return [f for f in self.facts if f.section == section and f.target == target]

    def line(self, fact: Fact) -> int:
        return self.lines.get((fact.section, fact.target), 0)

    def sample(self, fact: Fact) -> Location:
        """Where ``fact`` was seen, relative to where the docs are."""
        if not self.base:
            return fact.seen
        path = os.path.normpath(os.path.join(self.base, fact.seen.path))
        return Location(Path(path).as_posix(), fact.seen.line)


def read_learned(path: Path, diags: Diagnostics) -> Learned | None:
    """The learned file at ``path``; None if there is none.  A malformed
    file is an error at its line (and nothing of it is used)."""
    name = path.as_posix()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(name, 0, f"cannot read the learned file: {exc}", "learned-file")
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        diags.error(name, 0, f"not valid TOML: {exc}", "learned-file")
        return None
    own = Diagnostics()
    learned = _parse(data, text, name, own)
    diags.extend(list(own.items))
    return None if own.has_errors else learned


def _line(text: str, key: str) -> int:
    """The line that sets ``key`` or opens its table (0: none)."""
    name = re.escape(key)
    pattern = rf"^\s*(\"?{name}\"?\s*=|\[\s*\"?{name}\"?\s*\])"
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _parse(data: dict[str, Any], text: str, name: str, diags: Diagnostics) -> Learned:
    if data.get("version") != VERSION:
        diags.error(
            name, _line(text, "version"),
            f"'version' must be {VERSION} (a file written by another docs2py?)",
            "learned-file",
        )  # fmt: skip
    host = data.get("host", "")
    if not isinstance(host, str):
        diags.error(
            name, _line(text, "host"), "'host' must be a string", "learned-file"
        )
        host = ""
    for key in sorted(set(data) - {"version", "host"} - set(SECTIONS)):
        diags.error(name, _line(text, key), f"unknown key '{key}'", "learned-file")
    facts: list[Fact] = []
    lines: dict[tuple[str, str], int] = {}
    for section, value_name in SECTIONS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            diags.error(name, _line(text, section), f"'{section}' must be a table",
                        "learned-file")  # fmt: skip
            continue
        for target, rows in table.items():
            line = _line(text, target)
            lines[(section, target)] = line
            for row in rows if isinstance(rows, list) else [rows]:
                fact = _fact(section, value_name, target, row)
                if fact is None:
                    diags.error(
                        name, line,
                        f"[{section}] '{target}' must be "
                        + (f"{{ {value_name} = \"…\", " if value_name else "{ ")
                        + 'seen = "FILE:LINE" }',
                        "learned-file",
                    )  # fmt: skip
                else:
                    facts.append(fact)
    base = os.path.dirname(name) or "."
    return Learned(tuple(sorted(facts)), host, name, base, lines)


def _fact(section: str, value_name: str, target: str, row: Any) -> Fact | None:
    if not isinstance(row, dict):
        return None
    seen = _SEEN.match(str(row.get("seen", "")))
    value = row.get(value_name, "") if value_name else ""
    wanted = {"seen", value_name} - {""}
    if seen is None or not isinstance(value, str) or set(row) != wanted:
        return None
    if value_name and not value:
        return None
    return Fact(section, target, value, Location(seen["path"], int(seen["line"])))
