"""The one list page of guanwu: a module's list is a handful of declarations on ``ListPage``.

A module declares *what* to list; the base class owns everything else: tenant scoping,
filtering, sorting, paging ("显示第 1 到第 20 条记录, 总共 135 条记录"), page sizes, bulk
actions, row actions, Excel export (current page / all, streamed in constant memory), the import
button, htmx partial refresh with shareable URLs, and permissions::

    class CustomerList(ListPage):
        title = "客户管理"
        select_related = ("country",)
        filters = (
            TextFilter("q", "客户名称/代码", fields=("name", "code")),
            PickerFilter("country", "国别", field="country_id", table="countries"),
            DateRangeFilter("created", "创建日期", field="created_at"),
        )
        columns = (
            Column("code", "客户代码", sortable=True, link="datacenter:customer-detail"),
            Column("name", "客户名称", sortable=True),
            Column("country__name", "国别"),
            Column("created_at", "创建时间", sortable=True),
        )
        ordering = ("-created_at",)
        bulk_actions = (BulkAction("approve", "审核通过", services.approve_customers, admin_only=True),)
        import_spec = "customers"

        def queryset(self, actor):
            return Customer.objects.all()          # the base class adds enterprise=actor.enterprise

Reads are always tenant-scoped: ``tenant_field`` (default ``"enterprise"``) is applied to
whatever ``queryset`` returns, so forgetting the filter cannot leak rows. A list of global data
(parameter tables) opts out explicitly with ``tenant_field = None``. Ids posted to bulk actions
are re-filtered through the same scoped queryset; foreign ids are silently dropped.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from guanwu.core.errors import ServiceError
from guanwu.tenancy.context import Actor

from .responses import forbidden, no_actor_response, service_error_response

RESULTS_ID = "gw-list-results"
BULK_FORM_ID = "gw-bulk-form"

# --------------------------------------------------------------------------------------------
# Value formatting (table text and Excel cells)
# --------------------------------------------------------------------------------------------


def format_value(value: Any) -> str:
    """Default text of a cell: local times, 是/否 for booleans, blanks for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def datetime_seconds(value: Any) -> str:
    """``2024-05-01 08:30:15``: for logs, where the second matters."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return format_value(value)


def yes_no(yes: str = "是", no: str = "否") -> Callable[[Any], str]:
    """A formatter for booleans with domain words, e.g. ``yes_no("有效", "已移除")``."""

    def fmt(value: Any) -> str:
        if value is None:
            return ""
        return yes if value else no

    return fmt


def resolve(obj: Any, path: str) -> Any:
    """Follow ``user__username`` on an object; choice fields give their Chinese label."""
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        meta = getattr(value, "_meta", None)
        if meta is not None:
            try:
                model_field = meta.get_field(part)
            except FieldDoesNotExist:
                model_field = None
            if model_field is not None and getattr(model_field, "choices", None) and not model_field.is_relation:
                value = getattr(value, f"get_{part}_display")()
                continue
        value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


def model_field(model: type[models.Model], path: str) -> models.Field | None:
    """The model field at the end of an ORM path, or None."""
    current: Any = model
    found = None
    for part in path.split("__"):
        if current is None:
            return None
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        current = found.related_model if found.is_relation else None
    return found


# --------------------------------------------------------------------------------------------
# Declarations
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One table column, also one Excel column with the same header.

    ``field`` is an ORM path (``"user__username"``) read from each row and used for sorting;
    ``value`` computes the raw value instead; ``format`` turns it into text. ``link`` is a URL
    name reversed with the row's pk, or a callable ``row -> url``.
    """

    field: str
    label: str
    sortable: bool = False
    order_by: str | Sequence[str] | None = None
    link: str | Callable[[Any], str | None] | None = None
    value: Callable[[Any], Any] | None = None
    format: Callable[[Any], str] | None = None
    export: bool = True
    css_class: str = ""
    width: int | None = None  # Excel column width in characters
    html: Callable[[Any], str] | None = None  # what the page shows (a badge); the export keeps ``text``

    def raw(self, row: Any) -> Any:
        return self.value(row) if self.value else resolve(row, self.field)

    def text(self, row: Any) -> str:
        raw = self.raw(row)
        return self.format(raw) if self.format else format_value(raw)

    def url(self, row: Any) -> str | None:
        if self.link is None:
            return None
        if callable(self.link):
            return self.link(row)
        return reverse(self.link, args=[row.pk])

    def order_fields(self) -> list[str]:
        if self.order_by is None:
            return [self.field]
        return [self.order_by] if isinstance(self.order_by, str) else list(self.order_by)


