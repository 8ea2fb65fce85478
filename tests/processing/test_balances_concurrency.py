"""Two receipts (or two 申报) on one 账册 at the same time, each in its own thread, connection and
transaction (PostgreSQL): the kept 料件余额 lose no update and never go negative.

The rule (services/balances.py, ``apply_list``; issue 15 §3 Balances): every change of a list's
balance state applies the list's own per-料件 quantities to the kept ``MaterialBalance`` rows
with the book row locked first (``select_for_update``), so two receipts of the same book apply
one after the other and neither delta is lost; ``declare_inventory`` takes the same lock before
``check_balances``, so two lists that each fit but together overdraw cannot both be declared.

Each test holds every thread inside ``apply_list`` / ``check_balances`` for a moment (after the
lock is taken, before the kept rows are read): without the book lock both threads read the same
rows and the second upsert overwrites the first (the lost update this proves absent).

Runs when the tests use PostgreSQL (``DATABASE_URL=postgres://...``; CI's PostgreSQL pass sets
``GUANWU_TEST_REQUIRE=...,postgres``, so a skip there fails). SQLite serialises writers, so there
the question does not arise and the tests skip (the ``postgres`` marker, tests/conftest.py)."""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import connection, connections, transaction

from guanwu.core.errors import ServiceError
from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import BalanceState, Inventory
from tests.messages.sas import garment as g

from . import garment_book as gb

# the modules (the package re-exports functions of the same names)
balance_rules = importlib.import_module("guanwu.processing.services.balances")
inventories = importlib.import_module("guanwu.processing.services.inventories")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

UCNS = {(exg, img): sas.ucns_qty(net, tgbl, intgb) for exg, img, net, tgbl, intgb in g.BOM}
HOLD = 0.4  # seconds each thread waits inside the locked section


