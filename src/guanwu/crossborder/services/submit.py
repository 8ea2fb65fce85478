"""提交海关: build CEB303 / CEB603 / CEB701 from the stored rows, validate against the official
XSD, enqueue through the gateway; the documents become 已申报 in the same transaction.

Each document goes as one record of a message (up to 100 a file, the XSD's maxOccurs) with a new
head ``guid``; the file's guid is the gateway's idempotency key (``gateway.enqueue``), so a
document already 已申报 is skipped rather than sent twice. A rejected or failed document goes
again as a new sending (appType 1 新增: customs kept nothing of it). Every file is validated
against the official XSD before it is queued; one invalid record refuses the whole submission
(422, every error in Chinese, naming the document), and nothing is sent.

The 商品批次号 travels in the head's 备注 (``商品批次号：SF20240920XAYH01``): the CEB export
messages have no element for it (only the import order CEB311 has batchNumbers).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.messages.ceb import (
    BaseTransfer,
    CEB303Message,
    CEB603Message,
    CEB701Message,
    Inventory,
    InventoryHead,
    InventoryList,
    Message,
    OrderHead,
    OrderList,
    SummaryApply,
    SummaryApplyHead,
    SummaryApplyList,
    build_ceb,
    new_guid,
    validate_ceb,
)
from guanwu.messages.ceb import (
    Order as OrderRecord,
)
from guanwu.tenancy.context import Actor

from ..models import SUBMITTABLE, CebStatus, CrossborderSettings, ExportList, Order, Summary
from .common import SubmitOutcome
from .lists import ORDER_SENT

PER_MESSAGE = 100  # records per file: maxOccurs of Order, Inventory, SummaryApply (official XSD)


def note_with_batch(note: str, batch_no: str) -> str:
    """The head's 备注 carrying the 商品批次号 (C..1000)."""
    if not batch_no:
        return note
    text = f"商品批次号：{batch_no}"
    return (f"{text}；{note}" if note and batch_no not in note else (note or text))[:1000]


def base_transfer(actor: Actor) -> BaseTransfer:
    """The transmitting enterprise (BaseTransfer): its code, name and DXP node (跨境设置)."""
    ent = actor.enterprise
    dxp = CrossborderSettings.objects.for_enterprise(ent).values_list("dxp_id", flat=True).first()
    return BaseTransfer(cop_code=ent.customs_code, cop_name=ent.name, dxp_mode="DXP",
                        dxp_id=dxp or f"DXPENT{ent.customs_code}")


# -- records from rows (pure given the rows) ----------------------------------------------------

def order_record(order: Order, *, guid: str | None = None, app_time: dt.datetime | None = None) -> OrderRecord:
    batch_no = order.batch.batch_no if order.batch_id else ""
    head = OrderHead(
        guid=guid or order.guid or new_guid(), app_type=order.app_type or "1", app_time=app_time or order.app_time,
        app_status=order.app_status or "2", order_type=order.order_type, order_no=order.order_no,
        ebp_code=order.ebp_code, ebp_name=order.ebp_name, ebc_code=order.ebc_code, ebc_name=order.ebc_name,
        goods_value=order.goods_value, freight=order.freight, currency=order.currency,
        note=note_with_batch(order.note, batch_no),
    )
    lines = [
        OrderList(g_num=x.g_num, item_no=x.item_no, item_name=x.item_name, item_describe=x.item_describe,
                  bar_code=x.bar_code, unit=x.unit, currency=x.currency, qty=x.qty, price=x.price,
                  total_price=x.total_price, note=x.note)
        for x in order.lines.all()
    ]
    return OrderRecord(order_head=head, order_list=lines)


