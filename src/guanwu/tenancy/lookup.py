"""Fetching one tenant-owned row by an id from a URL or a request body."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from guanwu.core.errors import NotFound


def get_owned(queryset: QuerySet, pk: Any, what: str, *, for_update: bool = False) -> Model:
    """The row ``pk`` of ``queryset`` (already limited to the actor's enterprise), or NotFound
    "<what>不存在或无权访问": a malformed id and another enterprise's id answer alike (404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(f"{what}不存在或无权访问") from None
    if for_update:  # the row itself: PostgreSQL refuses FOR UPDATE on the nullable side of a select_related join
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise NotFound(f"{what}不存在或无权访问") from None
