"""A cache of rendered definition modules, keyed by what their template reads.

A built-in model, enum or union template reads its definition, its module's
name, and, for each type it refers to (through unions' variants too), that
definition's class name, module and kind.  Those, the built-in templates'
sources and docs2py's rendering code make the key, so a one-model edit renders
only what changed.  Templates from a user's folder, or a run with a user
filters module, are never cached (they may read anything).  Entries live in
``<cache>/rendered/<version>/``, in the same checked store as the other caches.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jinja2

from .. import __version__
from ..cache import EntryStore
from ..ir import Definition, ListOf, MapOf, Model, Ref, TypeRef, Union, UnionOf
from .pytypes import Symbol
from .templates import builtin_templates

_CODE = (
    "render/renderer.py", "render/render_cache.py", "render/filters.py",
    "render/pytypes.py", "names.py",
)  # fmt: skip


def _salt() -> bytes:
    """docs2py's rendering code, Jinja's version and the built-in templates."""
    digest = hashlib.sha256(f"{__version__}|{jinja2.__version__}".encode())
    here = Path(__file__).parent.parent  # the generator package
    for name in _CODE:
        digest.update((here / name).read_bytes())
    root = builtin_templates()
    for path in sorted(root.rglob("*.jinja")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


def _types(d: Definition) -> tuple[TypeRef, ...]:
    if isinstance(d, Model):
        return tuple(f.type for f in d.fields)
    return d.variants if isinstance(d, Union) else ()


def dependencies(d: Definition, symbols: dict[str, Symbol]) -> list[tuple[str, ...]]:
    """What rendering ``d`` reads of other definitions: (name, class, module,
    kind) of each one its types refer to, through unions' variants."""
    out: list[tuple[str, ...]] = []
    seen: set[str] = set()
    todo = list(_types(d))
    while todo:
        t = todo.pop()
        if isinstance(t, ListOf | MapOf):
            todo.append(t.item if isinstance(t, ListOf) else t.value)
        elif isinstance(t, UnionOf):
            todo += t.variants
        elif isinstance(t, Ref) and t.target and t.target not in seen:
            seen.add(t.target)
            sym = symbols[t.target]
            out.append((t.target, sym.class_name, sym.module, sym.kind))
            if isinstance(sym.definition, Union):
                todo += sym.definition.variants
    return sorted(out)


class RenderCache:
    """Rendered text of definition modules, by what their template read."""

    def __init__(self, root: Path) -> None:
        self.store = EntryStore(root / "rendered" / __version__)
        self.salt = _salt()
        self.builtin = builtin_templates().resolve()

    def cacheable(self, template: jinja2.Template) -> bool:
        """Whether ``template`` is a built-in one (whose reads are known)."""
        filename = Path(template.filename or "").resolve()
        return filename.is_relative_to(self.builtin)

    def key(self, path: str, sym: Symbol, symbols: dict[str, Symbol]) -> bytes:
        digest = hashlib.sha256(self.salt)
        parts = [path, sym.module, repr(sym.definition)]
        parts += [repr(dep) for dep in dependencies(sym.definition, symbols)]
        for part in parts:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.digest()

    def get(self, key: bytes) -> tuple[str, str] | None:
        """(template file, rendered text), or None."""
        payload = self.store.get(key)
        if payload is None:
            return None
        try:
            template, text = json.loads(payload)
        except (ValueError, TypeError):  # not the [template, text] we write
            return None
        return str(template), str(text)

    def put(self, key: bytes, template: str, text: str) -> None:
        self.store.put(key, json.dumps([template, text]).encode())

    def flush(self) -> None:
        self.store.flush()
