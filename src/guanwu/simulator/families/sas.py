"""The customs side of the 加工贸易 (SAS/NEMS) family: EMS101 企业资质申请, EMS111 加工贸易账册
备案/变更 and INV101 保税核注清单 in; CommonResponeMessage, EMS201/EMS211 and INV201/INV202/
INV211 out (``messages/sas/receipts.py``; receipts.md in the raw data).

``take(path, data, now)`` is the Single Window client: the file is read (XSD only, the client's
import check; a message it cannot read, or a 预录入统一编号 still under audit, is answered with
CommonResponeMessage DealFlag -1 and the reason) and answered with DealFlag 0 and the
预录入统一编号 (``yyyy`` + 14 digits, :func:`make_seq_no`), then moved to ``sent/``. A message sent
again with its 预录入统一编号 (after 暂存, or corrected after 退单) keeps it; one that passed may only
come again as a 变更 (申报类型 2). A 暂存 message
(DelcareFlag 0, the seed's 发送) stops there.

``advance(now)`` is customs, one receipt per due message every ``GUANWU_SIMULATOR_DELAY_SECONDS``
(the dec family's setting). What a client sees, in order:

- EMS101 / EMS111: CommonResponeMessage 0 → EMS201 / EMS211 (guanwu's own receipt format):
  electronic audit (:mod:`..sas_checks`) failed → manageResult 3 海关退单 with the coded
  lines; passed → manageResult 2 ``[3402] 联网电子审核通过, 转岗``, then the manual review:
  manageResult 1 审批通过 ``[9001] 人工审核通过, 通过`` with businessId the 账册编号 (``E`` +
  主管海关 + yy + 5 digits) or 档案库编号 (``IE`` + 主管海关 + yy + 4 digits); an 加工账册 资质
  without 料件/成品 is returned there as the seed's 回执 box shows it: manageResult 3,
  ``[3349] 加工账册资质: 商务部前置审批开关开启, 企业必须申报表体, 退单`` and ``[3402] ..., 转岗``.
  A 变更 keeps the number and changes the approved book (料件/成品/单损耗, 变更次数).
- INV101: CommonResponeMessage 0 → INV201: 退单 (manageResult 3, CheckInfo lines, invtStucd
  2) or passed with the 清单编号 (``QD`` + 关区 + yy + I/E + 9 digits): against a 加工贸易账册
  (E) manageResult 1 通过(已核扣), the balances posted; → INV202 生成成功 with the 报关单统一编号
  when 报关标志 is 1 (报关) and 是否生成报关单 not 2; → INV211 (记账, vrfdedMarkcd 2 已核扣) for
  a list against a 物流/区域账册 (not E): INV211 is the bonded-ledger 记账 receipt (receipts.md
  §5), and such lists pass their INV201 as 5 通过(未核扣) (inv101_fields.csv EntryStucd: 区域/
  物流账册清单 are deducted later). The simulator keeps no such books: their lines are checked
  against the tables only.

Numbers are running numbers of :class:`..models.SimCounter` (unique per simulator database).
A list 变更 (申报类型 2, its 清单编号) keeps the number and replaces the movements the list posted.
No file stops the round: anything unreadable is a DealFlag -1.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from guanwu.gateway import folders
from guanwu.messages.registry import identify
from guanwu.messages.sas import (
    BondInvtBsc,
    BondInvtDtl,
    BwsDt,
    CheckInfo,
    CommonResponse,
    EmsReceipt,
    HdeApprResult,
    Inv101,
    Inv201Receipt,
    Inv202Receipt,
    Inv211Receipt,
    InvApprResult,
    Nems,
    Qualification,
    ReceiptEnvelope,
    SasMessageFormatError,
    build_common_response,
    build_ems_receipt,
    build_inv201,
    build_inv202,
    build_inv211,
    check_line,
    is_seq_no,
    make_bond_invt_no,
    make_ems_no,
    make_seq_no,
    parse_sas_message,
    ucns_qty,
    validate_sas,
)
from guanwu.messages.sas.numbers import make_arcrp_no

from .. import sas_checks as checks
from ..exchange import CHINA, delay_seconds, write_receipt
from ..models import SimCounter, SimSasBook, SimSasMessage, SimSasState
from .dec import next_seq_no as next_entry_seq_no

log = logging.getLogger(__name__)

NAME = "sas"
FAILED = "-1"  # DealFlag: 0 导入成功, anything else 导入失败 (messages/sas/data/codes.csv, deal_flag)
OK = "0"
IMPORTED = {"INV101": "保税核注清单申报服务调用成功", "EMS111": "加工贸易账册申报服务调用成功",
            "EMS101": "企业资质申请申报服务调用成功"}  # INV101's text is the public sample's (receipts.md §1)
STORED_TEXT = "暂存成功"
MAX_ERRORS = 20
RECEIPT_OF = {"EMS101": "EMS201", "EMS111": "EMS211"}
CUSTOMS_SENDER = "CUS0000"  # INV201/INV211 sender (receipts.md §2)
INVT_SENDER = "DXPEDCINVT000001"  # INV202 sender (receipts.md §2)

# HdeApprResult.manageResult (codes.csv ems_manage_result / inv201_manage_result)
PASSED, MANUAL, RETURNED = "1", "2", "3"
PASSED_NOT_DEDUCTED = "5"  # INV201 通过(未核扣)

BUSY = (SimSasState.DECLARED, SimSasState.MANUAL_REVIEW)
_INNER_NO = re.compile(rb"<(?:\w+:)?(?:EtpsInnerInvtNo|EtpsPreentNo)>\s*([^<\s]{1,64})\s*<")


# -------------------------------------------------------------------------------------- helpers


def _year(now: dt.datetime) -> int:
    return now.astimezone(CHINA).year


def _record(row: SimSasMessage, now: dt.datetime, event: str, file_name: str, **extra: Any) -> None:
    entry = {"at": now.astimezone(CHINA).isoformat(timespec="seconds"), "event": event, "file": file_name}
    entry.update({k: v for k, v in extra.items() if v not in (None, "", [])})
    row.history = [*(row.history or []), entry]


def _inner_no(message: Any) -> str:
    if isinstance(message, Inv101):
        return message.head.etps_inner_invt_no
    return message.head.etps_preent_no


def next_seq_no(now: dt.datetime) -> str:
    """预录入统一编号: the year + a 14-digit running number of this simulator database."""
    year = _year(now)
    while True:  # skip numbers a message brought with it (kept as given)
        seq_no = make_seq_no(year, SimCounter.next(f"sas-seq:{year}"))
        if not SimSasMessage.objects.filter(seq_no=seq_no).exists():
            return seq_no


def _customs(code: str) -> str:
    return code if re.fullmatch(r"\d{4}", code or "") else "0000"


def _failure(path: Path, inner_no: str, text: str, now: dt.datetime) -> str:
    response = CommonResponse(etps_preent_no=inner_no, check_info=text, deal_flag=FAILED)
    return write_receipt(build_common_response(response), "CommonResponeMessage", inner_no or path.stem, now)


def _sent(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):  # taken meanwhile
        folders.move_to(path, folders.SENT)


def _error_text(errors: list[str]) -> str:
    shown = errors[:MAX_ERRORS]
    text = "报文校验未通过：" + "；".join(shown)
    return text + (f"；等共{len(errors)}处错误" if len(errors) > len(shown) else "")


# --------------------------------------------------------------------------------------- intake


def refuse(path: Path, data: bytes, text: str, now: dt.datetime) -> bool:
    """Answer a file with CommonResponeMessage DealFlag -1 (``text`` as CheckInfo) and move it."""
    m = _INNER_NO.search(data)
    _failure(path, m.group(1).decode("utf-8", errors="replace") if m else "", text, now)
    _sent(path)
    return True


def take(path: Path, data: bytes, now: dt.datetime | None = None) -> bool:
    """The Single Window client's import of one outbox file (see the module doc)."""
    now = now or timezone.now()
    errors = validate_sas(data, with_rules=False)
    message = None
    if not errors:
        try:
            message = parse_sas_message(data)
        except SasMessageFormatError as exc:
            errors = [str(exc)]
    if message is None:
        kind = identify(data).message_type or "未知类型"
        return refuse(path, data, f"报文类型为{kind}，{_error_text(errors)}", now)
    kind = message_type(message)
    inner_no = _inner_no(message)
    given = message.head.seq_no
    with transaction.atomic():
        row = SimSasMessage.objects.select_for_update().filter(seq_no=given).first() if given else None
        change = message.head.dcl_typecd == "2"
        if row is not None and (row.kind != kind or row.state in BUSY or (row.state == SimSasState.APPROVED
                                                                           and not change)):
            busy = (f"属于{row.kind}报文" if row.kind != kind else "正在海关审核中" if row.state in BUSY
                    else "已审核通过，只能申报变更")
            name = _failure(path, inner_no, f"报文类型为{kind}，预录入统一编号{given}{busy}，不能重复导入", now)
            _record(row, now, "import_failed", name, text="重复导入")
            row.save(update_fields=["history", "updated_at"])
        else:
            # a well-formed 预录入统一编号 unknown here (another simulator database) is kept
            seq_no = given if given and is_seq_no(given) else next_seq_no(now)
            row = row or SimSasMessage(kind=kind, seq_no=seq_no)
            row.etps_preent_no, row.file_name, row.message = inner_no, path.name, data
            row.check_lines = []
            stored = message.delcare_flag == "0"
            row.state = SimSasState.STORED if stored else SimSasState.DECLARED
            row.stage = "" if stored else "audit"
            row.next_event_at = None if stored else now + dt.timedelta(seconds=delay_seconds())
            text = STORED_TEXT if stored else IMPORTED[kind]
            response = CommonResponse(seq_no=row.seq_no, etps_preent_no=inner_no, check_info=text, deal_flag=OK)
            name = write_receipt(build_common_response(response), "CommonResponeMessage", row.seq_no, now)
            _record(row, now, "stored" if stored else "imported", name, text=text, seq_no=row.seq_no)
            row.save()
    _sent(path)
    return True


