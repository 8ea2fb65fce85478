"""The main path through the services: orders -> 提交海关 (CEB303) -> CEB304; lists -> CEB603 ->
CEB604 and the logistics receipts -> 放行/结关; summary -> CEB701 -> CEB702 -> CEB792 -> the
报关单 draft. Every message built is validated against the official XSD (spec 202205)."""

from __future__ import annotations

import pytest

from guanwu.core.errors import NotFound, ServiceError
from guanwu.crossborder import services
from guanwu.crossborder.models import CebReceipt, CebStatus, ExportList, Order, Summary
from guanwu.gateway.models import OutboxMessage
from guanwu.messages.ceb import parse_ceb, validate_ceb

from . import receipts
from .factories import BATCH_NO, list_data, make_order, order_data, set_up


def _sent(kind: str) -> list[bytes]:
    return [bytes(m.payload) for m in OutboxMessage.objects.filter(kind=kind).order_by("id")]


def test_order_9710_goes_as_ceb303_order_type_b_valid_against_official_xsd(actor_a):
    order = make_order(actor_a)
    assert order.status == CebStatus.DRAFT and order.goods_value == 50 and order.lines.count() == 2
    outcome = services.submit_orders(actor_a, [order.pk])
    assert outcome.sent == [order.pk]
    (xml,) = _sent("CEB303Message")
    assert validate_ceb(xml) == []
    message = parse_ceb(xml)
    head = message.order[0].order_head
    assert head.order_type == "B" and head.order_no == order.order_no
    assert f"商品批次号：{BATCH_NO}" in head.note  # the customs side reads the batch from 备注
    order.refresh_from_db()
    assert order.status == CebStatus.SENT and order.guid == head.guid
    # 提交海关 again: already sent, nothing sent twice
    again = services.submit_orders(actor_a, [order.pk])
    assert again.sent == [] and again.skipped == [order.pk]
    assert OutboxMessage.objects.filter(kind="CEB303Message").count() == 1


def test_order_9810_is_order_type_w(actor_a):
    order = make_order(actor_a, "DC20240920001", order_type="W", ebp_code="无", ebp_name="洛杉矶海外仓",
                       warehouse_country="502")
    services.submit_orders(actor_a, [order.pk])
    (xml,) = _sent("CEB303Message")
    assert validate_ceb(xml) == []
    head = parse_ceb(xml).order[0].order_head
    assert head.order_type == "W" and head.ebp_name == "洛杉矶海外仓"
    assert order.trade_mode == "9810"


def test_order_receipts_set_status_and_chinese_text_applied_once(actor_a):
    order = make_order(actor_a)
    services.submit_orders(actor_a, [order.pk])
    order.refresh_from_db()
    assert services.apply_receipt(receipts.order_receipt(order, "2"), "a.xml")
    accepted = receipts.order_receipt(order, "120", "订单新增申报成功")
    assert services.apply_receipt(accepted, "b.xml")
    order.refresh_from_db()
    assert order.status == CebStatus.ACCEPTED
    assert order.return_status == "120" and order.return_status_text == "海关入库"
    assert order.return_info == "订单新增申报成功"
    # the same file read twice is applied once
    assert services.apply_receipt(accepted, "b.xml") is None
    assert CebReceipt.objects.filter(order=order).count() == 2


def test_order_rejection_with_negative_code_then_resubmit(actor_a):
    order = make_order(actor_a)
    services.submit_orders(actor_a, [order.pk])
    order.refresh_from_db()
    services.apply_receipt(receipts.order_receipt(order, "-301010", "已存在相同编号的订单"))
    order.refresh_from_db()
    assert order.status == CebStatus.FAILED
    assert order.return_status_text == "处理异常：已存在相同编号的订单"
    first_guid = order.guid
    services.submit_orders(actor_a, [order.pk])  # a failed order goes again, new guid
    order.refresh_from_db()
    assert order.status == CebStatus.SENT and order.guid != first_guid and order.return_status == ""


def test_customs_rejection_100_is_final_for_later_receipts(actor_a):
    order = make_order(actor_a)
    services.submit_orders(actor_a, [order.pk])
    order.refresh_from_db()
    services.apply_receipt(receipts.order_receipt(order, "100", "海关退单：商品信息不符"))
    services.apply_receipt(receipts.order_receipt(order, "120"))
    order.refresh_from_db()
    assert order.status == CebStatus.REJECTED


def test_receipt_naming_no_document_is_refused(actor_a):
    order = make_order(actor_a)
    order.order_no = "NOSUCH"
    with pytest.raises(ValueError, match="找不到对应的单据"):
        services.apply_receipt(receipts.order_receipt(order, "120"))


def test_order_errors_name_the_field(actor_a):
    set_up(actor_a)
    data = order_data()
    data["currency"] = "XXX"
    data["lines"][1]["qty"] = "abc"
    data["lines"][0]["unit"] = ""
    with pytest.raises(ServiceError) as exc:
        services.create_order(actor_a, data)
    fields = {e.field for e in exc.value.errors}
    assert {"currency", "lines[1].qty", "lines[0].unit"} <= fields
    assert Order.objects.count() == 0
    services.create_order(actor_a, order_data())
    with pytest.raises(ServiceError, match="已存在"):  # -301010 caught before customs
        services.create_order(actor_a, order_data())


