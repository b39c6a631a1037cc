"""The pipeline as one pure function: specs in, ``{path: text}`` out, no writes."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from . import __version__, names
from .diagnostics import Diagnostic, Diagnostics
from .infer import bodies, paging, wirekeys
from .ir import Api, Definition, Service
from .read import inputs
from .read.build import Builder
from .read.build_service import ServiceBuilder
from .read.inputs import ExtraOutput
from .read.parse import FileParser
from .read.parse_cache import ParseCache, pack, unpack
from .read.parse_readme import Readme, read_readme
from .read.parse_service import ServiceParser
from .read.resolve import Resolver
from .render.render_cache import RenderCache
from .render.renderer import Renderer, RenderError, environment, user_filters
from .settings import Settings
from .workers import Workers
from .write.distribution import DistributionInfo
from .write.format import FormatError, format_all, warm_up
from .write.format_cache import FormatCache


@dataclass(slots=True)
class Result:
    """What a run produced: the API, the files (path → text) and the diagnostics."""

    api: Api
    files: dict[str, str] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0
    distribution: dict[str, str] = field(default_factory=dict)
    """The distribution's files (path relative to its folder → text), if asked."""


def _model_file(spec: Path, text: str, diags: Diagnostics) -> list[Definition]:
    path = spec.as_posix()
    try:
        blocks = FileParser(path, diags).parse(text)
        return Builder(path, diags).build(blocks)
    except Exception as exc:  # a parser bug must not lose the other files
        diags.error(path, 0, f"internal error reading this file: {exc!r}", "internal")
        return []


def _service_file(spec: Path, text: str, diags: Diagnostics) -> Service | None:
    path = spec.as_posix()
    if not text:
        return None
    try:
        block = ServiceParser(path, diags).parse(text, spec.stem)
        return ServiceBuilder(path, diags).build(block)
    except Exception as exc:  # a parser bug must not lose the other files
        diags.error(path, 0, f"internal error reading this file: {exc!r}", "internal")
        return None


@dataclass(frozen=True, slots=True)
class _Spec:
    """One spec file to parse: a model doc or a service doc."""

    service: bool
    path: Path
    text: str


def _parse(spec: _Spec) -> bytes:
    """What one spec file holds and its diagnostics, packed (see parse_cache)."""
    own = Diagnostics()
    read = _service_file if spec.service else _model_file
    return pack(read(spec.path, spec.text, own), list(own.items))


def load(
    specs: Iterable[Path],
    settings: Settings,
    diags: Diagnostics,
    cache_root: Path | None = None,
    workers: Workers | None = None,
) -> Api:
    """Parse and resolve the model and service docs found in ``specs``, then
    decide their wire keys (``settings``).

    With ``cache_root``, files parsed before (same path and text) are taken
    from the parse cache there; the others are parsed by ``workers`` (in
    parallel when there are many).
    """
    found = inputs.collect(specs, diags)
    cache = ParseCache(cache_root) if cache_root else None
    todo: list[tuple[_Spec, tuple[object, list[Diagnostic]] | None]] = []
    kinds = [(False, p) for p in found.models] + [(True, p) for p in found.services]
    for service, path in kinds:
        text = inputs.read(path, diags, found.data.get(path))
        if text is not None:
            spec = _Spec(service, path, text)
            todo.append((spec, cache.get(path.as_posix(), text) if cache else None))
    misses = [spec for spec, hit in todo if hit is None]
    parsed = (workers or Workers(1)).map(_parse, misses)
    files: list[tuple[str, list[Definition]]] = []
    services: list[Service] = []
    for spec, hit in todo:
        if hit is None:
            payload = next(parsed)
            if cache:
                cache.put(spec.path.as_posix(), spec.text, payload)
            hit = unpack(payload)
        value, items = hit if hit else (None, [])
        diags.extend(items)
        if spec.service and value is not None:
            services.append(cast(Service, value))
        elif not spec.service:
            files.append((spec.path.as_posix(), cast(list[Definition], value or [])))
    if cache:
        cache.flush()
    readme = _readme(found.readmes, diags)
    api = Resolver(diags).resolve(files, services, readme.base_url)
    api = wirekeys.refine(api, settings, diags)
    api = bodies.refine(api, settings.body_overrides, diags)
    api = paging.refine(api, settings.paging_overrides, diags)
    return with_auth(api, readme)


def _readme(readmes: list[Path], diags: Diagnostics) -> Readme:
    """The first README that names a base URL or auth (liblab's layout)."""
    for path in readmes:
        text = inputs.read(path, diags)
        info = read_readme(text, path.as_posix()) if text is not None else None
        if info is not None and (info.base_url or info.auth):
            return info
    return Readme()


def with_auth(api: Api, readme: Readme) -> Api:
    """The README's schemes and environments; OAuth's token URL is the
    documented token endpoint (a form-encoded OAuth token request)."""
    token = next(
        (m.path for s in api.services for m in s.methods
         if m.body_rule == "oauth-token"),
        "",
    )  # fmt: skip
    auth = tuple(
        replace(a, token_url=token) if a.kind == "oauth2" else a for a in readme.auth
    )
    return replace(api, auth=auth, environments=readme.environments)


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
    distribution: DistributionInfo | None = None,
) -> Result:
    """Parse, resolve, render and format; return the package's files by path.

    ``package`` is the import name, used in the package's docstring (generated
    code imports itself relatively, so the folder may be renamed).  ``outputs``
    adds templates; ``filters`` names a module of user filters (a .py path is
    relative to ``root``, default the working folder).  With ``distribution``
    the distribution's ``pyproject.toml`` and ``README.md`` are rendered too.
    """
    start = time.perf_counter()
    diags = Diagnostics()
    with Workers() as workers:
        cache_root = cache.root if cache else None
        api = load(specs, settings or Settings(), diags, cache_root, workers)
        workers.warm(warm_up)
        result = Result(api=api, diagnostics=diags)
        problem = names.package_problem(package)
        if problem:
            diags.error("docs2py", 0, f"package name {package!r} {problem}", "usage")
        if not diags.has_errors:
            try:
                extra = user_filters(filters, root or Path.cwd()) if filters else None
                compiled = cache.root / "templates" / __version__ if cache else None
                env = environment(template_dirs, extra, compiled)
                rendered = RenderCache(cache.root) if cache and not extra else None
                renderer = Renderer(env, api, package, outputs, rendered)
                result.files = format_all(
                    renderer.sources(), line_length, cache, workers
                )
                if distribution is not None:
                    sources = renderer.distribution(distribution)
                    result.distribution = {s.path: s.text for s in sources}
            except RenderError as exc:
                message = f"{exc.message} (rendering {exc.subject})"
                diags.error(exc.template, exc.line, message, "template")
            except FormatError as exc:
                diags.error(exc.source.template, 0, str(exc), "bad-output")
    result.seconds = time.perf_counter() - start
    return result
