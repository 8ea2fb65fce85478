"""客户管理 pages: list, new/edit/detail with auxiliary information and business monitoring,
the audit list with the 审核详情 and 操作记录 dialogs. Thin over ``services``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from guanwu.core.errors import ServiceError
from guanwu.core.fields import RowsSpec
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.ui.crud import CrudModule
from guanwu.ui.lists import (
    BulkAction,
    ChoiceFilter,
    Column,
    DateRangeFilter,
    ListPage,
    PageAction,
    PickerFilter,
    RowAction,
    TextFilter,
    datetime_seconds,
    format_value,
    querystring,
    safe_next,
)
from guanwu.ui.responses import actor_required

from . import monitoring, services
from .models import Customer, CustomerStatus

CRUMB = ("资料中心", None)
STATUS_BADGES = {
    CustomerStatus.PENDING: "text-bg-warning",
    CustomerStatus.APPROVED: "text-bg-success",
    CustomerStatus.REJECTED: "text-bg-danger",
}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def country_name(code: str) -> str:
    return params.code_name("countries", code) or code


def _user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# -- 客户列表 ------------------------------------------------------------------------------------


# every field, in the import template's order (re-importable)
EXPORT_COLUMNS = (
    Column("code", "客户代码"),
    *(Column(f.name, f.label, width=f.width, value=(lambda c, f=f: f.display(getattr(c, f.name))) if f.code_table
             else None) for f in services.IMPORT_SPEC),
    Column("status", "客户状态"),
    Column("created_at", "创建时间", width=18),
)


class CustomerList(ListPage):
    title = "客户管理"
    breadcrumbs = (CRUMB, ("客户管理", None))
    filters = (
        TextFilter("q", "客户名称/代码/拼音", fields=("name", "code", "scc", "customs_code", "pinyin", "initials")),
        ChoiceFilter("status", "客户状态", field="status", choices=CustomerStatus.choices),
        TextFilter("contact", "联系人", fields=("contact",)),
        PickerFilter("country", "所属国", field="country", table="countries"),
        DateRangeFilter("created", "创建日期", field="created_at"),
    )
    columns = (
        Column("code", "客户代码", sortable=True, link="datacenter:customer-detail", css_class="font-monospace"),
        Column("name", "客户名称", sortable=True, order_by=("pinyin", "name")),
        Column("scc", "社会信用代码", css_class="font-monospace"),
        Column("customs_code", "海关编码", sortable=True, css_class="font-monospace"),
        Column("contact", "联系人"),
        Column("phone", "联系方式"),
        Column("country", "所属国", value=lambda c: country_name(c.country)),
        Column("status", "客户状态", sortable=True),
        Column("created_at", "创建时间", sortable=True),
    )
    ordering = ("-created_at",)
    page_actions = (PageAction("新增", "datacenter:customer-create", icon="bi-plus-lg"),)
    row_actions = (
        RowAction("详情", "datacenter:customer-detail", method="get"),
        RowAction("编辑", "datacenter:customer-edit", method="get"),
    )
    bulk_actions = (
        BulkAction("delete", "批量删除", services.delete_customers, style="outline-danger",
                   confirm="确定删除所选客户? 删除后客户代码不再使用。"),
    )
    import_spec = "customers"
    export_name = "客户"

    def queryset(self, actor: Actor):
        return services.customers(actor)

    def export(self, request, qs, which, per_page):
        self.columns = EXPORT_COLUMNS  # every field, in the import template's order (re-importable)
        return super().export(request, qs, which, per_page)


# -- 新增 / 编辑 / 详情 -------------------------------------------------------------------------


class CustomerModule(CrudModule):
    """The list and the 新增/编辑 form on the shared views; the detail page (辅助信息, 业务监控),
    delete, 工商信息校验 and 客户审核 are this module's own."""

    key, path, title = "customer", "customers", "客户管理"
    rows_anchor = "aux-{key}"  # 辅助信息 (services.AUX_KINDS): add/edit/delete pages are the shared ones
    services = services.CUSTOMERS
    list_class = CustomerList
    form_template = "customers/form.html"

    def label_of(self, obj: Customer) -> str:
        return obj.name

    def form_title(self, obj: Customer | None) -> str:
        return f"编辑客户 {obj.code}" if obj else "新增客户"

    def form_action(self, obj: Customer | None) -> str:
        return "编辑客户" if obj else "新增客户"

    def initial(self, actor: Actor) -> dict[str, Any]:
        return {"country": "CHN"}

    def posted(self, request: HttpRequest) -> dict[str, Any]:
        return {name: value.strip() for name, value in super().posted(request).items()}

    def saved(self, request: HttpRequest, obj: Customer | None, saved: Customer) -> None:
        status = saved.get_status_display()
        messages.success(request, f"已新增客户 {saved}, 客户状态: {status}" if obj is None
                         else f"客户 {saved.name} 已保存, 客户状态: {status}")
        for warning in getattr(saved, "warnings", []):
            messages.warning(request, warning.message)

    def form_context(self, request: HttpRequest, obj: Customer | None, values: dict[str, Any],
                     errors: dict[str, list[str]]) -> dict[str, Any]:
        verify_url = reverse("datacenter:customer-verify") + (f"?exclude={obj.pk}" if obj else "")
        return {"customer": obj, "approval": services.approval_required(request.actor.enterprise),
                "verify_url": verify_url}

    def detail(self, request: HttpRequest, pk: int) -> HttpResponse:
        actor: Actor = request.actor
        customer = services.get_customer(actor, pk)
        summary = monitoring.business_summary(actor, customer)
        return render(request, "customers/detail.html", {
            "page_title": f"客户详情 {customer.code}", "breadcrumbs": self.crumbs((customer.name, None)),
            "customer": customer, "country_name": country_name(customer.country),
            "badge": STATUS_BADGES.get(customer.status, "text-bg-secondary"),
            "can_delete": services.can_delete(actor, customer),
            "sections": self.row_sections(customer), "summary": summary, "chart": summary.chart(),
            "created_by": _user_name(customer.created_by), "reviewed_by": _user_name(customer.reviewed_by),
        })

    def row_columns(self, rows: RowsSpec) -> Sequence[tuple[str, Any]]:
        if rows.key != "notes":
            return ()
        return (("记录人", lambda note: _user_name(note.created_by)),
                ("记录时间", lambda note: format_value(note.created_at)))

    def delete(self, request: HttpRequest, pk: int) -> HttpResponse:
        customer = services.delete_customer(request.actor, pk)
        messages.success(request, f"已删除客户 {customer}")
        return redirect(self.url_name("list"))


