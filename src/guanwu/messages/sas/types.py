"""Plain-data types of the processing-trade messages: frozen dataclasses whose fields are the
snake_case of the official element names (``PutrecNo`` -> ``putrec_no``, ``GdsMtno`` ->
``gds_mtno``), one class per block, in field-table order (a test keeps them equal to
``data/*_fields.csv``).

Values: text as ``str`` ("" = empty), amounts and quantities as ``Decimal``, counts and
sequence numbers as ``int``, dates as ``datetime.date`` and date-times as naive
``datetime.datetime`` in China time (an aware value is converted when written). ``None`` =
empty. Codes are the codes of the messages: 金二 messages carry the numeric country and
currency codes (``142`` 中国, ``502`` 美国 / 美元), as the public samples do.

No Django, no models: the caller loads rows and builds these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Envelope:
    """报文头 (EnvelopInfo). ``message_type`` is not a field: the builder writes the message's own type."""

    version: str = "1.0"  # 版本号
    business_id: str = ""  # 业务单证号
    message_id: str = ""  # 报文唯一编号
    file_name: str = ""  # 文件名(用户原始报文名)
    sender_id: str = ""  # 发送方编号
    receiver_id: str = ""  # 接收方编号
    send_time: dt.datetime | None = None  # 发送时间
    ic_card: str = ""  # IC卡号


@dataclass(frozen=True)
class PocketInfo:
    """分组信息 (PocketInfo): optional in sent messages, present in INV201/INV211 receipts."""

    pocket_id: str = ""  # 分组编号
    total_pocket_qty: int | None = None  # 总分组数
    cur_pocket_no: int | None = None  # 当前分组号
    is_unstructured: str = ""  # 是否无结构


@dataclass(frozen=True)
class InvtHead:
    """保税核注清单表头 (InvtHeadType)."""

    seq_no: str = ""  # 预录入统一编号
    bond_invt_no: str = ""  # 保税清单编号
    chg_tms_cnt: int | None = 0  # 变更次数
    putrec_no: str = ""  # 备案编号(手/账册编号)
    etps_inner_invt_no: str = ""  # 企业内部清单编号
    bizop_etps_sccd: str = ""  # 经营企业社会信用代码
    bizop_etpsno: str = ""  # 经营企业编号
    bizop_etps_nm: str = ""  # 经营企业名称
    rvsngd_etps_sccd: str = ""  # 收发货企业社会信用代码
    rcvgd_etpsno: str = ""  # 收发货企业编号(加工单位)
    rcvgd_etps_nm: str = ""  # 收发货企业名称
    dcl_etps_sccd: str = ""  # 申报企业社会信用代码
    dcl_etpsno: str = ""  # 申报企业编号
    dcl_etps_nm: str = ""  # 申报企业名称
    input_code: str = ""  # 录入企业编号
    input_credit_code: str = ""  # 录入企业社会信用代码
    input_name: str = ""  # 录入单位名称
    input_time: dt.date | None = None  # 录入日期
    invt_dcl_time: dt.date | None = None  # 清单申报日期
    entry_dcl_time: dt.date | None = None  # 报关单申报日期
    entry_no: str = ""  # 对应报关单编号
    corr_entry_dcl_etps_sccd: str = ""  # 对应报关单申报单位社会信用代码
    corr_entry_dcl_etps_no: str = ""  # 对应报关单申报单位编码
    corr_entry_dcl_etps_nm: str = ""  # 对应报关单申报单位名称
    rlt_invt_no: str = ""  # 关联清单编号
    rlt_putrec_no: str = ""  # 关联备案编号
    rlt_entry_no: str = ""  # 关联报关单编号
    rlt_entry_bizop_etps_sccd: str = ""  # 关联报关单境内收发货人社会信用代码
    rlt_entry_bizop_etpsno: str = ""  # 关联报关单境内收发货人编号
    rlt_entry_bizop_etps_nm: str = ""  # 关联报关单境内收发货人名称
    rlt_entry_rvsngd_etps_sccd: str = ""  # 关联报关单生产销售(消费使用)单位社会信用代码
    rlt_entry_rcvgd_etpsno: str = ""  # 关联报关单生产销售(消费使用)单位编码
    rlt_entry_rcvgd_etps_nm: str = ""  # 关联报关单生产销售(消费使用)单位名称
    rlt_entry_dcl_etps_sccd: str = ""  # 关联报关单申报单位社会信用代码
    rlt_entry_dcl_etps_nm: str = ""  # 关联报关单申报单位名称
    rlt_entry_dcl_etpsno: str = ""  # 关联报关单申报单位编码
    impexp_portcd: str = ""  # 进出境关别
    dcl_plc_cuscd: str = ""  # 申报地关区代码(主管海关)
    impexp_markcd: str = ""  # 进出口标记代码
    mtpck_endprd_markcd: str = ""  # 料件成品标记代码
    supv_modecd: str = ""  # 监管方式代码
    trsp_modecd: str = ""  # 运输方式代码
    apply_no: str = ""  # 申请表编号(申报表编号)
    list_type: str = ""  # 流转类型
    dclcus_flag: str = ""  # 是否报关标志
    dclcus_typecd: str = ""  # 报关类型代码
    prevd_time: dt.datetime | None = None  # 预核扣时间
    formal_vrfded_time: dt.datetime | None = None  # 正式核扣时间
    invt_iochkpt_stucd: str = ""  # 清单进出卡口状态代码
    vrfded_markcd: str = ""  # 核扣标记代码
    ic_card_no: str = ""  # 申报人IC卡号
    list_stat: str = ""  # 清单状态
    dec_type: str = ""  # 报关单类型
    rmk: str = ""  # 备注
    stship_trsarv_natcd: str = ""  # 起运/运抵国(地区)
    invt_type: str = ""  # 清单类型
    entry_stucd: str = ""  # 报关状态
    passport_used_type_cd: str = ""  # 核放单生成标志代码
    add_time: dt.datetime | None = None  # 添加时间
    dcl_typecd: str = ""  # 申报类型
    need_entry_modified: str = ""  # 报关单同步修改标志
    levy_bl_amt: Decimal | None = None  # 计征金额
    gen_dec_flag: str = ""  # 是否生成报关单


