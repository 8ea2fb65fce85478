"""``guanwu demo`` gives enterprise A a garment account book approved by customs, an import list
released, an export list released with its consumption, a list refused for overdraw and a book
change pending (issue 15, Demo)."""

from __future__ import annotations

import pytest

from guanwu.core.demo import create_demo
from guanwu.processing import services
from guanwu.processing.models import Book, Inventory
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_processing(django_capture_on_commit_callbacks):
    messages: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):
        enterprises, users = create_demo(say=messages.append)
    ent = enterprises["a"]
    book = Book.objects.for_enterprise(ent).get(etps_preent_no="DEMO-GARMENT")
    assert book.ems_no and book.change_pending, [m for m in messages if "加工" in m]
    assert book.materials.count() == 5 and book.products.count() == 2 and book.boms.count() == 7
    lists = Inventory.objects.for_enterprise(ent).order_by("id")
    imported, exported, overdraw = lists
    assert imported.bond_invt_no and imported.balance_state == "posted"
    assert exported.bond_invt_no and exported.balance_state == "posted"
    assert overdraw.status == "draft" and overdraw.balance_state == "none"
    actor = Actor.for_membership(Membership.objects.get(enterprise=ent, user=users["a_admin"]))
    rows = {r.gds_seqno: r for r in services.balances(actor, book.pk)}
    assert rows[1].imported == 6000 and rows[1].consumed > 0 and rows[1].balance > 0
    assert all(r.balance >= 0 for r in rows.values())
    create_demo(say=lambda _: None)  # idempotent
    assert Book.objects.for_enterprise(ent).count() == 1
