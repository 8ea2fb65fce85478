"""``/api/v1/commodities`` (picker type-ahead and CRUD) and ``/api/v1/bonded-items`` (list,
CRUD, lookup by 备案号 + 备案序号); mounted under /api/v1 by datacenter/api.py.

Write endpoints take the body as a plain object and let the services check it, so another
enterprise's id answers 404 before the body is looked at.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from ninja import Router, Schema

from guanwu.apikit.params import Id, Limit, Offset, page

from . import services
from .models import BondedItem, Commodity
from .views import BONDED, COMMODITIES

router = Router(tags=["商品资料库"])

BONDED_LIMIT = 200


CommodityIn = services.COMMODITY_SPEC.schema_in("CommodityIn")
BondedIn = services.BONDED_SPEC.schema_in("BondedIn")


class CommodityOut(Schema):
    id: int
    trade_code: str
    trade_name: str
    ie_flag: str
    code_ts: str
    ciq_code: str
    ciq_name: str
    g_name: str
    g_model: str
    g_unit: str
    first_unit: str
    second_unit: str
    origin_country: str
    destination_country: str
    trade_curr: str
    decl_price: str | None
    district_code: str
    dest_code: str
    duty_mode: str
    usage_count: int
    first_used_at: str | None
    last_used_at: str | None
    source: str
    source_display: str
    code_names: dict[str, str]


class CommodityList(Schema):
    items: list[CommodityOut]
    limit: int
    offset: int


def commodity_out(obj: Commodity) -> dict[str, Any]:
    return {
        "id": obj.pk, "trade_code": obj.trade_code, "trade_name": obj.trade_name, "ie_flag": obj.ie_flag,
        **services.item_values(obj),
        "usage_count": obj.usage_count,
        "first_used_at": obj.first_used_at.isoformat() if obj.first_used_at else None,
        "last_used_at": obj.last_used_at.isoformat() if obj.last_used_at else None,
        "source": obj.source, "source_display": obj.get_source_display(),
        "code_names": services.code_names(obj),
    }


@router.get("/commodities", response=CommodityList, summary="商品数据库查询 (制单选择商品的联想搜索)")
def list_commodities(request, q: str = "", ie_flag: str = "", trade_code: str = "", trade_name: str = "",
                     code_ts: str = "", limit: Limit = 20, offset: Offset = 0):
    """``q``: 商品名称的任意部分、拼音或首字母(前缀)、商品编号前缀、品牌/型号; 使用次数多的在前。"""
    rows = services.search_commodities(
        request.auth, q, ie_flag=ie_flag, trade_code=trade_code, trade_name=trade_name, code_ts=code_ts,
        limit=limit, offset=offset,
    )
    return {"items": [commodity_out(r) for r in rows], "limit": min(limit, services.PICKER_LIMIT), "offset": offset}


COMMODITIES.router(router, schema_in=CommodityIn, schema_out=CommodityOut, out=commodity_out,
                   pages=("create", "get", "update", "delete"))


# ----------------------------------------------------------------------------- bonded


class BondedOut(Schema):
    id: int
    ems_no: str
    item_no: int
    part_no: str
    code_ts: str
    g_name: str
    g_model: str
    g_unit: str
    first_unit: str
    second_unit: str
    origin_country: str
    decl_price: str | None
    trade_curr: str
    code_names: dict[str, str]


class BondedList(Schema):
    count: int
    items: list[BondedOut]
    limit: int
    offset: int


def bonded_out(obj: BondedItem) -> dict[str, Any]:
    return {**services.BONDED_SPEC.out(obj), "decl_price": services.price_text(obj.decl_price),
            "code_names": services.code_names(obj)}


@router.get("/bonded-items", response=BondedList, summary="保税商品库查询")
def list_bonded(request, ems_no: str = "", item_no: Id | None = None, q: str = "", limit: Limit = 50,
                offset: Offset = 0):
    qs = services.bonded_items(request.auth)
    if ems_no:
        qs = qs.filter(ems_no=ems_no.strip().upper())
    if item_no is not None:
        qs = qs.filter(item_no=item_no)
    if q:
        word = q.strip()
        qs = qs.filter(Q(g_name__icontains=word) | Q(part_no__icontains=word) | Q(code_ts__startswith=word))
    p = page(qs.order_by("ems_no", "item_no"), offset, limit, max_limit=BONDED_LIMIT)
    return {"count": p.count, "items": [bonded_out(r) for r in p.rows], "limit": p.limit, "offset": p.offset}


@router.get("/bonded-items/lookup", response=BondedOut, summary="按备案号和备案序号查找保税商品")
def lookup_bonded(request, ems_no: str, item_no: str, ie_flag: str = ""):
    return bonded_out(services.lookup_bonded(request.auth, ems_no, item_no, ie_flag))


BONDED.router(router, schema_in=BondedIn, schema_out=BondedOut, out=bonded_out,
              pages=("create", "get", "update", "delete"))
