#!/usr/bin/env python3
"""The declaration page with 50 items and the declarations list with 100k rows (SQLite).

    .venv/bin/python benchmarks/bench_declaration_pages.py [--rows 100000] [--requests 50]

Server side through Django's test client (no network, no browser): time per request and
query count. The entry page is measured with 5 and with 50 goods items to show the query
count does not grow with the items. The list page is measured on the first page, a later
page, and with the usual filters (status, I/E, date range, bill no., trade company).
Targets: entry page <= 150 ms with a query count independent of the item count; list p95
<= 150 ms on 100k declarations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from decimal import Decimal

from _setup import demo_actor, django_setup, percentile


def make_items(declaration, n: int) -> None:
    from guanwu.declarations.models import DeclarationItem

    DeclarationItem.objects.filter(declaration=declaration).delete()
    DeclarationItem.objects.bulk_create([
        DeclarationItem(
            declaration=declaration, g_no=g, code_ts="6109100010", g_name=f"棉制针织T恤衫 款{g}",
            g_model=f"0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-{g:03d}|无|无|无",
            g_qty=Decimal(100 + g), g_unit="011", first_qty=Decimal(100 + g), first_unit="011",
            second_qty=Decimal(20 + g), second_unit="035", decl_price=Decimal("3.85"),
            decl_total=Decimal("3.85") * (100 + g), trade_curr="USD", origin_country="DEU",
            destination_country="CHN", district_code="61019", duty_mode="1",
        )
        for g in range(1, n + 1)
    ])


def fill_list(actor, rows: int) -> None:
    from guanwu.declarations.models import Declaration, DeclarationStatus

    have = Declaration.objects.for_enterprise(actor.enterprise).count()
    statuses = [s for s, _ in DeclarationStatus.choices]
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    batch = []
    for n in range(have, rows):
        ie = "I" if n % 3 else "E"
        batch.append(Declaration(
            enterprise=actor.enterprise, ie_flag=ie, status=rng.choice(statuses), trade_mode="0110",
            trade_name=f"客户{n % 500:03d}进出口有限公司", trade_code=f"61019{n % 500:05d}",
            bill_no=f"BILL{n:010d}", custom_master="2248", seq_no=f"{n:018d}",
            entry_id=f"2248{2026}{0 if ie == 'E' else 1}{n:09d}", client_seq_no=f"6101930001{n:08d}",
            declared_at=now - dt.timedelta(minutes=10 * n),  # spread over two years
        ))
        if len(batch) == 5000:
            Declaration.objects.bulk_create(batch)
            batch = []
    Declaration.objects.bulk_create(batch)


def timed(client, url: str, n: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    status = 0
    queries = 0
    for i in range(n):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
        if i == 0:
            queries = len(ctx.captured_queries)
    return times, queries, status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    django_setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", "--noinput", verbosity=0)  # production serves hashed static files

    from guanwu.declarations import services
    from guanwu.declarations.demo import demo_payloads

    actor = demo_actor()
    client = Client()
    client.force_login(actor.user)
    decl = services.create_draft(actor, demo_payloads(actor.enterprise)[0][1])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for n_items in (5, 50):
        make_items(decl, n_items)
        times, queries, status = timed(client, f"/declarations/{decl.pk}/", args.requests)
        print(f"entry page, {n_items:2d} items: p50 {percentile(times, 50):6.1f} ms  "
              f"p95 {percentile(times, 95):6.1f} ms  queries {queries}  (HTTP {status})")
    times, queries, status = timed(client, f"/declarations/{decl.pk}/print/", args.requests)
    print(f"print view, 50 items:  p50 {percentile(times, 50):6.1f} ms  p95 {percentile(times, 95):6.1f} ms"
          f"  queries {queries}  (HTTP {status})")

    start = time.perf_counter()
    fill_list(actor, args.rows)
    print(f"list: {args.rows} declarations generated in {time.perf_counter() - start:.1f} s")
    today = dt.date.today()
    urls = {
        "first page": "/declarations/",
        "page 500": "/declarations/?page=500",
        "status + I/E": "/declarations/?status=released&ie_flag=I",
        "date range": f"/declarations/?declared_from={today - dt.timedelta(days=30)}&declared_to={today}",
        "bill no.": "/declarations/?bill_no=BILL0000054321",
        "trade company": "/declarations/?trade=客户042",
        "sorted by 申报时间": "/declarations/?sort=-declared_at",
    }
    all_times = []
    for label, url in urls.items():
        times, queries, status = timed(client, url, args.requests)
        if label != "page 500":  # a deep OFFSET is reported on its own line
            all_times += times
        print(f"list {label:18s} p50 {percentile(times, 50):6.1f} ms  p95 {percentile(times, 95):6.1f} ms"
              f"  queries {queries}  (HTTP {status})")
    print(f"list, all but page 500: p95 {percentile(all_times, 95):6.1f} ms (target <= 150 ms)")


if __name__ == "__main__":
    main()
