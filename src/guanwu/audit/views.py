"""The enterprise's operation log, on the shared list page."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from guanwu.tenancy.context import Actor
from guanwu.ui.lists import ChoiceFilter, Column, DateRangeFilter, ListPage, TextFilter, datetime_seconds

from . import services
from .display import changes_text, status_text, type_label
from .models import OperationLog


def _action_choices(actor: Actor) -> list[tuple[str, str]]:
    actions = (
        OperationLog.objects.filter(enterprise=actor.enterprise)
        .order_by("action").values_list("action", flat=True).distinct()
    )
    return [(a, a) for a in actions]


def _type_choices(actor: Actor) -> list[tuple[int, str]]:
    ids = (
        OperationLog.objects.filter(enterprise=actor.enterprise)
        .order_by("content_type_id").values_list("content_type_id", flat=True).distinct()
    )
    return sorted(((i, type_label(ContentType.objects.get_for_id(i))) for i in ids), key=lambda c: c[1])


class OperationLogList(ListPage):
    title = "操作记录"
    breadcrumbs = (("企业设置", None), ("操作记录", None))
    select_related = ("content_type",)
    filters = (
        TextFilter("user", "操作人", fields=("user_name", "user__username")),
        ChoiceFilter("action", "操作", field="action", choices=_action_choices),
        ChoiceFilter("object_type", "对象类型", field="content_type_id", choices=_type_choices),
        TextFilter("object", "对象", fields=("object_repr",)),
        TextFilter("object_id", "对象ID", fields=("object_id",), lookup="exact"),
        DateRangeFilter("time", "操作时间", field="created_at"),
    )
    columns = (
        Column("created_at", "操作时间", sortable=True, format=datetime_seconds, css_class="text-nowrap", width=20),
        Column("user_name", "操作人", sortable=True, css_class="text-nowrap"),
        Column("content_type", "对象类型", value=lambda log: type_label(log.content_type), css_class="text-nowrap"),
        Column("object_repr", "对象", sortable=True, width=30),
        Column("action", "操作", sortable=True, css_class="text-nowrap"),
        Column("status", "操作前状态 → 操作后状态", value=status_text, width=24),
        Column("changes", "变更字段", value=changes_text, width=50),
        Column("opinion", "意见", width=30),
    )
    ordering = ("-created_at", "-id")
    export_name = "操作记录"

    def queryset(self, actor: Actor):
        return services.for_enterprise(actor)
