"""Platform staff pages: quarantined receipts and the outbox. Anyone else gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_POST

from guanwu.core.errors import ServiceError
from guanwu.ui.lists import (
    BooleanFilter,
    BulkAction,
    Column,
    DateRangeFilter,
    ListPage,
    RowAction,
    TextFilter,
    datetime_seconds,
    safe_next,
    yes_no,
)

from . import folders, services
from .models import GatewayError


@dataclass(frozen=True)
class StaffActor:
    """What the shared list page needs of an actor, for platform staff (no enterprise)."""

    user: Any
    enterprise: None = None
    role: str = "staff"

    @property
    def is_admin(self) -> bool:
        return True


def _require_staff(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404("页面不存在")


def _resolve_selected(actor: StaffActor, ids: list[int]) -> str:
    changed = services.resolve_errors(actor.user, ids)
    return f"已将 {changed} 条错误标记为已处理"


def _size(value: Any) -> str:
    if value is None:
        return ""
    return f"{value / 1024:.1f} KB" if value >= 1024 else f"{value} B"


class GatewayErrorList(ListPage):
    title = "报文交换错误"
    breadcrumbs = (("平台管理", None), ("报文交换错误", None))
    tenant_field = None
    template_name = "gateway/errors.html"
    filters = (
        BooleanFilter("resolved", "状态", field="resolved", yes="已处理", no="未处理"),
        TextFilter("q", "文件名/原因", fields=("file_name", "reason", "root_tag")),
        DateRangeFilter("time", "时间", field="created_at"),
    )
    columns = (
        Column("created_at", "时间", sortable=True, format=datetime_seconds, css_class="text-nowrap", width=20),
        Column("file_name", "文件", sortable=True, link="gateway:error-detail", width=40),
        Column("root_tag", "根元素", sortable=True, css_class="text-nowrap"),
        Column("reason", "原因", width=60),
        Column("size", "大小", sortable=True, format=_size, css_class="text-nowrap"),
        Column("resolved", "状态", sortable=True, format=yes_no("已处理", "未处理"), css_class="text-nowrap"),
    )
    ordering = ("-created_at", "-id")
    bulk_actions = (BulkAction("resolve", "标记为已处理", _resolve_selected, icon="bi-check2"),)
    row_actions = (
        RowAction("查看原文", "gateway:error-detail", method="get"),
        RowAction("标记已处理", "gateway:error-resolve", condition=lambda e, _a: not e.resolved),
        RowAction(
            "重新处理", "gateway:error-retry", condition=lambda e, _a: bool(e.stored_name) and not e.resolved,
            confirm="把文件放回收件箱重新处理?",
        ),
    )
    export_name = "报文交换错误"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_staff(request)
        self.actor = StaffActor(user=request.user)
        return View.dispatch(self, request, *args, **kwargs)

    def queryset(self, actor: Any):
        return GatewayError.objects.defer("raw")

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["outbox"] = services.outbox_counts()
        context["inbox_waiting"] = len(folders.ready_files(folders.INBOX))
        context["unresolved"] = GatewayError.objects.filter(resolved=False).count()
        context["gateway_dir"] = folders.gateway_dir()
        context["handlers"] = services.registered_tags()
        return context


def error_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    error = get_object_or_404(GatewayError, pk=pk)
    return render(request, "gateway/error_detail.html", {
        "page_title": f"报文交换错误 {error.file_name}",
        "breadcrumbs": [("平台管理", None), ("报文交换错误", reverse("gateway:errors")), (error.file_name, None)],
        "error": error,
    })


@require_POST
def error_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    error = get_object_or_404(GatewayError, pk=pk)
    services.resolve_errors(request.user, [error.pk])
    messages.success(request, f"已将 {error.file_name} 标记为已处理")
    return redirect(safe_next(request, reverse("gateway:errors")))


@require_POST
def error_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    error = get_object_or_404(GatewayError, pk=pk)
    try:
        target = services.retry_error(request.user, error)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已将 {error.file_name} 放回收件箱 ({target.name}), 将在下次轮询时处理")
    return redirect(safe_next(request, reverse("gateway:errors")))
