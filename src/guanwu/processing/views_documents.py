"""The 随附单据 tab of a 企业资质申请 or an 账册: upload, download, delete (one service call each;
another enterprise's ids are a 404, a GET never writes)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from guanwu.core.errors import NotFound, ServiceError
from guanwu.ui.responses import actor_required

from . import services

# URL key -> (service owner, detail page)
OWNERS = {"qualifications": ("application", "processing:qualification-detail"),
          "books": ("book", "processing:book-detail")}


def _owner(owner_key: str) -> tuple[str, str]:
    if owner_key not in OWNERS:
        raise Http404
    return OWNERS[owner_key]


def _back(detail: str, pk: int) -> HttpResponse:
    return redirect(reverse(detail, args=[pk]) + "?tab=documents#tab-documents")


@require_POST
@actor_required
def upload(request: HttpRequest, owner_key: str, pk: int) -> HttpResponse:
    owner, detail = _owner(owner_key)
    data = {name: request.POST.get(name, "") for name in ("acmp_form_typecd", "acmp_form_no", "rmk")}
    try:
        document = services.add_document(request.actor, owner, pk, data, request.FILES.get("file"))
    except NotFound:
        raise
    except ServiceError as exc:
        for error in exc.errors or []:
            messages.error(request, error.message)
        if not exc.errors:
            messages.error(request, exc.message)
        return _back(detail, pk)
    messages.success(request, f"已上传随附单据: {document.acmp_form_file_nm or document.acmp_form_no}")
    return _back(detail, pk)


@require_POST
@actor_required
def delete(request: HttpRequest, owner_key: str, pk: int) -> HttpResponse:
    owner, detail = _owner(owner_key)
    try:
        count = services.delete_documents(request.actor, owner, pk, request.POST.getlist("ids"))
    except NotFound:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(detail, pk)
    messages.success(request, f"已删除{count}份随附单据")
    return _back(detail, pk)


@require_GET
@actor_required
def download(request: HttpRequest, owner_key: str, pk: int, doc_id: int) -> HttpResponse:
    owner, _detail = _owner(owner_key)
    opened = services.open_document(request.actor, owner, pk, doc_id)
    return FileResponse(opened.handle, as_attachment=True, filename=opened.name, content_type=opened.content_type)