MODULE = CustomerModule()


@require_POST
@actor_required
def customer_verify(request: HttpRequest) -> HttpResponse:
    """工商信息校验 of the form's values without saving (the form's 校验 button, htmx)."""
    exclude = request.GET.get("exclude", "")
    data = {name: request.POST.get(name, "") for name in services.FIELDS}
    exclude_pk = int(exclude) if exclude.isdigit() else None
    errors = services.verify(request.actor, data, exclude_pk=exclude_pk)
    labelled = [(services.CUSTOMER_SPEC[e.field].label if e.field in services.FIELDS else "", e.message)
                for e in errors]
    warnings = [w.message for w in services.verify_warnings(request.actor, data, exclude_pk=exclude_pk)]
    return render(request, "customers/_verify.html", {"errors": labelled, "warnings": warnings})


# -- 客户审核 ------------------------------------------------------------------------------------


class CustomerAudit(ListPage):
    """All customers by status; admins approve or reject in bulk or one by one (审核详情)."""

    title = "客户审核"
    breadcrumbs = (CRUMB, ("客户审核", None))
    template_name = "customers/audit.html"
    select_related = ("created_by", "reviewed_by")
    filters = (*CustomerList.filters[:2], DateRangeFilter("submitted", "提交日期", field="submitted_at"))
    columns = (
        *CustomerList.columns[:3],  # 客户代码, 客户名称, 社会信用代码
        Column("customs_code", "海关编码", css_class="font-monospace"),
        Column("status", "客户状态", sortable=True),
        Column("created_by", "提交人", value=lambda c: _user_name(c.created_by)),
        Column("submitted_at", "提交时间", sortable=True),
        Column("reviewed_by", "审核人", value=lambda c: _user_name(c.reviewed_by)),
        Column("reviewed_at", "审核时间", sortable=True, format=datetime_seconds),
        Column("review_opinion", "审核意见", width=30),
    )
    ordering = ("status_rank", "-submitted_at", "-id")
    row_actions = (
        RowAction("客户审核", "datacenter:customer-review", method="get", admin_only=True,
                  style="outline-primary gw-dialog"),
        RowAction("操作记录", "datacenter:customer-log", method="get", style="outline-secondary gw-dialog"),
    )
    export_name = "客户审核"
    opinion = ""

    @property
    def bulk_actions(self) -> tuple[BulkAction, ...]:  # type: ignore[override]
        def handler(action: str):
            return lambda actor, ids: services.review_many(actor, ids, action, self.opinion)

        return (
            BulkAction("approve", "审核通过", handler("approve"), admin_only=True, style="outline-success",
                       icon="bi-check2-circle"),
            BulkAction("reject", "审核驳回", handler("reject"), admin_only=True, style="outline-danger",
                       icon="bi-x-circle"),
        )

    def queryset(self, actor: Actor):
        return services.customers(actor).annotate(status_rank=Case(
            When(status=CustomerStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField(),
        ))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.opinion = request.POST.get("opinion", "")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        counts = dict.fromkeys(CustomerStatus.values, 0)
        for row in services.customers(self.actor).values("status").order_by().annotate(n=Count("id")):
            counts[row["status"]] = row["n"]
        current = self.request.GET.get("status", "")
        params_ = self.request.GET
        tabs = [{"label": "全部", "count": sum(counts.values()), "url": querystring(params_, status=None),
                 "active": not current, "value": ""}]
        for value, text in CustomerStatus.choices:
            tabs.append({"label": text, "count": counts[value], "url": querystring(params_, status=value),
                         "active": current == value, "value": value})
        context.update(status_tabs=tabs, is_admin=self.actor.is_admin)
        return context


def _dialog(request: HttpRequest, name: str, customer: Customer, context: dict[str, Any],
            status: int = 200) -> HttpResponse:
    """A 客户审核 dialog (审核详情, 操作记录): its body for the list's htmx dialog, else its own page."""
    dialog = _is_htmx(request)
    context.update(customer=customer, dialog=dialog, breadcrumbs=[
        CRUMB, ("客户审核", reverse("datacenter:customer-audit")), (customer.name, None)])
    return render(request, f"customers/{'_' if dialog else ''}{name}.html", context, status=200 if dialog else status)


@actor_required
def customer_review(request: HttpRequest, pk: int) -> HttpResponse:
    """审核详情: the customer's details with 审核意见 and the 审核通过 / 审核驳回 buttons."""
    actor: Actor = request.actor
    customer = services.get_customer(actor, pk)
    back = safe_next(request, reverse("datacenter:customer-audit"))
    error, opinion = "", ""
    if request.method == "POST":
        opinion = request.POST.get("opinion", "")
        try:
            customer = services.review(actor, pk, request.POST.get("action", ""), opinion)
        except ServiceError as exc:
            if exc.status != 422:
                raise
            error = exc.errors[0].message if exc.errors else exc.message
        else:
            messages.success(request, f"客户 {customer.name}: {customer.get_status_display()}")
            if _is_htmx(request):
                return HttpResponse("", headers={"HX-Redirect": back})
            return redirect(back)
    return _dialog(request, "review", customer, {
        "page_title": "审核详情", "country_name": country_name(customer.country), "next": back,
        "can_review": actor.is_admin, "badge": STATUS_BADGES.get(customer.status, ""),
        "action_url": reverse("datacenter:customer-review", args=[customer.pk]), "error": error, "opinion": opinion,
    }, status=422 if error else 200)


@actor_required
def customer_log(request: HttpRequest, pk: int) -> HttpResponse:
    """操作记录: 操作时间, 操作, 客户状态, 操作人, 审核意见."""
    customer = services.get_customer(request.actor, pk)
    logs = list(services.history(request.actor, customer)[:200])
    return _dialog(request, "log", customer, {"page_title": "操作记录", "logs": logs})
