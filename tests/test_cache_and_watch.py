"""The formatting cache (``FormatCache``), the parse cache and ``docs2py watch``."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import black
import pytest

import generator.core
import generator.read.specs
import generator.workers
import generator.write.format
from generator.cache import EntryStore
from generator.core import generate, load
from generator.diagnostics import Diagnostic, Diagnostics
from generator.ir import Api
from generator.settings import Settings, WireKeyStyle
from generator.write.format_cache import FormatCache, mode_key

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

NEW_ROW = "| whiskers    | number  | ❌       | How many whiskers.             |\n"


@pytest.fixture(scope="module")
def _warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One run over the example specs with an empty cache: (cache root, files)."""
    root = tmp_path_factory.mktemp("warm") / "cache"
    cache = FormatCache(root, mode_key(88))
    files = build(SPECS, cache)
    n = len(py_files(files))
    assert (cache.hits, cache.misses) == (0, n)  # a first run formats everything
    assert len(entries(cache)) == n
    return root, files


@pytest.fixture
def reference(_warm: tuple[Path, dict[str, str]]) -> dict[str, str]:
    """The example package (first run: every file formatted by black)."""
    return _warm[1]


@pytest.fixture
def warm(_warm: tuple[Path, dict[str, str]]) -> Path:
    return _warm[0]


@pytest.fixture
def cache_root(tmp_path: Path, warm: Path) -> Path:
    """A private copy of the warm cache."""
    root = tmp_path / "cache"
    shutil.copytree(warm, root)
    return root


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    shutil.copytree(SPECS, folder)
    return folder


def build(
    specs: Path, cache: FormatCache | None, line_length: int = 88
) -> dict[str, str]:
    result = generate(
        [specs], package="petclinic", line_length=line_length, cache=cache
    )
    assert not result.diagnostics.has_errors, result.diagnostics.items
    return result.files


def py_files(files: dict[str, str]) -> set[str]:
    return {rel for rel in files if rel.endswith(".py")}


def add_row(spec: Path, row: str = NEW_ROW) -> None:
    text = spec.read_text("utf-8")
    match = re.search(r"^\| :-.*\n", text, re.MULTILINE)
    assert match is not None
    spec.write_text(text[: match.end()] + row + text[match.end() :], "utf-8")


def database(cache: FormatCache | Path) -> sqlite3.Connection:
    """The database of a format cache, or of the cache store in a folder."""
    folder = cache.folder if isinstance(cache, FormatCache) else cache
    return sqlite3.connect(folder / EntryStore.FILE, isolation_level=None)


def entries(cache: FormatCache | Path) -> list[bytes]:
    """The keys of the entries in the cache's database."""
    with contextlib.closing(database(cache)) as db:
        return sorted(k for (k,) in db.execute("SELECT key FROM entries"))


def damage(
    cache: FormatCache | Path, keys: list[bytes], payload: bytes, sha: bool
) -> None:
    """Overwrite these entries' payloads (with a matching checksum if ``sha``)."""
    digest = hashlib.sha256(payload).digest() if sha else b"x" * 32
    with contextlib.closing(database(cache)) as db:
        for key in keys:
            db.execute(
                "UPDATE entries SET payload = ?, sha256 = ? WHERE key = ?",
                (payload, digest, key),
            )


def delete(cache: FormatCache | Path, keys: list[bytes]) -> None:
    with contextlib.closing(database(cache)) as db:
        for key in keys:
            db.execute("DELETE FROM entries WHERE key = ?", (key,))


