"""商品数据库 and 保税商品库 as declared CRUD modules (``ui.crud``): their lists and the new/edit forms
of the shared form style; the checks are the services'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from guanwu.core.errors import FieldError, ServiceError
from guanwu.declarations.payload import countries_by_meaning
from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.ui.crud import CrudModule
from guanwu.ui.lists import BoundFilter, ChoiceFilter, Column, ListPage, TextFilter

from . import services
from .models import CommoditySource

BREADCRUMB = ("资料中心", None)


def _code(table: str):
    def fmt(value: Any) -> str:
        if not value:
            return ""
        name = params.code_name(table, value)
        return f"{value} {name}" if name else str(value)

    return fmt


def _price(value: Any) -> str:
    return services.price_text(value) or ""


@dataclass(frozen=True)
class PrefixFilter(TextFilter):
    lookup: str = "startswith"


class CommodityList(ListPage):
    title = "商品数据库"
    breadcrumbs = (BREADCRUMB, ("商品数据库", None))
    template_name = "commodities/list.html"
    filters = (
        TextFilter("trade", "境内收发货人名称", fields=("trade_name",)),
        TextFilter("name", "商品名称", fields=("g_name",)),
        PrefixFilter("code", "商品编号", fields=("code_ts",), placeholder="编号前几位"),
        ChoiceFilter("ie_flag", "进出口标志", field="ie_flag", choices=IEFlag.choices),
        ChoiceFilter("source", "来源", field="source", choices=CommoditySource.choices),
        TextFilter("q", "关键字", placeholder="名称/拼音/首字母/品牌型号"),
    )
    columns = (
        Column("code_ts", "商品编号", sortable=True, css_class="font-monospace text-nowrap", width=14),
        Column("g_name", "商品名称", sortable=True, width=24),
        Column("g_model", "规格型号", width=48, css_class="gw-col-model"),
        Column("ie_flag", "进出口", sortable=True, css_class="text-nowrap"),
        Column("trade_name", "境内收发货人", sortable=True, width=26),
        Column("g_unit", "申报单位", format=_code("units"), css_class="text-nowrap"),
        Column("origin_country", "原产国/目的国", format=_code("countries"), css_class="text-nowrap"),
        Column("trade_curr", "币制", css_class="text-nowrap"),
        Column("decl_price", "最近单价", format=_price, sortable=True, css_class="text-end"),
        Column("usage_count", "使用次数", sortable=True, css_class="text-end"),
        Column("last_used_at", "最近使用", sortable=True, css_class="text-nowrap", width=18),
        Column("source", "来源", css_class="text-nowrap"),
    )
    ordering = ("-updated_at", "-id")
    import_spec = "commodities"
    export_name = "商品数据库"

    def apply_filter(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if bound.name == "q":
            return services.filter_keyword(qs, self.actor.enterprise.pk, bound.value)
        return super().apply_filter(qs, bound)


class BondedList(ListPage):
    title = "保税商品库"
    breadcrumbs = (BREADCRUMB, ("保税商品库", None))
    template_name = "commodities/list.html"
    filters = (
        TextFilter("ems_no", "备案号", fields=("ems_no",), lookup="istartswith", placeholder="12位手册/账册号"),
        TextFilter("item_no", "备案序号", fields=("item_no",), lookup="exact"),
        TextFilter("q", "商品名称/料号", fields=("g_name", "part_no")),
        PrefixFilter("code", "商品编号", fields=("code_ts",)),
    )
    columns = (
        Column("ems_no", "备案号", sortable=True, css_class="font-monospace text-nowrap", width=16),
        Column("item_no", "备案序号", sortable=True, css_class="text-end"),
        Column("part_no", "料号", sortable=True, css_class="text-nowrap"),
        Column("code_ts", "商品编号", sortable=True, css_class="font-monospace text-nowrap", width=14),
        Column("g_name", "商品名称", sortable=True, width=24),
        Column("g_model", "规格型号", width=48, css_class="gw-col-model"),
        Column("g_unit", "申报单位", format=_code("units"), css_class="text-nowrap"),
        Column("first_unit", "法定第一单位", format=_code("units"), css_class="text-nowrap"),
        Column("second_unit", "法定第二单位", format=_code("units"), css_class="text-nowrap"),
        Column("origin_country", "原产国", format=_code("countries"), css_class="text-nowrap"),
        Column("decl_price", "单价", format=_price, css_class="text-end"),
        Column("trade_curr", "币制", css_class="text-nowrap"),
    )
    ordering = ("ems_no", "item_no")
    import_spec = "bonded-items"
    strict_template = True  # the seed's 保税商品导入: headers exactly as the template's
    export_name = "保税商品库"

    def apply_filter(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if bound.name == "item_no" and bound.value and not bound.value.isdigit():
            return qs.none()
        return super().apply_filter(qs, bound)


SWAP = {"origin_country": "destination_country", "destination_country": "origin_country"}


class LibraryModule(CrudModule):
    pages = ("list", "create", "edit")
    after_save = "list"
    importable = False  # imports.py: the library's own import with HS-code hints
    form_template = "commodities/form.html"
    edit_label = "编辑"

    def form_title(self, obj: Any) -> str:
        return f"{self.new_label}" if obj is None else f"编辑{self.services.what} {obj}"

    def values(self, obj: Any) -> dict[str, Any]:
        # the form's 原产国/最终目的国 mean what their labels say; an export entry stores them swapped
        return countries_by_meaning(super().values(obj), getattr(obj, "ie_flag", ""))

    def save(self, request: Any, obj: Any, data: dict[str, Any]) -> Any:
        ie_flag = (data.get("ie_flag") or "").upper()
        try:
            return super().save(request, obj, countries_by_meaning(dict(data), ie_flag))
        except ServiceError as exc:
            if exc.status == 422 and ie_flag == "E":  # back to the form's fields by meaning
                exc.errors = [FieldError(SWAP.get(e.field, e.field), e.message) for e in exc.errors]
            raise


class CommodityModule(LibraryModule):
    key, path, title, new_label = "commodity", "commodities", "商品数据库", "新增商品"
    list_class = CommodityList
    delete_confirm = "确定从商品数据库删除所选商品?"
    services = services.COMMODITY_SERVICES


class BondedModule(LibraryModule):
    key, path, title, new_label = "bonded", "bonded-items", "保税商品库", "新增保税商品"
    list_class = BondedList
    services = services.BONDED_SERVICES


COMMODITIES = CommodityModule()
BONDED = BondedModule()
