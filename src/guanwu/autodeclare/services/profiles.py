"""预配置: new, change, delete (admins, or operators when the enterprise allows it); everyone reads.

The seed's uniqueness rule: among *enabled* profiles of one enterprise, one per 申报单位 +
境内收发货人 + 进出口标志 ("同一家申报企业可以配置进出口两条配置规则记录；可配置多条不同的境内收发货人
的配置规则，每个境内收发货人可以配置进出口两条配置规则记录"). A profile by user may name each user in
one enabled profile per 进出口标志, so a mark never matches two profiles of the same kind.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned
from guanwu.tenancy.models import Enterprise, Membership
from guanwu.tenancy.validators import customs_code_error, uscc_error

from ..models import Profile, ProfileScope
from .common import require_enabled, require_profile_manager, same_company

DUPLICATE = "该申报单位下存在相同的境内收发货人或申报单位相同进出口标志且启用状态的数据!"
DUPLICATE_USER = "用户{user}已在相同进出口标志且启用状态的按用户生效预配置「{name}」中"
WAIT_MIN, WAIT_MAX = 5, 3600
FIELDS = (
    "name", "enabled", "ie_flag", "scope", "agent_code", "trade_code", "auto_confirm", "auto_agreement",
    "manifest_required", "arrival_required", "compare_required", "batch_wait_seconds",
)
BOOLEAN_FIELDS = frozenset({
    "enabled", "auto_confirm", "auto_agreement", "manifest_required", "arrival_required", "compare_required",
})
DEFAULTS: dict[str, Any] = {
    "name": "", "enabled": True, "ie_flag": "", "scope": ProfileScope.ENTERPRISE, "agent_code": "", "trade_code": "",
    "auto_confirm": False, "auto_agreement": False, "manifest_required": False, "arrival_required": False,
    "compare_required": False, "batch_wait_seconds": 60, "user_ids": [],
}


def list_profiles(actor: Actor) -> QuerySet[Profile]:
    return Profile.objects.for_enterprise(actor.enterprise).prefetch_related("users")


def get_profile(actor: Actor, profile_id: int | str, *, for_update: bool = False) -> Profile:
    return get_owned(Profile.objects.for_enterprise(actor.enterprise), profile_id, "预配置", for_update=for_update)


def members(enterprise: Enterprise) -> QuerySet:
    """The users a profile by user may name: active members of the enterprise."""
    return get_user_model().objects.filter(
        memberships__enterprise=enterprise, memberships__is_active=True
    ).order_by("username")


def _code_error(value: str) -> str | None:
    """海关10位编码 (characters and the registering region, see ``params.customs_code_region_error``)
    or 18位统一社会信用代码 (GB 32100-2015, with its check character)."""
    if len(value) == 10:
        return customs_code_error(value) or params.customs_code_region_error(value)
    if len(value) == 18:
        return uscc_error(value)
    return "应为海关10位编码或18位统一社会信用代码"


TEXT_FIELDS = frozenset({"name", "ie_flag", "scope", "agent_code", "trade_code"})


def _wait_seconds(value: Any) -> int | None:
    """统计时配置 as whole seconds: an integer (60, 60.0) or its digits, nothing else (not 1.5, not true)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _clean(raw: dict[str, Any], base: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    data = dict(base)
    errors: list[FieldError] = []
    unknown = set(raw) - set(FIELDS) - {"user_ids", "id"}
    if unknown:
        errors.append(FieldError("", f"未知的字段: {', '.join(sorted(unknown))}"))
    bad: set[str] = set()  # fields whose value is of the wrong kind: reported once, not checked further
    for name in FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        if name in BOOLEAN_FIELDS:
            if not isinstance(value, bool):
                errors.append(FieldError(name, "应为 true 或 false"))
                bad.add(name)
                continue
        elif name == "batch_wait_seconds":
            value = _wait_seconds(value)
            if value is None:
                errors.append(FieldError(name, "统计时配置应为整数秒"))
                bad.add(name)
                continue
        else:
            if value is not None and not isinstance(value, str):
                errors.append(FieldError(name, "应为文本"))
                bad.add(name)
                continue
            value = (value or "").strip()
            if name in {"agent_code", "trade_code", "ie_flag"}:
                value = value.upper()
        data[name] = value
    if "user_ids" in raw:
        ids = raw["user_ids"] or []
        if not isinstance(ids, list | tuple) or not all(str(i).isdigit() for i in ids):
            errors.append(FieldError("user_ids", "应为用户 id 列表"))
        else:
            data["user_ids"] = sorted({int(i) for i in ids})

    if "name" not in bad and not data["name"]:
        errors.append(FieldError("name", "配置名称不能为空"))
    elif "name" not in bad and len(data["name"]) > 60:
        errors.append(FieldError("name", "配置名称不能超过 60 个字符"))
    if "ie_flag" not in bad and data["ie_flag"] not in IEFlag.values:
        errors.append(FieldError("ie_flag", "请选择进出口标志"))
    if "scope" not in bad and data["scope"] not in ProfileScope.values:
        errors.append(FieldError("scope", "请选择生效方式"))
    if "batch_wait_seconds" not in bad and not WAIT_MIN <= data["batch_wait_seconds"] <= WAIT_MAX:
        errors.append(FieldError("batch_wait_seconds", f"统计时配置应在 {WAIT_MIN} 到 {WAIT_MAX} 秒之间"))
    if data["scope"] == ProfileScope.ENTERPRISE:
        data["user_ids"] = []
        if not data["agent_code"] and not data["trade_code"] and not {"agent_code", "trade_code"} & bad:
            errors.append(FieldError("agent_code", "按企业生效时请填写申报单位或境内收发货人"))
        for name, label in (("agent_code", "申报单位"), ("trade_code", "境内收发货人")):
            if data[name] and name not in bad:
                message = _code_error(data[name])
                if message:
                    errors.append(FieldError(name, f"{label}: {message}"))
    elif data["scope"] == ProfileScope.USER:
        data["agent_code"] = data["trade_code"] = ""
        if not data["user_ids"]:
            errors.append(FieldError("user_ids", "按用户生效时请选择至少一名用户"))
    if data["compare_required"] and not data["manifest_required"]:
        data["manifest_required"] = True  # comparing needs the manifest: 比对后 implies 有舱单
    return data, errors


def _conflicts(enterprise: Enterprise, data: dict[str, Any], exclude_pk: int | None) -> list[FieldError]:
    if not data["enabled"]:
        return []
    others = Profile.objects.for_enterprise(enterprise).filter(enabled=True, ie_flag=data["ie_flag"],
                                                                 scope=data["scope"])
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if data["scope"] == ProfileScope.ENTERPRISE:
        for other in others:
            agent_same = same_company(other.agent_code, data["agent_code"], enterprise) or (
                not other.agent_code and not data["agent_code"])
            trade_same = same_company(other.trade_code, data["trade_code"], enterprise) or (
                not other.trade_code and not data["trade_code"])
            if agent_same and trade_same:
                field = "trade_code" if data["trade_code"] else "agent_code"
                return [FieldError(field, DUPLICATE)]
        return []
    wanted = set(data["user_ids"])
    for other in others.prefetch_related("users"):
        clash = [u for u in other.users.all() if u.pk in wanted]
        if clash:
            who = clash[0].get_full_name() or clash[0].get_username()
            return [FieldError("user_ids", DUPLICATE_USER.format(user=who, name=other.name))]
    return []


def _check_users(enterprise: Enterprise, user_ids: list[int]) -> list[FieldError]:
    if not user_ids:
        return []
    found = set(Membership.objects.filter(enterprise=enterprise, is_active=True, user_id__in=user_ids)
                .values_list("user_id", flat=True))
    missing = [i for i in user_ids if i not in found]
    return [FieldError("user_ids", f"用户 {', '.join(map(str, missing))} 不是本企业成员")] if missing else []


def _validate(actor: Actor, raw: dict[str, Any], base: dict[str, Any], exclude_pk: int | None) -> dict[str, Any]:
    data, errors = _clean(raw, base)
    errors += _check_users(actor.enterprise, data["user_ids"])
    if errors:
        raise ServiceError.fields(errors)
    # Serialise profile writes of one enterprise, so two saves cannot both pass the rule.
    Enterprise.objects.select_for_update().filter(pk=actor.enterprise.pk).first()
    conflicts = _conflicts(actor.enterprise, data, exclude_pk)
    if conflicts:
        raise ServiceError.fields(conflicts, conflicts[0].message)
    return data


def _save(profile: Profile, data: dict[str, Any]) -> Profile:
    for name in FIELDS:
        setattr(profile, name, data[name])
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:  # the database's unique constraint, should a concurrent save slip past
        raise ServiceError.fields([FieldError("agent_code", DUPLICATE)], DUPLICATE) from None
    profile.users.set(data["user_ids"])
    return profile


def _snapshot(profile: Profile) -> dict[str, Any]:
    out = {name: getattr(profile, name) for name in FIELDS}
    out["users"] = ", ".join(sorted(u.get_username() for u in profile.users.all())) if profile.pk else ""
    return out


@transaction.atomic
def create_profile(actor: Actor, raw: dict[str, Any]) -> Profile:
    require_enabled(actor)
    require_profile_manager(actor, "新增预配置")
    data = _validate(actor, raw, DEFAULTS, None)
    profile = _save(Profile(enterprise=actor.enterprise, created_by=actor.user), data)
    filled = {k: v for k, v in _snapshot(profile).items() if v not in ("", None)}
    audit.record(actor, profile, "新增预配置", after="启用" if profile.enabled else "停用",
                 changes=audit.diff({}, filled))
    return profile


@transaction.atomic
def update_profile(actor: Actor, profile_id: int | str, raw: dict[str, Any]) -> Profile:
    profile = get_profile(actor, profile_id, for_update=True)  # 404 before anything else
    require_enabled(actor)
    require_profile_manager(actor, "修改预配置")
    before = _snapshot(profile)
    base = {**before, "user_ids": list(profile.users.values_list("pk", flat=True))}
    data = _validate(actor, raw, base, profile.pk)
    _save(profile, data)
    changes = audit.diff(before, _snapshot(profile))
    if changes:
        audit.record(actor, profile, "修改预配置", before="启用" if before["enabled"] else "停用",
                     after="启用" if profile.enabled else "停用", changes=changes)
    return profile


@transaction.atomic
def delete_profiles(actor: Actor, ids: list[int | str]) -> int:
    """Delete profiles; the runs that used them keep running with the rest (or stop when none is left)."""
    profiles = [get_profile(actor, pk, for_update=True) for pk in ids]
    require_enabled(actor)
    require_profile_manager(actor, "删除预配置")
    from .runs import stop_runs_without_profiles

    for profile in profiles:
        audit.record(actor, profile, "删除预配置", before="启用" if profile.enabled else "停用", after="已删除",
                     changes=audit.diff(_snapshot(profile), {}))
        profile.delete()
    stop_runs_without_profiles(actor)
    return len(profiles)
