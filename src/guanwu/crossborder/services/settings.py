"""跨境设置: the enterprise's 企业简码 and message defaults; the logistics companies' 物流简码."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..batchno import short_code_problem
from ..models import CrossborderSettings, LogisticsCompany

SETTINGS_FIELDS = ["short_code", "customs_code", "port_code", "ebp_code", "ebp_name", "agent_code", "agent_name",
                   "dxp_id"]
LOGISTICS_FIELDS = ["logistics_code", "logistics_name", "short_code", "is_active"]


def get_settings(actor: Actor) -> CrossborderSettings:
    """The enterprise's settings; an unsaved row with the defaults when none is stored (a GET
    never writes)."""
    found = CrossborderSettings.objects.for_enterprise(actor.enterprise).first()
    return found or CrossborderSettings(enterprise=actor.enterprise)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


@transaction.atomic
def update_settings(actor: Actor, data: dict[str, Any]) -> CrossborderSettings:
    """Save the settings given in ``data`` (企业简码 upper-case letters and digits); admin only."""
    actor.require_admin("修改跨境设置")
    row = CrossborderSettings.objects.select_for_update().filter(enterprise=actor.enterprise).first()
    row = row or CrossborderSettings(enterprise=actor.enterprise)
    before = {f: getattr(row, f) for f in SETTINGS_FIELDS}
    errors = []
    for name in SETTINGS_FIELDS:
        if name in data:
            value = _text(data, name)
            if name == "short_code":
                value = value.upper()
                problem = short_code_problem(value, "企业简码")
                if problem:
                    errors.append(FieldError(name, problem))
            max_length = CrossborderSettings._meta.get_field(name).max_length
            if max_length and len(value) > max_length:
                errors.append(FieldError(name, f"最长{max_length}位"))
            setattr(row, name, value)
    if errors:
        raise ServiceError.fields(errors, errors[0].message if len(errors) == 1 else "跨境设置校验未通过")
    row.save()
    audit.record(actor, row, "修改跨境设置", changes=audit.diff(before, {f: getattr(row, f) for f in SETTINGS_FIELDS}))
    return row


def list_logistics_companies(actor: Actor, *, active_only: bool = False) -> QuerySet[LogisticsCompany]:
    qs = LogisticsCompany.objects.for_enterprise(actor.enterprise)
    return qs.filter(is_active=True) if active_only else qs


def get_logistics_company(actor: Actor, pk: int | str) -> LogisticsCompany:
    return get_owned(LogisticsCompany.objects.for_enterprise(actor.enterprise), pk, "物流企业")


@transaction.atomic
def save_logistics_company(actor: Actor, data: dict[str, Any], pk: int | str | None = None) -> LogisticsCompany:
    """Add (``pk`` None) or change a logistics company; its 物流简码 is unique in the enterprise."""
    row = get_logistics_company(actor, pk) if pk is not None else LogisticsCompany(enterprise=actor.enterprise)
    errors = []
    for name in ("logistics_code", "logistics_name", "short_code"):
        if name in data or pk is None:
            value = _text(data, name)
            value = value.upper() if name == "short_code" else value
            setattr(row, name, value)
    if "is_active" in data:
        row.is_active = bool(data["is_active"])
    problem = short_code_problem(row.short_code, "物流简码")
    if problem:
        errors.append(FieldError("short_code", problem))
    if not row.logistics_code:
        errors.append(FieldError("logistics_code", "物流企业代码不能为空"))
    elif len(row.logistics_code) > 18:
        errors.append(FieldError("logistics_code", "物流企业代码最长18位"))
    if not row.logistics_name:
        errors.append(FieldError("logistics_name", "物流企业名称不能为空"))
    if errors:
        raise ServiceError.fields(errors, errors[0].message if len(errors) == 1 else "物流企业校验未通过")
    taken = LogisticsCompany.objects.for_enterprise(actor.enterprise).filter(short_code=row.short_code)
    if row.pk:
        taken = taken.exclude(pk=row.pk)
    if taken.exists():
        raise ServiceError.fields([FieldError("short_code", f"物流简码{row.short_code}已被使用")],
                                  f"物流简码{row.short_code}已被使用")
    created = row.pk is None
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ServiceError.fields([FieldError("short_code", f"物流简码{row.short_code}已被使用")]) from None
    audit.record(actor, row, "添加物流企业" if created else "修改物流企业", after=str(row))
    return row


@transaction.atomic
def delete_logistics_company(actor: Actor, pk: int | str) -> None:
    row = get_logistics_company(actor, pk)
    audit.record(actor, row, "删除物流企业", before=str(row), after="已删除")
    row.delete()
