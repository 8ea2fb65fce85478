"""出口清单: create (JSON), import (Excel, with 商品批次号 and 出口日期), read, delete.

A list names its order by 订单编号 (an order of the enterprise: the list's 贸易方式 is the
order's, 9710 for a B2B order, 9810 for a 海外仓订仓单) and its waybill by 物流企业代码 + 物流运单编号
(the Waybill row is created with the list; the logistics side reports on it). What the file does
not say comes from the order (电商平台, 收发货人 = 电商企业) and the settings (申报地海关, 出口口岸,
申报企业).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.imports import bulk
from guanwu.params import index as params_index
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..documents import DATE, LIST_HEAD_FIELDS, LIST_LINE_FIELDS, F, clean, clean_value
from ..models import (
    TRADE_MODE_OF_ORDER_TYPE,
    Batch,
    CebStatus,
    CrossborderSettings,
    ExportList,
    ExportListLine,
    Order,
    Waybill,
)
from .batches import get_or_create_batch
from .common import delete_documents, refused

MAX_LINES = 100  # CEB603 InventoryList maxOccurs (official XSD)
PLACES = Decimal("0.00001")
HEAD_NAMES = [f.name for f in LIST_HEAD_FIELDS]
LINE_NAMES = [f.name for f in LIST_LINE_FIELDS]
NUMERIC = frozenset({"freight", "insured_fee", "pack_no", "gross_weight", "net_weight", "g_num", "qty", "qty1", "qty2",
                     "price", "total_price"})
IE_DATE = F("ie_date", "出口日期", kind=DATE, required=True)
# an order whose list may go: it was sent, and customs did not send it back
ORDER_SENT = frozenset({CebStatus.SENT, CebStatus.ACCEPTED, CebStatus.HELD, CebStatus.RELEASED, CebStatus.CLOSED})


def new_cop_no(actor: Actor) -> str:
    """企业唯一编号 (C..30): 海关编码 + date + 10 random characters."""
    return f"{actor.enterprise.customs_code}{timezone.localdate():%y%m%d}{uuid.uuid4().hex[:10].upper()}"


def _defaults(actor: Actor) -> dict[str, str]:
    found = CrossborderSettings.objects.for_enterprise(actor.enterprise).first()
    ent = actor.enterprise
    return {
        "customs_code": found.customs_code if found else "",
        "port_code": found.port_code if found else "",
        "agent_code": (found.agent_code if found else "") or ent.customs_code,
        "agent_name": (found.agent_name if found else "") or ent.name,
    }


def _tariff_codes() -> dict | None:
    idx = params_index.tariff()
    return idx.by_code if idx is not None else None


def prepare_list(values: dict[str, Any], defaults: dict[str, str], tariff: dict | None = None) -> list[FieldError]:
    """Clean one list in place (head, ``lines``, ``ie_date``) and fill what the settings give;
    the errors with paths (``lines[0].g_code``). The order is linked by the caller."""
    errors = [FieldError(p, m) for p, m in clean([*LIST_HEAD_FIELDS, IE_DATE], values)]
    for name, value in defaults.items():
        if not values.get(name):
            values[name] = value
    for name, label in (("customs_code", "申报地海关代码"), ("port_code", "出口口岸代码")):
        if not values.get(name) and not any(e.field == name for e in errors):
            errors.append(FieldError(name, f"{label}：必填项不能为空（可在跨境设置中填写默认值）"))
    values["statistics_flag"] = values.get("statistics_flag") or "A"
    if values.get("insured_fee") is None:
        values["insured_fee"] = Decimal(0)
    values["i_currency"] = values.get("i_currency") or values.get("f_currency") or ""
    lines = values.get("lines")
    if not isinstance(lines, list) or not lines:
        errors.append(FieldError("lines", "清单至少需要一项商品(表体)"))
        lines = []
    elif len(lines) > MAX_LINES:
        errors.append(FieldError("lines", f"清单商品最多{MAX_LINES}项，实际{len(lines)}项"))
    seen: dict[int, int] = {}
    for i, line in enumerate(lines):
        if not isinstance(line, dict):
            errors.append(FieldError(f"lines[{i}]", f"第{i + 1}项商品格式错误"))
            continue
        errors += [FieldError(p, m) for p, m in clean(LIST_LINE_FIELDS, line, f"lines[{i}].")]
        if line.get("g_num") in (None, ""):
            line["g_num"] = i + 1
        if line["g_num"] in seen:
            errors.append(FieldError(f"lines[{i}].g_num", f"序号{line['g_num']}与第{seen[line['g_num']] + 1}项重复"))
        seen.setdefault(line["g_num"], i)
        line["bar_code"] = line.get("bar_code") or "无"  # "没有条形码填“无”"
        if line.get("total_price") is None and line.get("qty") is not None and line.get("price") is not None:
            line["total_price"] = (line["qty"] * line["price"]).quantize(PLACES)
        code = line.get("g_code")
        if tariff is not None and code and code not in tariff:
            errors.append(FieldError(f"lines[{i}].g_code", f"商品编码{code}不在税则中"))
        if line.get("qty2") is not None and not line.get("unit2"):
            errors.append(FieldError(f"lines[{i}].unit2", "填了第二数量时第二计量单位必填"))
    return errors


def _orders_by_no(actor: Actor, numbers: set[str]) -> dict[str, list[Order]]:
    out: dict[str, list[Order]] = {}
    ordered = sorted(numbers)
    for start in range(0, len(ordered), 500):
        qs = Order.objects.for_enterprise(actor.enterprise).filter(order_no__in=ordered[start:start + 500])
        for order in qs.only("id", "order_no", "order_type", "ebp_code", "ebp_name", "ebc_code", "ebc_name", "status"):
            out.setdefault(order.order_no, []).append(order)
    return out


def _link_order(values: dict[str, Any], candidates: list[Order] | None) -> FieldError | None:
    """Pick the list's order and take what it gives; the error when there is none."""
    number = values.get("order_no") or ""
    if not candidates:
        # -301003 订单信息查询不存在 (spec 202205 表7-2), refused here before customs says so
        return FieldError("order_no", f"订单编号{number}不存在：请先导入该订单")
    if values.get("ebp_code"):
        candidates = [o for o in candidates if o.ebp_code == values["ebp_code"]] or candidates
    order = candidates[0]
    values["order_id"] = order.pk
    values["trade_mode"] = TRADE_MODE_OF_ORDER_TYPE.get(order.order_type, "9710")
    for name, source in (("ebp_code", "ebp_code"), ("ebp_name", "ebp_name"), ("ebc_code", "ebc_code"),
                         ("ebc_name", "ebc_name")):
        if not values.get(name):
            values[name] = getattr(order, source)
    return None


