"""9710 出口订单 and 9810 出口订仓单: create (JSON), import (Excel, in bulk), read, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from guanwu.tenancy.context import Actor

from ..models import Order


def create_order(actor: Actor, data: dict[str, Any], *, order_type: str = "B") -> Order:
    """A new order (待申报) from JSON-like ``data``: the head fields, ``batch_no`` and ``lines``
    (list of dicts); ServiceError 422 naming every wrong field (``lines[0].qty``)."""
    raise NotImplementedError


def import_orders(actor: Actor, records: list[dict[str, Any]]) -> int:
    """Save checked import records in bulk (the import's ``save``); returns the count."""
    raise NotImplementedError


def get_order(actor: Actor, pk: int | str, *, for_update: bool = False) -> Order:
    raise NotImplementedError


def list_orders(actor: Actor, *, order_type: str = "", batch_no: str = "", order_no: str = "", status: str = "",
                date_from: dt.date | None = None, date_to: dt.date | None = None, q: str = "") -> QuerySet[Order]:
    raise NotImplementedError


def delete_orders(actor: Actor, ids: list[int | str]) -> int:
    raise NotImplementedError
