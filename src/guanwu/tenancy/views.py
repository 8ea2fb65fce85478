from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from guanwu.core.errors import NotFound, ServiceError
from guanwu.ui.lists import (
    BooleanFilter,
    BulkAction,
    ChoiceFilter,
    Column,
    DateRangeFilter,
    ListPage,
    PageAction,
    RowAction,
    TextFilter,
    safe_next,
    yes_no,
)
from guanwu.ui.responses import actor_required, apply_service_errors, forbidden

from . import services
from .context import Actor
from .forms import MemberAddForm, ProfileForm, SettingsForm
from .middleware import SESSION_KEY
from .models import InvitationStatus, Membership, Role


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


# -- enterprise profile and settings ---------------------------------------------------------


@actor_required
def profile(request):
    actor: Actor = request.actor
    form = ProfileForm.for_enterprise(actor.enterprise, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        actor.require_admin("修改企业信息")
        if form.is_valid():
            try:
                services.update_profile(actor, **form.cleaned_data)
            except ServiceError as exc:
                if exc.status != 422:
                    raise
                apply_service_errors(form, exc)
            else:
                messages.success(request, "企业信息已保存")
                return redirect("tenancy:profile")
    return render(request, "tenancy/profile.html", {
        "page_title": "企业信息", "breadcrumbs": [("企业设置", None), ("企业信息", None)],
        "form": form, "enterprise": actor.enterprise, "can_edit": actor.is_admin,
    }, status=422 if form.errors else 200)


@actor_required
def settings_view(request):
    actor: Actor = request.actor
    if request.method == "POST":
        actor.require_admin("修改业务设置")
    form = SettingsForm(
        request.POST if request.method == "POST" else None, enterprise=actor.enterprise, disabled=not actor.is_admin
    )
    if request.method == "POST" and form.is_valid():
        changed = {k: v for k, v in form.cleaned_data.items() if actor.enterprise.setting(k) != v}
        if changed:
            try:
                services.update_settings(actor, changed)
            except ServiceError as exc:
                if exc.status != 422:
                    raise
                messages.error(request, exc.message)
            else:
                messages.success(request, "业务设置已保存")
        else:
            messages.info(request, "业务设置没有变化")
        return redirect("tenancy:settings")
    return render(request, "tenancy/settings.html", {
        "page_title": "业务设置", "breadcrumbs": [("企业设置", None), ("业务设置", None)],
        "form": form, "can_edit": actor.is_admin,
    })


# -- members -----------------------------------------------------------------------------------


def _is_other_active(member, actor: Actor) -> bool:
    return member.is_active and member.user_id != actor.user.pk


class MemberList(ListPage):
    title = "成员管理"
    breadcrumbs = (("企业设置", None), ("成员管理", None))
    select_related = ("user",)
    filters = (
        TextFilter("q", "用户名/姓名", fields=("user__username", "user__first_name", "user__last_name")),
        ChoiceFilter("role", "角色", field="role", choices=Role.choices),
        BooleanFilter("active", "状态", field="is_active", yes="有效", no="已移除"),
        DateRangeFilter("joined", "加入时间", field="created_at"),
    )
    columns = (
        Column("user__username", "用户名", sortable=True),
        Column("user__first_name", "姓名", value=lambda m: m.user.get_full_name(), sortable=True),
        Column("role", "角色", sortable=True),
        Column("is_active", "状态", format=yes_no("有效", "已移除"), sortable=True),
        Column("created_at", "加入时间", sortable=True),
    )
    ordering = ("-is_active", "role", "user__username")
    page_actions = (
        PageAction("添加成员", "tenancy:member-add", admin_only=True, icon="bi-person-plus"),
        PageAction("已发出的邀请", "tenancy:sent-invitations", icon="bi-envelope"),
    )
    row_actions = (
        RowAction("设为管理员", "tenancy:member-role", data={"role": Role.ADMIN}, admin_only=True,
                  condition=lambda m, a: m.is_active and m.role == Role.OPERATOR),
        RowAction("设为操作员", "tenancy:member-role", data={"role": Role.OPERATOR}, admin_only=True,
                  condition=lambda m, a: _is_other_active(m, a) and m.role == Role.ADMIN),
        RowAction("移除", "tenancy:member-remove", admin_only=True, condition=_is_other_active,
                  confirm="确定将该成员移出本企业?", style="outline-danger"),
    )
    bulk_actions = (
        BulkAction("remove", "批量移除", services.remove_members, admin_only=True,
                   confirm="确定将所选成员移出本企业?", style="outline-danger"),
    )
    import_spec = "members"
    import_label = "批量导入成员"
    import_admin_only = True
    export_name = "企业成员"

    def queryset(self, actor: Actor):
        return services.members(actor)


@actor_required
def member_add(request):
    actor: Actor = request.actor
    actor.require_admin("添加成员")
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_member(actor, **form.cleaned_data)
        except ServiceError as exc:
            if exc.status != 422:
                raise
            apply_service_errors(form, exc)
        else:
            if isinstance(added, Membership):
                messages.success(request, f"已添加成员 {added.user.get_username()} ({added.get_role_display()})")
            else:
                messages.success(request, services.INVITED.format(username=added.username))
            if "add_another" in request.POST:
                return redirect("tenancy:member-add")
            return redirect("tenancy:members")
    return render(request, "tenancy/member_add.html", {
        "page_title": "添加成员",
        "breadcrumbs": [("企业设置", None), ("成员管理", reverse("tenancy:members")), ("添加成员", None)],
        "form": form,
    }, status=422 if form.errors else 200)


def _member_post(request, change, done: str):
    back = safe_next(request, reverse("tenancy:members"))
    try:
        membership = change()
    except ServiceError as exc:
        if exc.status != 422:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, done.format(username=membership.user.get_username(),
                                              role=membership.get_role_display()))
    return redirect(back)


