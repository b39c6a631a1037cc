"""Which GET methods page, and how (a stage after the wire keys are decided).

A method pages when it takes a paging parameter and returns a list (or a
model with a list of items), decided by these rules (recorded as
``Paging.rule`` with its evidence, docs/services.md):

* ``cursor``: a cursor parameter (``cursor``, ``afterCursor``, ``pageToken``,
  ``after``, ``continuation``…) and a next-cursor field in the response (the
  parameter's own name, or ``nextCursor``, ``nextPageToken``, ``next``…,
  also under ``meta``, ``paging``, ``pagination``…);
* ``page``: a page-number parameter (``page``, ``pageNumber``); pages count
  from 1 unless its description says 0 (``0-based``, ``(0, 1, ...)``);
* ``offset``: an offset parameter (``offset``, ``skip``, ``startIndex``);
* a page-size parameter (``limit``, ``per_page``, ``pageSize``…) is kept for
  the caller and ends the iteration on a short page.

``--paging SERVICE.METHOD=STYLE[:PARAM][->NEXT][@ITEMS]`` (wildcards allowed;
NEXT and ITEMS are dotted JSON keys; ``none`` turns paging off; read by
``settings.parse_paging_override``) overrides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .. import names
from ..diagnostics import Diagnostics
from ..ir import (
    AnyType,
    Api,
    Definition,
    ListOf,
    Method,
    Model,
    Paging,
    Parameter,
    Primitive,
    Ref,
    TypeRef,
)
from ..settings import PagingOverride
from .overrides import Overrides
from .wire_evidence import squash

CURSOR = frozenset(
    ["cursor", "aftercursor", "after", "pagetoken", "nexttoken", "continuation"]
    + ["continuationtoken", "startingafter", "marker", "nextcursor", "pagecursor"]
)
PAGE = frozenset(["page", "pagenumber", "pagenum", "pageno", "pageindex"])
OFFSET = frozenset(["offset", "skip", "startindex"])
SIZE = frozenset(
    ["limit", "perpage", "pagesize", "size", "count", "pagelimit", "maxresults"]
    + ["maxrecords", "recordcount", "top", "pagecount", "max"]
)
NEXT = (
    "nextcursor", "aftercursor", "nextpagetoken", "nexttoken", "endcursor",
    "nextcontinuation", "continuationtoken", "continuation", "cursor", "next",
)  # fmt: skip
ITEMS = (
    "data", "items", "results", "records", "entries", "values", "elements",
    "resources", "list", "content", "hits", "docs",
)  # fmt: skip
_ZERO_BASED = re.compile(
    r"\b(0|zero)[- ](based|indexed)\b|\(0,\s*1\b|\bstarts? (at|from) 0\b"
    r"|\bfirst page is 0\b|\bdefaults?( value)?( is| to|:)? ['`\"]?0\b",
    re.IGNORECASE,
)


def refine(api: Api, overrides: dict[str, PagingOverride], diags: Diagnostics) -> Api:
    """``api`` with ``Method.paging`` decided for every method."""
    patterns = {tuple(k.split(".")): v for k, v in overrides.items()}
    found: Overrides[PagingOverride] = Overrides("--paging", patterns)
    by_class = {d.class_name: d for d in api.definitions}
    services = []
    for s in api.services:
        base = s.name.removesuffix("Service") or s.name
        taken = {m.python_name for m in s.methods}
        taken |= {m.stream_name for m in s.methods if m.stream_name}
        methods = []
        for m in s.methods:
            o = found.find(((s.name, base, s.python_name), (m.name, m.python_name)))
            methods.append(_method(m, o, by_class, taken))
        services.append(replace(s, methods=tuple(methods)))
    found.report_unused(diags, "docs2py")
    return replace(api, services=tuple(services))


def _method(
    m: Method,
    o: PagingOverride | None,
    by_class: dict[str, Definition],
    taken: set[str],
) -> Method:
    if o is not None and o.style == "none":
        return m
    if o is None and m.http_method != "GET":
        return m
    paging = _infer(m, o, by_class)
    if paging is None:
        return m
    iterator = _iterator_name(m.python_name)
    if iterator in taken:
        iterator = "iter_" + m.python_name
    iterator = names.unique(iterator, taken)
    return replace(m, paging=replace(paging, iterator=iterator))


def _iterator_name(python_name: str) -> str:
    """``get_apis`` → ``iter_apis``; ``apis`` → ``iter_apis``."""
    for verb in ("get_", "list_", "fetch_", "read_"):
        if python_name.startswith(verb) and len(python_name) > len(verb):
            return "iter_" + python_name[len(verb) :]
    return "iter_" + python_name


def _query(m: Method) -> list[Parameter]:
    return [p for p in m.parameters if p.sent_in == "query"]


def _numeric(p: Parameter) -> bool:
    """A page size the pager can compare a page's length with: a number, or a
    string (JavaScript docs type query values so; the pager reads ``"25"`` as
    25, and no size at all from text that is no number), or ``Any``."""
    if isinstance(p.type, AnyType):
        return True
    return isinstance(p.type, Primitive) and p.type.name in ("int", "float", "str")


def _pick(params: list[Parameter], vocabulary: frozenset[str]) -> Parameter | None:
    return next((p for p in params if squash(p.python_name) in vocabulary), None)


def _infer(
    m: Method, o: PagingOverride | None, by_class: dict[str, Definition]
) -> Paging | None:
    params = _query(m)
    items = _items(m.returns, by_class) if o is None or o.items is None else None
    if o is not None and o.items is not None:
        items = (_wire_path(m.returns, o.items, by_class), "override")
    if items is None or items[0] is None:
        return None
    size = _pick([p for p in params if _numeric(p)], SIZE)
    for style, vocab in (("cursor", CURSOR), ("page", PAGE), ("offset", OFFSET)):
        if o is not None and o.style != style:
            continue
        if o is not None and o.parameter:
            param = next((p for p in params if o.parameter in (p.name, p.python_name,
                         p.wire_name)), None)  # fmt: skip
        else:
            param = _pick(params, vocab)
        if param is None:
            continue
        return _paging(style, param, size, items, m, o, by_class)
    return None


def _paging(
    style: str,
    param: Parameter,
    size: Parameter | None,
    items: tuple[tuple[str, ...] | None, str],
    m: Method,
    o: PagingOverride | None,
    by_class: dict[str, Definition],
) -> Paging | None:
    path, items_why = items
    assert path is not None
    evidence = [f"parameter '{param.name}' at {param.location}", items_why]
    if (
        size is not None
        and isinstance(size.type, Primitive)
        and size.type.name == "str"
    ):
        evidence.append(
            f"page size '{size.name}' is typed as a string: read as a number"
        )
    nxt: tuple[str, ...] = ()
    if style == "cursor":
        if o is not None and o.next:
            found = _wire_path(m.returns, o.next, by_class)
        else:
            found = _next_field(m.returns, param, by_class)
        if found is None:
            return None
        nxt = found
        evidence.append("next cursor: " + ".".join(nxt))
    start = 0 if style == "page" and _ZERO_BASED.search(param.description) else 1
    rule = "override" if o is not None else style
    return Paging(
        style, param.python_name, size.python_name if size else None, path, nxt,
        start, "", rule, tuple(evidence),
    )  # fmt: skip


def _model(t: TypeRef | None, by_class: dict[str, Definition]) -> Model | None:
    d = by_class.get(t.target or "") if isinstance(t, Ref) else None
    return d if isinstance(d, Model) else None


def _walk(
    t: TypeRef | None, by_class: dict[str, Definition], depth: int = 2
) -> Iterator[tuple[tuple[str, ...], TypeRef]]:
    """(attribute path, type) of every field, breadth first, ``depth`` deep."""
    level: list[tuple[tuple[str, ...], TypeRef | None]] = [((), t)]
    for _ in range(depth):
        following: list[tuple[tuple[str, ...], TypeRef | None]] = []
        for path, current in level:
            model = _model(current, by_class)
            for f in model.fields if model else ():
                yield path + (f.python_name,), f.type
                following.append((path + (f.python_name,), f.type))
        level = following


def _items(
    t: TypeRef | None, by_class: dict[str, Definition]
) -> tuple[tuple[str, ...] | None, str] | None:
    """Where a response's items are: ``()`` for a list, else a list field."""
    if isinstance(t, ListOf):
        return (), "the response is a list"
    lists = [(p, x) for p, x in _walk(t, by_class) if isinstance(x, ListOf)]
    if not lists:
        return None
    for word in ITEMS:
        for path, _ in lists:
            if squash(path[-1]) == word:
                return path, "items: " + ".".join(path)
    top = [p for p, _ in lists if len(p) == 1]
    if len(top) == 1:
        return top[0], "items: " + top[0][0]
    return None


def _next_field(
    t: TypeRef | None, param: Parameter, by_class: dict[str, Definition]
) -> tuple[str, ...] | None:
    fields = [
        (p, x) for p, x in _walk(t, by_class, 3) if not isinstance(x, ListOf)
        and _model(x, by_class) is None
    ]  # fmt: skip
    own = squash(param.python_name)
    for wanted in (own, *NEXT):
        for path, _ in fields:
            if squash(path[-1]) == wanted:
                return path
    return None


def _wire_path(
    t: TypeRef | None, keys: tuple[str, ...], by_class: dict[str, Definition]
) -> tuple[str, ...] | None:
    """The attribute path of a dotted JSON key path (as the override wrote it)."""
    out: list[str] = []
    current = t
    for key in keys:
        model = _model(current, by_class)
        field = next(
            (f for f in model.fields if key in (f.wire_key, f.name, f.python_name)),
            None,
        ) if model else None  # fmt: skip
        if field is None:
            return None
        out.append(field.python_name)
        current = field.type
    return tuple(out)
