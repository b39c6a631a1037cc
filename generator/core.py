"""The pipeline every entry point calls (``docs2py generate``, ``watch``, the
hatch hook, ``ir`` and ``export``), above the stages and below ``cli/``.

* ``load``: read → infer (specs in, the IR out);
* ``generate``: load → render → format, in memory (``{path: text}`` out, no
  writes);
* ``run``: one target on disk: stop early when its folders hold what the same
  inputs produced before, else generate and write (or, with ``check``, only
  compare).  What it did comes back as an ``Outcome``; the caller reports it
  and decides the exit code.

The stages' heavy modules (mistune, Jinja2, black) are imported by ``load``
and ``generate`` when they first run, so that a run the up-to-date shortcut
serves does not load them.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, names
from .diagnostics import Diagnostics, Level, UsageError
from .infer.guesses import counts, guesses
from .ir import Api
from .read import inputs
from .render.templates import ExtraOutput, builtin_templates
from .settings import Distribution, DistributionInfo, Settings
from .workers import Workers
from .write import inplace
from .write.distribution import layout
from .write.format_cache import FormatCache, Outputs, Record, mode_key
from .write.package import Plan, apply, plan, reading, real, up_to_date, writing

if TYPE_CHECKING:  # imported when a run renders (Jinja2 is heavy)
    from .render.renderer import Renderer


@dataclass(slots=True)
class Result:
    """What a run produced: the API, the files (path → text) and the diagnostics."""

    api: Api
    files: dict[str, str] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    seconds: float = 0.0
    distribution: dict[str, str] = field(default_factory=dict)
    """The distribution's files (path relative to its folder → text), if asked."""


def load(
    specs: Iterable[Path],
    settings: Settings,
    diags: Diagnostics,
    cache_root: Path | None = None,
    workers: Workers | None = None,
) -> Api:
    """Parse and resolve the model and service docs found in ``specs``, then
    make the wire decisions (``settings``).

    With ``cache_root``, files parsed before (same path and text) are taken
    from the parse cache there; the others are parsed by ``workers`` (in
    parallel when there are many).
    """
    from .infer.decisions import decide
    from .read.learned_file import read_learned
    from .read.specs import read_api

    api, readme = read_api(specs, diags, cache_root, workers, settings)
    path = settings.learned_file
    learned = read_learned(path, diags) if path is not None else None
    return decide(api, readme, settings, diags, learned)


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
    output: Path | None = None,
) -> Result:
    """Parse, resolve, render and format; return the package's files by path.

    ``package`` is the import name, used in the package's docstring (generated
    code imports itself relatively, so the folder may be renamed).  ``outputs``
    adds templates; ``filters`` names a module of user filters (a .py path is
    relative to ``root``, default the working folder).  With ``distribution``
    the distribution's ``pyproject.toml`` and ``README.md`` are rendered too.
    ``output`` is the package folder the files are for (paths the templates
    write with ``relative_path`` are relative to it; default the working
    folder).
    """
    from .render.renderer import RenderError
    from .write.format import FormatError, format_all, warm_up

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
                renderer = _renderer(
                    api, package, template_dirs, cache, outputs, filters, root,
                    distribution, output,
                )  # fmt: skip
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


def _renderer(
    api: Api,
    package: str,
    template_dirs: list[Path] | None,
    cache: FormatCache | None,
    outputs: tuple[ExtraOutput, ...],
    filters: str | None,
    root: Path | None,
    distribution: DistributionInfo | None,
    output: Path | None,
) -> Renderer:
    """The renderer ``generate`` uses: the template environment (with the
    user's filters, compiled templates kept in the cache) and the render
    cache (none with user filters, whose output the cache cannot key)."""
    from .render.render_cache import RenderCache
    from .render.renderer import Renderer, environment, user_filters

    extra = user_filters(filters, root or Path.cwd()) if filters else None
    compiled = cache.root / "templates" / __version__ if cache else None
    env = environment(template_dirs, extra, compiled)
    rendered = RenderCache(cache.root) if cache and not extra else None
    product = (distribution.name, distribution.version) if distribution else None
    return Renderer(env, api, package, outputs, rendered, output, product)


def failed(diags: Diagnostics, strict: bool) -> bool:
    """Whether a run must not write: errors, or warnings with ``strict``."""
    return diags.has_errors or (strict and diags.count(Level.WARNING) > 0)


