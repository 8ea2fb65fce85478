"""规范申报企业专属库 pages (seed 002), thin over ``services``.

Object pages answer 404 for another enterprise's ids first; then, until the enterprise confirmed
the authorisation (5.1), the seed's prompt and nothing else. A GET never writes: reading a
message does not mark it read (the 标记已读 button does).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from guanwu.core.errors import ServiceError
from guanwu.ui.lists import safe_next
from guanwu.ui.responses import actor_required, service_error_response

from .gate import gate, require_staff_page
from .models import LibraryEntry, Mark, MonthlyMessage, UploadStatus
from .services import access, library, public, reviews
from .services import messages as notices
from .views_lists import PublicRow

SECTION = ("规范申报", None)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _owned_or_404(request: HttpRequest, model: type[Model], pk: int) -> None:
    """Another enterprise's id is a 404 before anything else (even before the authorisation prompt)."""
    if not model.objects.for_enterprise(request.actor.enterprise).filter(pk=pk).exists():
        raise Http404("记录不存在或无权访问")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@actor_required
def index(request: HttpRequest) -> HttpResponse:
    if access.is_authorised(request.actor.enterprise):
        return redirect("standards:enterprise-library")
    return redirect("standards:authorisation")


# -- 企业端授权确认 (5.1) --------------------------------------------------------------------------------


@actor_required
def authorisation(request: HttpRequest) -> HttpResponse:
    """The state for every member; the admin confirms (after the browser's confirmation dialog)."""
    actor = request.actor
    if request.method == "POST":
        try:
            access.confirm(actor)
        except ServiceError as exc:
            return service_error_response(request, exc, fallback_url=reverse("standards:authorisation"))
        messages.success(request, "企业端授权确认成功, 现在可以使用企业库查询、公共库查询和企业信息")
        return redirect("standards:enterprise-library")
    state = access.state(actor)
    return render(request, "standards/authorisation.html", {
        "page_title": "企业端授权确认", "breadcrumbs": [SECTION, ("企业端授权确认", None)], "state": state,
        "prompt": access.NOT_AUTHORISED_ADMIN if actor.is_admin else access.NOT_AUTHORISED,
    })


# -- 企业库 (5.2) ---------------------------------------------------------------------------------------------


def _elements_page(request: HttpRequest, entry: Any, details: dict[str, Any], *, title: str, back: str,
                   show_reasons: bool) -> HttpResponse:
    flagged = {r["element"] for r in details.get("reasons", [])} if show_reasons else set()
    for element in details.get("elements", []):
        element["flagged"] = element["name"] in flagged  # an element customs found 不规范
    context = {
        "page_title": f"申报要素详情 {entry.code_ts}", "entry": entry, "details": details,
        "show_reasons": show_reasons, "back": back,
        "breadcrumbs": [SECTION, (title, back), ("申报要素详情", None)],
    }
    template = "standards/_elements.html" if _is_htmx(request) else "standards/elements.html"
    return render(request, template, context)


@actor_required
def library_elements(request: HttpRequest, pk: int) -> HttpResponse:
    """申报要素详情: the latest catalog's element names beside the row's values (added/dropped flagged)."""
    _owned_or_404(request, LibraryEntry, pk)
    if (response := gate(request, "申报要素详情")) is not None:
        return response
    entry = library.get_entry(request.actor, pk)
    details = library.elements(request.actor, pk)
    return _elements_page(request, entry, details, title="企业库查询", back=reverse("standards:enterprise-library"),
                          show_reasons=True)


@require_POST
@actor_required
def library_own_choice(request: HttpRequest, pk: int) -> HttpResponse:
    _owned_or_404(request, LibraryEntry, pk)
    if (response := gate(request, "设为自选")) is not None:
        return response
    back = safe_next(request, reverse("standards:enterprise-library"))
    try:
        entry = library.set_own_choice(request.actor, pk)
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=back)
    messages.success(request, f"已将 {entry.code_ts} {entry.g_name} 设为企业自选数据")
    return redirect(back)


