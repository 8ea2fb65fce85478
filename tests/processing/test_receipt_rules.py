"""Rules of the 加工贸易 receipts that mutation testing found unguarded (scripts/mutate.py,
modules ``balances`` and ``sas_receipts``): each test names the rule and where it is written.

Source of the statuses: ``messages/sas/data/codes.csv`` (inv201_manage_result, vrfded_markcd;
receipts.md §3) and ``services/receipts.py`` (``_moves``: a receipt moves a document that is
with customs to a status not behind its own)."""

from __future__ import annotations

import pytest

from guanwu.core.errors import ServiceError
from guanwu.messages import sas
from guanwu.messages.sas.receipts import ReceiptError
from guanwu.processing import services
from guanwu.processing.models import (
    BalanceState,
    BookMaterial,
    BookVersion,
    Inventory,
    Movement,
    ProcessingReceipt,
    Status,
)
from guanwu.processing.services.balances import movement_of

from . import garment_book as gb

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(actor_a):
    return gb.approved_book(actor_a)


def _declared(actor, book, ie: str, lines: list[tuple[int, int]]):
    inv = services.declare_inventory(actor, services.create_inventory(actor, gb.inventory_data(book, ie, lines)).pk)
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(inv.etps_inner_invt_no, seq))
    inv.refresh_from_db()
    return inv, seq


def test_late_inv201_pass_after_return_changes_nothing_receipts_moves_with_customs_only(actor_a, book):
    """services/receipts.py ``_moves`` (module doc: "a receipt of a document in any other state is
    recorded and changes nothing (a late receipt never moves a status back)"): a list customs
    returned (INV201 3 退单) stays 退单 when an INV201 1 通过 arrives after it; the receipt is
    kept, the reservation stays released."""
    inv, seq = _declared(actor_a, book, "I", [(1, 10)])
    services.apply_sas_receipt(gb.inv201(seq, "3", rmk="退单"))
    inv.refresh_from_db()
    assert inv.status == Status.REJECTED and inv.balance_state == BalanceState.RELEASED
    late = services.apply_sas_receipt(gb.inv201(seq, "1", sas.make_bond_invt_no("9001", 2024, "I", 77)))
    assert late is not None and late.inventory_id == inv.pk  # recorded
    inv.refresh_from_db()
    assert inv.status == Status.REJECTED and inv.balance_state == BalanceState.RELEASED
    assert inv.bond_invt_no == ""
    row = {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}[1]
    assert row.imported == 0 and row.reserved == 0


def test_inv211_of_the_same_status_still_applies_receipts_moves_not_behind(actor_a, book):
    """services/receipts.py ``_moves``: "the new status is not behind" — an equal status applies
    (RANK ``>=``). INV201 1 通过(已核扣) made the list 已核扣 without a 清单编号; the INV211 记账回执
    (核扣标记 2 已核扣, codes.csv vrfded_markcd -> verified, the same status) still records the
    清单编号 and 核扣标记 it carries."""
    inv, seq = _declared(actor_a, book, "I", [(1, 10)])
    services.apply_sas_receipt(gb.inv201(seq, "1"))
    inv.refresh_from_db()
    assert inv.status == Status.VERIFIED and inv.bond_invt_no == ""
    number = sas.make_bond_invt_no("9001", 2024, "I", 78)
    services.apply_sas_receipt(gb.inv211(seq, number, "2"))
    inv.refresh_from_db()
    assert inv.status == Status.VERIFIED
    assert (inv.bond_invt_no, inv.vrfded_markcd) == (number, "2")
    assert inv.balance_state == BalanceState.POSTED


def test_late_inv201_accepted_never_moves_manual_review_back_receipts_rank(actor_a, book):
    """services/receipts.py ``RANK`` (入库成功 2 < 转人工 3; codes.csv inv201_manage_result Y 入库成功,
    2 转人工): 入库成功 then 转人工 moves forward; an 入库成功 arriving after 转人工 is behind and
    leaves the list 转人工."""
    inv, seq = _declared(actor_a, book, "I", [(1, 10)])
    services.apply_sas_receipt(gb.inv201(seq, "Y"))
    inv.refresh_from_db()
    assert inv.status == Status.ACCEPTED
    services.apply_sas_receipt(gb.inv201(seq, "2"))
    inv.refresh_from_db()
    assert inv.status == Status.MANUAL_REVIEW
    services.apply_sas_receipt(gb.inv201(seq, "Y", rmk="迟到的入库成功"))
    inv.refresh_from_db()
    assert inv.status == Status.MANUAL_REVIEW
    assert inv.balance_state == BalanceState.RESERVED


