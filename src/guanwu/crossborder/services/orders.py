"""9710 出口订单 and 9810 出口订仓单: create (JSON), import (Excel, in bulk), read, delete."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.imports import bulk
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..documents import ORDER_LINE_FIELDS, clean, order_head_fields
from ..models import Batch, CebStatus, Order, OrderLine, OrderType
from .batches import get_or_create_batch
from .common import delete_documents, refused

MAX_LINES = 100  # CEB303 OrderList maxOccurs (official XSD)
PLACES = Decimal("0.00001")
HEAD_NAMES = [f.name for f in order_head_fields("W")]
LINE_NAMES = [f.name for f in ORDER_LINE_FIELDS]


def _order_type(value: str) -> str:
    value = (value or "B").strip().upper()
    if value in ("9710", OrderType.B2B):
        return OrderType.B2B
    if value in ("9810", OrderType.WAREHOUSE):
        return OrderType.WAREHOUSE
    raise ServiceError.fields([FieldError("order_type", "订单类型只能是B(9710)或W(9810)")])


def prepare_order(actor: Actor, values: dict[str, Any], order_type: str) -> list[FieldError]:
    """Clean one order in place (head fields, ``lines``) and fill its defaults; the errors, with
    paths ``order_no`` / ``lines[0].qty``. No database access (the caller checks numbers)."""
    errors = [FieldError(p, m) for p, m in clean(order_head_fields(order_type), values)]
    lines = values.get("lines")
    if not isinstance(lines, list) or not lines:
        errors.append(FieldError("lines", "订单至少需要一项商品(表体)"))
        lines = []
    elif len(lines) > MAX_LINES:
        errors.append(FieldError("lines", f"订单商品最多{MAX_LINES}项，实际{len(lines)}项"))
    seen: dict[int, int] = {}
    total = Decimal(0)
    for i, line in enumerate(lines):
        if not isinstance(line, dict):
            errors.append(FieldError(f"lines[{i}]", f"第{i + 1}项商品格式错误"))
            continue
        errors += [FieldError(p, m) for p, m in clean(ORDER_LINE_FIELDS, line, f"lines[{i}].")]
        if line.get("g_num") in (None, ""):
            line["g_num"] = i + 1
        if line["g_num"] in seen:
            # -301002 订单商品信息内有重复商品序号 (spec 202205 表7-2)
            errors.append(FieldError(f"lines[{i}].g_num", f"序号{line['g_num']}与第{seen[line['g_num']] + 1}项重复"))
        seen.setdefault(line["g_num"], i)
        if not line.get("currency"):
            line["currency"] = values.get("currency") or ""
        if line.get("total_price") is None and line.get("qty") is not None and line.get("price") is not None:
            line["total_price"] = (line["qty"] * line["price"]).quantize(PLACES)
        if line.get("total_price") is not None:
            total += line["total_price"]
    if values.get("goods_value") is None and lines:
        values["goods_value"] = total
    if values.get("freight") is None:
        values["freight"] = Decimal(0)  # "无则填写0"
    if not values.get("ebc_code"):
        values["ebc_code"] = actor.enterprise.customs_code
        values["ebc_name"] = values.get("ebc_name") or actor.enterprise.name
    elif not values.get("ebc_name"):
        values["ebc_name"] = actor.enterprise.name if values["ebc_code"] == actor.enterprise.customs_code else ""
        if not values["ebc_name"]:
            errors.append(FieldError("ebc_name", "电商企业名称：必填项不能为空"))
    return errors


def taken_order_numbers(actor: Actor, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (电商平台代码, 订单编号) the enterprise has already, in one query per 500."""
    found: set[tuple[str, str]] = set()
    numbers = sorted({no for _, no in keys})
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        found |= {
            pair for pair in Order.objects.for_enterprise(actor.enterprise).filter(order_no__in=chunk)
            .values_list("ebp_code", "order_no")
            if pair in keys
        }
    return found


def duplicate_message(ebp_code: str, order_no: str) -> str:
    # -301010 已存在相同编号的订单 (spec 202205 表7-2): refused here before customs says so
    return f"订单编号{order_no}已存在(电商平台{ebp_code})，不能重复导入"


NUMERIC = frozenset({"goods_value", "freight", "g_num", "qty", "price", "total_price"})


def _head_values(values: dict[str, Any]) -> dict[str, Any]:
    """Every head field (bulk rows all have the same keys): None for an empty number, "" for text."""
    return {name: values.get(name) if values.get(name) is not None else (None if name in NUMERIC else "")
            for name in HEAD_NAMES}


