"""Realistic declarations for tests: an import through 洋山港 and an export through 盐田.

Codes come from the 2019 parameter tables and the 2020 tariff (countries and currencies in
the post-2018 alphabetic codes: USA/DEU/CHN, USD). ``make_*`` save the rows; the tenant walk
in ``tests/tenant_objects.py`` can register ``walk_declaration`` and ``walk_receipt``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from guanwu.declarations.models import (
    Declaration,
    DeclarationContainer,
    DeclarationCopPromise,
    DeclarationDocument,
    DeclarationGoodsLimit,
    DeclarationItem,
    DeclarationLicence,
    DeclarationOtherPack,
    DeclarationStatus,
    Receipt,
    ReceiptKind,
)

_numbers = itertools.count(1)


def _head(enterprise, **fields: Any) -> dict[str, Any]:
    org_code = enterprise.scc[8:17]
    return {
        "agent_code": enterprise.customs_code,
        "agent_name": enterprise.name,
        "agent_code_scc": enterprise.scc,
        "trade_code": enterprise.customs_code,
        "trade_name": enterprise.name,
        "trade_co_scc": enterprise.scc,
        "owner_code": enterprise.customs_code,
        "owner_name": enterprise.name,
        "owner_code_scc": enterprise.scc,
        "cop_code": org_code,
        "cop_name": enterprise.name,
        "cop_code_scc": enterprise.scc,
        "inputer_name": "王晓燕",
        "typist_no": "8930000012345",
        "declare_name": "王晓燕",
        "decl_trn_rel": "0",
        "edi_id": "1",
        "entry_type": "M",
        "trade_mode": "0110",
        "traf_mode": "2",
        "wrap_type": "22",
        "mark_no": "N/M",
        "client_seq_no": f"{enterprise.customs_code}{next(_numbers):08d}",
        **fields,
    }


def make_import_declaration(enterprise, user=None, **fields: Any) -> Declaration:
    """进口 一般贸易: laptops and USB sticks from the USA, FOB Los Angeles, into 洋山港."""
    values = _head(
        enterprise,
        ie_flag="I",
        custom_master="2248",
        ie_port="2248",
        cut_mode="101",
        trans_mode="3",
        fee_mark="3",
        fee_curr="USD",
        fee_rate=Decimal("1200.00000"),
        insur_mark="1",
        insur_rate=Decimal("0.30000"),
        contr_no="DL-US-2024-1103",
        bill_no="MEDUXY123456",
        traf_name="MSC OSCAR",
        voy_no="FE446W",
        trade_country="USA",
        trade_area_code="USA",
        distinate_port="USA264",
        desp_port_code="USA264",
        enty_port_code="311002",
        goods_place="洋山深水港四期码头",
        pack_no=120,
        gross_wet=Decimal("1520.50000"),
        net_wt=Decimal("1380.25000"),
        ie_date=dt.date(2024, 11, 4),
        desp_date=dt.date(2024, 10, 18),
        promise_itmes="00000",
        overseas_consignor_ename="DELL GLOBAL B.V. (US BRANCH)",
        overseas_consignor_code="US-DELL-01",
        note_s="随附发票及装箱单",
    )
    decl = Declaration.objects.create(enterprise=enterprise, created_by=user, **{**values, **fields})
    laptop = DeclarationItem.objects.create(
        declaration=decl, g_no=1, code_ts="8471309000", ciq_code="101", ciq_name="便携数字自动数据处理机",
        g_name="笔记本电脑", g_model="4|0|便携式|CPU+内存+硬盘+显示屏|DELL|Latitude 5440|Windows 11|无|无|无",
        g_qty=Decimal("200"), g_unit="001", first_qty=Decimal("200"), first_unit="001",
        second_qty=Decimal("460.00000"), second_unit="035", decl_price=Decimal("650.0000"),
        decl_total=Decimal("130000.0000"), trade_curr="USD", origin_country="USA", destination_country="CHN",
        district_code="31222", dest_code="310115", duty_mode="1", goods_brand="DELL", goods_model="Latitude 5440",
    )
    DeclarationGoodsLimit.objects.create(item=laptop, lic_type_code="411", licence_no="2023010902541238")
    DeclarationItem.objects.create(
        declaration=decl, g_no=2, code_ts="8523511000", ciq_code="101", ciq_name="其它计算机、辅助设备及其零件",
        g_name="U盘", g_model="4|0|闪速存储器|未录制|SanDisk|CZ73 64GB|无|无",
        g_qty=Decimal("5000"), g_unit="007", first_qty=Decimal("5000"), first_unit="007",
        second_qty=Decimal("50.25"), second_unit="035", decl_price=Decimal("4.1250"),
        decl_total=Decimal("20625.0000"), trade_curr="USD", origin_country="USA", destination_country="CHN",
        district_code="31222", dest_code="310115", duty_mode="1",
    )
    DeclarationContainer.objects.create(
        declaration=decl, container_id="MSCU1234565", container_md="11", goods_no="1,2", lcl_flag="0",
        goods_conta_wt=Decimal("1520.5"),
    )
    DeclarationLicence.objects.create(declaration=decl, docu_code="A", cert_code="224800124000123000")
    DeclarationDocument.objects.create(
        declaration=decl, edoc_id="224800000001IM202411040000000001.pdf", edoc_code="00000001",
        edoc_fomat_type="US", edoc_cop_id="INV-2024-1103.pdf", edoc_owner_code=enterprise.customs_code,
        edoc_owner_name=enterprise.name, sign_unit=enterprise.customs_code, sign_time="20241104 10:15:00",
        edoc_size="182340", g_no_str="1,2",
    )
    DeclarationCopPromise.objects.create(declaration=decl, declaratio_material_code="101040")
    return decl


def make_export_declaration(enterprise, user=None, **fields: Any) -> Declaration:
    """出口 一般贸易: cotton T-shirts and jerseys to Germany, FOB 盐田."""
    values = _head(
        enterprise,
        ie_flag="E",
        custom_master="5316",
        ie_port="5316",
        trans_mode="3",
        contr_no="SZ-DE-240915",
        bill_no="COSU6234567890",
        traf_name="COSCO SHIPPING ARIES",
        voy_no="042W",
        trade_country="DEU",
        trade_area_code="DEU",
        distinate_port="DEU063",
        desp_port_code="CHN737",
        enty_port_code="470601",
        goods_place="盐田港区",
        pack_no=340,
        gross_wet=Decimal("2890"),
        net_wt=Decimal("2650.5"),
        ie_date=dt.date(2024, 9, 20),
        promise_itmes="999",
        overseas_consignee_ename="TEXTIL HANDELS GMBH",
        overseas_consignee_code="DE-THG-7",
    )
    decl = Declaration.objects.create(enterprise=enterprise, created_by=user, **{**values, **fields})
    # 出口: OriginCountry carries the destination country and DestinationCountry the origin
    # (dictionary note on DecList OriginCountry/DestinationCountry).
    for g_no, code_ts, name, model, qty, price, total, kg in [
        (1, "6109100010", "棉制针织T恤衫", "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无",
         Decimal("3000"), Decimal("3.8500"), Decimal("11550.0000"), Decimal("1650.5")),
        (2, "6110200011", "棉制儿童针织套头衫", "0|0|针织起绒|套头衫|100%棉|无品牌|KJ-77|无",
         Decimal("1200"), Decimal("6.2000"), Decimal("7440.0000"), Decimal("600")),
        (3, "6109100010", "棉制针织背心", "0|0|针织|背心|无领无扣无拉链|100%棉|无品牌|VT-12|无|无|无",
         Decimal("2000"), Decimal("2.1000"), Decimal("4200.0000"), Decimal("400")),
    ]:
        DeclarationItem.objects.create(
            declaration=decl, g_no=g_no, code_ts=code_ts, ciq_code="999", g_name=name, g_model=model,
            g_qty=qty, g_unit="011", first_qty=qty, first_unit="011", second_qty=kg, second_unit="035",
            decl_price=price, decl_total=total, trade_curr="USD", origin_country="DEU", destination_country="CHN",
            district_code="44031", duty_mode="1",
        )
    DeclarationContainer.objects.create(
        declaration=decl, container_id="CSNU6184273", container_md="11", goods_no="1,2,3", lcl_flag="0",
        goods_conta_wt=Decimal("2890"),
    )
    DeclarationLicence.objects.create(declaration=decl, docu_code="Y", cert_code="CCPIT2409200012")
    DeclarationOtherPack.objects.create(declaration=decl, pack_qty=Decimal("12"), pack_type="92")
    DeclarationDocument.objects.create(
        declaration=decl, edoc_id="531600000002IM202409200000000017.pdf", edoc_code="00000002",
        edoc_fomat_type="US", edoc_cop_id="PL-240915.pdf", edoc_owner_code=enterprise.customs_code,
        edoc_owner_name=enterprise.name, sign_unit=enterprise.customs_code, sign_time="20240920 09:02:11",
        edoc_size="96512", g_no_str="1,2,3",
    )
    return decl


def walk_declaration(enterprise, user) -> Declaration:
    """Factory for the generic tenant-isolation walk."""
    return Declaration.objects.create(enterprise=enterprise, created_by=user, ie_flag="I", bill_no="WALK-1")


def walk_receipt(enterprise, user) -> Receipt:
    decl = walk_declaration(enterprise, user)
    return Receipt.objects.create(
        enterprise=enterprise, declaration=decl, kind=ReceiptKind.RESULT, channel="L", channel_text="海关已接收",
        implied_status=DeclarationStatus.ACCEPTED, dedupe_key=f"walk-{decl.pk}",
    )