@pytest.mark.parametrize(("impexp", "mtpck_endprd", "supv", "movement"), [
    ("I", "I", "0615", Movement.IMPORT),  # 料件进口
    ("E", "E", "0615", Movement.EXPORT),  # 成品出口
    ("E", "I", "0664", Movement.RETURN),  # 料件退运 (出口 料件)
    ("I", "I", "0644", Movement.DOMESTIC_SALE),  # 进料料件内销
    ("I", "I", "0245", Movement.DOMESTIC_SALE),  # 来料料件内销
    ("I", "I", "0844", Movement.DOMESTIC_SALE),  # 进料边角料内销
    ("I", "I", "0845", Movement.DOMESTIC_SALE),  # 来料边角料内销
    ("I", "E", "4400", Movement.NONE),  # 成品进口 (成品退换): not counted
])
def test_movement_of_a_list_head_balances_movement_of(impexp, mtpck_endprd, supv, movement):
    """services/balances.py ``movement_of`` (module doc; issue 15 §3 Balances): what a list's head
    (进出口标记, 料件成品标记, 监管方式) does to the 料件余额; a 成品 import is not an export."""
    assert movement_of(impexp, mtpck_endprd, supv) == movement


def test_bom_row_added_in_an_unapproved_change_is_not_consumed_balances_live_bom(actor_a, book):
    """services/balances.py ``LIVE_BOM`` (修改标志 0/1/2 in force; 3 增加 is a row customs has not
    approved yet, nems_fields.csv ModfMarkcd): a 单损耗 row added by a 变更 still pending takes
    nothing when an export list of that 成品 is declared."""
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000)
                                                                                               for m in range(1, 6)])))
    changing = services.start_change(actor_a, book.pk)
    services.save_book_line(actor_a, changing.pk, "boms", {
        "endprd_seqno": 1, "mtpck_seqno": 2, "ucns_verno": "1", "net_useup_qty": "3",
        "tgbl_loss_rate": "0", "intgb_loss_rate": "0"})
    assert changing.boms.get(endprd_seqno=1, mtpck_seqno=2).modf_markcd == "3"
    _declared(actor_a, book, "E", [(1, 10)])
    rows = {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}
    assert rows[2].reserved == 0
    assert rows[1].reserved > 0  # the approved rows of 成品1 do reserve


def test_bom_row_whose_deletion_is_pending_still_consumes_balances_live_bom(actor_a, book):
    """services/balances.py ``LIVE_BOM`` (修改标志 2 删除 is in force until customs approves the
    变更, nems_fields.csv ModfMarkcd): a 单损耗 row a pending 变更 deletes still takes its share
    when an export list of that 成品 is declared."""
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000)
                                                                                               for m in range(1, 6)])))
    changing = services.start_change(actor_a, book.pk)
    line = changing.boms.get(endprd_seqno=1, mtpck_seqno=5)
    services.delete_book_lines(actor_a, changing.pk, "boms", [line.pk])
    assert changing.boms.get(pk=line.pk).modf_markcd == "2"
    _declared(actor_a, book, "E", [(1, 10)])
    rows = {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}
    assert rows[5].reserved == 10  # 净耗 1, no loss (garment BOM)


def test_inv201_import_failed_releases_the_reservation_receipts_releasing(actor_a, book):
    """services/receipts.py ``RELEASING`` (codes.csv inv201_manage_result Z 入库失败 -> failed): a
    declared export list customs could not store gives its reservation back."""
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000)
                                                                                               for m in range(1, 6)])))
    inv, seq = _declared(actor_a, book, "E", [(1, 10)])
    assert {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}[1].reserved > 0
    services.apply_sas_receipt(gb.inv201(seq, "Z", rmk="入库失败"))
    inv.refresh_from_db()
    assert inv.status == Status.FAILED and inv.balance_state == BalanceState.RELEASED
    assert all(r.reserved == 0 and r.consumed == 0 for r in services.balances(actor_a, book.pk))


def test_list_taking_exactly_the_balance_is_declared_one_more_is_refused_balances_check(actor_a, book):
    """services/balances.py ``check_balances`` (refused when balance < what the list takes; issue 15
    §3): a 料件退运 (出口 料件, 0664) of exactly the 料件's balance is declared and leaves 0; a
    further list of 1 is refused with 余量不足."""
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 100)])))
    back = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 100)], mtpck_endprd_markcd="I",
                                                                supv_modecd="0664"))
    assert services.declare_inventory(actor_a, back.pk).balance_state == BalanceState.RESERVED
    assert {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}[1].balance == 0
    more = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 1)], mtpck_endprd_markcd="I",
                                                                supv_modecd="0664"))
    with pytest.raises(ServiceError) as exc:
        services.declare_inventory(actor_a, more.pk)
    assert "余量不足: 余量0, 本清单需1" in exc.value.errors[0].message


