"""Enterprise and membership changes. Every function checks the role and writes the log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, Forbidden, NotFound, ServiceError

from .context import Actor
from .models import BUSINESS_SETTINGS, MANAGED_SETTINGS, Enterprise, Invitation, InvitationStatus, Membership, Role
from .signals import membership_ended
from .validators import ciq_code_error, customs_code_error, uscc_error

User = get_user_model()


def validate_enterprise_fields(data: dict[str, Any], *, exclude_pk: int | None = None) -> list[FieldError]:
    errors: list[FieldError] = []
    if not (data.get("name") or "").strip():
        errors.append(FieldError("name", "企业名称不能为空"))
    for field, check in (("customs_code", customs_code_error), ("scc", uscc_error), ("ciq_code", ciq_code_error)):
        message = check(data.get(field) or "")
        if message:
            errors.append(FieldError(field, message))
    others = Enterprise.objects.exclude(pk=exclude_pk)
    if data.get("customs_code") and others.filter(customs_code=data["customs_code"].upper()).exists():
        errors.append(FieldError("customs_code", "该海关编码已被其他企业使用"))
    if data.get("scc") and others.filter(scc=data["scc"].upper()).exists():
        errors.append(FieldError("scc", "该统一社会信用代码已被其他企业使用"))
    return errors


@transaction.atomic
def create_enterprise(*, admin_user, actor: Actor | None = None, **data: Any) -> Enterprise:
    """Register an enterprise with ``admin_user`` as its first admin (platform staff, demo)."""
    if not _eligible(admin_user):
        raise ServiceError.fields([FieldError("admin_user", "平台管理账号或停用的账号不能成为企业成员")])
    errors = validate_enterprise_fields(data)
    if errors:
        raise ServiceError.fields(errors)
    data["customs_code"] = data["customs_code"].upper()
    data["scc"] = data["scc"].upper()
    enterprise = Enterprise.objects.create(**data)
    Membership.objects.create(user=admin_user, enterprise=enterprise, role=Role.ADMIN)
    audit.record(actor, enterprise, "新建企业", after="启用", enterprise=enterprise)
    return enterprise


@transaction.atomic
def update_settings(actor: Actor, values: dict[str, Any]) -> Enterprise:
    actor.require_admin("修改业务设置")
    enterprise = Enterprise.objects.select_for_update().get(pk=actor.enterprise.pk)
    unknown = set(values) - set(BUSINESS_SETTINGS)
    if unknown:
        raise ServiceError(f"未知的业务设置: {', '.join(sorted(unknown))}")
    wrong = [k for k, v in values.items() if isinstance(BUSINESS_SETTINGS[k][0], bool) and not isinstance(v, bool)]
    managed = [k for k in values if k in MANAGED_SETTINGS and values[k] != enterprise.setting(k)]
    errors = [FieldError(k, "应为 true 或 false") for k in wrong]
    errors += [FieldError(k, f"{BUSINESS_SETTINGS[k][1]}不能在业务设置中修改: {MANAGED_SETTINGS[k][1]}")
               for k in managed if k not in wrong]
    if errors:
        raise ServiceError.fields(errors, errors[0].message) if len(errors) == 1 else ServiceError.fields(errors)
    before = {k: enterprise.setting(k) for k in values}
    enterprise.settings = {**enterprise.settings, **values}
    enterprise.save(update_fields=["settings"])
    audit.record(actor, enterprise, "修改业务设置", changes=audit.diff(before, values))
    return enterprise


def set_managed_setting(actor: Actor, name: str, value: Any) -> Enterprise:
    """Write a setting of ``MANAGED_SETTINGS`` for the service that owns it (it checks what the
    setting requires and records the operation log in its transaction)."""
    if name not in MANAGED_SETTINGS:
        raise ValueError(f"{name} is not a managed setting")
    enterprise = Enterprise.objects.select_for_update().get(pk=actor.enterprise.pk)
    enterprise.settings = {**enterprise.settings, name: value}
    enterprise.save(update_fields=["settings"])
    actor.enterprise.settings = enterprise.settings
    return enterprise


# Enterprise fields an admin edits on the profile page (and PATCH /api/v1/enterprise).
PROFILE_FIELDS = ("name", "customs_code", "scc", "ciq_code", "address", "contact", "phone", "email")


def _profile_errors(data: dict[str, str], exclude_pk: int) -> list[FieldError]:
    errors = validate_enterprise_fields(data, exclude_pk=exclude_pk)
    for name in PROFILE_FIELDS:
        model_field = Enterprise._meta.get_field(name)
        if len(data[name]) > model_field.max_length:
            errors.append(FieldError(name, f"{model_field.verbose_name}不能超过 {model_field.max_length} 个字符"))
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors.append(FieldError("email", "E-MAIL 格式不正确"))
    return errors


@transaction.atomic
def update_profile(actor: Actor, **fields: Any) -> Enterprise:
    """Change the enterprise's registration and contact details (admin only), with the diff logged."""
    actor.require_admin("修改企业信息")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ServiceError(f"未知的企业信息字段: {', '.join(sorted(unknown))}")
    enterprise = Enterprise.objects.select_for_update().get(pk=actor.enterprise.pk)
    before = {name: getattr(enterprise, name) for name in PROFILE_FIELDS}
    after = dict(before)
    for name, value in fields.items():
        after[name] = "" if value is None else str(value).strip()
    for name in ("customs_code", "scc"):
        after[name] = after[name].upper()
    errors = _profile_errors(after, enterprise.pk)
    if errors:
        raise ServiceError.fields(errors)
    changes = audit.diff(before, after)
    if not changes:
        return enterprise
    for name in changes:
        setattr(enterprise, name, after[name])
    enterprise.save(update_fields=list(changes))
    audit.record(actor, enterprise, "修改企业信息", changes=changes)
    return enterprise


