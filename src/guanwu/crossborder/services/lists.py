"""出口清单: create (JSON), import (Excel, with 商品批次号 and 出口日期), read, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from guanwu.tenancy.context import Actor

from ..models import ExportList


def create_list(actor: Actor, data: dict[str, Any]) -> ExportList:
    raise NotImplementedError


def import_lists(actor: Actor, records: list[dict[str, Any]]) -> int:
    raise NotImplementedError


def get_list(actor: Actor, pk: int | str, *, for_update: bool = False) -> ExportList:
    raise NotImplementedError


def list_lists(actor: Actor, *, batch_no: str = "", order_no: str = "", invt_no: str = "", logistics_no: str = "",
               status: str = "", trade_mode: str = "", date_from: dt.date | None = None,
               date_to: dt.date | None = None, q: str = "") -> QuerySet[ExportList]:
    raise NotImplementedError


def delete_lists(actor: Actor, ids: list[int | str]) -> int:
    raise NotImplementedError
