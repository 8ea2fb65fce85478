"""Fetching one tenant-owned row by an id from a URL or a request body."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet

from guanwu.core.errors import NotFound

# Row ids are 64-bit signed integers in every database we run on; SQLite cannot even be asked
# about a larger one (``pk__in`` raises OverflowError where ``pk=`` finds nothing).
MAX_ID = 2**63 - 1


def possible_ids(ids: Iterable[Any]) -> list[int]:
    """The ids of ``ids`` that a row could have (whole numbers 1..MAX_ID); the others name no row."""
    out = []
    for pk in ids:
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            continue
        if 0 < pk <= MAX_ID:
            out.append(pk)
    return out


def get_owned(queryset: QuerySet, pk: Any, what: str, *, for_update: bool = False) -> Model:
    """The row ``pk`` of ``queryset`` (already limited to the actor's enterprise), or NotFound
    "<what>不存在或无权访问": a malformed id and another enterprise's id answer alike (404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(f"{what}不存在或无权访问") from None
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise NotFound(f"{what}不存在或无权访问") from None
