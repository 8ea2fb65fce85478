"""报关单查询: the declarations list on the shared ListPage."""

from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html

from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.tenancy.context import Actor
from guanwu.ui.lists import (
    BulkAction,
    ChoiceFilter,
    Column,
    DateRangeFilter,
    ListPage,
    RowAction,
    TextFilter,
)

from . import services
from .models import Declaration, DeclarationStatus
from .services.drafts import EDITABLE

# Bootstrap colours of the status badges, shared by the list and the entry page.
STATUS_STYLE = {
    DeclarationStatus.DRAFT: "secondary",
    DeclarationStatus.DECLARED: "info",
    DeclarationStatus.ACCEPTED: "primary",
    DeclarationStatus.RELEASED: "success",
    DeclarationStatus.CLOSED: "dark",
    DeclarationStatus.REJECTED: "danger",
    DeclarationStatus.FAILED: "warning",
}


def status_badge(declaration: Declaration):
    style = STATUS_STYLE.get(declaration.status, "secondary")
    return format_html(
        '<span class="badge text-bg-{} gw-status" data-status="{}">{}</span>',
        style, declaration.status, declaration.get_status_display(),
    )


def _trade_mode(declaration: Declaration) -> str:
    code = declaration.trade_mode
    return f"{code} {params.code_name('trade-modes', code) or ''}".strip() if code else ""


def _declare(actor: Actor, ids: list[Any]) -> str:  # pragma: no cover - DeclarationList.post answers it
    outcome = services.declare_many(actor, ids)
    return f"申报成功 {len(outcome.declared)} 份, 失败 {len(outcome.failed)} 份"


def _delete(actor: Actor, ids: list[Any]) -> str:
    count = services.delete_declarations(actor, ids)
    return f"已删除 {count} 份报关单"


class DeclarationList(ListPage):
    title = "报关单查询"
    breadcrumbs = (("报关单", None), ("报关单查询", None))
    filters = (
        ChoiceFilter("ie_flag", "进出口", field="ie_flag", choices=IEFlag.choices),
        ChoiceFilter("status", "状态", field="status", choices=DeclarationStatus.choices),
        TextFilter("no", "统一编号/海关编号", fields=("seq_no", "entry_id", "client_seq_no", "internal_no"),
                   placeholder="统一编号/海关编号/客户端编号/企业内部编号"),
        TextFilter("trade", "境内收发货人", fields=("trade_name", "trade_code", "trade_co_scc"),
                   placeholder="名称/10位编码/18位信用代码"),
        TextFilter("bill_no", "提运单号", fields=("bill_no",)),
        DateRangeFilter("created", "录入日期", field="created_at"),
        DateRangeFilter("declared", "申报日期", field="declared_at"),
    )
    columns = (
        Column("seq_no", "统一编号", sortable=True, css_class="text-nowrap small", width=22),
        Column("entry_id", "海关编号", sortable=True, css_class="text-nowrap small", width=22),
        Column("client_seq_no", "客户端编号", sortable=True, css_class="text-nowrap small", width=22),
        Column("ie_flag", "进出口", sortable=True, css_class="text-nowrap"),
        Column("status", "状态", sortable=True, css_class="text-nowrap"),
        Column("trade_name", "境内收发货人", sortable=True, width=30),
        Column("trade_mode", "监管方式", value=_trade_mode, sortable=True, css_class="text-nowrap"),
        Column("bill_no", "提运单号", sortable=True, css_class="text-nowrap"),
        Column("created_at", "录入时间", sortable=True, css_class="text-nowrap", width=18),
        Column("declared_at", "申报时间", sortable=True, css_class="text-nowrap", width=18),
    )
    ordering = ("-created_at", "-id")
    row_actions = (
        RowAction("查看/修改", "declarations:detail", method="get", style="outline-primary"),
        RowAction("复制", "declarations:copy", confirm="复制为新的暂存报关单?"),
        RowAction("打印", "declarations:print", method="get"),
    )
    bulk_actions = (
        BulkAction("declare", "申报", _declare, confirm="确定申报所选报关单?", style="primary", icon="bi-send"),
        BulkAction("delete", "删除", _delete, confirm="确定删除所选暂存报关单?", style="outline-danger",
                   icon="bi-trash"),
    )
    import_spec = "declarations"
    import_label = "Excel导入"
    export_name = "报关单"

    STATUS_COLUMN = 4

    def queryset(self, actor: Actor):
        return services.list_declarations(actor)

    def rows(self, objects, back):
        rows = super().rows(objects, back)
        for row in rows:  # the status as a coloured badge (the Excel export keeps the plain text)
            row.cells[self.STATUS_COLUMN].text = status_badge(row.obj)
        return rows

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        create = reverse("declarations:create")
        context["page_actions"] = [
            {"label": "新增进口", "url": f"{create}?ie=I", "icon": "bi-box-arrow-in-down", "style": "primary"},
            {"label": "新增出口", "url": f"{create}?ie=E", "icon": "bi-box-arrow-up", "style": "primary"},
            *context.get("page_actions", []),
        ]
        return context

    def post(self, request, *args, **kwargs):
        """申报 answers with a page of per-declaration results; other actions as usual."""
        if request.POST.get("action") != "declare":
            return super().post(request, *args, **kwargs)
        wanted = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        ids = sorted(self.get_queryset(self.actor).filter(pk__in=wanted).values_list("pk", flat=True))
        if not ids:
            return super().post(request, *args, **kwargs)  # the base class explains
        outcome = services.declare_many(self.actor, ids)
        found = {d.pk: d for d in self.get_queryset(self.actor).filter(pk__in=ids)}
        results = []
        for pk in ids:
            declaration = found.get(pk)
            if declaration is None:
                continue
            results.append({
                "declaration": declaration,
                "ok": pk in outcome.declared,
                "errors": outcome.failed.get(pk, []),
                "badge": status_badge(declaration),
            })
        return render(request, "declarations/declare_results.html", {
            "page_title": "批量申报结果",
            "breadcrumbs": [("报关单", None), ("报关单查询", request.get_full_path()), ("批量申报结果", None)],
            "results": results,
            "declared": len(outcome.declared),
            "failed": len(outcome.failed),
            "back": request.get_full_path(),
            "editable": EDITABLE,
        })
