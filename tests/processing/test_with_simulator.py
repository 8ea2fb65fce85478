"""End to end through the gateway and the customs simulator (simulator/families/sas.py): the
book 申报 -> CommonResponeMessage -> EMS211 with the 账册编号; lists -> INV201 (and INV202 with the
报关单 draft), each receipt applied by the handlers registered for its root."""

from __future__ import annotations

import datetime as dt

import pytest

from guanwu.declarations.models import Declaration
from guanwu.gateway.services import flush_outbox, poll_inbox
from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import BalanceState, Book, Inventory, Status
from guanwu.simulator import engine

from . import garment_book as gb

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 11, 5, 2, 0, tzinfo=dt.UTC)


def exchange() -> None:
    flush_outbox()
    engine.run_until_idle(now=NOW)
    poll_inbox()


def test_book_and_lists_through_the_simulator(actor_a):
    book = gb.draft_book(actor_a)
    services.declare_book(actor_a, book.pk)
    exchange()
    book = Book.objects.get(pk=book.pk)
    assert book.status == Status.APPROVED, list(book.receipts.values_list("message_type", "rmk", "check_infos"))
    assert sas.is_ems_no(book.ems_no) and book.seq_no
    imp = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(1, 5000), (3, 20000), (5, 2000)]))
    services.declare_inventory(actor_a, imp.pk)
    exchange()
    imp = Inventory.objects.get(pk=imp.pk)
    assert imp.balance_state == BalanceState.POSTED, list(imp.receipts.values_list("message_type", "rmk"))
    assert sas.is_bond_invt_no(imp.bond_invt_no)
    assert imp.declaration_id is not None  # INV202: the 报关单 draft
    assert Declaration.objects.get(pk=imp.declaration_id).manual_no == book.ems_no
    exp = services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, 100)]))
    services.declare_inventory(actor_a, exp.pk)
    exchange()
    exp = Inventory.objects.get(pk=exp.pk)
    assert exp.balance_state == BalanceState.POSTED, list(exp.receipts.values_list("message_type", "rmk"))
    rows = {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}
    assert rows[1].consumed > 0 and rows[1].balance == rows[1].imported - rows[1].consumed
