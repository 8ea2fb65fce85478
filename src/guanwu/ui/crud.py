"""Declared CRUD modules: one class says what a module is, the mechanism builds the rest.

A module declares its model's services (an ``audit.records.RecordService``, which holds the
``FieldSpec``), its list page (``ui.lists`` columns and filters), its detail sections and its
import columns; it gets from that the URLs (list, new, detail, edit, delete, attachment), the
menu entry, the create/edit form (one style: ``ui/crud_form.html`` from the field spec), the
detail page with the operation log, the Excel export (the list's columns) and import (the
spec's columns, saved through the same service) and the django-ninja router with schemas
derived from the spec::

    class QualificationModule(CrudModule):
        key = "qualification"                  # URL names qualification-list, -detail, ...
        path = "qualifications"                # /datacenter/qualifications/, /api/v1/qualifications
        title = "企业资质"
        menu = ("datacenter", "许可证管理")     # menu section, placed after this entry
        services = QualificationServices()
        columns = (Column("cert_no", "证书编号", sortable=True), ...)   # default: the spec's fields
        filters = (TextFilter("q", "证书编号/发证机关", fields=("cert_no", "issuer")),)
        sections = (("资质信息", ("qual_type", "cert_no", "issuer")), ("有效期", ("valid_from", "valid_to")))

    MODULE = QualificationModule()            # datacenter/urls.py: *MODULE.urls(); api: MODULE.router()

Child rows declared by the services (``RecordService.rows``) come with the form: ``ui/_rows.html``
(one table per ``RowsSpec``, rows added and removed in the page), read back by ``posted``. A module
with widgets of its own names its own template (``form_template``) and context (``form_context``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_POST
from ninja import Router, Schema, Status

from guanwu.audit.records import RecordService
from guanwu.core import uploads
from guanwu.core.errors import FieldError, ServiceError
from guanwu.core.fields import RowsSpec, body_data
from guanwu.tenancy.context import Actor

from . import menu
from .lists import BulkAction, Column, ListPage, PageAction, RowAction, TextFilter
from .responses import actor_required

ATTACHMENT_BODY = {  # the OpenAPI body of an attachment upload
    "requestBody": {"content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary", "title": "附件文件",
                                "description": "PDF/JPG/PNG/OFD"}},
    }}}},
}


def errors_by_field(exc: ServiceError, default: str = "__all__") -> dict[str, list[str]]:
    """The messages of a 422 by field; one without a field under ``default``."""
    out: dict[str, list[str]] = {}
    for error in exc.errors:
        out.setdefault(error.field or default, []).append(error.message)
    if not exc.errors:
        out[default] = [exc.message]
    return out


class CrudModule:
    key: str = ""
    path: str = ""
    title: str = ""
    namespace: str = "datacenter"
    section: str = "资料中心"
    menu: tuple[str, str] | None = None  # (menu section key, label of the entry to follow)
    services: RecordService
    api_tags: Sequence[str] = ()

    columns: Sequence[Column] = ()
    filters: Sequence[Any] = ()
    ordering: Sequence[str] = ("-created_at", "-id")
    list_class: type[ListPage] = ListPage
    list_template: str = "ui/list.html"
    prefetch_related: Sequence[str] = ()
    sections: Sequence[tuple[str, Sequence[str]]] = ()
    import_overrides: ClassVar[dict[str, dict[str, Any]]] = {}
    import_description: str = ""
    importable: bool = True
    delete_confirm: str = ""
    rows_anchor: str = "rows-{key}"  # the detail page's element of a kind of child rows

    pages: Sequence[str] = ("list", "create", "detail", "edit", "delete")  # a library may have no detail page
    after_save: str = "detail"  # where a saved form goes ("list")
    form_template: str = "ui/crud_form.html"
    detail_template: str = "ui/crud_detail.html"
    new_label: str = "新增"
    edit_label: str = "修改"

    # -- names ----------------------------------------------------------------------------

    def url_name(self, page: str) -> str:
        return f"{self.namespace}:{self.key}-{page}"

    @property
    def spec(self):
        return self.services.spec

    @property
    def import_key(self) -> str:
        return self.path.replace("/", "-")

    def label_of(self, obj: Any) -> str:
        return str(obj)

    def crumbs(self, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
        return [(self.section, None), (self.title, reverse(self.url_name("list"))), *tail]

    # -- list -----------------------------------------------------------------------------

    def list_columns(self) -> Sequence[Column]:
        if self.columns:
            return self.columns
        out = []
        for i, f in enumerate(self.spec):
            if f.kind == "file":
                continue
            out.append(Column(f.name, f.label, sortable=True, value=(lambda o, f=f: f.display(getattr(o, f.name))),
                              order_by=f.name, link=self.url_name("detail") if i == 0 else None, width=f.width,
                              css_class="text-nowrap" if f.kind in ("date", "code") else ""))
        out.append(Column("created_at", "创建时间", sortable=True, css_class="text-nowrap", width=18))
        return out

    def list_filters(self) -> Sequence[Any]:
        if self.filters:
            return self.filters
        names = self.services.search_fields
        label = "/".join(self.spec[n].label for n in names if n in self.spec._by_name)
        return (TextFilter("q", label or "关键字", fields=names),) if names else ()

    def list_view(self):
        module = self
        attrs = {
            "title": self.title, "breadcrumbs": ((self.section, None), (self.title, None)),
            "filters": tuple(self.list_filters()), "columns": tuple(self.list_columns()),
            "ordering": tuple(self.ordering), "prefetch_related": tuple(self.prefetch_related),
            "page_actions": (PageAction(self.new_label, self.url_name("create"), icon="bi-plus-lg"),),
            "row_actions": (RowAction(self.edit_label, self.url_name("edit"), method="get", style="outline-primary"),),
            "bulk_actions": (BulkAction(
                "delete", "删除", module.bulk_delete,
                confirm=self.delete_confirm or f"确定删除所选{self.services.what}?", style="outline-danger",
                icon="bi-trash"),),
            "import_spec": self.import_key if self.importable else None,
            "export_name": self.services.what, "template_name": self.list_template,
            "queryset": lambda view, actor: module.services.queryset(actor),
        }
        own = {k for klass in self.list_class.__mro__ if klass is not ListPage for k in vars(klass)}
        attrs = {k: v for k, v in attrs.items() if k not in own}  # what the module's list class says wins
        return type(f"{type(self).__name__}List", (self.list_class,), attrs).as_view()

    def bulk_delete(self, actor: Actor, ids: list[Any]) -> str:
        return f"已删除 {self.services.delete_many(actor, ids)} 个{self.services.what}"

    # -- form -----------------------------------------------------------------------------

    def initial(self, actor: Actor) -> dict[str, Any]:
        return {}

    def form_title(self, obj: Any) -> str:
        return f"{self.title}{'新增' if obj is None else '修改'}"

    def form_action(self, obj: Any) -> str:
        """The form's last breadcrumb."""
        return "新增" if obj is None else "修改"

    def saved(self, request: HttpRequest, obj: Any, saved: Any) -> None:
        """What the next page says after the form saved ``saved`` (``obj``: None when new)."""
        messages.success(request, f"已{'新增' if obj is None else '保存'}{saved}")

    def values(self, obj: Any) -> dict[str, Any]:
        return {**self.spec.values_of(obj), **{rows.key: rows.values_of(obj) for rows in self.services.rows}}

    def posted(self, request: HttpRequest) -> dict[str, Any]:
        return {**{name: request.POST.get(name, "") for name in self.spec.names()},
                **{rows.key: rows.posted(request.POST) for rows in self.services.rows}}

    def form_context(self, request: HttpRequest, obj: Any, values: dict[str, Any],
                     errors: dict[str, list[str]]) -> dict[str, Any]:
        return {}

    def save(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        attachment = request.FILES.get(self.services.attachment) if self.services.attachment else None
        if obj is None:
            return self.services.create(request.actor, data, attachment)
        return self.services.update(request.actor, obj.pk, data, attachment,
                                    remove_attachment=request.POST.get("remove_attachment") == "1")

    def form(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        actor: Actor = request.actor
        obj = self.services.get(actor, pk) if pk is not None else None
        errors: dict[str, list[str]] = {}
        if request.method == "POST":
            too_large = self.too_large(request)  # the body is not read then
            data = self.posted(request) if too_large is None else (
                self.initial(actor) if obj is None else self.values(obj))
            try:
                if too_large is not None:
                    raise too_large
                saved = self.save(request, obj, data)
            except ServiceError as exc:
                if exc.status != 422:
                    raise
                errors, values = errors_by_field(exc), data
            else:
                self.saved(request, obj, saved)
                if "add_another" in request.POST:
                    return redirect(self.url_name("create"))
                if self.after_save == "list":
                    return redirect(self.url_name("list"))
                return redirect(self.url_name("detail"), saved.pk)
        else:
            values = self.initial(actor) if obj is None else self.values(obj)
        title = self.form_title(obj)
        has_detail = obj is not None and "detail" in self.pages
        tail = [(self.label_of(obj), reverse(self.url_name("detail"), args=[obj.pk]))] if has_detail else []
        action = self.form_action(obj)
        known = set(self.spec.names(files=True)) | {rows.key for rows in self.services.rows}
        context = {
            "page_title": title, "breadcrumbs": self.crumbs(*tail, (action, None)), "module": self, "obj": obj,
            "values": values, "errors": errors, "widgets": self.spec.widgets(values, errors),
            "other_errors": [m for k, msgs in errors.items() if k not in known for m in msgs if "[" not in k],
            "cancel_url": reverse(self.url_name("detail"), args=[obj.pk]) if has_detail
            else reverse(self.url_name("list")),
            "attachment": self._attachment_context(obj),
            "row_sets": [rows.form(values.get(rows.key), errors, obj, f"{self.key}-{rows.key}")
                         for rows in self.services.rows],
        }
        context.update(self.form_context(request, obj, values, errors))
        return render(request, self.form_template, context, status=422 if errors else 200)

    def too_large(self, request: HttpRequest) -> ServiceError | None:
        if not self.services.attachment:
            return None
        error = uploads.request_too_large(request.META.get("CONTENT_LENGTH"))
        if error is None:
            return None
        return ServiceError.fields([FieldError(self.services.attachment, error.message)], error.message)

    def _attachment_context(self, obj: Any) -> dict[str, Any] | None:
        name = self.services.attachment
        if not name:
            return None
        current = getattr(obj, name) if obj is not None else None
        return {
            "name": name, "label": self.spec[name].label if name in self.spec._by_name else "附件",
            "file_name": getattr(obj, f"{name}_name", "") if current else "",
            "size": uploads.human_size(getattr(obj, f"{name}_size", None)) if current else "",
            "url": reverse(self.url_name("attachment"), args=[obj.pk]) if current else "",
            "max_size": uploads.human_size(uploads.max_document_bytes()),
            "accept": ",".join(f".{ext}" for k in self.services.attachment_kinds
                               for ext in uploads.KINDS[k].extensions),
        }

    # -- detail, delete, attachment -------------------------------------------------------

    def detail_sections(self, obj: Any) -> list[dict[str, Any]]:
        sections = self.sections or ((self.spec.title or self.title, self.spec.names()),)
        return [
            {"title": title, "rows": [(self.spec[n].label, self.spec[n].display(getattr(obj, n)) or "—")
                                      for n in names]}
            for title, names in sections
        ]

    def detail_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}

    def detail(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.services.get(request.actor, pk)
        context = {
            "page_title": f"{self.title} {self.label_of(obj)}", "breadcrumbs": self.crumbs((self.label_of(obj), None)),
            "module": self, "obj": obj, "sections": self.detail_sections(obj),
            "status": self.services.status_label(obj), "attachment": self._attachment_context(obj),
            "edit_url": reverse(self.url_name("edit"), args=[obj.pk]),
            "delete_url": reverse(self.url_name("delete"), args=[obj.pk]),
            "list_url": reverse(self.url_name("list")),
        }
        context.update(self.detail_context(request, obj))
        return render(request, self.detail_template, context)

    def delete(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.services.get(request.actor, pk)
        try:
            self.services.delete(request.actor, obj.pk)
        except ServiceError as exc:
            if exc.status != 422:
                raise
            messages.error(request, exc.message)
            return redirect(self.url_name("detail"), obj.pk)
        messages.success(request, f"已删除{obj}")
        return redirect(self.url_name("list"))

    def attachment_response(self, actor: Actor, pk: int, *, inline: bool = False) -> FileResponse:
        obj = self.services.get(actor, pk)
        current = getattr(obj, self.services.attachment)
        if not current:
            raise Http404(f"该{self.title}没有附件")
        kind = uploads.KINDS.get(uploads.extension(current.name)) or uploads.KINDS["pdf"]
        try:
            handle = current.open("rb")
        except FileNotFoundError:
            raise Http404("附件文件不存在") from None
        return FileResponse(handle, as_attachment=not inline,
                            filename=getattr(obj, f"{self.services.attachment}_name") or current.name,
                            content_type=kind.content_type)

    def attachment(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.attachment_response(request.actor, pk, inline=request.GET.get("inline") == "1")

    # -- wiring ---------------------------------------------------------------------------

    def urls(self) -> list[URLPattern]:
        base = f"{self.path}/"
        pages = {
            "list": path(base, self.list_view(), name=f"{self.key}-list"),
            "create": path(f"{base}new/", actor_required(self.form), name=f"{self.key}-create"),
            "detail": path(f"{base}<int:pk>/", actor_required(require_GET(self.detail)), name=f"{self.key}-detail"),
            "edit": path(f"{base}<int:pk>/edit/", actor_required(self.form), name=f"{self.key}-edit"),
            "delete": path(f"{base}<int:pk>/delete/", actor_required(require_POST(self.delete)),
                           name=f"{self.key}-delete"),
        }
        out = [pages[name] for name in self.pages]
        if self.services.attachment:
            out.append(path(f"{base}<int:pk>/attachment/", actor_required(require_GET(self.attachment)),
                            name=f"{self.key}-attachment"))
        for rows in self.services.detail_rows:  # child rows edited one at a time from the detail page
            kw = {"key": rows.key}
            out += [path(f"{base}<int:pk>/{rows.key}/add/", actor_required(self.row_form), kw,
                         name=f"{self.key}-{rows.key}-add"),
                    path(f"{base}<int:pk>/{rows.key}/<int:item>/edit/", actor_required(self.row_form), kw,
                         name=f"{self.key}-{rows.key}-edit"),
                    path(f"{base}<int:pk>/{rows.key}/<int:item>/delete/", actor_required(require_POST(
                        self.row_delete)), kw, name=f"{self.key}-{rows.key}-delete")]
        return out

    # -- child rows edited one at a time (``RecordService.detail_rows``) -------------------

    def rows_url(self, obj: Any, key: str) -> str:
        """Where a row's page returns: the detail page at the rows' tab."""
        return reverse(self.url_name("detail"), args=[obj.pk]) + f"#{self.rows_anchor.format(key=key)}"

    def row_columns(self, rows: RowsSpec) -> Sequence[tuple[str, Any]]:
        """Columns a kind of child rows shows after its fields on the detail page: (label, row -> text)."""
        return ()

    def row_sections(self, obj: Any) -> list[dict[str, Any]]:
        """The detail page's tables of child rows (``services.detail_rows``): cells, the rows'
        edit/delete links and the inline 新增 form's widgets (``cols``: 6 for long text, else 2)."""
        sections = []
        for rows in self.services.detail_rows:
            extra = self.row_columns(rows)
            items = [{"obj": row, "cells": [*(f.display(getattr(row, f.name)) for f in rows.spec),
                                            *(value(row) for _label, value in extra)],
                      "edit_url": reverse(self.url_name(f"{rows.key}-edit"), args=[obj.pk, row.pk]),
                      "delete_url": reverse(self.url_name(f"{rows.key}-delete"), args=[obj.pk, row.pk])}
                     for row in rows.stored(obj)]
            widgets = rows.spec.widgets(rows.spec.defaults(rows.model), {}, prefix=f"{rows.key}_")
            for w in widgets:
                w["cols"] = 6 if w["kind"] == "text" or w["cols"] >= 6 else 2
            sections.append({"kind": rows, "rows": items, "widgets": widgets,
                             "headers": [*(f.label for f in rows.spec), *(label for label, _value in extra)],
                             "add_url": reverse(self.url_name(f"{rows.key}-add"), args=[obj.pk])})
        return sections

    def row_form(self, request: HttpRequest, pk: int, key: str, item: int | None = None) -> HttpResponse:
        """新增/修改 one child row: ``ui/crud_row_form.html`` from the rows' field spec."""
        actor: Actor = request.actor
        rows = self.services.row_spec(key)
        if item is None:
            obj, row = self.services.get(actor, pk), None
            if request.method != "POST":
                return redirect(self.rows_url(obj, key))
        else:
            obj, row = self.services.get_row(actor, pk, key, item)
        values = rows.spec.values_of(row) if row is not None else {}
        errors: dict[str, list[str]] = {}
        if request.method == "POST":
            values = {name: request.POST.get(name, "").strip() for name in rows.spec.names()}
            try:
                if row is None:
                    self.services.add_row(actor, pk, key, values)
                else:
                    self.services.update_row(actor, pk, key, item, values)
            except ServiceError as exc:
                if exc.status != 422:
                    raise
                errors = errors_by_field(exc)
            else:
                messages.success(request, f"已新增{rows.label}" if row is None else f"{rows.label}已保存")
                return redirect(self.rows_url(obj, key))
        title = f"{'新增' if row is None else '修改'}{rows.label}"
        widgets = rows.spec.widgets(values, errors)
        for w in widgets:
            w["cols"] = 12 if w["kind"] == "text" or w["cols"] >= 6 else 6
        return render(request, "ui/crud_row_form.html", {
            "page_title": title, "obj": obj, "widgets": widgets, "action_url": request.path,
            "breadcrumbs": self.crumbs((self.label_of(obj), reverse(self.url_name("detail"), args=[obj.pk])),
                                       (title, None)),
            "other_errors": [m for k, msgs in errors.items() if k not in rows.spec.names() for m in msgs],
            "cancel_url": self.rows_url(obj, key),
        }, status=422 if errors else 200)

    def row_delete(self, request: HttpRequest, pk: int, key: str, item: int) -> HttpResponse:
        obj, _row = self.services.get_row(request.actor, pk, key, item)
        self.services.delete_row(request.actor, pk, key, item)
        messages.success(request, f"已删除{self.services.row_spec(key).label}")
        return redirect(self.rows_url(obj, key))

    def register(self) -> None:
        """Menu entry and Excel import (call once, from the app's ``ready``)."""
        if self.menu:
            menu.add(self.menu[0], menu.MenuItem(self.title, self.url_name("list")), after=self.menu[1])
        if self.importable:
            from guanwu.imports.spec import ImportSpec, columns_from, register

            register(ImportSpec(
                key=self.import_key, title=self.title, columns=columns_from(self.spec, self.import_overrides),
                description=self.import_description, save_each=self.import_record, unit=f"个{self.title}",
                list_url_name=self.url_name("list"), extra={"list_title": self.title},
            ))

    def import_record(self, actor: Actor, record: dict[str, Any]) -> Any:
        return self.services.create(actor, {k: v for k, v in record.items() if v is not None and v != ""})

    # -- API ------------------------------------------------------------------------------

    def api_out(self, obj: Any) -> dict[str, Any]:
        out = self.spec.out(obj)
        out["status_display"] = self.services.status_label(obj)
        if self.services.attachment:
            name = self.services.attachment
            out["attachment_name"] = getattr(obj, f"{name}_name")
            out["attachment_url"] = f"/api/v1/{self.path}/{obj.pk}/attachment" if getattr(obj, name) else None
        out["created_at"], out["updated_at"] = obj.created_at, obj.updated_at
        return out

    def router(self, router: Router | None = None, *, schema_in: type | None = None,
               schema_out: type | None = None, out: Any = None,
               pages: Sequence[str] = ("list", "create", "get", "update", "delete")) -> Router:
        """The module's API: ``/api/v1/<path>`` list (``q``), create, get, update, delete, and the
        attachment's upload/download/delete. A module with its own output or list (filters of
        its own) passes ``schema_out``/``out`` and leaves ``"list"`` out of ``pages``."""
        import datetime as dt

        from guanwu.apikit.params import Limit, Offset, page_schema, paged

        module, services, spec, what = self, self.services, self.spec, self.services.what
        name = type(self).__name__.removesuffix("Module")
        if schema_out is None:
            extra: dict[str, Any] = {"status_display": (str, ""), "created_at": (dt.datetime, ...),
                                     "updated_at": (dt.datetime, ...)}
            if services.attachment:
                extra.update({"attachment_name": (str, ""), "attachment_url": (str | None, None)})
            schema_out = spec.schema_out(f"{name}Out", **extra)
        schema_in = schema_in or spec.schema_in(f"{name}In")
        out = out or module.api_out
        router = router or Router(tags=list(self.api_tags) or [self.title])
        base = f"/{self.path}"

        def body(payload: Schema | None) -> dict[str, Any]:
            return body_data(payload)

        def list_records(request, q: str = "", offset: Offset = 0, limit: Limit = 50):
            return paged(services.search(request.auth, q).order_by(*module.ordering), offset, limit, out, max_limit=200)

        def create_record(request, payload):
            return Status(201, out(services.create(request.auth, body(payload))))

        def get_record(request, record_id: int):
            return out(services.get(request.auth, record_id))

        def update_record(request, record_id: int, payload=None):
            services.get(request.auth, record_id)  # 404 before looking at the body
            return out(services.update(request.auth, record_id, body(payload)))

        def delete_record(request, record_id: int):
            services.delete(request.auth, record_id)
            return Status(204, None)

        # the body schemas are built here, so the annotations are set before ninja reads them
        list_records.__annotations__.update({"q": str, "offset": Offset, "limit": Limit})
        create_record.__annotations__["payload"] = schema_in
        for fn in (get_record, update_record, delete_record):
            fn.__annotations__["record_id"] = int
        update_record.__annotations__["payload"] = schema_in | None
        schema_list = page_schema(f"{name}List", schema_out) if "list" in pages else None
        item = f"{base}/{{record_id}}"
        routes = {
            "list": (list_records, "get", base, schema_list, f"{what}列表"),
            "create": (create_record, "post", base, {201: schema_out}, f"新增{what}"),
            "get": (get_record, "get", item, schema_out, f"{what}详情"),
            "update": (update_record, "put", item, schema_out, f"修改{what}"),
            "delete": (delete_record, "delete", item, {204: None}, f"删除{what}"),
        }
        for fn, method, url, response, summary in (routes[p] for p in pages):
            fn.__name__ = f"{fn.__name__}_{self.key}"
            getattr(router, method)(url, response=response, summary=summary)(fn)
        if services.attachment:
            self._attachment_routes(router, base, schema_out, out)
        return router

    def _attachment_routes(self, router: Router, base: str, schema_out: type, out: Any) -> None:
        from guanwu.apikit.openapi import file_answer

        module, services = self, self.services

        @router.post(f"{base}/{{record_id}}/attachment", response=schema_out, summary=f"上传{self.services.what}附件",
                     openapi_extra=ATTACHMENT_BODY)
        def upload(request, record_id: int):
            services.get(request.auth, record_id)
            uploaded = request.FILES.get("file")
            if uploaded is None:
                message = "请以 multipart/form-data 上传文件 (字段名 file)"
                raise ServiceError.fields([FieldError("file", message)], message)
            return out(services.update(request.auth, record_id, {}, uploaded))

        @router.get(f"{base}/{{record_id}}/attachment", summary=f"下载{self.services.what}附件",
                    openapi_extra=file_answer("*/*", f"{self.services.what}附件 (原文件类型)"))
        def download(request, record_id: int):
            return module.attachment_response(request.auth, record_id)

        @router.delete(f"{base}/{{record_id}}/attachment", response=schema_out, summary=f"删除{self.services.what}附件")
        def remove(request, record_id: int):
            services.get(request.auth, record_id)
            return out(services.update(request.auth, record_id, {}, remove_attachment=True))

        for fn in (upload, download, remove):
            fn.__name__ = f"{fn.__name__}_{self.key}_attachment"
