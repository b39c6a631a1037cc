"""The ``docs2py`` command line's arguments (argparse): what every command
takes (inputs, wire overrides, strictness, format), what ``generate`` and
``watch`` write, and each command's own; ``options`` turns them into
targets."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import __version__
from ..settings import WireKeyStyle


def _add_target_options(p: argparse.ArgumentParser, specs: bool = True) -> None:
    """What every command takes: the inputs, the wire settings, strictness
    and the output format."""
    _add_input_options(p, specs)
    _add_wire_options(p)
    p.add_argument(
        "--strict", action="store_true", default=None, help="fail on warnings"
    )
    p.add_argument(
        "--strict-wire",
        action="store_true",
        default=None,
        help="fail while a wire decision is a guess (docs2py explain lists them)",
    )
    p.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="diagnostics as text lines on stderr (default), or one JSON "
        "document on stdout",
    )


def _add_input_options(p: argparse.ArgumentParser, specs: bool) -> None:
    """The spec files, the configuration and the targets, the learned file."""
    if specs:
        p.add_argument("specs", nargs="*", type=Path, help="spec files or folders")
    else:
        p.add_argument(
            "--spec", dest="specs", action="append", type=Path, default=[],
            help="a spec file or folder (default: the configuration's specs)",
        )  # fmt: skip
    p.add_argument(
        "--learned",
        type=Path,
        metavar="FILE",
        help="the learned file: what samples of real traffic showed (default: "
        "docs2py.lock.toml beside the pyproject.toml)",
    )
    p.add_argument("--config", type=Path, help="a pyproject.toml (default: nearest)")
    p.add_argument("--target", action="append", default=[], help="only this target")
    p.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="read only the spec folders' files that match (gitignore syntax, "
        "relative to the spec folder or the working folder; added to the "
        "configuration's 'include'; repeatable)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out the spec folders' files that match (wins over "
        "--include; added to the configuration's 'exclude'; repeatable)",
    )


def _add_wire_options(p: argparse.ArgumentParser) -> None:
    """Overrides of the wire decisions (keys, parameters, paging, bodies,
    the API key's place)."""
    p.add_argument(
        "--wire-keys",
        choices=[s.value for s in WireKeyStyle],
        help="how JSON keys and query/header names derive from the Name column "
        "(default: auto, inferred from the docs)",
    )
    p.add_argument(
        "--wire-key",
        action="append",
        default=[],
        metavar="MODEL.FIELD=KEY",
        help="the JSON key of one property (repeatable)",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="SERVICE.METHOD.PARAM=WHERE[:NAME[:STYLE]]|STYLE",
        help="send one endpoint parameter in path, query, header or body "
        "(optionally under NAME), and spell its array or object value in STYLE "
        "(form, deepObject, spaceDelimited, pipeDelimited, simple; "
        "',explode=false' joins with commas); repeatable",
    )
    p.add_argument(
        "--paging",
        action="append",
        default=[],
        metavar="SERVICE.METHOD=STYLE[:PARAM][->NEXT][@ITEMS]",
        help="how one method pages (cursor, page, offset or none; repeatable)",
    )
    p.add_argument(
        "--body",
        action="append",
        default=[],
        metavar="SERVICE.METHOD=ENCODING",
        help="a method's body encoding: json, multipart, form or raw (repeatable)",
    )
    p.add_argument(
        "--api-key",
        metavar="WHERE:NAME",
        help="send the API key in this header or query parameter "
        "(header:NAME or query:NAME; default: where the docs say, else the "
        "header X-API-Key)",
    )


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, help="the package folder to write")
    p.add_argument("--package", help="import name (default: the --out folder's name)")
    p.add_argument(
        "--distribution",
        type=Path,
        metavar="DIST",
        help="also write DIST/pyproject.toml and DIST/README.md, making DIST an "
        "installable distribution of the package (--out must be inside DIST)",
    )
    p.add_argument(
        "--templates",
        action="append",
        type=Path,
        default=[],
        help="a folder of templates that override the built-ins (repeatable)",
    )
    p.add_argument("--force", action="store_true", help="overwrite edited files")
    p.add_argument("--cache-dir", type=Path, help="the formatting cache folder")
    p.add_argument("--no-cache", action="store_true", help="do not use the cache")


def parser() -> argparse.ArgumentParser:
    """The ``docs2py`` argument parser."""
    top = argparse.ArgumentParser(
        prog="docs2py",
        description="Turn Markdown schema docs into a typed Python package.",
    )
    top.add_argument("--version", action="version", version=f"docs2py {__version__}")
    sub = top.add_subparsers(dest="command", required=True)
    _add_generate(sub)
    _add_target_options(sub.add_parser("ir", help="print the intermediate model"))
    _add_target_options(
        sub.add_parser(
            "explain",
            help="list the wire decisions the docs do not decide, and how to pin each",
        )
    )
    _add_learn(sub)
    _add_export(sub)
    return top


def _add_generate(sub: Any) -> None:
    """``generate`` and ``watch``."""
    gen = sub.add_parser("generate", help="generate packages from specs")
    _add_target_options(gen)
    _add_output_options(gen)
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the output is not up to date",
    )
    gen.add_argument("--diff", action="store_true", help="with --check: show diffs")
    gen.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write the guesses (docs2py explain) to FILE (.json: as JSON)",
    )
    watch = sub.add_parser("watch", help="regenerate when specs or templates change")
    _add_target_options(watch)
    _add_output_options(watch)
    watch.add_argument(
        "--debounce", type=int, default=400, help="milliseconds to group changes"
    )


def _add_learn(sub: Any) -> None:
    learn = sub.add_parser(
        "learn",
        help="learn the wire from samples of real traffic (HAR files, Postman "
        "collections, JSON bodies named SERVICE.METHOD.json)",
    )
    learn.add_argument(
        "samples", nargs="*", type=Path,
        help="sample files or folders (default: the configuration's samples)",
    )  # fmt: skip
    _add_target_options(learn, specs=False)
    learn.add_argument(
        "--write",
        action="store_true",
        help="write what was learned to the learned file (else only report it)",
    )


def _add_export(sub: Any) -> None:
    export = sub.add_parser("export", help="write the specs as JSON Schema or OpenAPI")
    export.add_argument("kind", choices=["jsonschema", "openapi"])
    _add_target_options(export)
    export.add_argument("-o", "--output", type=Path, help="the file (default: stdout)")
    export.add_argument("--title", help="OpenAPI info.title (default: the target)")
    export.add_argument("--api-version", default="1.0.0", help="OpenAPI info.version")
