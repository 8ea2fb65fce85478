"""``/api/v1/commodities`` (picker type-ahead and CRUD) and ``/api/v1/bonded-items`` (list,
CRUD, lookup by 备案号 + 备案序号); mounted under /api/v1 by datacenter/api.py.

Write endpoints take the body as a plain object and let the services check it, so another
enterprise's id answers 404 before the body is looked at.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from ninja import Router, Schema
from pydantic import Field

from guanwu.apikit.params import Id, Limit, Offset, page

from . import services
from .models import BondedItem, Commodity
from .views import BONDED, COMMODITIES

router = Router(tags=["商品资料库"])

BONDED_LIMIT = 200


CommodityIn = services.COMMODITY_SPEC.schema_in("CommodityIn")
BondedIn = services.BONDED_SPEC.schema_in("BondedIn")


CommodityOut = services.COMMODITY_SPEC.schema_out(
    "CommodityOut", displays=False, decl_price=(str | None, Field(title="最近申报单价")),
    ciq_name=(str, Field(title="检验检疫名称")), first_unit=(str, Field(title="法定第一计量单位")),
    second_unit=(str, Field(title="法定第二计量单位")), usage_count=(int, Field(title="使用次数")),
    first_used_at=(str | None, Field(title="首次使用")), last_used_at=(str | None, Field(title="最近使用")),
    source=(str, Field(title="来源")), source_display=(str, Field(title="来源(名称)")),
    code_names=(dict[str, str], Field(title="代码名称")),
)


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


BondedOut = services.BONDED_SPEC.schema_out(
    "BondedOut", displays=False, item_no=(int, Field(title="备案序号")),
    decl_price=(str | None, Field(title="申报单价")), code_names=(dict[str, str], Field(title="代码名称")),
)


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
