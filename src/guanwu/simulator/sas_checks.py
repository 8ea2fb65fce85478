"""Customs' audit of the 加工贸易 messages: coded Chinese check lines in the seed's form
(``[9104] 商品编码在税则中不存在（料件第3项 商品编码 5208420099）, 退单``), built by
:func:`guanwu.messages.sas.check_line` from ``messages/sas/data/codes.csv`` table check_info.

Codes: ``3349`` and ``3402`` are the seed's (001 回执明细); every ``9xxx`` is the simulator's own
(no public list of 金二 check codes exists: receipts.md §8), listed in codes.csv with what it
stands for. Rules checked, each what customs checks (issue 15):

- codes against the parameter tables (主管海关/关别 9109, 计量单位 9105, 币制 9107, 国别 9108,
  监管方式/运输方式/征免方式 9100). 金二 messages carry the old numeric country and currency
  codes (142, 502): a code is known when the table has it as a current or an old code;
- each 料件/成品/清单 line's 商品编码 in the tariff (9104) and its 法定计量单位 the tariff's (9106);
- 序号 unique per table (9110);
- 单损耗: every line points at an existing 成品 (9101) and 料件 (9102) of the message and the
  book it changes; 有形/无形损耗率 in [0, 100) and their sum below 100 (9103; the Single Window
  单损耗 form: 单耗 = 净耗 / (1 - 损耗率) must stay finite);
- 变更 of a book or archive customs has not approved (9111 / 9113), 变更次数 not the next (9112);
- 核注清单 against a 加工贸易账册 (``E`` number) customs approved: the book exists (9200), each
  line's 备案序号 is in its 料件 (料件 list) or 成品 (成品 list) (9201) with the same 商品编码
  (9204) and 申报计量单位 (9205); an exported 成品 has a 单损耗 (9203); no material is overdrawn
  (9202: 进口料件 minus what exported 成品 consumed through the BOM and 料件 sent back; checked
  only when every line is known: a list with an unknown 备案序号 (9201) or a 成品 without 单损耗
  (9203) is sent back for that, and its balance is not weighed at all); a 变更
  (申报类型 2) names a list customs passed (9206) and replaces its movements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from guanwu.messages.sas import Inv101, Nems, Qualification, check_line
from guanwu.params import services as params

from .models import SimSasBook, SimSasMessage

MAX_LINES = 50  # check lines written in one receipt; the rest is counted in 备注

EMS_BOOK = "EMS111"
ARCHIVE = "EMS101"


def _unknown(slug: str, value: str) -> bool:
    """True when ``value`` is given and neither a current nor an old code of table ``slug``; a
    table not loaded checks nothing."""
    if not value or not params.table_exists(slug):
        return False
    return params.normalise(slug, value) is None


def _tariff_loaded() -> bool:
    return params.search_tariff("", 1)[0] > 0


def _d(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass
class Lines:
    """Check lines being collected."""

    lines: list[str] = field(default_factory=list)

    def add(self, code: str, detail: str = "") -> None:
        self.lines.append(check_line(code, detail))


def _head_codes(out: Lines, pairs: Iterable[tuple[str, str, str, str]]) -> None:
    """(label, value, slug, code) of head fields."""
    for label, value, slug, code in pairs:
        malformed = slug == "customs-offices" and bool(value) and not re.fullmatch(r"\d{4}", value)
        if malformed or _unknown(slug, value):
            out.add(code, f"表头 {label} {value}")


def _goods(out: Lines, rows: Iterable[Any], what: str, tariff: bool) -> None:
    """Code, unit and tariff checks of 料件/成品/清单 rows (any of the goods dataclasses)."""
    seen: set[int] = set()
    for n, row in enumerate(rows, 1):
        if getattr(row, "modf_markcd", "") == "2":
            continue  # a row being deleted
        where = f"{what}第{n}项"
        seqno = row.gds_seqno
        if seqno is not None:
            if seqno in seen:
                out.add("9110", f"{where} 序号 {seqno}")
            seen.add(seqno)
        for attr, label in (("dcl_unitcd", "申报计量单位"), ("lawf_unitcd", "法定计量单位"),
                            ("secd_lawf_unitcd", "第二法定计量单位")):
            value = getattr(row, attr, "")
            if _unknown("units", value):
                out.add("9105", f"{where} {label} {value}")
        if _unknown("currencies", row.dcl_currcd):
            out.add("9107", f"{where} 币制 {row.dcl_currcd}")
        for attr, label in (("natcd", "原产国(地区)"), ("destination_natcd", "最终目的国(地区)")):
            value = getattr(row, attr, "")
            if _unknown("countries", value):
                out.add("9108", f"{where} {label} {value}")
        if _unknown("duty-modes", getattr(row, "lvyrlf_modecd", "")):
            out.add("9100", f"{where} 征免方式 {row.lvyrlf_modecd}")
        if not tariff or not row.gdecd:
            continue
        item = params.tariff_item(row.gdecd)
        if item is None:
            out.add("9104", f"{where} 商品编码 {row.gdecd}")
            continue
        expected = [("法定计量单位", row.lawf_unitcd, item.first_unit or "")]
        if hasattr(row, "secd_lawf_unitcd"):
            expected.append(("第二法定计量单位", row.secd_lawf_unitcd, item.second_unit or ""))
        for label, actual, wanted in expected:
            if actual and actual != wanted:
                out.add("9106", f"{where} 商品编码 {row.gdecd} {label}应为{wanted or '空'}，实际为{actual}")


# --------------------------------------------------------------------------- EMS101 资质


def check_qualification(message: Qualification) -> list[str]:
    """Check lines of an 企业资质申请; [] when it passes the electronic audit (the 3349 check of
    the body comes at manual review, see :func:`needs_body`)."""
    head, out = message.head, Lines()
    _head_codes(out, [("主管海关", head.master_cuscd, "customs-offices", "9109")])
    if not head.master_cuscd:
        out.add("9109", "表头 主管海关 为空")
    if head.dcl_typecd == "2":
        book = SimSasBook.objects.filter(kind=ARCHIVE, number=head.netwk_etps_arcrp_no).first()
        if book is None:
            out.add("9113", f"档案库编号 {head.netwk_etps_arcrp_no or '空'}")
        elif (head.chg_tms_cnt or 0) != book.chg_tms_cnt + 1:
            out.add("9112", f"变更次数应为{book.chg_tms_cnt + 1}，实际为{head.chg_tms_cnt}")
    tariff = _tariff_loaded()
    _goods(out, message.imgs, "料件", tariff)
    _goods(out, message.exgs, "成品", tariff)
    return out.lines


def needs_body(message: Qualification) -> bool:
    """[3349] 加工账册资质: 商务部前置审批开关开启, 企业必须申报表体 (seed 001): a 加工账册
    qualification (资质类型 1) without any 料件 or 成品 row is returned at manual review."""
    return message.head.qua_typecd in ("", "1") and not message.imgs and not message.exgs


# ---------------------------------------------------------------------------- EMS111 账册


def _live_seqnos(rows: Iterable[Any], base: Iterable[str]) -> set[str]:
    """序号 of a table after a message's rows: the book's, plus added/changed, minus deleted."""
    out = set(base)
    for row in rows:
        if row.gds_seqno is None:
            continue
        if row.modf_markcd == "2":
            out.discard(str(row.gds_seqno))
        else:
            out.add(str(row.gds_seqno))
    return out


def changed_book(message: Nems) -> SimSasBook | None:
    return SimSasBook.objects.filter(kind=EMS_BOOK, number=message.head.ems_no).first()


def check_nems(message: Nems) -> list[str]:
    """Check lines of a 加工贸易账册 备案 or 变更; [] when it passes."""
    head, out = message.head, Lines()
    _head_codes(out, [("主管海关", head.master_cuscd, "customs-offices", "9109")])
    if not head.master_cuscd:
        out.add("9109", "表头 主管海关 为空")
    book = None
    if head.dcl_typecd == "2":
        book = changed_book(message)
        if book is None:
            out.add("9111", f"账册编号 {head.ems_no or '空'}")
        elif (head.chg_tms_cnt or 0) != book.chg_tms_cnt + 1:
            out.add("9112", f"变更次数应为{book.chg_tms_cnt + 1}，实际为{head.chg_tms_cnt}")
    tariff = _tariff_loaded()
    _goods(out, message.imgs, "料件", tariff)
    _goods(out, message.exgs, "成品", tariff)
    imgs = _live_seqnos(message.imgs, book.imgs if book else ())
    exgs = _live_seqnos(message.exgs, book.exgs if book else ())
    seen: set[int] = set()
    for n, cm in enumerate(message.cms, 1):
        if cm.modf_markcd == "2":
            continue
        where = f"单损耗第{n}项"
        if cm.g_seqno is not None:
            if cm.g_seqno in seen:
                out.add("9110", f"{where} 序号 {cm.g_seqno}")
            seen.add(cm.g_seqno)
        if cm.endprd_seqno is None or str(cm.endprd_seqno) not in exgs:
            out.add("9101", f"{where} 成品序号 {cm.endprd_seqno if cm.endprd_seqno is not None else '空'}")
        if cm.mtpck_seqno is None or str(cm.mtpck_seqno) not in imgs:
            out.add("9102", f"{where} 料件序号 {cm.mtpck_seqno if cm.mtpck_seqno is not None else '空'}")
        rates = [("有形损耗率", cm.tgbl_loss_rate), ("无形损耗率", cm.intgb_loss_rate)]
        bad = [f"{label} {_fmt(rate)}" for label, rate in rates if rate is not None and not 0 <= rate < 100]
        if bad:
            out.add("9103", f"{where} {'，'.join(bad)}")
        elif sum(_d(rate) for _label, rate in rates) >= 100:
            out.add("9103", f"{where} 有形损耗率与无形损耗率之和 {_fmt(sum(_d(r) for _l, r in rates))}")
    return out.lines


# ---------------------------------------------------------------------------- INV101 清单


def is_ems_book(putrec_no: str) -> bool:
    """A 加工贸易账册 (``E`` number, the books this simulator approves and keeps). 物流/区域账册
    (T/H/L ...) are not kept: their lists are checked against the tables only."""
    return putrec_no.startswith("E")


def listed_book(message: Inv101) -> SimSasBook | None:
    return SimSasBook.objects.filter(kind=EMS_BOOK, number=message.head.putrec_no).first()


def ucns(cm: dict[str, Any]) -> Decimal:
    return _d(cm.get("ucns_qty"))


def movements(message: Inv101, book: SimSasBook) -> dict[str, Decimal]:
    """Change of each 料件 balance (by 料件序号) the list makes when customs passes it: 进口料件
    add, 出口料件 (退运) and 出口成品 (its BOM: 数量 x 单耗, the 单耗版本号 of the line or, when
    blank, the highest of the 成品) subtract. 进口成品 (退换) leaves the balances alone."""
    head = message.head
    out: dict[str, Decimal] = {}
    for item in message.items:
        seq, qty = str(item.putrec_seqno), _d(item.dcl_qty)
        if head.mtpck_endprd_markcd == "I":
            sign = 1 if head.impexp_markcd == "I" else -1
            out[seq] = out.get(seq, Decimal(0)) + sign * qty
        elif head.impexp_markcd == "E":
            for cm in bom_of(book, seq, item.ucns_verno):
                img = str(cm["mtpck_seqno"])
                out[img] = out.get(img, Decimal(0)) - qty * ucns(cm)
    return out


def bom_of(book: SimSasBook, exg_seqno: str, ucns_verno: str = "") -> list[dict[str, Any]]:
    lines = [cm for cm in book.cms if str(cm.get("endprd_seqno")) == exg_seqno]
    if not lines:
        return []
    version = ucns_verno or max(str(cm.get("ucns_verno", "")) for cm in lines)
    return [cm for cm in lines if str(cm.get("ucns_verno", "")) == version]


def check_inv101(message: Inv101) -> list[str]:
    """Check lines of a 核注清单; [] when it passes."""
    head, out = message.head, Lines()
    _head_codes(out, [
        ("申报地关区", head.dcl_plc_cuscd, "customs-offices", "9109"),
        ("进出境关别", head.impexp_portcd, "customs-offices", "9109"),
        ("监管方式", head.supv_modecd, "trade-modes", "9100"),
        ("运输方式", head.trsp_modecd, "transport-modes", "9100"),
        ("起运/运抵国(地区)", head.stship_trsarv_natcd, "countries", "9108"),
    ])
    _goods(out, message.items, "表体", _tariff_loaded())
    if not is_ems_book(head.putrec_no):
        return out.lines
    book = listed_book(message)
    if book is None:
        out.add("9200", f"备案编号 {head.putrec_no or '空'}")
        return out.lines
    materials = head.mtpck_endprd_markcd == "I"
    table = book.imgs if materials else book.exgs
    kind = "料件" if materials else "成品"
    known = True
    for n, item in enumerate(message.items, 1):
        where = f"表体第{n}项"
        record = table.get(str(item.putrec_seqno))
        if record is None:
            out.add("9201", f"{where} {kind}备案序号 {item.putrec_seqno}")
            known = False
            continue
        if item.gdecd and item.gdecd != record.get("gdecd"):
            out.add("9204", f"{where} 商品编码 {item.gdecd}，账册为 {record.get('gdecd')}")
        if item.dcl_unitcd and item.dcl_unitcd != record.get("dcl_unitcd"):
            out.add("9205", f"{where} 申报计量单位 {item.dcl_unitcd}，账册为 {record.get('dcl_unitcd')}")
        if not materials and head.impexp_markcd == "E" and not bom_of(book, str(item.putrec_seqno), item.ucns_verno):
            out.add("9203", f"{where} 成品备案序号 {item.putrec_seqno}"
                            + (f" 单耗版本号 {item.ucns_verno}" if item.ucns_verno else ""))
            known = False
    previous = changed_list(message)
    if head.dcl_typecd == "2" and previous is None:
        out.add("9206", f"清单编号 {head.bond_invt_no or '空'}")
    if known:
        earlier = previous.movements if previous is not None else {}
        for img, change in sorted(net_movements(message, book, earlier).items(), key=lambda kv: int(kv[0])):
            balance = _d(book.balances.get(img))
            if change < 0 and balance + change < 0:
                out.add("9202", f"料件序号 {img} 余量 {_fmt(balance)}，本清单需 {_fmt(-change)}")
    return out.lines


def changed_list(message: Inv101) -> SimSasMessage | None:
    """The passed list a 变更 (申报类型 2) replaces, by its 清单编号; None for a new list."""
    head = message.head
    if head.dcl_typecd != "2" or not head.bond_invt_no:
        return None
    # a list gets its 清单编号 only when it passes; the latest holder of the number is in force
    return SimSasMessage.objects.filter(kind="INV101", business_no=head.bond_invt_no).order_by("-id").first()


def net_movements(message: Inv101, book: SimSasBook, earlier: dict[str, str]) -> dict[str, Decimal]:
    """The list's movements less those the list it changes posted (``earlier``)."""
    out = movements(message, book)
    for img, change in earlier.items():
        out[img] = out.get(img, Decimal(0)) - _d(change)
    return out


def apply_movements(message: Inv101, book: SimSasBook, earlier: dict[str, str]) -> dict[str, str]:
    """Post a passed list's movements to the book's balances (caller saves the book); returns the
    list's own movements, to be kept with it (a later 变更 takes them back)."""
    balances = dict(book.balances)
    for img, change in net_movements(message, book, earlier).items():
        balances[img] = _fmt(_d(balances.get(img)) + change)
    book.balances = balances
    return {img: _fmt(change) for img, change in movements(message, book).items()}


def limit(lines: list[str]) -> tuple[list[str], str]:
    """At most MAX_LINES lines, and the 备注 of a receipt that has more."""
    if len(lines) <= MAX_LINES:
        return lines, ""
    return lines[:MAX_LINES], f"共{len(lines)}条检查信息，仅列出前{MAX_LINES}条"
