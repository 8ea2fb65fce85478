"""What every rule module shares: the findings, field labels by direction, small helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from guanwu.core.errors import FieldError
from guanwu.params import goods

from ..models import Declaration
from ..payload import CHILD_BY_KEY, DeclarationData, label


@dataclass
class Findings:
    """``strict``: 申报. On 暂存 the business rules (elements, totals, weights) only warn, so a
    half-keyed declaration can be saved; required fields, codes and the HS code always count."""

    strict: bool = True
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)

    def rule(self, path: str, message: str) -> None:
        (self.errors if self.strict else self.warnings).append(FieldError(path, message))

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(FieldError(path, message))

    @property
    def ok(self) -> bool:
        return not self.errors


def item_field_label(name: str, ie_flag: str) -> str:
    """The Chinese name of an item field as the form shows it for an import or export.

    The dictionary's note: for an export, OriginCountry holds the destination and
    DestinationCountry the origin."""
    if ie_flag == "E":
        if name == "origin_country":
            return "最终目的国(地区)"
        if name == "destination_country":
            return "原产国(地区)"
        if name == "district_code":
            return "境内货源地"
    elif ie_flag == "I":
        if name == "district_code":
            return "境内目的地"
        if name == "dest_code":
            return "境内目的地(行政区划)"
    if name == "origin_country":
        return "原产国(地区)"
    return label(CHILD_BY_KEY["items"].model, name)


# Head fields named differently on the import and the export form (填制规范: 进境关别/出境关别,
# 启运国/运抵国, 经停港/指运港, 入境口岸/离境口岸, 进口日期/出口日期). 启运港 and 货物存放地点
# are import fields (see required.DIRECTION_ONLY).
DIRECTIONAL_LABELS: dict[str, tuple[str, str]] = {
    "ie_port": ("进境关别", "出境关别"),
    "trade_country": ("启运国(地区)", "运抵国(地区)"),
    "distinate_port": ("经停港", "指运港"),
    "enty_port_code": ("入境口岸", "离境口岸"),
    "ie_date": ("进口日期", "出口日期"),
    "desp_port_code": ("启运港", "启运港(仅进口)"),
    "goods_place": ("货物存放地点", "货物存放地点(仅进口)"),
}
_UNDIRECTED = {
    "trade_country": "启运国/运抵国", "enty_port_code": "入境/离境口岸", "ie_date": "进出口日期",
    "distinate_port": "经停港/指运港", "ie_port": "进出境关别", "desp_port_code": "启运港",
    "goods_place": "货物存放地点",
}


def head_label(name: str, ie_flag: str = "") -> str:
    if name in DIRECTIONAL_LABELS:
        if ie_flag in ("I", "E"):
            return DIRECTIONAL_LABELS[name][0 if ie_flag == "I" else 1]
        return _UNDIRECTED[name]
    return label(Declaration, name)


def filled(value: Any) -> bool:
    return value not in (None, "")


def add_item_findings(out: Findings, data: DeclarationData, index: int, found: list[goods.Finding]) -> None:
    """The shared goods checks' findings of item ``index``, under its path and 第N项."""
    row = data.items[index]
    for finding in found:
        path, message = item_path(index, finding.path), f"{item_prefix(row, index)} {finding.message}"
        if finding.level == goods.ERROR:
            out.error(path, message)
        elif finding.level == goods.WARNING:
            out.warn(path, message)
        else:
            out.rule(path, message)


def item_prefix(row: dict[str, Any], index: int) -> str:
    return f"第{row.get('g_no') or index + 1}项"


def item_path(index: int, name: str) -> str:
    return f"items[{index}].{name}"


def tariff_date(data: DeclarationData, as_of: dt.date | None) -> dt.date:
    return as_of or timezone.localdate()


def direction_name(ie_flag: str) -> str:
    return {"I": "进口", "E": "出口"}.get(ie_flag, "")
