"""What every 智能辅助申报 service needs: enablement, the profile right, 申报记录 lines."""

from __future__ import annotations

from django.db.models import Q

from guanwu.core.errors import Forbidden, ServiceError
from guanwu.declarations.models import Declaration
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise

from ..models import AutoDeclaration, AutoRecord, Batch, EnterpriseType, RecordLevel

NOT_ENABLED = "智能辅助申报尚未启用: 请企业管理员在「智能辅助申报 › 启用」阅读用户须知和企业承诺后启用"


def is_enabled(enterprise: Enterprise) -> bool:
    return bool(enterprise.setting("autodeclare_enabled"))


def require_enabled(actor: Actor) -> None:
    # The enterprise may have changed since the request loaded it: read the stored settings.
    settings = Enterprise.objects.filter(pk=actor.enterprise.pk).values_list("settings", flat=True).first() or {}
    if not settings.get("autodeclare_enabled", False):
        raise ServiceError(NOT_ENABLED, status=409)


def can_manage_profiles(actor: Actor) -> bool:
    """Admins always; operators when the enterprise allows it (业务设置)."""
    return actor.is_admin or bool(actor.enterprise.setting("operators_manage_profiles"))


def require_profile_manager(actor: Actor, what: str) -> None:
    if not can_manage_profiles(actor):
        raise Forbidden(f"{what}需要企业管理员权限 (企业管理员可在「业务设置」中允许操作员维护预配置)")


def user_label(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def add_record(
    auto: AutoDeclaration,
    message: str,
    *,
    level: str = RecordLevel.INFO,
    batch: Batch | None = None,
    reason_code: str = "",
    user=None,
) -> AutoRecord:
    return AutoRecord.objects.create(
        enterprise_id=auto.enterprise_id, auto=auto, batch=batch, level=level, reason_code=reason_code,
        message=message[:4000], user_name=user_label(user) if user is not None else "系统",
    )


def own_codes(enterprise: Enterprise) -> set[str]:
    return {c.upper() for c in (enterprise.customs_code, enterprise.scc) if c}


def same_company(a: str, b: str, enterprise: Enterprise) -> bool:
    """Two codes name the same company: equal, or the enterprise's own 10-digit code and its USCC."""
    a, b = (a or "").strip().upper(), (b or "").strip().upper()
    if not a or not b:
        return False
    if a == b:
        return True
    own = own_codes(enterprise)
    return a in own and b in own


def enterprise_type_q(enterprise: Enterprise, enterprise_type: str, prefix: str = "") -> Q:
    """Declarations where the enterprise is the 申报单位 (agent) or the 境内收发货人 (trade)."""
    if enterprise_type == EnterpriseType.AGENT:
        return Q(**{f"{prefix}agent_code": enterprise.customs_code}) | Q(**{f"{prefix}agent_code_scc": enterprise.scc})
    return Q(**{f"{prefix}trade_code": enterprise.customs_code}) | Q(**{f"{prefix}trade_co_scc": enterprise.scc})


def declaration_number(declaration: Declaration) -> str:
    """统一编号 (or 海关编号) once customs gave one; before that the ClientSeqNo, or the row id."""
    return declaration.entry_id or declaration.seq_no or declaration.client_seq_no or f"暂存-{declaration.pk}"