@pytest.fixture
def formatted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the files black formats (recorded, then formatted as usual)."""
    seen: list[str] = []
    real = generator.write.format._format

    def spy(source: generator.write.format.Source, line_length: int = 88) -> object:
        seen.append(source.path)
        return real(source, line_length)

    monkeypatch.setattr(generator.write.format, "_format", spy)
    return seen


# --- the formatting cache -------------------------------------------------------


def test_second_run_formats_nothing(
    cache_root: Path, monkeypatch: pytest.MonkeyPatch, reference: dict[str, str]
) -> None:
    n = len(py_files(reference))
    # Few enough files to be formatted in this process, so the patch applies.
    assert n // generator.workers.THRESHOLD < 2

    def boom(*args: object, **kwargs: object) -> str:
        raise AssertionError("black was called")

    monkeypatch.setattr(black, "format_str", boom)
    cache = FormatCache(cache_root, mode_key(88))
    assert build(SPECS, cache) == reference
    assert (cache.hits, cache.misses) == (n, 0)
    assert build(SPECS, cache) == reference  # the same FormatCache object again
    assert (cache.hits, cache.misses) == (2 * n, 0)
    assert len(entries(cache)) == n


def test_one_model_edit_misses_exactly_the_changed_modules(
    cache_root: Path, specs: Path, reference: dict[str, str], formatted: list[str]
) -> None:
    add_row(specs / "models" / "Cat.md")
    cache = FormatCache(cache_root, mode_key(88))
    after = build(specs, cache)
    changed = {rel for rel in py_files(after) if after[rel] != reference.get(rel)}
    assert "models/cat.py" in changed
    assert "whiskers" in after["models/cat.py"]
    assert cache.misses == len(changed)
    assert cache.hits == len(py_files(after)) - len(changed)
    assert {p for p in formatted if p.endswith(".py")} == changed


def test_a_different_line_length_uses_a_different_cache_folder(
    cache_root: Path, reference: dict[str, str], formatted: list[str]
) -> None:
    wide = FormatCache(cache_root, mode_key(88))
    narrow = FormatCache(cache_root, mode_key(40))
    assert mode_key(88) != mode_key(40)
    assert wide.folder != narrow.folder
    files40 = build(SPECS, narrow, line_length=40)
    assert narrow.hits == 0  # nothing formatted for 88 columns is reused
    assert narrow.misses == len(py_files(files40))
    assert files40["models/pet.py"] != reference["models/pet.py"]
    assert sorted(p.name for p in (cache_root / "format").iterdir()) == sorted(
        [mode_key(88), mode_key(40)]
    )
    assert set(formatted) == py_files(files40)  # the spy saw every file...
    formatted.clear()
    assert build(SPECS, FormatCache(cache_root, mode_key(40)), 40) == files40
    assert build(SPECS, FormatCache(cache_root, mode_key(88))) == reference
    assert formatted == []  # ...and now none


def test_mode_key_is_stable() -> None:
    assert mode_key(88) == mode_key(88)
    assert re.fullmatch(r"[0-9a-f]{16}", mode_key(88))


def test_unwritable_cache_does_not_break_generation(
    tmp_path: Path, reference: dict[str, str]
) -> None:
    # A file where the cache folder should be (root may write anywhere, so an
    # unwritable folder is simulated this way).
    root = tmp_path / "cache"
    root.write_text("not a folder", "utf-8")
    cache = FormatCache(root, mode_key(88))
    assert build(SPECS, cache) == reference
    assert cache.hits == 0
    assert root.read_text("utf-8") == "not a folder"


def test_unreadable_cache_entries_are_misses(
    cache_root: Path, reference: dict[str, str]
) -> None:
    keys = entries(FormatCache(cache_root, mode_key(88)))
    # Not UTF-8 (with a checksum that matches it), or with a wrong checksum.
    damage(FormatCache(cache_root, mode_key(88)), keys[::2], b"\xff\xfe\x00 x", True)
    damage(FormatCache(cache_root, mode_key(88)), keys[1::2], b"class A: pass", False)
    cache = FormatCache(cache_root, mode_key(88))
    assert build(SPECS, cache) == reference
    assert cache.hits == 0


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param("", id="empty"),
        pytest.param("import os\nos.system('echo pwned')\n", id="other-code"),
        pytest.param("class Cat(:\n", id="truncated"),
    ],
)
def test_corrupted_cache_entries_do_not_change_the_output(
    cache_root: Path, reference: dict[str, str], garbage: str
) -> None:
    cache = FormatCache(cache_root, mode_key(88))
    damage(cache, entries(cache), garbage.encode(), False)
    assert build(SPECS, FormatCache(cache_root, mode_key(88))) == reference


@pytest.mark.parametrize("garbage", [b"", b"not a database" * 100, b"\0" * 8192])
def test_a_damaged_cache_database_is_replaced(
    cache_root: Path, reference: dict[str, str], garbage: bytes
) -> None:
    folder = FormatCache(cache_root, mode_key(88)).folder
    for extra in folder.glob(EntryStore.FILE + "-*"):
        extra.unlink()
    (folder / EntryStore.FILE).write_bytes(garbage)
    cache = FormatCache(cache_root, mode_key(88))
    assert build(SPECS, cache) == reference
    assert cache.hits == 0
    again = FormatCache(cache_root, mode_key(88))  # rebuilt: every file a hit
    assert build(SPECS, again) == reference
    assert again.misses == 0
    assert len(entries(again)) == len(py_files(reference))


def test_deleting_cache_entries_is_safe(
    cache_root: Path, reference: dict[str, str]
) -> None:
    n = len(py_files(reference))
    # Half the entries gone: those are formatted again, the rest reused.
    keys = entries(FormatCache(cache_root, mode_key(88)))
    delete(FormatCache(cache_root, mode_key(88)), keys[::2])
    cache = FormatCache(cache_root, mode_key(88))
    assert build(SPECS, cache) == reference
    assert (cache.hits, cache.misses) == (n - len(keys[::2]), len(keys[::2]))
    assert len(entries(cache)) == n


def test_compiled_templates_are_kept_and_damage_is_harmless(
    cache_root: Path, reference: dict[str, str]
) -> None:
    folder = cache_root / "templates" / generator.__version__
    keys = entries(folder)
    assert keys  # the warm run kept Jinja's compiled templates
    damage(folder, keys[::3], b"j2" + b"\x00garbage" * 10, True)
    with contextlib.closing(database(folder)) as db:  # truncated, checksum right
        for key, payload in db.execute("SELECT key, payload FROM entries"):
            if key in keys[1::3]:
                damage(folder, [key], payload[:40], True)
    delete(folder, keys[2::3])
    assert build(SPECS, FormatCache(cache_root, mode_key(88))) == reference


def _flip(data: bytes, marker: bytes) -> tuple[bytes, int]:
    """``data`` with one byte of every ``marker`` in it flipped (l → L)."""
    flipped = bytearray(data)
    count, at = 0, data.find(marker)
    while at >= 0:
        flipped[at + len(marker) - 1] ^= 0x20
        count += 1
        at = data.find(marker, at + 1)
    return bytes(flipped), count


def test_a_flipped_byte_in_a_compiled_template_is_a_miss(
    cache_root: Path, reference: dict[str, str]
) -> None:
    """One byte of the code compiled from model.py.jinja, changed on disk (a
    bad sector, a bad copy, a hand edit): every run still writes the right code
    and none crashes."""
    flipped = 0
    for path in (cache_root / "templates").rglob("*"):
        if path.is_file():
            data, count = _flip(path.read_bytes(), b"@_rt.model")
            path.write_bytes(data)
            flipped += count
    assert flipped  # the text of model.py.jinja is in a compiled template
    for _ in range(2):  # and the damaged entry is replaced
        assert build(SPECS, FormatCache(cache_root, mode_key(88))) == reference


def test_deleting_the_cache_between_cli_runs_is_safe(
    tmp_path: Path,
    cache_root: Path,
    specs: Path,
    reference: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from generator.cli.commands import main

    out = tmp_path / "petclinic"
    argv = ["generate", str(specs), "--out", str(out), "--cache-dir", str(cache_root)]
    assert main(argv) == 0
    add_row(specs / "models" / "Cat.md")
    shutil.rmtree(cache_root)
    assert main(argv) == 0
    capsys.readouterr()
    assert (cache_root / "format" / mode_key(88)).is_dir()
    files = {
        p.relative_to(out).as_posix(): p.read_text("utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.name != ".docs2py-manifest.json"
    }
    assert files.keys() == reference.keys()
    assert "whiskers" in files["models/cat.py"]


# --- docs2py watch ----------------------------------------------------------------

REBUILD = re.compile(r"^\[\d\d:\d\d:\d\d\] [\w-]+: ")


class Watcher:
    """``python -m generator watch`` in a subprocess; stderr read by a thread."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        env.pop("DOCS2PY_TEST_WRITE_DELAY", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "watch", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        with self._lock:
            return "\n".join(self.lines)

    def rebuilds(self) -> int:
        with self._lock:
            return sum(1 for line in self.lines if REBUILD.match(line))

    def wait_for(
        self, done: Callable[[], bool], what: str, timeout: float = 15
    ) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if self.proc.poll() is not None:
                self._reader.join(timeout=5)  # everything it printed is read
                if done():
                    return
                raise AssertionError(f"watch exited ({what}):\n{self.text}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.text}")
            time.sleep(0.05)

    def stop(self) -> int:
        """SIGINT (Ctrl-C); the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=15)
        finally:
            self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._reader.join(timeout=5)
        assert self.proc.stderr is not None
        self.proc.stderr.close()


@pytest.fixture
def watchers() -> Iterator[list[Watcher]]:
    started: list[Watcher] = []
    yield started
    for watcher in started:
        watcher.close()


def test_watch_rebuilds_reports_errors_and_stops_cleanly(
    tmp_path: Path, specs: Path, watchers: list[Watcher]
) -> None:
    pytest.importorskip("watchfiles")
    out = tmp_path / "out" / "petclinic"
    cat = out / "models" / "cat.py"
    w = Watcher(
        [str(specs), "--out", str(out), "--debounce", "100", "--no-cache"], tmp_path
    )
    watchers.append(w)
    w.wait_for(lambda: "watching for changes" in w.text, "the first build")
    assert w.rebuilds() == 1
    assert re.search(r"; \d+ files written, 0 unchanged", w.text)
    assert cat.is_file()
    time.sleep(0.3)  # let the watcher settle

    add_row(specs / "models" / "Cat.md")
    w.wait_for(lambda: w.rebuilds() >= 2, "a rebuild after an edit")
    w.wait_for(lambda: "whiskers" in cat.read_text("utf-8"), "the changed output")
    w.wait_for(
        lambda: re.search(r"; [1-9]\d* files? written, [1-9]\d* unchanged", w.text)
        is not None,
        "the summary",
    )
    with w._lock:  # a rebuild with the same diagnostics prints one line
        start = w.lines.index("watching for changes (Ctrl-C to stop)")
        after = w.lines[start + 1 :]
    assert after and all(REBUILD.match(line) for line in after), after

    bad = specs / "models" / "Bad.md"
    bad.write_text("# Bad\n\n**Properties**\n\nno table here\n", "utf-8")
    w.wait_for(lambda: f"{bad.as_posix()}:5: error:" in w.text, "the spec error")
    time.sleep(0.5)
    assert w.proc.poll() is None, w.text
    assert not (out / "models" / "bad.py").exists()
    assert "whiskers" in cat.read_text("utf-8")

    count = w.rebuilds()
    bad.write_text(
        "# Bad\n\n**Properties**\n\n| Name | Type | Required | Description |\n"
        "| :--- | :--- | :--- | :--- |\n| fixed | string | ✅ | |\n",
        "utf-8",
    )
    w.wait_for(lambda: w.rebuilds() > count, "a rebuild after the fix")
    w.wait_for(lambda: (out / "models" / "bad.py").is_file(), "the fixed output")

    # Files written into the output folder do not trigger rebuilds.
    time.sleep(0.5)
    count = w.rebuilds()
    (out / "notes.md").write_text("mine\n", "utf-8")
    time.sleep(0.6)
    assert w.rebuilds() == count

    assert w.stop() == 0
    assert "stopped watching" in w.text
    assert "Traceback" not in w.text


def test_watch_survives_a_broken_pyproject(
    tmp_path: Path, specs: Path, watchers: list[Watcher]
) -> None:
    pytest.importorskip("watchfiles")
    pyproject = tmp_path / "pyproject.toml"
    good = '[tool.docs2py]\nspecs = ["specs"]\nout = "petclinic"\n'
    pyproject.write_text(good, "utf-8")
    w = Watcher(["--debounce", "100", "--no-cache"], tmp_path)
    watchers.append(w)
    w.wait_for(lambda: "watching for changes" in w.text, "the first build")
    time.sleep(0.3)
    pyproject.write_text(good.replace('"specs"]', '"specs"'), "utf-8")
    w.wait_for(lambda: "cannot read the configuration" in w.text, "the TOML error")
    time.sleep(0.5)
    assert w.proc.poll() is None, w.text
    pyproject.write_text(good + "line-length = 60\n", "utf-8")
    count = w.rebuilds()
    w.wait_for(lambda: w.rebuilds() > count, "a rebuild after the fix")
    assert w.stop() == 0
    assert "Traceback" not in w.text


# --- the parse cache ------------------------------------------------------------


_MODEL_FILE = generator.read.specs._model_file
_SERVICE_FILE = generator.read.specs._service_file


def _load_counting(
    specs: Path, root: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> tuple[Api, tuple[Diagnostic, ...], list[str]]:
    """load() with the parse cache at ``root``; also the files actually parsed
    (model and service docs)."""
    parsed: list[str] = []

    def counting(read: Any) -> Any:
        def count(spec: Path, *args: Any) -> Any:
            parsed.append(spec.name)
            return read(spec, *args)

        return count

    monkeypatch.setattr(generator.read.specs, "_model_file", counting(_MODEL_FILE))
    monkeypatch.setattr(generator.read.specs, "_service_file", counting(_SERVICE_FILE))
    diags = Diagnostics()
    api = load([specs], settings, diags, root)
    return api, diags.items, parsed


def test_parse_cache_reparses_only_edited_files(
    tmp_path: Path, specs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache"
    (specs / "models" / "Broken.md").write_text(
        "# Broken\n\n**Properties**\n\n| Name | Type |\n| :-- | :-- |\n| a | Nope |\n"
    )
    first, diags1, parsed1 = _load_counting(specs, root, monkeypatch, Settings())
    assert diags1 and parsed1  # the broken doc warns; every file was parsed
    again, diags2, parsed2 = _load_counting(specs, root, monkeypatch, Settings())
    assert (again, diags2, parsed2) == (first, diags1, [])  # all from the cache
    add_row(specs / "models" / "Cat.md")
    edited, _, parsed3 = _load_counting(specs, root, monkeypatch, Settings())
    assert parsed3 == ["Cat.md"] and edited != first
    camel = Settings(wire_keys=WireKeyStyle.CAMEL)
    renamed, _, parsed4 = _load_counting(specs, root, monkeypatch, camel)
    # settings shape the wire stage, not parsing: every file comes from the cache
    assert parsed4 == [] and renamed != edited


def test_damaged_parse_cache_entries_are_misses(
    tmp_path: Path, specs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache"
    first, diags, parsed = _load_counting(specs, root, monkeypatch, Settings())
    store = root / "parsed" / generator.__version__
    keys = entries(store)
    assert len(keys) == len(parsed)
    damage(store, keys[:1], b"\x80\x05", False)  # truncated
    damage(store, keys[1:2], b"not a pickle", True)  # checksum right, payload wrong
    again, diags2, reparsed = _load_counting(specs, root, monkeypatch, Settings())
    assert (again, diags2, len(reparsed)) == (first, diags, 2)
