from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from guanwu.core.errors import NotFound, ServiceError
from guanwu.tenancy.services import pending_invitations

from . import services


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


def _after_login(request, user, next_url: str):
    """Where a fresh login goes: the enterprise chooser for a user of several enterprises, the
    invitations for a user of none, else ``next``; waiting invitations are mentioned."""
    count = services.active_memberships(user)[:2].count()
    invitations = pending_invitations(user).count()
    if count > 1:
        return redirect(f"{reverse('tenancy:choose')}?{urlencode({'next': next_url})}")
    if count == 0 and invitations:
        return redirect("tenancy:invitations")
    if invitations:
        messages.info(request, f"您有 {invitations} 个企业邀请待处理, 请在右上角「邀请」中查看")
    return redirect(next_url)


@never_cache
@csrf_protect
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    form = LoginForm(request.POST or None)
    error = ""
    status = 200
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_credentials(request, form.cleaned_data["username"], form.cleaned_data["password"])
        except ServiceError as exc:
            error, status = exc.message, exc.status
            retry_after = getattr(exc, "retry_after", None)
        else:
            login(request, user)
            return _after_login(request, user, next_url)
    response = render(
        request, "registration/login.html", {"form": form, "error": error, "next": next_url}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "密码已修改, 您的 API 令牌已全部撤销")
        return super().form_valid(form)


@login_required
def tokens(request):
    """The account page's token list: the user's working API tokens, each revocable."""
    return render(request, "registration/tokens.html", {
        "page_title": "API 令牌", "breadcrumbs": [("账号", None), ("API 令牌", None)],
        "tokens": list(services.user_tokens(request.user)),
    })


@login_required
@require_POST
def token_revoke(request, pk: int):
    try:
        token = services.revoke_token(request.user, pk)
    except NotFound:
        raise Http404("令牌不存在或已撤销") from None
    messages.success(request, f"已撤销令牌 {token.prefix}…")
    return redirect("accounts:tokens")