@dataclass(frozen=True)
class InvtItem:
    """保税核注清单表体 (InvtListType), one goods line."""

    seq_no: str = ""  # 预录入统一编号
    gds_seqno: int | None = None  # 商品序号
    putrec_seqno: int | None = None  # 备案序号(对应底账序号)
    gds_mtno: str = ""  # 商品料号
    gdecd: str = ""  # 商品编码
    gds_nm: str = ""  # 商品名称
    gds_spcf_model_desc: str = ""  # 商品规格型号
    dcl_unitcd: str = ""  # 申报计量单位
    lawf_unitcd: str = ""  # 法定计量单位
    secd_lawf_unitcd: str = ""  # 第二法定计量单位
    natcd: str = ""  # 原产国(地区)
    dcl_uprc_amt: Decimal | None = None  # 企业申报单价
    dcl_total_amt: Decimal | None = None  # 企业申报总价
    usd_stat_total_amt: Decimal | None = None  # 美元统计总金额
    dcl_currcd: str = ""  # 币制
    lawf_qty: Decimal | None = None  # 法定数量
    secd_lawf_qty: Decimal | None = None  # 第二法定数量
    wt_sf_val: Decimal | None = None  # 重量比例因子
    fst_sf_val: Decimal | None = None  # 第一比例因子
    secd_sf_val: Decimal | None = None  # 第二比例因子
    dcl_qty: Decimal | None = None  # 申报数量
    gross_wt: Decimal | None = None  # 毛重
    net_wt: Decimal | None = None  # 净重
    use_cd: str = ""  # 重点商品标识
    lvyrlf_modecd: str = ""  # 征免方式
    ucns_verno: str = ""  # 单耗版本号
    entry_gds_seqno: int | None = None  # 报关单商品序号
    apply_tb_seqno: int | None = None  # 流转申报表序号
    cly_markcd: str = ""  # 危化品标志
    destination_natcd: str = ""  # 最终目的国(地区)
    modf_markcd: str = ""  # 修改标志
    rmk: str = ""  # 备注
    add_time: dt.datetime | None = None  # 添加时间


