"""Customs' business checks on a received DecMessage: coded Chinese reasons, like real 退单 notes.

``check_declaration(message) -> list[str]``, each ``"[code] text"``; empty when it passes:
codes in their parameter tables, HS code in the tariff, 申报要素 count, legal units, net <= gross,
licence conditions (监管条件 other than A/B need a 随附单证 of that code), and for sea (2) and
air (5) transport a manifest with the bill no.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from guanwu.messages.dec import DecMessageData
from guanwu.params import services as params

from .models import Manifest

log = logging.getLogger(__name__)

# Reason codes written in DEC_RESULT notes.
CODE_UNKNOWN = "0010"  # a code not in its parameter table
CODE_TARIFF = "0101"  # HS code not in the tariff
CODE_ELEMENTS = "0102"  # 申报要素 count differs from the tariff
CODE_UNIT = "0103"  # legal unit differs from the tariff
CODE_SECOND_QTY = "0104"  # second legal quantity missing
CODE_WEIGHT = "0201"  # net weight above gross weight
CODE_LICENCE = "0301"  # licence condition without its 随附单证
CODE_NO_MANIFEST = "0069"  # bill no. not in the manifests

HEAD_CODES: tuple[tuple[str, str, str], ...] = (
    ("CustomMaster", "申报地海关", "customs-offices"),
    ("IEPort", "进出境关别", "customs-offices"),
    ("TradeMode", "监管方式", "trade-modes"),
    ("CutMode", "征免性质", "cut-modes"),
    ("TrafMode", "运输方式", "transport-modes"),
    ("TransMode", "成交方式", "transaction-modes"),
    ("TradeCountry", "启运国/运抵国", "countries"),
    ("TradeAreaCode", "贸易国别", "countries"),
    ("DistinatePort", "经停港/指运港", "ports"),
    ("DespPortCode", "启运港", "ports"),
    ("EntyPortCode", "入境口岸/离境口岸", "entry-ports"),
    ("WrapType", "包装种类", "wrap-types"),
    ("FeeCurr", "运费币制", "currencies"),
    ("InsurCurr", "保险费币制", "currencies"),
    ("OtherCurr", "杂费币制", "currencies"),
)
ITEM_CODES: tuple[tuple[str, str, str], ...] = (
    ("GUnit", "成交计量单位", "units"),
    ("FirstUnit", "法定第一计量单位", "units"),
    ("SecondUnit", "法定第二计量单位", "units"),
    ("TradeCurr", "成交币制", "currencies"),
    ("OriginCountry", "原产国(地区)", "countries"),
    ("DestinationCountry", "最终目的国(地区)", "countries"),
    ("DutyMode", "征免方式", "duty-modes"),
    ("DistrictCode", "境内目的地/境内货源地", "districts"),
    ("DestCode", "目的地代码", "admin-divisions"),
    ("OrigPlaceCode", "原产地区代码", "origin-areas"),
)
MANIFEST_TRAF_MODES = {"2": "水路运输", "5": "航空运输"}
# 监管条件 that inspection within the declaration satisfies (2018 关检融合): no document.
NO_DOCUMENT_CONDITIONS = frozenset("AB")
# Licences that stand in for one another (出口许可证 and its 加工贸易/边境小额 forms, ...).
EQUIVALENT_LICENCES = ({"4", "x", "y"}, {"7", "v"})


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date() if text else None
    except ValueError:
        return None


def _code_problem(slug: str, value: str) -> bool:
    """True when ``value`` is given and not in table ``slug``; a table not loaded checks nothing."""
    if not value or not params.table_exists(slug):
        return False
    return not params.code_exists(slug, value)


def _tariff_loaded() -> bool:
    return params.search_tariff("", 1)[0] > 0


def _licence_applies(code: str, ie_flag: str) -> bool:
    """A condition naming one direction (进口/入境 vs 出口/出境) applies to that direction only."""
    name = params.code_name("licence-docs", code) if params.table_exists("licence-docs") else None
    if not name:
        return True
    both = "进出" in name  # 进出口 / 进出境
    imports = both or "进口" in name or "入境" in name
    exports = both or "出口" in name or "出境" in name
    if imports and not exports:
        return ie_flag != "E"
    if exports and not imports:
        return ie_flag != "I"
    return True


def _satisfied(code: str, declared: set[str]) -> bool:
    if code in declared:
        return True
    return any(code in group and group & declared for group in EQUIVALENT_LICENCES)


def manifest_exists(bill_no: str) -> bool:
    """The bill no. as declared, or its master part (``MASTER_HOUSE`` / ``MASTER*HOUSE``)."""
    bill_no = bill_no.strip()
    candidates = {bill_no}
    for sep in ("_", "*"):
        if sep in bill_no:
            candidates.add(bill_no.split(sep, 1)[0])
    return Manifest.objects.filter(bill_no__in=[c for c in candidates if c]).exists()


def check_declaration(message: DecMessageData) -> list[str]:
    """Every business problem of ``message`` as ``[code] text``; ``[]`` when customs accepts it."""
    head = message.head
    problems: list[str] = []
    ie_flag = head.get("IEFlag", "")

    for element, label, slug in HEAD_CODES:
        value = head.get(element, "")
        if _code_problem(slug, value):
            problems.append(f"[{CODE_UNKNOWN}] 表头 {label}({element}) 代码 {value} 不存在")

    net, gross = _decimal(head.get("NetWt", "")), _decimal(head.get("GrossWet", ""))
    if net is not None and gross is not None and net > gross:
        problems.append(f"[{CODE_WEIGHT}] 净重(NetWt) {head['NetWt']} 大于毛重(GrossWet) {head['GrossWet']}")

    as_of = _date(head.get("IEDate", "")) or _date(head.get("DDate", "")) or None
    tariff_loaded = _tariff_loaded()
    declared_docs = {row.get("DocuCode", "").strip() for row in message.licences if row.get("DocuCode")}
    missing_docs: dict[str, list[str]] = {}

    for item in message.items:
        g_no = item.get("GNo", "") or "?"
        where = f"第{g_no}项"
        for element, label, slug in ITEM_CODES:
            value = item.get(element, "")
            if _code_problem(slug, value):
                problems.append(f"[{CODE_UNKNOWN}] {where} {label}({element}) 代码 {value} 不存在")
        code_ts = item.get("CodeTS", "")
        if not tariff_loaded or not code_ts:
            continue
        tariff = params.tariff_item(code_ts, as_of) or params.tariff_item(code_ts)
        if tariff is None:
            problems.append(f"[{CODE_TARIFF}] {where} 商品编号(CodeTS) {code_ts} 在商品税则中不存在")
            continue
        if tariff.elements:
            count = len(item.get("GModel", "").split("|"))
            if count != len(tariff.elements):
                problems.append(
                    f"[{CODE_ELEMENTS}] {where} 规格型号(GModel) 申报要素应为{len(tariff.elements)}项"
                    f"（{'|'.join(tariff.elements)}），实际为{count}项"
                )
        for element, label, expected in (
            ("FirstUnit", "法定第一计量单位", tariff.first_unit),
            ("SecondUnit", "法定第二计量单位", tariff.second_unit),
        ):
            actual = item.get(element, "")
            if (expected or "") != actual:
                problems.append(
                    f"[{CODE_UNIT}] {where} {label}({element}) 应为{expected or '空'}，实际为{actual or '空'}"
                )
        if tariff.second_unit and not _decimal(item.get("SecondQty", "")):
            problems.append(
                f"[{CODE_SECOND_QTY}] {where} 商品编号 {code_ts} 有法定第二计量单位，第二法定数量(SecondQty)应大于0"
            )
        for condition in tariff.licence_codes or "":
            if condition in NO_DOCUMENT_CONDITIONS or not _licence_applies(condition, ie_flag):
                continue
            if not _satisfied(condition, declared_docs):
                missing_docs.setdefault(condition, []).append(g_no)

    for condition, g_nos in missing_docs.items():
        name = params.code_name("licence-docs", condition) if params.table_exists("licence-docs") else None
        problems.append(
            f"[{CODE_LICENCE}] 第{','.join(g_nos)}项 监管条件 {condition}"
            f"{f'({name})' if name else ''} 需随附单证(LicenseDocu)代码 {condition}，未申报"
        )

    traf_mode = head.get("TrafMode", "")
    if traf_mode in MANIFEST_TRAF_MODES:
        bill_no = head.get("BillNo", "").strip()
        if not bill_no:
            problems.append(f"[{CODE_NO_MANIFEST}] {MANIFEST_TRAF_MODES[traf_mode]}须填报提运单号")
        elif not manifest_exists(bill_no):
            problems.append(f"[{CODE_NO_MANIFEST}] 提运单号在舱单中不存在：{bill_no}")
    return problems