@dataclass
class BoundFilter:
    """A filter with the request's values, ready for its template."""

    filter: Filter
    value: str = ""
    values: dict[str, str] = field(default_factory=dict)
    choices: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""

    @property
    def name(self) -> str:
        return self.filter.name

    @property
    def label(self) -> str:
        return self.filter.label

    @property
    def template_name(self) -> str:
        return self.filter.template_name

    @property
    def input_id(self) -> str:
        return f"f-{self.filter.name}"

    @property
    def active(self) -> bool:
        return any(v for v in (self.value, *self.values.values()))


@dataclass(frozen=True)
class Filter:
    """Base of the declarative filters: ``name`` is the query parameter, ``label`` Chinese."""

    name: str
    label: str
    template_name: str = "ui/filters/text.html"

    def params(self) -> list[str]:
        return [self.name]

    def bind(self, data: QueryDict, actor: Actor) -> BoundFilter:
        return BoundFilter(self, value=(data.get(self.name) or "").strip())

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        raise NotImplementedError


@dataclass(frozen=True)
class TextFilter(Filter):
    """Text that any of ``fields`` contains (case-insensitive); other lookups via ``lookup``."""

    fields: tuple[str, ...] = ()
    lookup: str = "icontains"
    placeholder: str = ""

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if not bound.value:
            return qs
        query = Q()
        for path in self.fields or (self.name,):
            query |= Q(**{f"{path}__{self.lookup}": bound.value})
        return qs.filter(query)


@dataclass(frozen=True)
class ChoiceFilter(Filter):
    """Exact match on ``field`` from a fixed list, or from ``choices(actor)`` when callable."""

    field: str = ""
    choices: Sequence[tuple[Any, str]] | Callable[[Actor], Iterable[tuple[Any, str]]] = ()
    template_name: str = "ui/filters/choice.html"

    def bind(self, data: QueryDict, actor: Actor) -> BoundFilter:
        options = self.choices(actor) if callable(self.choices) else self.choices
        choices = [(str(v), str(label)) for v, label in options]
        value = (data.get(self.name) or "").strip()
        if value and value not in {v for v, _ in choices}:
            return BoundFilter(self, choices=choices, error="无效的选项")
        return BoundFilter(self, value=value, choices=choices)

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        return qs.filter(**{self.field or self.name: bound.value}) if bound.value else qs


@dataclass(frozen=True)
class BooleanFilter(Filter):
    """是/否 on a boolean field, with domain words (``yes="有效", no="已移除"``)."""

    field: str = ""
    yes: str = "是"
    no: str = "否"
    template_name: str = "ui/filters/choice.html"

    def bind(self, data: QueryDict, actor: Actor) -> BoundFilter:
        value = (data.get(self.name) or "").strip()
        return BoundFilter(self, value=value if value in {"1", "0"} else "", choices=[("1", self.yes), ("0", self.no)])

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        return qs.filter(**{self.field or self.name: bound.value == "1"}) if bound.value else qs


@dataclass(frozen=True)
class PickerFilter(Filter):
    """A parameter code chosen with the shared Tom Select picker (``<select data-picker>``)."""

    field: str = ""
    table: str = ""
    template_name: str = "ui/filters/picker.html"

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        return qs.filter(**{self.field or self.name: bound.value}) if bound.value else qs


