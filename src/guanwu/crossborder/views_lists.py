"""The list pages of 跨境电商B2B出口 on the shared ListPage (seed 003).

订单申报 / 清单申报: query by 商品批次号, 订单编号, 日期 and 状态, check rows, 提交海关.
订单查询 / 清单查询 / 汇总申请单查询: the same query, the 订单编号 (清单: 订单号) opens the
read-only detail. The receipts show in Chinese (returnStatus as its meaning, returnInfo as sent).
Reads go through the services' querysets; every write is a service call.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.html import format_html

from guanwu.tenancy.context import Actor
from guanwu.ui.lists import BulkAction, ChoiceFilter, Column, DateRangeFilter, ListPage, PageAction, TextFilter

from . import codes, services
from .models import SUBMITTABLE, CebStatus, ExportList, Order, OrderType, Summary

SECTION = "跨境电商B2B出口"
STATUS_STYLE = {
    CebStatus.DRAFT: "secondary", CebStatus.SENT: "info", CebStatus.ACCEPTED: "primary",
    CebStatus.HELD: "warning", CebStatus.RELEASED: "success", CebStatus.CLOSED: "success",
    CebStatus.SUMMARIZED: "success", CebStatus.REJECTED: "danger", CebStatus.FAILED: "danger",
    CebStatus.RETURNED: "dark",
}
SUBMITTABLE_VALUES = ",".join(sorted(str(s) for s in SUBMITTABLE))


def status_badge(row: Any) -> str:
    """The status as a badge (detail pages)."""
    style = STATUS_STYLE.get(row.status, "secondary")
    return format_html('<span class="badge text-bg-{} gw-status" data-status="{}">{}</span>', style, row.status,
                       row.get_status_display())


class CebListPage(ListPage):
    """A list of CEB documents: a row customs refused stands out."""

    def row_class(self, obj: Any) -> str:
        return "table-danger" if obj.status in (CebStatus.REJECTED, CebStatus.FAILED) else ""


def receipt_text(row: Any) -> str:
    """回执: the returnStatus in Chinese with its code, then the returnInfo as customs wrote it."""
    if not row.return_status:
        return ""
    return f"{row.return_status_text}[{row.return_status}]"


def submit_message(outcome: services.SubmitOutcome, noun: str) -> str:
    message = f"已提交海关 {len(outcome.sent)} 份{noun}"
    if outcome.skipped:
        message += f", {len(outcome.skipped)} 份已申报未重复发送"
    return message


def declare_actions(submit: Callable[[Actor, list[Any]], services.SubmitOutcome],
                    delete: Callable[[Actor, list[Any]], int], noun: str, *,
                    delete_note: str = "") -> tuple[BulkAction, BulkAction]:
    """提交海关 and 删除 of the checked rows of a 申报 page."""
    return (
        BulkAction("submit", "提交海关", lambda actor, ids: submit_message(submit(actor, ids), noun),
                   style="primary", icon="bi-send", confirm=f"确定将所选{noun}提交海关?"),
        BulkAction("delete", "删除", lambda actor, ids: f"已删除 {delete(actor, ids)} 份{noun}",
                   style="outline-danger", icon="bi-trash", confirm=f"确定删除所选{noun}?{delete_note}"),
    )


def number_text(value: Any) -> str:
    """A decimal as written (``160.00000`` -> ``160``, ``64.995`` stays)."""
    if value is None:
        return ""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _status_filter(label: str = "状态") -> ChoiceFilter:
    return ChoiceFilter("status", label, field="status", choices=tuple(CebStatus.choices))


class SubmittableFilter(ChoiceFilter):
    """状态 of the 申报 pages: 可申报 (待申报, 海关退单, 申报失败) by default choice, or one status."""

    def apply(self, qs: QuerySet, bound) -> QuerySet:
        if bound.value == "submittable":
            return qs.filter(status__in=SUBMITTABLE)
        return super().apply(qs, bound)


RECEIPT_COLUMNS = (
    Column("status", "状态", sortable=True),
    Column("return_status", "回执状态", value=receipt_text),
    Column("return_info", "回执信息", css_class="small text-wrap"),
)


# -- orders ----------------------------------------------------------------------------------------


class OrderListBase(CebListPage):
    order_type = OrderType.B2B
    noun = "订单"
    select_related = ("batch",)
    ordering = ("-created_at",)
    import_url_name = ""

    def queryset(self, actor: Actor) -> QuerySet:
        return services.list_orders(actor, order_type=self.order_type)

    @property
    def filters(self):  # type: ignore[override]
        return (
            TextFilter("batch_no", "商品批次号", fields=("batch__batch_no",)),
            TextFilter("order_no", f"{self.noun}编号", fields=("order_no",)),
            DateRangeFilter("created", "导入日期", field="created_at"),
            self.status_filter(),
        )

    def status_filter(self) -> ChoiceFilter:
        return _status_filter()

    @property
    def columns(self):  # type: ignore[override]
        warehouse = self.order_type == OrderType.WAREHOUSE
        return (
            Column("order_no", f"{self.noun}编号", sortable=True, link="crossborder:order-detail",
                   css_class="text-nowrap"),
            Column("batch__batch_no", "商品批次号", sortable=True),
            Column("ebp_name", "海外仓名称" if warehouse else "电商平台名称"),
            Column("ebc_name", "电商企业名称"),
            Column("goods_value", "商品金额", css_class="text-end", format=number_text),
            Column("currency", "币制", format=lambda c: codes.display(codes.CURRENCY, c)),
            *RECEIPT_COLUMNS,
            Column("sent_at", "申报时间", sortable=True),
            Column("created_at", "导入时间", sortable=True),
        )


class OrderDeclareBase(OrderListBase):
    """订单申报: query, check, 提交海关 (CEB303)."""

    def status_filter(self) -> ChoiceFilter:
        return SubmittableFilter("status", "状态", field="status",
                                 choices=(("submittable", "可申报"), *CebStatus.choices))

    @property
    def bulk_actions(self):  # type: ignore[override]
        return declare_actions(services.submit_orders, services.delete_orders, self.noun)

    @property
    def page_actions(self):  # type: ignore[override]
        return (PageAction("导入订单", self.import_url_name, icon="bi-upload", style="outline-primary"),)


class Order9710Query(OrderListBase):
    title = "9710出口订单 · 订单查询"
    breadcrumbs = ((SECTION, None), ("9710出口订单管理", None), ("订单查询", None))
    export_name = "9710出口订单"


class Order9710Declare(OrderDeclareBase):
    title = "9710出口订单 · 订单申报"
    breadcrumbs = ((SECTION, None), ("9710出口订单管理", None), ("订单申报", None))
    export_name = "9710出口订单"
    import_url_name = "crossborder:order-9710-import"


class Order9810Query(OrderListBase):
    order_type = OrderType.WAREHOUSE
    noun = "订仓单"
    title = "9810出口订仓单 · 订单查询"
    breadcrumbs = ((SECTION, None), ("9810出口订仓单管理", None), ("订单查询", None))
    export_name = "9810出口订仓单"


class Order9810Declare(OrderDeclareBase):
    order_type = OrderType.WAREHOUSE
    noun = "订仓单"
    title = "9810出口订仓单 · 订单申报"
    breadcrumbs = ((SECTION, None), ("9810出口订仓单管理", None), ("订单申报", None))
    export_name = "9810出口订仓单"
    import_url_name = "crossborder:order-9810-import"


# -- export lists ----------------------------------------------------------------------------------


class ListQuery(CebListPage):
    """清单查询: the 订单号 opens the list's read-only detail (seed 003 三, step 9)."""

    title = "出口清单 · 清单查询"
    breadcrumbs = ((SECTION, None), ("出口清单管理", None), ("清单查询", None))
    export_name = "出口清单"
    select_related = ("batch",)
    ordering = ("-created_at",)
    columns = (
        Column("order_no", "订单号", sortable=True, link="crossborder:list-detail", css_class="text-nowrap"),
        Column("batch__batch_no", "商品批次号", sortable=True),
        Column("logistics_no", "物流运单编号"),
        Column("invt_no", "海关清单编码"),
        Column("trade_mode", "贸易方式"),
        Column("ie_date", "出口日期", sortable=True),
        Column("country", "运抵国(地区)", format=lambda c: codes.display(codes.COUNTRY, c)),
        *RECEIPT_COLUMNS,
        Column("sent_at", "申报时间", sortable=True),
    )

    def queryset(self, actor: Actor) -> QuerySet:
        return services.list_lists(actor)

    def status_filter(self) -> ChoiceFilter:
        return _status_filter()

    @property
    def filters(self):  # type: ignore[override]
        return (
            TextFilter("batch_no", "商品批次号", fields=("batch__batch_no",)),
            TextFilter("order_no", "订单编号", fields=("order_no",)),
            TextFilter("no", "清单/运单编号", fields=("invt_no", "logistics_no", "cop_no")),
            DateRangeFilter("ie_date", "出口日期", field="ie_date"),
            ChoiceFilter("trade_mode", "贸易方式", field="trade_mode", choices=(("9710", "9710"), ("9810", "9810"))),
            self.status_filter(),
        )

    @property
    def bulk_actions(self):  # type: ignore[override]
        return (BulkAction("summary", "生成汇总申请单", summarise_lists, icon="bi-collection",
                           confirm="用所选已放行清单生成一份汇总申请单?"),)


