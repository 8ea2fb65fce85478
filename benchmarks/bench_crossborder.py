#!/usr/bin/env python3
"""跨境电商 B2B 出口 (issue 16) benchmarks, one section each:

    .venv/bin/python benchmarks/bench_crossborder.py [--part a|b|c|all] [--messages 2000] [--lines 10]

- (a) import of 10,000 orders (20,000 lines) from Excel, target <= 10 s: the platform's template
  layout (表头/表体), through ``imports.services.start_import`` and the job handler in this process
  (``--orders`` to change the count);
- (b) build + official-XSD validation of CEB603 export lists with ``--lines`` (10) goods lines
  each, messages/s on one core, target >= 300/s (pure message layer, no database: the records
  of ``bench_ceb_messages.make_messages``, ``build_ceb603`` then ``validate_ceb`` against the
  official 202205 export XSD, compiled once per process);
- (c) 1,000 lists from submit to 放行 through the gateway and the simulator with zero delay,
  target <= 60 s: their orders are imported and taken by customs first (untimed); timed from
  ``submit_lists`` (CEB603 built, XSD-validated, in the outbox) through the simulator's rounds
  (taken, 运单, 审结, 运抵, 放行, 离境, 结关) to every receipt applied by the gateway
  (``--lists`` to change the count, ``--profile`` for a cProfile of the round).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

TARGET_B = 300  # messages/s


# (a) --------------------------------------------------------------------------- Excel import

TARGET_A = 10.0  # seconds for 10,000 orders (20,000 lines)
TARGET_C = 60.0  # seconds for 1,000 lists from 提交海关 to 放行

_ready: dict = {}


def _django() -> None:
    """Django on a fresh data dir (benchmarks/_setup.py), once per process."""
    if _ready:
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _setup import django_setup

    _ready["dir"] = django_setup()


def _actor(tag: str):
    """An enterprise of its own for the part, set up for 跨境 (企业简码, 物流简码 SF)."""
    from guanwu.crossborder.models import CrossborderSettings, LogisticsCompany
    from guanwu.tenancy.context import Actor
    from guanwu.tenancy.models import Enterprise, Membership, Role
    from guanwu.tenancy.validators import uscc_check_char

    code = {"a": "6101970001", "c": "6101970003"}[tag]
    scc17 = f"91610131MA{code[-7:]}"
    ent = Enterprise.objects.create(name=f"基准企业{tag}", customs_code=code, scc=scc17 + uscc_check_char(scc17))
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username=f"bench_{tag}_{code}")
    Membership.objects.create(user=user, enterprise=ent, role=Role.ADMIN, is_active=True)
    CrossborderSettings.objects.create(enterprise=ent, short_code="BENCH", customs_code="9001", port_code="9001",
                                       dxp_id="DXPENT0000000001")
    LogisticsCompany.objects.create(enterprise=ent, short_code="SF", logistics_code="4403180001",
                                    logistics_name="顺丰速运有限公司")
    return Actor(user=user, enterprise=ent, role=Role.ADMIN)


def order_file(orders: int, lines_per_order: int) -> bytes:
    """An order file in the platform's template layout (表头 / 表体 tied by 订单序号)."""
    import io

    import xlsxwriter

    from guanwu.imports.spec import get_spec

    spec = get_spec("crossborder-orders-9710")
    head_sheet, line_sheet = spec.sheets()[0], spec.sheets()[1]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    heads = book.add_worksheet(head_sheet.sheet_name)
    heads.write_row(0, 0, [c.marked_header for c in head_sheet.columns])
    values = {"订单编号": None, "电商平台代码": "6101960001", "电商平台名称": "西安跨境B2B平台", "币制": "502"}
    head_cols = [c.header for c in head_sheet.columns]
    for n in range(1, orders + 1):
        row = [n if h == head_sheet.link else (f"SO{n:09d}" if h == "订单编号" else values.get(h, ""))
               for h in head_cols]
        heads.write_row(n, 0, row)
    lines = book.add_worksheet(line_sheet.sheet_name)
    lines.write_row(0, 0, [c.marked_header for c in line_sheet.columns])
    line_cols = [c.header for c in line_sheet.columns]
    r = 1
    for n in range(1, orders + 1):
        for i in range(1, lines_per_order + 1):
            cell = {line_sheet.link: n, "序号": i, "企业商品货号": f"SKU{i:03d}", "企业商品名称": f"男式棉制针织T恤{i}",
                    "计量单位": "011", "数量": 10 * i, "单价": 2.5}
            lines.write_row(r, 0, [cell.get(h, "") for h in line_cols])
            r += 1
    book.close()
    return out.getvalue()


