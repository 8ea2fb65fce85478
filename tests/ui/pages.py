"""A list page declared the way modules declare theirs, over OperationLog (tenant-owned, FKs)."""

from __future__ import annotations

from guanwu.audit.models import OperationLog
from guanwu.ui.lists import (
    BulkAction,
    ChoiceFilter,
    Column,
    DateRangeFilter,
    ListPage,
    PickerFilter,
    TextFilter,
    datetime_seconds,
)

RECEIVED: list[list[int]] = []


def mark(actor, ids: list[int]) -> str:
    RECEIVED.append(list(ids))
    return f"已标记 {len(ids)} 条记录"


class LogListPage(ListPage):
    title = "测试列表"
    select_related = ("user", "content_type")
    filters = (
        TextFilter("q", "对象", fields=("object_repr", "opinion")),
        ChoiceFilter("action", "操作", field="action", choices=[("新建", "新建"), ("删除", "删除")]),
        PickerFilter("country", "国别", field="status_after", table="countries"),
        DateRangeFilter("time", "操作时间", field="created_at"),
    )
    columns = (
        Column("object_repr", "对象", sortable=True, link=lambda log: f"/objects/{log.object_id}/"),
        Column("action", "操作", sortable=True),
        Column("user__username", "用户名", sortable=True),
        Column("seq", "序号", value=lambda log: int(log.object_id), sortable=True, order_by="id"),
        Column("created_at", "操作时间", sortable=True, format=datetime_seconds),
        Column("content_type__model", "类型", export=False),
    )
    ordering = ("id",)
    bulk_actions = (
        BulkAction("mark", "标记", mark),
        BulkAction("purge", "清除", mark, admin_only=True, confirm="确定清除?"),
    )
    import_spec = "logs"

    def queryset(self, actor):
        # No enterprise filter on purpose: the base class must add it.
        return OperationLog.objects.all()


class SmallExportPage(LogListPage):
    export_limit = 10


class GlobalPage(LogListPage):
    """Forgets that OperationLog is tenant data and declares a wrong tenant field."""

    tenant_field = "owner"