def message_type(message: Any) -> str:
    if isinstance(message, Inv101):
        return "INV101"
    if isinstance(message, Nems):
        return "EMS111"
    return "EMS101"


# ------------------------------------------------------------------------------------- receipts


def _envelope(row: SimSasMessage, kind: str, business_id: str, now: dt.datetime, receiver: str,
              sender: str = CUSTOMS_SENDER) -> ReceiptEnvelope:
    n = len(row.history or [])
    return ReceiptEnvelope(business_id=business_id, message_id=f"{kind}{row.seq_no}{n:02d}",
                           file_name=f"{kind}_{row.seq_no}_{n:02d}.xml", message_type=kind, sender_id=sender,
                           receiver_id=receiver, send_time=now)


def _ems_receipt(row: SimSasMessage, message: Nems | Qualification, result: str, lines: list[str],
                 number: str, now: dt.datetime) -> str:
    kind = RECEIPT_OF[row.kind]
    lines, rmk = checks.limit(lines)
    receipt = EmsReceipt(
        envelope=_envelope(row, kind, number, now, message.envelope.sender_id),
        result=HdeApprResult(etps_preent_no=row.seq_no, business_id=number,
                             tms_cnt=str(message.head.chg_tms_cnt or 0), typecd="1", manage_result=result,
                             manage_date=now, rmk=rmk),
        check_infos=tuple(CheckInfo(etps_preent_no=row.seq_no, business_id=number, note=line) for line in lines),
    )
    return write_receipt(build_ems_receipt(receipt), kind, row.seq_no, now)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    return str(value)