def list_record(row: ExportList, *, guid: str | None = None, app_time: dt.datetime | None = None) -> Inventory:
    batch_no = row.batch.batch_no if row.batch_id else ""
    head = InventoryHead(
        guid=guid or row.guid or new_guid(), app_type=row.app_type or "1", app_time=app_time or row.app_time,
        app_status=row.app_status or "2", customs_code=row.customs_code, ebp_code=row.ebp_code,
        ebp_name=row.ebp_name, order_no=row.order_no, logistics_code=row.logistics_code,
        logistics_name=row.logistics_name, logistics_no=row.logistics_no, cop_no=row.cop_no, pre_no=row.pre_no,
        invt_no=row.invt_no, ie_flag=row.ie_flag or "E", port_code=row.port_code, ie_date=row.ie_date,
        statistics_flag=row.statistics_flag, agent_code=row.agent_code, agent_name=row.agent_name,
        ebc_code=row.ebc_code, ebc_name=row.ebc_name, owner_code=row.owner_code, owner_name=row.owner_name,
        iac_code=row.iac_code, iac_name=row.iac_name, ems_no=row.ems_no, trade_mode=row.trade_mode,
        traf_mode=row.traf_mode, traf_name=row.traf_name, voyage_no=row.voyage_no, bill_no=row.bill_no,
        total_package_no=row.total_package_no, loct_no=row.loct_no, license_no=row.license_no, country=row.country,
        pod=row.pod, freight=row.freight, f_currency=row.f_currency, f_flag=row.f_flag or "3",
        insured_fee=row.insured_fee, i_currency=row.i_currency, i_flag=row.i_flag or "3", wrap_type=row.wrap_type,
        pack_no=row.pack_no, gross_weight=row.gross_weight, net_weight=row.net_weight,
        note=note_with_batch(row.note, batch_no),
    )
    lines = [
        InventoryList(g_num=x.g_num, item_no=x.item_no, item_record_no=x.item_record_no, item_name=x.item_name,
                      g_code=x.g_code, g_name=x.g_name, g_model=x.g_model, bar_code=x.bar_code or "无",
                      country=x.country, currency=x.currency, qty=x.qty, qty1=x.qty1, qty2=x.qty2, unit=x.unit,
                      unit1=x.unit1, unit2=x.unit2, price=x.price, total_price=x.total_price, note=x.note)
        for x in row.lines.all()
    ]
    return Inventory(inventory_head=head, inventory_list=lines)


def summary_record(row: Summary, *, guid: str | None = None, app_time: dt.datetime | None = None) -> SummaryApply:
    batch_no = row.batch.batch_no if row.batch_id else ""
    head = SummaryApplyHead(
        guid=guid or row.guid or new_guid(), app_type=row.app_type or "1", app_time=app_time or row.app_time,
        app_status=row.app_status or "2", customs_code=row.customs_code, cop_no=row.cop_no, pre_no=row.pre_no,
        sum_no=row.sum_no, agent_code=row.agent_code, agent_name=row.agent_name, ebc_code=row.ebc_code,
        ebc_name=row.ebc_name, decl_agent_code=row.decl_agent_code, decl_agent_name=row.decl_agent_name,
        start_time=row.start_time, end_time=row.end_time, loct_no=row.loct_no, summary_flag=row.summary_flag,
        item_name_flag=row.item_name_flag, msg_count=row.msg_count or 1, msg_seq_no=row.msg_seq_no or 1,
        note=note_with_batch(row.note, batch_no),
    )
    return SummaryApply(summary_apply_head=head,
                        summary_apply_list=[SummaryApplyList(invt_no=x.invt_no) for x in row.lines.all()])


# -- sending -----------------------------------------------------------------------------------

class _Kind:
    def __init__(self, model: type[Model], title: str, noun: str, record: Callable[..., Any],
                 message: Callable[[list[Any], BaseTransfer], Message], label: Callable[[Any], str],
                 related: Sequence[str]) -> None:
        self.model, self.title, self.noun, self.record, self.message = model, title, noun, record, message
        self.label, self.related = label, related


ORDERS = _Kind(Order, "订单", "订单", order_record, lambda rs, bt: CEB303Message(order=rs, base_transfer=bt),
               lambda o: f"订单{o.order_no}", ["batch"])
LISTS = _Kind(ExportList, "清单", "清单", list_record, lambda rs, bt: CEB603Message(inventory=rs, base_transfer=bt),
              lambda r: f"清单{r.order_no}({r.cop_no})", ["batch", "order"])
