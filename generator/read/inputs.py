"""What a run reads: the spec files (model docs, service docs, READMEs), and
their text.

The files found in a spec folder are narrowed by the target's ``include`` and
``exclude`` patterns (``settings.FileSelection``, gitignore's glob syntax): a
pattern matches a file's path relative to the spec folder it was found in, or
relative to the pattern's own root (the pyproject.toml's folder; the working
folder for a command-line flag).  A file is read when it matches an include
pattern (or there is none) and no exclude pattern; a file named as a spec
itself is always read.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..diagnostics import Diagnostics, Level
from ..settings import FileSelection, Glob

_SERVICE = re.compile(r"^- HTTP Method:|^\|\s*Methods\s*\|", re.MULTILINE)


_EMPTY = (
    "no schema docs found in this folder (no *.md files other than README.md); "
    "check the path: nothing was generated or deleted"
)


@dataclass(frozen=True, slots=True)
class Inputs:
    """The spec files of a run, each list sorted."""

    models: list[Path] = field(default_factory=list)
    services: list[Path] = field(default_factory=list)
    readmes: list[Path] = field(default_factory=list)
    data: dict[Path, bytes] = field(default_factory=dict)
    """The bytes of the spec files, as read to tell services from models."""


def collect(
    specs: Iterable[Path], diags: Diagnostics, files: FileSelection | None = None
) -> Inputs:
    """Model docs, service docs and READMEs among ``specs`` (files or folders).

    Folders are searched for ``*.md`` (those ``files`` selects); service docs
    are files with ``- HTTP Method:`` lines or a ``| Methods |`` table;
    README.md files directly in a named folder (or named themselves) are read
    for the API's base URL only.
    """
    specs = list(specs)
    chooser = _Chooser(files or FileSelection())
    found: set[Path] = set()
    readmes: set[Path] = set()
    for spec in specs:
        if spec.is_dir():
            readme = spec / "README.md"
            if readme.is_file() and chooser.chosen(readme, spec):
                readmes.add(readme)
            docs = {p for p in spec.rglob("*.md") if p.name.lower() != "readme.md"}
            docs = {p for p in docs if p.is_file()}
            chosen = {p for p in docs if chooser.chosen(p, spec)}
            found |= chosen
            if not docs:
                diags.error(str(spec), 0, _EMPTY, "no-input")
            elif not chosen:
                diags.error(str(spec), 0, _left_out(len(docs)), "no-input")
        elif spec.is_file() and spec.name.lower() == "readme.md":
            readmes.add(spec)
        elif spec.is_file():
            found.add(spec)
        else:
            diags.error(str(spec), 0, "no such file or directory", "no-input")
    if not found and not diags.has_errors:
        where = ", ".join(str(s) for s in specs) or "the command line"
        diags.error(where, 0, "no schema docs given (only README.md files)", "no-input")
    chooser.report_unused(diags)
    data: dict[Path, bytes] = {}
    for path in found:
        with contextlib.suppress(OSError):  # reported when read for parsing
            data[path] = path.read_bytes()
    services = {p for p in found if p in data and _is_service(data[p])}
    return Inputs(sorted(found - services), sorted(services), sorted(readmes), data)


def _left_out(count: int) -> str:
    files = "1 schema doc" if count == 1 else f"all {count} schema docs"
    return (
        f"the include/exclude patterns leave out {files} in this folder: "
        "nothing was generated or deleted"
    )


class _Chooser:
    """Whether a file found in a spec folder is read (see the module's
    docstring); remembers which patterns matched, to note those that never do."""

    def __init__(self, files: FileSelection) -> None:
        self.include = [(g, _compiled(g.pattern)) for g in files.include]
        self.exclude = [(g, _compiled(g.pattern)) for g in files.exclude]
        self.used: set[Glob] = set()

    def chosen(self, path: Path, spec: Path) -> bool:
        if not (self.include or self.exclude):
            return True
        included = not self.include or self._any(self.include, path, spec)
        return included and not self._any(self.exclude, path, spec)

    def _any(self, globs: list[tuple[Glob, _Spec]], path: Path, spec: Path) -> bool:
        found = False
        for glob, compiled in globs:
            if any(compiled.match_file(rel) for rel in _relative(path, spec, glob)):
                self.used.add(glob)
                found = True
        return found

    def report_unused(self, diags: Diagnostics) -> None:
        for kind, globs in (("include", self.include), ("exclude", self.exclude)):
            for glob, _ in globs:
                if glob not in self.used:
                    diags.add(
                        Level.NOTE, "docs2py", 0,
                        f"{kind} pattern {glob.pattern!r} matches no spec file "
                        f"(patterns are relative to the spec folder or to {glob.root})",
                        "unused-pattern",
                    )  # fmt: skip


class _Spec(Protocol):
    def match_file(self, file: str) -> bool: ...


def _compiled(pattern: str) -> _Spec:
    import pathspec  # only runs with patterns pay for it

    return pathspec.GitIgnoreSpec.from_lines([pattern])


def _relative(path: Path, spec: Path, glob: Glob) -> list[str]:
    """``path`` relative to the spec folder, and to the pattern's root if
    it lies inside it."""
    out = [path.relative_to(spec).as_posix()]
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(glob.root))
    if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
        out.append(Path(rel).as_posix())
    return out


def _is_service(data: bytes) -> bool:
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    return bool(_SERVICE.search(text))


def read(path: Path, diags: Diagnostics, data: bytes | None = None) -> str | None:
    """The file's text (``data`` if given, else read), or None with an error
    (bad UTF-8, NUL bytes, unreadable)."""
    where = path.as_posix()
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        diags.error(where, 0, f"cannot read: {exc.strerror}", "no-input")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        diags.error(where, line, f"not valid UTF-8 at byte {exc.start}", "encoding")
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        diags.error(where, line, "NUL byte in the file", "encoding")
        return None
    return text.removeprefix("\ufeff")
