"""The declaration's request body and answers in the OpenAPI, derived from what ``payload`` reads.

One object per declaration: its head fields (the editable model fields, snake_case of the DecHead
elements) and the child lists of ``payload.CHILDREN``. Each field is documented from its model
field (Chinese name, type, length, choices) and its DecMessage dictionary entry in ``guanwu.messages.dec.fields``
(element, 暂存/申报必填, the dictionary's note); code fields name their parameter table. The body
is passed to ``payload.parse`` as sent, so the answers (422 with ``items[0].code_ts`` paths,
unknown fields refused) stay those of the service. The answers (``api.declaration_out``,
``summary_out``) are documented from the same fields as ``payload.to_payload`` writes them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models

from guanwu.apikit.bodies import (
    Answer,
    ServiceBody,
    answer_fields,
    answer_model,
    answer_rows,
    answer_schema,
    body_model,
    field_schema,
    rows_of,
)
from guanwu.messages.dec import fields as fielddefs
from guanwu.tenancy.models import Enterprise

from .models import Declaration, DeclarationStatus
from .payload import CHILD_CODES, CHILDREN, HEAD_CODES, editable_fields

HEAD_BLOCK = "DecHead"


def _dictionary(block: str) -> dict[str, fielddefs.FieldDef]:
    return {f.field: f for f in fielddefs.fields(block)}


def _describe(field: models.Field, entry: fielddefs.FieldDef | None, table: str | None) -> dict[str, Any]:
    parts = []
    if entry is not None:
        flags = "暂存必填" if entry.required_on_temp_save else ("申报必填" if entry.required_on_declare else "")
        parts += [f"报文 {entry.block}/{entry.element}", flags, entry.note]
    if table:
        parts.append(f"代码取自参数表 {table} (/api/v1/params/{table})")
    return field_schema(field, description="; ".join(p for p in parts if p))


def _fields(model: type[models.Model], block: str, codes: dict[str, str]) -> dict[str, Any]:
    entries = _dictionary(block)
    return {name: _describe(f, entries.get(name), codes.get(name)) for name, f in editable_fields(model).items()}


@cache
def child_bodies() -> dict[str, type[ServiceBody]]:
    """One row schema per child list (``items`` -> ``DeclarationItemIn``...)."""
    return {
        child.key: body_model(
            f"{child.model.__name__}In",
            _fields(child.model, child.block, CHILD_CODES.get(child.key, {})),
            title=f"{child.label} ({fielddefs.block(child.block).cn_name})",
        )
        for child in CHILDREN
    }


def declaration_body() -> type[ServiceBody]:
    fields: dict[str, Any] = {
        "version": {"type": "integer", "title": "版本号",
                    "description": "修改时带上读取时的 version: 他人已修改时答 409 (不带则不比对)"},
        **_fields(Declaration, HEAD_BLOCK, HEAD_CODES),
    }
    rows = child_bodies()
    for child in CHILDREN:
        fields[child.key] = rows_of(rows[child.key], child.label,
                                    f"{child.label}列表; 修改时给出即整体替换, 不给则保留原有行")
    return body_model(
        "DeclarationIn", fields, title="报关单",
        description="暂存/修改的报关单: 表头字段与各子表列表。新建时未给的字段为空; 修改时只改给出的字段。"
                    "校验不通过时答 422, errors 的 field 如 items[0].code_ts",
    )


DeclarationIn = declaration_body()


# -- answers ----------------------------------------------------------------------------------

TEXT: dict[str, Any] = {"type": "string"}
FINDING = {"type": "object", "required": ["field", "message"], "properties": {
    "field": {"type": "string", "title": "字段", "description": "如 items[0].code_ts; 空表示整体"},
    "message": {"type": "string", "title": "说明"},
}}
FINDINGS = {"type": "array", "items": FINDING}


def _answer_fields(model: type[models.Model]) -> dict[str, Any]:
    return {name: answer_schema(f) for name, f in editable_fields(model).items()}


@cache
def child_answers() -> dict[str, type[Answer]]:
    out = {}
    for child in CHILDREN:
        fields = _answer_fields(child.model)
        if child.key == "items":
            fields["g_no"] = {"type": "integer", "title": "项号"}
        out[child.key] = answer_model(f"{child.model.__name__}Out", fields, title=child.label)
    return out


SUMMARY_FIELDS: dict[str, Any] = {
    "id": {"type": "integer", "title": "报关单 id"},
    "status": {"type": "string", "enum": list(DeclarationStatus.values), "title": "状态"},
    "status_label": {**TEXT, "title": "状态名称"},
    "ie_flag": {**TEXT, "title": "进出口标志"},
    "client_seq_no": {**TEXT, "title": "客户端报关单编号"},
    "seq_no": {**TEXT, "title": "数据中心统一编号"},
    "entry_id": {**TEXT, "title": "海关编号"},
    "trade_name": {**TEXT, "title": "境内收发货人名称"},
    "trade_mode": {**TEXT, "title": "监管方式"},
    "bill_no": {**TEXT, "title": "提单号"},
    "version": {"type": "integer", "title": "版本号"},
    "created_at": {"type": "string", "format": "date-time", "title": "创建时间"},
    "declared_at": {"type": ["string", "null"], "format": "date-time", "title": "申报时间"},
}
RECEIPT = {"type": "object", "title": "回执", "required": ["time", "kind", "channel", "text", "note", "status"],
           "properties": {"time": {"type": "string", "format": "date-time", "title": "回执时间"},
                          "kind": {**TEXT, "title": "回执种类"}, "channel": {**TEXT, "title": "回执类型"},
                          "text": {**TEXT, "title": "回执类型说明"}, "note": {**TEXT, "title": "回执内容"},
                          "status": {**TEXT, "title": "对应报关单状态"}}}

DeclarationSummary = answer_model("DeclarationSummary", SUMMARY_FIELDS, title="报关单 (摘要)")


def declaration_answer() -> type[Answer]:
    fields: dict[str, Any] = {**_answer_fields(Declaration), **SUMMARY_FIELDS}
    rows = child_answers()
    for child in CHILDREN:
        fields[child.key] = answer_rows(rows[child.key], child.label)
    fields.update(
        reject_reason={**TEXT, "title": "退单原因"},
        fail_reason={**TEXT, "title": "失败原因"},
        receipts={"type": "array", "items": RECEIPT, "title": "回执"},
        warnings={**FINDINGS, "title": "提示", "description": "暂存/修改时: 申报时会拒绝或需确认的问题"},
    )
    return answer_model("DeclarationOut", fields, title="报关单", optional=("warnings",))


DeclarationOut = declaration_answer()
DeclarationPage = answer_model("DeclarationPage", {
    "count": {"type": "integer", "title": "总条数"},
    "offset": {"type": "integer", "title": "跳过的条数"},
    "limit": {"type": "integer", "title": "每页条数"},
    "results": answer_rows(DeclarationSummary, "本页报关单"),
}, title="报关单列表")
CheckOut = answer_model("DeclarationCheck", {
    "ok": {"type": "boolean", "title": "可以申报"},
    "errors": {**FINDINGS, "title": "错误"},
    "warnings": {**FINDINGS, "title": "提示"},
}, title="申报前检查")
# ``parties.Party.as_dict()``: the party's codes and name as the enterprise register names them.
PartyOut = answer_model("PartyOut", {
    **answer_fields(Enterprise, "customs_code", "scc", "name"),
    "source": {**TEXT, "title": "来源", "description": "本企业 / 客户 / 报关单: 在哪里找到"},
}, title="企业 (收发货人/申报单位)")
