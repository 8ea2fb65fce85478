"""The declaration's request body in the OpenAPI, derived from what ``payload`` reads.

One object per declaration: its head fields (the editable model fields, snake_case of the DecHead
elements) and the child lists of ``payload.CHILDREN``. Each field is documented from its model
field (Chinese name, type, length, choices) and its DecMessage dictionary entry in ``fielddefs``
(element, 暂存/申报必填, the dictionary's note); code fields name their parameter table. The body
is passed to ``payload.parse`` as sent, so the answers (422 with ``items[0].code_ts`` paths,
unknown fields refused) stay those of the service.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models

from guanwu.apikit.bodies import ServiceBody, body_model, field_schema, rows_of

from . import fielddefs
from .models import Declaration
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