@dataclass(frozen=True)
class NemsHead:
    """加工贸易账册表头 (NemsHead)."""

    seq_no: str = ""  # 预录入统一编号
    ems_no: str = ""  # 账册编号 (加工贸易账册编号)
    chg_tms_cnt: int | None = 0  # 变更次数
    etps_preent_no: str = ""  # 企业内部编号(企业预录入编号)
    master_cuscd: str = ""  # 主管海关(主管关区代码)
    bizop_etps_sccd: str = ""  # 经营企业社会信用代码
    bizop_etpsno: str = ""  # 经营企业编号
    bizop_etps_nm: str = ""  # 经营企业名称
    rvsngd_etps_sccd: str = ""  # 加工企业(收发货企业)社会信用代码
    rcvgd_etpsno: str = ""  # 加工企业(收发货企业)编号
    rcvgd_etps_nm: str = ""  # 加工企业(收发货企业)名称
    dcl_etps_sccd: str = ""  # 申报企业社会信用代码
    dcl_etpsno: str = ""  # 申报企业编号
    dcl_etps_nm: str = ""  # 申报企业名称
    dcl_etps_typecd: str = ""  # 申报企业类型代码
    ems_typecd: str = ""  # 账册类型代码
    dcl_typecd: str = ""  # 申报类型代码
    finish_valid_date: dt.date | None = None  # 结束有效日期(账册有效期)
    apcret_no: str = ""  # 批准证编号
    netwk_etps_arcrp_no: str = ""  # 联网企业档案库编号
    max_tovr_amt: Decimal | None = None  # 最大周转金额(万美元)
    actl_imp_total_amt: Decimal | None = None  # 实际进口总金额
    actl_exp_total_amt: Decimal | None = None  # 实际出口总金额
    mtpck_item_cnt: Decimal | None = None  # 料件项数
    endprd_item_cnt: Decimal | None = None  # 成品项数
    dcl_time: dt.datetime | None = None  # 申报时间(申报日期)
    ucns_dcl_segcd: str = ""  # 单耗申报环节代码
    dcl_markcd: str = ""  # 申报标记代码
    emapv_stucd: str = ""  # 审批状态代码
    pause_impexp_markcd: str = ""  # 暂停进出口标记代码
    pause_chg_markcd: str = ""  # 暂停变更标记代码
    putrec_appr_time: dt.datetime | None = None  # 备案批准日期
    chg_appr_time: dt.datetime | None = None  # 变更批准日期
    rcnt_vclr_time: dt.datetime | None = None  # 最近核销日期
    vclr_apply_time: dt.datetime | None = None  # 核销申请时间
    vclr_prid_val: int | None = None  # 核销周期(天)
    adjacc_markcd: str = ""  # 核算标记代码
    adjacc_tms_cnt: int | None = None  # 核算次数
    ucns_verno_cntr_flag: str = ""  # 单耗版本号控制标志
    rcase_markcd: str = ""  # 涉案标记代码
    etps_poses_sadja_qua_flag: str = ""  # 企业具备自核资格标志
    imp_max_account: Decimal | None = None  # 最大进口金额(美元)
    usage_typecd: str = ""  # 账册用途
    input_etps_typecd: str = ""  # 录入单位编码(录入单位类型代码?)
    input_etps_sccd: str = ""  # 录入单位社会信用代码
    input_etps_nm: str = ""  # 录入单位名称
    input_time: dt.date | None = None  # 录入日期
    rmk: str = ""  # 备注