def members(actor: Actor):
    return (
        Membership.objects.filter(enterprise=actor.enterprise)
        .select_related("user")
        .order_by("-is_active", "role", "user__username")
    )


def _eligible(user) -> bool:
    """Whether an account may join an enterprise: platform staff never can."""
    return user is not None and user.is_active and not user.is_staff and not user.is_superuser


def _already_member(actor: Actor, username: str) -> None:
    if Membership.objects.filter(enterprise=actor.enterprise, user__username=username, is_active=True).exists():
        raise ServiceError.fields([FieldError("username", f"用户 {username} 已是本企业成员")])


@transaction.atomic
def add_member(
    actor: Actor, *, username: str, role: str = Role.OPERATOR, password: str = "", full_name: str = ""
) -> Membership | Invitation:
    """Add a member (admin only). With ``password``: create a new account that joins at once
    (a username already taken is refused). Without: invite an existing account, which joins
    only when its user accepts (``invite``)."""
    actor.require_admin("添加成员")
    username = (username or "").strip()
    if not username:
        raise ServiceError.fields([FieldError("username", "用户名不能为空")])
    if len(username) > 150:
        raise ServiceError.fields([FieldError("username", "用户名不能超过 150 个字符")])
    if role not in Role.values:
        raise ServiceError.fields([FieldError("role", "角色只能是企业管理员或操作员")])
    if not password:
        return invite(actor, username=username, role=role)
    _already_member(actor, username)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise ServiceError.fields([FieldError("username", "用户名只能包含字母、数字和 @/./+/-/_")]) from None
    if User.objects.filter(username=username).exists():
        raise ServiceError.fields([FieldError(
            "username", "该用户名已被使用, 请换一个; 要邀请已有账号加入本企业, 请不要填写初始密码"
        )])
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ServiceError.fields([FieldError("password", m) for m in exc.messages]) from None
    user = User(username=username, first_name=full_name.strip()[:150])
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(user=user, enterprise=actor.enterprise, role=role)
    audit.record(actor, membership, "添加成员", after=membership.get_role_display())
    return membership


INVITED = "已发出邀请: 用户 {username} 登录后接受邀请即加入本企业"


