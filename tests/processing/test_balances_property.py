"""Balances under any sequence of lists (issue 15 §3 Balances): imports, exports through the BOM,
returns (料件退运) and domestic sales (内销), each passed, returned (退单) or left pending. After
every step each 料件's balance equals the sum of its movements (an independent model in exact
decimals), a list is refused exactly when it would overdraw, and no balance is ever negative."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanwu.core.errors import ServiceError
from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import Inventory
from tests.messages.sas import garment as g

from . import garment_book as gb

pytestmark = pytest.mark.django_db

UCNS = {(exg, img): sas.ucns_qty(net, tgbl, intgb) for exg, img, net, tgbl, intgb in g.BOM}
TOLERANCE = D("0.00000001")  # SQLite sums in binary floating point; PostgreSQL is exact

step = st.one_of(
    st.tuples(st.just("import"), st.integers(1, 5), st.integers(1, 400)),
    st.tuples(st.just("export"), st.integers(1, 2), st.integers(1, 60)),
    st.tuples(st.just("return"), st.integers(1, 5), st.integers(1, 150)),
    st.tuples(st.just("domestic"), st.integers(1, 5), st.integers(1, 150)),
).flatmap(lambda op: st.tuples(st.just(op), st.sampled_from(["pass", "reject", "pending"])))


def _data(book, kind: str, seq: int, qty: int) -> dict:
    if kind == "import":
        return gb.inventory_data(book, "I", [(seq, qty)])
    if kind == "export":
        return gb.inventory_data(book, "E", [(seq, qty)])
    if kind == "return":
        return gb.inventory_data(book, "E", [(seq, qty)], mtpck_endprd_markcd="I", supv_modecd="0664")
    return gb.inventory_data(book, "I", [(seq, qty)], supv_modecd="0644")


def _demand(kind: str, seq: int, qty: int) -> dict[int, D]:
    if kind == "import":
        return {}
    if kind == "export":
        return {img: D(qty) * u for (exg, img), u in UCNS.items() if exg == seq}
    return {seq: D(qty)}


@pytest.fixture
def book(actor_a):
    return gb.approved_book(actor_a)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_balance_is_the_sum_of_movements_and_never_negative(actor_a, book, steps):
    with transaction.atomic():
        model = {m: {"imported": D(0), "used": D(0), "reserved": D(0)} for m in range(1, 6)}
        for (kind, seq, qty), outcome in steps:
            inv = services.create_inventory(actor_a, _data(book, kind, seq, qty))
            demand = _demand(kind, seq, qty)
            available = {m: r["imported"] - r["used"] - r["reserved"] for m, r in model.items()}
            overdraws = any(q.quantize(D("0.000000001")) > available[m] for m, q in demand.items())
            try:
                inv = services.declare_inventory(actor_a, inv.pk)
            except ServiceError as exc:
                assert overdraws, exc.errors
                assert all(e.field.startswith("items.0.") for e in exc.errors)
            else:
                assert not overdraws
                for m, q in demand.items():
                    model[m]["reserved"] += q
                if outcome != "pending":
                    seq_no = gb.seq_no()
                    services.apply_sas_receipt(gb.common_response(inv.etps_inner_invt_no, seq_no))
                    services.apply_sas_receipt(gb.inv201(seq_no, "1" if outcome == "pass" else "3"))
                    for m, q in demand.items():
                        model[m]["reserved"] -= q
                        if outcome == "pass":
                            model[m]["used"] += q
                    if outcome == "pass" and kind == "import":
                        model[seq]["imported"] += D(qty)
            rows = {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}
            for m, expected in model.items():
                row = rows[m]
                used = row.consumed + row.returned + row.domestic_sold
                assert row.imported == expected["imported"]
                assert abs(used - expected["used"]) <= TOLERANCE
                assert abs(row.reserved - expected["reserved"]) <= TOLERANCE
                assert row.balance == row.imported - used - row.reserved
                assert row.balance >= -TOLERANCE
        # the kept rows are what a full recompute from the lines gives
        before = [(r.gds_seqno, r.imported, r.consumed, r.returned, r.domestic_sold, r.reserved)
                  for r in services.balances(actor_a, book.pk)]
        services.recompute_balances(book)
        after = [(r.gds_seqno, r.imported, r.consumed, r.returned, r.domestic_sold, r.reserved)
                 for r in services.balances(actor_a, book.pk)]
        assert before == after
        transaction.set_rollback(True)
    assert not Inventory.objects.filter(book=book).exists()
