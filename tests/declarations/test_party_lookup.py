"""Parties from codes (issue 11, point 14): a 10-character 海关编码 or an 18-character 社会信用代码
of a party gives its other code and its name, from the enterprise itself, its customers and its
past declarations (in that order); 暂存 fills what is still empty, so the list names the
境内收发货人 of a declaration saved with only its code."""

from __future__ import annotations

import pytest

from guanwu.datacenter.customers.models import CustomerStatus
from guanwu.declarations import services
from tests.datacenter.customers.factories import make_customer, scc
from tests.declarations.payloads import export_payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/declarations/parties/"


def party(client, code: str):
    return client.get(URL + code)


def test_the_enterprise_itself_by_either_code(client_a, ent_a):
    for code in (ent_a.customs_code, ent_a.scc, ent_a.scc.lower()):
        body = party(client_a, code).json()
        assert body == {"customs_code": ent_a.customs_code, "scc": ent_a.scc, "name": ent_a.name, "source": "本企业"}


def test_a_customer_then_past_declarations(client_a, actor_a, ent_a):
    customer = make_customer(ent_a, name="西安秦岭机电有限公司", customs_code="6101231234", scc=scc(77))
    assert party(client_a, "6101231234").json() == {
        "customs_code": "6101231234", "scc": customer.scc, "name": "西安秦岭机电有限公司", "source": "客户"}
    assert party(client_a, customer.scc).json()["name"] == "西安秦岭机电有限公司"

    # a company only past declarations know (as 消费使用/生产销售单位 here)
    raw = export_payload(owner_code="4403960123", owner_code_scc="91440300MA5EXAMPL9", owner_name="深圳湾电子有限公司")
    services.create_draft(actor_a, raw)
    assert party(client_a, "4403960123").json() == {
        "customs_code": "4403960123", "scc": "91440300MA5EXAMPL9", "name": "深圳湾电子有限公司", "source": "报关单"}
    # the customer list comes before declarations naming the same code differently
    services.create_draft(actor_a, export_payload(trade_code="6101231234", trade_name="旧名称", trade_co_scc=""))
    assert party(client_a, "6101231234").json()["name"] == "西安秦岭机电有限公司"
    # a customer awaiting approval still gives its name
    make_customer(ent_a, status=CustomerStatus.PENDING, name="待审核客户", customs_code="6101239999", scc=scc(78))
    assert party(client_a, "6101239999").json()["name"] == "待审核客户"


def test_unknown_and_malformed_codes(client_a):
    response = party(client_a, "1234567890")
    assert response.status_code == 404
    assert "1234567890" in response.json()["detail"]
    response = party(client_a, "12345")
    assert response.status_code == 422
    assert response.json()["detail"] == "请输入10位海关编码或18位统一社会信用代码"


def test_another_enterprise_s_parties_are_invisible(client_a, actor_b, ent_b):
    make_customer(ent_b, name="乙的客户", customs_code="5301231234", scc=scc(90))
    services.create_draft(actor_b, export_payload(owner_code="4403960124", owner_name="乙的单位", owner_code_scc=""))
    assert party(client_a, "5301231234").status_code == 404
    assert party(client_a, "4403960124").status_code == 404
    assert party(client_a, ent_b.customs_code).status_code == 404


def test_saving_with_one_code_fills_the_party(actor_a, ent_a, client_a):
    make_customer(ent_a, name="西安秦岭机电有限公司", customs_code="6101231234", scc=scc(77))
    raw = export_payload(trade_code="6101231234", trade_name="", trade_co_scc="",
                         owner_code="", owner_name="", owner_code_scc=scc(77))
    draft = services.create_draft(actor_a, raw)
    assert (draft.trade_code, draft.trade_co_scc, draft.trade_name) == ("6101231234", scc(77), "西安秦岭机电有限公司")
    assert (draft.owner_code, draft.owner_code_scc, draft.owner_name) == ("6101231234", scc(77), "西安秦岭机电有限公司")
    assert "西安秦岭机电有限公司" in client_a.get("/declarations/").content.decode()  # the list's 境内收发货人
    # an update giving only a code fills too; a name typed by hand stays
    changed = services.update_draft(actor_a, draft.pk, {"trade_code": ent_a.customs_code, "trade_name": "",
                                                         "trade_co_scc": "", "owner_name": "手填的名称"})
    assert (changed.trade_co_scc, changed.trade_name) == (ent_a.scc, ent_a.name)
    assert changed.owner_name == "手填的名称"


def test_codes_of_two_different_companies_are_not_guessed(actor_a, ent_a):
    make_customer(ent_a, name="西安秦岭机电有限公司", customs_code="6101231234", scc=scc(77))
    raw = export_payload(trade_code="6101231234", trade_name="", trade_co_scc=ent_a.scc)
    draft = services.create_draft(actor_a, raw)
    assert draft.trade_name == ""  # which one is meant is the broker's call (the rules name the mismatch)
