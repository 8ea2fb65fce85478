"""The 不规范 reasons customs gave an enterprise for an HS code (for the 申报要素 checker's warnings)."""

from __future__ import annotations

from guanwu.tenancy.models import Enterprise

from ..models import Conclusion
from .library import reviewed_for


def for_code(enterprise: Enterprise, code_ts: str, limit: int = 20) -> list[tuple[str, str]]:
    """Distinct (element, reason) pairs of the reviewed rows naming ``enterprise`` (申报单位 or
    收发货人) with 审核结论 不规范 for ``code_ts``, newest review first."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    rows = reviewed_for(enterprise).filter(code_ts=code_ts, conclusion=Conclusion.NONSTANDARD).order_by(
        "-decl_date", "-id").values_list("reasons", flat=True)[:200]
    for reasons in rows:
        for element, reason in reasons:
            pair = (element, reason)
            if pair not in seen:
                seen.add(pair)
                out.append(pair)
                if len(out) >= limit:
                    return out
    return out
