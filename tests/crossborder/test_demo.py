"""The demo (issue 16): enterprise A has a 9710 batch of orders, lists and a summary played
through to 放行 / 汇总完成 by the simulator, a 9810 booking order, and one refused order."""

from __future__ import annotations

import pytest

from guanwu.crossborder.demo import REJECTED_ORDER, demo_crossborder
from guanwu.crossborder.models import CebStatus, ExportList, Order, Summary

pytestmark = pytest.mark.django_db


def test_demo_plays_a_9710_batch_to_release_with_a_booking_order_and_a_refused_one(
        ent_a, admin_a, operator_a, settings, django_capture_on_commit_callbacks):
    said: list[str] = []
    users = {"a_admin": admin_a, "a_operator": operator_a}
    with django_capture_on_commit_callbacks(execute=True):
        demo_crossborder({"a": ent_a}, users, said.append)
    orders = {o.order_no: o for o in Order.objects.for_enterprise(ent_a)}
    assert len(orders) == 5, said
    refused = orders.pop(REJECTED_ORDER)
    assert refused.status == CebStatus.FAILED and refused.return_status == "-301010", (refused.return_status, said)
    assert "已存在相同编号的订单" in refused.return_info
    booking = orders.pop("YS-OW-2411-001")
    assert booking.order_type == "W" and booking.status == CebStatus.ACCEPTED
    assert {o.status for o in orders.values()} == {CebStatus.ACCEPTED}
    lists = list(ExportList.objects.for_enterprise(ent_a))
    assert len(lists) == 3 and {x.status for x in lists} <= {CebStatus.RELEASED, CebStatus.CLOSED}, said
    assert all(x.invt_no and x.waybill_id for x in lists)
    summary = Summary.objects.for_enterprise(ent_a).get()
    assert summary.status == CebStatus.SUMMARIZED and summary.decl_seq_no and summary.lines.count() == 3
    demo_crossborder({"a": ent_a}, users, said.append)  # idempotent
    assert Order.objects.for_enterprise(ent_a).count() == 5 and said[-1] == "跨境电商: 演示数据已存在"
