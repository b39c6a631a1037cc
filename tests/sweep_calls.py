"""Call every method of a generated package with every argument filled.

Run by test_wire_sweep.py in a subprocess, one per doc set:

    python sweep_calls.py PACKAGE_FOLDER PACKAGE IR_JSON BASE_URL

Values come from the IR's types: a model with every field filled (to a
bounded depth), two-item lists, maps with two keys, an enum's first member,
a union's first variant, ``any`` as a nested JSON value, primitives.  Each
method is called once through a sync ``Client`` (no retries); prints one JSON
line: how many calls were made, and each call that failed before an answer
came back (an exception other than the API's errors and decode errors).
"""

from __future__ import annotations

import enum
import importlib
import json
import sys
import traceback
import warnings
from typing import Any

ANY_VALUE = {"k": ["v", 1, True], "n": {"deep": None}}
DEPTH = 3


class Values:
    """Python values for IR types (the JSON shape of docs/ir.md)."""

    def __init__(self, package: Any, ir: dict[str, Any]) -> None:
        self.package = package
        self.models = importlib.import_module(package.__name__ + ".models")
        self.definitions = {d["class_name"]: d for d in ir["definitions"]}

    def of(self, t: dict[str, Any], depth: int = 0, binary: bool = False) -> Any:
        kind = t["kind"]
        if binary:
            return b"file-content"
        if kind == "primitive":
            return self.primitive(t["name"])
        if kind == "any":
            return ANY_VALUE
        if kind == "list":
            return [self.of(t["item"], depth + 1) for _ in range(2 if depth < 2 else 1)]
        if kind == "map":
            return {
                "k1": self.of(t["value"], depth + 1),
                "k2": self.of(t["value"], depth + 1),
            }
        if kind == "union":
            return self.of(t["variants"][0], depth) if t["variants"] else ANY_VALUE
        return self.ref(t.get("target") or "", depth)

    def primitive(self, name: str) -> Any:
        return {"str": "s", "int": 3, "float": 1.5, "bool": True, "bytes": "Ynl0ZXM="}[
            name
        ]

    def ref(self, target: str, depth: int) -> Any:
        d = self.definitions.get(target)
        if d is None:
            return ANY_VALUE
        cls = getattr(self.models, d["class_name"], None)
        if d["kind"] == "enum":
            return (
                next(iter(cls))
                if isinstance(cls, type) and issubclass(cls, enum.Enum)
                else d["members"][0]["value"]
            )
        if d["kind"] == "union":
            return self.of(d["variants"][0], depth) if d["variants"] else ANY_VALUE
        kwargs = {}
        for f in d["fields"]:
            if depth >= DEPTH and not f["required"]:
                continue
            if depth >= 2 * DEPTH:
                kwargs[f["python_name"]] = None
                continue
            kwargs[f["python_name"]] = self.of(f["type"], depth + 1, f["binary"])
        return cls(**kwargs)


def arguments(
    values: Values, method: dict[str, Any]
) -> tuple[list[Any], dict[str, Any]]:
    """Positional path values and keyword values for one method."""
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for p in method["parameters"]:
        if p["sent_in"] == "none":
            continue
        binary = p["sent_in"] == "body" and p["type"] == {
            "kind": "primitive",
            "name": "bytes",
        }
        value = values.of(p["type"], 0, binary)
        if p["sent_in"] == "path" and not p.get("client_option"):
            positional.append(value)
        else:
            keywords[p["python_name"]] = value
    return positional, keywords


def main() -> None:
    folder, name, ir_path, base_url = sys.argv[1:5]
    sys.path.insert(0, folder)
    warnings.simplefilter("ignore")  # deprecated methods and fields warn
    package = importlib.import_module(name)
    errors_module = importlib.import_module(name + ".errors")
    runtime = importlib.import_module(name + "._runtime")
    expected = (errors_module.ClientError, runtime.DecodeError)
    with open(ir_path, encoding="utf-8") as handle:
        ir = json.load(handle)
    values = Values(package, ir)
    calls, failures = 0, []
    with package.Client(base_url=base_url, max_retries=0) as client:
        for service in ir["services"]:
            group = getattr(client, service["python_name"])
            for method in service["methods"]:
                where = f"{service['name']}.{method['name']}"
                try:
                    args, kwargs = arguments(values, method)
                    calls += 1
                    getattr(group, method["python_name"])(*args, **kwargs)
                except expected as exc:
                    if isinstance(exc, errors_module.ApiConnectionError):
                        failures.append([where, repr(exc)])
                except Exception as exc:  # noqa: BLE001 (reported, not hidden)
                    failures.append(
                        [
                            where,
                            f"{type(exc).__name__}: {exc}",
                            traceback.format_exc(limit=-3),
                        ]
                    )
    print(json.dumps({"calls": calls, "failures": failures}))


if __name__ == "__main__":
    main()