def _taken_cop_nos(actor: Actor, numbers: set[str]) -> set[str]:
    ordered = sorted(n for n in numbers if n)
    found: set[str] = set()
    for start in range(0, len(ordered), 500):
        found |= set(ExportList.objects.for_enterprise(actor.enterprise)
                     .filter(cop_no__in=ordered[start:start + 500]).values_list("cop_no", flat=True))
    return found


def check_import(actor: Actor, records: list[dict[str, Any]]) -> dict[int, list[FieldError]]:
    """Clean and check import records in place, in bulk: ``{index: errors}`` of the wrong ones."""
    defaults = _defaults(actor)
    tariff = _tariff_codes()
    found: dict[int, list[FieldError]] = {}
    for index, record in enumerate(records):
        errors = prepare_list(record, defaults, tariff)
        if errors:
            found[index] = errors
    orders = _orders_by_no(actor, {r["order_no"] for r in records if r.get("order_no")})
    cops: dict[str, int] = {}
    waybills: dict[tuple[str, str], int] = {}
    for index, record in enumerate(records):
        errors = found.setdefault(index, [])
        if record.get("order_no"):
            problem = _link_order(record, orders.get(record["order_no"]))
            if problem:
                errors.append(problem)
        cop = record.get("cop_no") or ""
        if cop:
            if cop in cops:
                errors.append(FieldError("cop_no", f"企业唯一编号{cop}在文件中重复"))
            cops.setdefault(cop, index)
        key = (record.get("logistics_code") or "", record.get("logistics_no") or "")
        if key[1]:
            if key in waybills:
                errors.append(FieldError("logistics_no", f"物流运单编号{key[1]}在文件中重复"))
            waybills.setdefault(key, index)
        if not errors:
            del found[index]
    for cop in _taken_cop_nos(actor, set(cops)):
        found.setdefault(cops[cop], []).append(FieldError("cop_no", f"企业唯一编号{cop}已存在"))
    return found