@dataclass(frozen=True)
class NemsImg:
    """账册料件 (NemsImgList): an imported material."""

    seq_no: str = ""  # 预录入统一编号
    gds_seqno: int | None = None  # 序号(商品序号)
    gds_mtno: str = ""  # 料号(商品料号)
    gdecd: str = ""  # 商品编码
    gds_nm: str = ""  # 商品名称
    endprd_gds_spcf_model_desc: str = ""  # 规格型号(商品规格型号描述)
    dcl_unitcd: str = ""  # 申报计量单位
    lawf_unitcd: str = ""  # 法定计量单位
    secd_lawf_unitcd: str = ""  # 第二法定计量单位
    dcl_uprc_amt: Decimal | None = None  # 申报单价
    dcl_currcd: str = ""  # 币制
    dcl_qty: Decimal | None = None  # 申报数量
    lvyrlf_modecd: str = ""  # 征免方式
    qty_cntr_markcd: str = ""  # 数量控制标志
    modf_markcd: str = ""  # 修改标志
    etps_exe_markcd: str = ""  # 企业执行标志
    cusm_exe_markcd: str = ""  # 海关执行标志
    appr_max_surp_qty: Decimal | None = None  # 批准最大余数量
    vclr_prid_init_qty: Decimal | None = None  # 核销周期初始数量
    ucns_tqsn_flag: str = ""  # 单耗质疑标志
    csttn_flag: str = ""  # 磋商标志
    rmk: str = ""  # 备注
    adjmtr_markcd: str = ""  # 主料标志(主辅料标记代码)


@dataclass(frozen=True)
class NemsExg:
    """账册成品 (NemsExgList): a finished product."""

    seq_no: str = ""  # 预录入统一编号
    gds_seqno: int | None = None  # 序号(商品序号)
    gds_mtno: str = ""  # 料号(商品料号)
    gdecd: str = ""  # 商品编码
    gds_nm: str = ""  # 商品名称
    endprd_gds_spcf_model_desc: str = ""  # 规格型号(商品规格型号描述)
    dcl_unitcd: str = ""  # 申报计量单位
    lawf_unitcd: str = ""  # 法定计量单位
    secd_lawf_unitcd: str = ""  # 第二法定计量单位
    dcl_uprc_amt: Decimal | None = None  # 申报单价
    dcl_currcd: str = ""  # 币制
    dcl_qty: Decimal | None = None  # 申报数量
    lvyrlf_modecd: str = ""  # 征免方式
    qty_cntr_markcd: str = ""  # 数量控制标志
    modf_markcd: str = ""  # 修改标志
    etps_exe_markcd: str = ""  # 企业执行标志
    cusm_exe_markcd: str = ""  # 海关执行标志
    appr_max_surp_qty: Decimal | None = None  # 批准最大余数量
    vclr_prid_init_qty: Decimal | None = None  # 核销周期初始数量
    ucns_tqsn_flag: str = ""  # 单耗质疑标志
    csttn_flag: str = ""  # 磋商标志
    rmk: str = ""  # 备注


@dataclass(frozen=True)
class NemsCm:
    """账册单损耗 (NemsCmList): one BOM line, 成品序号 x 料件序号 per 单耗版本号.

    单耗 ``ucns_qty`` = 净耗 / (1 - (有形损耗率 + 无形损耗率) / 100); the builder computes it
    when it is None (see :func:`ucns_qty`)."""

    seq_no: str = ""  # 预录入统一编号
    g_seqno: int | None = None  # 序号
    endprd_seqno: int | None = None  # 成品序号
    endprd_gds_mtno: str = ""  # 成品料号
    endprd_gdecd: str = ""  # 成品商品编码
    endprd_gds_nm: str = ""  # 成品商品名称
    mtpck_seqno: int | None = None  # 料件序号
    mtpck_gds_mtno: str = ""  # 料件料号
    mtpck_gdecd: str = ""  # 料件商品编码
    mtpck_gds_nm: str = ""  # 料件商品名称
    ucns_verno: str = ""  # 单耗版本号
    ucns_qty: Decimal | None = None  # 单耗(单耗数量)
    net_useup_qty: Decimal | None = None  # 净耗(净耗数量)
    tgbl_loss_rate: Decimal | None = None  # 有形损耗率(%)
    intgb_loss_rate: Decimal | None = None  # 无形损耗率(%)
    ucns_dcl_stucd: str = ""  # 单耗申报状态
    bond_mtpck_prpr: Decimal | None = None  # 保税料件比例(%)
    modf_markcd: str = ""  # 修改标志
    etps_exe_markcd: str = ""  # 企业执行标志
    valid_date: dt.date | None = None  # 单耗有效期
    rmk: str = ""  # 备注


