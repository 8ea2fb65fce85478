"""保税核注清单 (INV101): head and goods lines, with the balance state of the list."""

from __future__ import annotations

from django.db import models

from guanwu.tenancy.models import TenantModel

from .book import Book
from .common import Tracked
from .fields import date, datetime, decimal, integer, text


class Movement(models.TextChoices):
    """What a list does to the balances of its book's materials (from its head, see
    ``services.balances.movement_of``)."""

    IMPORT = "import", "料件进口"
    EXPORT = "export", "成品出口(耗用)"
    RETURN = "return", "料件退运"
    DOMESTIC_SALE = "domestic_sale", "料件内销"
    NONE = "none", "不影响余额"


class BalanceState(models.TextChoices):
    """Where the list's quantities stand in the balances: none (draft), reserved (declared,
    awaiting customs), posted (customs approved/核扣), released (customs returned or deleted it)."""

    NONE = "none", "未占用"
    RESERVED = "reserved", "已预占"
    POSTED = "posted", "已核扣"
    RELEASED = "released", "已释放"


class Inventory(Tracked):
    """One 保税核注清单 (进口 or 出口). Fields are the snake_case of the InvtHeadType elements;
    ``bond_invt_no`` (清单编号) comes with INV201, ``seq_no`` with the client's response."""

    book = models.ForeignKey(Book, on_delete=models.PROTECT, null=True, blank=True, related_name="inventories",
                             verbose_name="账册")
    seq_no = text("预录入统一编号", 18)
    bond_invt_no = text("保税清单编号", 64)
    chg_tms_cnt = integer("变更次数", 19)
    putrec_no = text("备案编号", 64)
    etps_inner_invt_no = text("企业内部清单编号", 64)
    bizop_etps_sccd = text("经营企业社会信用代码", 18)
    bizop_etpsno = text("经营企业编号", 10)
    bizop_etps_nm = text("经营企业名称", 512)
    rvsngd_etps_sccd = text("收发货企业社会信用代码", 18)
    rcvgd_etpsno = text("收发货企业编号", 10)
    rcvgd_etps_nm = text("收发货企业名称", 512)
    dcl_etps_sccd = text("申报企业社会信用代码", 18)
    dcl_etpsno = text("申报企业编号", 10)
    dcl_etps_nm = text("申报企业名称", 512)
    input_code = text("录入企业编号", 10)
    input_credit_code = text("录入企业社会信用代码", 18)
    input_name = text("录入单位名称", 255)
    input_time = date("录入日期")
    invt_dcl_time = date("清单申报日期")
    entry_dcl_time = date("报关单申报日期")
    entry_no = text("对应报关单编号", 64)
    corr_entry_dcl_etps_sccd = text("对应报关单申报单位社会信用代码", 18)
    corr_entry_dcl_etps_no = text("对应报关单申报单位编码", 10)
    corr_entry_dcl_etps_nm = text("对应报关单申报单位名称", 512)
    rlt_invt_no = text("关联清单编号", 64)
    rlt_putrec_no = text("关联备案编号", 64)
    rlt_entry_no = text("关联报关单编号", 64)
    rlt_entry_bizop_etps_sccd = text("关联报关单境内收发货人社会信用代码", 18)
    rlt_entry_bizop_etpsno = text("关联报关单境内收发货人编号", 10)
    rlt_entry_bizop_etps_nm = text("关联报关单境内收发货人名称", 512)
    rlt_entry_rvsngd_etps_sccd = text("关联报关单生产销售(消费使用)单位社会信用代码", 18)
    rlt_entry_rcvgd_etpsno = text("关联报关单生产销售(消费使用)单位编码", 10)
    rlt_entry_rcvgd_etps_nm = text("关联报关单生产销售(消费使用)单位名称", 512)
    rlt_entry_dcl_etps_sccd = text("关联报关单申报单位社会信用代码", 18)
    rlt_entry_dcl_etps_nm = text("关联报关单申报单位名称", 512)
    rlt_entry_dcl_etpsno = text("关联报关单申报单位编码", 10)
    impexp_portcd = text("进出境关别", 4)
    dcl_plc_cuscd = text("申报地关区代码", 4)
    impexp_markcd = text("进出口标记代码", 1)
    mtpck_endprd_markcd = text("料件成品标记代码", 1)
    supv_modecd = text("监管方式代码", 4)
    trsp_modecd = text("运输方式代码", 1)
    apply_no = text("申请表编号", 64)
    list_type = text("流转类型", 1)
    dclcus_flag = text("是否报关标志", 1)
    dclcus_typecd = text("报关类型代码", 1)
    prevd_time = datetime("预核扣时间")
    formal_vrfded_time = datetime("正式核扣时间")
    invt_iochkpt_stucd = text("清单进出卡口状态代码", 1)
    vrfded_markcd = text("核扣标记代码", 1)
    ic_card_no = text("申报人IC卡号", 20)
    list_stat = text("清单状态", 1)
    dec_type = text("报关单类型", 1)
    rmk = text("备注", 512)
    stship_trsarv_natcd = text("起运/运抵国(地区)", 3)
    invt_type = text("清单类型", 1)
    entry_stucd = text("报关状态", 1)
    passport_used_type_cd = text("核放单生成标志代码", 1)
    add_time = datetime("添加时间")
    dcl_typecd = text("申报类型", 1)
    need_entry_modified = text("报关单同步修改标志", 1)
    levy_bl_amt = decimal("计征金额", 25, 5)
    gen_dec_flag = text("是否生成报关单", 1)
    movement = models.CharField("余额影响", max_length=16, choices=Movement.choices, default=Movement.NONE)
    balance_state = models.CharField("余额状态", max_length=16, choices=BalanceState.choices,
                                     default=BalanceState.NONE, db_index=True)
    declaration = models.ForeignKey("declarations.Declaration", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="报关单草稿")
    entry_seq_no = models.CharField("报关单统一编号", max_length=18, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "保税核注清单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "status"], name="proc_invt_ent_status"),
            models.Index(fields=["book", "balance_state", "movement"], name="proc_invt_book_balance"),
            models.Index(fields=["bond_invt_no"], name="proc_invt_bond_invt_no"),
            models.Index(fields=["seq_no"], name="proc_invt_seq_no"),
        ]

    def __str__(self) -> str:
        return self.bond_invt_no or self.etps_inner_invt_no or f"核注清单 {self.pk}"


