"""回执: what customs (and the logistics side) answered, applied once per file.

``apply_receipt`` / ``apply_receipts`` are the gateway's handlers for the CEB receipts:

- CEB304 订单回执 -> the order, by 电商平台代码 + 电商企业代码 + 订单编号;
- CEB604 清单回执 -> the list, by 申报企业代码 + 企业唯一编号 (its preNo and invtNo are kept);
- CEB702 汇总申请单回执 -> the summary, by 企业唯一编号 (its preNo and sumNo are kept);
- CEB792 汇总结果单 -> the summary, by 汇总申请编号 (汇总统一编号, 报关单编号, 报关单状态): 汇总完成;
- CEB506 运单回执, CEB508 运抵单回执, CEB510 离境单回执 -> the waybill (by 物流企业代码 + 物流运单编号;
  运抵/离境 by the list's 清单编号 in copNo ``ARR``/``DEP`` + invtNo, or the 提运单号), which shows
  the logistics side of its lists.

The status moves only forward (待申报 -> 已申报 -> 海关入库 -> 查验 -> 放行 -> 结关; a summary to
汇总完成), or to an end: 海关退单 (100) while customs has not released it, 申报失败 (4, a negative
code: "若小于0数字表示处理异常回执") only from 已申报, 退运 (700) after 放行. Every return row is
recorded (``CebReceipt``) with its returnStatus and returnInfo, and the document keeps the latest
(by returnTime) to show in Chinese (``messages.ceb.status.return_status_text``). A receipt for a
document still 待申报 (never sent) is recorded and changes nothing.

The sha256 of the file is recorded with its rows: a file read twice is applied once. A file none
of whose rows names a document of the platform is refused (the gateway quarantines it).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.audit.models import OperationLog
from guanwu.core.locking import lock
from guanwu.imports import bulk
from guanwu.messages.ceb import (
    CEB304Message,
    CEB506Message,
    CEB508Message,
    CEB510Message,
    CEB604Message,
    CEB702Message,
    CEB792Message,
    CebParseError,
    parse_ceb,
    return_outcome,
    return_status_text,
)

from ..models import CebReceipt, CebStatus, ExportList, Order, Summary, Waybill

log = logging.getLogger(__name__)

RECEIPT_ROOTS = (
    "CEB304Message", "CEB604Message", "CEB702Message", "CEB792Message", "CEB506Message", "CEB508Message",
    "CEB510Message",
)

S = CebStatus
RANK = {S.DRAFT: 0, S.SENT: 1, S.ACCEPTED: 2, S.HELD: 3, S.RELEASED: 4, S.CLOSED: 5, S.SUMMARIZED: 6}
ENDS = frozenset({S.REJECTED, S.FAILED, S.RETURNED})
OUTCOME_STATUS = {"accepted": S.ACCEPTED, "held": S.HELD, "released": S.RELEASED, "closed": S.CLOSED}
DOC_FIELDS = ["status", "status_changed_at", "return_status", "return_info", "return_time", "updated_at"]
# what a receipt reads and writes of an order or a list (the rest stays unloaded)
ORDER_LOADED = ["id", "enterprise_id", "ebp_code", "ebc_code", "order_no", "sent_at", *DOC_FIELDS]
LIST_LOADED = ["id", "enterprise_id", "agent_code", "cop_no", "pre_no", "invt_no", "order_no", "waybill_id",
               *DOC_FIELDS]


class ReceiptError(ValueError):
    """A receipt file that cannot be applied (Chinese message: the gateway shows it)."""


def next_status(current: str, code: str) -> str | None:
    """The status a returnStatus moves a document to, or None to only record it."""
    if current == S.DRAFT:
        return None  # never sent: nothing customs says about it applies
    outcome = return_outcome(code)
    if outcome in (None, "sent"):
        return None
    if outcome == "failed":
        return S.FAILED if current == S.SENT else None
    if outcome == "rejected":
        return S.REJECTED if current in (S.SENT, S.ACCEPTED, S.HELD) else None
    if outcome == "returned":
        return S.RETURNED if current in (S.RELEASED, S.CLOSED) else None
    if current in ENDS:
        return None
    target = OUTCOME_STATUS[outcome]
    return target if RANK[target] > RANK.get(current, 0) else None


@dataclass
class _Found:
    """The documents a batch of receipt files names, loaded (and locked) in a few queries."""

    orders: dict[tuple[str, str], list[Order]] = field(default_factory=dict)
    lists_by_cop: dict[tuple[str, str], list[ExportList]] = field(default_factory=dict)
    lists_by_invt: dict[str, list[ExportList]] = field(default_factory=dict)
    summaries_by_cop: dict[str, list[Summary]] = field(default_factory=dict)
    summaries_by_sum: dict[str, list[Summary]] = field(default_factory=dict)
    waybills: dict[tuple[str, str], list[Waybill]] = field(default_factory=dict)
    waybills_by_no: dict[str, list[Waybill]] = field(default_factory=dict)
    waybill_by_pk: dict[int, Waybill] = field(default_factory=dict)


def _chunks(values: Iterable[str], size: int = 500):
    ordered = sorted(v for v in set(values) if v)
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def _logistics_key(cop_no: str, prefix: str) -> str:
    """The 清单编号 the simulated 运抵/离境 carry in copNo (``ARR``/``DEP`` + invtNo)."""
    return cop_no[len(prefix):] if cop_no.startswith(prefix) else ""


def _load(messages: list[Any]) -> _Found:
    found = _Found()
    order_nos, cops, invts, sums, waybill_nos = set(), set(), set(), set(), set()
    for message in messages:
        if isinstance(message, CEB304Message):
            order_nos |= {r.order_no for r in message.order_return}
        elif isinstance(message, CEB604Message):
            cops |= {r.cop_no for r in message.inventory_return}
        elif isinstance(message, CEB702Message):
            cops |= {r.cop_no for r in message.summary_return}
        elif isinstance(message, CEB792Message):
            sums |= {r.summary_result_head.sum_no for r in message.summary_result}
        elif isinstance(message, CEB506Message):
            waybill_nos |= {r.logistics_no for r in message.logistics_return}
        elif isinstance(message, CEB508Message):
            for r in message.arrival_return:
                invts.add(_logistics_key(r.cop_no, "ARR"))
                waybill_nos.add(r.bill_no)
        elif isinstance(message, CEB510Message):
            invts |= {_logistics_key(r.cop_no, "DEP") for r in message.departure_return}
    for chunk in _chunks(order_nos):
        for order in lock(Order.objects.filter(order_no__in=chunk).only(*ORDER_LOADED)).order_by("-sent_at", "-id"):
            found.orders.setdefault((order.ebp_code, order.order_no), []).append(order)
    for chunk in _chunks(cops):
        for row in lock(ExportList.objects.filter(cop_no__in=chunk).only(*LIST_LOADED)).order_by("id"):
            found.lists_by_cop.setdefault((row.agent_code, row.cop_no), []).append(row)
        for row in lock(Summary.objects.filter(cop_no__in=chunk)).order_by("id"):
            found.summaries_by_cop.setdefault(row.cop_no, []).append(row)
    for chunk in _chunks(invts):
        for row in ExportList.objects.filter(invt_no__in=chunk).only(*LIST_LOADED).order_by("id"):
            found.lists_by_invt.setdefault(row.invt_no, []).append(row)
    for chunk in _chunks(sums):
        for row in lock(Summary.objects.filter(sum_no__in=chunk)).order_by("id"):
            found.summaries_by_sum.setdefault(row.sum_no, []).append(row)
    waybill_ids = {row.waybill_id for rows in found.lists_by_invt.values() for row in rows if row.waybill_id}
    q = Q(pk__in=waybill_ids)
    for chunk in _chunks(waybill_nos):
        q |= Q(logistics_no__in=chunk)
    if waybill_ids or waybill_nos:
        for row in lock(Waybill.objects.filter(q)).order_by("id"):
            found.waybill_by_pk[row.pk] = row
            found.waybills.setdefault((row.logistics_code, row.logistics_no), []).append(row)
            found.waybills_by_no.setdefault(row.logistics_no, []).append(row)
    return found


@dataclass
class _Applied:
    receipts: list[CebReceipt] = field(default_factory=list)
    logs: list[OperationLog] = field(default_factory=list)
    changed: dict[tuple[type, int], Any] = field(default_factory=dict)


def _newer(doc: Any, when) -> bool:
    return doc.return_time is None or when is None or when >= doc.return_time


def _apply_to_doc(out: _Applied, doc: Any, message_type: str, row: Any, sha: str, n: int, file_name: str,
                  **link: Any) -> CebReceipt:
    code = (row.return_status or "").strip()
    before = doc.status
    new = next_status(before, code)
    if new:
        doc.status = new
        doc.status_changed_at = timezone.now()
    if _newer(doc, row.return_time):
        doc.return_status, doc.return_info, doc.return_time = code, row.return_info or "", row.return_time
    out.changed[(type(doc), doc.pk)] = doc
    receipt = _receipt(doc.enterprise_id, message_type, row, sha, n, file_name, f"{type(doc).__name__}{doc.pk}",
                       status_after=doc.status, **link)
    if new:  # every receipt is in CebReceipt; the operation log keeps what changed the document
        out.logs.append(audit.entry(None, doc, f"回执{message_type}: {return_status_text(code)}",
                                    before=S(before).label, after=S(doc.status).label,
                                    opinion=(row.return_info or "")[:1000], enterprise=doc.enterprise_id))
    return receipt


def _receipt(enterprise_id: int, message_type: str, row: Any, sha: str, n: int, file_name: str, target: str,
             status_after: str = "", **link: Any) -> CebReceipt:
    return CebReceipt(
        enterprise_id=enterprise_id, message_type=message_type, guid=(getattr(row, "guid", "") or "")[:36],
        return_status=(getattr(row, "return_status", "") or "").strip()[:10],
        return_info=getattr(row, "return_info", "") or "", return_time=getattr(row, "return_time", None),
        status_after=status_after, file_name=file_name[:255], file_hash=sha, dedupe_key=f"{sha[:40]}:{n}:{target}"[:80],
        **link,
    )


def _pick(candidates: list[Any] | None, **match: str) -> list[Any]:
    """The documents a return row names: those whose given fields match, sent ones first."""
    rows = [c for c in candidates or [] if all(not v or getattr(c, k) == v for k, v in match.items())]
    sent = [c for c in rows if c.status != S.DRAFT]
    return sent[:1] or rows[:1]


def _apply_file(message: Any, found: _Found, sha: str, file_name: str, out: _Applied) -> int:
    """Apply one parsed file; returns how many return rows named a document."""
    applied = 0
    kind = message.TYPE
    if isinstance(message, CEB304Message):
        for n, r in enumerate(message.order_return):
            for order in _pick(found.orders.get((r.ebp_code, r.order_no)), ebc_code=r.ebc_code):
                out.receipts.append(_apply_to_doc(out, order, kind, r, sha, n, file_name, order=order))
                applied += 1
    elif isinstance(message, CEB604Message):
        for n, r in enumerate(message.inventory_return):
            for row in _pick(found.lists_by_cop.get((r.agent_code, r.cop_no))):
                if r.pre_no and not row.pre_no:
                    row.pre_no = r.pre_no
                if r.invt_no and not row.invt_no:
                    row.invt_no = r.invt_no
                    found.lists_by_invt.setdefault(r.invt_no, []).append(row)
                out.receipts.append(_apply_to_doc(out, row, kind, r, sha, n, file_name, export_list=row))
                applied += 1
    elif isinstance(message, CEB702Message):
        for n, r in enumerate(message.summary_return):
            for row in _pick(found.summaries_by_cop.get(r.cop_no), agent_code=r.agent_code):
                if r.pre_no and not row.pre_no:
                    row.pre_no = r.pre_no
                if r.sum_no and not row.sum_no:
                    row.sum_no = r.sum_no
                    found.summaries_by_sum.setdefault(r.sum_no, []).append(row)
                out.receipts.append(_apply_to_doc(out, row, kind, r, sha, n, file_name, summary=row))
                applied += 1
    elif isinstance(message, CEB792Message):
        for n, result in enumerate(message.summary_result):
            head = result.summary_result_head
            for row in _pick(found.summaries_by_sum.get(head.sum_no)):
                out.receipts.append(_apply_result(out, row, head, sha, n, file_name))
                applied += 1
    elif isinstance(message, CEB506Message):
        for n, r in enumerate(message.logistics_return):
            for waybill in found.waybills.get((r.logistics_code, r.logistics_no), []):
                waybill.waybill_status, waybill.waybill_info = r.return_status, (r.return_info or "")[:1000]
                out.changed[(Waybill, waybill.pk)] = waybill
                out.receipts.append(_receipt(waybill.enterprise_id, kind, r, sha, n, file_name,
                                             f"Waybill{waybill.pk}", waybill=waybill))
                applied += 1
    elif isinstance(message, CEB508Message | CEB510Message):
        arrival = isinstance(message, CEB508Message)
        rows = message.arrival_return if arrival else message.departure_return
        for n, r in enumerate(rows):
            invt_no = _logistics_key(r.cop_no, "ARR" if arrival else "DEP")
            lists = found.lists_by_invt.get(invt_no, [])
            for x in lists:  # a list whose invtNo came in this batch: its waybill was not loaded
                if x.waybill_id and x.waybill_id not in found.waybill_by_pk:
                    found.waybill_by_pk[x.waybill_id] = lock(Waybill.objects.filter(pk=x.waybill_id)).get()
            waybills = [found.waybill_by_pk[x.waybill_id] for x in lists if x.waybill_id]
            if not waybills and arrival:
                waybills = found.waybills_by_no.get(getattr(r, "bill_no", ""), [])
            for waybill in {w.pk: w for w in waybills}.values():
                if arrival:
                    waybill.arrival_status, waybill.arrival_info = r.return_status, (r.return_info or "")[:1000]
                    waybill.arrived_at = waybill.arrived_at or r.return_time
                else:
                    waybill.departure_status, waybill.departure_info = r.return_status, (r.return_info or "")[:1000]
                    waybill.departed_at = waybill.departed_at or r.return_time
                out.changed[(Waybill, waybill.pk)] = waybill
                listed = next((x for x in lists if x.waybill_id == waybill.pk), None)
                out.receipts.append(_receipt(waybill.enterprise_id, kind, r, sha, n, file_name, f"Waybill{waybill.pk}",
                                             waybill=waybill, export_list=listed))
                applied += 1
    return applied


def _apply_result(out: _Applied, row: Summary, head: Any, sha: str, n: int, file_name: str) -> CebReceipt:
    """CEB792 汇总结果单: the numbers customs gave the summary's 报关单; 汇总完成."""
    before = row.status
    for name in ("decl_seq_no", "dec_tmp_no", "dec_pre_no", "entry_id", "dec_state", "op_date"):
        value = getattr(head, name)
        if value:
            setattr(row, name, value)
    row.result_gross_weight = head.gross_weight
    row.result_net_weight = head.net_weight
    if before not in ENDS and before != S.DRAFT and before != S.SUMMARIZED:
        row.status = S.SUMMARIZED
        row.status_changed_at = timezone.now()
    out.changed[(Summary, row.pk)] = row
    info = f"汇总结果单：汇总统一编号{head.decl_seq_no}，报关单状态{head.dec_state}"
    if head.entry_id:
        info += f"，报关单编号{head.entry_id}"
    out.logs.append(audit.entry(None, row, "回执CEB792: 汇总结果单", before=S(before).label,
                                after=S(row.status).label, opinion=info, enterprise=row.enterprise_id))
    receipt = _receipt(row.enterprise_id, "CEB792", head, sha, n, file_name, f"Summary{row.pk}",
                       status_after=row.status, summary=row)
    receipt.return_status, receipt.return_info, receipt.return_time = head.dec_state[:10], info, head.op_date
    return receipt