def _copy(cls: type, source: Any, **values: str) -> Any:
    """A receipt record from a message block: same-named fields as text, then ``values``."""
    names = {f.name for f in dataclasses.fields(cls)}
    data = {name: _text(getattr(source, name)) for name in names if hasattr(source, name)}
    data.update(values)
    return cls(**data)


def _invt_head(row: SimSasMessage, message: Inv101, now: dt.datetime, **values: str) -> BondInvtBsc:
    head = message.head
    return _copy(BondInvtBsc, head, bond_invt_no=row.business_no, invt_preent_no=row.seq_no,
                 chg_tms_cnt=str(head.chg_tms_cnt or 0), bond_invt_typecd=head.invt_type,
                 passport_used_typecd=head.passport_used_type_cd or "1", entry_stucd=head.entry_stucd or "0",
                 invt_dcl_time=now.astimezone(CHINA).strftime("%Y%m%d"), **values)


def _inv201(row: SimSasMessage, message: Inv101, result: str, lines: list[str], now: dt.datetime,
            **head_values: str) -> str:
    lines, rmk = checks.limit(lines)
    items = () if result == RETURNED else tuple(
        _copy(BondInvtDtl, item, bond_invt_no=row.business_no, chg_tms_cnt=str(message.head.chg_tms_cnt or 0),
              entry_gds_seqno=_text(item.entry_gds_seqno or item.gds_seqno))
        for item in message.items)
    receipt = Inv201Receipt(
        envelope=_envelope(row, "INV201", row.business_no, now, message.envelope.sender_id),
        result=HdeApprResult(etps_preent_no=row.seq_no, business_id=row.business_no,
                             tms_cnt=str(message.head.chg_tms_cnt or 0), typecd="1", manage_result=result,
                             manage_date=now, rmk=rmk or ("；".join(lines)[:255] if result == RETURNED else "")),
        check_infos=tuple(CheckInfo(etps_preent_no=row.seq_no, business_id=row.business_no, note=line)
                          for line in lines),
        head=_invt_head(row, message, now, **head_values),
        items=items,
    )
    return write_receipt(build_inv201(receipt), "INV201", row.seq_no, now)


