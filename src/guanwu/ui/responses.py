"""Turning service refusals into pages: 404 stays 404, 403 is a Chinese page, the rest a message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from guanwu.core.errors import ServiceError


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "ui/error.html", {"page_title": "没有权限", "message": message}, status=403)


def service_error_response(request: HttpRequest, exc: ServiceError, *, fallback_url: str) -> HttpResponse:
    """404 for another enterprise's ids, a 403 page for missing rights, else a message and back."""
    if exc.status == 404:
        raise Http404(exc.message)
    if exc.status == 403:
        return forbidden(request, exc.message)
    messages.error(request, exc.message)
    return redirect(fallback_url)


def no_actor_response(request: HttpRequest) -> HttpResponse:
    """A logged-in user without a current enterprise: a user of several enterprises chooses one
    first; a user of none sees the invitations waiting for them (or whom to ask)."""
    if getattr(request, "needs_enterprise_choice", False):
        return redirect(f"{reverse('tenancy:choose')}?{urlencode({'next': request.get_full_path()})}")
    from guanwu.tenancy.services import pending_invitations

    return render(request, "ui/no_enterprise.html", {"invitations": list(pending_invitations(request.user))},
                  status=403)


def actor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login plus a current enterprise; ``Forbidden``/``NotFound`` raised inside become 403/404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "actor", None) is None:
            return no_actor_response(request)
        try:
            return view(request, *args, **kwargs)
        except ServiceError as exc:
            if exc.status in (403, 404):
                return service_error_response(request, exc, fallback_url="/")
            raise

    return wrapper


def apply_service_errors(form, exc: ServiceError) -> None:
    """Put a service's field errors on a Django form (unknown fields become form errors)."""
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for error in exc.errors:
        name = error.field if error.field in form.fields else None
        form.add_error(name, error.message)