def _row(values: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: values.get(k) if values.get(k) is not None else (None if k in NUMERIC else "") for k in names}


def _waybills(actor: Actor, records: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """The Waybill of each record's (物流企业代码, 物流运单编号): found, or created in bulk."""
    keys = {(r["logistics_code"], r["logistics_no"]) for r in records}
    numbers = sorted({no for _, no in keys})
    ids: dict[tuple[str, str], int] = {}
    for start in range(0, len(numbers), 500):
        for code, no, pk in Waybill.objects.for_enterprise(actor.enterprise).filter(
                logistics_no__in=numbers[start:start + 500]).values_list("logistics_code", "logistics_no", "id"):
            ids[(code, no)] = pk
    missing = [r for r in records if (r["logistics_code"], r["logistics_no"]) not in ids]
    if missing:
        new = {}
        for r in missing:
            new.setdefault((r["logistics_code"], r["logistics_no"]), {
                "logistics_code": r["logistics_code"], "logistics_name": r["logistics_name"],
                "logistics_no": r["logistics_no"], "freight": r.get("freight"), "insured_fee": r.get("insured_fee"),
                "currency": r.get("f_currency") or "", "gross_weight": r.get("gross_weight"),
                "pack_no": r.get("pack_no"), "goods_info": (r["lines"][0].get("g_name") or "")[:200],
            })
        bulk.insert(Waybill, list(new.values()), enterprise_id=actor.enterprise.pk)
        wanted = sorted({no for _, no in new})
        for start in range(0, len(wanted), 500):
            for code, no, pk in Waybill.objects.for_enterprise(actor.enterprise).filter(
                    logistics_no__in=wanted[start:start + 500]).values_list("logistics_code", "logistics_no", "id"):
                ids[(code, no)] = pk
    return ids


def _insert(actor: Actor, records: list[dict[str, Any]], batch: Batch) -> list[int]:
    """Insert checked records (order linked, defaults filled) with their lines and waybills."""
    waybills = _waybills(actor, records)
    heads = []
    for record in records:
        if not record.get("cop_no"):
            record["cop_no"] = new_cop_no(actor)
        heads.append({
            **_row(record, HEAD_NAMES), "ie_date": record["ie_date"], "trade_mode": record["trade_mode"],
            "order_id": record.get("order_id"), "ie_flag": "E",
            "waybill_id": waybills[(record["logistics_code"], record["logistics_no"])],
        })
    bulk.insert(ExportList, heads, enterprise_id=actor.enterprise.pk, batch_id=batch.pk, created_by_id=actor.user.pk,
                status=CebStatus.DRAFT, f_flag="3", i_flag="3")
    cops = [h["cop_no"] for h in heads]
    ids: dict[str, int] = {}
    for start in range(0, len(cops), 500):
        ids.update(ExportList.objects.for_enterprise(actor.enterprise).filter(cop_no__in=cops[start:start + 500])
                   .values_list("cop_no", "id"))
    bulk.insert(ExportListLine, (
        {**_row(line, LINE_NAMES), "export_list_id": ids[record["cop_no"]]}
        for record in records for line in record["lines"]
    ))
    return [ids[c] for c in cops]


def import_lists(actor: Actor, records: list[dict[str, Any]], *, checked: bool = False) -> int:
    """Save import records in bulk (the import's ``save``, in its transaction): each carries
    ``batch_no`` and ``ie_date`` (given with the upload) and ``lines``. ``checked``: the records
    went through ``check_import`` already. ServiceError (nothing saved) when one is wrong."""
    if not records:
        return 0
    if not checked:
        problems = check_import(actor, records)
        if problems:
            index = min(problems)
            raise ServiceError(f"第{index + 1}份清单：{problems[index][0].message}")
    batches: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        batches.setdefault(str(record.get("batch_no") or ""), []).append(record)
    for number, group in batches.items():
        batch = get_or_create_batch(actor, number)
        _insert(actor, group, batch)
        audit.record(actor, batch, "导入清单", changes={"清单数": len(group)})
    return len(records)


@transaction.atomic
def create_list(actor: Actor, data: dict[str, Any]) -> ExportList:
    """A new list (待申报) from JSON-like ``data`` (head fields, ``batch_no``, ``ie_date``, ``lines``);
    ServiceError 422 naming every wrong field."""
    if not isinstance(data, dict):
        raise ServiceError("清单数据格式错误")
    values = dict(data)
    values["lines"] = [dict(x) if isinstance(x, dict) else x for x in (data.get("lines") or [])]
    errors: list[FieldError] = []
    batch = None
    try:
        batch = get_or_create_batch(actor, str(data.get("batch_no") or ""))
    except ServiceError as exc:
        errors += exc.errors
    errors += check_import(actor, [values]).get(0, [])
    if errors:
        raise refused(errors, "清单")
    (pk,) = _insert(actor, [values], batch)
    export_list = ExportList.objects.get(pk=pk)
    audit.record(actor, export_list, "新建清单", after=CebStatus.DRAFT.label)
    return export_list


def get_list(actor: Actor, pk: int | str, *, for_update: bool = False) -> ExportList:
    """One list of the actor's enterprise; another enterprise's id is not found (404)."""
    return get_owned(ExportList.objects.for_enterprise(actor.enterprise).select_related("batch", "order", "waybill"),
                     pk, "清单", for_update=for_update)


def list_lists(actor: Actor, *, batch_no: str = "", order_no: str = "", invt_no: str = "", logistics_no: str = "",
               status: str = "", trade_mode: str = "", date_from: dt.date | None = None,
               date_to: dt.date | None = None, q: str = "") -> QuerySet[ExportList]:
    """The enterprise's lists, filtered as 清单查询 asks (date: 出口日期)."""
    qs = ExportList.objects.for_enterprise(actor.enterprise).select_related("batch", "waybill")
    if batch_no:
        qs = qs.filter(batch__batch_no=batch_no.strip())
    if order_no:
        qs = qs.filter(order_no__icontains=order_no.strip())
    if invt_no:
        qs = qs.filter(invt_no__icontains=invt_no.strip())
    if logistics_no:
        qs = qs.filter(logistics_no__icontains=logistics_no.strip())
    if status:
        qs = qs.filter(status__in=status.split(","))
    if trade_mode:
        qs = qs.filter(trade_mode=trade_mode)
    if date_from:
        qs = qs.filter(ie_date__gte=date_from)
    if date_to:
        qs = qs.filter(ie_date__lte=date_to)
    if q:
        q = q.strip()
        qs = qs.filter(Q(order_no__icontains=q) | Q(invt_no=q) | Q(logistics_no=q) | Q(cop_no=q)
                       | Q(batch__batch_no=q))
    return qs


@transaction.atomic
def delete_lists(actor: Actor, ids: list[int | str]) -> int:
    """删除 lists customs never accepted (待申报, 申报失败); an operator only their own."""
    return delete_documents(actor, [get_list(actor, pk, for_update=True) for pk in ids], "清单")


__all__ = ["ORDER_SENT", "check_import", "clean_value", "create_list", "delete_lists", "get_list", "import_lists",
           "list_lists", "new_cop_no", "prepare_list"]
