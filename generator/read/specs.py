"""Reading a run's spec files into an API: parse each file (in parallel, and
from the parse cache when its text is unchanged), then resolve the references
between them.  The README's base URL, auth and environments come along for
the infer stage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from ..diagnostics import Diagnostic, Diagnostics
from ..ir import Api, Definition, Service
from ..settings import Settings
from ..workers import Workers
from . import inputs
from .build import Builder
from .build_service import ServiceBuilder
from .parse import FileParser
from .parse_cache import ParseCache, pack, unpack
from .parse_readme import Readme, read_readme
from .parse_service import ServiceParser
from .resolve import Resolver


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


def read_api(
    specs: Iterable[Path],
    diags: Diagnostics,
    cache_root: Path | None = None,
    workers: Workers | None = None,
    settings: Settings | None = None,
) -> tuple[Api, Readme]:
    """The model and service docs found in ``specs``, parsed and resolved, and
    the README that names a base URL or auth.

    With ``cache_root``, files parsed before (same path and text) are taken
    from the parse cache there; the others are parsed by ``workers`` (in
    parallel when there are many).  ``settings`` says which files of the
    spec folders are read, and pins class names.
    """
    settings = settings or Settings()
    found = inputs.collect(specs, diags, settings.files)
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
    api = Resolver(diags).resolve(
        files, services, readme.base_url, settings.class_names
    )
    return api, readme


def _readme(readmes: list[Path], diags: Diagnostics) -> Readme:
    """The first README that names a base URL or auth (liblab's layout),
    else the first with URLs (example calls may show the base URL)."""
    with_urls: Readme | None = None
    for path in readmes:
        text = inputs.read(path, diags)
        info = read_readme(text, path.as_posix()) if text is not None else None
        if info is not None and text is not None and (info.base_url or info.auth):
            return _fillable(info, text, path.as_posix(), diags)
        if info is not None and info.urls and with_urls is None:
            with_urls = info
    return with_urls or Readme()


def _fillable(info: Readme, text: str, path: str, diags: Diagnostics) -> Readme:
    """The README without the URLs the client cannot send: one with a
    ``{placeholder}`` (a server variable, ``https://{region}.api…``) would
    reach the wire unfilled; it is left out with a warning (pass
    ``base_url=``)."""
    urls = [e.url for e in info.environments] + [info.base_url or ""]
    bad = [url for url in dict.fromkeys(urls) if "{" in url or "}" in url]
    for url in bad:
        line = text.count("\n", 0, max(text.find(url), 0)) + 1
        diags.warning(
            path, line,
            f"the URL {url!r} has placeholders the client cannot fill: it is "
            "not a default base URL or an environment (pass base_url=)",
            "base-url",
        )  # fmt: skip
    if not bad:
        return info
    environments = tuple(e for e in info.environments if e.url not in bad)
    base = info.base_url if info.base_url not in bad else None
    if info.environments:
        base = environments[0].url if environments else None
    return replace(info, base_url=base, environments=environments)
