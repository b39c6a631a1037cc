"""The build step unattended: concurrent runs, signals, worker processes, mounts,
a full disk and a read-only file system.

Everything here is real: ``python -m generator`` subprocesses started at the
same time, real signals, worker processes found in ``/proc``, tmpfs and bind
mounts (skipped where this machine does not allow mounting).  Waits are
bounded by generous timeouts; nothing asserts on speed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_write import ROOT, SPECS, add_row, siblings, snapshot

from generator.cli.commands import main

TIMEOUT = 120  # seconds: the bound of every wait (runs take a few seconds)


def many_models(folder: Path, n: int = 80, extra: str = "") -> Path:
    """``n`` model docs (enough to start the worker processes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"Model{i}.md").write_text(
            f"# Model{i}\n\nModel number {i}.\n\n**Properties**\n\n"
            "| Name | Type | Required | Description |\n| :--- | :--- | :--- | :--- |\n"
            f"| id | string | ✅ | The id. |\n| count{i} | number | ❌ | |\n{extra}",
            "utf-8",
        )
    return folder


def env(delay: float | None = None, cache: Path | None = None) -> dict[str, str]:
    """The subprocesses' environment (``delay``: seconds per file written)."""
    result = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    result.pop("DOCS2PY_TEST_WRITE_DELAY", None)
    if delay is not None:
        result["DOCS2PY_TEST_WRITE_DELAY"] = str(delay)
    if cache is not None:
        result["DOCS2PY_CACHE_DIR"] = str(cache)
    return result


Started = list[subprocess.Popen[str]]


@pytest.fixture
def started() -> Iterator[Started]:
    """The subprocesses a test starts: killed, reaped, their pipes closed."""
    procs: Started = []
    yield procs
    for proc in procs:
        proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=30)  # orphaned workers may hold the pipes
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
        proc.wait()


def start(
    started: Started, args: list[str], environ: dict[str, str], **options: object
) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,  # type: ignore[call-overload]
    )
    started.append(proc)
    return proc


