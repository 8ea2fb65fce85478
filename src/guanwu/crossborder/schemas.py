"""Request bodies and answers of ``/api/v1/crossborder``, documented from ``documents`` (the same
field declarations the services clean with) and the models; bodies go to the services as sent,
so a 422 names the field as the service does (``lines[0].qty``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from guanwu.apikit.bodies import answer_model, body_model, rows_of
from guanwu.apikit.params import Id

from .documents import (
    DECIMAL,
    INT,
    LIST_HEAD_FIELDS,
    LIST_LINE_FIELDS,
    ORDER_LINE_FIELDS,
    SUMMARY_HEAD_FIELDS,
    SUMMARY_LINE_FIELDS,
    F,
    order_head_fields,
)
from .models import CebStatus

DECIMAL_TEXT = r"^-?\d+(\.\d+)?$"


def _schema(f: F) -> dict[str, Any]:
    if f.kind == DECIMAL:
        schema: dict[str, Any] = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_TEXT}]}
    elif f.kind == INT:
        schema = {"type": "integer", "minimum": 0}
    else:
        schema = {"type": "string"}
        if f.length or f.max_length:
            schema["maxLength"] = max(f.length or 0, f.max_length or 0)
    schema["title"] = f.label
    notes = [("必填" if f.required else ""), f.help]
    if f.code:
        notes.append(f"CEB代码 (旧报关代码, 如 {f.example or '142'}); 也可填现行代码或名称")
    text = "; ".join(n for n in notes if n)
    if text:
        schema["description"] = text
    return schema


def _fields(fields: list[F]) -> dict[str, Any]:
    return {f.name: _schema(f) for f in fields}


BATCH_NO = {"type": "string", "maxLength": 40, "title": "商品批次号",
            "description": "物流简码+日期(YYYYMMDD)+企业简码+两位流水号, 如 SF20240920XAYH01"}

OrderLineIn = body_model("CbOrderLineIn", _fields(ORDER_LINE_FIELDS), title="订单商品")
OrderIn = body_model(
    "CbOrderIn",
    {"order_type": {"type": "string", "enum": ["B", "W"], "title": "订单类型",
                    "description": "B: 9710 B2B出口订单 (默认); W: 9810 海外仓订仓单"},
     "batch_no": BATCH_NO, **_fields(order_head_fields("W")),
     "lines": rows_of(OrderLineIn, "订单商品", "1-100项")},
    title="出口订单/订仓单", required=("batch_no", "order_no", "ebp_code", "ebp_name", "currency", "lines"),
    description="新建待申报的订单; W 订仓单的 ebp_code/ebp_name 为海外仓代码/名称。"
                "校验不通过答 422, field 如 lines[0].qty",
)
ListLineIn = body_model("CbListLineIn", _fields(LIST_LINE_FIELDS), title="清单商品")
ListIn = body_model(
    "CbListIn",
    {"batch_no": BATCH_NO, "ie_date": {"type": "string", "format": "date", "title": "出口日期"},
     **_fields(LIST_HEAD_FIELDS), "lines": rows_of(ListLineIn, "清单商品", "1-100项")},
    title="出口清单", required=("batch_no", "ie_date", "order_no", "logistics_no", "logistics_code", "lines"),
    description="新建待申报的出口清单; 订单编号须为本企业的订单, 贸易方式随订单 (9710/9810)",
)
SummaryLineIn = body_model("CbSummaryLineIn", _fields(SUMMARY_LINE_FIELDS), title="汇总清单")
SummaryIn = body_model(
    "CbSummaryIn",
    {"batch_no": BATCH_NO, **_fields(SUMMARY_HEAD_FIELDS),
     "lines": rows_of(SummaryLineIn, "汇总清单", "已放行的出口清单编号")},
    title="汇总申请单", required=("lines",),
)


class IdsIn(Schema):
    ids: list[Id] = Field(title="id 列表", description="本企业的单据 id; 其他企业的 id 答 404")


class FromListsIn(Schema):
    ids: list[Id] = Field(title="清单 id 列表", description="已放行的出口清单")
    batch_no: str | None = Field(None, title="商品批次号", description="空则取清单的批次")
    decl_agent_code: str | None = Field(None, title="报关单位代码")
    decl_agent_name: str | None = Field(None, title="报关单位名称")


class NextBatchIn(Schema):
    logistics_short_code: str = Field(title="物流简码")
    day: dt.date | None = Field(None, title="日期", description="空则为今天")


TEXT: dict[str, Any] = {"type": "string"}
NULL_TEXT: dict[str, Any] = {"type": ["string", "null"]}
STATUS = {"type": "string", "enum": list(CebStatus.values), "title": "状态",
          "description": "; ".join(f"{v}: {label}" for v, label in CebStatus.choices)}
RECEIPT = {"type": "object", "title": "回执", "properties": {
    "message_type": {**TEXT, "title": "回执类型"}, "return_status": {**TEXT, "title": "回执状态"},
    "return_status_text": {**TEXT, "title": "回执状态说明"}, "return_info": {**TEXT, "title": "回执信息"},
    "return_time": {**NULL_TEXT, "format": "date-time", "title": "回执时间"},
    "status_after": {**TEXT, "title": "处理后状态"}, "received_at": {**TEXT, "format": "date-time"}}}

COMMON = {
    "id": {"type": "integer", "title": "id"}, "batch_no": {**TEXT, "title": "商品批次号"}, "status": STATUS,
    "status_label": {**TEXT, "title": "状态名称"}, "guid": {**TEXT, "title": "系统唯一序号"},
    "return_status": {**TEXT, "title": "回执状态"}, "return_status_text": {**TEXT, "title": "回执状态说明"},
    "return_info": {**TEXT, "title": "回执信息"}, "sent_at": {**NULL_TEXT, "title": "申报时间"},
    "created_at": {**TEXT, "title": "创建时间"},
}


def _answer_fields(fields: list[F]) -> dict[str, Any]:
    out = {}
    for f in fields:
        kind = {"type": ["integer", "null"]} if f.kind == INT else ({"type": ["string", "null"]} if f.kind == DECIMAL
                                                                   else dict(TEXT))
        out[f.name] = {**kind, "title": f.label}
    return out


RECEIPTS = {"type": "array", "items": RECEIPT, "title": "回执"}
OrderOut = answer_model("CbOrderOut", {
    **COMMON, "order_type": {**TEXT, "title": "订单类型"}, "trade_mode": {**TEXT, "title": "贸易方式"},
    **_answer_fields(order_head_fields("W")),
    "lines": {"type": "array", "items": {"type": "object", "properties": _answer_fields(ORDER_LINE_FIELDS)}},
    "receipts": RECEIPTS}, title="出口订单", optional=("lines", "receipts"))
ListOut = answer_model("CbListOut", {
    **COMMON, "order_id": {"type": ["integer", "null"], "title": "订单 id"},
    "trade_mode": {**TEXT, "title": "贸易方式"},
    "ie_date": {**NULL_TEXT, "title": "出口日期"}, "pre_no": {**TEXT, "title": "电子口岸编码"},
    "invt_no": {**TEXT, "title": "海关清单编码"}, **_answer_fields(LIST_HEAD_FIELDS),
    "waybill": {"type": ["object", "null"], "title": "物流运单"},
    "display": {"type": "object", "title": "代码显示", "description": "代码字段以 名称[代码] 显示, 如 美国[502]"},
    "lines": {"type": "array", "items": {"type": "object", "properties": _answer_fields(LIST_LINE_FIELDS)}},
    "receipts": RECEIPTS}, title="出口清单", optional=("lines", "receipts", "waybill", "display"))
SummaryOut = answer_model("CbSummaryOut", {
    **COMMON, **_answer_fields(SUMMARY_HEAD_FIELDS), "pre_no": {**TEXT, "title": "电子口岸编号"},
    "sum_no": {**TEXT, "title": "汇总申请编号"}, "decl_seq_no": {**TEXT, "title": "汇总统一编号"},
    "entry_id": {**TEXT, "title": "报关单编号"}, "dec_state": {**TEXT, "title": "报关单状态"},
    "declaration_id": {"type": ["integer", "null"], "title": "出口报关单 id"},
    "lines": {"type": "array", "items": {"type": "object"}}, "receipts": RECEIPTS},
    title="汇总申请单", optional=("lines", "receipts"))


def page_of(answer: type, title: str) -> type:
    return answer_model(f"{answer.__name__}Page", {
        "count": {"type": "integer"}, "offset": {"type": "integer"}, "limit": {"type": "integer"},
        "results": {"type": "array", "items": {"type": "object"}, "title": title}}, title=title)


DraftOut = answer_model("CbDraftOut", {
    "declaration_id": {"type": "integer", "title": "报关单 id"}, "status": {**TEXT, "title": "报关单状态"},
    "trade_mode": {**TEXT, "title": "监管方式"}}, title="出口报关单草稿")
SubmitOut = answer_model("CbSubmitOut", {
    "sent": {"type": "array", "items": {"type": "integer"}, "title": "已提交的 id"},
    "skipped": {"type": "array", "items": {"type": "integer"}, "title": "已申报过、未重复提交的 id"},
    "messages": {"type": "array", "items": {"type": "string"}, "title": "报文编号 (guid)"},
}, title="提交海关")
