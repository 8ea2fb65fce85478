"""商品批次号 for the enterprise: check a number against its settings, propose the next free
流水号 of a day, and the Batch row the documents of a number belong to."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..batchno import PART_LABELS, BatchNoError, BatchParts, check_batch_no, compose_batch_no, short_code_problem
from ..models import Batch, CrossborderSettings, ExportList, LogisticsCompany, Order, Summary
from .common import refuse


def _codes(actor: Actor) -> tuple[str, list[str]]:
    short = (
        CrossborderSettings.objects.for_enterprise(actor.enterprise).values_list("short_code", flat=True).first() or ""
    )
    logistics = list(
        LogisticsCompany.objects.for_enterprise(actor.enterprise).filter(is_active=True)
        .values_list("short_code", flat=True)
    )
    return short, logistics


def validate_batch_no(actor: Actor, batch_no: str, field: str = "batch_no") -> BatchParts:
    """The parts of ``batch_no`` under the enterprise's 企业简码 and 物流简码; ServiceError 422 on
    ``field`` whose message names the wrong part (``商品批次号的物流简码...``)."""
    short, logistics = _codes(actor)
    try:
        return check_batch_no(batch_no, short, logistics)
    except BatchNoError as exc:
        raise refuse(field, _message(exc)) from None


def _message(exc: BatchNoError) -> str:
    return exc.message if exc.part == "batch_no" else f"商品批次号的{PART_LABELS[exc.part]}有误：{exc.message}"


def next_serial(actor: Actor, logistics_short_code: str, day: dt.date) -> int:
    """The next free 流水号 (1-99) of the day for this 物流简码; ServiceError when all 99 are used."""
    short, _ = _codes(actor)
    prefix = f"{logistics_short_code}{day:%Y%m%d}{short}"
    used = set(
        Batch.objects.for_enterprise(actor.enterprise)
        .filter(logistics_short_code=logistics_short_code, batch_date=day, enterprise_short_code=short)
        .values_list("serial", flat=True)
    )
    used |= {int(n[-2:]) for n in Batch.objects.for_enterprise(actor.enterprise)
             .filter(batch_no__startswith=prefix).values_list("batch_no", flat=True) if n[-2:].isdigit()}
    for serial in range(1, 100):
        if serial not in used:
            return serial
    raise refuse("batch_no", f"{day:%Y-%m-%d} 物流简码{logistics_short_code}的流水号01-99已全部使用")


def next_batch_no(actor: Actor, logistics_short_code: str, day: dt.date | None = None) -> str:
    """The proposed 商品批次号: the 物流简码 given, the day (today, China time, by default), the
    enterprise's 企业简码 and the next free 流水号 of that day."""
    short, logistics = _codes(actor)
    code = (logistics_short_code or "").strip().upper()
    if not short:
        raise refuse("batch_no", "本企业尚未设置企业简码，请先在跨境设置中填写")
    problem = short_code_problem(code, "物流简码")
    if problem:
        raise refuse("logistics_short_code", problem)
    if code not in logistics:
        raise refuse("logistics_short_code", f"物流简码{code}不是已设置的物流企业")
    day = day or timezone.localdate()
    return compose_batch_no(code, day, short, next_serial(actor, code, day))


def get_or_create_batch(actor: Actor, batch_no: str, field: str = "batch_no") -> Batch:
    """The Batch of ``batch_no`` (checked), created on first use, in the caller's transaction."""
    parts = validate_batch_no(actor, batch_no, field)
    number = parts.batch_no
    found = Batch.objects.for_enterprise(actor.enterprise).filter(batch_no=number).first()
    if found is not None:
        return found
    batch = Batch(
        enterprise=actor.enterprise, batch_no=number, logistics_short_code=parts.logistics_short_code,
        batch_date=parts.batch_date, enterprise_short_code=parts.enterprise_short_code, serial=parts.serial,
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            batch.save(force_insert=True)
    except IntegrityError:  # created meanwhile by another import
        return Batch.objects.for_enterprise(actor.enterprise).get(batch_no=number)
    audit.record(actor, batch, "新建商品批次", after=number)
    return batch


def find_batch(actor: Actor, batch_no: str) -> Batch | None:
    return Batch.objects.for_enterprise(actor.enterprise).filter(batch_no=(batch_no or "").strip()).first()


def get_batch(actor: Actor, pk: int | str) -> Batch:
    return get_owned(Batch.objects.for_enterprise(actor.enterprise), pk, "商品批次")


def list_batches(actor: Actor, *, q: str = "", date_from: dt.date | None = None,
                 date_to: dt.date | None = None) -> QuerySet[Batch]:
    qs = Batch.objects.for_enterprise(actor.enterprise)
    if q:
        qs = qs.filter(batch_no__icontains=q.strip())
    if date_from:
        qs = qs.filter(batch_date__gte=date_from)
    if date_to:
        qs = qs.filter(batch_date__lte=date_to)
    return qs


def batch_counts(actor: Actor, batch_ids: list[int] | None = None) -> dict[int, dict[str, dict[str, int]]]:
    """For the dashboard: ``{batch id: {"orders"|"lists"|"summaries": {status: count}}}`` in three
    queries (all the enterprise's batches, or those of ``batch_ids``)."""
    out: dict[int, dict[str, dict[str, int]]] = {}
    for key, model in (("orders", Order), ("lists", ExportList), ("summaries", Summary)):
        qs = model.objects.for_enterprise(actor.enterprise).exclude(batch=None)
        if batch_ids is not None:
            qs = qs.filter(batch_id__in=batch_ids)
        for row in qs.order_by().values("batch_id", "status").annotate(n=Count("id")):
            out.setdefault(row["batch_id"], {"orders": {}, "lists": {}, "summaries": {}})[key][row["status"]] = row["n"]
    return out


def status_counts(actor: Actor) -> dict[str, dict[str, int]]:
    """For the dashboard: ``{"orders_9710"|"orders_9810"|"lists"|"summaries": {status: count}}``."""
    out: dict[str, dict[str, int]] = {"orders_9710": {}, "orders_9810": {}, "lists": {}, "summaries": {}}
    for row in Order.objects.for_enterprise(actor.enterprise).order_by().values("order_type", "status").annotate(
            n=Count("id")):
        out["orders_9710" if row["order_type"] == "B" else "orders_9810"][row["status"]] = row["n"]
    for key, model in (("lists", ExportList), ("summaries", Summary)):
        for row in model.objects.for_enterprise(actor.enterprise).order_by().values("status").annotate(n=Count("id")):
            out[key][row["status"]] = row["n"]
    return out


__all__ = [
    "BatchParts", "FieldError", "ServiceError", "batch_counts", "find_batch", "get_batch", "get_or_create_batch",
    "list_batches", "next_batch_no", "next_serial", "status_counts", "validate_batch_no",
]
