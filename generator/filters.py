"""``docs2py.filters``: the names a template author's own filters use
(docs/templates.md, "Your own filters and globals").

A filter whose result is printed returns ``Code`` (text it has made safe for
its place); ``FILTERS`` are the built-in filters, to chain into.  They live in
the render stage (``render/filters.py``); this module keeps their documented
import path.
"""

from .render.filters import FILTERS, Code, UnsafeValue

__all__ = ["FILTERS", "Code", "UnsafeValue"]