SUMMARY_RESULT_FIELDS = ["decl_seq_no", "dec_tmp_no", "dec_pre_no", "entry_id", "dec_state", "op_date",
                         "result_gross_weight", "result_net_weight"]
WAYBILL_FIELDS = ["waybill_status", "waybill_info", "arrival_status", "arrival_info", "arrived_at",
                  "departure_status", "departure_info", "departed_at", "updated_at"]


def _save(changed: dict[tuple[type, int], Any]) -> None:
    groups: dict[type, list[Any]] = {}
    for (model, _), doc in changed.items():
        groups.setdefault(model, []).append(doc)
    extra = {Order: [], ExportList: ["pre_no", "invt_no"], Summary: ["pre_no", "sum_no", *SUMMARY_RESULT_FIELDS]}
    for model, docs in groups.items():
        fields = WAYBILL_FIELDS if model is Waybill else [*DOC_FIELDS, *extra[model]]
        _update_rows(model, docs, fields)


RECEIPT_COLUMNS = ["enterprise_id", "message_type", "order_id", "export_list_id", "summary_id", "waybill_id", "guid",
                   "return_status", "return_info", "return_time", "status_after", "received_at", "file_name",
                   "file_hash", "dedupe_key"]


def _insert_receipts(rows: list[CebReceipt]) -> None:
    """The receipts in multi-row INSERTs (``imports.bulk``: no model instances built again)."""
    now = timezone.now()
    bulk.insert(CebReceipt, [
        {name: (now if name == "received_at" else getattr(r, name)) for name in RECEIPT_COLUMNS} for r in rows
    ])


