#!/usr/bin/env python3
"""Build and official-XSD-validate CEB603 export lists: messages per second on one core.

    .venv/bin/python benchmarks/bench_ceb_messages.py [--messages 2000] [--lines 10]

Pure message layer (no database): makes ``--messages`` CEB603Message records, one 9710 list of
``--lines`` goods lines each, then times build_ceb603 + validate_ceb (the official 202205
export XSD) for each, and parse_ceb603 of the result. Target (issue 16): >= 300 messages/s
with 10 lines each. To become part of bench_crossborder.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

GOODS = [
    ("YS-LED-001", "LED台灯", "9405209000", "0|0|塑料及铝|书桌照明|无品牌|型号T1", "120", "18.5"),
    ("YS-CUP-002", "不锈钢保温杯", "9617001100", "0|0|不锈钢|保温|无品牌|500ml", "300", "6.8"),
    ("YS-BAG-003", "涤纶背包", "4202920000", "0|0|涤纶|日用|无品牌|BP-3", "80", "12.25"),
]


def make_messages(n_messages: int, n_lines: int) -> list:
    from guanwu.messages.ceb import BaseTransfer, CEB603Message, Inventory, InventoryHead, InventoryList
    from guanwu.messages.ceb.fields import CHINA

    app_time = dt.datetime(2024, 5, 6, 9, 30, 15, tzinfo=CHINA)
    transfer = BaseTransfer(cop_code="6101930001", cop_name="演示进出口有限公司", dxp_id="DXPENT0000461530")
    messages = []
    for i in range(n_messages):
        lines = []
        for g in range(n_lines):
            item_no, name, code, model, qty, price = GOODS[g % len(GOODS)]
            lines.append(InventoryList(
                g_num=g + 1, item_no=f"{item_no}-{g + 1:02d}", item_name=name, g_code=code, g_name=name,
                g_model=model, bar_code="6901234567892", country="502", currency="502", qty=Decimal(qty),
                qty1=Decimal(qty), unit="011", unit1="011", price=Decimal(price),
                total_price=Decimal(qty) * Decimal(price),
            ))
        head = InventoryHead(
            app_time=app_time, customs_code="9002", ebp_code="6101930001", ebp_name="演示进出口有限公司",
            order_no=f"YS2024050{i:07d}", logistics_code="6101980002", logistics_name="西安速达国际物流有限公司",
            logistics_no=f"SD20240506{i:08d}", cop_no=f"INV{i:012d}", port_code="9002",
            ie_date=dt.date(2024, 5, 7), statistics_flag="B", agent_code="6101930001", agent_name="演示进出口有限公司",
            ebc_code="6101930001", ebc_name="演示进出口有限公司", owner_code="6101930001",
            owner_name="演示进出口有限公司",
            trade_mode="9710", traf_mode="5", traf_name="CA", voyage_no="CA983", bill_no="781-20240506",
            country="502", pod="3016", freight=Decimal("150"), f_currency="142", insured_fee=Decimal("0"),
            i_currency="142", wrap_type="2", pack_no=6, gross_weight=Decimal("86.4"), net_weight=Decimal("80.125"),
        )
        messages.append(CEB603Message(inventory=[Inventory(inventory_head=head, inventory_list=lines)],
                                      base_transfer=transfer))
    return messages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=10)
    args = parser.parse_args()

    from guanwu.messages.ceb import build_ceb603, parse_ceb603, validate_ceb

    messages = make_messages(args.messages, args.lines)
    validate_ceb(build_ceb603(messages[0]))  # compile the XSD once

    t_build = t_validate = t_parse = 0.0
    total_bytes = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
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
        total_bytes += len(xml)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    xmls = [build_ceb603(m) for m in messages[:500]]
    t4 = time.perf_counter()
    for xml in xmls:
        parse_ceb603(xml)
    t_parse = time.perf_counter() - t4
    n = len(messages)
    total = t_build + t_validate
    print(f"CEB603 (出口清单): {n} messages x {args.lines} lines, {total_bytes / n / 1024:.1f} KiB each")
    print(f"  build:                   {t_build:.2f} s  ({n / t_build:.0f} messages/s)")
    print(f"  validate (official XSD): {t_validate:.2f} s  ({n / t_validate:.0f} messages/s)")
    print(f"  build + validate:        {total:.2f} s  ({n / total:.0f} messages/s)  target >= 300/s")
    print(f"  build + validate, CPU time of this process: {cpu:.2f} s ({n / cpu:.0f} messages/s; wall {wall:.2f} s)")
    print(f"  parse (defusedxml):      {t_parse:.2f} s for {len(xmls)}  ({len(xmls) / t_parse:.0f} messages/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
