"""``python -m docs2py`` (``python -m generator`` in a checkout) runs the
docs2py command line."""

from __future__ import annotations

import sys

from .cli.commands import main

sys.exit(main())
