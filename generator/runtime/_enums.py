# pyright: reportPrivateUsage=false
"""Enums that keep the values the docs do not list: part of docs2py's runtime.

Copied verbatim into every generated package, beside ``_runtime``, which
re-exports its public names (``StrEnum``, ``IntEnum``, ``is_known``) and says
how the runtime's modules are layered (this one is above ``_shape``).

A generated enum subclasses ``StrEnum`` or ``IntEnum``; a value it does not
list decodes to a pseudo-member (``Status("new").value == "new"``, kept so
that ``Status("x") is Status("x")``), and ``true`` is not the member ``1``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Final, cast

from ._shape import DecodeError, _json_type_fits

_PSEUDO_LIMIT: Final = 1024
"""Unlisted values kept per enum, so that ``V("x") is V("x")``; past that many
(a server sending ever new values) pseudo-members are made but not kept."""
_PSEUDO: dict[type, dict[Any, Any]] = {}


class _JsonEnumType(enum.EnumMeta):
    """Looks values up by JSON type too: ``true`` is not the member ``1``."""

    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:  # the functional API: Enum("Name", "A B")
            return cast(Any, super()).__call__(value, *args, **kwargs)
        try:
            member = cls._value2member_map_.get(value)
            if member is None:
                member = _PSEUDO.get(cls, {}).get(value)
        except TypeError:  # unhashable: not a value of any enum
            member = None
        if member is not None and value.__class__ is member._value_.__class__:
            return member
        if not _json_type_fits(cls, value):
            raise DecodeError(f"{value!r} is not a valid {cls.__name__}")
        return super().__call__(value)


def _pseudo_member(cls: Any, value: Any, new: Callable[[Any, Any], Any]) -> Any:
    kept = _PSEUDO.setdefault(cls, {})
    member = kept.get(value)
    if member is None:
        member = new(cls, value)
        member._name_ = str(value)
        member._value_ = value
        if len(kept) < _PSEUDO_LIMIT:
            member = kept.setdefault(value, member)
    return member


class StrEnum(str, enum.Enum, metaclass=_JsonEnumType):
    """Base class of string enums; unknown values become pseudo-members."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        return _pseudo_member(cls, value, str.__new__)

    def __str__(self) -> str:
        return str(self.value)


class IntEnum(int, enum.Enum, metaclass=_JsonEnumType):
    """Base class of integer enums; unknown values become pseudo-members."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        return _pseudo_member(cls, value, int.__new__)


def is_known(member: enum.Enum) -> bool:
    """True if ``member`` is one of the values the docs list."""
    return member._value_ in type(member)._value2member_map_
