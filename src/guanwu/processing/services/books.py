"""加工贸易账册 (NEMS): 备案 new, 料件/成品/单损耗 grids, 变更 (变更次数 +1, a version with its
diff), delete while never declared, 发送/申报 (EMS111), the 保税商品库 fed on approval."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet

from guanwu.tenancy.context import Actor

from ..models import Book, BookBom, BookMaterial, BookProduct, BookVersion

# Grid kind -> row model.
BOOK_LINES: dict[str, type[models.Model]] = {"materials": BookMaterial, "products": BookProduct, "boms": BookBom}


def list_books(actor: Actor, *, status: str = "", q: str = "") -> QuerySet[Book]:
    raise NotImplementedError


def get_book(actor: Actor, pk: int | str, *, for_update: bool = False) -> Book:
    raise NotImplementedError


def book_defaults(actor: Actor) -> dict[str, Any]:
    raise NotImplementedError


def create_book(actor: Actor, head: dict[str, Any]) -> Book:
    raise NotImplementedError


def update_book(actor: Actor, pk: int | str, head: dict[str, Any]) -> Book:
    raise NotImplementedError


def save_book_line(actor: Actor, book_id: int | str, kind: str, row: dict[str, Any],
                   line_id: int | str | None = None) -> models.Model:
    raise NotImplementedError


def copy_book_lines(actor: Actor, book_id: int | str, kind: str, ids: list[int | str]) -> list[models.Model]:
    raise NotImplementedError


def delete_book_lines(actor: Actor, book_id: int | str, kind: str, ids: list[int | str]) -> int:
    raise NotImplementedError


def import_book_lines(actor: Actor, book_id: int | str, kind: str, rows: list[dict[str, Any]]) -> int:
    raise NotImplementedError


def start_change(actor: Actor, pk: int | str) -> Book:
    """修改 an approved book: opens a 变更 (the next 变更次数 is given when it is declared)."""
    raise NotImplementedError


def send_book(actor: Actor, pk: int | str) -> Book:
    raise NotImplementedError


def declare_book(actor: Actor, pk: int | str) -> Book:
    raise NotImplementedError


def delete_books(actor: Actor, ids: list[int | str]) -> int:
    raise NotImplementedError


def book_versions(actor: Actor, pk: int | str) -> QuerySet[BookVersion]:
    raise NotImplementedError


def book_message(actor: Actor, pk: int | str) -> bytes:
    raise NotImplementedError


def feed_bonded_items(book: Book) -> int:
    """保税商品库 (datacenter) rows 备案号 = ems_no, 备案序号 = 料件/成品 序号, from an approved book."""
    raise NotImplementedError
