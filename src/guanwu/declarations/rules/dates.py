"""进出口日期 and the 申报期限."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..payload import DeclarationData
from .base import Findings

# 《中华人民共和国海关征收进口货物滞报金办法》: an import is declared within 14 days of the
# conveyance's arrival (运输工具申报进境之日起十四日内); from the day after the deadline to the
# day of declaration customs levies 0.5‰ of the customs value a day, 滞报金 under 50 元 is not
# levied. A deadline on a public holiday moves to the next working day; guanwu has no holiday
# calendar, so the warning may come a few days early around holidays (said in the message).
DECLARATION_PERIOD_DAYS = 14
LATE_FEE_RATE = "0.5‰"


def export_date_empty(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """出口日期 "指运载出口货物的运输工具办结出境手续的日期, 在申报时免予填报" (进出口日期 entry):
    customs fills it in."""
    if on_declare and data.ie_flag == "E" and data.head.get("ie_date"):
        out.error("ie_date", "出口日期由海关在运输工具办结出境手续后填写, 申报时免予填报")


def import_date_not_future(data: DeclarationData, today: dt.date, out: Findings) -> None:
    """进口日期 is the day the conveyance declared its arrival: not later than today."""
    ie_date = data.head.get("ie_date")
    if data.ie_flag == "I" and ie_date and ie_date > today:
        out.warn("ie_date", "进口日期晚于今天, 请确认")


def late_declaration(data: DeclarationData, today: dt.date, out: Findings) -> None:
    """滞报金 warning: an import declared more than 14 days after arrival pays 0.5‰ of its customs
    value for each day late."""
    ie_date = data.head.get("ie_date")
    if data.ie_flag != "I" or not ie_date:
        return
    late = (today - ie_date).days - DECLARATION_PERIOD_DAYS
    if late > 0:
        deadline = ie_date + dt.timedelta(days=DECLARATION_PERIOD_DAYS)
        out.warn("ie_date", f"进口日期{ie_date:%Y-%m-%d}起已逾{DECLARATION_PERIOD_DAYS}天申报期限"
                            f"(截至{deadline:%Y-%m-%d}, 遇法定节假日顺延) {late}天: "
                            f"海关将按完税价格的{LATE_FEE_RATE}每日征收滞报金, "
                            f"约为完税价格 × {late} × 0.0005 (不足50元免征)")


def check_dates(data: DeclarationData, on_declare: bool, as_of: dt.date | None, out: Findings) -> None:
    today = as_of or timezone.localdate()
    export_date_empty(data, on_declare, out)
    import_date_not_future(data, today, out)
    late_declaration(data, today, out)
