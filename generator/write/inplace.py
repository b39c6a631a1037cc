"""Writing generated files into a folder that docs2py does not own: the
distribution folder around the package (``pyproject.toml``, ``README.md``).

The package's rules hold (write.py): a manifest (``.docs2py-manifest.json``
in that folder) lists what docs2py wrote with its SHA-256; a file edited by
hand, or one docs2py did not write, stops the run unless ``--force``; files
that did not change are left alone; nothing is read or written through a
symbolic link; runs take turns (``write.writing`` on the folder).  The folder
itself is not swapped, since it holds the user's other files (and is often
the working directory), so:

* each file is replaced atomically (new bytes beside it, renamed over it);
* the new manifest is written first as a journal
  (``.docs2py-manifest.json.docs2py-new``) and renamed over the manifest
  last, so a run killed in between leaves every file whole, old or new, and
  the journal; the next run that writes (holding the lock, so the journal is a
  dead run's) records for each file the version that is on disk (``recover``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from . import folders
from .folders import Obstacle, OutputError
from .package import MANIFEST, Plan, manifest, read_manifest, real, sha256

JOURNAL = MANIFEST + ".docs2py-new"
_KEPT = "; every file there is whole (old or new): run again to finish"


def apply(folder: Path, todo: Plan) -> None:
    """Carry out ``todo`` in ``folder``, file by file; run it inside
    ``write.writing(folder)``, after ``recover``."""
    folder = real(folder)
    new = todo.new_manifest(folder)
    if new is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folders.write_new(folder, JOURNAL, new)
        for rel in todo.write:
            folders.replace(folder, rel, todo.files[rel])
        for rel in todo.delete:
            folders.remove(folder, rel)
        os.rename(folder / JOURNAL, folder / MANIFEST)
    except OSError as exc:
        raise folders.explain(folder, exc, _KEPT) from exc


def recover(folder: Path) -> None:
    """Finish the manifest of a run killed in ``apply`` (see the module's
    docstring); run it inside ``write.writing(folder)``."""
    folder = real(folder)
    try:
        journal = folders.read(folder, JOURNAL)
    except Obstacle as exc:
        raise OutputError(exc.path, f"{exc.what}; remove it and run again") from exc
    if journal is None:
        return
    try:
        new = {str(k): str(v) for k, v in json.loads(journal)["files"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        new = {}  # killed while writing the journal: nothing was replaced yet
    old = read_manifest(folder) or {}
    files: dict[str, str] = {}
    try:
        for rel in sorted(set(old) | set(new)):
            folders.remove(folder, folders.temporary(rel))
            disk = folders.read(folder, rel)
            if disk is not None and new.get(rel) == sha256(disk):
                files[rel] = new[rel]
            elif disk is not None and rel in old:
                files[rel] = old[rel]
        if files or old:
            folders.replace(folder, MANIFEST, manifest(files))
        folders.remove(folder, JOURNAL)
    except Obstacle as exc:
        raise OutputError(exc.path, f"{exc.what}; remove it and run again") from exc
    except OSError as exc:
        raise folders.explain(folder, exc, _KEPT) from exc
