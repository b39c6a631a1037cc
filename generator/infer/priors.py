"""Dialect priors: what a Name is on the wire when the docs show nothing else.

liblab writes each SDK language's identifiers in the Name column, derived
from the API's keys by that language's rules.  Where the docs hold no
evidence for an API's style, the dialect's own rule is the best prior; a key
decided by it is a guess (``ir.Source`` ``prior``), listed and pinnable.

The counts behind each prior: every field of the 68 corpus doc sets whose real
key the SDK's source gives, by SDK language (``python bench/priors.py``
prints the table; the keys are read only there, never by docs2py):

| SDK language | fields | key = Name | snake_case(Name) | camelCase(Name) | case only |
| --- | ---: | ---: | ---: | ---: | ---: |
| C#         |  3,410 |   4 (0%) | 2,512 (74%) |   880 (26%) | 10 |
| Go         |    780 |   0 (0%) |   625 (80%) |   143 (18%) | 12 |
| Java       |    916 | 670 (73%) |   205 (22%) |       0 | 24 |
| PHP        |    583 | 561 (96%) |    14 (2%) |       0 |  8 |
| Python     | 16,468 | 12,584 (76%) |   8 (0%) | 3,564 (22%) | 79 |
| TypeScript | 12,676 | 9,180 (72%) | 3,382 (27%) |       0 | 21 |

So: a PascalCase Name (Go, C#) is never the key (4 of 4,190 fields): its
words are, in another case; by doc set, as many Go and C# APIs are camelCase
as snake_case once the repeated big snake_case APIs are counted once (Go 2
and 2; C# 2 camelCase, 6 snake_case, of which 4 are 2 APIs), so where nothing
decides, the Name's own capitalisation is kept and only its first letter
lowered (camelCase).  Other Names are the key about three times in four; the
rest take the API's style, which only evidence shows.  "Case only" are
acronyms (``dataLimitInGB`` written ``dataLimitInGb``): every dialect writes
a word's letters after the first in lower case, so no Name shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .casing import Style


@dataclass(frozen=True, slots=True)
class Prior:
    """A dialect's rule: how it writes Names, and the key's likely style."""

    names: Style
    """How the dialect writes multi-word Names."""
    key: Style | None
    """The style of the key where nothing else decides (None: the Name)."""
    why: str
    """The count behind it, as the guesses report shows it."""


PRIORS: dict[Style, Prior] = {
    "pascal": Prior(
        "pascal", "camel",
        "a Go or C# Name is never the key (4 of 4,190 fields); camelCase keeps "
        "the Name's capitals",
    ),
    "snake": Prior(
        "snake", None,
        "a Python Name is the key (76% of 16,468 fields), or its camelCase (22%)",
    ),
    "camel": Prior(
        "camel", None,
        "a TypeScript, Java or PHP Name is the key (73% of 14,175 fields), or "
        "its snake_case (25%)",
    ),
}  # fmt: skip


def prior_of(dialect: Style | None) -> Prior | None:
    """The prior of the dialect whose Names are written in ``dialect``."""
    return PRIORS.get(dialect) if dialect else None


SETTLED_CASE: frozenset[str] = frozenset({"ID"})
"""Acronyms whose case in camelCase keys is all but settled, so that a key
spelling them as its Name does is not listed as a guess: ``Id`` in 154 of the
160 distinct corpus keys that end a word with it (``userId``; 96%).  Others
are not: ``URL`` is upper-case in 5 of 14 keys, ``GB``, ``SSL``, ``TLS`` and
``VAT`` in every one (``dataLimitInGB``)."""
