"""How many of the enterprise's historical items each checker rule would have flagged (issue 17
section 6: "a report of how many of the enterprise's historical items each rule would have
flagged").

The items are those of the enterprise's released declarations (放行 and 结关), read as
``values_list`` in chunks (no model instances), each checked with the tariff of today (the
catalog the broker declares against next; looked up once per code) and the declaration's
进出口标志. Repeated texts are checked once. An item counts once per rule however many of its
elements the rule flags; a rule that both erred and warned on it counts as an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from guanwu.declarations.models import DeclarationItem, DeclarationStatus
from guanwu.params import services as params
from guanwu.tenancy.context import Actor

from . import checker
from .registry import ERROR, RULES, Finding

CHUNK = 2000
RESULT_CACHE = 50_000  # distinct (code, text, direction) results kept while reading
HISTORY = (DeclarationStatus.RELEASED, DeclarationStatus.CLOSED)

# The rules in the order the report lists them, with their Chinese names.
LABELS: dict[str, str] = {
    checker.COUNT: "申报要素项数与税则一致",
    checker.CODE_SET: "品牌类型 0-4 / 出口享惠情况 0-3",
    checker.REQUIRED: "必填申报要素不为空",
    "brand": "品牌与品牌类型一致 (品牌类型0填“无品牌”)",
    "gtin": "GTIN 条形码校验位",
    "cas": "CAS 号校验位",
    "choice": "按目录列明的选项填报",
    "yes_no": "“是否”类要素明确是或否",
    "date": "签约日期/计价日期为日期",
    "composition": "成分含量百分比合计100%",
    "units": "规格/重量注明计量单位",
    "model": "型号已填或填“无型号”",
}


@dataclass
class RuleCount:
    rule: str
    label: str
    items: int = 0
    errors: int = 0
    warnings: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "label": self.label, "items": self.items, "errors": self.errors,
                "warnings": self.warnings}


@dataclass
class Report:
    total_items: int = 0  # released items read
    checked_items: int = 0  # with a 商品编号 of today's tariff and a 规格型号
    unknown_code_items: int = 0  # 商品编号 not in today's tariff (not checked)
    flagged_items: int = 0  # with at least one finding
    rules: dict[str, RuleCount] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_items": self.total_items, "checked_items": self.checked_items,
            "unknown_code_items": self.unknown_code_items, "flagged_items": self.flagged_items,
            "rules": [c.as_dict() for c in self.rules.values()],
        }


def _rule_names() -> list[str]:
    names = list(LABELS)
    names += [r.check.__name__ for r in RULES if r.check.__name__ not in LABELS]
    return names


def history(enterprise_id: int) -> Iterator[tuple[str, str, str]]:
    """(商品编号, 规格型号, 进出口标志) of every item of the enterprise's released declarations."""
    qs = (DeclarationItem.objects
          .filter(declaration__enterprise_id=enterprise_id, declaration__status__in=HISTORY)
          .order_by("pk").values_list("code_ts", "g_model", "declaration__ie_flag"))
    return qs.iterator(chunk_size=CHUNK)


def flag_report(actor: Actor) -> Report:
    """The statistics for the enterprise's administrator (they describe the whole enterprise)."""
    actor.require_admin("查看申报要素检查统计")
    return build_report(actor.enterprise.pk)


def build_report(enterprise_id: int, items: Iterator[tuple[str, str, str]] | None = None) -> Report:
    report = Report(rules={n: RuleCount(n, LABELS.get(n, n)) for n in _rule_names()})
    tariffs: dict[str, Any] = {}
    results: dict[tuple[str, str, str], dict[str, str]] = {}
    counts = report.rules
    for code_ts, g_model, ie_flag in (history(enterprise_id) if items is None else items):
        report.total_items += 1
        if code_ts not in tariffs:
            tariffs[code_ts] = params.tariff_item(code_ts) if code_ts else None
        tariff = tariffs[code_ts]
        if tariff is None:
            report.unknown_code_items += 1
            continue
        if not g_model:
            continue
        report.checked_items += 1
        key = (code_ts, g_model, ie_flag or "")
        levels = results.get(key)
        if levels is None:
            levels = _levels(checker.check_text(tariff, g_model, ie_flag or ""))
            if len(results) < RESULT_CACHE:
                results[key] = levels
        if not levels:
            continue
        report.flagged_items += 1
        for rule, level in levels.items():
            count = counts.get(rule)
            if count is None:
                count = counts[rule] = RuleCount(rule, LABELS.get(rule, rule))
            count.items += 1
            if level == ERROR:
                count.errors += 1
            else:
                count.warnings += 1
    return report


def _levels(found: list[Finding]) -> dict[str, str]:
    """rule -> the item's level for it (error over warning)."""
    levels: dict[str, str] = {}
    for f in found:
        if levels.get(f.rule) != ERROR:
            levels[f.rule] = f.level
    return levels
