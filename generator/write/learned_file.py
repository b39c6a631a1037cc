"""Writing the learned file (``docs2py.lock.toml``, read by
``read/learned_file.py``): the same facts always give the same bytes
(sections in a fixed order, rows sorted), so that a second ``docs2py learn
--write`` on the same samples changes nothing and a diff shows only what
the traffic taught."""

from __future__ import annotations

import os
import tempfile
from itertools import groupby
from pathlib import Path

from ..read.learned_file import SECTIONS, VERSION, Fact, Learned

HEADER = """\
# What `docs2py learn` saw in real traffic: the wire's keys, names, places
# and encodings where the docs did not say. Review it and commit it:
# `docs2py generate` reads it as the strongest evidence there is. Each entry
# names the sample file and line it was first seen at; no value the samples
# carried is kept. `docs2py learn --write` rewrites it.
"""
COMMENTS = {
    "keys": "MODEL.PROPERTY: the JSON key the API sends",
    "parameters": "SERVICE.METHOD.PARAMETER: where:name it is sent as",
    "styles": "SERVICE.METHOD.PARAMETER: how its array or object is spelled",
    "bodies": "SERVICE.METHOD: how the request body is encoded",
    "auth": "where:name the API key is sent as",
    "nullable": "MODEL.PROPERTY: the API sent null",
    "enum-values": "ENUM: values the API sent that the docs do not list",
}


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters
    escaped, everything else as it is."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def render(learned: Learned) -> str:
    """The learned file's text."""
    lines = [HEADER, f"version = {VERSION}"]
    if learned.host:
        lines.append(f"host = {toml_string(learned.host)}")
    for section, value_name in SECTIONS.items():
        facts = sorted(f for f in learned.facts if f.section == section)
        if not facts:
            continue
        lines += ["", f"[{section}]  # {COMMENTS[section]}"]
        for target, group in groupby(facts, key=lambda f: f.target):
            rows = [_row(f, value_name) for f in group]
            joined = rows[0] if len(rows) == 1 else "[" + ", ".join(rows) + "]"
            lines.append(f"{toml_string(target)} = {joined}")
    return "\n".join(lines) + "\n"


def _row(fact: Fact, value_name: str) -> str:
    seen = toml_string(f"{fact.seen.path}:{fact.seen.line}")
    if not value_name:
        return f"{{ seen = {seen} }}"
    return f"{{ {value_name} = {toml_string(fact.value)}, seen = {seen} }}"


def write_learned(path: Path, text: str) -> bool:
    """``text`` into ``path``, atomically; False if it held it already."""
    try:
        if path.read_text("utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True
