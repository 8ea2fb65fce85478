"""The declaration rules: what 暂存 and 申报 require, and what customs would refuse.

``check(data, on_declare=...)`` runs on the plain ``DeclarationData`` of ``payload.py``, so the
form, the API, the Excel import and the declare service all apply the same rules. Errors name
the field in Chinese (and the item number for item fields) with the payload path as ``field``
(``items[0].code_ts``); warnings are unusual but legal input, shown before declaring.

One small function per rule, grouped by topic: ``required`` (the dictionary's 暂存/申报 flags
per direction), ``codes`` (parameter tables, fixed values), ``goods`` (tariff, 申报要素,
prices, legal quantities), ``licences`` (监管条件: 许可证号, 随附单证, inspection fields),
``charges`` (运费/保费/杂费 by 成交方式), ``trade_mode`` (备案号, 征免性质, 征免), ``transport``
(运输工具/航次/提运单, containers), ``packing`` (件数, weights, 其他包装) and ``dates``.

The tariff facts of one goods line (申报要素, legal units and quantities, inspection, 货物属性)
live in ``guanwu.params.goods``, shared with the commodity library and 智能辅助申报; ``goods``
and ``licences`` apply them to each item.

Sources: 《中华人民共和国海关进出口货物报关单填制规范》(海关总署公告2019年第18号 and later
changes), the DecMessage field dictionary (``guanwu.messages.dec.fields``), the parameter tables and the tariff
as of the declaration date (legal units, 申报要素, 监管条件). Each module names its sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..payload import DeclarationData
from .base import DIRECTIONAL_LABELS, Findings, head_label, item_field_label, tariff_date
from .charges import check_charges
from .codes import MARKS, check_codes
from .dates import check_dates
from .goods import check_goods, fill_legal_units, total_tolerance
from .licences import check_licences
from .packing import check_packing
from .required import HEAD_ALWAYS_OPTIONAL, check_required
from .trade_mode import check_trade_mode
from .transport import CONTAINER_NO, check_transport, container_check_digit_ok

__all__ = [
    "CONTAINER_NO", "DIRECTIONAL_LABELS", "HEAD_ALWAYS_OPTIONAL", "MARKS", "Findings", "check",
    "container_check_digit_ok", "fill_legal_units", "head_label", "item_field_label", "register_check",
    "tariff_date", "total_tolerance",
]

ExtraCheck = Callable[[DeclarationData, Findings, Any], None]
_EXTRA_CHECKS: list[ExtraCheck] = []


def register_check(func: ExtraCheck) -> ExtraCheck:
    """Add a rule from another module (e.g. the data center: only approved customers, licences
    with a balance). ``func(data, findings, enterprise)`` adds errors/warnings to ``findings``;
    ``findings.strict`` tells 申报 from 暂存 and ``findings.rule`` errs only on 申报."""
    _EXTRA_CHECKS.append(func)
    return func


def check(data: DeclarationData, *, on_declare: bool, as_of: dt.date | None = None, enterprise: Any = None) -> Findings:
    """Every error and warning of ``data`` for 暂存 (``on_declare=False``) or 申报."""
    out = Findings(strict=on_declare)
    check_required(data, on_declare, out)
    check_codes(data, out)
    tariffs = check_goods(data, on_declare, as_of, out)
    check_licences(data, tariffs, on_declare, out)
    check_charges(data, on_declare, out)
    check_trade_mode(data, out)
    check_transport(data, on_declare, out)
    check_packing(data, on_declare, out)
    check_dates(data, on_declare, as_of, out)
    for extra in _EXTRA_CHECKS:
        extra(data, out, enterprise)
    return out
