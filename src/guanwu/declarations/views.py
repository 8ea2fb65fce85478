"""Pages of the declaration: list, entry (new / edit / read-only), receipts, print.

The entry page is a client of the JSON API (``/api/v1/declarations``): it sends the one payload
shape of ``payload.py`` (head fields plus ``items``, ``containers`` ...) with fetch(), and maps
the ``errors[].field`` paths the services answer back onto its inputs and grid cells. Every read
here goes through the services, so another enterprise's id is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from guanwu.core.errors import ServiceError
from guanwu.params import goods
from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.tenancy.context import Actor
from guanwu.ui import dashboard
from guanwu.ui.lists import safe_next
from guanwu.ui.responses import actor_required

from . import forms, services
from .lists import DeclarationList, status_badge
from .models import Declaration, DeclarationStatus
from .payload import CHILDREN, DeclarationData, from_instance, to_payload
from .printing import declaration_pdf, print_context
from .services.drafts import DELETABLE, EDITABLE, enterprise_defaults

# While customs is working on it, the page polls for receipts.
LIVE_STATUSES = frozenset({DeclarationStatus.DECLARED, DeclarationStatus.ACCEPTED})
LIVE_POLL_SECONDS = 2
API_ROOT = "/api/v1/declarations"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

declaration_list = DeclarationList.as_view()


# ------------------------------------------------------------------------------------- helpers


def tariff_info(code_ts: str, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """What the goods grid needs of an HS code (same keys as ``/api/v1/tariff/{code_ts}``)."""
    item = params.tariff_item(code_ts, as_of)
    if item is None:
        return None
    return {
        "code_ts": item.code_ts,
        "name": item.name,
        "first_unit": item.first_unit,
        "first_unit_name": params.code_name("units", item.first_unit) or "",
        "second_unit": item.second_unit,
        "second_unit_name": params.code_name("units", item.second_unit) or "",
        "elements": [{"index": i, "name": n} for i, n in enumerate(item.elements)],
        "licence_codes": item.licence_codes,
        "ciq": [{"code": c, "name": n} for c, n in params.ciq_names(item.code_ts, as_of)],
    }


def _children_payload(data: DeclarationData) -> dict[str, list[dict[str, Any]]]:
    payload = to_payload(data)
    return {child.key: payload[child.key] for child in CHILDREN}


def _config(request: HttpRequest, declaration: Declaration | None, data: DeclarationData, ie_flag: str,
            editable: bool) -> dict[str, Any]:
    children = _children_payload(data)
    names: dict[str, dict[str, str]] = {}
    for child in CHILDREN:
        for table, codes in forms.code_names(child.key, children[child.key]).items():
            names.setdefault(table, {}).update(codes)
    tariffs = {}
    for row in data.items:
        code = row.get("code_ts")
        if code and code not in tariffs:
            info = tariff_info(code)
            if info:
                tariffs[code] = info
    pk = declaration.pk if declaration else None
    return {
        "id": pk,
        "ie_flag": ie_flag,
        "status": declaration.status if declaration else DeclarationStatus.DRAFT,
        "version": declaration.version if declaration else None,
        "editable": editable,
        "head_fields": forms.head_names(ie_flag),
        "children": children,
        "columns": {child.key: forms.columns(child.key, ie_flag) for child in CHILDREN},
        "tariffs": tariffs,
        "names": names,
        "brand_types": goods.BRAND_TYPE_CHOICES,
        "export_preferences": goods.EXPORT_PREFERENCE_CHOICES,
        "urls": {
            "api": API_ROOT,
            "tariff": "/api/v1/tariff",
            "list": reverse("declarations:list"),
            "detail": reverse("declarations:detail", args=[0]).replace("/0/", "/{id}/"),
            "print": reverse("declarations:print", args=[pk]) if pk else "",
        },
    }


def _entry_context(request: HttpRequest, declaration: Declaration | None, ie_flag: str) -> dict[str, Any]:
    actor: Actor = request.actor
    if declaration is None:
        head = {**enterprise_defaults(actor, ie_flag), "ie_flag": ie_flag}
        data = DeclarationData(head=head)
        editable = True
    else:
        data = from_instance(declaration)
        editable = declaration.status in EDITABLE
    direction = IEFlag(ie_flag).label
    if declaration is None:
        title = f"新增{direction}报关单"
    else:
        number = declaration.entry_id or declaration.seq_no or declaration.client_seq_no or ""
        title = f"{direction}报关单 {number}".strip()
    receipts = list(declaration.receipts.order_by("received_at", "id")) if declaration else []
    return {
        "page_title": title,
        "breadcrumbs": [("报关单", None), ("报关单查询", reverse("declarations:list")), (title, None)],
        "declaration": declaration,
        "ie_flag": ie_flag,
        "direction": direction,
        "editable": editable,
        "deletable": declaration is not None and declaration.status in DELETABLE,
        "blocks": forms.bind_layout(data.head, ie_flag),
        "config": _config(request, declaration, data, ie_flag, editable),
        "receipts": receipts,
        "live": _live_context(declaration) if declaration else {},
    }


def _live_context(declaration: Declaration) -> dict[str, Any]:
    return {
        "declaration": declaration,
        "badge": status_badge(declaration),
        "polling": declaration.status in LIVE_STATUSES,
        "poll_seconds": LIVE_POLL_SECONDS,
        "editable": declaration.status in EDITABLE,
    }


# --------------------------------------------------------------------------------------- pages


@actor_required
@require_GET
def create(request: HttpRequest) -> HttpResponse:
    """新增: ``?ie=I`` (进口, the default) or ``?ie=E`` (出口)."""
    ie_flag = request.GET.get("ie", "I").upper()
    if ie_flag not in IEFlag.values:
        ie_flag = IEFlag.IMPORT
    return render(request, "declarations/entry.html", _entry_context(request, None, ie_flag))


@actor_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = services.get_declaration(request.actor, pk)
    ie_flag = declaration.ie_flag if declaration.ie_flag in IEFlag.values else IEFlag.IMPORT
    return render(request, "declarations/entry.html", _entry_context(request, declaration, ie_flag))


@actor_required
@require_GET
def live(request: HttpRequest, pk: int) -> HttpResponse:
    """The status badge and the receipts, polled by the entry page while customs is working.

    When the declaration became editable again (退单) or stopped being editable, the page
    reloads itself (``HX-Refresh``) to switch between the form and the read-only view."""
    declaration = services.get_declaration(request.actor, pk)
    shown = request.GET.get("shown", "")
    context = _live_context(declaration)
    context["receipts"] = list(declaration.receipts.order_by("received_at", "id"))
    context["oob"] = True
    response = render(request, "declarations/_live.html", context)
    if shown and (shown in EDITABLE) != (declaration.status in EDITABLE):
        response["HX-Refresh"] = "true"
    return response


@actor_required
@require_POST
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    """复制 (a row action of the list): the copy opens for editing."""
    back = safe_next(request, reverse("declarations:list"))
    try:
        duplicate = services.copy_declaration(request.actor, pk)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, f"已复制为新的暂存报关单 (复制自 {duplicate.copied_from})")
    return redirect("declarations:detail", duplicate.pk)


@actor_required
@require_GET
def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = services.get_declaration(request.actor, pk)
    return render(request, "declarations/print.html", print_context(declaration))


@actor_required
@require_GET
def print_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printed 报关单 as a PDF file (the same one the 业务单据 export puts in each folder)."""
    from urllib.parse import quote

    declaration = services.get_declaration(request.actor, pk)
    response = HttpResponse(declaration_pdf(declaration), content_type="application/pdf")
    name = f"报关单{declaration.entry_id or declaration.seq_no or declaration.pk}.pdf"
    response["Content-Disposition"] = f"attachment; filename=\"declaration.pdf\"; filename*=UTF-8''{quote(name)}"
    return response


