"""Conditional requirements and consistency rules the XSD cannot say, checked by
:func:`validate_sas` after the schema. Each rule names its source; where the sources are
silent and the rule is guanwu's own it says so.

Rules read the message as text (element -> text per block), so they work on any received
file, valid or not; a rule about a field whose value the schema already refuses stays quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .fields import block
from .structure import MessageShape

Row = dict[str, str]


@dataclass(frozen=True)
class Content:
    """The text of a message: head fields, and the rows of each block in order."""

    shape: MessageShape
    head: Row
    rows: dict[str, list[Row]]


# The elements the rules read from each repeating block (reading all of them from 1,000 list
# lines costs more than the schema check itself); a head is read whole.
ROW_ELEMENTS: dict[str, tuple[str, ...]] = {
    "InvtListType": ("GdsSeqno", "SecdLawfUnitcd", "SecdLawfQty"),
    "NemsImgList": ("GdsSeqno", "ModfMarkcd"),
    "NemsExgList": ("GdsSeqno", "ModfMarkcd"),
    "NemsCmList": ("GSeqno", "EndprdSeqno", "MtpckSeqno", "TgblLossRate", "IntgbLossRate", "ModfMarkcd"),
    "NemsTrImgTypes": ("GdsSeqno",),
    "NemsTrExgTypes": ("GdsSeqno",),
}


def _label(block_name: str, element: str) -> str:
    return block(block_name).get(element).label


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


# ----------------------------------------------------------------------------------- INV101

def _inv101(c: Content) -> list[str]:
    errors: list[str] = []
    h = c.head

    def need(element: str, why: str) -> None:
        if not h.get(element):
            errors.append(f"表头 {_label('InvtHeadType', element)}：{why}")

    flag, kind, dec_type = h.get("DclcusFlag", ""), h.get("DclcusTypecd", ""), h.get("DecType", "")
    # 报关标志 1 -> 报关类型 (关联/对应) and 报关单类型 must be given; 2 -> 报关类型 must be empty.
    # Sources: inv101_fields.csv DclcusTypecd ("DclcusFlag=2 时不可填"), Y InvtHeadType.java
    # dclcusTypecd ("当报关标志为1.报关时，企业可选择关联报关单/对应报关单；2.非报关该项不可填"),
    # P marks DecType required (the declaration the list generates).
    if flag == "1":
        need("DclcusTypecd", "报关标志为1-报关时必填（1-关联报关 2-对应报关）")
        need("DecType", "报关标志为1-报关时必填")
    elif flag == "2" and kind:
        errors.append(f"表头 {_label('InvtHeadType', 'DclcusTypecd')}：报关标志为2-非报关时不可填")
    # 对应报关 (2): the declaring agent of the corresponding declaration (Y, G).
    if flag == "1" and kind == "2":
        for element in ("CorrEntryDclEtpsNo", "CorrEntryDclEtpsNm"):
            need(element, "报关类型为2-对应报关时必填")
    # 关联报关 (1): the parties of the related declaration (Y: "当报关类型DCLCUS_TYPECD字段为1时，该字段必填").
    if flag == "1" and kind == "1":
        for element in ("RltEntryBizopEtpsno", "RltEntryBizopEtpsNm", "RltEntryRcvgdEtpsno", "RltEntryRcvgdEtpsNm",
                        "RltEntryDclEtpsno", "RltEntryDclEtpsNm"):
            need(element, "报关类型为1-关联报关时必填")
    # 两步申报 (DecType X/Y): the declaration number is required (Y EntryNo / RltEntryNo notes).
    if flag == "1" and dec_type in {"X", "Y"}:
        if kind == "2":
            need("EntryNo", "两步申报(报关单类型X/Y)且对应报关时必填")
        elif kind == "1":
            need("RltEntryNo", "两步申报(报关单类型X/Y)且关联报关时必填")
    items = c.rows.get("InvtListType", [])
    for n, item in enumerate(items, 1):
        # 第二法定数量 is required when there is a second legal unit (inv101_fields.csv SecdLawfQty).
        if item.get("SecdLawfUnitcd") and not item.get("SecdLawfQty"):
            errors.append(f"表体第{n}项 {_label('InvtListType', 'SecdLawfQty')}：有第二法定计量单位时必填")
    errors += _unique(items, "InvtListType", "GdsSeqno", "表体第{n}项")
    return errors


def _unique(rows: list[Row], block_name: str, element: str, where: str) -> list[str]:
    """A row's 序号 identifies it (receipts and BOM lines refer to rows by it): guanwu's rule,
    the sources only say 料件/成品 are numbered from 1 each."""
    seen: dict[str, int] = {}
    errors = []
    for n, row in enumerate(rows, 1):
        value = row.get(element, "")
        if not value:
            continue
        if value in seen:
            errors.append(f"{where.format(n=n)} {_label(block_name, element)}：“{value}”与第{seen[value]}项重复")
        else:
            seen[value] = n
    return errors


# ------------------------------------------------------------------------------ EMS111 / EMS101

def _record_and_change(c: Content, number: str, number_text: str) -> list[str]:
    """备案 (DclTypecd 1): first record, 变更次数 0 and no book/archive number yet; 变更 (2): the
    number of what changes and 变更次数 >= 1. Source: nems_fields.csv EmsNo ("备案时空, 变更时必填")
    and ChgTmsCnt ("首次备案 0"); the qualification follows NEMS (guanwu's own, no public rule)."""
    h, errors = c.head, []
    head = c.shape.head.block
    dcl_type, count = h.get("DclTypecd", ""), h.get("ChgTmsCnt", "")
    if dcl_type == "1":
        if h.get(number):
            errors.append(f"表头 {_label(head, number)}：备案申请时应为空（审批通过后由海关返填）")
        if count.isdigit() and int(count) != 0:
            errors.append(f"表头 {_label(head, 'ChgTmsCnt')}：备案申请时应为0")
    elif dcl_type == "2":
        if not h.get(number):
            errors.append(f"表头 {_label(head, number)}：变更申请时必填（{number_text}）")
        if count.isdigit() and int(count) < 1:
            errors.append(f"表头 {_label(head, 'ChgTmsCnt')}：变更申请时应为第几次变更（不小于1）")
    return errors


def _live(rows: list[Row]) -> list[Row]:
    """Rows not being deleted (修改标志 2-删除)."""
    return [r for r in rows if r.get("ModfMarkcd") != "2"]


def _nems(c: Content) -> list[str]:
    errors = _record_and_change(c, "EmsNo", "要变更的账册编号")
    imgs, exgs, cms = (c.rows.get(name, []) for name in ("NemsImgList", "NemsExgList", "NemsCmList"))
    errors += _unique(imgs, "NemsImgList", "GdsSeqno", "料件第{n}项")
    errors += _unique(exgs, "NemsExgList", "GdsSeqno", "成品第{n}项")
    errors += _unique(cms, "NemsCmList", "GSeqno", "单损耗第{n}项")
    img_seqnos = {r.get("GdsSeqno") for r in _live(imgs)}
    exg_seqnos = {r.get("GdsSeqno") for r in _live(exgs)}
    for n, cm in enumerate(cms, 1):
        where = f"单损耗第{n}项"
        if cm.get("ModfMarkcd") != "2":
            # Every BOM line points at a 成品 and a 料件 of the book (issue 15: what customs checks).
            endprd, mtpck = cm.get("EndprdSeqno", ""), cm.get("MtpckSeqno", "")
            if endprd and endprd not in exg_seqnos:
                errors.append(f"{where} {_label('NemsCmList', 'EndprdSeqno')}：成品序号{endprd}在成品表中不存在")
            if mtpck and mtpck not in img_seqnos:
                errors.append(f"{where} {_label('NemsCmList', 'MtpckSeqno')}：料件序号{mtpck}在料件表中不存在")
        # 损耗率 in [0, 100) and their sum < 100: 单耗 = 净耗 / (1 - (有形 + 无形) / 100) must stay
        # finite and positive (Single Window 单损耗 form, nems_fields.csv UcnsQty).
        rates = []
        for element in ("TgblLossRate", "IntgbLossRate"):
            value = _number(cm.get(element, ""))
            if value is None:
                continue
            rates.append(value)
            if value >= 100:  # a negative rate is the schema's error (minInclusive 0)
                errors.append(f"{where} {_label('NemsCmList', element)}：“{cm[element]}”应不小于0且小于100")
        if len(rates) == 2 and all(0 <= r < 100 for r in rates) and sum(rates) >= 100:
            errors.append(f"{where} 有形损耗率与无形损耗率之和应小于100")
    return errors


def _qualification(c: Content) -> list[str]:
    errors = _record_and_change(c, "NetwkEtpsArcrpNo", "要变更的档案库编号")
    errors += _unique(c.rows.get("NemsTrImgTypes", []), "NemsTrImgTypes", "GdsSeqno", "料件第{n}项")
    errors += _unique(c.rows.get("NemsTrExgTypes", []), "NemsTrExgTypes", "GdsSeqno", "成品第{n}项")
    return errors


RULES: dict[str, Callable[[Content], list[str]]] = {
    "INV101": _inv101, "EMS111": _nems, "EMS101": _qualification,
}


def check(content: Content) -> list[str]:
    """Rule errors of a message's content, in Chinese; ``[]`` when none applies."""
    return RULES[content.shape.message_type](content)