def test_return_after_pass_releases_the_posted_quantities_receipts_release(actor_a, book):
    """services/receipts.py ``_release`` (module doc: 退单 releases; apply_list: "退单/failed
    reserved|posted -> released"): a list customs passed (INV201 5 通过(未核扣), posted) and then
    returned (INV201 3 退单, ENDS move any list still with customs) no longer counts."""
    inv, seq = _declared(actor_a, book, "I", [(1, 10)])
    services.apply_sas_receipt(gb.inv201(seq, "5"))
    inv.refresh_from_db()
    assert inv.balance_state == BalanceState.POSTED
    assert {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}[1].imported == 10
    services.apply_sas_receipt(gb.inv201(seq, "3", rmk="退单"))
    inv.refresh_from_db()
    assert inv.status == Status.REJECTED and inv.balance_state == BalanceState.RELEASED
    assert {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}[1].imported == 0


def test_inv211_verified_before_any_inv201_posts_the_list_receipts_inv211(actor_a, book):
    """services/receipts.py ``_inv211`` (核扣标记 2 已核扣 -> verified, codes.csv vrfded_markcd; a
    verified list is in POSTING): an INV211 记账回执 reaching a list still 已申报 (its INV201 not
    read yet) moves the reserved quantities to their column."""
    inv, seq = _declared(actor_a, book, "I", [(1, 10)])
    assert inv.balance_state == BalanceState.RESERVED
    services.apply_sas_receipt(gb.inv211(seq, sas.make_bond_invt_no("9001", 2024, "I", 79), "2"))
    inv.refresh_from_db()
    assert inv.status == Status.VERIFIED and inv.balance_state == BalanceState.POSTED
    assert {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}[1].imported == 10


@pytest.mark.parametrize("taken_by", ["returned", "domestic_sold", "reserved"])
def test_balance_checked_before_sending_counts_returns_sales_and_reservations_balances_check(actor_a, book,
                                                                                              taken_by):
    """services/balances.py ``check_balances``: balance = imported - consumed - returned -
    domestic_sold - reserved (module doc; issue 15 §3). After 60 of 100 went out as a 料件退运
    (0664), a 内销 (0644) or a list declared and not answered yet, a 料件退运 of 50 is refused."""
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 100)])))
    if taken_by == "domestic_sold":
        data = gb.inventory_data(book, "I", [(1, 60)], supv_modecd="0644")
    else:
        data = gb.inventory_data(book, "E", [(1, 60)], mtpck_endprd_markcd="I", supv_modecd="0664")
    first = services.create_inventory(actor_a, data)
    if taken_by == "reserved":
        services.declare_inventory(actor_a, first.pk)
    else:
        gb.pass_inventory(actor_a, first)
    assert getattr({r.gds_seqno: r for r in services.balances(actor_a, book.pk)}[1], taken_by) == 60
    more = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 50)], mtpck_endprd_markcd="I",
                                                                supv_modecd="0664"))
    with pytest.raises(ServiceError) as exc:
        services.declare_inventory(actor_a, more.pk)
    assert "余量不足: 余量40, 本清单需50" in exc.value.errors[0].message


def test_inv202_generation_failed_makes_no_declaration_receipts_inv202(actor_a, book):
    """services/receipts.py ``_inv202`` (codes.csv inv202_manage_result 2 生成失败): a failed
    生成报关单 receipt is recorded but creates no 报关单 draft and no 报关单统一编号."""
    imp = gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 10)])),
                            result="5")
    assert services.apply_sas_receipt(gb.inv202(imp.seq_no, imp.bond_invt_no, ok=False)) is not None
    imp.refresh_from_db()
    assert imp.declaration_id is None and imp.entry_seq_no == ""


def test_inv201_after_approval_still_moves_the_list_on_receipts_list_after(actor_a, book):
    """services/receipts.py ``LIST_AFTER`` (a list approved still receives INV201/INV211): INV201 5
    通过(未核扣) then INV201 1 通过(已核扣) makes the list 已核扣."""
    inv, seq = _declared(actor_a, book, "I", [(1, 10)])
    services.apply_sas_receipt(gb.inv201(seq, "5"))
    inv.refresh_from_db()
    assert inv.status == Status.APPROVED
    services.apply_sas_receipt(gb.inv201(seq, "1"))
    inv.refresh_from_db()
    assert inv.status == Status.VERIFIED and inv.balance_state == BalanceState.POSTED


