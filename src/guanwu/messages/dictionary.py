"""What the field dictionaries of every family share (``dec/fields.py``, ``sas/fields.py``): the
snake_case field name of an element, the common columns of a field (:class:`BaseField`) and a
block of fields in message order. Each family's ``FieldDef`` adds its own columns. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

_SNAKE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(name: str) -> str:
    """Field name of an element: ``IEFlag`` -> ``ie_flag``, ``BLNo`` -> ``bl_no``, ``GSeqno`` ->
    ``g_seqno``, ``bondInvtNo`` -> ``bond_invt_no``."""
    return _SNAKE.sub("_", name).lower()


def int_or_none(value: str) -> int | None:
    """A table cell as an int, None when blank."""
    return int(value) if value.strip() else None


@dataclass(frozen=True)
class BaseField:
    """The columns every dictionary has; a family's ``FieldDef`` adds its own after these."""

    block: str
    element: str
    field: str
    cn_name: str
    type: str  # string, decimal, integer, date, datetime (and blob in dec)
    length: int | None
    scale: int | None

    @property
    def label(self) -> str:
        """``申报单位代码(AgentCode)``: how messages and errors name the field."""
        return f"{self.cn_name}({self.element})"


class _Field(Protocol):
    @property
    def element(self) -> str: ...

    @property
    def field(self) -> str: ...


F = TypeVar("F", bound=_Field)


@dataclass(frozen=True)
class BlockDef(Generic[F]):
    """One block of a dictionary: its fields in message order."""

    name: str
    cn_name: str
    fields: tuple[F, ...]

    def __iter__(self) -> Iterator[F]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def elements(self) -> tuple[str, ...]:
        return tuple(f.element for f in self.fields)

    def get(self, element: str) -> F:
        for f in self.fields:
            if f.element == element:
                return f
        raise KeyError(f"{self.name} has no element {element}")

    def by_field(self, field: str) -> F:
        for f in self.fields:
            if f.field == field:
                return f
        raise KeyError(f"{self.name} has no field {field}")
