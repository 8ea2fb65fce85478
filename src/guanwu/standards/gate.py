"""企业端授权确认 (seed 5.1: 如未授权，操作员登录系统时，会给出提示。授权后可正使用企业端): until the
enterprise admin confirmed, every page of the module shows the seed's prompt and nothing else
(403); the admin sees the same prompt with the way to confirm."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .services import access


def prompt(request: HttpRequest, title: str = "规范申报企业专属库") -> HttpResponse:
    actor = request.actor
    message = access.NOT_AUTHORISED_ADMIN if actor.is_admin else access.NOT_AUTHORISED
    return render(request, "standards/not_authorised.html", {
        "page_title": title, "breadcrumbs": [("规范申报", None), (title, None)], "message": message,
        "can_confirm": actor.is_admin,
    }, status=403)


def gate(request: HttpRequest, title: str = "规范申报企业专属库") -> HttpResponse | None:
    """The prompt while the enterprise has not confirmed the authorisation, else None."""
    if access.is_authorised(request.actor.enterprise):
        return None
    return prompt(request, title)


def require_staff_page(request: HttpRequest) -> None:
    """Platform staff only; anyone else gets 404 (the page does not exist for them)."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Http404("页面不存在")
