"""The picker API (type-ahead by name, pinyin, initials, HS prefix), CRUD, bonded lookup, tenancy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guanwu.datacenter.commodities import services
from guanwu.datacenter.commodities.models import BondedItem, Commodity
from guanwu.declarations import services as declarations
from guanwu.declarations.models import DeclarationItem
from tests.datacenter.commodities.helpers import released_export, released_import
from tests.declarations.payloads import export_payload

API = "/api/v1/commodities"
ITEM_KEYS = {"code_ts", "ciq_code", "g_name", "g_model", "g_unit", "first_unit", "second_unit", "origin_country",
             "destination_country", "trade_curr", "decl_price", "district_code", "dest_code", "duty_mode"}


@pytest.fixture
def library(ent_a, django_capture_on_commit_callbacks):
    released_export(ent_a, django_capture_on_commit_callbacks)
    released_import(ent_a, django_capture_on_commit_callbacks)
    return Commodity.objects.for_enterprise(ent_a)


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["g_name"] for r in response.json()["items"]]


def test_type_ahead_by_name_pinyin_initials_code_and_model(client_a, library):
    assert set(names(client_a.get(API, {"q": "针织"}))) == {"棉制针织背心", "棉制儿童针织套头衫", "棉制针织T恤衫"}
    assert names(client_a.get(API, {"q": "T恤"})) == ["棉制针织T恤衫"]
    assert names(client_a.get(API, {"q": "电脑"})) == ["笔记本电脑"]
    assert names(client_a.get(API, {"q": "bijiben"})) == ["笔记本电脑"]  # pinyin prefix
    assert names(client_a.get(API, {"q": "bjbdn"})) == ["笔记本电脑"]  # initials
    assert names(client_a.get(API, {"q": "bjb"})) == ["笔记本电脑"]
    assert set(names(client_a.get(API, {"q": "8471"}))) == {"笔记本电脑"}  # HS prefix
    assert set(names(client_a.get(API, {"q": "6109"}))) == {"棉制针织T恤衫", "棉制针织背心"}
    assert names(client_a.get(API, {"q": "dell"})) == ["笔记本电脑"]  # brand in the elements
    assert names(client_a.get(API, {"q": "咖啡"})) == []
    assert names(client_a.get(API, {"q": "U盘"})) == ["U盘"]


def test_pinyin_and_initials_match_anywhere_in_the_name(client_a, library, actor_a):
    """Issue 11, point 12: pinyin finds a part of the name as Chinese text does."""
    services.create_commodity(actor_a, {"ie_flag": "I", "code_ts": "0901210000", "g_name": "已焙炒咖啡豆"})
    assert names(client_a.get(API, {"q": "dn"})) == ["笔记本电脑"]  # 笔记本电脑: b j b d n
    assert names(client_a.get(API, {"q": "kfd"})) == ["已焙炒咖啡豆"]
    assert names(client_a.get(API, {"q": "KFD"})) == ["已焙炒咖啡豆"]
    assert names(client_a.get(API, {"q": "kafei"})) == ["已焙炒咖啡豆"]
    assert names(client_a.get(API, {"q": "diannao"})) == ["笔记本电脑"]
    assert names(client_a.get(API, {"q": "咖啡"})) == ["已焙炒咖啡豆"]


def test_filters_and_item_shaped_fields(client_a, library, ent_a):
    assert set(names(client_a.get(API, {"ie_flag": "I"}))) == {"笔记本电脑", "U盘"}
    assert names(client_a.get(API, {"q": "针织", "ie_flag": "I"})) == []
    assert len(names(client_a.get(API, {"trade_code": ent_a.customs_code}))) == 5
    assert names(client_a.get(API, {"trade_code": "0000000000"})) == []
    assert len(names(client_a.get(API, {"q": "针织", "trade_code": ent_a.customs_code, "ie_flag": "E"}))) == 3
    assert names(client_a.get(API, {"q": "针织", "trade_code": "0000000000"})) == []
    assert len(names(client_a.get(API, {"trade_name": ent_a.name[:2]}))) == 5
    row = client_a.get(API, {"q": "笔记本"}).json()["items"][0]
    assert set(row) >= ITEM_KEYS
    assert row["code_ts"] == "8471309000" and row["first_unit"] == "001" and row["second_unit"] == "035"
    assert row["decl_price"] == "650" and row["dest_code"] == "310115" and row["usage_count"] == 1
    assert len(client_a.get(API, {"limit": 2}).json()["items"]) == 2


def test_most_used_first(client_a, library, ent_a, django_capture_on_commit_callbacks):
    released_export(ent_a, django_capture_on_commit_callbacks)  # 3 goods used twice now
    items = client_a.get(API, {"q": "棉制"}).json()["items"]
    assert [r["usage_count"] for r in items] == [2, 2, 2]
    Commodity.objects.filter(g_name="棉制针织背心").update(usage_count=9)
    assert names(client_a.get(API, {"q": "棉制"}))[0] == "棉制针织背心"


def test_other_enterprise_sees_nothing(client, admin_b, ent_b, library):
    client.force_login(admin_b)
    assert names(client.get(API, {"q": "针织"})) == []
    assert names(client.get(API)) == []
    pk = library.first().pk
    assert client.get(f"{API}/{pk}").status_code == 404
    assert client.put(f"{API}/{pk}", {"g_name": "x"}, content_type="application/json").status_code == 404
    assert client.delete(f"{API}/{pk}").status_code == 404
    assert Commodity.objects.filter(pk=pk).exists()


def test_crud_with_checks_and_audit(client_a, ent_a):
    body = {"trade_code": ent_a.customs_code, "trade_name": ent_a.name, "ie_flag": "E", "code_ts": "6109100010",
            "g_name": "棉制针织T恤衫", "g_model": "0|0|针织|T恤衫|圆领|100%棉|无品牌|TS-1|无|无|无",
            "g_unit": "011", "origin_country": "美国", "trade_curr": "USD", "decl_price": "3.5", "duty_mode": "1"}
    response = client_a.post(API, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["first_unit"] == "011" and data["second_unit"] == "035"  # from the tariff
    assert data["origin_country"] == "USA" and data["source"] == "manual" and data["usage_count"] == 0
    pk = data["id"]
    dup = client_a.post(API, {**body, "g_name": " 棉制针织Ｔ恤衫"}, content_type="application/json")
    assert dup.status_code == 422 and dup.json()["errors"][0]["field"] == "g_name"
    bad = client_a.post(API, {**body, "code_ts": "9999999999", "g_unit": "XYZ", "ie_flag": "X"},
                        content_type="application/json")
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"code_ts", "g_unit", "ie_flag"} <= fields
    elements = client_a.post(API, {**body, "g_model": "1|0|针织"}, content_type="application/json")
    assert elements.status_code == 422
    assert "申报要素应有11项" in elements.json()["errors"][0]["message"]
    changed = client_a.put(f"{API}/{pk}", {"decl_price": "4", "g_name": "男式T恤衫"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["g_name"] == "男式T恤衫"
    assert names(client_a.get(API, {"q": "男式"})) == ["男式T恤衫"]
    assert names(client_a.get(API, {"q": "棉制"})) == []  # the index follows the new name
    from guanwu.audit.models import OperationLog

    assert list(OperationLog.objects.filter(object_id=str(pk)).values_list("action", flat=True).order_by("id")) == [
        "新增商品", "修改商品"]
    assert client_a.delete(f"{API}/{pk}").status_code == 204
    assert not Commodity.objects.filter(pk=pk).exists()
    assert names(client_a.get(API, {"q": "男式"})) == []


def test_picking_copies_values_and_editing_the_item_never_changes_the_library(actor_a, library):
    entry = library.get(g_name="棉制针织T恤衫")
    before = {f: getattr(entry, f) for f in services.COMMODITY_INPUT}
    item = {k: v for k, v in services.item_values(entry).items() if v not in (None, "")}
    payload = export_payload()
    payload["items"] = [{**item, "g_qty": "10", "decl_total": "38.5", "first_qty": "10", "second_qty": "2"}]
    declaration = declarations.create_draft(actor_a, payload)
    stored = DeclarationItem.objects.get(declaration=declaration)
    assert (stored.code_ts, stored.g_name, stored.g_model) == (entry.code_ts, entry.g_name, entry.g_model)
    payload["items"][0].update(g_name="改过的名称", g_model="1|0|改|改|改|改|改|改|改|改|改", decl_price="99")
    declarations.update_draft(actor_a, declaration.pk, {**payload, "version": declaration.version})
    entry.refresh_from_db()
    assert {f: getattr(entry, f) for f in services.COMMODITY_INPUT} == before
    assert entry.usage_count == 1
    assert not Commodity.objects.filter(g_name="改过的名称").exists()


# ------------------------------------------------------------------------------- bonded


@pytest.fixture
def bonded(ent_a):
    return BondedItem.objects.create(
        enterprise=ent_a, ems_no="E61019000001", item_no=3, part_no="IC-STM32", code_ts="8542319000",
        g_name="微控制器集成电路", g_model="4|0|控制|数据处理|已封装|ST|STM32F103|否|量产|无|无|无", g_unit="007",
        first_unit="007", second_unit="035", origin_country="MYS", decl_price="1.25", trade_curr="USD",
    )


def test_fill_from_bonded_by_record_no_and_item_no(ent_a, ent_b, bonded):
    values = services.fill_from_bonded(ent_a, "e61019000001", "3")
    assert values["g_model"] == bonded.g_model and values["code_ts"] == "8542319000"
    assert values["exg_no"] == "IC-STM32" and values["contr_item"] == 3 and values["decl_price"] == "1.25"
    assert values["g_unit"] == "007" and values["origin_country"] == "MYS" and values["trade_curr"] == "USD"
    assert services.fill_from_bonded(ent_a, "E61019000001", 4) == {}
    assert services.fill_from_bonded(ent_a, "", 3) == {}
    assert services.fill_from_bonded(ent_b, "E61019000001", 3) == {}


def test_bonded_api_lookup_list_and_crud(client_a, bonded, ent_a):
    response = client_a.get("/api/v1/bonded-items/lookup", {"ems_no": "E61019000001", "item_no": 3})
    assert response.status_code == 200 and response.json()["g_name"] == "微控制器集成电路"
    missing = client_a.get("/api/v1/bonded-items/lookup", {"ems_no": "E61019000001", "item_no": 9})
    assert missing.status_code == 404 and "备案序号9" in missing.json()["detail"]
    listing = client_a.get("/api/v1/bonded-items", {"ems_no": "E61019000001"}).json()
    assert listing["count"] == 1 and listing["items"][0]["item_no"] == 3
    assert client_a.get("/api/v1/bonded-items", {"ems_no": "E00000000000"}).json()["count"] == 0
    body = {"ems_no": "E61019000001", "item_no": 4, "code_ts": "3926909090", "g_name": "塑料外壳", "g_unit": "007"}
    created = client_a.post("/api/v1/bonded-items", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["first_unit"] == "035"
    again = client_a.post("/api/v1/bonded-items", body, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "item_no"
    bad = client_a.post("/api/v1/bonded-items", {**body, "ems_no": "E61", "item_no": 0},
                        content_type="application/json")
    assert {e["field"] for e in bad.json()["errors"]} == {"ems_no", "item_no"}
    pk = created.json()["id"]
    assert client_a.put(f"/api/v1/bonded-items/{pk}", {"part_no": "P-9"}, content_type="application/json"
                        ).json()["part_no"] == "P-9"
    assert client_a.delete(f"/api/v1/bonded-items/{pk}").status_code == 204


def test_bonded_items_of_another_enterprise_answer_404(client, admin_b, bonded):
    client.force_login(admin_b)
    assert client.get("/api/v1/bonded-items/lookup", {"ems_no": "E61019000001", "item_no": 3}).status_code == 404
    assert client.get(f"/api/v1/bonded-items/{bonded.pk}").status_code == 404
    assert client.get("/api/v1/bonded-items").json()["count"] == 0


def test_editing_a_commodity_into_a_copy_of_another_is_refused_with_the_duplicate_message(client_a, ent_a):
    """The library holds one commodity per 境内收发货人, 进出口, 商品编号, 名称 and 规格型号: an edit that
    makes one the same as another is refused in Chinese on 商品名称 (422), not by a database error,
    and changes nothing."""
    from guanwu.audit.models import OperationLog

    body = {"trade_code": ent_a.customs_code, "trade_name": ent_a.name, "ie_flag": "E", "code_ts": "6109100010",
            "g_name": "棉制针织T恤衫", "g_model": "0|0|针织|T恤衫|圆领|100%棉|无品牌|TS-1|无|无|无",
            "g_unit": "011", "origin_country": "USA", "trade_curr": "USD", "decl_price": "3.5", "duty_mode": "1"}
    first = client_a.post(API, body, content_type="application/json")
    second = client_a.post(API, {**body, "g_name": "男式T恤衫"}, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 201)
    pk = second.json()["id"]
    logs = OperationLog.objects.count()
    response = client_a.put(f"{API}/{pk}", {"g_name": "棉制针织T恤衫", "decl_price": "9"},
                            content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "g_name", "message": services.DUPLICATE}]
    stored = Commodity.objects.get(pk=pk)
    assert (stored.g_name, stored.decl_price) == ("男式T恤衫", Decimal("3.5"))
    assert OperationLog.objects.count() == logs