@dataclass(frozen=True)
class QualificationHead:
    """企业资质申请表头 (NemsTrHeadType): the seed's 资质数据明细. Partly guanwu's own structure,
    see ``data/ems101_fields.csv``."""

    seq_no: str = ""  # 预录入统一编号
    netwk_etps_arcrp_no: str = ""  # 档案库编号
    chg_tms_cnt: int | None = 0  # 变更次数
    etps_preent_no: str = ""  # 企业内部编号
    bizop_etpsno: str = ""  # 经营单位编码
    bizop_etps_sccd: str = ""  # 经营单位社会信用代码
    bizop_etps_nm: str = ""  # 经营单位名称
    rcvgd_etpsno: str = ""  # 加工单位编码
    rvsngd_etps_sccd: str = ""  # 加工单位社会信用代码
    rcvgd_etps_nm: str = ""  # 加工单位名称
    dcl_etpsno: str = ""  # 申报单位编码
    dcl_etps_sccd: str = ""  # 申报单位社会信用代码
    dcl_etps_nm: str = ""  # 申报单位名称
    dcl_etps_typecd: str = ""  # 申报单位类型
    conc_addr: str = ""  # 联系地址
    dcl_typecd: str = ""  # 申报类型
    finish_valid_date: dt.date | None = None  # 结束有效期
    prcs_prdc_ablt_amt: Decimal | None = None  # 加工生产能力(万美元)
    master_cuscd: str = ""  # 主管海关
    input_etps_typecd: str = ""  # 录入单位编码
    input_etps_sccd: str = ""  # 录入单位社会信用代码
    putrec_appr_time: dt.datetime | None = None  # 备案批准日期
    chg_appr_time: dt.datetime | None = None  # 变更批准日期
    input_time: dt.date | None = None  # 录入日期
    risk_assure_markcd: str = ""  # 风险担保标志
    qua_typecd: str = ""  # 资质类型
    apcret_no: str = ""  # 批准证编号
    rmk: str = ""  # 备注


@dataclass(frozen=True)
class QualificationGoods:
    """企业资质申请 料件/成品 row (NemsTrImgTypes / NemsTrExgTypes): the seed's grid columns."""

    gds_seqno: int | None = None  # 序号
    gds_mtno: str = ""  # 料号
    gdecd: str = ""  # 商品编码
    gds_nm: str = ""  # 商品名称
    endprd_gds_spcf_model_desc: str = ""  # 规格型号
    dcl_unitcd: str = ""  # 申报计量单位
    lawf_unitcd: str = ""  # 法定计量单位
    dcl_uprc_amt: Decimal | None = None  # 申报单价
    dcl_currcd: str = ""  # 币制
    dcl_qty: Decimal | None = None  # 申报数量
    dcl_total_amt: Decimal | None = None  # 申报总价
    natcd: str = ""  # 产销国(地区)
    modf_markcd: str = ""  # 修改标志
    rmk: str = ""  # 备注


def _tuple(obj: object, name: str) -> None:
    object.__setattr__(obj, name, tuple(getattr(obj, name)))


@dataclass(frozen=True)
class Inv101:
    """INV101 保税核注清单 as sent: envelope, head, goods lines and the InvtMessage fields.

    ``sys_id`` 子系统ID: 95 加工贸易账册系统 (B1 手册, Z7 特殊区域, Z8 保税物流 ...);
    ``oper_cus_reg_code``: the 10-digit customs code of the enterprise whose card operates;
    ``delcare_flag``: ``0`` 暂存 (the seed's 发送) or ``1`` 申报.
    """

    envelope: Envelope
    head: InvtHead
    items: tuple[InvtItem, ...] = ()
    sys_id: str = "95"
    oper_cus_reg_code: str = ""
    delcare_flag: str = "1"
    pocket: PocketInfo | None = None

    def __post_init__(self) -> None:
        _tuple(self, "items")