@require_POST
@actor_required
def member_remove(request, pk: int):
    return _member_post(request, lambda: services.remove_member(request.actor, pk), "已移除成员 {username}")


@require_POST
@actor_required
def member_role(request, pk: int):
    role = request.POST.get("role", "")
    return _member_post(
        request, lambda: services.change_role(request.actor, pk, role), "已将 {username} 设为{role}"
    )


# -- choosing an enterprise, invitations ------------------------------------------------------


def _safe_next(request, default: str = "/") -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        return default
    return next_url


@login_required
def choose(request):
    """The second step of the login for a user of several enterprises: which one to work in."""
    memberships = list(
        Membership.objects.filter(user=request.user, is_active=True, enterprise__is_active=True)
        .select_related("enterprise").order_by("enterprise__name", "enterprise_id")
    )
    if not memberships:
        return redirect("tenancy:invitations")
    return render(request, "tenancy/choose.html", {
        "page_title": "选择企业", "memberships": memberships, "next": _safe_next(request),
        "invitations": list(services.pending_invitations(request.user)),
        "current_id": request.actor.enterprise.pk if request.actor else None,
    })


@login_required
def my_invitations(request):
    return render(request, "tenancy/invitations.html", {
        "page_title": "企业邀请", "breadcrumbs": [("企业邀请", None)],
        "invitations": list(services.pending_invitations(request.user)),
    })


def _answer(request, pk: int, accept: bool):
    try:
        if accept:
            membership = services.accept_invitation(request.user, pk)
        else:
            invitation = services.decline_invitation(request.user, pk)
    except NotFound:
        raise Http404("邀请不存在或已处理") from None
    except ServiceError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        raise
    if accept:
        request.session[SESSION_KEY] = membership.enterprise_id
        messages.success(request, f"已加入 {membership.enterprise.name}, 当前企业已切换为该企业")
        return redirect("home")
    messages.info(request, f"已拒绝 {invitation.enterprise.name} 的邀请")
    return redirect("tenancy:invitations")


@login_required
@require_POST
def invitation_accept(request, pk: int):
    return _answer(request, pk, accept=True)


@login_required
@require_POST
def invitation_decline(request, pk: int):
    return _answer(request, pk, accept=False)


@actor_required
def sent_invitations(request):
    actor: Actor = request.actor
    return render(request, "tenancy/sent_invitations.html", {
        "page_title": "已发出的邀请",
        "breadcrumbs": [("企业设置", None), ("成员管理", reverse("tenancy:members")), ("已发出的邀请", None)],
        "invitations": list(services.sent_invitations(actor)[:200]), "can_edit": actor.is_admin,
        "pending": InvitationStatus.PENDING,
    })


@require_POST
@actor_required
def invitation_cancel(request, pk: int):
    back = reverse("tenancy:sent-invitations")
    try:
        invitation = services.cancel_invitation(request.actor, pk)
    except ServiceError as exc:
        if exc.status not in (409, 422):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤回对 {invitation.username} 的邀请")
    return redirect(back)
