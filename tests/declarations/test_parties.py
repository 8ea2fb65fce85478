"""Issue 10.2: an enterprise declares only as itself (申报单位), and for approved customers.

The declarant rule is the Single Window's: a card holder declares as its own 申报单位
(《报关单填制规范》 申报单位: 完成申报的企业, by 海关编码 and 统一社会信用代码). The approved
customer rule is the platform's 客户审核 (资料中心 业务流程指南, 客户管理): a warning to
confirm, an error once the enterprise switched on ``require_approved_customers``."""

from __future__ import annotations

import json

import pytest

from guanwu.core.errors import ServiceError
from guanwu.declarations import services
from guanwu.declarations.models import Declaration, DeclarationStatus
from tests.conftest import PASSWORD
from tests.datacenter.customers.factories import make_customer
from tests.declarations.payloads import export_payload


@pytest.fixture
def api_b(client, admin_b):
    response = client.post("/api/v1/auth/token", {"username": "b_admin", "password": PASSWORD},
                           content_type="application/json")
    return {"Authorization": f"Bearer {response.json()['token']}"}


def foreign_declaration(client, headers, ent_a) -> int:
    """B keys a declaration in A's name: A's codes as 申报单位 and 收发货人."""
    payload = export_payload(agent_code=ent_a.customs_code, agent_code_scc=ent_a.scc, agent_name=ent_a.name,
                             trade_code=ent_a.customs_code, trade_co_scc=ent_a.scc, trade_name=ent_a.name,
                             owner_code=ent_a.customs_code, owner_code_scc=ent_a.scc, owner_name=ent_a.name)
    response = client.post("/api/v1/declarations", json.dumps(payload), content_type="application/json",
                           headers=headers)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_declaring_in_another_enterprises_name_is_refused(client, api_b, ent_a, ent_b):
    pk = foreign_declaration(client, api_b, ent_a)
    check = client.post(f"/api/v1/declarations/{pk}/check", headers=api_b).json()
    assert not check["ok"]
    agent = [e for e in check["errors"] if e["field"] == "agent_code"]
    assert agent and "申报单位必须是本企业" in agent[0]["message"] and ent_b.customs_code in agent[0]["message"]
    response = client.post(f"/api/v1/declarations/{pk}/declare", headers=api_b)
    assert response.status_code == 422
    assert any(e["field"] == "agent_code" for e in response.json()["errors"])
    assert Declaration.objects.get(pk=pk).status == DeclarationStatus.DRAFT


def test_a_matching_customs_code_with_another_credit_code_is_refused(actor_b, ent_b):
    payload = export_payload(agent_code=ent_b.customs_code, agent_code_scc="91610131MA6U0001X0",
                             trade_code=ent_b.customs_code, trade_co_scc=ent_b.scc,
                             owner_code=ent_b.customs_code, owner_code_scc=ent_b.scc)
    decl = services.create_draft(actor_b, payload)
    findings = services.check_declaration(actor_b, decl.pk)
    assert [e.field for e in findings.errors if "申报单位" in e.message] == ["agent_code"]


def test_a_consignee_that_is_not_an_approved_customer_warns(actor_b, ent_a, ent_b):
    decl = services.create_draft(actor_b, export_payload(trade_code=ent_a.customs_code, trade_co_scc=ent_a.scc))
    findings = services.check_declaration(actor_b, decl.pk)
    warned = {w.field for w in findings.warnings if "不是本企业审核通过的客户" in w.message}
    assert warned == {"trade_code", "owner_code"}
    assert not [e for e in findings.errors if e.field in {"trade_code", "owner_code"}]


def test_an_approved_customer_passes(actor_b, ent_b):
    payload = export_payload()
    make_customer(ent_b, customs_code=payload["trade_code"], scc=payload["trade_co_scc"])
    decl = services.create_draft(actor_b, payload)
    findings = services.check_declaration(actor_b, decl.pk)
    assert not [w for w in findings.warnings + findings.errors if "审核通过的客户" in w.message]


def test_with_the_requirement_switched_on_an_unapproved_party_is_an_error(actor_b, ent_b):
    ent_b.settings = {**ent_b.settings, "require_approved_customers": True}
    ent_b.save()
    payload = export_payload()
    make_customer(ent_b, status="pending", customs_code=payload["trade_code"], scc=payload["trade_co_scc"])
    decl = services.create_draft(actor_b, payload)  # 暂存 still works
    findings = services.check_declaration(actor_b, decl.pk)
    # 收发货人 and 生产销售单位 are the same company here: named once
    assert {e.field for e in findings.errors if "只为审核通过的客户申报" in e.message} == {"trade_code"}
    with pytest.raises(ServiceError):
        services.declare(actor_b, decl.pk)


def test_the_enterprise_itself_as_consignee_needs_no_customer(actor_a, ent_a):
    payload = export_payload(trade_code=ent_a.customs_code, trade_co_scc=ent_a.scc,
                             owner_code=ent_a.customs_code, owner_code_scc=ent_a.scc)
    decl = services.create_draft(actor_a, payload)
    findings = services.check_declaration(actor_a, decl.pk)
    assert findings.ok and not [w for w in findings.warnings if "客户" in w.message]