@dataclass(frozen=True)
class Nems:
    """EMS111 加工贸易账册 备案 (head.dcl_typecd 1, chg_tms_cnt 0, no ems_no) or 变更 (2, the
    change number and the book's ems_no): head, 料件, 成品, 单损耗. A 变更 carries the whole book,
    each row with its 修改标志 (0 未修改 1 修改 2 删除 3 增加)."""

    envelope: Envelope
    head: NemsHead
    imgs: tuple[NemsImg, ...] = ()
    exgs: tuple[NemsExg, ...] = ()
    cms: tuple[NemsCm, ...] = ()
    delcare_flag: str = "1"
    pocket: PocketInfo | None = None

    def __post_init__(self) -> None:
        for name in ("imgs", "exgs", "cms"):
            _tuple(self, name)


@dataclass(frozen=True)
class Qualification:
    """EMS101 企业资质申请 (联网企业档案库): head, 料件 and 成品 rows."""

    envelope: Envelope
    head: QualificationHead
    imgs: tuple[QualificationGoods, ...] = ()
    exgs: tuple[QualificationGoods, ...] = ()
    delcare_flag: str = "1"
    pocket: PocketInfo | None = None

    def __post_init__(self) -> None:
        for name in ("imgs", "exgs"):
            _tuple(self, name)


SasMessage = Inv101 | Nems | Qualification

# Field-table block -> dataclass (the builder and parser walk this).
BLOCK_TYPES: dict[str, type] = {
    "EnvelopInfo": Envelope, "PocketInfo": PocketInfo,
    "InvtHeadType": InvtHead, "InvtListType": InvtItem,
    "NemsHead": NemsHead, "NemsImgList": NemsImg, "NemsExgList": NemsExg, "NemsCmList": NemsCm,
    "NemsTrHeadType": QualificationHead, "NemsTrImgTypes": QualificationGoods, "NemsTrExgTypes": QualificationGoods,
}
# Message field -> block of its rows, per message class.
ROWS: dict[type, dict[str, str]] = {
    Inv101: {"items": "InvtListType"},
    Nems: {"imgs": "NemsImgList", "exgs": "NemsExgList", "cms": "NemsCmList"},
    Qualification: {"imgs": "NemsTrImgTypes", "exgs": "NemsTrExgTypes"},
}

UCNS_SCALE = Decimal("0.000000001")  # NemsCmList decimals are (19, 9)


def ucns_qty(net_useup_qty: Decimal, tgbl_loss_rate: Decimal | None, intgb_loss_rate: Decimal | None) -> Decimal:
    """单耗 = 净耗 / (1 - (有形损耗率 + 无形损耗率) / 100), rounded half up to 9 decimals.

    Source: the Single Window 单损耗 form's calculation (WEB in SOURCES.md; nems_fields.csv UcnsQty).
    ``ValueError`` when the loss rates add up to 100 % or more (the divisor would be <= 0).
    """
    loss = (tgbl_loss_rate or Decimal(0)) + (intgb_loss_rate or Decimal(0))
    if loss >= 100:
        raise ValueError("有形损耗率与无形损耗率之和应小于100")
    return (Decimal(net_useup_qty) / (1 - loss / 100)).quantize(UCNS_SCALE, rounding=ROUND_HALF_UP)


__all__ = [
    "BLOCK_TYPES", "ROWS", "Envelope", "Inv101", "InvtHead", "InvtItem", "Nems", "NemsCm", "NemsExg", "NemsHead",
    "NemsImg", "PocketInfo", "Qualification", "QualificationGoods", "QualificationHead", "SasMessage",
    "ucns_qty",
]
