"""A garment processor's processing-trade data, as plain data (no database).

陕西示例服饰有限公司 (fictitious; the names, codes and card numbers below are made up) imports
cotton and polyester fabric, plastic buttons, metal zips and woven labels under 进料对口 (0615)
and exports men's cotton shirts and synthetic jackets. Codes are real: HS codes and legal units
from the 2020 tariff (5208420090 米/千克, 5407520000 米/千克, 9606210000 千克, 9607110000 米/千克,
5807100000 千克, 6205200099 件/千克, 6201939000 件/千克), customs 9001 关中海关 / 9002 咸阳机场 /
2248 洋山港区, and the numeric country/currency codes 金二 messages carry (116 日本, 142 中国,
502 美国 / 美元).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from guanwu.messages.sas import (
    Envelope,
    Inv101,
    InvtHead,
    InvtItem,
    Nems,
    NemsCm,
    NemsExg,
    NemsHead,
    NemsImg,
    Qualification,
    QualificationGoods,
    QualificationHead,
)

ETPS_NO, ETPS_SCCD, ETPS_NM = "6101940002", "91610131MA6TXG0021", "陕西示例服饰有限公司"
AGENT_NO, AGENT_SCCD, AGENT_NM = "6100600001", "91610131MA6TX00011", "示例报关行有限公司"
EMS_NO = "E90012400001"
IC_CARD = "8930000012345"
SENT = dt.datetime(2024, 11, 4, 10, 20, 30)

# (序号, 料号, 商品编码, 名称, 规格型号, 申报单位, 法定单位, 第二法定单位, 单价 USD)
MATERIALS = [
    (1, "FAB-CT-001", "5208420090", "色织全棉平纹布", "0|0|机织|平纹|色织|100%棉|幅宽150cm|克重120g/m2|无品牌",
     "030", "030", "035", D("2.35")),
    (2, "FAB-PE-002", "5407520000", "染色涤纶变形长丝布", "0|0|机织|染色|100%聚酯变形长丝|幅宽145cm|无品牌",
     "030", "030", "035", D("1.8")),
    (3, "BTN-PL-003", "9606210000", "塑料纽扣", "0|0|塑料制|未包纺织材料|直径11.5mm|无品牌",
     "007", "035", "", D("0.012")),
    (4, "ZIP-MT-004", "9607110000", "金属齿拉链", "0|0|贱金属齿|长60cm|无品牌", "015", "030", "035", D("0.35")),
    (5, "LBL-WV-005", "5807100000", "机织商标", "0|0|机织|未绣制|涤纶|无品牌", "007", "035", "", D("0.03")),
]
# (序号, 料号, 商品编码, 名称, 规格型号, 单价 USD)
PRODUCTS = [
    (1, "SHT-M-001", "6205200099", "男式棉制衬衫", "0|0|机织|男式|100%棉|长袖|无品牌", D("8.5")),
    (2, "JKT-M-002", "6201939000", "男式化纤短上衣", "0|0|机织|男式|100%聚酯|防寒短上衣|无品牌", D("21")),
]
# (成品序号, 料件序号, 净耗, 有形损耗率%, 无形损耗率%)
BOM = [
    (1, 1, D("1.65"), D("3"), D("0.5")),
    (1, 3, D("8"), D("2"), D("0")),
    (1, 5, D("1"), D("0"), D("0")),
    (2, 2, D("2.1"), D("4"), D("1")),
    (2, 4, D("1"), D("0.5"), D("0")),
    (2, 3, D("2"), D("2"), D("0")),
    (2, 5, D("1"), D("0"), D("0")),
]


def envelope(message_id: str = "GW20241104102030000001") -> Envelope:
    return Envelope(
        business_id="", message_id=message_id, file_name=f"{message_id}.xml", sender_id="DXPENT0000000001",
        receiver_id="DXPEDCSAS0000001", send_time=SENT, ic_card=IC_CARD,
    )


def nems_head(**changes) -> NemsHead:
    values = dict(
        seq_no="", ems_no="", chg_tms_cnt=0, etps_preent_no="GW-NEMS-2024-001", master_cuscd="9001",
        bizop_etps_sccd=ETPS_SCCD, bizop_etpsno=ETPS_NO, bizop_etps_nm=ETPS_NM,
        rvsngd_etps_sccd=ETPS_SCCD, rcvgd_etpsno=ETPS_NO, rcvgd_etps_nm=ETPS_NM,
        dcl_etps_sccd=AGENT_SCCD, dcl_etpsno=AGENT_NO, dcl_etps_nm=AGENT_NM, dcl_etps_typecd="",
        ems_typecd="1", dcl_typecd="1", finish_valid_date=dt.date(2026, 12, 31), max_tovr_amt=D("150"),
        ucns_dcl_segcd="1", input_etps_typecd=AGENT_NO, input_etps_sccd=AGENT_SCCD, input_etps_nm=AGENT_NM,
        input_time=dt.date(2024, 11, 4), rmk="",
    )
    values.update(changes)
    return NemsHead(**values)


def nems_imgs(modf: str = "3") -> tuple[NemsImg, ...]:
    return tuple(
        NemsImg(gds_seqno=seq, gds_mtno=mtno, gdecd=code, gds_nm=name, endprd_gds_spcf_model_desc=model,
                dcl_unitcd=unit, lawf_unitcd=lawf, secd_lawf_unitcd=secd, dcl_uprc_amt=price, dcl_currcd="502",
                lvyrlf_modecd="3", modf_markcd=modf, etps_exe_markcd="1", adjmtr_markcd="1" if seq <= 2 else "0")
        for seq, mtno, code, name, model, unit, lawf, secd, price in MATERIALS
    )


def nems_exgs(modf: str = "3") -> tuple[NemsExg, ...]:
    return tuple(
        NemsExg(gds_seqno=seq, gds_mtno=mtno, gdecd=code, gds_nm=name, endprd_gds_spcf_model_desc=model,
                dcl_unitcd="011", lawf_unitcd="011", secd_lawf_unitcd="035", dcl_uprc_amt=price, dcl_currcd="502",
                lvyrlf_modecd="3", modf_markcd=modf, etps_exe_markcd="1")
        for seq, mtno, code, name, model, price in PRODUCTS
    )


def nems_cms(modf: str = "3") -> tuple[NemsCm, ...]:
    return tuple(
        NemsCm(g_seqno=n, endprd_seqno=exg, mtpck_seqno=img, ucns_verno="1", net_useup_qty=net,
               tgbl_loss_rate=tgbl, intgb_loss_rate=intgb, ucns_dcl_stucd="1", bond_mtpck_prpr=D("100"),
               modf_markcd=modf)
        for n, (exg, img, net, tgbl, intgb) in enumerate(BOM, 1)
    )


def nems(**head_changes) -> Nems:
    """The 备案 of the garment account book (DclTypecd 1)."""
    return Nems(envelope=envelope("GW20241104102030000002"), head=nems_head(**head_changes), imgs=nems_imgs(),
                exgs=nems_exgs(), cms=nems_cms())


def inv_head(ie: str = "I", **changes) -> InvtHead:
    values = dict(
        seq_no="", bond_invt_no="", chg_tms_cnt=0, putrec_no=EMS_NO, etps_inner_invt_no=f"GW-{ie}-2024-0001",
        bizop_etps_sccd=ETPS_SCCD, bizop_etpsno=ETPS_NO, bizop_etps_nm=ETPS_NM,
        rvsngd_etps_sccd=ETPS_SCCD, rcvgd_etpsno=ETPS_NO, rcvgd_etps_nm=ETPS_NM,
        dcl_etps_sccd=AGENT_SCCD, dcl_etpsno=AGENT_NO, dcl_etps_nm=AGENT_NM,
        input_code=AGENT_NO, input_credit_code=AGENT_SCCD, input_name=AGENT_NM, input_time=dt.date(2024, 11, 4),
        corr_entry_dcl_etps_sccd=AGENT_SCCD, corr_entry_dcl_etps_no=AGENT_NO, corr_entry_dcl_etps_nm=AGENT_NM,
        impexp_portcd="9002" if ie == "I" else "2248", dcl_plc_cuscd="9001", impexp_markcd=ie,
        mtpck_endprd_markcd=ie, supv_modecd="0615", trsp_modecd="5" if ie == "I" else "2",
        dclcus_flag="1", dclcus_typecd="2", dec_type="1" if ie == "I" else "2",
        stship_trsarv_natcd="116" if ie == "I" else "502", invt_type="0", dcl_typecd="1", gen_dec_flag="1",
        ic_card_no=IC_CARD, rmk="",
    )
    values.update(changes)
    return InvtHead(**values)


def import_items() -> tuple[InvtItem, ...]:
    # (备案序号, 申报数量, 法定数量, 第二法定数量, 毛重, 净重)
    lines = [
        (1, D("12000"), D("12000"), D("1440"), D("1520"), D("1440")),
        (2, D("3500"), D("3500"), D("385"), D("410"), D("385")),
        (3, D("100000"), D("25"), None, D("28"), D("25")),
        (4, D("2000"), D("1200"), D("52"), D("60"), D("52")),
        (5, D("20000"), D("8"), None, D("9.5"), D("8")),
    ]
    items = []
    for n, (seq, qty, lawf, secd, gross, net) in enumerate(lines, 1):
        _seq, mtno, code, name, model, unit, lawf_unit, secd_unit, price = MATERIALS[seq - 1]
        items.append(InvtItem(
            gds_seqno=n, putrec_seqno=seq, gds_mtno=mtno, gdecd=code, gds_nm=name, gds_spcf_model_desc=model,
            dcl_unitcd=unit, lawf_unitcd=lawf_unit, secd_lawf_unitcd=secd_unit, natcd="116",
            dcl_uprc_amt=price, dcl_total_amt=(qty * price).quantize(D("0.01")), dcl_currcd="502",
            lawf_qty=lawf, secd_lawf_qty=secd, dcl_qty=qty, gross_wt=gross, net_wt=net, lvyrlf_modecd="3",
            destination_natcd="142", modf_markcd="3",
        ))
    return tuple(items)


def export_items() -> tuple[InvtItem, ...]:
    lines = [(1, D("5000"), D("1250")), (2, D("1200"), D("840"))]
    items = []
    for n, (seq, qty, kg) in enumerate(lines, 1):
        _seq, mtno, code, name, model, price = PRODUCTS[seq - 1]
        items.append(InvtItem(
            gds_seqno=n, putrec_seqno=seq, gds_mtno=mtno, gdecd=code, gds_nm=name, gds_spcf_model_desc=model,
            dcl_unitcd="011", lawf_unitcd="011", secd_lawf_unitcd="035", natcd="142", dcl_uprc_amt=price,
            dcl_total_amt=(qty * price).quantize(D("0.01")), dcl_currcd="502", lawf_qty=qty, secd_lawf_qty=kg,
            dcl_qty=qty, gross_wt=kg + 60, net_wt=kg, lvyrlf_modecd="3", ucns_verno="1",
            destination_natcd="502", modf_markcd="3",
        ))
    return tuple(items)


def inv101_import() -> Inv101:
    return Inv101(envelope=envelope("GW20241104102030000003"), head=inv_head("I"), items=import_items(),
                  sys_id="95", oper_cus_reg_code=AGENT_NO, delcare_flag="1")


def inv101_export() -> Inv101:
    return Inv101(envelope=envelope("GW20241104102030000004"), head=inv_head("E"), items=export_items(),
                  sys_id="95", oper_cus_reg_code=AGENT_NO, delcare_flag="1")


def qualification_head(**changes) -> QualificationHead:
    values = dict(
        seq_no="", netwk_etps_arcrp_no="", chg_tms_cnt=0, etps_preent_no="GW-QUA-2024-001",
        bizop_etpsno=ETPS_NO, bizop_etps_sccd=ETPS_SCCD, bizop_etps_nm=ETPS_NM,
        rcvgd_etpsno=ETPS_NO, rvsngd_etps_sccd=ETPS_SCCD, rcvgd_etps_nm=ETPS_NM,
        dcl_etpsno=AGENT_NO, dcl_etps_sccd=AGENT_SCCD, dcl_etps_nm=AGENT_NM, conc_addr="陕西省西安市示例路1号",
        dcl_typecd="1", finish_valid_date=dt.date(2026, 12, 31), prcs_prdc_ablt_amt=D("100"), master_cuscd="9001",
        input_etps_typecd=AGENT_NO, input_etps_sccd=AGENT_SCCD, input_time=dt.date(2024, 11, 4), qua_typecd="1",
    )
    values.update(changes)
    return QualificationHead(**values)


def qualification() -> Qualification:
    imgs = tuple(
        QualificationGoods(gds_seqno=seq, gds_mtno=mtno, gdecd=code, gds_nm=name, endprd_gds_spcf_model_desc=model,
                           dcl_unitcd=unit, lawf_unitcd=lawf, dcl_uprc_amt=price, dcl_currcd="502",
                           dcl_qty=D("1000"), dcl_total_amt=price * 1000, natcd="116", modf_markcd="3")
        for seq, mtno, code, name, model, unit, lawf, _secd, price in MATERIALS
    )
    exgs = tuple(
        QualificationGoods(gds_seqno=seq, gds_mtno=mtno, gdecd=code, gds_nm=name, endprd_gds_spcf_model_desc=model,
                           dcl_unitcd="011", lawf_unitcd="011", dcl_uprc_amt=price, dcl_currcd="502",
                           dcl_qty=D("500"), dcl_total_amt=price * 500, natcd="142", modf_markcd="3")
        for seq, mtno, code, name, model, price in PRODUCTS
    )
    return Qualification(envelope=envelope("GW20241104102030000005"), head=qualification_head(), imgs=imgs,
                         exgs=exgs)
