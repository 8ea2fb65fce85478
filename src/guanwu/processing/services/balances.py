"""料件余额 per 账册: imported, consumed (出口成品 x 单耗 by the 单耗版本号 in force), returned,
domestic_sold, reserved, balance; the check that refuses an overdrawing list; reservation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from guanwu.core.errors import FieldError
from guanwu.tenancy.context import Actor

from ..models import Book, Inventory, Movement


@dataclass(frozen=True)
class BalanceRow:
    gds_seqno: int
    gds_mtno: str
    code_ts: str
    g_name: str
    unit: str
    imported: Decimal
    consumed: Decimal
    returned: Decimal
    domestic_sold: Decimal
    reserved: Decimal
    balance: Decimal


def movement_of(impexp_markcd: str, mtpck_endprd_markcd: str, supv_modecd: str) -> Movement:
    raise NotImplementedError


def balances(actor: Actor, book_id: int | str) -> list[BalanceRow]:
    raise NotImplementedError


def recompute_balances(book: Book | int) -> int:
    raise NotImplementedError


def check_balances(inventory: Inventory) -> list[FieldError]:
    raise NotImplementedError


def writeoff_summary(actor: Actor, book_id: int | str) -> dict[str, Any]:
    raise NotImplementedError
