"""Parameter types every endpoint shares, so odd input is a 422 with a Chinese field error
instead of an overflow deep in the database driver:

- ``Offset`` / ``Limit``: list paging (``page`` cuts a queryset with them, ``paged`` answers it);
- ``Id``: a row id inside a body (``{"ids": [...]}``), a positive 64-bit integer;
- ``IsoDate``: a date written ``YYYY-MM-DD`` (pydantic would read ``0`` as 1970-01-01).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from guanwu.core.ids import MAX_ID

# No list has this many rows; far below what any database driver can take as an OFFSET.
MAX_OFFSET = 2**31 - 1
MAX_LIMIT = 10_000

Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="跳过的条数")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="每页条数 (超过该接口的上限时按上限)")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    raise PydanticCustomError("date_format", "应为日期, 格式 YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), Field(json_schema_extra={"format": "date"})]


@dataclass(frozen=True)
class Page:
    count: int
    offset: int
    limit: int
    rows: list


def page(qs, offset: int, limit: int, *, max_limit: int) -> Page:
    """One page of ``qs``: ``limit`` is capped at the endpoint's ``max_limit``."""
    limit = min(limit, max_limit)
    return Page(count=qs.count(), offset=offset, limit=limit, rows=list(qs[offset:offset + limit]))


def paged(qs, offset: int, limit: int, out: Callable[[Any], Any], *, max_limit: int) -> dict[str, Any]:
    """One ``page`` of ``qs`` as a list endpoint answers it (``page_schema``), each row through ``out``."""
    p = page(qs, offset, limit, max_limit=max_limit)
    return {"count": p.count, "offset": p.offset, "limit": p.limit, "results": [out(row) for row in p.rows]}


def page_schema(name: str, item: type) -> type:
    """The answer schema of a paged list: ``count``, ``offset``, ``limit`` and ``results`` of ``item``."""
    from ninja import Schema

    return type(name, (Schema,), {"__annotations__": {"count": int, "offset": int, "limit": int,
                                                      "results": list[item]}})  # type: ignore[valid-type]
