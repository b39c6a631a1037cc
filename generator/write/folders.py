"""File-system steps of writing a package, each safe to run unattended.

* ``lock``: an ``flock`` on the folder that holds the package, so runs on one
  package folder take turns (``--check`` and the up-to-date check share it).
* ``read``, ``write_new``, ``replace`` and ``remove`` open every folder on
  the way relative to its parent (``dir_fd``) with ``O_NOFOLLOW``: a symbolic
  link inside the package is reported (``Obstacle``), never read or written
  through.
* ``exchange``: the atomic swap of two folders (Linux ``renameat2``).
* ``explain``: an ``OSError`` met while writing, as a message that names the
  path and what to do.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path


class OutputError(Exception):
    """The package folder cannot be written as asked (exit 2)."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(path, message)
        self.path = Path(path)
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: error: {self.message}"


class Obstacle(Exception):
    """Something docs2py must not read or write through: a symbolic link, or a
    folder or special file where it would write a file (or a file where it needs
    a folder)."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(path, what)
        self.path = path
        self.what = what


@contextlib.contextmanager
def lock(
    folder: Path, exclusive: bool, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an ``flock`` on ``folder`` (shared or exclusive) for the block.

    Nothing is created: the lock is on the folder itself, and it ends with the
    process, so a killed run never leaves a stale lock.  ``waiting`` is called
    once if another process holds the lock.  A folder that does not exist (a
    check before the first run) or a file system without locks is not locked.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        yield
        return
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(fd, mode)
        except OSError as exc:  # e.g. ENOLCK: no locks on this file system
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EBADF):
                raise
        yield
    finally:
        os.close(fd)  # releases the lock


_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def _kind(fd: int, name: str) -> str | None:
    """What ``name`` in the folder ``fd`` is, if it is not a plain file or folder."""
    try:
        mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "a special file"


def _folder(root: Path, parts: list[str], create: bool) -> int | None:
    """An fd of ``root/parts…`` (made if ``create``), None if it is not there.

    Raises ``Obstacle`` if one of ``parts`` is a symbolic link or not a folder.
    """
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for n, name in enumerate(parts):
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, dir_fd=fd)
            sub = os.open(name, _DIR, dir_fd=fd)
        except OSError as exc:
            what = _kind(fd, name) or (
                "a file" if isinstance(exc, NotADirectoryError) else None
            )
            os.close(fd)
            if what:
                raise Obstacle(root.joinpath(*parts[: n + 1]), what) from exc
            if isinstance(exc, FileNotFoundError):
                return None
            raise
        os.close(fd)
        fd = sub
    return fd


def read(root: Path, rel: str) -> bytes | None:
    """The bytes of the file ``root/rel``; None if there is nothing there.

    Raises ``Obstacle`` if ``rel`` is not a plain file, or a folder on its way
    is a symbolic link or a file.
    """
    *parts, name = rel.split("/")
    try:
        fd = _folder(root, parts, create=False)
    except (FileNotFoundError, NotADirectoryError):  # no package folder yet
        return None
    if fd is None:
        return None
    try:
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK  # a FIFO does not block
        file = os.open(name, flags, dir_fd=fd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Obstacle(root / rel, _kind(fd, name) or "unreadable") from exc
    finally:
        os.close(fd)
    with os.fdopen(file, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "a special file"
            raise Obstacle(root / rel, what)
        return f.read()


def write_new(root: Path, rel: str, data: bytes) -> None:
    """Create ``root/rel`` (and its folders) with ``data``; never through a link."""
    *parts, name = rel.split("/")
    fd = _folder(root, parts, create=True)
    assert fd is not None
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        file = os.open(name, flags, 0o666, dir_fd=fd)
    finally:
        os.close(fd)
    with os.fdopen(file, "wb") as f:
        f.write(data)


def temporary(rel: str) -> str:
    """Where ``replace`` writes ``rel``'s new bytes before renaming them over it."""
    *parts, name = rel.split("/")
    return "/".join([*parts, f".{name}.docs2py-new"])


def replace(root: Path, rel: str, data: bytes) -> None:
    """Replace ``root/rel`` with ``data`` atomically (a new file beside it,
    renamed over it); never through a link (a link at ``rel`` is replaced)."""
    *parts, name = rel.split("/")
    write_new(root, temporary(rel), data)
    fd = _folder(root, parts, create=False)
    assert fd is not None
    try:
        os.rename(temporary(name), name, src_dir_fd=fd, dst_dir_fd=fd)
    finally:
        os.close(fd)


def remove(root: Path, rel: str) -> None:
    """Delete the file ``root/rel`` if it is there (a link is removed, not
    followed)."""
    *parts, name = rel.split("/")
    fd = _folder(root, parts, create=False)
    if fd is None:
        return
    try:
        os.unlink(name, dir_fd=fd)
    except FileNotFoundError:
        pass
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False if unsupported."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(
        at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # not on this system
        return False
    raise OSError(err, os.strerror(err), str(b))


MOUNTED = (
    "is a mount point: docs2py swaps the package folder as a whole, which a "
    "mount point does not allow; mount the folder that holds it instead, or "
    "point 'out' at a folder inside the mount"
)


def explain(
    out: Path, exc: OSError, kept: str = "; the package was left as it was"
) -> OutputError:
    """``exc``, met while writing the package ``out``, as an OutputError that
    names the path and what to do (``kept``: what became of the folder)."""
    where = Path(exc.filename) if exc.filename else out
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        message = (
            f"no space left on the device (writing {where}); free some space "
            "and run again"
        )
    elif exc.errno == errno.EROFS:
        message = (
            f"{where} is on a read-only file system; docs2py writes the new "
            f"package beside the old one, so {out.parent} must be writable"
        )
    elif exc.errno in (errno.EACCES, errno.EPERM):
        message = (
            f"permission denied writing {where}; docs2py writes the new "
            f"package beside the old one, so {out.parent} must be writable"
        )
    elif exc.errno in (errno.EBUSY, errno.EXDEV):
        message = MOUNTED
    else:
        message = f"cannot write {where}: {exc.strerror or exc}"
    return OutputError(out, message + kept)