def part_a(args: argparse.Namespace) -> int:
    _django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from guanwu.crossborder.models import Order, OrderLine
    from guanwu.imports import services as imports
    from guanwu.jobs import services as jobs

    actor = _actor("a")
    data = order_file(args.orders, 2)
    batch_no = f"SF{timezone.localdate():%Y%m%d}BENCH01"
    print(f"(a) import of {args.orders:,} orders ({2 * args.orders:,} lines) from Excel ({len(data) / 1e6:.1f} MB)")
    t0 = time.perf_counter()
    job = imports.start_import(actor, "crossborder-orders-9710", SimpleUploadedFile("orders.xlsx", data),
                               "all_or_nothing", {"batch_no": batch_no})
    jobs.run(job.pk)  # the worker's code path, in this process
    elapsed = time.perf_counter() - t0
    job.refresh_from_db()
    saved = Order.objects.filter(enterprise=actor.enterprise).count()
    line_count = OrderLine.objects.filter(order__enterprise=actor.enterprise).count()
    ok = job.status == "succeeded" and saved == args.orders and elapsed <= TARGET_A * args.orders / 10_000
    print(f"    {job.message}; {saved:,} orders, {line_count:,} lines saved")
    print(f"    {elapsed:.2f} s wall = {args.orders / elapsed:,.0f} orders/s  target <= {TARGET_A:.0f} s per 10,000"
          f"  {'OK' if ok else 'TOO SLOW' if job.status == 'succeeded' else 'FAILED'}")
    return 0 if ok else 1


# (b) ------------------------------------------------------------- CEB603 build + XSD validation


def part_b(args: argparse.Namespace) -> int:
    from benchmarks.bench_ceb_messages import make_messages
    from guanwu.messages.ceb import build_ceb603, validate_ceb

    messages = make_messages(args.messages, args.lines)
    validate_ceb(build_ceb603(messages[0]))  # compile the XSD once (cached for the process)
    t_build = t_validate = 0.0
    cpu0 = time.process_time()
    for message in messages:
        t1 = time.perf_counter()
        xml = build_ceb603(message)
        t2 = time.perf_counter()
        errors = validate_ceb(xml)
        t3 = time.perf_counter()
        if errors:
            print("invalid message:", errors[:3])
            return 1
        t_build += t2 - t1
        t_validate += t3 - t2
    cpu = time.process_time() - cpu0
    n, total = len(messages), t_build + t_validate
    rate = n / total
    print(f"(b) CEB603 build + official-XSD validation: {n} messages x {args.lines} lines")
    print(f"    build {n / t_build:.0f}/s, validate {n / t_validate:.0f}/s")
    print(f"    build + validate: {total:.2f} s = {rate:.0f} messages/s (CPU {n / cpu:.0f}/s)"
          f"  target >= {TARGET_B}/s  {'OK' if rate >= TARGET_B else 'TOO SLOW'}")
    return 0 if rate >= TARGET_B else 1


# (c) ------------------------------------------------------------- submit to 放行 via simulator


def _list_records(batch_no: str, count: int) -> list[dict]:
    import datetime as dt
    from decimal import Decimal

    day = dt.date.today()
    return [{
        "batch_no": batch_no, "ie_date": day, "order_no": f"SO{n:09d}", "logistics_no": f"SF{n:012d}",
        "logistics_code": "4403180001", "logistics_name": "顺丰速运有限公司", "owner_code": "6101930001",
        "owner_name": "基准企业", "traf_mode": "5", "country": "502", "pod": "502", "freight": Decimal("64.995"),
        "f_currency": "142", "wrap_type": "2", "pack_no": 1, "gross_weight": Decimal("1.18"),
        "net_weight": Decimal("1.13"),
        "lines": [{"item_no": "SKU001", "g_code": "6109100021", "g_name": "男式棉制针织T恤",
                   "g_model": "针织|棉100%|男式", "country": "502", "currency": "502", "qty": Decimal(10),
                   "unit": "011", "qty1": Decimal(10),
                   "unit1": "011", "price": Decimal("2.5")}],
    } for n in range(1, count + 1)]