def wait_until(
    done: Callable[[], bool], what: str, proc: subprocess.Popen[str]
) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not done():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended before {what}: {proc.returncode}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    """Running (a zombie nobody has reaped yet counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def assert_gone(pids: set[int]) -> None:
    deadline = time.monotonic() + 30
    while any(alive(p) for p in pids):
        left = sorted(p for p in pids if alive(p))
        assert time.monotonic() < deadline, f"worker processes still running: {left}"
        time.sleep(0.05)


@pytest.fixture
def need_workers() -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: docs2py starts no worker processes")
    if not Path("/proc/self/task").is_dir():
        pytest.skip("no /proc to find the worker processes in")


# --- concurrent runs on one package folder ------------------------------------------


def test_concurrent_runs_take_turns_and_lose_nothing(
    tmp_path: Path, started: Started
) -> None:
    cache = tmp_path / "cache"
    old = many_models(tmp_path / "old")
    new = many_models(tmp_path / "new", extra="| added | string | ❌ | |\n")
    out = tmp_path / "pkg" / "api"
    reference = tmp_path / "reference" / "api"
    for specs, folder in ((new, reference), (old, out)):
        done = subprocess.run(
            [sys.executable, "-m", "generator", "generate", str(specs)]
            + ["--out", str(folder)],
            env=env(cache=cache),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert done.returncode == 0, done.stderr
    (out / "notes.txt").write_text("the user's notes\n", "utf-8")
    expected = snapshot(reference) | {"notes.txt": b"the user's notes\n"}

    args = ["generate", str(new), "--out", str(out)]
    staging = out.parent / f".{out.name}.docs2py-staging"
    slow = start(started, args, env(delay=0.1, cache=cache))  # ~8 s of writing
    wait_until(staging.is_dir, "the first run writes", slow)
    check = start(started, [*args, "--check"], env(cache=cache))
    plain = start(started, args, env(cache=cache))
    results = [p.communicate(timeout=TIMEOUT) for p in (slow, check, plain)]
    assert [p.returncode for p in (slow, check, plain)] == [0, 0, 0], results
    assert "waiting for another docs2py run to finish with" in results[2][1]
    assert snapshot(out) == expected
    assert siblings(out) == []


# --- signals and worker processes ----------------------------------------------------


@pytest.fixture
def changing(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """(specs that change every module, the package folder, its current files)."""
    specs = many_models(tmp_path / "specs")
    out = tmp_path / "pkg" / "api"
    assert main(["generate", str(specs), "--out", str(out), "--no-cache"]) == 0
    for spec in specs.glob("*.md"):
        add_row(spec, "| zz | string | ❌ | |\n")
    return specs, out, snapshot(out)


def test_workers_die_with_a_killed_main_process(
    changing: tuple[Path, Path, dict[str, bytes]],
    need_workers: None,
    started: Started,
) -> None:
    specs, out, before = changing
    args = ["generate", str(specs), "--out", str(out), "--no-cache"]
    proc = start(started, args, env())
    wait_until(lambda: bool(children(proc.pid)), "the workers start", proc)
    workers = children(proc.pid)
    proc.kill()  # SIGKILL: no handler runs
    proc.wait(timeout=TIMEOUT)
    assert_gone(workers)
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("signum", "when", "how"),
    [
        (signal.SIGINT, "formatting", "main process, SIGINT ignored at start"),
        (signal.SIGINT, "writing", "process group (Ctrl-C)"),
        (signal.SIGTERM, "formatting", "main process"),
        (signal.SIGTERM, "writing", "process group"),
    ],
)
def test_sigint_and_sigterm_end_the_run_cleanly(
    changing: tuple[Path, Path, dict[str, bytes]],
    need_workers: None,
    started: Started,
    signum: int,
    when: str,
    how: str,
) -> None:
    specs, out, before = changing
    staging = out.parent / f".{out.name}.docs2py-staging"
    ignore = "ignored" in how  # as a shell starts a background job
    proc = start(
        started,
        ["generate", str(specs), "--out", str(out), "--no-cache"],
        env(delay=0.05),
        start_new_session=True,
        preexec_fn=(
            (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore else None
        ),
    )
    wait_until(lambda: bool(children(proc.pid)), "the workers start", proc)
    workers = children(proc.pid)
    if when == "writing":
        wait_until(staging.is_dir, "the run writes", proc)
    if "group" in how:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    _, err = proc.communicate(timeout=TIMEOUT)
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, err
    assert f"docs2py: stopped by {name}; no package was left half-written" in err
    assert "Traceback" not in err
    assert_gone(workers)
    assert snapshot(out) == before
    assert siblings(out) == []


# --- mounts, a full disk, a read-only file system -----------------------------------


@contextlib.contextmanager
def mounted(target: Path, *args: str) -> Iterator[None]:
    """``mount ARGS… TARGET`` for the block; skips the test where not allowed."""
    target.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(
        ["mount", *args, str(target)], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], timeout=60, check=False)


@pytest.mark.parametrize("kind", ["tmpfs", "bind mount"])
def test_a_package_folder_that_is_a_mount_point_fails_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    out = tmp_path / "pkg" / "petclinic"
    source = tmp_path / "volume"
    source.mkdir()
    args = ["-t", "tmpfs", "tmpfs"] if kind == "tmpfs" else ["--bind", str(source)]
    with mounted(out, *args):
        code = main(["generate", str(SPECS), "--out", str(out), "--no-cache"])
        err = capsys.readouterr().err
        assert code == 2, err
        assert f"{out}: error: is a mount point: docs2py swaps the package" in err
        assert "mount the folder that holds it instead" in err
        assert list(out.iterdir()) == []
        assert siblings(out) == []
    assert list(source.iterdir()) == []


@pytest.fixture
def on_tmpfs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[tuple[Path, Path, dict[str, bytes]]]:
    """(specs, a package generated on a small tmpfs, its files)."""
    disk = tmp_path / "disk"
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    out = disk / "petclinic"
    with mounted(disk, "-t", "tmpfs", "-o", "size=1m", "tmpfs"):
        assert main(["generate", str(specs), "--out", str(out), "--no-cache"]) == 0
        capsys.readouterr()
        yield specs, out, snapshot(out)


def regenerate(
    specs: Path, out: Path, capsys: pytest.CaptureFixture[str], row: str
) -> str:
    """Add ``row`` to every model and generate again: exit 2; stderr."""
    for spec in (specs / "models").glob("*.md"):
        add_row(spec, row)
    code = main(["generate", str(specs), "--out", str(out), "--no-cache"])
    err = capsys.readouterr().err
    assert code == 2, err
    return err


def test_a_full_disk_names_the_path_and_keeps_the_package(
    on_tmpfs: tuple[Path, Path, dict[str, bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    specs, out, before = on_tmpfs
    disk = out.parent
    with contextlib.suppress(OSError), (disk / "filler").open("wb") as f:
        while True:
            f.write(b"\0" * 65536)
    err = regenerate(specs, out, capsys, "| zz | string | ❌ | " + "x" * 2000 + " |\n")
    assert f"{out}: error: no space left on the device (writing {disk}/" in err
    assert "free some space and run again; the package was left as it was" in err
    assert "[Errno 28]" not in err
    assert snapshot(out) == before
    assert siblings(out) == ["filler"]


def test_a_read_only_file_system_names_the_folder_to_make_writable(
    on_tmpfs: tuple[Path, Path, dict[str, bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    specs, out, before = on_tmpfs
    disk = out.parent
    done = subprocess.run(
        ["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
    err = regenerate(specs, out, capsys, "| zz | string | ❌ | |\n")
    assert f"{out}: error: {disk}/.petclinic.docs2py-staging is on a read-only" in err
    assert f"so {disk} must be writable; the package was left as it was" in err
    assert snapshot(out) == before
