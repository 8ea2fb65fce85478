"""汇总申请单: create (JSON, or from selected released lists), import, read, delete."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guanwu.tenancy.context import Actor

from ..models import Summary


def create_summary(actor: Actor, data: dict[str, Any]) -> Summary:
    raise NotImplementedError


def create_summary_from_lists(actor: Actor, list_ids: list[int | str], data: dict[str, Any] | None = None) -> Summary:
    raise NotImplementedError


def import_summaries(actor: Actor, records: list[dict[str, Any]]) -> int:
    raise NotImplementedError


def get_summary(actor: Actor, pk: int | str, *, for_update: bool = False) -> Summary:
    raise NotImplementedError


def list_summaries(actor: Actor, *, batch_no: str = "", sum_no: str = "", status: str = "",
                   q: str = "") -> QuerySet[Summary]:
    raise NotImplementedError


def delete_summaries(actor: Actor, ids: list[int | str]) -> int:
    raise NotImplementedError