@dataclass(frozen=True)
class DateRangeFilter(Filter):
    """``{name}_from`` .. ``{name}_to``, both inclusive, in local dates (works on datetimes)."""

    field: str = ""
    template_name: str = "ui/filters/daterange.html"

    def params(self) -> list[str]:
        return [f"{self.name}_from", f"{self.name}_to"]

    def bind(self, data: QueryDict, actor: Actor) -> BoundFilter:
        values, error = {}, ""
        for key in ("from", "to"):
            raw = (data.get(f"{self.name}_{key}") or "").strip()
            if not raw:
                values[key] = ""
                continue
            try:
                dt.date.fromisoformat(raw)
            except ValueError:
                values[key], error = "", "日期格式应为 YYYY-MM-DD"
            else:
                values[key] = raw
        return BoundFilter(self, values=values, error=error)

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        path = self.field or self.name
        is_datetime = isinstance(model_field(qs.model, path), models.DateTimeField)
        start, end = bound.values.get("from"), bound.values.get("to")
        if start:
            day = dt.date.fromisoformat(start)
            qs = qs.filter(**{f"{path}__gte": _day_start(day) if is_datetime else day})
        if end:
            day = dt.date.fromisoformat(end)
            if is_datetime:
                qs = qs.filter(**{f"{path}__lt": _day_start(day + dt.timedelta(days=1))})
            else:
                qs = qs.filter(**{f"{path}__lte": day})
        return qs


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class BulkAction:
    """A button over the checked rows: ``handler(actor, ids) -> Chinese message``.

    ``ids`` are only rows of the current enterprise's queryset. Raise ``ServiceError`` to refuse;
    its message is shown and nothing is changed.
    """

    key: str
    label: str
    handler: Callable[[Actor, list[Any]], str]
    admin_only: bool = False
    confirm: str = ""
    style: str = "outline-secondary"
    icon: str = ""


@dataclass(frozen=True)
class RowAction:
    """A per-row button. ``method="post"`` posts ``data`` to ``url_name`` (reversed with the pk)."""

    label: str
    url_name: str
    method: str = "post"
    data: dict[str, str] = field(default_factory=dict)
    admin_only: bool = False
    condition: Callable[[Any, Actor], bool] | None = None
    confirm: str = ""
    style: str = "outline-secondary"


@dataclass(frozen=True)
class PageAction:
    """A button in the page header (e.g. 新增). Hidden when its URL does not resolve."""

    label: str
    url_name: str
    admin_only: bool = False
    icon: str = ""
    style: str = "primary"


# --------------------------------------------------------------------------------------------
# The view
# --------------------------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    url: str | None = None
    css_class: str = ""


@dataclass
class Row:
    pk: Any
    obj: Any
    cells: list[Cell]
    actions: list[dict[str, Any]]
    css_class: str = ""


def querystring(params: QueryDict, **changes: Any) -> str:
    """``?a=1&b=2`` from ``params`` with ``changes`` applied (None or "" removes a key)."""
    query = params.copy()
    query.pop("export", None)
    query.pop("page", None)  # any other change starts again at page 1
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    for key in [k for k, v in query.lists() if not any(v)]:
        query.pop(key)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


