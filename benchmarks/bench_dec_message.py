#!/usr/bin/env python3
"""Build and XSD-validate DecMessages: messages per second on one core.

    .venv/bin/python benchmarks/bench_dec_message.py [--messages 1000] [--items 20]

Creates the declarations in a throw-away SQLite database, loads them with the message
prefetch (one query per relation for the whole batch), then times building (rows -> plain data ->
build_dec_message) + validate_dec_message for each. Target: >= 200 messages/s with 20 items each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanwu.settings")
os.environ["GUANWU_DATA_DIR"] = tempfile.mkdtemp(prefix="guanwu-bench-")


def setup_data(n_messages: int, n_items: int) -> None:
    from django.core.management import call_command

    from guanwu.declarations.models import Declaration, DeclarationContainer, DeclarationItem, DeclarationLicence
    from guanwu.tenancy.models import Enterprise

    call_command("migrate", verbosity=0)
    ent = Enterprise.objects.create(name="基准测试企业", customs_code="3122460001", scc="91310115MA1K4XXX0X")
    heads = [
        Declaration(
            enterprise=ent, ie_flag="I", custom_master="2248", ie_port="2248", agent_code=ent.customs_code,
            agent_name=ent.name, agent_code_scc=ent.scc, trade_code=ent.customs_code, trade_name=ent.name,
            trade_co_scc=ent.scc, owner_code=ent.customs_code, owner_name=ent.name, owner_code_scc=ent.scc,
            cop_code="MA1K4XXX0", cop_name=ent.name, inputer_name="王晓燕", typist_no="8930000012345",
            declare_name="王晓燕", decl_trn_rel="0", edi_id="1", entry_type="M", trade_mode="0110", cut_mode="101",
            traf_mode="2", trans_mode="1", wrap_type="22", pack_no=120, gross_wet=Decimal("1520.5"),
            net_wt=Decimal("1380.25"), trade_country="USA", trade_area_code="USA", distinate_port="USA264",
            desp_port_code="USA264", enty_port_code="311002", goods_place="洋山深水港四期码头",
            promise_itmes="00000", bill_no=f"MEDU{i:08d}", ie_date=dt.date(2024, 11, 4),
            client_seq_no=f"{ent.customs_code}{i + 1:08d}",
        )
        for i in range(n_messages)
    ]
    Declaration.objects.bulk_create(heads, batch_size=500)
    ids = list(Declaration.objects.order_by("id").values_list("id", flat=True))
    items, containers, licences = [], [], []
    for decl_id in ids:
        containers.append(DeclarationContainer(declaration_id=decl_id, container_id="MSCU1234565",
                                               container_md="11", goods_no="1", lcl_flag="0"))
        licences.append(DeclarationLicence(declaration_id=decl_id, docu_code="A", cert_code="224800124000123000"))
        for g_no in range(1, n_items + 1):
            items.append(DeclarationItem(
                declaration_id=decl_id, g_no=g_no, code_ts="8471309000", ciq_code="101", g_name="笔记本电脑",
                g_model="4|0|便携式|CPU+内存+硬盘+显示屏|DELL|Latitude 5440|Windows 11|无|无|无",
                g_qty=Decimal("200"), g_unit="001", first_qty=Decimal("200"), first_unit="001",
                second_qty=Decimal("460.5"), second_unit="035", decl_price=Decimal("650.1234"),
                decl_total=Decimal("130024.68"), trade_curr="USD", origin_country="USA",
                destination_country="CHN", district_code="31222", dest_code="310115", duty_mode="1",
            ))
    DeclarationItem.objects.bulk_create(items, batch_size=2000)
    DeclarationContainer.objects.bulk_create(containers, batch_size=2000)
    DeclarationLicence.objects.bulk_create(licences, batch_size=2000)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from guanwu.declarations.models import Declaration
    from guanwu.messages.dec.schema import validate_dec_message

    try:  # the declaration hands plain rows to the pure builder (issue 14)
        from guanwu.declarations.decmessage import MESSAGE_PREFETCH
        from guanwu.declarations.decmessage import build_message as build_dec_message
    except ImportError:  # before issue 14: the builder read the model itself (for --vs runs on older code)
        from guanwu.messages.dec.builder import MESSAGE_PREFETCH, build_dec_message

    setup_data(args.messages, args.items)
    sign_date = dt.datetime(2024, 11, 4, 10, 0, 0)

    t0 = time.perf_counter()
    declarations = list(Declaration.objects.prefetch_related(*MESSAGE_PREFETCH).order_by("id"))
    t_load = time.perf_counter() - t0

    validate_dec_message(build_dec_message(declarations[0], sign_date=sign_date))  # compile the XSD once
    built = 0
    total_bytes = 0
    t_build = t_validate = 0.0
    for decl in declarations:
        t1 = time.perf_counter()
        xml = build_dec_message(decl, sign_date=sign_date)
        t2 = time.perf_counter()
        errors = validate_dec_message(xml)
        t3 = time.perf_counter()
        if errors:
            print("invalid message:", errors[:3])
            return 1
        t_build += t2 - t1
        t_validate += t3 - t2
        built += 1
        total_bytes += len(xml)
    total = t_build + t_validate
    print(f"DecMessage: {built} messages x {args.items} items, {total_bytes / built / 1024:.1f} KiB each")
    print(f"  load (prefetch, all):  {t_load:.2f} s")
    print(f"  build:                 {t_build:.2f} s  ({built / t_build:.0f} messages/s)")
    print(f"  validate (XSD):        {t_validate:.2f} s  ({built / t_validate:.0f} messages/s)")
    print(f"  build + validate:      {total:.2f} s  ({built / total:.0f} messages/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
