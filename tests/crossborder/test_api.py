"""``/api/v1/crossborder``: typed bodies, 201/202/422 as the declaration API, receipts in the
answer, message.xml validated against the official XSD, 404 for another enterprise's ids."""

from __future__ import annotations

import json

import pytest

from guanwu.crossborder import services
from guanwu.crossborder.models import Order
from guanwu.messages.ceb import validate_ceb
from tests.conftest import token_client

from . import receipts
from .factories import BATCH_NO, list_data, order_data, set_up

pytestmark = pytest.mark.django_db
BASE = "/api/v1/crossborder"


def _json(data: dict) -> str:
    return json.dumps(data, default=str, ensure_ascii=False)


@pytest.fixture
def api_a(actor_a):
    set_up(actor_a)
    return token_client("a_admin")


def test_create_submit_read_order(api_a, actor_a):
    response = api_a.post(f"{BASE}/orders", _json(order_data()), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["status_label"] == "待申报" and body["batch_no"] == BATCH_NO
    assert len(body["lines"]) == 2 and body["trade_mode"] == "9710"
    pk = body["id"]
    response = api_a.post(f"{BASE}/orders/submit", {"ids": [pk]}, content_type="application/json")
    assert response.status_code == 202 and response.json()["sent"] == [pk]
    order = Order.objects.get(pk=pk)
    services.apply_receipt(receipts.order_receipt(order, "120", "订单新增申报成功"))
    body = api_a.get(f"{BASE}/orders/{pk}").json()
    assert body["status_label"] == "海关入库" and body["return_status_text"] == "海关入库"
    assert body["receipts"][0]["return_status"] == "120" and body["receipts"][0]["return_info"] == "订单新增申报成功"
    xml = api_a.get(f"{BASE}/orders/{pk}/message.xml")
    assert xml.status_code == 200 and validate_ceb(xml.content) == []
    listing = api_a.get(f"{BASE}/orders", {"batch_no": BATCH_NO, "order_type": "B"}).json()
    assert listing["count"] == 1


def test_create_order_422_names_fields_in_chinese(api_a):
    data = order_data()
    data["lines"][0]["qty"] = "-1"
    data["currency"] = "ZZZ"
    response = api_a.post(f"{BASE}/orders", _json(data), content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    fields = {e["field"] for e in body["errors"]}
    assert {"currency", "lines[0].qty"} <= fields and body["detail"]
    bad_batch = api_a.post(f"{BASE}/orders", _json(order_data(batch_no="SF2024XAYH01")),
                           content_type="application/json")
    assert bad_batch.status_code == 422 and "商品批次号" in bad_batch.json()["detail"] + str(bad_batch.json()["errors"])
    assert not Order.objects.exists()


def test_list_and_summary_routes(api_a, actor_a):
    order = services.create_order(actor_a, order_data())
    response = api_a.post(f"{BASE}/lists", _json(list_data()), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["order_id"] == order.pk and body["display"]["country"] == "美国[502]"
    assert body["display"]["traf_mode"] == "航空运输[5]" and body["waybill"]["logistics_no"] == "SF1000000001"
    refused = api_a.post(f"{BASE}/lists/submit", {"ids": [body["id"]]}, content_type="application/json")
    assert refused.status_code == 422 and "订单" in refused.json()["detail"]
    xml = api_a.get(f"{BASE}/lists/{body['id']}/message.xml")
    assert xml.status_code == 200 and validate_ceb(xml.content) == []  # a draft's preview
    not_released = api_a.post(f"{BASE}/summaries/from-lists", {"ids": [body["id"]]}, content_type="application/json")
    assert not_released.status_code == 422


def test_other_enterprise_gets_404(api_a, actor_a, actor_b):
    order = services.create_order(actor_a, order_data())
    row = services.create_list(actor_a, list_data())
    client_b = token_client("b_admin")
    for url in (f"{BASE}/orders/{order.pk}", f"{BASE}/orders/{order.pk}/message.xml", f"{BASE}/lists/{row.pk}",
                f"{BASE}/lists/{row.pk}/message.xml"):
        assert client_b.get(url).status_code == 404, url
    response = client_b.post(f"{BASE}/orders/submit", {"ids": [order.pk]}, content_type="application/json")
    assert response.status_code == 404 and response.json()["detail"]
    assert client_b.delete(f"{BASE}/orders/{order.pk}").status_code == 404
    assert Order.objects.get(pk=order.pk).status == "draft"