class ListPage(View):
    """The shared list view. Subclasses set the declarations below and ``queryset``."""

    title: str = ""
    breadcrumbs: Sequence[tuple[str, str | None]] = ()
    admin_only: bool = False

    tenant_field: str | None = "enterprise"
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()

    filters: Sequence[Filter] = ()
    columns: Sequence[Column] = ()
    ordering: Sequence[str] = ("-pk",)
    page_sizes: Sequence[int] = (10, 20, 50, 100)
    default_page_size: int = 20

    bulk_actions: Sequence[BulkAction] = ()
    row_actions: Sequence[RowAction] = ()
    page_actions: Sequence[PageAction] = ()
    # "选择全部 N 条符合查询条件的记录": a bulk action then takes every row the filters match, up to
    # ``bulk_all_limit`` (more is refused with a message, nothing is changed).
    select_all_matching: bool = True
    bulk_all_limit: int = 5000

    exportable: bool = True
    export_all: bool = True  # False: 导出本页 only (e.g. the cross-tenant public library)
    export_page_label: str = "导出本页"
    export_limit: int = 100_000
    export_name: str = ""

    import_spec: str | None = None
    import_label: str = "导入"
    import_admin_only: bool = False

    template_name: str = "ui/list.html"
    results_template_name: str = "ui/_list_results.html"
    empty_text: str = "没有找到匹配的记录"

    # -- what a module overrides ----------------------------------------------------------

    def queryset(self, actor: Actor) -> QuerySet:
        raise NotImplementedError(f"{type(self).__name__} must define queryset(actor)")

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return context

    # -- request handling -----------------------------------------------------------------

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor = getattr(request, "actor", None)
        if actor is None:
            return no_actor_response(request)
        if self.admin_only and not actor.is_admin:
            return forbidden(request, f"{self.title or '此页面'}需要企业管理员权限")
        self.actor = actor
        try:
            return super().dispatch(request, *args, **kwargs)
        except ServiceError as exc:
            if exc.status in (403, 404):
                return service_error_response(request, exc, fallback_url=request.path)
            raise

    def get_queryset(self, actor: Actor) -> QuerySet:
        """``queryset(actor)`` scoped to the actor's enterprise, with the declared joins."""
        qs = self.queryset(actor)
        if self.tenant_field is not None:
            if model_field(qs.model, self.tenant_field) is None:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}: {qs.model.__name__} has no '{self.tenant_field}'; "
                    "set tenant_field = None for global data"
                )
            qs = qs.filter(**{self.tenant_field: actor.enterprise})
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def filtered_queryset(self, params: QueryDict) -> tuple[QuerySet, list[BoundFilter]]:
        """The scoped queryset with the filters of ``params`` applied (invalid values ignored)."""
        bound = [f.bind(params, self.actor) for f in self.filters]
        qs = self.get_queryset(self.actor)
        for b in bound:
            if not b.error:
                qs = self.apply_filter(qs, b)
        return qs, bound

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        qs, bound = self.filtered_queryset(request.GET)
        sort = self._sort(request.GET)
        qs = qs.order_by(*self._order(sort))
        per_page = self._per_page(request.GET)

        export = request.GET.get("export")
        if export == "all" and not self.export_all:
            export = "page"
        if export in {"page", "all"} and self.exportable:
            return self.export(request, qs, export, per_page)

        paginator = Paginator(qs, per_page)
        page = paginator.get_page(request.GET.get("page"))
        context = self._context(request, bound, page, sort, per_page)
        partial = (
            request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-Target") == RESULTS_ID
            and not request.headers.get("HX-History-Restore-Request")
        )
        template = self.results_template_name if partial else self.template_name
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor = self.actor
        back = request.get_full_path()
        action = next((a for a in self.bulk_actions if a.key == request.POST.get("action")), None)
        if action is None:
            messages.error(request, "未知的批量操作")
            return redirect(back)
        if action.admin_only and not actor.is_admin:
            return forbidden(request, f"{action.label}需要企业管理员权限")
        if self.select_all_matching and request.POST.get("all_matching") == "1":
            # every row the list's filters (the query string of the page it was posted from) match
            qs, _bound = self.filtered_queryset(request.GET)
            ids = sorted(qs.values_list("pk", flat=True)[: self.bulk_all_limit + 1])
            if len(ids) > self.bulk_all_limit:
                messages.error(request, f"符合查询条件的记录超过 {self.bulk_all_limit} 条, 请缩小查询范围后再操作")
                return redirect(back)
            if not ids:
                messages.warning(request, "没有符合查询条件的记录")
                return redirect(back)
        else:
            wanted = []
            for raw in request.POST.getlist("ids"):
                try:
                    wanted.append(int(raw))
                except ValueError:
                    continue
            if not wanted:
                messages.warning(request, "请先勾选要操作的记录")
                return redirect(back)
            ids = sorted(self.get_queryset(actor).filter(pk__in=wanted).values_list("pk", flat=True))
            if not ids:
                messages.error(request, "所选记录不存在或无权访问")
                return redirect(back)
        try:
            message = action.handler(actor, ids)
        except ServiceError as exc:
            return service_error_response(request, exc, fallback_url=back)
        messages.success(request, message or f"{action.label}: 已处理 {len(ids)} 条记录")
        return redirect(back)

    # -- pieces ---------------------------------------------------------------------------

    def apply_filter(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        return bound.filter.apply(qs, bound)

    def _sortable(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.sortable}

    def _sort(self, params: QueryDict) -> str:
        sort = (params.get("sort") or "").strip()
        return sort if sort.lstrip("-") in self._sortable() else ""

    def _order(self, sort: str) -> list[str]:
        if sort:
            desc = sort.startswith("-")
            fields = self._sortable()[sort.lstrip("-")].order_fields()
            order = [f"-{f}" if desc else f for f in fields]
        else:
            order = list(self.ordering)
        if not any(o.lstrip("-") in {"pk", "id"} for o in order):
            order.append("-pk" if order and order[-1].startswith("-") else "pk")  # stable paging
        return order

    def _per_page(self, params: QueryDict) -> int:
        try:
            value = int(params.get("per_page") or self.default_page_size)
        except ValueError:
            return self.default_page_size
        return value if value in self.page_sizes else self.default_page_size

    def _visible_bulk_actions(self) -> list[BulkAction]:
        return [a for a in self.bulk_actions if self.actor.is_admin or not a.admin_only]

    def _row_actions(self, obj: Any, back: str) -> list[dict[str, Any]]:
        out = []
        for action in self.row_actions:
            if action.admin_only and not self.actor.is_admin:
                continue
            if action.condition is not None and not action.condition(obj, self.actor):
                continue
            out.append({
                "label": action.label, "url": reverse(action.url_name, args=[obj.pk]), "method": action.method,
                "data": action.data, "confirm": action.confirm, "style": action.style, "next": back,
            })
        return out

    def row_class(self, obj: Any) -> str:
        """CSS class of a row (e.g. ``table-warning`` for one that needs attention)."""
        return ""

    def rows(self, objects: Iterable[Any], back: str) -> list[Row]:
        return [
            Row(
                pk=obj.pk,
                obj=obj,
                cells=[Cell(c.html(obj) if c.html else c.text(obj), c.url(obj), c.css_class) for c in self.columns],
                actions=self._row_actions(obj, back) if self.row_actions else [],
                css_class=self.row_class(obj),
            )
            for obj in objects
        ]

    def import_url(self) -> str | None:
        if not self.import_spec or (self.import_admin_only and not self.actor.is_admin):
            return None
        try:
            return reverse("imports:upload", args=[self.import_spec])
        except NoReverseMatch:
            return None

    def _page_actions(self) -> list[dict[str, str]]:
        out = []
        for action in self.page_actions:
            if action.admin_only and not self.actor.is_admin:
                continue
            try:
                url = reverse(action.url_name)
            except NoReverseMatch:
                continue
            out.append({"label": action.label, "url": url, "icon": action.icon, "style": action.style})
        return out

    def _context(
        self, request: HttpRequest, bound: list[BoundFilter], page: Page, sort: str, per_page: int
    ) -> dict[str, Any]:
        params = request.GET
        back = request.get_full_path()
        total = page.paginator.count
        if total:
            summary = f"显示第 {page.start_index()} 到第 {page.end_index()} 条记录, 总共 {total} 条记录"
        else:
            summary = self.empty_text
        headers = []
        for column in self.columns:
            header = {"label": column.label, "sortable": column.sortable, "css_class": column.css_class}
            if column.sortable:
                direction = "asc" if sort == column.field else "desc" if sort == f"-{column.field}" else ""
                header["direction"] = direction
                header["url"] = querystring(params, sort=f"-{column.field}" if direction == "asc" else column.field)
            headers.append(header)
        bulk_actions = self._visible_bulk_actions()
        return self.get_context_data(
            view=self,
            page_title=self.title,
            breadcrumbs=list(self.breadcrumbs) or [(self.title, None)],
            list_path=request.path,
            results_id=RESULTS_ID,
            bulk_form_id=BULK_FORM_ID,
            filters=bound,
            filters_active=any(b.active for b in bound),
            filter_state={"sort": sort, "per_page": per_page if per_page != self.default_page_size else ""},
            headers=headers,
            rows=self.rows(page.object_list, back),
            page=page,
            summary=summary,
            total=total,
            page_links=_page_links(page, params),
            page_sizes=[
                {"size": n, "url": querystring(params, per_page=n if n != self.default_page_size else None),
                 "current": n == per_page}
                for n in self.page_sizes
            ],
            bulk_actions=bulk_actions,
            has_row_actions=bool(self.row_actions),
            selectable=bool(bulk_actions),
            select_all_matching=bool(bulk_actions) and self.select_all_matching and total > len(page.object_list),
            export_page_url=querystring(params, export="page", page=params.get("page")) if self.exportable else None,
            export_all_url=querystring(params, export="all") if self.exportable and self.export_all else None,
            export_page_label=self.export_page_label,
            export_limit=self.export_limit,
            import_url=self.import_url(),
            import_label=self.import_label,
            page_actions=self._page_actions(),
            column_count=len(self.columns) + bool(bulk_actions) + bool(self.row_actions),
            back=back,
        )

    # -- Excel ------------------------------------------------------------------------------

    def export(self, request: HttpRequest, qs: QuerySet, which: str, per_page: int) -> HttpResponse:
        if which == "page":
            rows: Iterable[Any] = Paginator(qs, per_page).get_page(request.GET.get("page")).object_list
        else:
            total = qs.count()
            if total > self.export_limit:
                messages.error(request, (
                    f"符合条件的记录共 {total} 条, 超过单次导出上限 {self.export_limit} 条, 请缩小查询范围后再导出"
                ))
                return redirect(f"{request.path}{querystring(request.GET)}")
            rows = qs.iterator(chunk_size=2000)
        suffix = "本页" if which == "page" else "全部"
        return xlsx_response(self.export_name or self.title or "导出", [c for c in self.columns if c.export], rows,
                             suffix)


def xlsx_response(name: str, columns: Sequence[Column], rows: Iterable[Any], suffix: str) -> FileResponse:
    """An Excel download of ``rows`` under ``columns``: ``{name}_{suffix}_{time}.xlsx``."""
    handle = write_xlsx(name, columns, rows)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}_{suffix}_{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _page_links(page: Page, params: QueryDict) -> list[dict[str, Any]]:
    """First, previous, a window of numbers, next, last: each with its URL (None = disabled)."""
    paginator, number = page.paginator, page.number
    links: list[dict[str, Any]] = []
    if paginator.num_pages <= 1:
        return links

    def url(n: int) -> str:
        return querystring(params, page=n if n != 1 else None)

    links.append({"label": "«", "title": "首页", "url": url(1) if number > 1 else None})
    links.append({"label": "‹", "title": "上一页", "url": url(number - 1) if page.has_previous() else None})
    for n in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1):
        if n == paginator.ELLIPSIS:
            links.append({"label": "…", "url": None})
        else:
            links.append({"label": str(n), "url": url(n), "current": n == number})
    links.append({"label": "›", "title": "下一页", "url": url(number + 1) if page.has_next() else None})
    last = paginator.num_pages
    links.append({"label": "»", "title": "末页", "url": url(last) if number < last else None})
    return links