@transaction.atomic
def create_order(actor: Actor, data: dict[str, Any], *, order_type: str = "B") -> Order:
    """A new order (待申报) from JSON-like ``data``: the head fields, ``batch_no`` and ``lines``
    (list of dicts); ServiceError 422 naming every wrong field (``lines[0].qty``)."""
    if not isinstance(data, dict):
        raise ServiceError("订单数据格式错误")
    kind = _order_type(data.get("order_type") or order_type)
    values = dict(data)
    values["lines"] = [dict(x) if isinstance(x, dict) else x for x in (data.get("lines") or [])]
    errors = prepare_order(actor, values, kind)
    batch = None
    try:
        batch = get_or_create_batch(actor, str(data.get("batch_no") or ""))
    except ServiceError as exc:
        errors = [*exc.errors, *errors]
    if not errors and (values["ebp_code"], values["order_no"]) in taken_order_numbers(
            actor, {(values["ebp_code"], values["order_no"])}):
        errors.append(FieldError("order_no", duplicate_message(values["ebp_code"], values["order_no"])))
    if errors:
        raise refused(errors, "订单")
    order = Order(enterprise=actor.enterprise, batch=batch, order_type=kind, created_by=actor.user,
                  **_head_values(values))
    order.save(force_insert=True)
    OrderLine.objects.bulk_create([OrderLine(order=order, **_line_row(line)) for line in values["lines"]])
    audit.record(actor, order, "新建订单", after=CebStatus.DRAFT.label, changes={"商品项": [0, len(values["lines"])]})
    return order


def _line_row(line: dict[str, Any]) -> dict[str, Any]:
    return {k: line.get(k) if line.get(k) is not None else (None if k in NUMERIC else "") for k in LINE_NAMES}


def import_orders(actor: Actor, records: list[dict[str, Any]], *, checked: bool = False) -> int:
    """Save checked import records in bulk (the import's ``save``, in its transaction); each
    record carries ``batch_no`` and ``order_type`` (given with the upload) and ``lines``.
    Raises ServiceError (nothing saved) when a record is still wrong. ``checked``: the records
    went through ``prepare_order`` already (the import's ``clean_batch``)."""
    if not records:
        return 0
    by_batch: dict[str, Batch] = {}
    heads: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        kind = _order_type(record.get("order_type") or "B")
        errors = [] if checked else prepare_order(actor, record, kind)
        if errors:
            raise ServiceError(f"第{index + 1}份订单：{errors[0].message}")
        number = str(record.get("batch_no") or "")
        if number not in by_batch:
            by_batch[number] = get_or_create_batch(actor, number)
        heads.append({**_head_values(record), "order_type": kind, "batch_id": by_batch[number].pk})
    keys = {(h["ebp_code"], h["order_no"]) for h in heads}
    if len(keys) != len(heads):
        raise ServiceError("文件中有重复的订单编号")
    taken = taken_order_numbers(actor, keys)
    if taken:
        ebp, no = sorted(taken)[0]
        raise ServiceError(duplicate_message(ebp, no))
    bulk.insert(Order, heads, enterprise_id=actor.enterprise.pk, created_by_id=actor.user.pk,
                status=CebStatus.DRAFT)
    ids: dict[tuple[str, str], int] = {}
    for batch in by_batch.values():
        ids.update({(e, n): pk for e, n, pk in Order.objects.filter(batch=batch).values_list("ebp_code", "order_no",
                                                                                           "id")})
    bulk.insert(OrderLine, (
        {**_line_row(line), "order_id": ids[(record["ebp_code"], record["order_no"])]}
        for record in records for line in record["lines"]
    ))
    for batch in by_batch.values():
        count = sum(1 for h in heads if h["batch_id"] == batch.pk)
        audit.record(actor, batch, "导入订单", changes={"订单数": count})
    return len(heads)


def get_order(actor: Actor, pk: int | str, *, for_update: bool = False) -> Order:
    """One order of the actor's enterprise; another enterprise's id is not found (404)."""
    return get_owned(Order.objects.for_enterprise(actor.enterprise).select_related("batch"), pk, "订单",
                     for_update=for_update)


def list_orders(actor: Actor, *, order_type: str = "", batch_no: str = "", order_no: str = "", status: str = "",
                date_from: dt.date | None = None, date_to: dt.date | None = None, q: str = "") -> QuerySet[Order]:
    """The enterprise's orders, filtered as the 订单申报 / 订单查询 pages ask (date: 创建日期)."""
    qs = Order.objects.for_enterprise(actor.enterprise).select_related("batch")
    if order_type:
        qs = qs.filter(order_type=_order_type(order_type))
    if batch_no:
        qs = qs.filter(batch__batch_no=batch_no.strip())
    if order_no:
        qs = qs.filter(order_no__icontains=order_no.strip())
    if status:
        qs = qs.filter(status__in=status.split(","))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if q:
        q = q.strip()
        qs = qs.filter(Q(order_no__icontains=q) | Q(ebp_name__icontains=q) | Q(batch__batch_no=q))
    return qs


def _without_lists(order: Order) -> None:
    if order.export_lists.exists():
        raise ServiceError(f"订单{order.order_no}已有出口清单，不能删除", status=409)


@transaction.atomic
def delete_orders(actor: Actor, ids: list[int | str]) -> int:
    """删除 orders never accepted by customs (待申报, 申报失败) and without lists; an operator only their own."""
    orders = [get_order(actor, pk, for_update=True) for pk in ids]
    return delete_documents(actor, orders, "订单", name=lambda o: o.order_no, check=_without_lists)
