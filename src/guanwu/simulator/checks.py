"""Customs' business checks on a received DecMessage: coded Chinese reasons, like real 退单 notes.

``check_declaration(message) -> list[str]``, each ``"[code] text"``; empty when it passes:
codes in their parameter tables, HS code in the tariff, 申报要素 count, legal units, net <= gross,
licence conditions (许可证号 for licences, 随附单证 for the other 监管证件, by direction and
监管方式), 备案号 and 征免性质 by 监管方式, and for sea (2) and air (5) transport the manifest
(舱单): the bill, its direction, 件数 and 毛重.

Reason codes: no public list of the codes customs writes in a 报关单 退单 note exists (the
project's sources say as much: sas_processing_trade/receipts.md, "no list of [nnnn] check
codes"). Every code here is the simulator's own and is written ``[SIM-nnnn]`` so nobody takes it
for a customs code; ``REASONS`` lists them with what they stand for. The rules behind them are
public (填制规范, tariff, 舱单比对) and named in each check.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from guanwu.gateway.customs import bill_candidates
from guanwu.messages.dec import DecMessageData
from guanwu.params import licence_conditions, trade_modes
from guanwu.params import services as params

from .models import ArrivalReport, Manifest

log = logging.getLogger(__name__)


def code(number: str) -> str:
    """A reason code of the simulator's own, as written in notes: ``[SIM-0069]``."""
    return f"[SIM-{number}]"


# Reason codes written in DEC_RESULT notes: all the simulator's own (see the module docstring).
CODE_UNKNOWN = code("0010")  # a code not in its parameter table
CODE_TARIFF = code("0101")  # HS code not in the tariff
CODE_ELEMENTS = code("0102")  # 申报要素 count differs from the tariff
CODE_UNIT = code("0103")  # legal unit differs from the tariff
CODE_SECOND_QTY = code("0104")  # second legal quantity missing
CODE_WEIGHT = code("0201")  # net weight above gross weight
CODE_LICENCE = code("0301")  # licence condition without its 随附单证
CODE_LICENCE_NO = code("0302")  # licence condition without its 许可证号 (or more than one licence)
CODE_MANUAL_NO = code("0401")  # 备案号 does not fit the 监管方式 / 征免性质
CODE_CUT_MODE = code("0402")  # 征免性质 missing or inconsistent with the 监管方式
CODE_NO_MANIFEST = code("0069")  # bill no. not in the manifests
CODE_MANIFEST_DIRECTION = code("0070")  # the manifest is of the other direction
CODE_MANIFEST_PACKS = code("0071")  # 件数 differs from the manifest
CODE_MANIFEST_WEIGHT = code("0072")  # 毛重 differs from the manifest beyond the tolerance
REASONS: dict[str, str] = {
    CODE_UNKNOWN: "代码不在参数表中", CODE_TARIFF: "商品编号不在税则中", CODE_ELEMENTS: "申报要素项数与税则不符",
    CODE_UNIT: "法定计量单位与税则不符", CODE_SECOND_QTY: "缺少第二法定数量", CODE_WEIGHT: "净重大于毛重",
    CODE_LICENCE: "监管条件要求的随附单证未申报", CODE_LICENCE_NO: "监管条件要求的许可证号未申报或不唯一",
    CODE_MANUAL_NO: "备案号与监管方式、征免性质不符", CODE_CUT_MODE: "征免性质与监管方式不符",
    CODE_NO_MANIFEST: "提运单号在舱单中不存在", CODE_MANIFEST_DIRECTION: "舱单进出口方向与报关单不符",
    CODE_MANIFEST_PACKS: "件数与舱单不符", CODE_MANIFEST_WEIGHT: "毛重与舱单不符",
}
# 毛重 may differ from the manifest by this share (the simulator's own tolerance: customs
# publishes none; 件数 must match exactly).
MANIFEST_WEIGHT_TOLERANCE = Decimal("0.05")

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


def find_manifest(bill_no: str) -> tuple[Manifest | None, bool]:
    """The manifest of a bill and whether it is the bill itself (False: its master bill)."""
    candidates = bill_candidates(bill_no)
    found = {m.bill_no: m for m in Manifest.objects.filter(bill_no__in=candidates)}
    for candidate in candidates:
        if candidate in found:
            return found[candidate], candidate == candidates[0]
    return None, False


def manifest_exists(bill_no: str) -> bool:
    return find_manifest(bill_no)[0] is not None


def arrival_reported(bill_no: str) -> bool:
    """运抵报告 for the bill (or its master bill) received."""
    return ArrivalReport.objects.filter(bill_no__in=bill_candidates(bill_no)).exists()