def excel_value(column: Column, row: Any) -> Any:
    """A typed Excel value: numbers stay numbers, local datetimes stay dates; the rest is text."""
    if column.format is not None:
        return column.text(row)
    raw = column.raw(row)
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, int | float):
        return raw
    if isinstance(raw, Decimal):
        return float(raw) if raw.is_finite() else str(raw)
    if isinstance(raw, dt.datetime):
        return (timezone.localtime(raw) if timezone.is_aware(raw) else raw).replace(tzinfo=None)
    if isinstance(raw, dt.date):
        return raw
    return str(raw)


def write_xlsx(sheet_name: str, columns: Sequence[Column], rows: Iterable[Any]):
    """Write rows to a temporary .xlsx in constant memory; return the open file at offset 0."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse streams and closes it
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet(_sheet_name(sheet_name))
    header = workbook.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width or max(10, min(40, len(column.label) * 2 + 4)))
        sheet.write_string(0, col, column.label, header)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for col, column in enumerate(columns):
            value = excel_value(column, row)
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, col, value, datetime_format)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, col, value, date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, col, value)
            elif value != "":
                sheet.write_string(r, col, value)
    workbook.close()
    handle.seek(0)
    return handle


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return (cleaned or "Sheet1")[:31]


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The posted ``next`` when it stays on this site, else ``fallback``."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return fallback
