"""The pipeline as one pure function: specs in, ``{path: text}`` out, no writes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from . import inputs, names
from .build import Builder
from .build_service import ServiceBuilder
from .diagnostics import Diagnostics
from .format import FormatError, format_all
from .format_cache import FormatCache
from .inputs import ExtraOutput
from .ir import Api, Definition, Service
from .parse import FileParser
from .parse_cache import ParseCache
from .parse_service import ServiceParser, base_url_from_readme
from .render import Renderer, RenderError, environment, user_filters
from .resolve import Resolver
from .settings import Settings


@dataclass(slots=True)
class Result:
    """What a run produced: the API, the files (path → text) and the diagnostics."""

    api: Api
    files: dict[str, str] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0


def _model_file(
    spec: Path, text: str, settings: Settings, diags: Diagnostics
) -> list[Definition]:
    path = spec.as_posix()
    try:
        blocks = FileParser(path, diags).parse(text)
        return Builder(path, settings, diags).build(blocks)
    except Exception as exc:  # a parser bug must not lose the other files
        diags.error(path, 0, f"internal error reading this file: {exc!r}", "internal")
        return []


def _service_file(
    spec: Path, text: str, settings: Settings, diags: Diagnostics
) -> Service | None:
    path = spec.as_posix()
    if not text:
        return None
    try:
        block = ServiceParser(path, diags).parse(text, spec.stem)
        return ServiceBuilder(path, settings, diags).build(block)
    except Exception as exc:  # a parser bug must not lose the other files
        diags.error(path, 0, f"internal error reading this file: {exc!r}", "internal")
        return None


T = TypeVar("T")


def _parsed(
    read: Callable[[Path, str, Settings, Diagnostics], T],
    spec: Path,
    settings: Settings,
    diags: Diagnostics,
    cache: ParseCache | None,
) -> T | None:
    """What ``read`` makes of one spec file, from the cache when it has it."""
    text = inputs.read(spec, diags)
    if text is None:
        return None
    hit = cache.get(spec.as_posix(), text) if cache else None
    if hit is not None:
        diags.extend(hit[1])
        return cast(T, hit[0])
    own = Diagnostics()
    value = read(spec, text, settings, own)
    diags.extend(own.items)
    if cache:
        cache.put(spec.as_posix(), text, value, list(own.items))
    return value


def load(
    specs: Iterable[Path],
    settings: Settings,
    diags: Diagnostics,
    cache_root: Path | None = None,
) -> Api:
    """Parse and resolve the model and service docs found in ``specs``.

    With ``cache_root``, files parsed before (same path, text and settings)
    are taken from the parse cache there.
    """
    found = inputs.collect(specs, diags)
    cache = ParseCache(cache_root, settings) if cache_root else None
    files: list[tuple[str, list[Definition]]] = []
    for spec in found.models:
        definitions = _parsed(_model_file, spec, settings, diags, cache)
        if definitions is not None:
            files.append((spec.as_posix(), definitions))
    services: list[Service] = []
    for spec in found.services:
        service = _parsed(_service_file, spec, settings, diags, cache)
        if service is not None:
            services.append(service)
    return Resolver(diags).resolve(files, services, _base_url(found.readmes, diags))


def _base_url(readmes: list[Path], diags: Diagnostics) -> str | None:
    for readme in readmes:
        text = inputs.read(readme, diags)
        url = base_url_from_readme(text) if text is not None else None
        if url:
            return url
    return None


def generate(
    specs: Iterable[Path],
    settings: Settings | None = None,
    template_dirs: list[Path] | None = None,
    package: str = "models",
    line_length: int = 88,
    cache: FormatCache | None = None,
    outputs: tuple[ExtraOutput, ...] = (),
    filters: str | None = None,
    root: Path | None = None,
) -> Result:
    """Parse, resolve, render and format; return the package's files by path.

    ``package`` is the import name, used in the package's docstring (generated
    code imports itself relatively, so the folder may be renamed).  ``outputs``
    adds templates; ``filters`` names a module of user filters (a .py path is
    relative to ``root``, default the working folder).
    """
    start = time.perf_counter()
    diags = Diagnostics()
    api = load(specs, settings or Settings(), diags, cache.root if cache else None)
    result = Result(api=api, diagnostics=diags)
    if not names.is_identifier(package):
        message = f"package name {package!r} is not a Python identifier"
        diags.error("docs2py", 0, message, "usage")
    if diags.has_errors:
        return result
    try:
        extra = user_filters(filters, root or Path.cwd()) if filters else None
        env = environment(template_dirs, extra)
        sources = Renderer(env, api, package, outputs).render()
        result.files = format_all(sources, line_length, cache)
    except RenderError as exc:
        message = f"{exc.message} (rendering {exc.subject})"
        diags.error(exc.template, exc.line, message, "template")
    except FormatError as exc:
        diags.error(exc.source.template, 0, str(exc), "bad-output")
    result.seconds = time.perf_counter() - start
    return result
