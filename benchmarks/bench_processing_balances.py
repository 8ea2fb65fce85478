#!/usr/bin/env python3
"""Balances of a big account book (issue 15, bench_processing part (b), the service side):

    .venv/bin/python benchmarks/bench_processing_balances.py [--materials 2000] [--products 10000]
        [--per-product 50] [--lines 100000] [--check-lines 1000]

A book with ``materials`` 料件, ``products`` 成品 of ``per-product`` 料件 each (单损耗), import
lists posting every material and export lists (1,000 lines each) posted, ``lines`` list lines in
all, written with bulk inserts (not timed; with ``GUANWU_BENCH_DIR`` set to a directory of an
earlier run the set-up is reused). Timed: ``recompute_balances`` (target <= 2 s on
SQLite), ``check_balances`` of one new ``check-lines``-line export list (target <= 200 ms) and
``apply_list`` of that list (what one 申报 or receipt costs the balances).
"""

from __future__ import annotations

import argparse
import time
from decimal import Decimal


def build(args: argparse.Namespace):
    """The book and its lists, written with bulk inserts (not timed)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from guanwu.processing.models import (
        BalanceState,
        Book,
        BookBom,
        BookMaterial,
        BookProduct,
        Inventory,
        InventoryItem,
        Movement,
        Status,
    )
    from guanwu.tenancy.models import Enterprise

    ent = Enterprise.objects.create(name="基准企业", customs_code="6101940002", scc="91610131MA6TXG0021")
    user = get_user_model().objects.create_user(username="bench", password="x-bench-pass-1")
    t0 = time.perf_counter()
    with transaction.atomic():
        book = Book.objects.create(enterprise=ent, created_by=user, status=Status.APPROVED, ems_no="E90012400001",
                                   master_cuscd="9001")
        BookMaterial.objects.bulk_create(
            [BookMaterial(enterprise=ent, book=book, gds_seqno=m, gds_nm=f"料件{m}", dcl_unitcd="035", modf_markcd="0")
             for m in range(1, args.materials + 1)], batch_size=2000)
        BookProduct.objects.bulk_create(
            [BookProduct(enterprise=ent, book=book, gds_seqno=p, gds_nm=f"成品{p}", dcl_unitcd="011", modf_markcd="0")
             for p in range(1, args.products + 1)], batch_size=2000)
        boms = []
        for p in range(1, args.products + 1):
            for k in range(args.per_product):
                m = (p * 7 + k * 37) % args.materials + 1
                boms.append(BookBom(enterprise=ent, book=book, g_seqno=len(boms) + 1, endprd_seqno=p, mtpck_seqno=m,
                                    ucns_verno="1", net_useup_qty=Decimal("0.01"), ucns_qty=Decimal("0.010101010"),
                                    modf_markcd="0"))
            if len(boms) >= 50_000:
                BookBom.objects.bulk_create(boms, batch_size=5000, ignore_conflicts=True)
                boms = []
        BookBom.objects.bulk_create(boms, batch_size=5000, ignore_conflicts=True)
        lines_left, n = args.lines, 0

        def new_list(movement: str, ie: str) -> Inventory:
            nonlocal n
            n += 1
            return Inventory.objects.create(enterprise=ent, book=book, putrec_no=book.ems_no, impexp_markcd=ie,
                                            mtpck_endprd_markcd=ie, movement=movement, status=Status.VERIFIED,
                                            balance_state=BalanceState.POSTED, etps_inner_invt_no=f"B{n}")

        imports = max(1, args.materials // 1000)
        for i in range(imports):
            inv = new_list(Movement.IMPORT, "I")
            InventoryItem.objects.bulk_create(
                [InventoryItem(enterprise=ent, inventory=inv, gds_seqno=j + 1, putrec_seqno=m,
                               dcl_qty=Decimal(1_000_000))
                 for j, m in enumerate(range(i * 1000 + 1, min(args.materials, (i + 1) * 1000) + 1))])
            lines_left -= 1000
        while lines_left > 0:
            inv = new_list(Movement.EXPORT, "E")
            size = min(1000, lines_left)
            InventoryItem.objects.bulk_create(
                [InventoryItem(enterprise=ent, inventory=inv, gds_seqno=j + 1,
                               putrec_seqno=(n * 1000 + j) % args.products + 1, ucns_verno="1", dcl_qty=Decimal(3))
                 for j in range(size)], batch_size=1000)
            lines_left -= size
        check = Inventory.objects.create(enterprise=ent, book=book, putrec_no=book.ems_no, impexp_markcd="E",
                                         mtpck_endprd_markcd="E", movement=Movement.EXPORT, status=Status.DRAFT,
                                         etps_inner_invt_no="CHECK")
        InventoryItem.objects.bulk_create(
            [InventoryItem(enterprise=ent, inventory=check, gds_seqno=j + 1, putrec_seqno=j % args.products + 1,
                           ucns_verno="1", dcl_qty=Decimal(2)) for j in range(args.check_lines)])
    print(f"set-up: {time.perf_counter() - t0:.1f} s ({BookBom.objects.count()} BOM rows, "
          f"{InventoryItem.objects.count()} list lines)")
    return book, check


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--materials", type=int, default=2000)
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--per-product", type=int, default=50)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--check-lines", type=int, default=1000)
    args = parser.parse_args()

    from _setup import django_setup

    django_setup(load_params=False)
    from django.db import transaction

    from guanwu.processing.models import Book, Inventory, InventoryItem
    from guanwu.processing.services.balances import apply_list, check_balances, recompute_balances

    book = Book.objects.filter(ems_no="E90012400001").first()
    check = Inventory.objects.filter(book=book, etps_inner_invt_no="CHECK").first() if book else None
    if book is None or check is None:
        book, check = build(args)
    else:
        print(f"set-up reused from GUANWU_BENCH_DIR ({InventoryItem.objects.count()} list lines)")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        with transaction.atomic():
            rows = recompute_balances(book)
        times.append(time.perf_counter() - t)
    print(f"recompute_balances: {rows} rows, best {min(times):.3f} s, worst {max(times):.3f} s (target <= 2 s)")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        errors = check_balances(check)
        times.append(time.perf_counter() - t)
    print(f"check_balances ({args.check_lines} lines): {len(errors)} errors, best {min(times) * 1000:.0f} ms, "
          f"worst {max(times) * 1000:.0f} ms (target <= 200 ms)")

    times = []
    for _ in range(5):
        with transaction.atomic():
            t = time.perf_counter()
            written = apply_list(check, "none", "reserved")  # what a 申报 / receipt of that list now costs
            times.append(time.perf_counter() - t)
            transaction.set_rollback(True)
    print(f"apply_list ({args.check_lines} lines, one state change): {written} rows, best {min(times) * 1000:.0f} ms, "
          f"worst {max(times) * 1000:.0f} ms (was a full recompute per state change)")


if __name__ == "__main__":
    main()