# --- One target on disk -------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Everything one ``docs2py generate`` needs."""

    name: str
    specs: tuple[Path, ...]
    out: Path | None
    package: str | None = None
    templates: tuple[Path, ...] = ()
    settings: Settings = field(default_factory=Settings)
    strict: bool = False
    line_length: int = 88
    outputs: tuple[ExtraOutput, ...] = ()
    filters: str | None = None
    root: Path | None = None
    """The folder relative paths (e.g. a filters .py file) are resolved against."""
    distribution: Distribution | None = None
    samples: tuple[Path, ...] = ()
    """Samples of real traffic for ``docs2py learn`` (never read by ``run``)."""


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How ``run`` treats the folders on disk (the command line's flags)."""

    check: bool = False
    """Write nothing: compare what would be generated with what is there."""
    force: bool = False
    """Overwrite generated files edited by hand; write into a folder without
    a manifest."""
    cache: Path | None = None
    """The cache root (None: no caches, and no up-to-date shortcut)."""
    waiting: Callable[[Path], None] | None = None
    """Called with a folder whose lock another run holds, before waiting."""


@dataclass(slots=True)
class Outcome:
    """What ``run`` did with one target."""

    result: Result | None = None
    """What was generated (None when the up-to-date shortcut served)."""
    plans: list[tuple[Path, Plan]] = field(default_factory=list)
    """Per folder written (or, with ``check``, compared): the plan."""
    blocked: bool = False
    """A plan was refused (an edited file, a foreign folder…): nothing written;
    the reasons are errors in ``result.diagnostics``."""
    failed: bool = False
    """Generation failed (errors, or warnings with ``strict``): nothing written."""
    unchanged: int | None = None
    """With the up-to-date shortcut: how many files were found unchanged."""
    seconds: float = 0.0
    """How long the up-to-date check took, or the generation."""
    record: Record | None = None
    """With the up-to-date shortcut: what the run that wrote the files
    reported (its diagnostics and counts), to be reported again."""


def facts(api: Api) -> dict[str, object]:
    """What the summary says about an API: its counts and, when it has
    models or services, the wire-key decisions and how many guesses."""
    out: dict[str, object] = {
        "models": len(api.models),
        "enums": len(api.enums),
        "unions": len(api.unions),
        "methods": sum(len(s.methods) for s in api.services),
    }
    styles = api.wire_styles
    if styles is None or not (api.models or api.services):
        return out
    return out | {
        "wire_keys": styles.keys.summary(),
        "parameter_names": styles.parameters.summary(),
        "guesses": counts(guesses(api)),
    }


def package_of(target: Target) -> tuple[Path, str, DistributionInfo | None]:
    """The package folder, the import name and the distribution, if asked
    (UsageError if the target cannot be generated)."""
    if target.out is None:
        raise UsageError(f"target '{target.name}': no output folder (--out or 'out')")
    package = target.package or target.out.resolve().name
    problem = names.package_problem(package)
    if problem:
        raise UsageError(f"package name {package!r} {problem}")
    for folder in target.templates:
        if not folder.is_dir():
            raise UsageError(f"templates folder {folder}: not a folder")
    if target.distribution is None:
        return target.out, package, None
    try:
        return target.out, package, layout(target.distribution, target.out, package)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def folders_of(target: Target) -> list[Path]:
    """Where a run writes: the package folder, then the distribution folder."""
    out, _, info = package_of(target)
    dist = target.distribution
    if info is None or dist is None or dist.folder is None:
        return [out]
    return [out, dist.folder]


def fingerprint(target: Target) -> str:
    """A hash of everything a target's output depends on (inputs, options,
    versions): equal fingerprints mean equal output, so a re-run can stop early.
    """
    _, package, distribution = package_of(target)
    extra = (target.outputs, target.filters, _filters_source(target), distribution)
    digest = hashlib.sha256()
    options = (target.settings, package, target.line_length, extra, __version__)
    digest.update(repr(options).encode())
    digest.update(mode_key(target.line_length).encode())
    found = inputs.collect(target.specs, Diagnostics(), target.settings.files)
    code = Path(__file__).parent  # docs2py's own code
    folders = [*target.templates, builtin_templates(), code]
    files = found.models + found.services + found.readmes
    if target.settings.learned_file is not None:  # what samples showed
        files.append(target.settings.learned_file)
    files += sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.as_posix().encode() + b"\0")
        try:
            digest.update(found.data.get(path) or path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()


def _filters_source(target: Target) -> bytes:
    """The user filters file's bytes (part of the input fingerprint)."""
    if not target.filters or not target.filters.endswith(".py"):
        return b""
    try:
        return ((target.root or Path.cwd()) / target.filters).read_bytes()
    except OSError:
        return b""


def build(target: Target, options: RunOptions) -> Result:
    """Generate one target in memory (nothing written)."""
    _, package, distribution = package_of(target)
    cache = None
    if options.cache is not None:
        cache = FormatCache(options.cache, mode_key(target.line_length))
    return generate(
        target.specs, target.settings, list(target.templates), package,
        target.line_length, cache, target.outputs, target.filters, target.root,
        distribution, target.out,
    )  # fmt: skip


def run(target: Target, options: RunOptions) -> Outcome:
    """Generate ``target`` and write it (see the module's docstring)."""
    folders = folders_of(target)
    where = [real(f) for f in folders]  # before a swap replaces "."
    store = Outputs(options.cache) if options.cache is not None else None
    key = fingerprint(target) if store and not options.check else ""
    if store is not None and not options.check and not options.force:
        start = time.perf_counter()
        found = _unchanged(store, key, where, target.strict)
        if found is not None:
            seconds = time.perf_counter() - start
            return Outcome(unchanged=found[0], seconds=seconds, record=found[1])
    result = build(target, options)
    outcome = Outcome(result, seconds=result.seconds)
    outcome.failed = failed(result.diagnostics, target.strict)
    if outcome.failed or not result.files:
        return outcome
    record = (store, key, where) if store is not None else None
    written = _write(folders, result, options, record)
    outcome.plans = written or []
    outcome.blocked = written is None
    return outcome


def _unchanged(
    store: Outputs, key: str, where: list[Path], strict: bool
) -> tuple[int, Record] | None:
    """How many files the folders ``where`` (real paths) hold, and what the
    run that wrote them reported, when they hold exactly what docs2py wrote
    there last from the same inputs; else None."""
    count, record = 0, None
    for folder in where:
        last = store.get(folder, key)
        if last is None or (strict and last[1].warnings):
            return None
        with reading(folder):
            files = up_to_date(folder, last[0])
        if files is None:
            return None
        count += files
        record = record or last[1]
    return (count, record) if record is not None else None


def _plan(out: Path, files: dict[str, str], own: bool, result: Result, force: bool
          ) -> Plan | None:  # fmt: skip
    """What writing ``files`` to ``out`` (the package folder if ``own``) would
    do; None, with errors in ``result``, if it must not."""
    todo = plan(out, files, force, own)
    for rel in todo.kept:
        result.diagnostics.warning(
            (out / rel).as_posix(), 0,
            "no longer generated but edited by hand: left in place", "kept",
        )  # fmt: skip
    for problem, code in todo.blocked:
        result.diagnostics.error(out.as_posix(), 0, problem, code)
    return None if todo.blocked else todo


def _write(
    folders: list[Path],
    result: Result,
    options: RunOptions,
    record: tuple[Outputs, str, list[Path]] | None,
) -> list[tuple[Path, Plan]] | None:
    """Plan every folder's files and, unless ``check``, write them: the
    package (swapped in whole), then the distribution files (in place, see
    write/inplace.py), holding every folder's lock.  None if a plan is
    blocked."""
    units = list(zip(folders, [result.files, result.distribution], strict=False))
    lock = reading if options.check else writing
    with contextlib.ExitStack() as held:
        for folder in reversed(folders):  # always the distribution's first
            held.enter_context(lock(folder, _telling(options.waiting, folder)))
        if len(units) > 1 and not options.check:
            inplace.recover(folders[1])
        plans = [
            (folder, _plan(folder, files, n == 0, result, options.force))
            for n, (folder, files) in enumerate(units)
        ]
        todo = [(folder, p) for folder, p in plans if p is not None]
        if len(todo) < len(plans) or options.check:
            return todo if len(todo) == len(plans) else None
        reported = Record(result.diagnostics.items, facts(result.api))
        for n, (folder, p) in enumerate(todo):
            (apply if n == 0 else inplace.apply)(folder, p)
            if record is not None:
                store, key, where = record
                store.put(where[n], key, p.manifest(), reported)
    return todo


def _telling(
    waiting: Callable[[Path], None] | None, folder: Path
) -> Callable[[], None] | None:
    """``waiting`` told about ``folder``, as the locks call it."""
    if waiting is None:
        return None
    return lambda: waiting(folder)
