#!/usr/bin/env python3
"""Build and schema-check INV101 保税核注清单 messages of 1,000 lines: messages per second on one core.

    .venv/bin/python benchmarks/bench_sas_messages.py [--messages 20] [--lines 1000]

Pure (no database, no Django): plain data for a garment processor's export list is built once
per message (distinct 企业内部编号), then ``build_inv101`` + ``validate_sas`` (the generated
INV101.xsd and the rules) are timed for each. This becomes part (a) of bench_processing.py
(issue 15).
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

from guanwu.messages.sas import Envelope, Inv101, InvtHead, InvtItem, build_inv101, validate_sas  # noqa: E402

PRODUCTS = [
    ("6205200099", "男式棉制衬衫", "0|0|机织|男式|100%棉|长袖|无品牌", Decimal("8.5")),
    ("6201939000", "男式化纤短上衣", "0|0|机织|男式|100%聚酯|防寒短上衣|无品牌", Decimal("21")),
]


def make_list(n: int, lines: int) -> Inv101:
    head = InvtHead(
        chg_tms_cnt=0, putrec_no="E90012400001", etps_inner_invt_no=f"BENCH-E-{n:06d}",
        bizop_etps_sccd="91610131MA6TXG0021", bizop_etpsno="6101940002", bizop_etps_nm="陕西示例服饰有限公司",
        rvsngd_etps_sccd="91610131MA6TXG0021", rcvgd_etpsno="6101940002", rcvgd_etps_nm="陕西示例服饰有限公司",
        dcl_etps_sccd="91610131MA6TX00011", dcl_etpsno="6100600001", dcl_etps_nm="示例报关行有限公司",
        input_code="6100600001", input_credit_code="91610131MA6TX00011", input_name="示例报关行有限公司",
        input_time=dt.date(2024, 11, 4), corr_entry_dcl_etps_sccd="91610131MA6TX00011",
        corr_entry_dcl_etps_no="6100600001", corr_entry_dcl_etps_nm="示例报关行有限公司", impexp_portcd="2248",
        dcl_plc_cuscd="9001", impexp_markcd="E", mtpck_endprd_markcd="E", supv_modecd="0615", trsp_modecd="2",
        dclcus_flag="1", dclcus_typecd="2", dec_type="2", stship_trsarv_natcd="502", invt_type="0",
        dcl_typecd="1", gen_dec_flag="1",
    )
    items = []
    for g_no in range(1, lines + 1):
        code, name, model, price = PRODUCTS[g_no % 2]
        qty = Decimal(100 + g_no % 400)
        items.append(InvtItem(
            gds_seqno=g_no, putrec_seqno=g_no % 2 + 1, gds_mtno=f"SKU-{g_no:05d}", gdecd=code, gds_nm=name,
            gds_spcf_model_desc=model, dcl_unitcd="011", lawf_unitcd="011", secd_lawf_unitcd="035", natcd="142",
            dcl_uprc_amt=price, dcl_total_amt=(qty * price).quantize(Decimal("0.01")), dcl_currcd="502",
            lawf_qty=qty, secd_lawf_qty=(qty * Decimal("0.25")).quantize(Decimal("0.00001")), dcl_qty=qty,
            gross_wt=qty * Decimal("0.3"), net_wt=qty * Decimal("0.25"), lvyrlf_modecd="3", ucns_verno="1",
            destination_natcd="502", modf_markcd="3",
        ))
    envelope = Envelope(message_id=f"BENCH{n:012d}", sender_id="DXPENT0000000001", receiver_id="DXPEDCSAS0000001",
                        send_time=dt.datetime(2024, 11, 4, 10, 0, 0), ic_card="8930000012345")
    return Inv101(envelope=envelope, head=head, items=tuple(items), sys_id="95", oper_cus_reg_code="6100600001")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--lines", type=int, default=1000)
    args = parser.parse_args()

    lists = [make_list(n, args.lines) for n in range(args.messages)]
    validate_sas(build_inv101(lists[0]))  # compile the XSD once
    t_build = t_validate = 0.0
    size = 0
    cpu0 = time.process_time()
    for data in lists:
        t1 = time.perf_counter()
        xml = build_inv101(data)
        t2 = time.perf_counter()
        errors = validate_sas(xml)
        t3 = time.perf_counter()
        if errors:
            print("invalid message:", errors[:3])
            return 1
        t_build += t2 - t1
        t_validate += t3 - t2
        size += len(xml)
    cpu = time.process_time() - cpu0
    n = len(lists)
    total = t_build + t_validate
    print(f"INV101: {n} messages x {args.lines} lines, {size / n / 1024:.0f} KiB each")
    print(f"  build:              {t_build:.2f} s  ({n / t_build:.1f} messages/s)")
    print(f"  validate (XSD+rules): {t_validate:.2f} s  ({n / t_validate:.1f} messages/s)")
    print(f"  build + validate:   {total:.2f} s  ({n / total:.1f} messages/s, {n * args.lines / total:,.0f} lines/s)")
    print(f"  CPU time (process): {cpu:.2f} s  ({n / cpu:.1f} messages per CPU second)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
