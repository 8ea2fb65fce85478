"""A customer that is not approved cannot be the 境内收发货人 of a declaration: an error on
申报, a warning on 暂存."""

from __future__ import annotations

import pytest

from guanwu.core.errors import ServiceError
from guanwu.datacenter.customers import services as customers
from guanwu.declarations import payload, rules
from guanwu.declarations import services as declarations
from guanwu.declarations.models import DeclarationStatus
from tests.datacenter.customers.factories import customer_data, scc
from tests.declarations.payloads import export_payload

pytestmark = pytest.mark.django_db

TRADE_CODE = "6101930001"  # the 境内收发货人 of the test payloads


def trade_customer(actor, **fields):
    return customers.create_customer(actor, customer_data(7, customs_code=TRADE_CODE, name="演示进出口有限公司",
                                                          **fields))


def findings(raw, enterprise, on_declare: bool):
    data, errors = payload.parse(raw)
    assert not errors
    return rules.check(data, on_declare=on_declare, enterprise=enterprise)


def test_unapproved_customer_blocks_declare_and_warns_on_draft(actor_a, operator_actor_a):
    customer = trade_customer(operator_actor_a)
    assert customer.status == "pending"
    draft = declarations.create_draft(operator_actor_a, export_payload())  # 暂存 still works
    on_draft = findings(export_payload(), actor_a.enterprise, on_declare=False)
    assert not [e for e in on_draft.errors if e.field == "trade_code"]
    assert [w.field for w in on_draft.warnings if "未通过客户审核" in w.message] == ["trade_code"]

    with pytest.raises(ServiceError) as caught:
        declarations.declare(operator_actor_a, draft.pk)
    errors = {e.field: e.message for e in caught.value.errors}
    assert "境内收发货人" in errors["trade_code"] and "未通过客户审核" in errors["trade_code"]
    assert customer.code in errors["trade_code"] and "待审核" in errors["trade_code"]

    customers.reject(actor_a, customer.pk, "资料不全")
    with pytest.raises(ServiceError, match="申报校验未通过") as caught:
        declarations.declare(operator_actor_a, draft.pk)
    assert "审核驳回" in {e.field: e.message for e in caught.value.errors}["trade_code"]

    customers.approve(actor_a, customer.pk)
    declared = declarations.declare(operator_actor_a, draft.pk)
    assert declared.status == DeclarationStatus.DECLARED


def test_match_on_credit_code_alone(actor_a):
    credit = scc(8)
    customers.create_customer(actor_a, customer_data(8, customs_code=""))
    raw = export_payload(trade_code="", trade_co_scc=credit.lower())
    assert [e.field for e in findings(raw, actor_a.enterprise, on_declare=True).errors
            if "未通过客户审核" in e.message] == ["trade_code"]


def test_companies_outside_the_customer_list_and_other_enterprises_are_not_checked(actor_a, actor_b):
    trade_customer(actor_b)  # B's pending customer has A's trade code: not A's business
    assert not [e for e in findings(export_payload(), actor_a.enterprise, on_declare=True).errors
                if "未通过客户审核" in e.message]
    approved = trade_customer(actor_a)
    customers.approve(actor_a, approved.pk)
    assert not [e for e in findings(export_payload(), actor_a.enterprise, on_declare=True).errors
                if "未通过客户审核" in e.message]
    # no enterprise given (a check outside any tenant): nothing to look up
    assert not [e for e in findings(export_payload(), None, on_declare=True).errors if "未通过客户审核" in e.message]
