"""``/api/v1/customers``: shapes, filters for the picker, validation errors, review roles."""

from __future__ import annotations

import pytest
from django.test import Client

from guanwu.datacenter.customers import services
from guanwu.datacenter.customers.models import Customer
from tests.conftest import token_client
from tests.datacenter.customers.factories import customer_data, scc

pytestmark = pytest.mark.django_db

FIELDS = {"id", "code", "name", "scc", "ciq_code", "customs_code", "phone", "contact", "address", "country",
          "postcode", "note", "email", "status", "status_display", "warnings"}




@pytest.fixture
def api(admin_a) -> Client:
    return token_client("a_admin")


@pytest.fixture
def operator_api(operator_a) -> Client:
    return token_client("a_operator")


def post(client, url, body=None):
    return client.post(url, body if body is not None else {}, content_type="application/json")


def test_create_answers_the_customer_with_exactly_the_documented_fields(api):
    response = post(api, "/api/v1/customers", customer_data(1))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS
    assert body["code"] == "CU1000001" and body["status"] == "pending" and body["status_display"] == "待审核"
    assert body["scc"] == scc(1) and body["country"] == "CHN"
    assert api.get(f"/api/v1/customers/{body['id']}").json() == body


def test_bad_credit_code_is_422_naming_scc(api):
    wrong = scc(1)[:17] + ("0" if scc(1)[17] != "0" else "1")
    response = post(api, "/api/v1/customers", customer_data(1, scc=wrong))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "客户信息校验未通过"
    assert [e["field"] for e in body["errors"]] == ["scc"]
    assert "校验位错误" in body["errors"][0]["message"]
    missing = post(api, "/api/v1/customers", {"scc": scc(2)})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "name"
    assert not Customer.objects.exists()


def test_list_filters_for_the_picker(api, actor_a, actor_b):
    xa = services.create_customer(actor_a, customer_data(1, name="西安丝路国际贸易有限公司"))
    services.create_customer(actor_a, customer_data(2, name="宝鸡华宇钛业有限公司"))
    services.approve(actor_a, xa.pk)
    services.create_customer(actor_b, customer_data(3, name="西安乙方客户"))
    page = api.get("/api/v1/customers").json()
    assert page["count"] == 2 and set(page) == {"count", "offset", "limit", "results"}
    assert set(page["results"][0]) == FIELDS
    picker = api.get("/api/v1/customers?status=approved&q=西安&limit=10").json()
    assert [c["name"] for c in picker["results"]] == ["西安丝路国际贸易有限公司"]
    assert api.get("/api/v1/customers?q=xasl").json()["count"] == 1  # initials
    assert api.get("/api/v1/customers?q=baoji").json()["count"] == 1  # pinyin
    assert api.get(f"/api/v1/customers?q={xa.customs_code}").json()["count"] == 1
    assert api.get(f"/api/v1/customers?q={xa.scc}").json()["count"] == 1
    assert api.get("/api/v1/customers?q=cu1000002").json()["count"] == 1
    assert api.get("/api/v1/customers?status=pending").json()["results"][0]["name"] == "宝鸡华宇钛业有限公司"
    bad = api.get("/api/v1/customers?status=ok")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_update_put_patch_and_delete(api, actor_a):
    pk = post(api, "/api/v1/customers", customer_data(1)).json()["id"]
    services.approve(actor_a, pk)
    patched = api.patch(f"/api/v1/customers/{pk}", {"phone": "029-1234"}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["phone"] == "029-1234" and patched.json()["contact"] == "张伟"
    assert patched.json()["status"] == "pending"  # an edit is reviewed again
    replaced = api.put(f"/api/v1/customers/{pk}", {"name": "改名公司", "scc": scc(1)}, content_type="application/json")
    assert replaced.status_code == 200
    assert replaced.json()["contact"] == "" and replaced.json()["country"] == "CHN"
    bad = api.patch(f"/api/v1/customers/{pk}", {"customs_code": "123"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "customs_code"
    assert api.delete(f"/api/v1/customers/{pk}").status_code == 204
    assert api.get(f"/api/v1/customers/{pk}").status_code == 404


def test_approve_and_reject_admin_only(api, operator_api):
    pk = post(operator_api, "/api/v1/customers", customer_data(1)).json()["id"]
    forbidden = post(operator_api, f"/api/v1/customers/{pk}/approve", {"opinion": "自己审"})
    assert forbidden.status_code == 403
    assert "企业管理员" in forbidden.json()["detail"]
    assert post(operator_api, f"/api/v1/customers/{pk}/reject", {"opinion": "x"}).status_code == 403
    no_opinion = post(api, f"/api/v1/customers/{pk}/reject", {"opinion": ""})
    assert no_opinion.status_code == 422 and no_opinion.json()["errors"][0]["field"] == "opinion"
    rejected = post(api, f"/api/v1/customers/{pk}/reject", {"opinion": "地址不全"})
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected" and rejected.json()["status_display"] == "审核驳回"
    approved = post(api, f"/api/v1/customers/{pk}/approve", {"opinion": "已补充"})
    assert approved.status_code == 200 and set(approved.json()) == FIELDS
    assert approved.json()["status"] == "approved"
    again = post(api, f"/api/v1/customers/{pk}/approve")
    assert again.status_code == 422


def test_other_enterprise_customers_are_404(api, actor_b):
    foreign = services.create_customer(actor_b, customer_data(1))
    for method, url in (("get", ""), ("patch", ""), ("put", ""), ("delete", ""), ("post", "/approve"),
                        ("post", "/reject")):
        response = getattr(api, method)(f"/api/v1/customers/{foreign.pk}{url}", {"opinion": "x"},
                                        content_type="application/json")
        assert response.status_code == 404, (method, url)
    foreign.refresh_from_db()
    assert foreign.status == "pending"
