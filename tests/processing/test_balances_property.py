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
from guanwu.processing.models import Inventory, MaterialBalance
from guanwu.processing.services.balances import COLUMNS
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


def _kept(book) -> dict[int, tuple[D, ...]]:
    """The kept rows, all-zero rows left out (the rebuild writes one per 料件, the incremental
    path only the 料件 a list moved)."""
    rows = {b.gds_seqno: tuple(getattr(b, c) for c in COLUMNS) for b in MaterialBalance.objects.filter(book=book)}
    return {m: values for m, values in rows.items() if any(values)}


def _rebuilt(book) -> dict[int, tuple[D, ...]]:
    """What the full rebuild gives, without keeping it (a savepoint rolled back)."""
    sid = transaction.savepoint()
    services.recompute_balances(book)
    rows = _kept(book)
    transaction.savepoint_rollback(sid)
    return rows


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
            # the incrementally kept rows are exactly what a full rebuild from the lines gives
            assert _kept(book) == _rebuilt(book)
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


def _declared_export(actor, book, product: int, qty: int) -> tuple[Inventory, str]:
    inv = services.create_inventory(actor, gb.inventory_data(book, "E", [(product, qty)]))
    inv = services.declare_inventory(actor, inv.pk)
    seq_no = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(inv.etps_inner_invt_no, seq_no))
    return inv, seq_no


def test_two_receipts_in_sequence_on_one_book_keep_both_deltas(actor_a, book):
    """Each receipt applies only its own list (the book row locked, then the rows read and
    upserted): the second receipt starts from what the first wrote, neither delta is lost."""
    imported = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000) for m in range(1, 6)]))
    imported = services.declare_inventory(actor_a, imported.pk)
    seq_no = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(imported.etps_inner_invt_no, seq_no))
    services.apply_sas_receipt(gb.inv201(seq_no, "1"))
    first, first_seq = _declared_export(actor_a, book, 1, 10)
    second, second_seq = _declared_export(actor_a, book, 2, 20)
    held = {m: r.reserved for m, r in ((r.gds_seqno, r) for r in services.balances(actor_a, book.pk))}
    expected_reserved = {m: D(0) for m in range(1, 6)}
    for (exg, img), u in UCNS.items():
        expected_reserved[img] += D(10 if exg == 1 else 20) * u
    assert held == {m: q.quantize(D("0.000000001")) for m, q in expected_reserved.items()}
    services.apply_sas_receipt(gb.inv201(first_seq, "1"))  # 通过(已核扣)
    services.apply_sas_receipt(gb.inv201(second_seq, "1"))
    rows = {r.gds_seqno: r for r in services.balances(actor_a, book.pk)}
    for m in range(1, 6):
        assert rows[m].reserved == 0
        assert abs(rows[m].consumed - expected_reserved[m]) <= TOLERANCE
        assert rows[m].imported == 1000
    assert _kept(book) == _rebuilt(book)
    assert set(Inventory.objects.filter(pk__in=[first.pk, second.pk]).values_list("balance_state", flat=True)) \
        == {"posted"}


def test_receipt_costs_one_list_not_the_whole_book(actor_a, book):
    """A receipt applies its own list's deltas; it does not rebuild the book (no delete of the
    kept rows)."""
    imported = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000) for m in range(1, 6)]))
    imported = services.declare_inventory(actor_a, imported.pk)
    seq_no = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(imported.etps_inner_invt_no, seq_no))
    services.apply_sas_receipt(gb.inv201(seq_no, "1"))
    kept_ids = set(MaterialBalance.objects.filter(book=book).values_list("pk", flat=True))
    _inv, seq = _declared_export(actor_a, book, 1, 5)
    services.apply_sas_receipt(gb.inv201(seq, "3"))  # 退单: released
    assert set(MaterialBalance.objects.filter(book=book).values_list("pk", flat=True)) == kept_ids
    assert all(r.reserved == 0 and r.consumed == 0 for r in services.balances(actor_a, book.pk))


def test_bom_version_used_by_a_counted_list_is_frozen(actor_a, book):
    """Consumption follows the 单耗版本号 the line was declared under (issue 15 §3): once a
    declared or passed export list uses a version, its 单耗 rows cannot be changed, added to or
    deleted (a new 单耗版本号 is the way), so the kept balances never need a rebuild after a BOM
    change and a 退单 releases exactly what the 申报 reserved."""
    imported = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000) for m in range(1, 6)]))
    imported = services.declare_inventory(actor_a, imported.pk)
    seq_no = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(imported.etps_inner_invt_no, seq_no))
    services.apply_sas_receipt(gb.inv201(seq_no, "1"))
    _declared_export(actor_a, book, 1, 5)
    book = services.start_change(actor_a, book.pk)
    line = book.boms.get(endprd_seqno=1, mtpck_seqno=1, ucns_verno="1")
    row = {"endprd_seqno": 1, "mtpck_seqno": 1, "ucns_verno": "1", "net_useup_qty": "2",
           "tgbl_loss_rate": "0", "intgb_loss_rate": "0"}
    with pytest.raises(ServiceError) as exc:
        services.save_book_line(actor_a, book.pk, "boms", row, line.pk)
    assert "单耗版本号1已被申报或核扣的核注清单使用" in exc.value.errors[0].message
    with pytest.raises(ServiceError):
        services.delete_book_lines(actor_a, book.pk, "boms", [line.pk])
    with pytest.raises(ServiceError):
        services.import_book_lines(actor_a, book.pk, "boms", [row | {"mtpck_seqno": 4}])
    # product 2 has no list yet: its version stays editable; a new version of product 1 is fine
    other = book.boms.get(endprd_seqno=2, mtpck_seqno=2, ucns_verno="1")
    services.save_book_line(actor_a, book.pk, "boms", {"endprd_seqno": 2, "mtpck_seqno": 2, "ucns_verno": "1",
                                                       "net_useup_qty": "2.2", "tgbl_loss_rate": "4",
                                                       "intgb_loss_rate": "1"}, other.pk)
    services.save_book_line(actor_a, book.pk, "boms", row | {"ucns_verno": "2"})
    assert _kept(book) == _rebuilt(book)