def _update_rows(model: type, docs: list[Any], names: list[str]) -> None:
    """``UPDATE ... SET <names> WHERE id`` for each row, in one executemany (``bulk_update``
    builds a CASE per field and row: seconds for the receipts of a thousand lists)."""
    now = timezone.now()
    for doc in docs:
        if "updated_at" in names:
            doc.updated_at = now
    fields = [model._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(model._meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in fields)} "
           f"WHERE {qn(model._meta.pk.column)} = %s")
    params = [[f.get_db_prep_save(getattr(doc, f.attname), connection) for f in fields] + [doc.pk] for doc in docs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def apply_receipts(files: list[tuple[bytes, str]]) -> list[object]:
    """Apply receipt files in order, in the caller's transaction; one outcome per file: the
    CebReceipt rows recorded, None when already applied, or the ReceiptError of a file that does
    not read or names no document (nothing of that file is written; the gateway quarantines it).
    IntegrityError when another poller recorded the same file meanwhile (the gateway then
    applies the files one by one)."""
    outcomes: list[object] = [None] * len(files)
    parsed: list[tuple[int, Any, str]] = []
    for index, (raw, _name) in enumerate(files):
        try:
            message = parse_ceb(raw)
        except CebParseError as exc:
            outcomes[index] = ReceiptError(str(exc))
            continue
        if message.ROOT not in RECEIPT_ROOTS:
            outcomes[index] = ReceiptError(f"{message.ROOT}不是跨境电商回执")
            continue
        parsed.append((index, message, hashlib.sha256(raw).hexdigest()))
    hashes = {sha for _, _, sha in parsed}
    seen = set(CebReceipt.objects.filter(file_hash__in=hashes).values_list("file_hash", flat=True)) if hashes else set()
    fresh = []
    for index, message, sha in parsed:
        if sha in seen:
            continue  # applied before (or twice in this batch): None
        seen.add(sha)
        fresh.append((index, message, sha))
    if not fresh:
        return outcomes
    found = _load([message for _, message, _ in fresh])
    out = _Applied()
    for index, message, sha in fresh:
        part = _Applied(changed=out.changed)
        count = _apply_file(message, found, sha, files[index][1], part)
        if count == 0:
            outcomes[index] = ReceiptError(f"{message.ROOT}回执找不到对应的单据：{_keys(message)}")
            continue
        out.receipts += part.receipts
        out.logs += part.logs
        outcomes[index] = part.receipts
    if out.receipts:
        _save(out.changed)
        _insert_receipts(out.receipts)
        audit.record_many(out.logs)
    return outcomes


def _keys(message: Any) -> str:
    """What a receipt names, for the error of one that matches nothing."""
    if isinstance(message, CEB304Message):
        return "、".join(f"订单编号{r.order_no}" for r in message.order_return[:5])
    if isinstance(message, CEB604Message | CEB702Message):
        rows = message.inventory_return if isinstance(message, CEB604Message) else message.summary_return
        return "、".join(f"企业唯一编号{r.cop_no}" for r in rows[:5])
    if isinstance(message, CEB792Message):
        return "、".join(f"汇总申请编号{r.summary_result_head.sum_no}" for r in message.summary_result[:5])
    if isinstance(message, CEB506Message):
        return "、".join(f"物流运单编号{r.logistics_no}" for r in message.logistics_return[:5])
    rows = message.arrival_return if isinstance(message, CEB508Message) else message.departure_return
    return "、".join(f"企业唯一编号{r.cop_no}" for r in rows[:5])


def apply_receipt(raw: bytes, file_name: str = "") -> list[CebReceipt] | None:
    """Apply one receipt file; None when already applied. Raises ReceiptError (the gateway
    quarantines the file) for a file that does not read or names no document."""
    try:
        with transaction.atomic():
            (outcome,) = apply_receipts([(raw, file_name)])
            if isinstance(outcome, ReceiptError):
                raise outcome
    except IntegrityError:  # the same file applied concurrently by another poller
        if CebReceipt.objects.filter(file_hash=hashlib.sha256(raw).hexdigest()).exists():
            return None
        raise
    return outcome  # type: ignore[return-value]