def _slowed(monkeypatch: pytest.MonkeyPatch, name: str, module: Any = balance_rules) -> None:
    """Make ``<module>.<name>`` (called with the book row locked, before the kept rows are read)
    wait, so that the two threads are inside the section at the same time unless the lock
    serialises them."""
    original = getattr(module, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(HOLD)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def _in_parallel(*jobs: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run the jobs in threads (own connection each), started together; their results and errors."""
    results: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(job())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    return results, errors


def _declared(actor, book, ie: str, lines: list[tuple[int, int]]) -> tuple[Inventory, str]:
    """A list declared and given its 预录入统一编号 by the client's response; its seq_no."""
    inv = services.create_inventory(actor, gb.inventory_data(book, ie, lines))
    inv = services.declare_inventory(actor, inv.pk)
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(inv.etps_inner_invt_no, seq))
    return inv, seq


def _rows(actor, book) -> dict[int, Any]:
    return {r.gds_seqno: r for r in services.balances(actor, book.pk)}


def _kept_equals_rebuild(book) -> None:
    kept = _snapshot(book)
    with transaction.atomic():
        services.recompute_balances(book)
    assert _snapshot(book) == kept


def _snapshot(book) -> dict[int, tuple[D, ...]]:
    from guanwu.processing.models import MaterialBalance

    rows = {b.gds_seqno: tuple(getattr(b, c) for c in balance_rules.COLUMNS)
            for b in MaterialBalance.objects.filter(book=book)}
    return {m: values for m, values in rows.items() if any(values)}


def test_apply_list_parallel_inv201_receipts_on_one_book_lose_no_update_balances_py(actor_a, monkeypatch):
    """services/balances.py apply_list (book row locked first): two INV201 通过 receipts of two
    import lists of the same 料件 applied at once both count (imported = the sum, no row
    overwritten by the other's upsert), then two export lists' receipts at once both consume."""
    assert connection.vendor == "postgresql"
    book = gb.approved_book(actor_a)
    first, first_seq = _declared(actor_a, book, "I", [(m, 600) for m in range(1, 6)])
    second, second_seq = _declared(actor_a, book, "I", [(m, 400) for m in range(1, 6)])
    assert _snapshot(book) == {}  # an import list reserves nothing: no kept row exists yet
    _slowed(monkeypatch, "_demand_of_lines")

    _results, errors = _in_parallel(lambda: services.apply_sas_receipt(gb.inv201(first_seq, "1")),
                                    lambda: services.apply_sas_receipt(gb.inv201(second_seq, "1")))
    assert not errors, errors
    assert set(Inventory.objects.filter(pk__in=[first.pk, second.pk]).values_list("balance_state", flat=True)) \
        == {BalanceState.POSTED}
    rows = _rows(actor_a, book)
    assert {m: rows[m].imported for m in range(1, 6)} == {m: D(1000) for m in range(1, 6)}

    monkeypatch.undo()
    exports = [_declared(actor_a, book, "E", [(1, 10)]), _declared(actor_a, book, "E", [(2, 20)])]
    expected = {m: D(0) for m in range(1, 6)}
    for (exg, img), u in UCNS.items():
        expected[img] += (D(10) if exg == 1 else D(20)) * u
    _slowed(monkeypatch, "_demand_of_lines")
    _results, errors = _in_parallel(*(lambda seq=seq: services.apply_sas_receipt(gb.inv201(seq, "1"))
                                      for _inv, seq in exports))
    assert not errors, errors
    monkeypatch.undo()
    rows = _rows(actor_a, book)
    for m in range(1, 6):
        assert rows[m].reserved == 0
        assert abs(rows[m].consumed - expected[m]) <= D("0.000000001")
        assert rows[m].imported == 1000
        assert rows[m].balance >= 0
    _kept_equals_rebuild(book)


def test_apply_list_parallel_release_and_post_on_one_book_lose_no_update_balances_py(actor_a, monkeypatch):
    """services/balances.py apply_list: a 退单 (INV201 3, reserved -> released) and a 通过 (reserved
    -> posted) of two export lists of the same 料件 at once: the first gives its reservation back,
    the second moves its own to consumed; neither delta is lost and no balance goes negative."""
    book = gb.approved_book(actor_a)
    imported = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 100) for m in range(1, 6)]))
    gb.pass_inventory(actor_a, imported)
    _returned, returned_seq = _declared(actor_a, book, "E", [(1, 5)])
    _passed, passed_seq = _declared(actor_a, book, "E", [(1, 7)])
    _slowed(monkeypatch, "_demand_of_lines")
    _results, errors = _in_parallel(lambda: services.apply_sas_receipt(gb.inv201(returned_seq, "3")),
                                    lambda: services.apply_sas_receipt(gb.inv201(passed_seq, "1")))
    assert not errors, errors
    monkeypatch.undo()
    rows = _rows(actor_a, book)
    for (exg, img), u in UCNS.items():
        if exg != 1:
            continue
        assert rows[img].reserved == 0
        assert abs(rows[img].consumed - D(7) * u) <= D("0.000000001")
        assert rows[img].balance == rows[img].imported - rows[img].consumed
        assert rows[img].balance >= 0
    _kept_equals_rebuild(book)


def test_parallel_declarations_never_overdraw_a_material_balances_py(actor_a, monkeypatch):
    """services/balances.py check_balances (run with the book locked: declare_inventory takes the
    lock first): two export lists that each fit the 料件余额 but together overdraw it, declared
    at the same moment: exactly one is declared, the other refused with 余量不足, and the balance
    stays >= 0."""
    book = gb.approved_book(actor_a)
    imported = services.create_inventory(actor_a, gb.inventory_data(book, "I", [(m, 1000) for m in range(1, 6)]))
    gb.pass_inventory(actor_a, imported)
    # the most 成品1 one list can take: the 料件 that runs out first
    fits = min(D(1000) / u for (exg, _img), u in UCNS.items() if exg == 1)
    qty = int(fits * D("0.7"))  # each alone fits, the two together do not
    assert qty >= 1 and 2 * qty > fits
    lists = [services.create_inventory(actor_a, gb.inventory_data(book, "E", [(1, qty)])) for _ in range(2)]
    _slowed(monkeypatch, "check_balances", inventories)  # declare_inventory calls it with the book locked

    results, errors = _in_parallel(*(lambda pk=inv.pk: services.declare_inventory(actor_a, pk) for inv in lists))
    monkeypatch.undo()
    assert len(results) == 1 and len(errors) == 1, (results, errors)
    assert isinstance(errors[0], ServiceError)
    assert "余量不足" in str([e.message for e in errors[0].errors])
    states = sorted(Inventory.objects.filter(pk__in=[i.pk for i in lists]).values_list("balance_state", flat=True))
    assert states == sorted([BalanceState.RESERVED, BalanceState.NONE])
    for row in _rows(actor_a, book).values():
        assert row.balance >= 0
    _kept_equals_rebuild(book)
