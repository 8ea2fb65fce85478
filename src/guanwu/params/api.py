"""Picker and tariff API: /api/v1/params/{table}, /api/v1/tariff, /api/v1/tariff/{code_ts}."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from guanwu.apikit.params import IsoDate, Limit
from guanwu.core.errors import NotFound

from . import services

router = Router(tags=["参数与税则"])


class ParamList(Schema):
    count: int
    items: list[dict]


@router.get("/params", response=list[dict])
def list_tables(request):
    from .index import tables

    return [{"table": slug, "name": name, "count": n} for slug, name, n in tables()]


@router.get("/params/{table}", response=ParamList)
def search_table(request, table: str, q: str = "", limit: Limit = 20):
    count, entries = services.search(table, q, limit)
    return {"count": count, "items": [e.as_dict() for e in entries]}


class ElementOut(Schema):
    index: int
    name: str


class CiqOut(Schema):
    code: str
    name: str


class TariffOut(Schema):
    code_ts: str
    name: str
    first_unit: str
    first_unit_name: str | None
    second_unit: str
    second_unit_name: str | None
    elements: list[ElementOut]
    mfn_rate: Decimal | None
    general_rate: Decimal | None
    export_rate: Decimal | None
    vat_rate: Decimal | None
    consumption_rate: Decimal | None
    licence_codes: str
    licences: list[CiqOut]
    ciq: list[CiqOut]


class TariffBrief(Schema):
    code_ts: str
    name: str
    first_unit: str
    second_unit: str
    licence_codes: str


class TariffList(Schema):
    count: int
    items: list[TariffBrief]


def tariff_detail(code_ts: str, as_of: dt.date | None = None) -> dict:
    item = services.tariff_item(code_ts, as_of)
    if item is None:
        raise NotFound(f"商品编号不存在: {code_ts}")
    return {
        "code_ts": item.code_ts, "name": item.name,
        "first_unit": item.first_unit, "first_unit_name": services.code_name("units", item.first_unit),
        "second_unit": item.second_unit, "second_unit_name": services.code_name("units", item.second_unit),
        "elements": [{"index": i, "name": n} for i, n in enumerate(item.elements)],
        "mfn_rate": item.mfn_rate, "general_rate": item.general_rate, "export_rate": item.export_rate,
        "vat_rate": item.vat_rate, "consumption_rate": item.consumption_rate,
        "licence_codes": item.licence_codes,
        "licences": [
            {"code": c, "name": services.code_name("licence-docs", c) or ""} for c in item.licence_codes
        ],
        "ciq": [{"code": c, "name": n} for c, n in services.ciq_names(item.code_ts, as_of)],
    }


@router.get("/tariff", response=TariffList)
def search_tariff(request, q: str = "", limit: Limit = 20, as_of: IsoDate | None = None):
    count, items = services.search_tariff(q, limit, as_of)
    return {"count": count, "items": items}


@router.get("/tariff/{code_ts}", response=TariffOut)
def get_tariff(request, code_ts: str, as_of: IsoDate | None = None):
    return tariff_detail(code_ts, as_of)