# ------------------------------------------------------------------------------------- decisions


def _parse(row: SimSasMessage) -> Any:
    return parse_sas_message(bytes(row.message))


def _finish(row: SimSasMessage, state: str, stage: str, now: dt.datetime) -> None:
    row.state, row.stage = state, stage
    row.next_event_at = now + dt.timedelta(seconds=delay_seconds()) if stage else None


def _approve_book(row: SimSasMessage, message: Nems | Qualification, now: dt.datetime) -> str:
    """Record what customs approved; returns the 账册编号 / 档案库编号."""
    head = message.head
    year = _year(now)
    if row.kind == "EMS101":
        number = head.netwk_etps_arcrp_no if head.dcl_typecd == "2" else ""
        if not number:
            customs = _customs(head.master_cuscd)
            number = make_arcrp_no(customs, year, SimCounter.next(f"arcrp:{customs}:{year % 100:02d}"))
    else:
        number = head.ems_no if head.dcl_typecd == "2" else ""
        if not number:
            customs = _customs(head.master_cuscd)
            number = make_ems_no(customs, year, SimCounter.next(f"ems:{customs}:{year % 100:02d}"))
    book = SimSasBook.objects.select_for_update().filter(number=number).first() or SimSasBook(
        kind=row.kind, number=number)
    book.master_cuscd = head.master_cuscd
    book.chg_tms_cnt = head.chg_tms_cnt or 0
    for attr in ("imgs", "exgs"):
        table = dict(getattr(book, attr) or {})
        for goods in getattr(message, attr):
            if goods.gds_seqno is None:
                continue
            if goods.modf_markcd == "2":
                table.pop(str(goods.gds_seqno), None)
            else:
                table[str(goods.gds_seqno)] = {k: _text(getattr(goods, k, "")) for k in (
                    "gds_mtno", "gdecd", "gds_nm", "dcl_unitcd", "lawf_unitcd")}
        setattr(book, attr, table)
    if isinstance(message, Nems):
        cms = {(str(c["endprd_seqno"]), str(c["mtpck_seqno"]), str(c["ucns_verno"])): c for c in book.cms or []}
        for cm in message.cms:
            key = (str(cm.endprd_seqno), str(cm.mtpck_seqno), cm.ucns_verno)
            if cm.modf_markcd == "2":
                cms.pop(key, None)
                continue
            qty = cm.ucns_qty
            if qty is None and cm.net_useup_qty is not None:
                qty = ucns_qty(cm.net_useup_qty, cm.tgbl_loss_rate, cm.intgb_loss_rate)
            cms[key] = {"endprd_seqno": key[0], "mtpck_seqno": key[1], "ucns_verno": key[2],
                        "ucns_qty": _text(qty)}
        book.cms = list(cms.values())
    book.save()
    return number