def manifest_problems(head: dict[str, str]) -> list[str]:
    """舱单比对: a sea or air declaration's bill is in a manifest of its direction, with the same
    件数 and the same 毛重 (within MANIFEST_WEIGHT_TOLERANCE). A house bill found through its
    master bill is compared by direction only: the master's figures cover every house bill."""
    traf_mode = head.get("TrafMode", "")
    if traf_mode not in MANIFEST_TRAF_MODES:
        return []
    bill_no = head.get("BillNo", "").strip()
    if not bill_no:
        return [f"{CODE_NO_MANIFEST} {MANIFEST_TRAF_MODES[traf_mode]}须填报提运单号"]
    manifest, exact = find_manifest(bill_no)
    if manifest is None:
        return [f"{CODE_NO_MANIFEST} 提运单号在舱单中不存在：{bill_no}"]
    problems = []
    ie_flag = head.get("IEFlag", "")
    if manifest.i_e_flag and ie_flag and manifest.i_e_flag != ie_flag:
        names = {"I": "进口", "E": "出口"}
        problems.append(f"{CODE_MANIFEST_DIRECTION} 提运单号{bill_no}为{names[manifest.i_e_flag]}舱单, "
                        f"与{names.get(ie_flag, ie_flag)}报关单不符")
    if not exact:
        return problems
    packs = _decimal(head.get("PackNo", ""))
    if manifest.pack_no is not None and packs is not None and packs != manifest.pack_no:
        problems.append(f"{CODE_MANIFEST_PACKS} 件数(PackNo) {head.get('PackNo')} 与舱单件数 {manifest.pack_no} 不符")
    gross = _decimal(head.get("GrossWet", ""))
    tolerance = (manifest.gross_wt or 0) * MANIFEST_WEIGHT_TOLERANCE
    if manifest.gross_wt and gross is not None and abs(gross - manifest.gross_wt) > tolerance:
        problems.append(f"{CODE_MANIFEST_WEIGHT} 毛重(GrossWet) {head.get('GrossWet')} 与舱单毛重 "
                        f"{manifest.gross_wt.normalize():f} 不符")
    return problems


def check_declaration(message: DecMessageData) -> list[str]:
    """Every business problem of ``message`` as ``[code] text``; ``[]`` when customs accepts it."""
    head = message.head
    problems: list[str] = []
    ie_flag = head.get("IEFlag", "")

    for element, label, slug in HEAD_CODES:
        value = head.get(element, "")
        if _code_problem(slug, value):
            problems.append(f"{CODE_UNKNOWN} 表头 {label}({element}) 代码 {value} 不存在")

    net, gross = _decimal(head.get("NetWt", "")), _decimal(head.get("GrossWet", ""))
    if net is not None and gross is not None and net > gross:
        problems.append(f"{CODE_WEIGHT} 净重(NetWt) {head['NetWt']} 大于毛重(GrossWet) {head['GrossWet']}")

    as_of = _date(head.get("IEDate", "")) or _date(head.get("DDate", "")) or None
    tariff_loaded = _tariff_loaded()
    declared_docs = {row.get("DocuCode", "").strip() for row in message.licences if row.get("DocuCode")}
    trade_mode = head.get("TradeMode", "")
    missing_docs: dict[str, list[str]] = {}
    licences: dict[str, list[str]] = {}

    for item in message.items:
        g_no = item.get("GNo", "") or "?"
        where = f"第{g_no}项"
        for element, label, slug in ITEM_CODES:
            value = item.get(element, "")
            if _code_problem(slug, value):
                problems.append(f"{CODE_UNKNOWN} {where} {label}({element}) 代码 {value} 不存在")
        code_ts = item.get("CodeTS", "")
        if not tariff_loaded or not code_ts:
            continue
        tariff = params.tariff_item(code_ts, as_of) or params.tariff_item(code_ts)
        if tariff is None:
            problems.append(f"{CODE_TARIFF} {where} 商品编号(CodeTS) {code_ts} 在商品税则中不存在")
            continue
        if tariff.elements:
            count = len(item.get("GModel", "").split("|"))
            if count != len(tariff.elements):
                problems.append(
                    f"{CODE_ELEMENTS} {where} 规格型号(GModel) 申报要素应为{len(tariff.elements)}项"
                    f"（{'|'.join(tariff.elements)}），实际为{count}项"
                )
        for element, label, expected in (
            ("FirstUnit", "法定第一计量单位", tariff.first_unit),
            ("SecondUnit", "法定第二计量单位", tariff.second_unit),
        ):
            actual = item.get(element, "")
            if (expected or "") != actual:
                problems.append(
                    f"{CODE_UNIT} {where} {label}({element}) 应为{expected or '空'}，实际为{actual or '空'}"
                )
        if tariff.second_unit and not _decimal(item.get("SecondQty", "")):
            problems.append(
                f"{CODE_SECOND_QTY} {where} 商品编号 {code_ts} 有法定第二计量单位，第二法定数量(SecondQty)应大于0"
            )
        for needed in licence_conditions.documents_needed(tariff.licence_codes, ie_flag, trade_mode):
            if needed.in_licence_no:
                licences.setdefault(needed.code, []).append(g_no)
            elif needed.code not in declared_docs:
                missing_docs.setdefault(needed.code, []).append(g_no)

    for condition, g_nos in missing_docs.items():
        name = licence_conditions.Needed(condition, False).name
        problems.append(
            f"{CODE_LICENCE} 第{','.join(g_nos)}项 监管条件 {condition}({name}) 需随附单证(LicenseDocu)代码 "
            f"{condition}，未申报"
        )
    if len(licences) > 1:
        problems.append(f"{CODE_LICENCE_NO} 商品需要不同的许可证({'、'.join(licences)})，"
                        "一份报关单只允许填报一个许可证号")
    elif licences and not head.get("LicenseNo", "").strip():
        (condition, g_nos), = licences.items()
        problems.append(f"{CODE_LICENCE_NO} 第{','.join(g_nos)}项 监管条件 {condition}"
                        f"({licence_conditions.Needed(condition, True).name}) 需填报许可证号(LicenseNo)，未申报")

    if trade_mode:
        cut_mode, manual_no = head.get("CutMode", ""), head.get("ManualNo", "")
        problems += [f"{CODE_MANUAL_NO} {p}" for p in trade_modes.manual_no_problems(trade_mode, cut_mode, manual_no)]
        problems += [f"{CODE_CUT_MODE} {p}" for p in trade_modes.cut_mode_problems(trade_mode, cut_mode)]
    problems += manifest_problems(head)
    return problems
