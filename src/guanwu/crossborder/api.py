"""``/api/v1/crossborder``: orders (9710 B / 9810 W), export lists, summary applications.

As the declaration API: POST creates a 待申报 document (201; 422 naming each field, e.g.
``lines[0].qty``), ``/submit`` sends a selection to customs (202; 422 with the XSD errors
naming each document, nothing sent), GET answers the document with its receipts, ``/{id}/message.xml``
the CEB file that carried it. Excel import goes through the shared job API
(``POST /api/v1/imports/crossborder-orders-9710`` ... with the form field ``batch_no``).
Another enterprise's id answers 404 everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import NinjaAPI, Router, Status

from guanwu.apikit.openapi import file_answer
from guanwu.apikit.params import IsoDate, Limit, Offset, paged
from guanwu.core.downloads import inline_xml

from . import codes, services
from .documents import LIST_HEAD_FIELDS, LIST_LINE_FIELDS, ORDER_LINE_FIELDS, SUMMARY_HEAD_FIELDS, order_head_fields
from .models import CebReceipt, ExportList, Order, Summary
from .schemas import (
    DraftOut,
    FromListsIn,
    IdsIn,
    ListIn,
    ListOut,
    OrderIn,
    OrderOut,
    SubmitOut,
    SummaryIn,
    SummaryOut,
    page_of,
)

router = Router(tags=["跨境电商B2B出口"])
PAGE_LIMIT = 500


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)  # Decimal as text


def receipt_out(r: CebReceipt) -> dict[str, Any]:
    return {"message_type": r.message_type, "return_status": r.return_status,
            "return_status_text": r.return_status_text, "return_info": r.return_info,
            "return_time": _iso(r.return_time), "status_after": r.status_after, "received_at": _iso(r.received_at)}


def _common(doc: Any) -> dict[str, Any]:
    return {"id": doc.pk, "batch_no": doc.batch.batch_no if doc.batch_id else "", "status": doc.status,
            "status_label": doc.get_status_display(), "guid": doc.guid, "return_status": doc.return_status,
            "return_status_text": doc.return_status_text, "return_info": doc.return_info,
            "sent_at": _iso(doc.sent_at), "created_at": _iso(doc.created_at)}


def _values(obj: Any, names: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


ORDER_HEAD = [f.name for f in order_head_fields("W")]
ORDER_LINE = [f.name for f in ORDER_LINE_FIELDS]
LIST_HEAD = [f.name for f in LIST_HEAD_FIELDS]
LIST_LINE = [f.name for f in LIST_LINE_FIELDS]
SUMMARY_HEAD = [f.name for f in SUMMARY_HEAD_FIELDS]


def order_out(o: Order, *, detail: bool = False) -> dict[str, Any]:
    out = {**_common(o), "order_type": o.order_type, "trade_mode": o.trade_mode, **_values(o, ORDER_HEAD)}
    if detail:
        out["lines"] = [_values(x, ORDER_LINE) for x in o.lines.all()]
        out["receipts"] = [receipt_out(r) for r in o.receipts.all()]
    return out


def _waybill(w) -> dict[str, Any] | None:
    if w is None:
        return None
    return {"id": w.pk, "logistics_code": w.logistics_code, "logistics_no": w.logistics_no,
            "waybill_status": w.waybill_status, "waybill_info": w.waybill_info, "arrival_status": w.arrival_status,
            "arrived_at": _iso(w.arrived_at), "departure_status": w.departure_status,
            "departed_at": _iso(w.departed_at)}


def list_out(x: ExportList, *, detail: bool = False) -> dict[str, Any]:
    out = {**_common(x), "order_id": x.order_id, "trade_mode": x.trade_mode, "ie_date": _iso(x.ie_date),
           "pre_no": x.pre_no, "invt_no": x.invt_no, **_values(x, LIST_HEAD)}
    if detail:
        out["display"] = {name: codes.display(slug, getattr(x, name)) for name, slug in (
            ("traf_mode", codes.TRANSPORT), ("country", codes.COUNTRY), ("wrap_type", codes.WRAP),
            ("f_currency", codes.CURRENCY), ("i_currency", codes.CURRENCY))}
        out["waybill"] = _waybill(x.waybill)
        out["lines"] = [_values(line, LIST_LINE) for line in x.lines.all()]
        out["receipts"] = [receipt_out(r) for r in x.receipts.all()]
    return out


def summary_out(s: Summary, *, detail: bool = False) -> dict[str, Any]:
    out = {**_common(s), **_values(s, SUMMARY_HEAD), "pre_no": s.pre_no, "sum_no": s.sum_no,
           "decl_seq_no": s.decl_seq_no, "entry_id": s.entry_id, "dec_state": s.dec_state,
           "declaration_id": s.declaration_id}
    if detail:
        out["lines"] = [{"invt_no": line.invt_no, "export_list_id": line.export_list_id} for line in s.lines.all()]
        out["receipts"] = [receipt_out(r) for r in s.receipts.all()]
    return out




def _submitted(outcome) -> Status:
    return Status(202, {"sent": outcome.sent, "skipped": outcome.skipped, "messages": outcome.messages})


# -- orders ------------------------------------------------------------------------------------

@router.get("/orders", response=page_of(OrderOut, "出口订单"), exclude_unset=True, summary="出口订单列表")
def list_orders(request, order_type: str = "", batch_no: str = "", order_no: str = "", status: str = "",
                date_from: IsoDate | None = None, date_to: IsoDate | None = None, q: str = "",
                offset: Offset = 0, limit: Limit = 50):
    qs = services.list_orders(request.auth, order_type=order_type, batch_no=batch_no, order_no=order_no,
                              status=status, date_from=date_from, date_to=date_to, q=q)
    return paged(qs, offset, limit, order_out, max_limit=PAGE_LIMIT)


@router.post("/orders", response={201: OrderOut}, exclude_unset=True, summary="新建出口订单/订仓单")
def create_order(request, data: OrderIn):
    raw = data.raw()
    order = services.create_order(request.auth, raw, order_type=str(raw.get("order_type") or "B"))
    return Status(201, order_out(order, detail=True))


@router.post("/orders/submit", response={202: SubmitOut}, summary="订单提交海关 (CEB303)")
def submit_orders(request, data: IdsIn):
    return _submitted(services.submit_orders(request.auth, data.ids))


@router.get("/orders/{order_id}", response=OrderOut, exclude_unset=True, summary="订单详情 (含回执)")
def get_order(request, order_id: int):
    return order_out(services.get_order(request.auth, order_id), detail=True)


@router.delete("/orders/{order_id}", response={204: None}, summary="删除订单")
def delete_order(request, order_id: int):
    services.delete_orders(request.auth, [order_id])
    return Status(204, None)


@router.get("/orders/{order_id}/message.xml", summary="订单报文 CEB303",
            openapi_extra=file_answer("application/xml", "CEB303 报文 (XML)"))
def order_message(request, order_id: int):
    return inline_xml(*services.message_file(request.auth, "orders", order_id))


# -- lists -------------------------------------------------------------------------------------

@router.get("/lists", response=page_of(ListOut, "出口清单"), exclude_unset=True, summary="出口清单列表")
def list_lists(request, batch_no: str = "", order_no: str = "", invt_no: str = "", logistics_no: str = "",
               status: str = "", trade_mode: str = "", date_from: IsoDate | None = None,
               date_to: IsoDate | None = None, q: str = "", offset: Offset = 0, limit: Limit = 50):
    qs = services.list_lists(request.auth, batch_no=batch_no, order_no=order_no, invt_no=invt_no,
                             logistics_no=logistics_no, status=status, trade_mode=trade_mode, date_from=date_from,
                             date_to=date_to, q=q)
    return paged(qs, offset, limit, list_out, max_limit=PAGE_LIMIT)


@router.post("/lists", response={201: ListOut}, exclude_unset=True, summary="新建出口清单")
def create_list(request, data: ListIn):
    return Status(201, list_out(services.create_list(request.auth, data.raw()), detail=True))


@router.post("/lists/submit", response={202: SubmitOut}, summary="清单申报 (CEB603)")
def submit_lists(request, data: IdsIn):
    return _submitted(services.submit_lists(request.auth, data.ids))


@router.get("/lists/{list_id}", response=ListOut, exclude_unset=True, summary="清单详情 (含回执、运单)")
def get_list(request, list_id: int):
    return list_out(services.get_list(request.auth, list_id), detail=True)


@router.delete("/lists/{list_id}", response={204: None}, summary="删除清单")
def delete_list(request, list_id: int):
    services.delete_lists(request.auth, [list_id])
    return Status(204, None)


@router.get("/lists/{list_id}/message.xml", summary="清单报文 CEB603",
            openapi_extra=file_answer("application/xml", "CEB603 报文 (XML)"))
def list_message(request, list_id: int):
    return inline_xml(*services.message_file(request.auth, "lists", list_id))


# -- summaries ---------------------------------------------------------------------------------

@router.get("/summaries", response=page_of(SummaryOut, "汇总申请单"), exclude_unset=True, summary="汇总申请单列表")
def list_summaries(request, batch_no: str = "", sum_no: str = "", status: str = "", q: str = "",
                   offset: Offset = 0, limit: Limit = 50):
    qs = services.list_summaries(request.auth, batch_no=batch_no, sum_no=sum_no, status=status, q=q)
    return paged(qs, offset, limit, summary_out, max_limit=PAGE_LIMIT)


@router.post("/summaries", response={201: SummaryOut}, exclude_unset=True, summary="新建汇总申请单")
def create_summary(request, data: SummaryIn):
    return Status(201, summary_out(services.create_summary(request.auth, data.raw()), detail=True))


@router.post("/summaries/from-lists", response={201: SummaryOut}, exclude_unset=True,
             summary="由选中的已放行清单生成汇总申请单")
def summary_from_lists(request, data: FromListsIn):
    extra = {k: v for k, v in data.dict().items() if k != "ids" and v not in (None, "")}
    return Status(201, summary_out(services.create_summary_from_lists(request.auth, data.ids, extra), detail=True))


@router.post("/summaries/submit", response={202: SubmitOut}, summary="汇总申请单申报 (CEB701)")
def submit_summaries(request, data: IdsIn):
    return _submitted(services.submit_summaries(request.auth, data.ids))


@router.get("/summaries/{summary_id}", response=SummaryOut, exclude_unset=True, summary="汇总申请单详情 (含回执)")
def get_summary(request, summary_id: int):
    return summary_out(services.get_summary(request.auth, summary_id), detail=True)


@router.delete("/summaries/{summary_id}", response={204: None}, summary="删除汇总申请单")
def delete_summary(request, summary_id: int):
    services.delete_summaries(request.auth, [summary_id])
    return Status(204, None)


@router.get("/summaries/{summary_id}/message.xml", summary="汇总申请单报文 CEB701",
            openapi_extra=file_answer("application/xml", "CEB701 报文 (XML)"))
def summary_message(request, summary_id: int):
    return inline_xml(*services.message_file(request.auth, "summaries", summary_id))


@router.post("/summaries/{summary_id}/declaration", response={201: DraftOut}, summary="由汇总结果生成出口报关单草稿")
def summary_declaration(request, summary_id: int):
    declaration = services.prepare_declaration(request.auth, summary_id)
    return Status(201, {"declaration_id": declaration.pk, "status": declaration.status,
                        "trade_mode": declaration.trade_mode})


def mount(api: NinjaAPI) -> None:
    api.add_router("/crossborder", router)