@transaction.atomic
def invite(actor: Actor, *, username: str, role: str = Role.OPERATOR) -> Invitation:
    """Invite the account ``username`` (admin only). The answer is the same whether or not the
    account exists or may join (platform staff never can): only its user sees the invitation."""
    actor.require_admin("邀请成员")
    username = (username or "").strip()
    if not username:
        raise ServiceError.fields([FieldError("username", "用户名不能为空")])
    if role not in Role.values:
        raise ServiceError.fields([FieldError("role", "角色只能是企业管理员或操作员")])
    _already_member(actor, username)
    user = User.objects.filter(username=username).first()
    recipient = user if _eligible(user) else None
    invitation = (
        Invitation.objects.select_for_update()
        .filter(enterprise=actor.enterprise, username=username, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            enterprise=actor.enterprise, username=username, user=recipient, role=role, invited_by=actor.user
        )
        audit.record(actor, invitation, "邀请成员", after=InvitationStatus.PENDING.label,
                     changes={"role": [None, invitation.get_role_display()]})
    else:
        before = invitation.get_role_display()
        invitation.role, invitation.user, invitation.invited_by = role, recipient, actor.user
        invitation.save(update_fields=["role", "user", "invited_by"])
        audit.record(actor, invitation, "重新邀请", before=InvitationStatus.PENDING.label,
                     after=InvitationStatus.PENDING.label, changes={"role": [before, invitation.get_role_display()]})
    return invitation


def sent_invitations(actor: Actor):
    """The current enterprise's invitations, pending first (admins and operators may look)."""
    return (
        Invitation.objects.filter(enterprise=actor.enterprise)
        .select_related("invited_by")
        .order_by(Case(When(status=InvitationStatus.PENDING, then=0), default=1), "-created_at", "-id")
    )


@transaction.atomic
def cancel_invitation(actor: Actor, invitation_id: int) -> Invitation:
    actor.require_admin("撤回邀请")
    invitation = (
        Invitation.objects.select_for_update().filter(enterprise=actor.enterprise, pk=invitation_id).first()
    )
    if invitation is None:
        raise NotFound("邀请不存在")
    if invitation.status != InvitationStatus.PENDING:
        raise ServiceError(f"该邀请{invitation.get_status_display()}, 不能撤回", status=409)
    invitation.status = InvitationStatus.CANCELLED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    audit.record(actor, invitation, "撤回邀请", before=InvitationStatus.PENDING.label,
                 after=InvitationStatus.CANCELLED.label)
    return invitation


def pending_invitations(user):
    """The invitations waiting for ``user``'s answer, with the inviting enterprise."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(user=user, status=InvitationStatus.PENDING, enterprise__is_active=True)
        .select_related("enterprise", "invited_by")
        .order_by("-created_at", "-id")
    )


def _own_pending(user, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(user=user, pk=invitation_id, status=InvitationStatus.PENDING, enterprise__is_active=True)
        .first()
    )
    if invitation is None:
        raise NotFound("邀请不存在或已处理")
    return invitation


@transaction.atomic
def accept_invitation(user, invitation_id: int) -> Membership:
    """The invitee joins the inviting enterprise with the invited role."""
    invitation = _own_pending(user, invitation_id)
    if not _eligible(user):
        raise Forbidden("平台管理账号不能加入企业")
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, enterprise_id=invitation.enterprise_id, defaults={"role": invitation.role}
    )
    if not created and not membership.is_active:
        membership.is_active, membership.role = True, invitation.role
        membership.save(update_fields=["is_active", "role"])
    invitation.status = InvitationStatus.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    actor = Actor.for_membership(Membership.objects.select_related("user", "enterprise").get(pk=membership.pk))
    audit.record(actor, invitation, "接受邀请", before=InvitationStatus.PENDING.label,
                 after=InvitationStatus.ACCEPTED.label)
    audit.record(actor, membership, "加入企业", after=membership.get_role_display())
    return membership


@transaction.atomic
def decline_invitation(user, invitation_id: int) -> Invitation:
    invitation = _own_pending(user, invitation_id)
    invitation.status = InvitationStatus.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    actor = Actor(user=user, enterprise=invitation.enterprise, role="")
    audit.record(actor, invitation, "拒绝邀请", before=InvitationStatus.PENDING.label,
                 after=InvitationStatus.DECLINED.label)
    return invitation


def _membership(actor: Actor, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(enterprise=actor.enterprise, pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound("成员不存在")
    return membership


def _other_active_admins(membership: Membership) -> int:
    return (
        Membership.objects.filter(enterprise=membership.enterprise, role=Role.ADMIN, is_active=True)
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def remove_member(actor: Actor, membership_id: int) -> Membership:
    actor.require_admin("移除成员")
    membership = _membership(actor, membership_id)
    if membership.user_id == actor.user.pk:
        raise ServiceError("不能移除自己")
    if not membership.is_active:
        raise ServiceError("该成员已被移除")
    if membership.role == Role.ADMIN and _other_active_admins(membership) == 0:
        raise ServiceError("企业至少需要保留一名管理员")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit.record(actor, membership, "移除成员", before="有效", after="已移除")
    membership_ended.send(sender=Membership, membership=membership, actor=actor)
    return membership


@transaction.atomic
def change_role(actor: Actor, membership_id: int, role: str) -> Membership:
    actor.require_admin("修改成员角色")
    membership = _membership(actor, membership_id)  # another enterprise's id: 404 before anything else
    if role not in Role.values:
        raise ServiceError.fields([FieldError("role", "角色只能是企业管理员或操作员")])
    if membership.role == Role.ADMIN and role != Role.ADMIN and _other_active_admins(membership) == 0:
        raise ServiceError("企业至少需要保留一名管理员")
    before = membership.get_role_display()
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(actor, membership, "修改角色", before=before, after=membership.get_role_display())
    return membership


@transaction.atomic
def remove_members(actor: Actor, membership_ids: list[int]) -> str:
    """Remove several members at once: all of them, or none when one cannot be removed."""
    actor.require_admin("移除成员")
    names = []
    for membership_id in membership_ids:
        try:
            membership = remove_member(actor, membership_id)
        except ServiceError as exc:
            if exc.status != 422:
                raise
            who = Membership.objects.filter(pk=membership_id).values_list("user__username", flat=True).first()
            raise ServiceError(f"{who or membership_id}: {exc.message}, 未移除任何成员") from None
        names.append(membership.user.get_username())
    return f"已移除 {len(names)} 名成员: {', '.join(names)}"


def switch_enterprise(user, enterprise_id: int) -> Actor:
    """The actor for ``user`` in another enterprise; 404 when the user is not a member."""
    actor = Actor.resolve(user, enterprise_id)
    if actor is None:
        raise NotFound("企业不存在或您不是该企业成员")
    return actor


def invitations_badge(actor: Actor) -> dict | None:
    """The header's 邀请 counter: shown only while invitations wait for the user's answer."""
    count = pending_invitations(actor.user).count()
    if not count:
        return None
    return {"label": "邀请", "count": count, "url": "/enterprise/invitations/", "icon": "bi-envelope",
            "title": "待处理的企业邀请"}