def _released_list(actor, order_no="SO20240920001", logistics_no="SF1000000001", invt_no="90012024E000000001"):
    order = Order.objects.filter(order_no=order_no).first() or make_order(actor, order_no)
    if order.status == CebStatus.DRAFT:
        services.submit_orders(actor, [order.pk])
        order.refresh_from_db()
        services.apply_receipt(receipts.order_receipt(order, "120"))
    row = services.create_list(actor, list_data(order_no, logistics_no))
    services.submit_lists(actor, [row.pk])
    row.refresh_from_db()
    services.apply_receipt(receipts.list_receipt(row, "120", invt_no=invt_no))
    row.refresh_from_db()
    services.apply_receipt(receipts.waybill_receipt(row))
    services.apply_receipt(receipts.list_receipt(row, "399"))
    services.apply_receipt(receipts.arrival_receipt(row))
    services.apply_receipt(receipts.list_receipt(row, "800", "放行"))
    row.refresh_from_db()
    return row


def test_list_goes_as_ceb603_linked_to_order_and_waybill_and_reaches_release(actor_a):
    order = make_order(actor_a)
    row = services.create_list(actor_a, list_data())
    assert row.order_id == order.pk and row.trade_mode == "9710" and row.waybill.logistics_no == "SF1000000001"
    assert row.customs_code == "9001" and row.ebc_code == order.ebc_code and row.cop_no
    with pytest.raises(ServiceError, match="订单提交海关"):  # the order was never sent
        services.submit_lists(actor_a, [row.pk])
    row = _released_list(actor_a)
    (xml,) = _sent("CEB603Message")
    assert validate_ceb(xml) == []
    head = parse_ceb(xml).inventory[0].inventory_head
    assert head.trade_mode == "9710" and head.order_no == order.order_no and head.logistics_no == "SF1000000001"
    assert row.status == CebStatus.RELEASED and row.invt_no == "90012024E000000001"
    waybill = row.waybill
    waybill.refresh_from_db()
    assert waybill.waybill_status == "120" and waybill.arrival_status == "399"
    services.apply_receipt(receipts.departure_receipt(row))
    services.apply_receipt(receipts.list_receipt(row, "899", "结关"))
    row.refresh_from_db()
    waybill.refresh_from_db()
    assert row.status == CebStatus.CLOSED and waybill.departure_status == "399"


def test_list_trade_mode_follows_the_9810_order(actor_a):
    make_order(actor_a, "DC001", order_type="W", ebp_code="无", ebp_name="海外仓")
    row = services.create_list(actor_a, list_data("DC001"))
    assert row.trade_mode == "9810"


def test_list_errors(actor_a):
    set_up(actor_a)
    data = list_data("NOORDER")
    data["lines"][0]["g_code"] = "0000000000"
    with pytest.raises(ServiceError) as exc:
        services.create_list(actor_a, data)
    messages = {e.field: e.message for e in exc.value.errors}
    assert "不存在" in messages["order_no"]
    assert "不在税则中" in messages["lines[0].g_code"]
    assert ExportList.objects.count() == 0


def test_summary_to_ceb792_to_declaration_draft(actor_a):
    first = _released_list(actor_a)
    second = _released_list(actor_a, "SO20240920002", "SF1000000002", "90012024E000000002")
    summary = services.create_summary_from_lists(actor_a, [first.pk, second.pk])
    assert summary.lines.count() == 2 and summary.batch.batch_no == BATCH_NO
    with pytest.raises(ServiceError, match="已在汇总申请单"):
        services.create_summary_from_lists(actor_a, [first.pk])
    with pytest.raises(ServiceError, match="收到汇总结果单后"):
        services.prepare_declaration(actor_a, summary.pk)
    services.submit_summaries(actor_a, [summary.pk])
    (xml,) = _sent("CEB701Message")
    assert validate_ceb(xml) == []
    assert [x.invt_no for x in parse_ceb(xml).summary_apply[0].summary_apply_list] == [first.invt_no, second.invt_no]
    summary.refresh_from_db()
    services.apply_receipt(receipts.summary_receipt(summary, "120", sum_no="900120240000000001"))
    summary.refresh_from_db()
    assert summary.sum_no == "900120240000000001" and summary.status == CebStatus.ACCEPTED
    services.apply_receipt(receipts.summary_result(summary, [first, second]))
    summary.refresh_from_db()
    assert summary.status == CebStatus.SUMMARIZED and summary.decl_seq_no == "900120241000000001"
    declaration = services.prepare_declaration(actor_a, summary.pk)
    assert declaration.trade_mode == "9710" and declaration.ie_flag == "E"
    items = list(declaration.items.all())
    assert len(items) == 1  # both lists' lines: same 商品编码/名称/单位/币制/目的国
    assert items[0].g_qty == 2 and items[0].decl_total == 20 and items[0].trade_curr == "USD"
    assert list(declaration.documents.values_list("edoc_code", flat=True)) == ["10000004"]
    assert services.prepare_declaration(actor_a, summary.pk).pk == declaration.pk
    assert Summary.objects.get(pk=summary.pk).declaration_id == declaration.pk


def test_other_enterprise_ids_are_not_found(actor_a, actor_b):
    order = make_order(actor_a)
    with pytest.raises(NotFound):
        services.get_order(actor_b, order.pk)
    with pytest.raises(NotFound):
        services.submit_orders(actor_b, [order.pk])
    with pytest.raises(NotFound):
        services.order_message_xml(actor_b, order.pk)
    assert validate_ceb(services.order_message_xml(actor_a, order.pk)) == []
