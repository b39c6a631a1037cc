"""docs2py: Markdown schema docs → a typed Python package."""

from __future__ import annotations

__version__ = "0.1.0"