@require_POST
@actor_required
def library_visibility(request: HttpRequest, pk: int) -> HttpResponse:
    _owned_or_404(request, LibraryEntry, pk)
    if (response := gate(request, "设置数据公开状态")) is not None:
        return response
    back = safe_next(request, reverse("standards:enterprise-library"))
    wanted = request.POST.get("public")
    if wanted not in ("0", "1"):
        messages.error(request, "请选择公开或不公开")
        return redirect(back)
    try:
        entry = library.set_visibility(request.actor, pk, wanted == "1")
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=back)
    state = "公开 (在公共库中显示)" if entry.is_public else "不公开"
    messages.success(request, f"{entry.code_ts} {entry.g_name} 的数据公开状态已设为{state}")
    return redirect(back)


# -- 公共库 (5.3) -------------------------------------------------------------------------------------------------


@actor_required
def public_elements(request: HttpRequest, pk: int) -> HttpResponse:
    """申报要素详情 of a public row: only what the public library shows (no party field)."""
    if not LibraryEntry.objects.filter(pk=pk, mark=Mark.STANDARD, is_public=True).exists():  # = public._public()
        raise Http404("公共库中没有该数据")
    if (response := gate(request, "申报要素详情")) is not None:
        return response
    entry = PublicRow(public.get(request.actor, pk))  # the public fields only
    details = public.elements(request.actor, pk)
    return _elements_page(request, entry, details, title="公共库查询", back=reverse("standards:public-library"),
                          show_reasons=False)


# -- 企业信息 (5.4) ---------------------------------------------------------------------------------------------


def library_link(message: MonthlyMessage, **conditions: str) -> str:
    """The 企业库 pre-filtered to the rows the message counts (seed 5.4: 请企业移步至企业库, 选择对应的
    查询条件进行查询): the period's 申报日期 range plus ``conditions``."""
    params = {k: v for k, v in conditions.items() if v}
    if message.date_from:
        params["decl_date_from"] = message.date_from.isoformat()
    if message.date_to:
        params["decl_date_to"] = message.date_to.isoformat()
    return f"{reverse('standards:enterprise-library')}?{urlencode(params)}"


@actor_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _owned_or_404(request, MonthlyMessage, pk)
    if (response := gate(request, "企业信息")) is not None:
        return response
    message = notices.get(request.actor, pk)
    return render(request, "standards/message_detail.html", {
        "page_title": message.title, "message": message,
        "breadcrumbs": [SECTION, ("企业信息", reverse("standards:messages")), (message.title, None)],
        "links": {
            "nonstandard": library_link(message, mark=Mark.NONSTANDARD),
            "agent": library_link(message, role="agent"),
            "owner": library_link(message, role="owner"),
            "all": library_link(message),
        },
    })


@require_POST
@actor_required
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    _owned_or_404(request, MonthlyMessage, pk)
    if (response := gate(request, "企业信息")) is not None:
        return response
    back = safe_next(request, reverse("standards:message-detail", args=[pk]))
    try:
        notices.mark_read(request.actor, pk)
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=back)
    messages.success(request, "已标记为已读")
    return redirect(back)


# -- 海关审核数据 (platform staff) -----------------------------------------------------------------------------


def review_template(request: HttpRequest) -> HttpResponse:
    require_staff_page(request)
    return HttpResponse(reviews.template(), content_type=XLSX,
                        headers={"Content-Disposition": "attachment; filename*=UTF-8''%E6%B5%B7%E5%85%B3%E5%AE%A1"
                                                        "%E6%A0%B8%E6%95%B0%E6%8D%AE%E6%A8%A1%E6%9D%BF.xlsx"})


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff_page(request)
    try:
        upload = reviews.get_upload(request.user, pk)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        raise
    rows = list(reviews.rows_of(request.user, pk)[:200]) if upload.status == UploadStatus.ACCEPTED else []
    return render(request, "standards/review_detail.html", {
        "page_title": f"海关审核数据 {upload.file_name}", "upload": upload, "rows": rows,
        "breadcrumbs": [("平台管理", None), ("海关审核数据", reverse("standards:reviews")), (upload.file_name, None)],
    })


def review_export(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff_page(request)
    try:
        name, data = reviews.export_upload(request.user, pk)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        raise
    import io

    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)