SUMMARIES = _Kind(Summary, "汇总申请单", "汇总申请单", summary_record,
                  lambda rs, bt: CEB701Message(summary_apply=rs, base_transfer=bt), lambda r: f"汇总申请单{r.cop_no}",
                  ["batch"])

_POSITION = re.compile(r"^(订单|清单|汇总申请单)第(\d+)条\s*")


def _load(actor: Actor, kind: _Kind, ids: list[int | str]) -> list[Any]:
    """The rows of ``ids`` (locked), in the order given; NotFound when one is not the enterprise's."""
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in ids))
    except (TypeError, ValueError):
        raise NotFound(f"{kind.title}不存在或无权访问") from None
    if not wanted:
        raise ServiceError.fields([FieldError("ids", f"请选择要提交海关的{kind.title}")])
    qs: QuerySet = (kind.model.objects.for_enterprise(actor.enterprise).select_for_update(of=("self",))
                    .filter(pk__in=wanted).select_related(*kind.related).prefetch_related("lines"))
    rows = {row.pk: row for row in qs}
    if len(rows) != len(wanted):
        raise NotFound(f"{kind.title}不存在或无权访问")
    return [rows[pk] for pk in wanted]


def _errors_of(kind: _Kind, rows: list[Any], problems: list[str]) -> list[FieldError]:
    """XSD errors ("订单第3条 订单表头：...") named by the document ("订单SO001：订单表头：...")."""
    out = []
    for problem in problems:
        match = _POSITION.match(problem)
        if match and 0 < int(match.group(2)) <= len(rows):
            row = rows[int(match.group(2)) - 1]
            out.append(FieldError(f"ids[{row.pk}]", f"{kind.label(row)}：{problem[match.end():]}"))
        else:
            out.append(FieldError("", problem))
    return out


def _submit(actor: Actor, kind: _Kind, ids: list[int | str],
            check: Callable[[Any], str] | None = None) -> SubmitOutcome:
    from guanwu.gateway import services as gateway  # the gateway app loads after this one

    rows = _load(actor, kind, ids)
    outcome = SubmitOutcome()
    todo = []
    errors: list[FieldError] = []
    for row in rows:
        if row.status not in SUBMITTABLE:
            outcome.skipped.append(row.pk)
            continue
        problem = check(row) if check else ""
        if problem:
            errors.append(FieldError(f"ids[{row.pk}]", f"{kind.label(row)}：{problem}"))
        todo.append(row)
    if errors:
        raise ServiceError.fields(errors, f"{errors[0].message}" if len(errors) == 1 else
                                  f"提交海关未通过，共{len(errors)}处错误")
    now = timezone.now()
    transfer = base_transfer(actor)
    logs = []
    for start in range(0, len(todo), PER_MESSAGE):
        chunk = todo[start:start + PER_MESSAGE]
        message_guid = new_guid()
        records = []
        for row in chunk:
            row.guid = new_guid()
            row.app_type, row.app_status = "1", "2"
            row.app_time = now
            records.append(kind.record(row, guid=row.guid, app_time=now))
        message = kind.message(records, transfer)
        message.guid = message_guid
        xml = build_ceb(message)
        problems = validate_ceb(xml)
        if problems:
            errors += _errors_of(kind, chunk, problems)
            continue
        gateway.enqueue(message.ROOT, message_guid, xml)
        outcome.messages.append(message_guid)
        for row in chunk:
            before = row.get_status_display()
            row.status = CebStatus.SENT
            row.status_changed_at = row.sent_at = now
            row.message_guid = message_guid
            row.return_status = row.return_info = ""
            row.return_time = None
            outcome.sent.append(row.pk)
            logs.append(audit.entry(actor, row, "提交海关", before=before, after=CebStatus.SENT.label,
                                    changes={"guid": [None, row.guid], "报文编号": [None, message_guid]}))
    if errors:
        raise ServiceError.fields(errors, f"报文校验未通过，共{len(errors)}处错误，未提交任何{kind.title}")
    if todo:
        _save_sent(kind.model, todo, now)
        audit.record_many(logs)
    return outcome


