"""IR → unformatted Python sources, through Jinja templates.

Every value a template prints goes through a filter that makes it safe code:
``ident`` (a checked identifier), ``literal`` (a real literal encoder),
``docstring``, ``hint``/``annotation``/``decoder`` (type spellings).  The
environment (``environment.py``) refuses anything else, so a template that
prints raw spec text fails instead of emitting injectable code.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from .. import __version__, names
from ..ir import (
    Api,
    Definition,
    Enum,
    Model,
    Service,
    TypeRef,
    Union,
)
from ..settings import DEFAULT_VERSION, DistributionInfo
from .environment import HEADER as HEADER
from .environment import TEMPLATE_API_VERSION as TEMPLATE_API_VERSION
from .environment import RenderError as RenderError
from .environment import environment as environment
from .environment import user_filters as user_filters
from .filters import Code, UnsafeValue
from .pytypes import (
    Spelling,
    Symbol,
    symbol_table,
)
from .render_cache import RenderCache
from .templates import ExtraOutput, expand, path_problem

_RUNTIME = Path(__file__).parent.parent / "runtime"
RUNTIME_MODULES = tuple(
    sorted(p.name for p in _RUNTIME.glob("_*.py") if not p.name.startswith("__"))
)
"""The runtime modules copied verbatim into every package (``_runtime.py``,
``_http.py``…)."""


# Files rendered once per package: (path, template).
_PACKAGE_FILES = (
    ("models/__init__.py", "models_init.py.jinja"),
    ("services/__init__.py", "services_init.py.jinja"),
    ("client.py", "client.py.jinja"),
    ("errors.py", "errors.py.jinja"),
    ("__init__.py", "package_init.py.jinja"),
    ("README.md", "package_readme.md.jinja"),
)


# The files of a distribution (--distribution), relative to its folder.
_DISTRIBUTION_FILES = (
    ("pyproject.toml", "pyproject.toml.jinja"),
    ("README.md", "distribution_readme.md.jinja"),
)


@dataclass(frozen=True, slots=True)
class Module:
    """What a template knows about the module it renders."""

    name: str
    imports: tuple[Symbol, ...]
    spelling: Spelling


def _template_line(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template frame of ``exc``'s traceback (Jinja rewrites them)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename]
    for frame in reversed(frames):
        if frame.filename.endswith(".jinja"):
            return frame.filename, frame.lineno or 0
    return None


def _config_error(extra: ExtraOutput, message: str, subject: str) -> RenderError:
    """An error in an extra output's configuration, where it was configured
    (``pyproject.toml:LINE``, naming ``extra-outputs[N]``)."""
    where = extra.location
    return RenderError(
        where.path if where else "docs2py",
        where.line if where else 0,
        f"{extra.key}: {message}",
        subject or extra.template,
    )


@dataclass(frozen=True, slots=True)
class Source:
    """One generated file before formatting, with what produced it."""

    path: str
    text: str
    template: str
    subject: str


def _types_of(d: Definition) -> tuple[list[TypeRef], bool]:
    if isinstance(d, Model):
        return [f.type for f in d.fields], False
    if isinstance(d, Union):
        return list(d.variants), True
    return [], False


class Renderer:
    """Renders every file of the package for one API."""

    def __init__(
        self,
        env: jinja2.Environment,
        api: Api,
        package: str,
        outputs: tuple[ExtraOutput, ...] = (),
        cache: RenderCache | None = None,
        output: Path | None = None,
        product: tuple[str, str] | None = None,
    ) -> None:
        problem = names.package_problem(package)
        if problem:
            raise UnsafeValue(f"package name {package!r} {problem}")
        self.env = env
        self.api = api
        self.package = package
        self.outputs = outputs
        self.symbols = symbol_table(api)
        self.cache = cache
        self.cacheable: dict[str, bool] = {}
        self.folder = Path(os.path.abspath(output or "."))
        """Where the package is written (the working folder if unknown): the
        ``output_path`` of each file is in it."""
        name, version = product or (package.replace("_", "-"), DEFAULT_VERSION)
        self.user_agent = f"{name}/{version} docs2py/{__version__}"
        """The client's ``User-Agent`` product tokens: the distribution (from
        ``[tool.docs2py.distribution]``, else the package) and docs2py."""

    def render(self) -> list[Source]:
        """Every file of the package, by path."""
        return sorted(self.sources(), key=lambda s: s.path)

    def sources(self) -> Iterator[Source]:
        """Every file of the package, rendered one at a time as they are taken.

        The package-wide files come first: they are the largest, and formatting
        them early lets parallel workers finish together.
        """
        context = self._package_context()
        for path, template in _PACKAGE_FILES:
            yield self._file(path, template, path, dict(context))
        for sym in self.symbols.values():
            yield self._definition(sym)
        if self.cache is not None:
            self.cache.flush()
        for service, module_name in self.service_modules:
            yield self._service(service, module_name)
        taken = self._builtin_paths()
        for extra in self.outputs:
            yield from self._extra(extra, context, taken)
        for name in RUNTIME_MODULES:
            yield Source(name, (_RUNTIME / name).read_text("utf-8"), name, name)
        yield Source("py.typed", "", "py.typed", "py.typed")

    def distribution(self, info: DistributionInfo) -> list[Source]:
        """The files of the distribution around the package (paths relative
        to the distribution folder): ``pyproject.toml`` and ``README.md``."""
        context = self._package_context() | {"distribution": info}
        up = [".."] * len(PurePosixPath(info.package_path).parts)
        folder = Path(os.path.normpath(self.folder.joinpath(*up)))
        return [
            self._file(path, template, path, dict(context), folder)
            for path, template in _DISTRIBUTION_FILES
        ]

    def _package_context(self) -> dict[str, Any]:
        models = [s.class_name for s in self.symbols.values()]
        exports = ["UNSET", "DecodeError", "Unset", *models]
        return {
            "exports": sorted(exports, key=names.export_order),
            "model_exports": sorted(models, key=names.export_order),
            "symbols": sorted(
                self.symbols.values(), key=lambda s: names.import_order(s.class_name)
            ),
            "modules": sorted(
                self.symbols.values(), key=lambda s: names.module_order(s.module)
            ),
            "package": Code(self.package),  # checked in __init__
            "api": self.api,
            "services": self.service_modules,
            "user_agent": self.user_agent,
        }

    @property
    def service_modules(self) -> list[tuple[Service, str]]:
        """Each service with its module name under ``services/``."""
        taken = {"__init__"}
        return [
            (s, names.unique(names.module_name(s.python_name), taken))
            for s in self.api.services
        ]

    def _builtin_paths(self) -> set[str]:
        """The files the built-in templates and the runtime make."""
        paths = {path for path, _ in _PACKAGE_FILES} | set(RUNTIME_MODULES)
        paths |= {f"models/{sym.module}.py" for sym in self.symbols.values()}
        paths |= {f"services/{name}.py" for _, name in self.service_modules}
        return paths | {"py.typed"}

    def _extra(
        self, extra: ExtraOutput, base: dict[str, Any], taken: set[str]
    ) -> list[Source]:
        """An extra output for the package, or for each definition or service."""
        try:
            self.env.get_template(extra.template)
        except jinja2.TemplateNotFound as exc:
            if exc.name == extra.template:
                message = f"no template {extra.template!r}"
                raise _config_error(extra, message, "") from exc
        except Exception:  # noqa: S110 (a broken template: reported as it renders)
            pass
        if extra.per == "package":
            path = self._extra_path(extra, self.package, self.package, taken)
            return [self._file(path, extra.template, "package", dict(base))]
        out: list[Source] = []
        if extra.per == "service":
            for service, module_name in self.service_modules:
                path = self._extra_path(extra, service.class_name, module_name, taken)
                context = {**base, "service": service}
                out.append(self._file(path, extra.template, service.name, context))
            return out
        for sym in self.symbols.values():
            kind = "union" if sym.kind == "opaque" else sym.kind
            if kind != extra.per:
                continue
            path = self._extra_path(extra, sym.class_name, sym.module, taken)
            module = Module(sym.module, (), Spelling(self.symbols, sym.module))
            context = {**base, kind: sym.definition, "definition": sym.definition}
            context["module"] = module
            out.append(self._file(path, extra.template, sym.definition.name, context))
        return out

    def _extra_path(
        self, extra: ExtraOutput, name: str, module: str, taken: set[str]
    ) -> str:
        """The file an extra output writes for ``name``: the pattern with its
        placeholders replaced (nothing evaluated), inside the package, a file
        no other output writes."""
        problem = path_problem(extra.path)
        if problem:
            raise _config_error(extra, f"path {extra.path!r} {problem}", name)
        path = expand(extra.path, name, module, self.package)
        if path in taken:
            raise _config_error(
                extra, f"path {extra.path!r} names {path!r}, which another "
                "output writes (give each output a file of its own)", name,
            )  # fmt: skip
        taken.add(path)
        return path

    def _service(self, service: Service, module_name: str) -> Source:
        spelling = Spelling(self.symbols, "")
        types: list[TypeRef] = []
        for m in service.methods:
            types += [p.type for p in m.parameters]
            types += [m.returns] if m.returns else []
        module = Module(module_name, tuple(spelling.modules_used(types)), spelling)
        context = {"module": module, "service": service}
        path = f"services/{module_name}.py"
        return self._file(path, "service.py.jinja", service.name, context)

    def _definition(self, sym: Symbol) -> Source:
        d = sym.definition
        template = {Model: "model.py.jinja", Enum: "enum.py.jinja"}.get(
            type(d), "union.py.jinja"
        )
        path = f"models/{sym.module}.py"
        entry = self._cache_entry(path, template, sym)
        found = self.cache.get(entry) if self.cache and entry else None
        if found is not None:
            return Source(path, found[1], found[0], d.name)
        spelling = Spelling(self.symbols, sym.module)
        types, expand = _types_of(d)
        module = Module(
            sym.module, tuple(spelling.modules_used(types, expand)), spelling
        )
        key = {Model: "model", Enum: "enum"}.get(type(d), "union")
        context = {"module": module, key: d, "definition": d}
        source = self._file(path, template, d.name, context)
        if self.cache is not None and entry is not None:
            self.cache.put(entry, source.template, source.text)
        return source

    def _cache_entry(self, path: str, template: str, sym: Symbol) -> bytes | None:
        """The render cache's key for a definition, if its template is cacheable."""
        if self.cache is None:
            return None
        if template not in self.cacheable:
            try:
                found = self.cache.cacheable(self.env.get_template(template))
            except Exception:  # a template's problem: reported when it is rendered
                found = False
            self.cacheable[template] = found
        if not self.cacheable[template]:
            return None
        return self.cache.key(path, sym, self.symbols)

    def _file(
        self,
        path: str,
        template: str,
        subject: str,
        context: dict[str, Any],
        folder: Path | None = None,
    ) -> Source:
        context.setdefault("module", Module("", (), Spelling(self.symbols, "")))
        context["output_path"] = ((folder or self.folder) / path).as_posix()
        try:
            tpl = self.env.get_template(template)
            text = tpl.render(context)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or template
            raise RenderError(
                where, exc.lineno, exc.message or str(exc), subject
            ) from exc
        except (jinja2.TemplateError, UnsafeValue, TypeError, ValueError) as exc:
            where, line = _template_line(exc) or (template, 0)
            raise RenderError(where, line, str(exc), subject) from exc
        except Exception as exc:  # a user template or filter: report, never crash
            where, line = _template_line(exc) or (template, 0)
            message = f"{type(exc).__name__}: {exc}"
            raise RenderError(where, line, message, subject) from exc
        return Source(path, text, tpl.filename or template, subject)
