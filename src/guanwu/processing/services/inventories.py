"""保税核注清单 (INV101) 进口/出口: head + lines, 申报 through the gateway with the balance check
and reservation, the message."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guanwu.tenancy.context import Actor

from ..models import Inventory, InventoryItem


def list_inventories(actor: Actor, *, impexp_markcd: str = "", status: str = "", q: str = "") -> QuerySet[Inventory]:
    raise NotImplementedError


def get_inventory(actor: Actor, pk: int | str, *, for_update: bool = False) -> Inventory:
    raise NotImplementedError


def inventory_defaults(actor: Actor, impexp_markcd: str = "I", book_id: int | str | None = None) -> dict[str, Any]:
    raise NotImplementedError


def create_inventory(actor: Actor, data: dict[str, Any]) -> Inventory:
    """``data``: head fields plus ``items`` (list of line dicts)."""
    raise NotImplementedError


def update_inventory(actor: Actor, pk: int | str, data: dict[str, Any]) -> Inventory:
    raise NotImplementedError


def save_inventory_item(actor: Actor, inventory_id: int | str, row: dict[str, Any],
                        item_id: int | str | None = None) -> InventoryItem:
    raise NotImplementedError


def copy_inventory_items(actor: Actor, inventory_id: int | str, ids: list[int | str]) -> list[InventoryItem]:
    raise NotImplementedError


def delete_inventory_items(actor: Actor, inventory_id: int | str, ids: list[int | str]) -> int:
    raise NotImplementedError


def delete_inventories(actor: Actor, ids: list[int | str]) -> int:
    raise NotImplementedError


def declare_inventory(actor: Actor, pk: int | str, *, delcare_flag: str = "1") -> Inventory:
    raise NotImplementedError


def inventory_message(actor: Actor, pk: int | str) -> bytes:
    raise NotImplementedError
