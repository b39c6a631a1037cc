"""Writing generated files: only changed bytes, each file replaced atomically."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class WriteReport:
    """Which files a write created, changed or left as they were."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_files(out: Path, files: dict[str, str]) -> WriteReport:
    """Write ``files`` (relative path → text) below ``out``.

    Files whose bytes are already on disk are not touched (they keep their mtime).
    """
    report = WriteReport()
    for rel in sorted(files):
        path = out / rel
        data = files[rel].encode("utf-8")
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if same:
            report.unchanged.append(rel)
        else:
            _atomic_write(path, data)
            report.written.append(rel)
    return report
