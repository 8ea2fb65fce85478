"""商品批次号: 物流简码 + 日期 + 企业简码 + 两位流水号.

Source: seed 003 (陕西电子口岸《跨境通关服务平台-一般出口管理 业务流程指南》V1.0, 9710 出口订单管理,
step 4): "注：商品批次号格式：物流简码+日期+企业简码+两位流水号". The guide gives no width for the
日期: the platform writes it as 8 digits ``YYYYMMDD`` (the date format of the CEB messages,
InventoryHead/ieDate), e.g. ``SF`` + ``20240920`` + ``XAYH`` + ``01`` = ``SF20240920XAYH01``.
The 简码 are the enterprise's settings (企业简码: upper-case letters and digits) and its logistics
companies' (物流简码: upper-case letters only, so that the date that follows it reads without
knowing the codes, as the customs side reads it from the messages' 备注).

Pure: no database. ``check_batch_no`` reads a number from right to left (流水号, 企业简码, then
the 物流简码 that starts it and the 日期 between) and raises :class:`BatchNoError` naming the
part that is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

SHORT_CODE = re.compile(r"^[A-Z0-9]{1,10}$")
LOGISTICS_CODE = re.compile(r"^[A-Z]{1,10}$")
DATE_WIDTH = 8
SERIAL_WIDTH = 2
MAX_LENGTH = 40

PART_LABELS = {
    "batch_no": "商品批次号",
    "logistics": "物流简码",
    "date": "日期",
    "enterprise": "企业简码",
    "serial": "流水号",
}


class BatchNoError(ValueError):
    """A batch number that does not read; ``part`` is one of PART_LABELS."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(message)
        self.part = part
        self.message = message


@dataclass(frozen=True)
class BatchParts:
    logistics_short_code: str
    batch_date: dt.date
    enterprise_short_code: str
    serial: int

    @property
    def batch_no(self) -> str:
        return compose_batch_no(self.logistics_short_code, self.batch_date, self.enterprise_short_code, self.serial)


def short_code_problem(code: str, what: str) -> str:
    """"" for a usable 简码, else the Chinese reason (``what``: 企业简码 or 物流简码)."""
    if not code:
        return f"{what}不能为空"
    if what == "物流简码":
        return "" if LOGISTICS_CODE.match(code) else f"物流简码“{code}”应为1-10位大写字母"
    if not SHORT_CODE.match(code):
        return f"{what}“{code}”应为1-10位大写字母或数字"
    return ""


def compose_batch_no(logistics_short_code: str, day: dt.date, enterprise_short_code: str, serial: int) -> str:
    if not 1 <= serial <= 99:
        raise BatchNoError("serial", f"流水号应为01-99，实际为{serial}")
    return f"{logistics_short_code}{day:%Y%m%d}{enterprise_short_code}{serial:02d}"


def check_batch_no(batch_no: str, enterprise_short_code: str, logistics_short_codes: Iterable[str]) -> BatchParts:
    """The parts of ``batch_no``; BatchNoError naming the wrong part otherwise.

    ``enterprise_short_code``: the enterprise's 企业简码 (settings); ``logistics_short_codes``: the
    物流简码 of its logistics companies. Leading and trailing blanks are ignored."""
    number = (batch_no or "").strip()
    if not number:
        raise BatchNoError("batch_no", "请填写商品批次号（物流简码+日期+企业简码+两位流水号）")
    if len(number) > MAX_LENGTH:
        raise BatchNoError("batch_no", f"商品批次号最长{MAX_LENGTH}位，实际{len(number)}位")
    if not re.fullmatch(r"[A-Za-z0-9]+", number):
        raise BatchNoError("batch_no", f"商品批次号“{number}”只能由字母和数字组成")
    if number != number.upper():
        raise BatchNoError("batch_no", f"商品批次号“{number}”中的字母应为大写")
    if not enterprise_short_code:
        raise BatchNoError("enterprise", "本企业尚未设置企业简码，请先在跨境设置中填写")
    codes = sorted({c for c in logistics_short_codes if c}, key=len, reverse=True)
    if not codes:
        raise BatchNoError("logistics", "尚未设置物流企业的物流简码，请先在跨境设置中添加物流企业")
    serial_text = number[-SERIAL_WIDTH:]
    if len(number) <= SERIAL_WIDTH or not serial_text.isdigit() or serial_text == "00":
        raise BatchNoError("serial", f"流水号（最后两位）应为01-99的两位数字，实际为“{serial_text}”")
    rest = number[:-SERIAL_WIDTH]
    if not rest.endswith(enterprise_short_code):
        got = rest[-len(enterprise_short_code):] if len(rest) >= len(enterprise_short_code) else rest
        raise BatchNoError(
            "enterprise", f"企业简码（流水号前）应为本企业的“{enterprise_short_code}”，实际为“{got}”"
        )
    rest = rest[: len(rest) - len(enterprise_short_code)]
    logistics = next((c for c in codes if rest.startswith(c) and len(rest) - len(c) == DATE_WIDTH), None)
    if logistics is None:
        logistics = next((c for c in codes if rest.startswith(c)), None)
    if logistics is None:
        got = rest[:-DATE_WIDTH] if len(rest) > DATE_WIDTH else rest
        raise BatchNoError(
            "logistics", f"物流简码“{got}”不是已设置的物流简码（{'、'.join(sorted(codes))}）"
        )
    date_text = rest[len(logistics):]
    if len(date_text) != DATE_WIDTH or not date_text.isdigit():
        raise BatchNoError("date", f"日期“{date_text}”应为8位数字YYYYMMDD")
    try:
        day = dt.datetime.strptime(date_text, "%Y%m%d").date()
    except ValueError:
        raise BatchNoError("date", f"日期“{date_text}”不是有效日期（YYYYMMDD）") from None
    return BatchParts(logistics, day, enterprise_short_code, int(serial_text))
