"""The wire sweep: every method of every corpus doc set, called with every
argument filled, through the generated client, against a recording server
on 127.0.0.1.  No request line, header or body may hold a Python ``repr``
(``{'``, ``['``, ``<object``, ``Name(field=``, ``True``, ``Enum.MEMBER``…).

Each doc set is generated once, in-process, and rendered but not formatted
(black changes the layout only, and takes 95% of the time; test_corpus.py
checks the formatted packages); its IR is written as JSON and its methods
called in one subprocess (tests/sweep_calls.py: values made from the IR's
types).  Skipped without ../shared.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus

import pytest
from conftest import CORPUS, corpus_sets
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.core import load
from generator.diagnostics import Diagnostics
from generator.ir_json import to_json
from generator.render.renderer import Renderer, environment
from generator.settings import Settings

pytestmark = pytest.mark.slow

CALLER = Path(__file__).resolve().parent / "sweep_calls.py"
PACKAGE = "swept"
REPR = re.compile(r"\{'|\['|<object|object at 0x|(?<![\w])b'|\b[A-Z]\w*\(\w+=")
"""A dict, list, object, bytes or dataclass repr."""
PYTHON_WORDS = ("True", "False", "None")
"""Python's spelling of a boolean or None (the sweep sends ``True`` for
booleans: JSON's is ``true``), unless the doc set has an enum value so spelled."""


SETS = corpus_sets()


@dataclass
class Seen:
    """One recorded request: its request line, headers and body."""

    line: str
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Recorder:
    server: HTTPServer
    requests: dict[str, list[Seen]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Request) -> Response:
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
        line = f"{request.method} {raw or request.full_path}"
        seen = Seen(line, list(request.headers.items()), request.get_data())
        prefix = request.path.split("/")[1]
        with self.lock:
            self.requests.setdefault(prefix, []).append(seen)
        return Response("{}", 200, content_type="application/json")


@pytest.fixture  # one per test: the doc sets spread over pytest-xdist workers
def recorder() -> Iterator[Recorder]:
    server = HTTPServer(host="127.0.0.1", port=0)
    found = Recorder(server)
    server.expect_request(re.compile(r"/.*")).respond_with_handler(found.handle)
    server.start()
    try:
        yield found
    finally:
        server.clear()
        server.stop()


def reprs_in(
    seen: Seen, markers: list[str], words: re.Pattern[str] | None
) -> list[str]:
    """What in one request looks like a repr (empty: nothing)."""
    body = seen.body.decode("utf-8", "replace")
    texts = [seen.line, unquote(seen.line), unquote_plus(seen.line)]
    texts += [f"{k}: {v}" for k, v in seen.headers]
    texts += [body, unquote_plus(body)]
    found = [m.group(0) for t in texts for m in REPR.finditer(t)]
    found += [m for t in texts for m in markers if m in t]
    if words is not None:
        found += [m.group(0) for t in texts for m in words.finditer(t)]
    return found


def markers_of(ir: dict[str, Any]) -> tuple[list[str], re.Pattern[str] | None]:
    """``Color.RED`` (how a plain Enum member prints: the sweep passes each
    enum's first member), and a pattern of the Python words no enum value of
    the set spells."""
    out, values = [], set()
    for d in ir["definitions"]:
        if d["kind"] == "enum" and d["members"]:
            out.append(f"{d['class_name']}.{d['members'][0]['python_name']}")
            values |= {str(m["value"]) for m in d["members"]}
    words = [w for w in PYTHON_WORDS if w not in values]
    if not words:
        return out, None
    return out, re.compile(rf"(?<![\w.-])(?:{'|'.join(words)})(?![\w.-])")


@pytest.mark.skipif(not SETS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("name", SETS)
def test_no_repr_on_the_wire(
    name: str,
    recorder: Recorder,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    diags = Diagnostics()
    api = load([CORPUS / name], Settings(), diags)
    assert not diags.has_errors
    renderer = Renderer(environment(), api, PACKAGE, (), None)
    for source in renderer.sources():
        path = tmp_path / PACKAGE / source.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source.text, "utf-8")
    ir = to_json(api)
    ir_path = tmp_path / "ir.json"
    ir_path.write_text(json.dumps(ir), "utf-8")
    prefix = f"set{SETS.index(name)}"
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, str(CALLER), str(tmp_path), PACKAGE, str(ir_path),
         recorder.server.url_for(f"/{prefix}")],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert not report["failures"], report["failures"][:5]
    seen = recorder.requests.get(prefix, [])
    assert len(seen) == report["calls"]  # one request per call, all recorded
    markers, words = markers_of(ir)
    leaks = [(s.line, found) for s in seen if (found := reprs_in(s, markers, words))]
    assert not leaks, leaks[:5]
    # (methods called, requests recorded): conftest's terminal summary adds up
    record_property("wire-sweep", (name, (report["calls"], len(seen))))


@pytest.mark.parametrize(
    "line",
    [
        "GET /matches?filter=%7B%27id%27%3A+%5B3%2C+3%5D%7D",  # the old dict repr
        "GET /cards/%5B%27card-id%27%2C+%27card-id-1%27%5D",  # the old list repr
        "GET /x?p=%3Cswept.Foo+object+at+0x7f%3E",
        "GET /x?p=Point%28x_pos%3D1%29",
        "GET /x?flag=True",
        "GET /x/None",
        "GET /x?c=Color.RED",
    ],
)
def test_the_detector_sees_reprs(line: str) -> None:
    markers, words = markers_of(
        {"definitions": [{"kind": "enum", "class_name": "Color",
                          "members": [{"python_name": "RED", "value": "red"}]}]}
    )  # fmt: skip
    assert reprs_in(Seen(line, [], b""), markers, words)
    assert not reprs_in(Seen("GET /x?flag=true&f[id]=3,3", [], b""), markers, words)