def summarise_lists(actor: Actor, ids: list[Any]) -> str:
    summary = services.create_summary_from_lists(actor, ids)
    return f"已生成汇总申请单 {summary.cop_no} (含 {len(ids)} 份清单), 在汇总申请单查询中提交海关"


class ListDeclare(ListQuery):
    """清单申报: query, check, 提交海关 (CEB603)."""

    title = "出口清单 · 清单申报"
    breadcrumbs = ((SECTION, None), ("出口清单管理", None), ("清单申报", None))
    page_actions = (PageAction("清单导入", "crossborder:list-import", icon="bi-upload", style="outline-primary"),)

    def status_filter(self) -> ChoiceFilter:
        return SubmittableFilter("status", "状态", field="status",
                                 choices=(("submittable", "可申报"), *CebStatus.choices))

    @property
    def bulk_actions(self):  # type: ignore[override]
        return declare_actions(services.submit_lists, services.delete_lists, "清单",
                               delete_note=" 只能删除待申报或申报失败的")


# -- summaries -------------------------------------------------------------------------------------


class SummaryQuery(CebListPage):
    title = "汇总申请单 · 查询"
    breadcrumbs = ((SECTION, None), ("汇总申请单", None), ("查询", None))
    export_name = "汇总申请单"
    select_related = ("batch",)
    ordering = ("-created_at",)
    filters = (
        TextFilter("batch_no", "商品批次号", fields=("batch__batch_no",)),
        TextFilter("no", "汇总申请编号/企业唯一编号", fields=("sum_no", "cop_no")),
        DateRangeFilter("created", "创建日期", field="created_at"),
        _status_filter(),
    )
    columns = (
        Column("cop_no", "企业唯一编号", sortable=True, link="crossborder:summary-detail"),
        Column("batch__batch_no", "商品批次号", sortable=True),
        Column("sum_no", "汇总申请编号"),
        Column("ebc_name", "收发货人名称"),
        Column("lines", "清单数", value=lambda s: s.line_count, css_class="text-end", export=False),
        *RECEIPT_COLUMNS,
        Column("entry_id", "报关单编号"),
        Column("created_at", "创建时间", sortable=True),
    )
    page_actions = (PageAction("导入", "crossborder:summary-import", icon="bi-upload", style="outline-primary"),)
    bulk_actions = declare_actions(services.submit_summaries, services.delete_summaries, "汇总申请单")

    def queryset(self, actor: Actor) -> QuerySet:
        from django.db.models import Count

        return services.list_summaries(actor).annotate(line_count=Count("lines"))


__all__ = [
    "ExportList", "ListDeclare", "ListQuery", "Order", "Order9710Declare", "Order9710Query", "Order9810Declare",
    "Order9810Query", "Summary", "SummaryQuery", "receipt_text", "status_badge",
]