def _round_trip() -> tuple[int, int]:
    """The gateway writes the outbox, customs answers to the end, the gateway applies every receipt."""
    from guanwu.gateway.services import poll_once
    from guanwu.simulator.engine import run_until_idle

    written = poll_once()["written"]
    actions = run_until_idle(max_rounds=200)
    while True:  # the inbox in polls of up to 1,000 files
        counts = poll_once()
        if not sum(v for k, v in counts.items() if k != "written"):
            break
    return written, actions


def part_c(args: argparse.Namespace) -> int:
    _django()
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import timezone

    from guanwu.crossborder import services
    from guanwu.crossborder.models import CebStatus, ExportList, Order
    from guanwu.crossborder.services.lists import import_lists
    from guanwu.crossborder.services.orders import import_orders

    n = args.lists
    actor = _actor("c")
    batch_no = f"SF{timezone.localdate():%Y%m%d}BENCH02"
    with override_settings(GUANWU_SIMULATOR_DELAY_SECONDS=0, GUANWU_SIMULATOR_INSPECTION_RATE=0,
                           GUANWU_SIMULATOR_REJECTION_RATE=0):
        # untimed: the orders of the lists, taken by customs (三单: a list needs its order); the
        # imports' save runs in the pipeline's transaction
        with transaction.atomic():
            import_orders(actor, [{"batch_no": batch_no, "order_type": "B", "order_no": f"SO{i:09d}",
                                   "ebp_code": "6101960001", "ebp_name": "西安跨境B2B平台", "currency": "502",
                                   "lines": [{"item_no": "SKU001", "item_name": "男式棉制针织T恤", "unit": "011",
                                              "qty": 10, "price": "2.5"}]} for i in range(1, n + 1)])
        services.submit_orders(actor, list(Order.objects.filter(enterprise=actor.enterprise)
                                           .values_list("pk", flat=True)))
        _round_trip()
        accepted = Order.objects.filter(enterprise=actor.enterprise, status=CebStatus.ACCEPTED).count()
        with transaction.atomic():
            import_lists(actor, _list_records(batch_no, n))
        ids = list(ExportList.objects.filter(enterprise=actor.enterprise).values_list("pk", flat=True))
        print(f"(c) {len(ids):,} lists from 提交海关 to 放行 (orders taken by customs first: {accepted:,})")
        # timed: 提交海关 -> CEB603 in the outbox -> customs (taken, 运单, 审结, 运抵, 放行, 离境, 结关)
        t0 = time.perf_counter()
        services.submit_lists(actor, ids)
        t1 = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        written, actions = _round_trip()
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        elapsed = time.perf_counter() - t0
    statuses: dict[str, int] = {}
    for status in ExportList.objects.filter(enterprise=actor.enterprise).values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    released = statuses.get(CebStatus.RELEASED, 0) + statuses.get(CebStatus.CLOSED, 0)
    ok = released == len(ids) and elapsed <= TARGET_C * len(ids) / 1000
    print(f"    submit (build + XSD + outbox) {t1 - t0:.2f} s; gateway + simulator ({written} files out, "
          f"{actions:,} customs actions) {elapsed - (t1 - t0):.2f} s")
    print(f"    statuses: {', '.join(f'{CebStatus(k).label} {v}' for k, v in statuses.items())}")
    print(f"    {elapsed:.2f} s wall for {released:,} released  target <= {TARGET_C:.0f} s per 1,000"
          f"  {'OK' if ok else 'TOO SLOW' if released == len(ids) else 'NOT ALL RELEASED'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("a", "b", "c", "all"), default="all")
    parser.add_argument("--messages", type=int, default=2000, help="(b) number of CEB603 messages")
    parser.add_argument("--lines", type=int, default=10, help="(b) goods lines per list")
    parser.add_argument("--orders", type=int, default=10_000, help="(a) orders in the file (2 lines each)")
    parser.add_argument("--lists", type=int, default=1000, help="(c) lists submitted")
    parser.add_argument("--profile", action="store_true", help="(c) cProfile of the gateway + simulator round")
    args = parser.parse_args()
    parts = {"a": part_a, "b": part_b, "c": part_c}
    chosen = parts if args.part == "all" else {args.part: parts[args.part]}
    return max(run(args) for run in chosen.values())


if __name__ == "__main__":
    raise SystemExit(main())
