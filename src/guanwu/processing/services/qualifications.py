"""企业资质申请 (seed section 一): 新增/暂存 the head, the 料件/成品 grids (新增 + Enter, 复制,
edit in place, 删除, Excel import), 发送 (单一窗口暂存, DelcareFlag 0) and 申报 (DelcareFlag 1)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guanwu.tenancy.context import Actor

from ..models import QualificationApplication, QualificationGoods


def list_applications(actor: Actor, *, status: str = "", q: str = "") -> QuerySet[QualificationApplication]:
    raise NotImplementedError


def get_application(actor: Actor, pk: int | str, *, for_update: bool = False) -> QualificationApplication:
    raise NotImplementedError


def application_defaults(actor: Actor) -> dict[str, Any]:
    """What a new application starts with: the enterprise as 经营/加工/申报/录入单位, 申报类型 1, 资质类型 1."""
    raise NotImplementedError


def create_application(actor: Actor, head: dict[str, Any]) -> QualificationApplication:
    """新增 + 暂存: a new application from the head fields; ServiceError naming every bad field."""
    raise NotImplementedError


def update_application(actor: Actor, pk: int | str, head: dict[str, Any]) -> QualificationApplication:
    """暂存 an edited head (only the fields given change)."""
    raise NotImplementedError


def save_goods(actor: Actor, application_id: int | str, kind: str, row: dict[str, Any],
               goods_id: int | str | None = None) -> QualificationGoods:
    """Enter on a grid row: 新增 (``goods_id`` None) or save the edited row; 法定计量单位 from the tariff."""
    raise NotImplementedError


def copy_goods(actor: Actor, application_id: int | str, goods_ids: list[int | str]) -> list[QualificationGoods]:
    """复制 the checked rows: copies with the next 序号 of their grid."""
    raise NotImplementedError


def delete_goods(actor: Actor, application_id: int | str, goods_ids: list[int | str]) -> int:
    raise NotImplementedError


def import_goods(actor: Actor, application_id: int | str, kind: str, rows: list[dict[str, Any]]) -> int:
    """Excel import into a grid (rows already read by the import pipeline): all or nothing."""
    raise NotImplementedError


def send_application(actor: Actor, pk: int | str) -> QualificationApplication:
    """发送: to the Single Window as a temporary record (DelcareFlag 0)."""
    raise NotImplementedError


def declare_application(actor: Actor, pk: int | str) -> QualificationApplication:
    """申报 (DelcareFlag 1): build EMS101, ``validate_sas``, enqueue; 422 with field errors."""
    raise NotImplementedError


def delete_applications(actor: Actor, ids: list[int | str]) -> int:
    raise NotImplementedError


def application_message(actor: Actor, pk: int | str) -> bytes:
    raise NotImplementedError
