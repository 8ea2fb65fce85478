from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from guanwu.core.errors import NotFound

from . import services
from .middleware import SESSION_KEY


@login_required
@require_POST
def switch(request):
    try:
        actor = services.switch_enterprise(request.user, int(request.POST.get("enterprise", "0")))
    except (NotFound, ValueError):
        raise Http404("企业不存在或您不是该企业成员") from None
    request.session[SESSION_KEY] = actor.enterprise.pk
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    # Object pages of the old enterprise would answer 404 in the new one: go to its list.
    return redirect(next_url if next_url.count("/") <= 3 else "/")
