"""The customs side of the 跨境电商 (CEB) family: B2B export orders, lists and summaries.

``take(path, data, now)`` validates each file against the official export XSD (spec 202205,
``messages/ceb/xsd``); a file that fails, or that cannot be read, is answered with the receipt
of its type carrying a processing-error ``returnStatus`` (codes in :mod:`..cebrules`) and the
XSD errors in Chinese. A valid file is taken record by record (each order, list, summary, ...),
kept per sender (the BaseTransfer copCode) in :class:`~..models.SimCebDocument`, and answered at
once; ``advance(now)`` then writes the later receipts, each ``GUANWU_SIMULATOR_DELAY_SECONDS``
after the previous one:

- CEB303 订单/订仓单 -> CEB304: 2 电子口岸申报中, then 120 海关入库 (appStatus 1: 1 电子口岸已暂存
  and nothing more). appType 1 for an order already taken: -301010; appType 2/3 for an unknown
  one: -301009; a change to an order a list has been declared for: -301011; a 商品批次号 (note) in
  the wrong format: -301008.
- CEB603 出口清单 -> CEB604: 2 (preNo B+yyyyMMdd+9 digits), 120 (invtNo: 关区+年+E+9 digits),
  then the audit: 100 海关退单 (its order was never taken or is of the wrong type for the
  tradeMode, an HS code not in the tariff) or 399 海关审结; with GUANWU_SIMULATOR_INSPECTION_RATE
  500 海关查验; 800 放行 once the goods have arrived (运抵), 899 结关 once they have left (离境).
  A copNo declared before: -621004; a 商品批次号 in the wrong format: -621001.
- CEB701 汇总申请单 -> CEB702: 2, 120 (sumNo), then 100 海关退单 (a list unknown, of another
  收发货人, not released or already summarised) or 399 海关审结 together with the CEB792
  汇总结果单 (declSeqNo, decState "A" as the official sample, the lists' items).
- CEB505 运单 / CEB507 运抵单 / CEB509 离境单 the platform sends itself -> CEB506 120 / CEB508 399 /
  CEB510 399; the 运抵/离境 mark their waybills arrived/departed.

The logistics side is played: a list needs its waybill (运单, 三单 with the order) before the
audit, the goods' arrival at the supervised site (运抵) before 放行 and their departure (离境)
before 结关. Where the platform has not sent them, the simulator *generates* them as the
logistics enterprise and the site operator would: a CEB505 when the list is taken, a CEB507 when
the list is 审结, a CEB509 when it is released, each a real message (stored in the document's
``message``, XSD-valid) taken by customs after the delay and answered with its receipt (CEB506 /
CEB508 / CEB510, copNo ``ARR``/``DEP`` + invtNo) in ``inbox/`` like any other. So a list reaches
放行 and 结关 on its own.

Receipt files: ``<stamp>_<n>_<CEBnnn>_<key>_<returnStatus>.xml`` (key: orderNo, copNo,
logisticsNo). Nothing here stops the round: a side that raises is refused by the engine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import random
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from guanwu.gateway import folders
from guanwu.messages.ceb import (
    Arrival,
    ArrivalHead,
    ArrivalList,
    ArrivalReturn,
    BaseTransfer,
    CEB304Message,
    CEB505Message,
    CEB506Message,
    CEB507Message,
    CEB508Message,
    CEB509Message,
    CEB510Message,
    CEB604Message,
    CEB702Message,
    CEB792Message,
    CebParseError,
    Departure,
    DepartureHead,
    DepartureList,
    DepartureReturn,
    InventoryReturn,
    Logistics,
    LogisticsReturn,
    Message,
    OrderReturn,
    SummaryResult,
    SummaryResultHead,
    SummaryResultList,
    SummaryReturn,
    build_ceb,
    new_guid,
    parse_ceb,
    return_status_text,
    validate_ceb,
)
from guanwu.messages.ceb.receipts import failure_receipt
from guanwu.messages.registry import identify

from .. import cebrules as rules
from ..exchange import CHINA, delay_seconds, inspection_rate, receipt_name, seed, write_named, write_receipt
from ..models import CEB_ACTIVE_STATES, CebKind, CebState, SimCebDocument, SimCounter

log = logging.getLogger(__name__)

NAME = "ceb"
NOT_HANDLED = "模拟海关暂不处理跨境电商报文（{kind}），未受理"
INFO_LIMIT = 1000  # returnInfo C..1000
MAX_ERRORS = 20
ADVANCE_CHUNK = 200
SIM_SITE = ("SIMSITE0001", "模拟海关监管作业场所经营人")  # the arrival's 监管场所经营人 (generated)
SIM_DXP = "DXPSIMLOGISTICS01"


def _info(text: str) -> str:
    return text if len(text) <= INFO_LIMIT else text[: INFO_LIMIT - 1] + "…"


def _errors_text(prefix: str, errors: list[str]) -> str:
    shown = errors[:MAX_ERRORS]
    text = prefix + "；".join(shown)
    if len(errors) > len(shown):
        text += f"；等共{len(errors)}处错误"
    return _info(text)


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(CHINA).strftime("%Y%m%d")


def _later(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=delay_seconds())


def _record(doc: SimCebDocument, now: dt.datetime, status: str, file_name: str, info: str) -> None:
    entry = {"at": now.astimezone(CHINA).isoformat(timespec="seconds"), "status": status, "file": file_name,
             "info": info}
    doc.history = [*(doc.history or []), entry]
    doc.return_status = status


# ------------------------------------------------------------------------------------ numbers


def _pre_no(letter: str, now: dt.datetime) -> str:
    """电子口岸编号, 18 characters: letter + yyyyMMdd + 9-digit running number (spec 2-37: "B+8位
    年月日+9位流水号")."""
    day = _stamp(now)
    return f"{letter}{day}{SimCounter.next(f'ceb:pre:{letter}:{day}'):09d}"


def _invt_no(customs: str, now: dt.datetime) -> str:
    """清单编号: 4位关区 + 4位年 + 1位进出口标记 + 9位流水号 (spec 2-37, 18 characters)."""
    customs = (customs or "0000")[:4].rjust(4, "0")
    year = now.astimezone(CHINA).year
    return f"{customs}{year}E{SimCounter.next(f'ceb:invt:{customs}:{year}'):09d}"


def _customs_no(kind: str, customs: str, now: dt.datetime) -> str:
    """汇总申请编号 / 汇总统一编号: 18 characters, 4位关区 + 4位年 + 10-digit running number."""
    customs = (customs or "0000")[:4].rjust(4, "0")
    year = now.astimezone(CHINA).year
    return f"{customs}{year}{SimCounter.next(f'ceb:{kind}:{customs}:{year}'):010d}"


# ------------------------------------------------------------------------------------ receipts


def _order_receipt(doc: SimCebDocument, status: str, info: str, now: dt.datetime) -> Message:
    d = doc.data
    return CEB304Message(guid=new_guid(), order_return=[OrderReturn(
        guid=new_guid(), ebp_code=d["ebp_code"], ebc_code=d["ebc_code"], order_no=d["order_no"],
        return_status=status, return_time=now, return_info=info)])


def _list_receipt(doc: SimCebDocument, status: str, info: str, now: dt.datetime) -> Message:
    d = doc.data
    return CEB604Message(guid=new_guid(), inventory_return=[InventoryReturn(
        guid=new_guid(), agent_code=d["agent_code"], cop_no=d["cop_no"], pre_no=doc.pre_no, invt_no=doc.number,
        ebc_code=d["ebc_code"], ebp_code=d["ebp_code"], order_no=d["order_no"],
        statistics_flag=d["statistics_flag"], return_status=status, return_time=now, return_info=info)])


def _summary_receipt(doc: SimCebDocument, status: str, info: str, now: dt.datetime) -> Message:
    d = doc.data
    return CEB702Message(guid=new_guid(), summary_return=[SummaryReturn(
        guid=new_guid(), agent_code=d["agent_code"], ebc_code=d["ebc_code"], cop_no=d["cop_no"],
        pre_no=doc.pre_no, sum_no=doc.number, return_status=status, return_time=now, return_info=info)])


def _waybill_receipt(doc: SimCebDocument, status: str, info: str, now: dt.datetime) -> Message:
    d = doc.data
    return CEB506Message(guid=new_guid(), logistics_return=[LogisticsReturn(
        guid=new_guid(), logistics_code=d["logistics_code"], logistics_no=d["logistics_no"], return_status=status,
        return_time=now, return_info=info)])


def _arrival_receipt(doc: SimCebDocument, status: str, info: str, now: dt.datetime) -> Message:
    d = doc.data
    return CEB508Message(guid=new_guid(), arrival_return=[ArrivalReturn(
        guid=new_guid(), operator_code=d["operator_code"], logistics_code=d["logistics_code"], pre_no=doc.pre_no,
        cop_no=d["cop_no"], bill_no=d["bill_no"] or next(iter(d["logistics_nos"]), d["cop_no"]),
        return_status=status, return_time=now, return_info=info)])


def _departure_receipt(doc: SimCebDocument, status: str, info: str, now: dt.datetime) -> Message:
    d = doc.data
    return CEB510Message(guid=new_guid(), departure_return=[DepartureReturn(
        guid=new_guid(), logistics_code=d["logistics_code"], cop_no=d["cop_no"], pre_no=doc.pre_no,
        return_status=status, return_time=now, return_info=info)])


RECEIPT_BUILDERS: dict[str, Callable[[SimCebDocument, str, str, dt.datetime], Message]] = {
    CebKind.ORDER: _order_receipt, CebKind.LIST: _list_receipt, CebKind.SUMMARY: _summary_receipt,
    CebKind.WAYBILL: _waybill_receipt, CebKind.ARRIVAL: _arrival_receipt, CebKind.DEPARTURE: _departure_receipt,
}
RECEIPT_KEY = {CebKind.ORDER: "order_no", CebKind.WAYBILL: "logistics_no"}  # else copNo


def _answer(doc: SimCebDocument, status: str, info: str, now: dt.datetime) -> str:
    """Write ``doc``'s receipt with ``status`` and note it in its history; returns the file name."""
    info = _info(info or return_status_text(status))
    receipt = RECEIPT_BUILDERS[doc.kind](doc, status, info, now)
    key = doc.data.get(RECEIPT_KEY.get(doc.kind, "cop_no")) or doc.key
    name = _write(build_ceb(receipt), receipt.TYPE, str(key), now, status.lstrip("-"))
    _record(doc, now, status, name, info)
    return name


def _write(data: bytes, kind: str, key: str, now: dt.datetime, channel: str = "") -> str:
    """Write a receipt now, or, while a chunk is advanced (:class:`_Chunk`), once it has committed."""
    if _chunk is None:
        return write_receipt(data, kind, key, now, channel)
    name = receipt_name(kind, key, now, channel)
    _chunk.step.files.append((name, data))
    return name


# ------------------------------------------------------------------------------------ refusing


def _first_keys(message: Message | None) -> list[dict[str, Any]]:
    """The key fields of every record of a sent message (each record's head where it has one),
    which a receipt repeats (orderNo, copNo, ...)."""
    if message is None:
        return []
    out = []
    for f in dataclasses.fields(message):
        rows = getattr(message, f.name)
        if isinstance(rows, list) and rows and dataclasses.is_dataclass(rows[0]):
            for record in rows:
                head = next((getattr(record, h.name) for h in dataclasses.fields(record) if h.name.endswith("_head")),
                            record)
                out.append(dict(vars(head)))
            break
    return out


# The receipts of these types require the 电子口岸编号 (preNo, 18 characters), failures too.
PRE_NO_LETTER = {"CEB603": "B", "CEB701": "S", "CEB507": "A", "CEB509": "D", "CEB605": "C", "CEB607": "W"}


def _refuse_records(kind: str | None, keys: list[dict[str, Any]], status: str, text: str, path: Path,
                    now: dt.datetime) -> bool:
    """One failure receipt per record (or one without keys) with ``status``; False when the
    type has no receipt."""
    written = False
    for record_keys in keys or [{}]:
        letter = PRE_NO_LETTER.get(kind or "")
        if letter and not record_keys.get("pre_no"):  # the e-port numbers what it receives
            with transaction.atomic():
                record_keys = {**record_keys, "pre_no": _pre_no(letter, now)}
        receipt = failure_receipt(kind or "", record_keys, _info(text), when=now, status=status)
        if receipt is None:
            return False
        key = str(record_keys.get("order_no") or record_keys.get("cop_no") or record_keys.get("logistics_no")
                  or path.stem)
        write_receipt(build_ceb(receipt), receipt.TYPE, key, now, status.lstrip("-"))
        written = True
    return written


def _done(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):  # taken meanwhile
        folders.move_to(path, folders.SENT)


def refuse(path: Path, data: bytes, text: str, now: dt.datetime) -> bool:
    """The processing-error receipt of the file's type (the code of :func:`rules.invalid_code`);
    False when its type has no receipt."""
    kind = identify(data).message_type
    try:
        message: Message | None = parse_ceb(data)
    except CebParseError:
        message = None
    if not _refuse_records(kind, _first_keys(message), rules.invalid_code(kind), text, path, now):
        return False
    _done(path)
    return True


# -------------------------------------------------------------------------------------- intake


def take(path: Path, data: bytes, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    kind = identify(data).message_type
    taker = TAKERS.get(kind or "")
    if taker is None:
        return refuse(path, data, NOT_HANDLED.format(kind=kind), now)
    errors = validate_ceb(data)
    if errors:
        return refuse(path, data, _errors_text("报文校验未通过：", errors), now)
    try:
        message = parse_ceb(data)
    except CebParseError as exc:
        return refuse(path, data, f"报文解析失败：{exc}", now)
    sender = message.base_transfer.cop_code  # type: ignore[attr-defined]
    with transaction.atomic():
        taker(message, sender, path, now)
    _done(path)
    return True


def _reject_at_intake(doc: SimCebDocument, status: str, info: str, now: dt.datetime) -> None:
    """A processing-error receipt for a record that is not taken (the stored document unchanged)."""
    _answer(doc, status, info, now)


def _take_orders(message: Any, sender: str, path: Path, now: dt.datetime) -> None:
    for order in message.order:
        head = order.order_head
        key = f"{head.ebp_code}|{head.order_no}"
        data = {"order_no": head.order_no, "ebp_code": head.ebp_code, "ebc_code": head.ebc_code,
                "order_type": head.order_type, "batch_no": rules.batch_no_in(head.note)}
        existing = SimCebDocument.objects.select_for_update().filter(kind=CebKind.ORDER, sender=sender,
                                                                     key=key).first()
        probe = existing or SimCebDocument(kind=CebKind.ORDER, sender=sender, key=key)
        if existing is None:
            probe.data = data
        live = existing is not None and existing.state not in (CebState.DELETED, CebState.DRAFT)
        problem = ""
        if data["batch_no"] and (text := rules.batch_no_problem(data["batch_no"])):
            problem, code = f"参数校验不通过，{text}", rules.ORDER_INVALID
        elif head.app_type == "1" and live:
            problem, code = f"已存在相同编号的订单：{head.order_no}", rules.ORDER_EXISTS
        elif head.app_type in ("2", "3") and not live:
            problem = f"订单标识(appType)不正确,未找到操作的订单：{head.order_no}"
            code = rules.ORDER_NOT_FOUND_FOR_APP_TYPE
        elif head.app_type in ("2", "3") and _lists_of(sender, head.ebp_code, head.order_no).exists():
            problem, code = f"该订单已向海关申报清单，状态不符：{head.order_no}", rules.ORDER_HAS_LIST
        if problem:
            probe.data = {**(probe.data or {}), **{k: data[k] for k in ("ebp_code", "ebc_code", "order_no")}}
            _answer(probe, code, problem, now)
            if existing is not None:
                existing.save(update_fields=["history", "return_status", "updated_at"])
            continue
        doc = probe
        doc.data = data
        if head.app_type == "3":
            doc.state, doc.next_event_at = CebState.DELETED, None
            _answer(doc, rules.STORED, "订单删除成功", now)
        elif head.app_status == "1":
            doc.state, doc.next_event_at = CebState.DRAFT, None
            _answer(doc, rules.DRAFT, "电子口岸已暂存", now)
        else:
            doc.state, doc.next_event_at = CebState.DECLARED, _later(now)
            _answer(doc, rules.DECLARING, "电子口岸申报中", now)
        doc.save()


def _lists_of(sender: str, ebp_code: str, order_no: str) -> QuerySet[SimCebDocument]:
    return SimCebDocument.objects.filter(kind=CebKind.LIST, sender=sender, data__ebp_code=ebp_code,
                                         data__order_no=order_no).exclude(state=CebState.REJECTED)


def _plan_inspect(cop_no: str) -> bool:
    return random.Random(f"{seed()}ceb{cop_no}").random() < inspection_rate()


def _take_lists(message: Any, sender: str, path: Path, now: dt.datetime) -> None:
    # the lists and waybills already taken, in two queries; new lists and generated waybills
    # are inserted at the end in two more (a copNo twice in the file finds the first)
    known = {doc.key: doc for doc in SimCebDocument.objects.select_for_update().filter(
        kind=CebKind.LIST, sender=sender, key__in={i.inventory_head.cop_no for i in message.inventory})}
    wanted = {f"{i.inventory_head.logistics_code}|{i.inventory_head.logistics_no}" for i in message.inventory}
    waybills = set(SimCebDocument.objects.filter(kind=CebKind.WAYBILL, key__in=wanted).values_list("sender", "key"))
    new_lists: list[SimCebDocument] = []
    new_waybills: list[SimCebDocument] = []
    for inventory in message.inventory:
        head = inventory.inventory_head
        items = [{"g_num": line.g_num, "g_code": line.g_code, "g_name": line.g_name, "item_name": line.item_name}
                 for line in inventory.inventory_list]
        data = {
            "cop_no": head.cop_no, "order_no": head.order_no, "ebp_code": head.ebp_code, "ebc_code": head.ebc_code,
            "ebc_name": head.ebc_name, "agent_code": head.agent_code, "agent_name": head.agent_name,
            "statistics_flag": head.statistics_flag, "trade_mode": head.trade_mode, "customs_code": head.customs_code,
            "logistics_code": head.logistics_code, "logistics_name": head.logistics_name,
            "logistics_no": head.logistics_no, "traf_mode": head.traf_mode, "traf_name": head.traf_name,
            "voyage_no": head.voyage_no, "bill_no": head.bill_no, "ie_date": head.ie_date.strftime("%Y%m%d"),
            "freight": str(head.freight), "insured_fee": str(head.insured_fee), "currency": head.f_currency,
            "gross_weight": str(head.gross_weight), "net_weight": str(head.net_weight), "pack_no": head.pack_no,
            "batch_no": rules.batch_no_in(head.note), "items": items,
        }
        existing = known.get(head.cop_no)
        doc = existing or SimCebDocument(kind=CebKind.LIST, sender=sender, key=head.cop_no)
        problem = ""
        if data["batch_no"] and (text := rules.batch_no_problem(data["batch_no"])):
            problem, code = f"清单报文校验失败，{text}", rules.LIST_INVALID
        elif existing is not None and existing.state not in (CebState.REJECTED, CebState.DRAFT):
            problem, code = f"清单{head.cop_no}已经申报过，请勿重复申报", rules.LIST_DECLARED
        if problem:
            if existing is None:
                doc.data = data
                doc.pre_no = _pre_no("B", now)
            _answer(doc, code, problem, now)
            if existing is not None and existing.pk is not None:
                existing.save(update_fields=["history", "return_status", "updated_at"])
            continue
        doc.data, doc.number, doc.summary_no = data, "", ""
        doc.pre_no = doc.pre_no or _pre_no("B", now)
        doc.plan_inspect = _plan_inspect(head.cop_no)
        if head.app_status == "1":
            doc.state, doc.next_event_at = CebState.DRAFT, None
            _answer(doc, rules.DRAFT, "电子口岸已暂存", now)
        else:
            doc.state, doc.next_event_at = CebState.DECLARED, _later(now)
            _answer(doc, rules.DECLARING, "电子口岸申报中", now)
        if doc.pk is None:
            if existing is None:
                new_lists.append(doc)
        else:
            doc.save()
        known[head.cop_no] = doc
        if doc.state == CebState.DECLARED:
            waybill = _generated_waybill(doc, now, waybills)
            if waybill is not None:
                new_waybills.append(waybill)
    SimCebDocument.objects.bulk_create(new_lists)
    SimCebDocument.objects.bulk_create(new_waybills)


def _take_summaries(message: Any, sender: str, path: Path, now: dt.datetime) -> None:
    for apply in message.summary_apply:
        head = apply.summary_apply_head
        data = {
            "cop_no": head.cop_no, "agent_code": head.agent_code, "agent_name": head.agent_name,
            "ebc_code": head.ebc_code, "ebc_name": head.ebc_name, "decl_agent_code": head.decl_agent_code,
            "decl_agent_name": head.decl_agent_name, "customs_code": head.customs_code,
            "start_time": head.start_time.isoformat() if head.start_time else "",
            "end_time": head.end_time.isoformat() if head.end_time else "",
            "invt_nos": [line.invt_no for line in apply.summary_apply_list],
        }
        existing = SimCebDocument.objects.select_for_update().filter(kind=CebKind.SUMMARY, sender=sender,
                                                                     key=head.cop_no).first()
        doc = existing or SimCebDocument(kind=CebKind.SUMMARY, sender=sender, key=head.cop_no)
        if existing is not None and existing.state not in (CebState.REJECTED, CebState.DRAFT):
            _answer(existing, rules.OTHER_ERROR, f"汇总申请单{head.cop_no}已经申报过，请勿重复申报", now)
            existing.save(update_fields=["history", "return_status", "updated_at"])
            continue
        doc.data, doc.number = data, ""
        doc.pre_no = doc.pre_no or _pre_no("S", now)
        if head.app_status == "1":
            doc.state, doc.next_event_at = CebState.DRAFT, None
            _answer(doc, rules.DRAFT, "电子口岸已暂存", now)
        else:
            doc.state, doc.next_event_at = CebState.DECLARED, _later(now)
            _answer(doc, rules.DECLARING, "电子口岸申报中", now)
        doc.save()


def _take_waybills(message: Any, sender: str, path: Path, now: dt.datetime) -> None:
    for waybill in message.logistics:
        key = f"{waybill.logistics_code}|{waybill.logistics_no}"
        existing = SimCebDocument.objects.select_for_update().filter(
            kind=CebKind.WAYBILL, sender=waybill.logistics_code, key=key).first()
        data = {"logistics_code": waybill.logistics_code, "logistics_no": waybill.logistics_no, "sent_by": sender}
        if existing is not None and not existing.generated:
            _answer(existing, rules.WAYBILL_EXISTS, f"已存在相同编号的运单：{waybill.logistics_no}", now)
            existing.save(update_fields=["history", "return_status", "updated_at"])
            continue
        doc = existing or SimCebDocument(kind=CebKind.WAYBILL, sender=waybill.logistics_code, key=key)
        doc.generated, doc.data = False, data
        doc.state, doc.next_event_at = CebState.DECLARED, _later(now)
        _answer(doc, rules.DECLARING, "电子口岸申报中", now)
        doc.save()


def _take_movement(kind: str, message: Any, sender: str, now: dt.datetime) -> None:
    """运抵单 (arrival) and 离境单 (departure) the platform sends itself."""
    records = message.arrival if kind == CebKind.ARRIVAL else message.departure
    for record in records:
        head = record.arrival_head if kind == CebKind.ARRIVAL else record.departure_head
        lines = record.arrival_list if kind == CebKind.ARRIVAL else record.departure_list
        data = {"cop_no": head.cop_no, "logistics_code": head.logistics_code, "bill_no": head.bill_no or "",
                "operator_code": getattr(head, "operator_code", ""),
                "logistics_nos": [line.logistics_no for line in lines]}
        doc, _ = SimCebDocument.objects.select_for_update().get_or_create(kind=kind, sender=sender, key=head.cop_no)
        doc.data, doc.generated = data, False
        doc.pre_no = doc.pre_no or _pre_no("A" if kind == CebKind.ARRIVAL else "D", now)
        doc.state, doc.next_event_at = CebState.DECLARED, _later(now)
        _answer(doc, rules.DECLARING, "电子口岸申报中", now)
        doc.save()


TAKERS: dict[str, Callable[[Any, str, Path, dt.datetime], None]] = {
    "CEB303": _take_orders,
    "CEB603": _take_lists,
    "CEB701": _take_summaries,
    "CEB505": _take_waybills,
    "CEB507": lambda m, s, p, now: _take_movement(CebKind.ARRIVAL, m, s, now),
    "CEB509": lambda m, s, p, now: _take_movement(CebKind.DEPARTURE, m, s, now),
}


# --------------------------------------------------------------------------- the logistics side


def _logistics_transfer(d: dict[str, Any]) -> BaseTransfer:
    return BaseTransfer(cop_code=d["logistics_code"], cop_name=d["logistics_name"], dxp_mode="DXP", dxp_id=SIM_DXP)


def _waybill_of(lst: SimCebDocument) -> SimCebDocument | None:
    d = lst.data
    if _chunk is not None and _chunk.has_waybills:
        return _chunk.waybills.get((d["logistics_code"], f"{d['logistics_code']}|{d['logistics_no']}"))
    return SimCebDocument.objects.filter(kind=CebKind.WAYBILL, sender=d["logistics_code"],
                                         key=f"{d['logistics_code']}|{d['logistics_no']}").first()


def _generated_waybill(lst: SimCebDocument, now: dt.datetime, known: set[tuple[str, str]]) -> SimCebDocument | None:
    """The list's waybill (not saved): when the logistics enterprise has not declared it (its
    (sender, key) not in ``known``), the simulator does (a CEB505 from the list's logistics
    fields), taken after the delay; None when it is known."""
    d = lst.data
    key = (d["logistics_code"], f"{d['logistics_code']}|{d['logistics_no']}")
    if key in known:
        return None
    known.add(key)
    goods = "、".join(dict.fromkeys(i["g_name"] for i in d["items"]))[:200] or "货物"
    message = CEB505Message(guid=new_guid(), logistics=[Logistics(
        guid=new_guid(), app_time=now, logistics_code=d["logistics_code"], logistics_name=d["logistics_name"],
        logistics_no=d["logistics_no"], freight=Decimal(d["freight"]), insured_fee=Decimal(d["insured_fee"]),
        currency=d["currency"], gross_weight=Decimal(d["gross_weight"]), pack_no=d["pack_no"], goods_info=goods,
        ebc_code=d["ebc_code"], ebc_name=d["ebc_name"],
    )], base_transfer=_logistics_transfer(d))
    return SimCebDocument(
        kind=CebKind.WAYBILL, sender=d["logistics_code"], key=f"{d['logistics_code']}|{d['logistics_no']}",
        generated=True, state=CebState.DECLARED, next_event_at=_later(now), message=build_ceb(message),
        data={"logistics_code": d["logistics_code"], "logistics_no": d["logistics_no"], "invt_cop_no": d["cop_no"]},
    )


def _generate_movement(kind: str, lst: SimCebDocument, now: dt.datetime) -> None:
    """The arrival (运抵单, by the site operator) or departure (离境单, by the logistics
    enterprise) of a list's waybill, generated when nobody has declared it."""
    d = lst.data
    prefix = "ARR" if kind == CebKind.ARRIVAL else "DEP"
    cop_no = f"{prefix}{lst.number}"
    if _chunk is not None and _chunk.has_movements:
        if (kind, d["logistics_code"], cop_no) in _chunk.movements:
            return
    elif SimCebDocument.objects.filter(kind=kind, sender=d["logistics_code"], key=cop_no).exists():
        return
    bill_no = d["bill_no"] or d["logistics_no"]
    if kind == CebKind.ARRIVAL:
        message: Message = CEB507Message(guid=new_guid(), arrival=[Arrival(
            arrival_head=ArrivalHead(
                guid=new_guid(), app_time=now, customs_code=d["customs_code"], cop_no=cop_no,
                operator_code=SIM_SITE[0], operator_name=SIM_SITE[1], ie_flag="E", traf_mode=d["traf_mode"],
                bill_no=bill_no, domestic_traf_no="模拟海关监管车辆", logistics_code=d["logistics_code"],
                logistics_name=d["logistics_name"]),
            arrival_list=[ArrivalList(g_num=1, logistics_no=d["logistics_no"])],
        )], base_transfer=_logistics_transfer(d))
    else:
        message = CEB509Message(guid=new_guid(), departure=[Departure(
            departure_head=DepartureHead(
                guid=new_guid(), app_time=now, customs_code=d["customs_code"], cop_no=cop_no,
                logistics_code=d["logistics_code"], logistics_name=d["logistics_name"], traf_mode=d["traf_mode"],
                traf_name=d["traf_name"], voyage_no=d["voyage_no"], bill_no=bill_no, leave_time=now),
            departure_list=[DepartureList(g_num=1, logistics_no=d["logistics_no"])],
        )], base_transfer=_logistics_transfer(d))
    doc = SimCebDocument(
        kind=kind, sender=d["logistics_code"], key=cop_no, generated=True, state=CebState.DECLARED,
        next_event_at=_later(now), pre_no=_pre_no("A" if kind == CebKind.ARRIVAL else "D", now),
        message=build_ceb(message),
        data={"cop_no": cop_no, "logistics_code": d["logistics_code"], "bill_no": bill_no,
              "operator_code": SIM_SITE[0], "logistics_nos": [d["logistics_no"]], "invt_no": lst.number},
    )
    if _chunk is None:
        doc.save()
    else:
        _chunk.step.created.append(doc)


def _mark_waybills(doc: SimCebDocument, now: dt.datetime) -> None:
    field = "arrived_at" if doc.kind == CebKind.ARRIVAL else "departed_at"
    code = doc.data["logistics_code"]
    keys = [f"{code}|{no}" for no in doc.data["logistics_nos"]]
    if _chunk is None:
        SimCebDocument.objects.filter(kind=CebKind.WAYBILL, sender=code, key__in=keys).update(**{field: now})
    else:
        _chunk.step.marks.append((field, code, keys, now))


# ----------------------------------------------------------------------------------- decisions


def _order_problem(lst: SimCebDocument) -> str:
    """The 三单 check of a list: its order (9710: B2B订单 orderType B, 9810: 订仓单 W) taken and
    入库 from the same sender or the same 电商企业."""
    d = lst.data
    key = f"{d['ebp_code']}|{d['order_no']}"
    if _chunk is not None and _chunk.has_orders:
        stored = [o for o in _chunk.orders.get(key, []) if o.state == CebState.STORED]  # newest first
        order = next((o for o in stored if o.sender == lst.sender), None) or next(
            (o for o in stored if o.data.get("ebc_code") == d["ebc_code"]), None)
    else:
        orders = SimCebDocument.objects.filter(kind=CebKind.ORDER, key=key, state=CebState.STORED)
        order = orders.filter(sender=lst.sender).first() or orders.filter(data__ebc_code=d["ebc_code"]).first()
    if order is None:
        return f"订单信息查询不存在：电商平台代码{d['ebp_code']}，订单编号{d['order_no']}（海关未收到或未入库该订单）"
    wanted = {"9710": "B", "9810": "W"}.get(d["trade_mode"])
    if wanted and order.data.get("order_type") != wanted:
        names = {"B": "B2B出口订单", "W": "海外仓订仓单", "E": "B2C出口订单"}
        return (f"贸易方式{d['trade_mode']}的清单应对应{names[wanted]}(orderType {wanted})，订单{d['order_no']}为"
                f"{names.get(order.data.get('order_type', ''), order.data.get('order_type'))}")
    return ""


def _list_problems(lst: SimCebDocument) -> list[str]:
    problems = []
    if text := _order_problem(lst):
        problems.append(text)
    for item in lst.data["items"]:
        if text := rules.hs_code_problem(item["g_code"]):
            problems.append(f"清单表体第{item['g_num']}项 {text}")
    return problems


def _step_list(doc: SimCebDocument, now: dt.datetime) -> bool:
    if doc.state == CebState.DECLARED:
        doc.number = _invt_no(doc.data["customs_code"], now)
        doc.state = CebState.STORED
        _answer(doc, rules.STORED, "海关入库", now)
        return True
    if doc.state == CebState.STORED:
        waybill = _waybill_of(doc)
        if waybill is None or waybill.state != CebState.STORED:
            return False  # 三单: the waybill first
        problems = _list_problems(doc)
        if problems:
            doc.state, doc.next_event_at = CebState.REJECTED, None
            _answer(doc, rules.REJECTED, "海关退单：" + "；".join(problems), now)
            return True
        doc.state = CebState.AUDITED
        _answer(doc, rules.AUDITED, "海关审结", now)
        if waybill.arrived_at is None:
            _generate_movement(CebKind.ARRIVAL, doc, now)
        return True
    if doc.state == CebState.AUDITED and doc.plan_inspect:
        doc.state = CebState.INSPECTION
        _answer(doc, rules.INSPECTION, "海关查验：请联系监管场所配合查验", now)
        return True
    if doc.state in (CebState.AUDITED, CebState.INSPECTION):
        waybill = _waybill_of(doc)
        if waybill is None or waybill.arrived_at is None:
            return False  # 运抵 before 放行
        doc.state = CebState.RELEASED
        _answer(doc, rules.RELEASED, "放行", now)
        if waybill.departed_at is None:
            _generate_movement(CebKind.DEPARTURE, doc, now)
        return True
    if doc.state == CebState.RELEASED:
        waybill = _waybill_of(doc)
        if waybill is None or waybill.departed_at is None:
            return False  # 离境 before 结关
        doc.state, doc.next_event_at = CebState.CLOSED, None
        _answer(doc, rules.CLOSED, "结关", now)
        return True
    return False


def _summary_lists(doc: SimCebDocument) -> tuple[list[SimCebDocument], list[str]]:
    d = doc.data
    lists = SimCebDocument.objects.filter(kind=CebKind.LIST)
    if d["start_time"] and d["end_time"]:
        # "如指定时间范围将忽略表体数据": the 收发货人's released lists not summarised, by 出口日期
        start = dt.datetime.fromisoformat(d["start_time"]).astimezone(CHINA).strftime("%Y%m%d")
        end = dt.datetime.fromisoformat(d["end_time"]).astimezone(CHINA).strftime("%Y%m%d")
        found = [lst for lst in lists.filter(data__ebc_code=d["ebc_code"], summary_no="",
                                             state__in=(CebState.RELEASED, CebState.CLOSED))
                 if start <= lst.data["ie_date"] <= end]
        return found, ([] if found else [f"汇总时间范围内没有已放行且未汇总的清单（{start}至{end}）"])
    by_no = {lst.number: lst for lst in lists.filter(number__in=d["invt_nos"])}
    problems, found = [], []
    for no in d["invt_nos"]:
        lst = by_no.get(no)
        if lst is None:
            problems.append(f"清单编号{no}不存在（海关未审结该清单）")
        elif lst.data["ebc_code"] != d["ebc_code"]:
            problems.append(f"清单{no}的收发货人{lst.data['ebc_code']}与汇总申请单收发货人{d['ebc_code']}不一致")
        elif lst.state not in (CebState.RELEASED, CebState.CLOSED):
            problems.append(f"清单{no}尚未放行（{lst.get_state_display()}），不能汇总")
        elif lst.summary_no and lst.summary_no != doc.number:
            problems.append(f"清单{no}已汇总（汇总申请编号{lst.summary_no}）")
        else:
            found.append(lst)
    return found, problems


def _summary_result(doc: SimCebDocument, lists: list[SimCebDocument], now: dt.datetime) -> CEB792Message:
    d = doc.data
    gross = sum((Decimal(lst.data["gross_weight"]) for lst in lists), Decimal(0))
    net = sum((Decimal(lst.data["net_weight"]) for lst in lists), Decimal(0))
    rows, seq = [], 0
    for lst in lists:
        for item in lst.data["items"]:
            seq += 1
            rows.append(SummaryResultList(invt_no=lst.number, logistics_no=lst.data["logistics_no"], g_seq_no=seq,
                                          g_num=item["g_num"], g_code=item["g_code"]))
    head = SummaryResultHead(
        guid=new_guid(), customs_code=d["customs_code"], sum_no=doc.number, op_date=now,
        decl_seq_no=_customs_no("decl", d["customs_code"], now), dec_state="A", agent_code=d["agent_code"],
        agent_name=d["agent_name"], ebc_code=d["ebc_code"], ebc_name=d["ebc_name"],
        decl_agent_code=d["decl_agent_code"], decl_agent_name=d["decl_agent_name"], gross_weight=gross,
        net_weight=net)
    return CEB792Message(guid=new_guid(), summary_result=[SummaryResult(summary_result_head=head,
                                                                        summary_result_list=rows)])


def _step_summary(doc: SimCebDocument, now: dt.datetime) -> bool:
    if doc.state == CebState.DECLARED:
        doc.number = _customs_no("sum", doc.data["customs_code"], now)
        doc.state = CebState.STORED
        _answer(doc, rules.STORED, "海关入库", now)
        return True
    lists, problems = _summary_lists(doc)
    if problems:
        doc.state, doc.next_event_at = CebState.REJECTED, None
        _answer(doc, rules.REJECTED, "海关退单：" + "；".join(problems), now)
        return True
    doc.state, doc.next_event_at = CebState.AUDITED, None
    _answer(doc, rules.AUDITED, f"海关审结，汇总清单{len(lists)}票", now)
    result = _summary_result(doc, lists, now)
    name = _write(build_ceb(result), result.TYPE, doc.data["cop_no"], now)
    doc.data = {**doc.data, "decl_seq_no": result.summary_result[0].summary_result_head.decl_seq_no,
                "summarised": [lst.number for lst in lists]}
    _record(doc, now, rules.AUDITED, name, "汇总结果单")
    SimCebDocument.objects.filter(pk__in=[lst.pk for lst in lists]).update(summary_no=doc.number)
    return True


def _step_simple(doc: SimCebDocument, now: dt.datetime) -> bool:
    """Orders (120 海关入库), waybills (120), arrivals and departures (399 海关审结)."""
    doc.state, doc.next_event_at = CebState.STORED, None
    if doc.kind == CebKind.ORDER:
        _answer(doc, rules.STORED, "海关入库", now)
    elif doc.kind == CebKind.WAYBILL:
        _answer(doc, rules.STORED, "运单海关入库", now)
    else:
        _answer(doc, rules.AUDITED, "运抵成功" if doc.kind == CebKind.ARRIVAL else "离境成功", now)
        _mark_waybills(doc, now)
    return True


STEPS: dict[str, Callable[[SimCebDocument, dt.datetime], bool]] = {
    CebKind.LIST: _step_list, CebKind.SUMMARY: _step_summary,
}


def _step(doc: SimCebDocument, now: dt.datetime) -> bool:
    """Move ``doc`` (locked, due) one step and write its receipt; False when it waits (for its
    waybill, arrival or departure): looked at again after the delay, nothing written."""
    moved = STEPS.get(doc.kind, _step_simple)(doc, now)
    if doc.state in CEB_ACTIVE_STATES and doc.next_event_at is not None:
        doc.next_event_at = _later(now)
    if _chunk is None:
        doc.save(update_fields=STEP_FIELDS if moved else ("next_event_at", "updated_at"))
    else:
        _chunk.step.saves.append((doc, moved))
    return moved


# What a step changes (the stored message and the sender's keys never do).
STEP_FIELDS = ("state", "number", "return_status", "next_event_at", "data", "history", "updated_at")


def _due(now: dt.datetime) -> QuerySet[SimCebDocument]:
    return SimCebDocument.objects.filter(state__in=CEB_ACTIVE_STATES, next_event_at__lte=now)


# What a step may change of a document (restored when the step raises).
SNAPSHOT_FIELDS = ("state", "number", "pre_no", "return_status", "next_event_at", "data", "history", "summary_no")


@dataclasses.dataclass
class _StepWrites:
    """What one step leaves to write: receipt files (written just before the chunk commits), rows to save, documents
    generated, waybills marked arrived/departed."""

    files: list[tuple[str, bytes]] = dataclasses.field(default_factory=list)
    saves: list[tuple[SimCebDocument, bool]] = dataclasses.field(default_factory=list)
    created: list[SimCebDocument] = dataclasses.field(default_factory=list)
    marks: list[tuple[str, str, list[str], dt.datetime]] = dataclasses.field(default_factory=list)


class _Chunk:
    """One chunk of due documents advanced together: what their steps look up (waybills,
    orders, generated arrivals/departures) loaded in a few queries, and what they write
    gathered and written at once, rows before commit and receipt files after it. A step that
    raises leaves its document as it was and nothing of it is written (no savepoint needed:
    a step itself writes nothing but running numbers)."""

    def __init__(self, docs: list[SimCebDocument]) -> None:
        self.docs = docs
        self.step = _StepWrites()
        self.files: list[tuple[str, bytes]] = []
        self.saves: dict[int, tuple[SimCebDocument, bool]] = {}
        self.created: list[SimCebDocument] = []
        self.marks: list[tuple[str, str, list[str], dt.datetime]] = []
        self.waybills: dict[tuple[str, str], SimCebDocument] = {}
        self.orders: dict[str, list[SimCebDocument]] = {}
        self.movements: set[tuple[str, str, str]] = set()
        lists = [doc for doc in docs if doc.kind == CebKind.LIST]
        self.has_waybills = self.has_orders = self.has_movements = bool(lists)
        if not lists:
            return
        by_pk = {doc.pk: doc for doc in docs}
        wanted = {f"{d.data['logistics_code']}|{d.data['logistics_no']}" for d in lists}
        waybills = SimCebDocument.objects.filter(kind=CebKind.WAYBILL, key__in=wanted).defer("message")
        for row in waybills.order_by("-created_at", "-id"):
            row = by_pk.get(row.pk, row)
            self.waybills.setdefault((row.sender, row.key), row)
        order_keys = {f"{d.data['ebp_code']}|{d.data['order_no']}" for d in lists}
        orders = SimCebDocument.objects.filter(kind=CebKind.ORDER, key__in=order_keys).defer("message")
        for row in orders.order_by("-created_at", "-id"):
            self.orders.setdefault(row.key, []).append(by_pk.get(row.pk, row))
        moves = {f"{p}{d.number}" for d in lists if d.number for p in ("ARR", "DEP")}
        if moves:
            self.movements = set(SimCebDocument.objects.filter(
                kind__in=(CebKind.ARRIVAL, CebKind.DEPARTURE), key__in=moves).values_list("kind", "sender", "key"))

    def run(self, doc: SimCebDocument, now: dt.datetime) -> bool:
        """``_step`` on ``doc``; what it wrote is kept only when it did not raise."""
        # the steps replace data and history, never change them in place: references suffice
        before = {name: getattr(doc, name) for name in SNAPSHOT_FIELDS}
        self.step = _StepWrites()
        try:
            if doc.kind in DB_STEPS:  # reads and writes the database itself
                self.flush()
                with transaction.atomic():
                    moved = _step(doc, now)
                    self._write_rows(self.step.saves, self.step.created, self.step.marks)
                    self.step.saves, self.step.created, self.step.marks = [], [], []
            else:
                moved = _step(doc, now)
        except Exception:
            for name, value in before.items():
                setattr(doc, name, value)
            raise
        finally:
            step, self.step = self.step, _StepWrites()
        self.files += step.files
        self.saves.update({d.pk: (d, m) for d, m in step.saves})
        for created in step.created:
            self.movements.add((created.kind, created.sender, created.key))
        self.created += step.created
        for field_name, code, keys, when in step.marks:
            for key in keys:
                waybill = self.waybills.get((code, key))
                if waybill is not None:
                    setattr(waybill, field_name, when)
        self.marks += step.marks
        return moved

    def flush(self) -> None:
        """Write the rows gathered so far (in the chunk's transaction)."""
        self._write_rows(list(self.saves.values()), self.created, self.marks)
        self.saves, self.created, self.marks = {}, [], []

    @staticmethod
    def _write_rows(saves: list[tuple[SimCebDocument, bool]], created: list[SimCebDocument],
                    marks: list[tuple[str, str, list[str], dt.datetime]]) -> None:
        now = timezone.now()
        for fields, docs in ((STEP_FIELDS, [d for d, m in saves if m]),
                             (("next_event_at", "updated_at"), [d for d, m in saves if not m])):
            if docs:
                for doc in docs:
                    doc.updated_at = now
                _update_rows(docs, fields)
        if created:
            SimCebDocument.objects.bulk_create(created)
        grouped: dict[tuple[str, str, dt.datetime], list[str]] = {}
        for field_name, code, keys, when in marks:
            grouped.setdefault((field_name, code, when), []).extend(keys)
        for (field_name, code, when), keys in grouped.items():
            for start in range(0, len(keys), 500):
                SimCebDocument.objects.filter(kind=CebKind.WAYBILL, sender=code,
                                              key__in=keys[start:start + 500]).update(**{field_name: when})

    def write_files(self) -> None:
        for name, data in self.files:
            try:
                write_named(name, data)
            except OSError:
                log.exception("simulator could not write CEB receipt %s", name)


def _update_rows(docs: list[SimCebDocument], names: Iterable[str]) -> None:
    """``UPDATE ... SET <names> WHERE id`` for each document, in one executemany."""
    fields = [SimCebDocument._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(SimCebDocument._meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in fields)} "
           f"WHERE {qn(SimCebDocument._meta.pk.column)} = %s")
    params = [[f.get_db_prep_save(getattr(doc, f.attname), connection) for f in fields] + [doc.pk] for doc in docs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


DB_STEPS = frozenset({CebKind.SUMMARY})  # steps that query and update other documents themselves
_chunk: _Chunk | None = None


def advance_many(pks: Iterable[int], now: dt.datetime) -> int:
    global _chunk
    pks = list(pks)
    moved = 0
    for start in range(0, len(pks), ADVANCE_CHUNK):
        chunk = None
        try:
            with transaction.atomic():
                docs = list(_due(now).filter(pk__in=pks[start:start + ADVANCE_CHUNK]).defer("message")
                            .select_for_update().order_by("next_event_at", "id"))
                chunk = _chunk = _Chunk(docs)
                for doc in docs:
                    try:
                        moved += chunk.run(doc, now)
                    except Exception:
                        log.exception("simulator could not advance CEB document %s", doc.pk)
                chunk.flush()
                # before the commit, as a step wrote them before: a crash in between leaves a receipt
                # whose state change the next round redoes (the platform applies receipts once and
                # statuses only move forward), never a state change whose receipt is lost
                chunk.write_files()
        finally:
            _chunk = None
    return moved


def advance(now: dt.datetime) -> int:
    """Move every due CEB document one step; returns how many moved."""
    due = list(_due(now).order_by("next_event_at", "id").values_list("pk", flat=True))
    return advance_many(due, now) if due else 0
