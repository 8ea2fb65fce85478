"""核注清单 INV101: lines from the book, balances (issue 15 §3 Balances), refusal before sending,
reservation on 申报 and release on 退单, receipts INV201/INV202/INV211, the 报关单 draft."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from guanwu.core.errors import ServiceError
from guanwu.declarations.models import Declaration
from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import BalanceState, Inventory, Movement, Status
from tests.messages.sas import garment as g

from . import garment_book as gb

pytestmark = pytest.mark.django_db


def _rows(actor, book):
    return {r.gds_seqno: r for r in services.balances(actor, book.pk)}


def ucns(net, tgbl, intgb):
    return sas.ucns_qty(D(net), D(tgbl), D(intgb))


@pytest.fixture
def book(actor_a):
    return gb.approved_book(actor_a)


def test_import_list_fills_lines_from_the_book_and_posts_on_approval(actor_a, book):
    inv = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 1000), (3, 5000)]))
    line = inv.items.get(gds_seqno=1)
    assert (line.gds_mtno, line.gdecd, line.dcl_unitcd, line.dcl_currcd) == ("FAB-CT-001", "5208420090", "030", "USD")
    assert inv.movement == Movement.IMPORT and inv.book_id == book.pk
    inv = services.declare_inventory(actor_a, inv.pk)
    assert inv.status == Status.DECLARED and inv.balance_state == BalanceState.RESERVED
    xml = bytes(gb.last_outbox().payload)
    assert sas.validate_sas(xml) == [] and b"<PutrecNo>" + g.EMS_NO.encode() in xml
    assert _rows(actor_a, book)[1].imported == 0  # not in yet: an import holds nothing
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(inv.etps_inner_invt_no, seq))
    number = sas.make_bond_invt_no("9001", 2024, "I", 123)
    services.apply_sas_receipt(gb.inv201(seq, "1", number))
    inv.refresh_from_db()
    assert inv.status == Status.VERIFIED and inv.bond_invt_no == number and inv.seq_no == seq
    assert inv.balance_state == BalanceState.POSTED
    rows = _rows(actor_a, book)
    assert rows[1].imported == D(1000) and rows[1].balance == D(1000) and rows[3].balance == D(5000)


def test_export_consumes_through_the_bom_and_reserves_until_customs_answers(actor_a, book):
    """consumed = 成品数量 x 净耗 / (1 - (有形 + 无形损耗率) / 100) (issue 15; nems_fields.csv UcnsQty)."""
    gb.pass_inventory(actor_a, services.create_inventory(
        actor_a, gb.inventory_data(book, "I", [(1, 1000), (3, 5000), (5, 500)])))
    exp = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 100)]))
    exp = services.declare_inventory(actor_a, exp.pk)
    assert exp.items.get().ucns_verno == "1"  # the version in force filled in
    rows = _rows(actor_a, book)
    need_fabric = (D(100) * ucns("1.65", "3", "0.5")).quantize(D("0.000000001"))
    assert rows[1].reserved == need_fabric and rows[1].consumed == 0
    assert rows[1].balance == D(1000) - need_fabric
    assert rows[3].reserved == D(100) * ucns("8", "2", "0")
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(exp.etps_inner_invt_no, seq))
    services.apply_sas_receipt(gb.inv201(seq, "1", sas.make_bond_invt_no("9001", 2024, "E", 5)))
    rows = _rows(actor_a, book)
    assert rows[1].consumed == need_fabric and rows[1].reserved == 0 and rows[1].balance == D(1000) - need_fabric


def test_customs_return_releases_the_reservation(actor_a, book):
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 1000), (3, 900),
                                                                                               (5, 100)])))
    exp = services.declare_inventory(actor_a, services.create_inventory(
        actor_a, gb.inventory_data(book, "E", [(1, 10)])).pk)
    assert _rows(actor_a, book)[1].reserved > 0
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(exp.etps_inner_invt_no, seq))
    services.apply_sas_receipt(gb.inv201(seq, "3", rmk="退单"))
    exp.refresh_from_db()
    assert exp.status == Status.REJECTED and exp.balance_state == BalanceState.RELEASED
    rows = _rows(actor_a, book)
    assert rows[1].reserved == 0 and rows[1].balance == D(1000)


def test_overdraw_and_missing_bom_are_refused_per_line_before_sending(actor_a, book):
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 100)])))
    exp = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 1000), (2, 1)]))
    with pytest.raises(ServiceError) as exc:
        services.declare_inventory(actor_a, exp.pk)
    errors = {e.field: e.message for e in exc.value.errors}
    assert "items.0.dcl_qty" in errors and "料件序号1(色织全棉平纹布)余量不足" in errors["items.0.dcl_qty"]
    assert "items.1.dcl_qty" in errors  # the jacket needs buttons and labels never imported
    exp.refresh_from_db()
    assert exp.status == Status.DRAFT and exp.balance_state == BalanceState.NONE
    assert not exp.client_seq_no
    # a product whose BOM has no such 单耗版本号
    other = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 1)]))
    other.items.update(ucns_verno="9")
    with pytest.raises(ServiceError) as exc:
        services.declare_inventory(actor_a, other.pk)
    assert [e.field for e in exc.value.errors] == ["items.0.ucns_verno"]
    assert "没有单耗版本号9的单损耗" in exc.value.errors[0].message


def test_unknown_putrec_seqno_and_unit_are_refused_on_save(actor_a, book):
    data = gb.inventory_data(book, "I", [(9, 1), (1, 2)])
    data["items"][1]["dcl_unitcd"] = "035"
    with pytest.raises(ServiceError) as exc:
        services.create_inventory(actor_a, data)
    assert {e.field for e in exc.value.errors} == {"items.0.putrec_seqno", "items.1.dcl_unitcd"}
    assert not Inventory.objects.exists()


def test_returns_and_domestic_sales_reduce_the_balance(actor_a, book):
    """料件退运 (出口 料件, 0664 料件退换) and 内销 (进口 料件 under 0644 进料料件内销)."""
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 100)])))
    gb.pass_inventory(actor_a, services.create_inventory(
        actor_a, gb.inventory_data(book, "E", [(1, 10)], mtpck_endprd_markcd="I", supv_modecd="0664")))
    gb.pass_inventory(actor_a, services.create_inventory(
        actor_a, gb.inventory_data(book, "I", [(1, 5)], supv_modecd="0644")))
    row = _rows(actor_a, book)[1]
    assert (row.imported, row.returned, row.domestic_sold, row.balance) == (D(100), D(10), D(5), D(85))


def test_inv202_creates_the_declaration_draft_and_inv211_verifies(actor_a, book):
    imp = gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 1200),
                                                                                                     (3, 40)])),
                            result="5")
    assert imp.status == Status.APPROVED and imp.balance_state == BalanceState.POSTED
    services.apply_sas_receipt(gb.inv202(imp.seq_no, imp.bond_invt_no))
    imp.refresh_from_db()
    assert imp.entry_seq_no == "I20240000012345678"
    decl = Declaration.objects.get(pk=imp.declaration_id)
    assert decl.enterprise_id == actor_a.enterprise.pk and decl.status == "draft"
    assert decl.manual_no == g.EMS_NO and decl.ie_flag == "I" and decl.trade_mode == "0615"
    items = list(decl.items.order_by("g_no"))
    assert [(i.contr_item, i.code_ts, i.g_qty, i.g_unit) for i in items] == [
        (1, "5208420090", D("1200.00000"), "030"), (3, "9606210000", D("40.00000"), "007")]
    assert items[0].trade_curr == "USD"
    services.apply_sas_receipt(gb.inv211(imp.seq_no, imp.bond_invt_no, "2"))
    imp.refresh_from_db()
    assert imp.status == Status.VERIFIED
    # the same INV202 read twice changes nothing more
    assert services.apply_sas_receipt(gb.inv202(imp.seq_no, imp.bond_invt_no)) is not None  # new file (new msg id)
    assert Declaration.objects.filter(enterprise=actor_a.enterprise).count() == 1


def test_receipt_read_twice_is_applied_once(actor_a, book):
    inv = services.declare_inventory(actor_a, services.create_inventory(
        actor_a, gb.inventory_data(book, "I", [(1, 10)])).pk)
    seq = gb.seq_no()
    response = gb.common_response(inv.etps_inner_invt_no, seq)
    assert services.apply_sas_receipt(response) is not None
    assert services.apply_sas_receipt(response) is None
    assert inv.receipts.count() == 1


def test_failed_import_releases_and_lets_the_user_declare_again(actor_a, book):
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 1000), (3, 900),
                                                                                               (5, 100)])))
    exp = services.declare_inventory(actor_a, services.create_inventory(
        actor_a, gb.inventory_data(book, "E", [(1, 10)])).pk)
    services.apply_sas_receipt(gb.common_response(exp.etps_inner_invt_no, ok=False, text="表体第1项 商品编码错误"))
    exp.refresh_from_db()
    assert exp.status == Status.FAILED and exp.balance_state == BalanceState.RELEASED
    assert _rows(actor_a, book)[1].reserved == 0
    assert services.declare_inventory(actor_a, exp.pk).balance_state == BalanceState.RESERVED


def test_gateway_routes_sas_receipts_by_root(actor_a, book, settings):
    """CommonResponeMessage and the customs Package (XML-DSig namespace) reach the handlers."""
    from guanwu.gateway import folders
    from guanwu.gateway.services import poll_inbox

    inv = services.declare_inventory(actor_a, services.create_inventory(
        actor_a, gb.inventory_data(book, "I", [(1, 10)])).pk)
    seq = gb.seq_no()
    inbox = folders.folder(folders.INBOX)
    (inbox / "a_CommonResponeMessage.xml").write_bytes(gb.common_response(inv.etps_inner_invt_no, seq))
    result = poll_inbox()
    assert result.done == 1 and result.failed == 0
    (inbox / "b_INV201.xml").write_bytes(gb.inv201(seq, "1", sas.make_bond_invt_no("9001", 2024, "I", 77)))
    assert poll_inbox().done == 1
    inv.refresh_from_db()
    assert inv.status == Status.VERIFIED and inv.balance_state == BalanceState.POSTED