def _step_ems(row: SimSasMessage, now: dt.datetime) -> None:
    message = _parse(row)
    if row.stage == "audit":
        lines = checks.check_qualification(message) if row.kind == "EMS101" else checks.check_nems(message)
        if lines:
            name = _ems_receipt(row, message, RETURNED, lines, row.business_no, now)
            row.check_lines = lines
            _finish(row, SimSasState.REJECTED, "", now)
            _record(row, now, "rejected", name, lines=lines)
            return
        lines = [check_line("3402")]
        name = _ems_receipt(row, message, MANUAL, lines, row.business_no, now)
        row.check_lines = lines
        _finish(row, SimSasState.MANUAL_REVIEW, "manual", now)
        _record(row, now, "manual_review", name, lines=lines)
        return
    # manual review
    if row.kind == "EMS101" and checks.needs_body(message):
        lines = [check_line("3349"), check_line("3402")]  # the seed's 回执明细, in its order
        name = _ems_receipt(row, message, RETURNED, lines, row.business_no, now)
        row.check_lines = lines
        _finish(row, SimSasState.REJECTED, "", now)
        _record(row, now, "rejected", name, lines=lines)
        return
    row.business_no = _approve_book(row, message, now)
    lines = [check_line("9001")]
    name = _ems_receipt(row, message, PASSED, lines, row.business_no, now)
    row.check_lines = lines
    _finish(row, SimSasState.APPROVED, "", now)
    _record(row, now, "approved", name, lines=lines, number=row.business_no)


def _wants_entry(message: Inv101) -> bool:
    """报关标志 1 (报关) and 是否生成报关单 not 2 (不生成): a declaration follows the list."""
    return message.head.dclcus_flag == "1" and message.head.gen_dec_flag != "2"


