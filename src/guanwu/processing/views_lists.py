"""The lists of 加工贸易账册 on the shared ListPage: 企业资质申请, 加工贸易账册, 保税核注清单(进口/出口)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from guanwu.tenancy.context import Actor
from guanwu.ui.lists import BulkAction, ChoiceFilter, Column, DateRangeFilter, ListPage, RowAction, TextFilter

from . import services
from .models import Status
from .views import status_badge


def _delete_applications(actor: Actor, ids: list[Any]) -> str:
    return f"已删除 {services.delete_applications(actor, ids)} 份企业资质申请"


def _delete_books(actor: Actor, ids: list[Any]) -> str:
    return f"已删除 {services.delete_books(actor, ids)} 本账册"


def _delete_inventories(actor: Actor, ids: list[Any]) -> str:
    return f"已删除 {services.delete_inventories(actor, ids)} 份核注清单"


class _StatusBadges(ListPage):
    status_column = 0

    def rows(self, objects, back):
        rows = super().rows(objects, back)
        for row in rows:
            row.cells[self.status_column].text = status_badge(row.obj)
        return rows


class QualificationList(_StatusBadges):
    title = "企业资质申请"
    breadcrumbs = (("加工贸易账册", None), ("数据录入", None), ("企业资质申请", None))
    filters = (
        ChoiceFilter("status", "数据状态", field="status", choices=Status.choices),
        TextFilter("no", "预录入统一编号/企业内部编号", fields=("seq_no", "etps_preent_no", "netwk_etps_arcrp_no")),
        DateRangeFilter("input", "录入日期", field="input_time"),
    )
    columns = (
        Column("status", "数据状态", sortable=True, css_class="text-nowrap"),
        Column("seq_no", "预录入统一编号", sortable=True, link="processing:qualification-detail", css_class="small"),
        Column("etps_preent_no", "企业内部编号", css_class="small"),
        Column("bizop_etpsno", "经营单位编码", sortable=True),
        Column("master_cuscd", "主管海关"),
        Column("qua_typecd", "资质类型"),
        Column("input_time", "录入日期", sortable=True),
        Column("declared_at", "申报时间", sortable=True),
    )
    ordering = ("-created_at", "-id")
    row_actions = (RowAction("查看/修改", "processing:qualification-detail", method="get", style="outline-primary"),)
    bulk_actions = (
        BulkAction(
            "delete",
            "删除",
            _delete_applications,
            confirm="确定删除所选暂存的企业资质申请?",
            style="outline-danger",
            icon="bi-trash",
        ),
    )
    export_name = "企业资质申请"

    def queryset(self, actor: Actor):
        return services.list_applications(actor)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["page_actions"] = [
            {"label": "新增", "url": reverse("processing:qualification-new"), "icon": "bi-plus-lg", "style": "primary"},
            *context.get("page_actions", []),
        ]
        return context


class BookList(_StatusBadges):
    title = "加工贸易账册"
    breadcrumbs = (("加工贸易账册", None), ("数据录入", None), ("加工贸易账册", None))
    filters = (
        ChoiceFilter("status", "数据状态", field="status", choices=Status.choices),
        TextFilter("no", "账册编号/预录入统一编号", fields=("ems_no", "seq_no", "etps_preent_no")),
        DateRangeFilter("input", "录入日期", field="input_time"),
    )
    columns = (
        Column("status", "数据状态", sortable=True, css_class="text-nowrap"),
        Column("ems_no", "账册编号", sortable=True, link="processing:book-detail"),
        Column("seq_no", "预录入统一编号", css_class="small"),
        Column("chg_tms_cnt", "变更次数"),
        Column("change_pending", "变更中"),
        Column("bizop_etps_nm", "经营企业"),
        Column("master_cuscd", "主管海关"),
        Column("finish_valid_date", "结束有效日期", sortable=True),
        Column("input_time", "录入日期", sortable=True),
    )
    ordering = ("-created_at", "-id")
    row_actions = (
        RowAction("查看/修改", "processing:book-detail", method="get", style="outline-primary"),
        RowAction("核销", "processing:book-writeoff", method="get", condition=lambda b, actor: bool(b.ems_no)),
    )
    bulk_actions = (
        BulkAction(
            "delete",
            "删除",
            _delete_books,
            confirm="确定删除所选未申报的账册?",
            style="outline-danger",
            icon="bi-trash",
        ),
    )
    export_name = "加工贸易账册"

    def queryset(self, actor: Actor):
        return services.list_books(actor)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["page_actions"] = [
            {"label": "新增", "url": reverse("processing:book-new"), "icon": "bi-plus-lg", "style": "primary"},
            *context.get("page_actions", []),
        ]
        return context


class InventoryList(_StatusBadges):
    ie = "I"
    filters = (
        ChoiceFilter("status", "数据状态", field="status", choices=Status.choices),
        TextFilter("no", "清单编号/预录入统一编号", fields=("bond_invt_no", "seq_no", "etps_inner_invt_no")),
        TextFilter("putrec_no", "备案编号", fields=("putrec_no",)),
        DateRangeFilter("input", "录入日期", field="input_time"),
    )
    columns = (
        Column("status", "数据状态", sortable=True, css_class="text-nowrap"),
        Column("bond_invt_no", "清单编号", sortable=True, link="processing:inventory-detail"),
        Column("seq_no", "预录入统一编号", css_class="small"),
        Column("etps_inner_invt_no", "企业内部编号", css_class="small"),
        Column("putrec_no", "备案编号", sortable=True),
        Column("supv_modecd", "监管方式"),
        Column("balance_state", "余额状态"),
        Column("input_time", "录入日期", sortable=True),
        Column("declared_at", "申报时间", sortable=True),
    )
    ordering = ("-created_at", "-id")
    row_actions = (RowAction("查看/修改", "processing:inventory-detail", method="get", style="outline-primary"),)
    bulk_actions = (
        BulkAction(
            "delete",
            "删除",
            _delete_inventories,
            confirm="确定删除所选暂存的核注清单?",
            style="outline-danger",
            icon="bi-trash",
        ),
    )

    def queryset(self, actor: Actor):
        return services.list_inventories(actor, impexp_markcd=self.ie)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["page_actions"] = [
            {
                "label": "新增",
                "url": reverse("processing:inventory-new", args=[self.ie]),
                "icon": "bi-plus-lg",
                "style": "primary",
            },
            *context.get("page_actions", []),
        ]
        return context


class ImportInventoryList(InventoryList):
    ie = "I"
    title = export_name = "保税核注清单(进口)"
    breadcrumbs = (("加工贸易账册", None), ("数据录入", None), ("保税核注清单(进口)", None))


class ExportInventoryList(InventoryList):
    ie = "E"
    title = export_name = "保税核注清单(出口)"
    breadcrumbs = (("加工贸易账册", None), ("数据录入", None), ("保税核注清单(出口)", None))


def inventory_list(request, ie: str):
    from django.http import Http404

    view = {"I": ImportInventoryList, "E": ExportInventoryList}.get(ie)
    if view is None:
        raise Http404
    return view.as_view()(request, ie=ie)


qualification_list = QualificationList.as_view()
book_list = BookList.as_view()
