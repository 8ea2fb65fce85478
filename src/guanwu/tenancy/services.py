"""Enterprise and membership changes. Every function checks the role and writes the log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, NotFound, ServiceError

from .context import Actor
from .models import BUSINESS_SETTINGS, MANAGED_SETTINGS, Enterprise, Membership, Role
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


@transaction.atomic
def add_member(
    actor: Actor, *, username: str, role: str = Role.OPERATOR, password: str = "", full_name: str = ""
) -> Membership:
    """Add a user to the current enterprise, creating the user when new (admin only)."""
    actor.require_admin("添加成员")
    username = (username or "").strip()
    if not username:
        raise ServiceError.fields([FieldError("username", "用户名不能为空")])
    if role not in Role.values:
        raise ServiceError.fields([FieldError("role", "角色只能是企业管理员或操作员")])
    user = User.objects.filter(username=username).first()
    if user is None:
        if not password:
            raise ServiceError.fields([FieldError("password", "新用户需要设置初始密码")])
        try:
            validate_password(password)
        except ValidationError as exc:
            raise ServiceError.fields([FieldError("password", m) for m in exc.messages]) from None
        user = User(username=username, first_name=full_name.strip())
        user.set_password(password)
        user.save()
    membership, created = Membership.objects.get_or_create(
        user=user, enterprise=actor.enterprise, defaults={"role": role}
    )
    if not created:
        if membership.is_active:
            raise ServiceError.fields([FieldError("username", f"用户 {username} 已是本企业成员")])
        membership.is_active = True
        membership.role = role
        membership.save(update_fields=["is_active", "role"])
    audit.record(actor, membership, "添加成员", after=membership.get_role_display())
    return membership


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
