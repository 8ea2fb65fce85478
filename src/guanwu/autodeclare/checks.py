"""The checks a profile asks for before a declaration is sent, as plain functions.

Each check returns a :class:`Verdict`: pass (with a 申报记录 line), wait (stays 待申报 and is
tried again next batch) or fail (申报失败 with the reason). The engine runs them in order and
stops at the first verdict that is not a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from guanwu.declarations.models import Declaration
from guanwu.gateway.customs import ManifestInfo, ManifestSource
from guanwu.params.enums import IEFlag

PASS, WAIT, FAIL = "pass", "wait", "fail"

# Reason categories of waits and failures, for the desk's top-failure chart and the API.
REASONS: dict[str, str] = {
    "tax_unconfirmed": "自报自缴税费未确认",
    "no_bill_no": "未填报提运单号",
    "manifest_missing": "无舱单数据",
    "not_arrived": "未运抵",
    "mismatch": "与舱单比对不一致",
    "agreement_missing": "未生成代理报关委托协议",
    "warnings": "温馨提示未确认",
    "rules": "申报校验未通过",
    "declare_error": "申报发送失败",
    "no_profile": "无匹配的启用预配置",
    "manual": "已通过其他方式申报",
    "error": "系统错误",
}


@dataclass(frozen=True)
class Verdict:
    outcome: str
    message: str
    reason_code: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome == PASS


def weight_tolerance() -> Decimal:
    """Allowed difference of gross weights, as a fraction of the manifest's (default 3%)."""
    return Decimal(str(getattr(settings, "GUANWU_AUTODECLARE_WEIGHT_TOLERANCE", "0.03")))


def pack_tolerance() -> int:
    """Allowed difference of pieces (default 0: the same number)."""
    return int(getattr(settings, "GUANWU_AUTODECLARE_PACK_TOLERANCE", 0))


def _kg(value: Decimal | None) -> str:
    if value is None:
        return "空"
    return f"{value.normalize():f}"


def manifest_check(declaration: Declaration, source: ManifestSource) -> tuple[Verdict, ManifestInfo | None]:
    """有舱单申报: a manifest exists for the bill no."""
    bill_no = (declaration.bill_no or "").strip()
    if not bill_no:
        return Verdict(FAIL, "有舱单申报: 报关单未填报提运单号, 无法查询舱单", "no_bill_no"), None
    manifest = source.manifest(bill_no)
    if manifest is None:
        return Verdict(FAIL, f"有舱单申报: 未查询到提运单号 {bill_no} 的舱单数据", "manifest_missing"), None
    vessel = " ".join(p for p in (manifest.traf_name, manifest.voyage_no) if p)
    master = f" (主单 {manifest.bill_no})" if manifest.bill_no != bill_no else ""
    return Verdict(PASS, f"舱单校验通过: 提运单号 {bill_no}{master}{f', {vessel}' if vessel else ''}"), manifest


def arrival_check(declaration: Declaration, source: ManifestSource) -> Verdict:
    """运抵后申报: the arrival report is in; otherwise wait for a later batch."""
    bill_no = (declaration.bill_no or "").strip()
    if not bill_no:
        return Verdict(FAIL, "运抵后申报: 报关单未填报提运单号, 无法查询运抵报告", "no_bill_no")
    arrival = source.arrival(bill_no)
    if arrival is None:
        return Verdict(WAIT, f"运抵后申报: 提运单号 {bill_no} 尚未运抵, 运抵后再申报", "not_arrived")
    when = timezone.localtime(arrival.arrived_at).strftime("%Y-%m-%d %H:%M")
    where = f" {arrival.location}" if arrival.location else ""
    return Verdict(PASS, f"运抵校验通过: {when} 已运抵{where}")


def compare_check(declaration: Declaration, manifest: ManifestInfo | None) -> Verdict:
    """比对后申报: 进出口, gross weight and pieces agree with the manifest within the tolerances."""
    if manifest is None:
        return Verdict(FAIL, "比对后申报: 无舱单数据, 无法比对", "manifest_missing")
    problems: list[str] = []
    if manifest.ie_flag and declaration.ie_flag and manifest.ie_flag != declaration.ie_flag:
        problems.append(
            f"进出口标志 报关单为{IEFlag(declaration.ie_flag).label}, 舱单为{IEFlag(manifest.ie_flag).label}"
        )
    exact_bill = manifest.bill_no == (declaration.bill_no or "").strip()
    if exact_bill:  # a house bill's goods are only part of its master bill's weight and pieces
        gross, expected = declaration.gross_wet, manifest.gross_wt
        if expected is not None:
            allowed = expected * weight_tolerance()
            if gross is None or abs(gross - expected) > allowed:
                problems.append(
                    f"毛重 报关单 {_kg(gross)} 千克, 舱单 {_kg(expected)} 千克 "
                    f"(允许误差 {weight_tolerance() * 100:.0f}%)"
                )
        pieces, expected_pieces = declaration.pack_no, manifest.pack_no
        if expected_pieces is not None and (pieces is None or abs(pieces - expected_pieces) > pack_tolerance()):
            problems.append(f"件数 报关单 {pieces if pieces is not None else '空'}, 舱单 {expected_pieces}")
    if problems:
        return Verdict(FAIL, "比对后申报: 报关单与舱单比对不一致: " + "; ".join(problems), "mismatch")
    compared = "提运单号、进出口标志、毛重、件数" if exact_bill else "提运单号、进出口标志 (分单按主单舱单比对)"
    return Verdict(PASS, f"舱单比对一致: {compared}")
