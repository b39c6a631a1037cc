"""JSON with the line of every object and key, and validation against the
published schemas of HAR 1.2 and Postman collections v2.1 (``schemas/``).

``loads`` is the standard library's JSON decoder (its own pure-Python
scanner, whose ``parse_object`` hook is documented by ``json.scanner``)
with each object decoded as a ``JsonObject``: a ``dict`` that also knows
the line it starts on and the line of each key, so that a diagnostic about
a sample names the line of the entry or the key it is about.

``validate`` checks a document against its schema with the ``jsonschema``
library (the ``learn`` extra: ``pip install 'docs2py[learn]'``).  Its
messages name the place in the document and what the schema wants, never
the value found there: samples hold credentials.
"""

from __future__ import annotations

import bisect
import importlib
import ipaddress
import json
import json.decoder
import json.scanner
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).parent / "schemas"
HAR_SCHEMAS = SCHEMAS / "har-1.2"
POSTMAN_SCHEMA = SCHEMAS / "postman-collection-v2.1.0.json"
MAX_ERRORS = 5
"""Schema errors shown per file; the rest are counted."""


class MissingValidator(Exception):
    """``jsonschema`` is not installed (the ``learn`` extra)."""


class JsonObject(dict[str, Any]):
    """A JSON object, with the line it starts on and the line of each key."""

    __slots__ = ("key_lines", "line")

    def __init__(self, pairs: list[tuple[str, Any]], line: int) -> None:
        super().__init__(pairs)
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line of ``key`` (the object's own line if it has none)."""
        return self.key_lines.get(key, self.line)


ScanOnce = Callable[[str, int], tuple[Any, int]]
_JSON_OBJECT: Any = getattr(json.decoder, "JSONObject")  # noqa: B009 - not in the stubs
_PY_SCANNER: Any = getattr(json.scanner, "py_make_scanner")  # noqa: B009


def loads(text: str, flat: int | None = None) -> Any:
    """``text`` decoded, objects as ``JsonObject``; ``flat``: every line is
    this one (a body inside a sample file, whose own lines mean nothing
    there).  Raises ``json.JSONDecodeError`` and ``RecursionError``."""
    starts = [i for i, c in enumerate(text) if c == "\n"] if flat is None else []

    def line(offset: int) -> int:
        return flat if flat is not None else bisect.bisect_right(starts, offset) + 1

    def parse_object(
        s_and_end: tuple[str, int],
        strict: bool,
        scan_once: ScanOnce,
        object_hook: object,
        object_pairs_hook: object,
        memo: dict[str, str] | None = None,
    ) -> tuple[JsonObject, int]:
        s, end = s_and_end
        values: list[int] = []

        def scan(string: str, idx: int) -> tuple[Any, int]:
            values.append(idx)
            return scan_once(string, idx)

        pairs, after = _JSON_OBJECT(s_and_end, strict, scan, None, list, memo)
        obj = JsonObject(pairs, line(end - 1))
        obj.key_lines = {k: line(at) for (k, _), at in zip(pairs, values, strict=True)}
        return obj, after

    decoder = json.JSONDecoder()
    setattr(decoder, "parse_object", parse_object)  # noqa: B010 - untyped hooks
    setattr(decoder, "scan_once", _PY_SCANNER(decoder))  # noqa: B010
    return decoder.decode(text)


def line_at(doc: Any, path: Iterator[str | int] | list[str | int]) -> int:
    """The line of the deepest object on ``path`` (a key's own line)."""
    found = doc.line if isinstance(doc, JsonObject) else 1
    node = doc
    for step in path:
        if isinstance(node, JsonObject) and isinstance(step, str) and step in node:
            found = node.line_of(step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            if isinstance(node, JsonObject):
                found = node.line
        else:
            break
    return found


def validate(doc: Any, kind: str) -> list[tuple[int, str]]:
    """What makes ``doc`` no valid ``kind`` (``har`` or ``postman``), as
    (line, message); raises ``MissingValidator`` without jsonschema."""
    validator = _validator(kind)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    out = []
    for error in errors:
        deepest = _deepest(error)
        path = list(deepest.absolute_path)
        out.append((line_at(doc, path), f"{_pointer(path)}: {_wants(deepest)}"))
    return out


@cache
def _validator(kind: str) -> Any:
    try:
        jsonschema: Any = importlib.import_module("jsonschema")
        referencing: Any = importlib.import_module("referencing")
        drafts: Any = importlib.import_module("referencing.jsonschema")
    except ImportError as exc:  # pragma: no cover - the learn extra is missing
        raise MissingValidator(
            "reading HAR files and Postman collections needs jsonschema: "
            "pip install 'docs2py[learn]'"
        ) from exc
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("ipv4")(_ipv4)
    checker.checks("ipv6")(_ipv6)
    if kind == "postman":
        schema = json.loads(POSTMAN_SCHEMA.read_text("utf-8"))
        return jsonschema.Draft7Validator(schema, format_checker=checker)
    resources = [
        (p.name, drafts.DRAFT6.create_resource(json.loads(p.read_text("utf-8"))))
        for p in sorted(HAR_SCHEMAS.glob("*.json"))
    ]
    registry = referencing.Registry().with_resources(resources)
    root = json.loads((HAR_SCHEMAS / "har.json").read_text("utf-8"))
    return jsonschema.Draft6Validator(root, registry=registry, format_checker=checker)


def _ipv4(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def _ipv6(value: object) -> bool:
    """An IPv6 address, also as browsers write it in HAR files: in a URL's
    brackets (``[::1]``, RFC 3986), or empty (served from the cache)."""
    if not isinstance(value, str):
        return True
    if value == "":
        return True
    try:
        ipaddress.IPv6Address(value.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def _deepest(error: Any) -> Any:
    """Of a ``oneOf``/``anyOf`` error, the alternative that went furthest."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def _pointer(path: list[str | int]) -> str:
    """``log.entries[0].request``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text.lstrip(".") or "the document"


def _wants(error: Any) -> str:
    """What the schema wants, in words, without the value found."""
    keyword, wanted = error.validator, error.validator_value
    if keyword == "required":
        missing = [k for k in wanted if k not in (error.instance or {})]
        return f"'{missing[0] if missing else wanted[0]}' is required"
    if keyword == "type":
        kinds = wanted if isinstance(wanted, list) else [wanted]
        return f"must be {' or '.join(str(k) for k in kinds)}"
    if keyword in ("enum", "const"):
        allowed = wanted if isinstance(wanted, list) else [wanted]
        return "must be one of " + ", ".join(json.dumps(a) for a in allowed[:8])
    if keyword == "format":
        return f"is no valid {wanted}"
    if keyword == "pattern":
        return "is not written as the schema wants (a date and time?)"
    if keyword in ("oneOf", "anyOf"):
        return "fits none of the forms the schema allows"
    return f"fails the schema's '{keyword}' rule"