def test_material_added_by_an_unapproved_change_cannot_be_declared_balances_check(actor_a, book):
    """services/balances.py ``check_balances`` (备案序号 must be a 料件 the book has on record:
    修改标志 3 增加 of a 变更 customs has not approved is not): an import list naming the new
    料件 is refused at 申报 until the change is approved."""
    changing = services.start_change(actor_a, book.pk)
    services.save_book_line(actor_a, changing.pk, "materials",
                            gb.material_row(1) | {"gds_seqno": 6, "gds_mtno": "M-NEW-6"})
    assert BookMaterial.objects.get(book=book, gds_seqno=6).modf_markcd == "3"
    inv = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(6, 5)]))
    with pytest.raises(ServiceError) as exc:
        services.declare_inventory(actor_a, inv.pk)
    assert [e.field for e in exc.value.errors] == ["items.0.putrec_seqno"]
    assert "账册中没有已备案的料件序号6" in exc.value.errors[0].message


def test_line_with_zero_quantity_is_refused_balances_check(actor_a, book):
    """services/balances.py ``check_balances``: 申报数量 must be greater than 0."""
    inv = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 5)]))
    inv.items.update(dcl_qty=0)
    with pytest.raises(ServiceError) as exc:
        services.declare_inventory(actor_a, inv.pk)
    assert "申报数量应大于0" in exc.value.errors[0].message


def test_recompute_gives_the_kept_rows_balances_recompute(actor_a, book):
    """services/balances.py ``recompute_balances`` (the repair path: "after any sequence of
    operations it gives exactly the kept rows"): posted imports, 料件退运 (0664), 内销 (0644), a
    passed export through the BOM in force (not a 单损耗 row a pending 变更 adds) and a pending
    export — rebuilt from the lines, every column equals what the receipts kept."""
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000)
                                                                                               for m in range(1, 6)])))
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(
        book, "E", [(1, 30)], mtpck_endprd_markcd="I", supv_modecd="0664")))
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(
        book, "I", [(2, 20)], supv_modecd="0644")))
    changing = services.start_change(actor_a, book.pk)
    services.save_book_line(actor_a, changing.pk, "boms", {
        "endprd_seqno": 1, "mtpck_seqno": 2, "ucns_verno": "1", "net_useup_qty": "3",
        "tgbl_loss_rate": "0", "intgb_loss_rate": "0"})
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 10)])))
    _declared(actor_a, book, "E", [(2, 5)])
    columns = ("imported", "consumed", "returned", "domestic_sold", "reserved")
    kept = {r.gds_seqno: tuple(getattr(r, c) for c in columns) for r in services.balances(actor_a, book.pk)}
    assert kept[1][2] == 30 and kept[2][3] == 20 and kept[2][1] == 0
    services.recompute_balances(book)
    assert {r.gds_seqno: tuple(getattr(r, c) for c in columns) for r in services.balances(actor_a, book.pk)} == kept


def test_export_consumes_through_the_bom_version_its_line_names_balances_ucns_verno(actor_a, book):
    """services/balances.py (module doc: "consumption always follows the 单耗版本号 the line was
    declared under"; nems_fields.csv UcnsVerno): with versions 1 and 2 of 成品1 approved, a line
    of version 1 takes 版本1's 单耗 only, and the rebuild agrees."""
    gb.pass_inventory(actor_a, services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000)
                                                                                               for m in range(1, 6)])))
    changing = services.start_change(actor_a, book.pk)
    for material in (1, 3, 5):
        services.save_book_line(actor_a, changing.pk, "boms", {
            "endprd_seqno": 1, "mtpck_seqno": material, "ucns_verno": "2", "net_useup_qty": "7", "ucns_dcl_stucd": "1",
            "tgbl_loss_rate": "0", "intgb_loss_rate": "0"})
    gb.approve_book(actor_a, changing)
    before = {r.gds_seqno: r.balance for r in services.balances(actor_a, book.pk)}
    inv = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 10)]))
    inv.items.update(ucns_verno="1")
    gb.pass_inventory(actor_a, inv)
    after = {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}
    assert before[5] - after[5].balance == 10  # 版本1: 净耗 1, no loss (版本2 would take 70)
    kept = {m: (r.consumed, r.reserved) for m, r in after.items()}
    services.recompute_balances(book)
    assert {r.gds_seqno: (r.consumed, r.reserved) for r in services.balances(actor_a, book.pk)} == kept


