"""Rules of the 加工贸易 receipts that mutation testing found unguarded (scripts/mutate.py,
modules ``balances`` and ``sas_receipts``): each test names the rule and where it is written.

Source of the statuses: ``messages/sas/data/codes.csv`` (inv201_manage_result, vrfded_markcd;
receipts.md §3) and ``services/receipts.py`` (``_moves``: a receipt moves a document that is
with customs to a status not behind its own)."""

from __future__ import annotations

import pytest

from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import BalanceState, Status

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