class InventoryItem(TenantModel):
    """核注清单表体 (InvtListType): one goods line; ``putrec_seqno`` (备案序号) is the 序号 of the
    book's 料件 (料件成品标志 I) or 成品 (E)."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="items",
                                  verbose_name="核注清单")
    gds_seqno = integer("商品序号", 19)
    putrec_seqno = integer("备案序号", 19)
    gds_mtno = text("商品料号", 32)
    gdecd = text("商品编码", 10)
    gds_nm = text("商品名称", 512)
    gds_spcf_model_desc = text("商品规格型号", 512)
    dcl_unitcd = text("申报计量单位", 3)
    lawf_unitcd = text("法定计量单位", 3)
    secd_lawf_unitcd = text("第二法定计量单位", 3)
    natcd = text("原产国(地区)", 3)
    dcl_uprc_amt = decimal("企业申报单价", 19, 4)
    dcl_total_amt = decimal("企业申报总价", 19, 2)
    usd_stat_total_amt = decimal("美元统计总金额", 25, 5)
    dcl_currcd = text("币制", 3)
    lawf_qty = decimal("法定数量", 19, 5)
    secd_lawf_qty = decimal("第二法定数量", 19, 5)
    wt_sf_val = decimal("重量比例因子", 19, 5)
    fst_sf_val = decimal("第一比例因子", 19, 5)
    secd_sf_val = decimal("第二比例因子", 19, 5)
    dcl_qty = decimal("申报数量", 19, 5)
    gross_wt = decimal("毛重", 19, 5)
    net_wt = decimal("净重", 19, 5)
    use_cd = text("重点商品标识", 4)
    lvyrlf_modecd = text("征免方式", 6)
    ucns_verno = text("单耗版本号", 8)
    entry_gds_seqno = integer("报关单商品序号", 19)
    apply_tb_seqno = integer("流转申报表序号", 19)
    cly_markcd = text("危化品标志", 4)
    destination_natcd = text("最终目的国(地区)", 3)
    modf_markcd = text("修改标志", 1)
    rmk = text("备注", 512)
    add_time = datetime("添加时间")

    class Meta:
        verbose_name = verbose_name_plural = "保税核注清单表体"
        ordering = ["inventory_id", "gds_seqno", "id"]
        constraints = [models.UniqueConstraint(fields=["inventory", "gds_seqno"], name="uniq_proc_invt_item_seqno")]
        indexes = [models.Index(fields=["inventory", "putrec_seqno"], name="proc_invt_item_putrec")]

    def __str__(self) -> str:
        return f"{self.gds_seqno} {self.gds_nm}"