def _step_inv(row: SimSasMessage, now: dt.datetime) -> None:
    message: Inv101 = _parse(row)
    head = message.head
    ems_book = checks.is_ems_book(head.putrec_no)
    after_pass = "entry" if _wants_entry(message) else ("ledger" if not ems_book else "")
    if row.stage == "audit":
        lines = checks.check_inv101(message)
        if lines:
            name = _inv201(row, message, RETURNED, lines, now, invt_stucd="2", vrfded_markcd="0")
            row.check_lines = lines
            _finish(row, SimSasState.REJECTED, "", now)
            _record(row, now, "rejected", name, lines=lines)
            return
        previous = checks.changed_list(message)
        if previous is not None:
            row.business_no = previous.business_no
        if not row.business_no:
            customs = _customs(head.dcl_plc_cuscd)
            year = _year(now)
            ie = head.impexp_markcd if head.impexp_markcd in ("I", "E") else "I"
            row.business_no = make_bond_invt_no(
                customs, year, ie, SimCounter.next(f"invt:{customs}:{year % 100:02d}:{ie}"))
        if ems_book:
            book = SimSasBook.objects.select_for_update().get(kind=checks.EMS_BOOK, number=head.putrec_no)
            row.movements = checks.apply_movements(message, book, previous.movements if previous else {})
            book.save(update_fields=["balances", "updated_at"])
            if previous is not None and previous.pk != row.pk:
                previous.movements = {}
                previous.save(update_fields=["movements", "updated_at"])
            result, marks = PASSED, {"vrfded_markcd": "2", "formal_vrfded_time": _text(now.astimezone(CHINA))}
        else:
            result, marks = PASSED_NOT_DEDUCTED, {"vrfded_markcd": "0"}
        name = _inv201(row, message, result, [], now, invt_stucd="0", **marks)
        row.check_lines = []
        _finish(row, SimSasState.APPROVED, after_pass, now)
        _record(row, now, "approved", name, number=row.business_no, result=result)
        return
    if row.stage == "entry":
        if not row.entry_seq_no:
            ie = "E" if head.impexp_markcd == "E" else "I"
            row.entry_seq_no = next_entry_seq_no(ie, _year(now))
        receipt = Inv202Receipt(
            envelope=_envelope(row, "INV202", row.business_no, now, message.envelope.sender_id, INVT_SENDER),
            result=InvApprResult(inv_preent_no=row.seq_no, business_id=row.business_no,
                                 entry_seq_no=row.entry_seq_no, manage_result="1", create_date=now))
        name = write_receipt(build_inv202(receipt), "INV202", row.seq_no, now)
        _finish(row, SimSasState.APPROVED, "" if ems_book else "ledger", now)
        _record(row, now, "entry_generated", name, entry_seq_no=row.entry_seq_no)
        return
    # ledger (INV211): a 物流/区域账册's 记账
    day = now.astimezone(CHINA).strftime("%Y%m%d")
    imported = head.impexp_markcd == "I"
    rows = tuple(
        BwsDt(bws_no=head.putrec_no, chg_tms_cnt="0", gds_seqno=_text(item.putrec_seqno), in_date=day,
              gds_mtno=item.gds_mtno, gdecd=item.gdecd, gds_nm=item.gds_nm,
              gds_spcf_model_desc=item.gds_spcf_model_desc, natcd=item.natcd, dcl_unitcd=item.dcl_unitcd,
              lawf_unitcd=item.lawf_unitcd, secd_lawf_unitcd=item.secd_lawf_unitcd,
              dcl_uprc_amt=_text(item.dcl_uprc_amt), dcl_currcd=item.dcl_currcd,
              in_qty=_text(item.dcl_qty), in_lawf_qty=_text(item.lawf_qty),
              in_secd_lawf_qty=_text(item.secd_lawf_qty),
              actl_inc_qty=_text(item.dcl_qty) if imported else "0",
              actl_redc_qty="0" if imported else _text(item.dcl_qty),
              in_type="1" if imported else "", invt_no=row.business_no, invt_g_no=_text(item.gds_seqno),
              cusm_exe_markcd="1", modf_markcd="0")
        for item in message.items)
    receipt = Inv211Receipt(
        envelope=_envelope(row, "INV211", row.business_no, now, message.envelope.sender_id),
        head=_invt_head(row, message, now, invt_stucd="0", vrfded_markcd="2",
                        formal_vrfded_time=_text(now.astimezone(CHINA)), entry_no=""),
        bws_rows=rows)
    name = write_receipt(build_inv211(receipt), "INV211", row.seq_no, now)
    _finish(row, SimSasState.APPROVED, "", now)
    _record(row, now, "verified", name)


def _step(row: SimSasMessage, now: dt.datetime) -> None:
    try:
        if row.kind == "INV101":
            _step_inv(row, now)
        else:
            _step_ems(row, now)
    except SasMessageFormatError as exc:  # stored bytes no longer parse: should not happen
        row.stage, row.next_event_at, row.state = "", None, SimSasState.REJECTED
        _record(row, now, "error", "", text=str(exc))
    row.save()


def _due(now: dt.datetime) -> QuerySet[SimSasMessage]:
    return SimSasMessage.objects.filter(next_event_at__lte=now).exclude(stage="")


def advance(now: dt.datetime) -> int:
    """Send every due message's next receipt; returns how many were sent."""
    moved = 0
    for pk in list(_due(now).order_by("next_event_at", "id").values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                row = _due(now).select_for_update().filter(pk=pk).first()
                if row is None:
                    continue
                _step(row, now)
                moved += 1
        except Exception as exc:  # one bad message must not stop the round: it gets no more receipts
            log.exception("simulator could not advance processing-trade message %s", pk)
            with contextlib.suppress(Exception), transaction.atomic():
                row = SimSasMessage.objects.select_for_update().get(pk=pk)
                row.stage, row.next_event_at = "", None
                _record(row, now, "error", "", text=f"{exc.__class__.__name__}: {exc}")
                row.save(update_fields=["stage", "next_event_at", "history", "updated_at"])
    return moved
