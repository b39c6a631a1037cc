"""The pipeline as one pure function: specs in, ``{path: text}`` out, no writes."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import inputs
from .build import Builder
from .diagnostics import Diagnostics
from .format import FormatError, format_all
from .ir import Api, Definition
from .parse import FileParser
from .render import Renderer, RenderError, environment
from .resolve import Resolver
from .settings import Settings


@dataclass(slots=True)
class Result:
    """What a run produced: the API, the files (path → text) and the diagnostics."""

    api: Api
    files: dict[str, str] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0


def load(specs: Iterable[Path], settings: Settings, diags: Diagnostics) -> Api:
    """Parse and resolve the model docs found in ``specs`` (files or folders)."""
    files: list[tuple[str, list[Definition]]] = []
    for spec in inputs.collect(specs, diags):
        text = inputs.read(spec, diags)
        if text is None:
            continue
        path = spec.as_posix()
        try:
            blocks = FileParser(path, diags).parse(text)
            files.append((path, Builder(path, settings, diags).build(blocks)))
        except Exception as exc:  # a parser bug must not lose the other files
            diags.error(
                path, 0, f"internal error reading this file: {exc!r}", "internal"
            )
    return Resolver(diags).resolve(files)


def generate(
    specs: Iterable[Path],
    settings: Settings | None = None,
    template_dirs: list[Path] | None = None,
    package: str = "models",
) -> Result:
    """Parse, resolve, render and format; return the package's files by path.

    ``package`` is the import name, used in the package's docstring (generated
    code imports itself relatively, so the folder may be renamed).
    """
    start = time.perf_counter()
    diags = Diagnostics()
    api = load(specs, settings or Settings(), diags)
    result = Result(api=api, diagnostics=diags)
    if diags.has_errors:
        return result
    try:
        sources = Renderer(environment(template_dirs), api, package).render()
        result.files = format_all(sources)
    except RenderError as exc:
        message = f"{exc.message} (rendering {exc.subject})"
        diags.error(exc.template, exc.line, message, "template")
    except FormatError as exc:
        diags.error(exc.source.template, 0, str(exc), "bad-output")
    result.seconds = time.perf_counter() - start
    return result
