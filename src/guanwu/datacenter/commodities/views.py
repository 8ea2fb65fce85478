"""Pages of the 商品数据库 and the 保税商品库: lists on the shared ListPage, new/edit forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.urls import reverse

from guanwu.core.errors import FieldError, ServiceError
from guanwu.declarations.payload import countries_by_meaning
from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.tenancy.context import Actor
from guanwu.ui.lists import (
    BoundFilter,
    BulkAction,
    ChoiceFilter,
    Column,
    ListPage,
    PageAction,
    RowAction,
    TextFilter,
)
from guanwu.ui.responses import actor_required, apply_service_errors

from . import services
from .forms import BondedForm, CommodityForm, selected_options
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
    return format(value.normalize(), "f") if value is not None else ""


@dataclass(frozen=True)
class PrefixFilter(TextFilter):
    lookup: str = "startswith"


def _delete_commodities(actor: Actor, ids: list[Any]) -> str:
    return f"已删除 {services.delete_commodities(actor, ids)} 个商品"


def _delete_bonded(actor: Actor, ids: list[Any]) -> str:
    return f"已删除 {services.delete_bonded(actor, ids)} 项保税商品"


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
    page_actions = (PageAction("新增商品", "datacenter:commodity-create", icon="bi-plus-lg"),)
    row_actions = (RowAction("编辑", "datacenter:commodity-edit", method="get", style="outline-primary"),)
    bulk_actions = (
        BulkAction("delete", "删除", _delete_commodities, confirm="确定从商品数据库删除所选商品?",
                   style="outline-danger", icon="bi-trash"),
    )
    import_spec = "commodities"
    export_name = "商品数据库"

    def queryset(self, actor: Actor):
        return services.commodities(actor)

    def apply_filter(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if bound.name == "q":
            return services.filter_keyword(qs, self.actor.enterprise.pk, bound.value)
        return super().apply_filter(qs, bound)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["template_url"] = reverse("imports:template", args=["commodities"])
        return context


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
    page_actions = (PageAction("新增保税商品", "datacenter:bonded-create", icon="bi-plus-lg"),)
    row_actions = (RowAction("编辑", "datacenter:bonded-edit", method="get", style="outline-primary"),)
    bulk_actions = (
        BulkAction("delete", "删除", _delete_bonded, confirm="确定删除所选保税商品?", style="outline-danger",
                   icon="bi-trash"),
    )
    import_spec = "bonded-items"
    export_name = "保税商品库"

    def queryset(self, actor: Actor):
        return services.bonded_items(actor)

    def apply_filter(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if bound.name == "item_no" and bound.value and not bound.value.isdigit():
            return qs.none()
        return super().apply_filter(qs, bound)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["template_url"] = reverse("imports:template", args=["bonded-items"])
        context["strict_template"] = True
        return context


commodity_list = CommodityList.as_view()
bonded_list = BondedList.as_view()


def _form_page(request, *, form_class, obj, create, update, fields, title: str, list_name: str, kind: str,
               list_label: str):
    actor: Actor = request.actor
    initial = {f: getattr(obj, f) for f in fields} if obj is not None else {}
    if obj is not None and initial.get("decl_price") is not None:
        initial["decl_price"] = _price(initial["decl_price"])
    # the form's 原产国/最终目的国 mean what their labels say; an export entry stores them swapped
    initial = countries_by_meaning(initial, getattr(obj, "ie_flag", ""))
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = countries_by_meaning(dict(form.cleaned_data), (form.cleaned_data.get("ie_flag") or "").upper())
        try:
            saved = create(actor, data) if obj is None else update(actor, obj.pk, data)
        except ServiceError as exc:
            if exc.status != 422:
                raise
            if data.get("ie_flag", "").upper() == "E":  # back to the form's fields by meaning
                swap = {"origin_country": "destination_country", "destination_country": "origin_country"}
                exc.errors = [FieldError(swap.get(e.field, e.field), e.message) for e in exc.errors]
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{kind}「{saved}」已保存")
            if "add_another" in request.POST:
                return redirect(request.path)
            return redirect(list_name)
    selected_options(form)
    list_url = reverse(list_name)
    return render(request, "commodities/form.html", {
        "page_title": title,
        "breadcrumbs": [BREADCRUMB, (list_label, list_url), (title, None)],
        "form": form, "obj": obj, "list_url": list_url, "required": form.required_fields,
    }, status=422 if form.errors else 200)


@actor_required
def commodity_create(request):
    return _form_page(request, form_class=CommodityForm, obj=None, create=services.create_commodity,
                      update=services.update_commodity, fields=services.COMMODITY_INPUT, title="新增商品",
                      list_name="datacenter:commodity-list", kind="商品", list_label="商品数据库")


@actor_required
def commodity_edit(request, pk: int):
    obj = services.get_commodity(request.actor, pk)
    return _form_page(request, form_class=CommodityForm, obj=obj, create=services.create_commodity,
                      update=services.update_commodity, fields=services.COMMODITY_INPUT, title=f"编辑商品 {obj}",
                      list_name="datacenter:commodity-list", kind="商品", list_label="商品数据库")


@actor_required
def bonded_create(request):
    return _form_page(request, form_class=BondedForm, obj=None, create=services.create_bonded,
                      update=services.update_bonded, fields=services.BONDED_INPUT, title="新增保税商品",
                      list_name="datacenter:bonded-list", kind="保税商品", list_label="保税商品库")


@actor_required
def bonded_edit(request, pk: int):
    obj = services.get_bonded(request.actor, pk)
    return _form_page(request, form_class=BondedForm, obj=obj, create=services.create_bonded,
                      update=services.update_bonded, fields=services.BONDED_INPUT, title=f"编辑保税商品 {obj}",
                      list_name="datacenter:bonded-list", kind="保税商品", list_label="保税商品库")