def test_book_returned_by_customs_marks_its_version_returned_receipts_ems(actor_a):
    """services/receipts.py ``_ems`` (a 退单 or 导入失败 of a book updates the BookVersion of its
    变更次数; receipts.md §7: EMS2xx share HdeApprResult, manageResult 3 退单 as INV201 §3): the
    version the 申报 kept (已申报) becomes 海关退单 with the book."""
    book = services.declare_book(actor_a, gb.draft_book(actor_a).pk)
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(book.etps_preent_no, seq))
    assert BookVersion.objects.get(book=book, chg_tms_cnt=0).status == Status.DECLARED
    services.apply_sas_receipt(gb.ems_receipt("EMS211", seq, "3", lines=("[9104] 料件第1项 商品编码, 退单",)))
    book.refresh_from_db()
    assert book.status == Status.REJECTED
    assert BookVersion.objects.get(book=book, chg_tms_cnt=0).status == Status.REJECTED


def test_inv201_by_list_number_goes_to_the_latest_list_receipts_inventory(actor_a, book):
    """services/receipts.py ``_inventory`` (module doc: INV201 by 预录入统一编号, else 清单编号; a
    list's 变更 keeps the 清单编号, so the latest list holding the number is the one in force;
    receipts.md §3 businessId = 清单编号): with two lists carrying the same 清单编号 and a receipt
    whose 预录入统一编号 names neither, the newer list moves and the older is left alone."""
    older, _ = _declared(actor_a, book, "I", [(1, 10)])
    newer, _ = _declared(actor_a, book, "I", [(2, 10)])
    number = sas.make_bond_invt_no("9001", 2024, "I", 80)
    Inventory.objects.filter(pk__in=[older.pk, newer.pk]).update(bond_invt_no=number)
    receipt = services.apply_sas_receipt(gb.inv201(gb.seq_no(), "1", number))
    assert receipt.inventory_id == newer.pk
    older.refresh_from_db()
    newer.refresh_from_db()
    assert newer.status == Status.VERIFIED and older.status == Status.DECLARED


def _pending(actor, book, inner_no: str) -> Inventory:
    """A list declared (已申报) and not answered yet, with 企业内部编号 ``inner_no``."""
    inv = services.declare_inventory(actor, services.create_inventory(actor, gb.inventory_data(book, "I",
                                                                                               [(1, 10)])).pk)
    Inventory.objects.filter(pk=inv.pk).update(etps_inner_invt_no=inner_no)
    inv.refresh_from_db()
    return inv


def test_failed_response_naming_two_pending_lists_is_refused_receipts_common(actor_a, book):
    """services/receipts.py ``_common`` (module doc: a CommonResponeMessage without 预录入统一编号 is
    the document "sent and not yet answered whose 企业内部编号 it echoes"; receipts.md §1: SeqNo is
    absent when the import is rejected): when exactly two such lists carry the 企业内部编号 the
    receipt is refused (多份待回执的单据) and neither list moves."""
    first = _pending(actor_a, book, "GW-SAME-1")
    second = _pending(actor_a, book, "GW-SAME-1")
    with pytest.raises(ReceiptError, match="企业内部编号GW-SAME-1对应多份待回执的单据"):
        services.apply_sas_receipt(gb.common_response("GW-SAME-1", ok=False))
    assert {i.status for i in Inventory.objects.filter(pk__in=[first.pk, second.pk])} == {Status.DECLARED}
    assert not ProcessingReceipt.objects.filter(inventory__in=[first, second]).exists()


def test_response_by_inner_number_matches_only_a_list_sent_and_not_answered_receipts_common(actor_a, book):
    """services/receipts.py ``_common`` (module doc: by 企业内部编号 only "the one sent and not yet
    answered": 已发送/已申报 and no 预录入统一编号 yet; receipts.md §1 EtpsPreentNo = EtpsInnerInvtNo):
    of three lists with the same 企业内部编号 — one answered already (it has its 预录入统一编号), one
    still 暂存, one declared and unanswered — a failed response (no SeqNo) goes to the last only."""
    answered = _pending(actor_a, book, "GW-SAME-2")
    Inventory.objects.filter(pk=answered.pk).update(seq_no=gb.seq_no())
    draft = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 10)]))
    Inventory.objects.filter(pk=draft.pk).update(etps_inner_invt_no="GW-SAME-2")
    pending = _pending(actor_a, book, "GW-SAME-2")
    receipt = services.apply_sas_receipt(gb.common_response("GW-SAME-2", ok=False))
    assert receipt.inventory_id == pending.pk
    statuses = dict(Inventory.objects.filter(pk__in=[answered.pk, draft.pk, pending.pk]).values_list("pk", "status"))
    assert statuses == {answered.pk: Status.DECLARED, draft.pk: Status.DRAFT, pending.pk: Status.FAILED}
