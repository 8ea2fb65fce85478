"""End to end with the customs simulator (its CEB family): orders, lists and a summary sent
through the gateway's outbox, answered by the simulator, the receipts applied by the gateway's
poller; a list reaches 放行 and 结关 with the logistics side played, the summary 汇总完成, and
the 报关单 draft follows. Skipped where the simulator has no CEB family."""

from __future__ import annotations

import importlib.util

import pytest

from guanwu.crossborder import services
from guanwu.crossborder.models import CebReceipt, CebStatus, ExportList, Order
from guanwu.gateway import services as gateway

from .factories import list_data, make_order

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(importlib.util.find_spec("guanwu.simulator.families.ceb") is None,
                       reason="the simulator has no CEB family"),
]


def _play(rounds: int = 30) -> None:
    from guanwu.simulator import engine

    for _ in range(rounds):
        gateway.flush_outbox()
        acted = engine.run_once()
        polled = gateway.poll_inbox()
        assert polled.failed == 0, "a receipt was quarantined"
        if not acted and not polled.total:
            break


def test_orders_lists_and_summary_through_gateway_and_simulator(actor_a, django_capture_on_commit_callbacks):
    orders = [make_order(actor_a, f"SO2024092000{i}") for i in (1, 2)]
    services.submit_orders(actor_a, [o.pk for o in orders])
    _play()
    assert set(Order.objects.values_list("status", flat=True)) == {CebStatus.ACCEPTED}
    assert Order.objects.filter(return_status="120").count() == 2
    lists = [services.create_list(actor_a, list_data(o.order_no, f"SF100000000{i}")) for i, o in enumerate(orders)]
    services.submit_lists(actor_a, [x.pk for x in lists])
    _play()
    for row in ExportList.objects.select_related("waybill"):
        assert row.status == CebStatus.CLOSED, (row.status, row.return_status, row.return_info)
        assert row.invt_no and row.pre_no
        assert row.waybill.waybill_status and row.waybill.arrival_status and row.waybill.departure_status
    summary = services.create_summary_from_lists(actor_a, [x.pk for x in lists])
    services.submit_summaries(actor_a, [summary.pk])
    _play()
    summary.refresh_from_db()
    assert summary.status == CebStatus.SUMMARIZED, (summary.status, summary.return_info)
    assert summary.sum_no and summary.decl_seq_no
    declaration = services.prepare_declaration(actor_a, summary.pk)
    assert declaration.trade_mode == "9710" and declaration.items.count() == 1
    assert CebReceipt.objects.filter(message_type="CEB792").count() == 1


def test_a_rejected_order_shows_the_reason(actor_a):
    order = make_order(actor_a, "SO-REJECT-1")
    services.submit_orders(actor_a, [order.pk])
    _play()
    Order.objects.filter(pk=order.pk).update(status=CebStatus.DRAFT)  # sent again as new: customs has it
    services.submit_orders(actor_a, [order.pk])
    _play()
    order.refresh_from_db()
    assert order.status == CebStatus.FAILED and order.return_status == "-301010"
    assert "已存在相同编号的订单" in order.return_info and order.return_status_text.startswith("处理异常")