def _save_sent(model: type[Model], rows: list[Any], now: dt.datetime) -> None:
    """Store the sending: what the rows of one file share in one UPDATE per file, each row's own
    head guid in one executemany (``bulk_update`` builds a CASE per field and row: seconds for
    a thousand lists)."""
    by_message: dict[str, list[int]] = {}
    for row in rows:
        by_message.setdefault(row.message_guid, []).append(row.pk)
    for message_guid, pks in by_message.items():
        model.objects.filter(pk__in=pks).update(
            app_type="1", app_status="2", app_time=now, status=CebStatus.SENT, status_changed_at=now, sent_at=now,
            message_guid=message_guid, return_status="", return_info="", return_time=None, updated_at=now,
        )
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET guid = %s WHERE id = %s", [(row.guid, row.pk) for row in rows])


def _order_check(order: Order) -> str:
    return "" if order.lines.all() else "没有商品(表体)"


def _list_check(row: ExportList) -> str:
    if row.order_id is None:
        return f"订单编号{row.order_no}没有对应的订单"
    if row.order.status not in ORDER_SENT:
        return f"订单{row.order_no}状态为“{row.order.get_status_display()}”，订单提交海关且未被退单后才能申报清单"
    return ""


@transaction.atomic
def submit_orders(actor: Actor, ids: list[int | str]) -> SubmitOutcome:
    """提交海关 the selected orders (9710 B / 9810 W): CEB303 files of up to 100 orders."""
    return _submit(actor, ORDERS, ids, _order_check)


@transaction.atomic
def submit_lists(actor: Actor, ids: list[int | str]) -> SubmitOutcome:
    """清单申报: CEB603 files of up to 100 lists (tradeMode 9710/9810 as their orders); each list's
    order must have been sent and not sent back."""
    return _submit(actor, LISTS, ids, _list_check)


@transaction.atomic
def submit_summaries(actor: Actor, ids: list[int | str]) -> SubmitOutcome:
    """汇总申请单申报: CEB701 files."""
    return _submit(actor, SUMMARIES, ids)


# -- the message of a document -----------------------------------------------------------------

def _message_xml(actor: Actor, kind: _Kind, pk: int | str) -> bytes:
    """The file that carried the document the last time; for one never sent, the file 提交海关
    would send now (built, not stored: a GET never writes)."""
    from guanwu.gateway.models import OutboxMessage
    from guanwu.tenancy.lookup import get_owned

    qs = kind.model.objects.for_enterprise(actor.enterprise).select_related(*kind.related).prefetch_related("lines")
    row = get_owned(qs, pk, kind.title)
    if row.message_guid:
        payload = OutboxMessage.objects.filter(key=row.message_guid).values_list("payload", flat=True).first()
        if payload is not None:
            return bytes(payload)
    message = kind.message([kind.record(row, app_time=row.app_time or timezone.now())], base_transfer(actor))
    return build_ceb(message)


# the documents' kinds in URLs -> (kind, message code of the file name)
MESSAGE_KINDS = {"orders": (ORDERS, "CEB303"), "lists": (LISTS, "CEB603"), "summaries": (SUMMARIES, "CEB701")}


def message_file(actor: Actor, kind: str, pk: int | str) -> tuple[bytes, str]:
    """The message of document ``pk`` of ``kind`` (orders | lists | summaries, as
    ``_message_xml``) and its file name without extension (``CEB303_12``)."""
    doc_kind, code = MESSAGE_KINDS[kind]
    return _message_xml(actor, doc_kind, pk), f"{code}_{pk}"


def order_message_xml(actor: Actor, pk: int | str) -> bytes:
    """The CEB303 file that carried the order (or the one 提交海关 would send, for a draft)."""
    return _message_xml(actor, ORDERS, pk)


def list_message_xml(actor: Actor, pk: int | str) -> bytes:
    return _message_xml(actor, LISTS, pk)


def summary_message_xml(actor: Actor, pk: int | str) -> bytes:
    return _message_xml(actor, SUMMARIES, pk)