@actor_required
@require_GET
def template_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The declaration in the import template (导出Excel): edited and imported again, it gives
    the same declaration."""
    from urllib.parse import quote

    from .imports import template_workbook

    declaration = services.get_declaration(request.actor, pk)
    response = HttpResponse(template_workbook([declaration]), content_type=XLSX)
    name = f"报关单{declaration.entry_id or declaration.seq_no or declaration.pk}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"declaration.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


@actor_required
def import_page(request: HttpRequest) -> HttpResponse:
    """报关单导入 of the menu: the shared Excel pipeline's page for declarations."""
    return redirect("imports:upload", "declarations")


# ----------------------------------------------------------------------------------- dashboard


@dashboard.register
def declarations_widget(actor: Actor) -> dict | None:
    """Drafts waiting to be declared, and declarations customs is still working on."""
    qs = Declaration.objects.for_enterprise(actor.enterprise)
    drafts = qs.filter(status=DeclarationStatus.DRAFT).count()
    working = qs.filter(status__in=LIVE_STATUSES).count()
    rejected = qs.filter(status=DeclarationStatus.REJECTED).count()
    url = reverse("declarations:list")
    note = f"在途 {working} 份" + (f" · 退单 {rejected} 份" if rejected else "")
    return {"key": "declarations-draft", "label": "暂存报关单", "value": drafts, "url": f"{url}?status=draft",
            "note": note, "note_class": "text-danger" if rejected else ""}

