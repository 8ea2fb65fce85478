"""报关单表头: the DecHead fields, the one-row blocks DecFreeTxt and DecTpAccess, platform state."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.params.enums import IEFlag
from guanwu.tenancy.models import Enterprise, TenantModel

from .fields import date, decimal, integer, text


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", "暂存"
    DECLARED = "declared", "已申报"
    ACCEPTED = "accepted", "海关已接收"
    RELEASED = "released", "放行"
    CLOSED = "closed", "结关"
    REJECTED = "rejected", "退单"
    FAILED = "failed", "导入失败"


class Declaration(TenantModel):
    """One 报关单. Fields named after the DecHead elements (``IEFlag`` -> ``ie_flag``), then the
    DecFreeTxt and DecTpAccess elements, then platform state.

    DecSign is written at build time from ``client_seq_no`` and the head (operator card,
    inputer name); nothing else of it is stored.
    """

    # DecHead — 进口/出口报关单表头
    agent_code = text("申报单位代码", 10)
    agent_name = text("申报单位名称", 100)
    appr_no = text("批准文号", 32)
    bill_no = text("提单号", 32)
    contr_no = text("合同号", 32)
    cop_code = text("录入单位代码", 9)
    cop_name = text("录入单位名称", 70)
    custom_master = text("主管海关（申报地海关）", 4)
    cut_mode = text("征免性质", 3)
    data_source = text("扩展字段", 5)
    decl_trn_rel = text("报关/转关关系标志", 1)
    distinate_port = text("经停港/指运港", 6)
    edi_id = text("报关标志", 1)
    entry_id = text("海关编号", 18)
    entry_type = text("报关单类型", 1)
    fee_curr = text("运费币制", 3)
    fee_mark = text("运费标记", 1)
    fee_rate = decimal("运费／率", 19, 5)
    gross_wet = decimal("毛重", 19, 5)
    ie_date = date("进出口日期")
    ie_flag = text("进出口标志", 1, choices=IEFlag.choices)
    ie_port = text("进出境关别", 4)
    inputer_name = text("录入员名称", 32)
    insur_curr = text("保险费币制", 3)
    insur_mark = text("保险费标记", 1)
    insur_rate = decimal("保险费／率", 19, 5)
    license_no = text("许可证编号", 20)
    manual_no = text("备案号", 12)
    net_wt = decimal("净重", 19, 5)
    note_s = text("备注", 255)
    other_curr = text("杂费币制", 3)
    other_mark = text("杂费标志", 1)
    other_rate = decimal("杂费／率", 19, 5)
    owner_code = text("消费使用/生产销售单位代码", 18)
    owner_name = text("消费使用/生产销售单位名称", 100)
    pack_no = integer("件数", 9)
    partener_id = text("申报人标识", 20)
    p_date = date("打印日期")
    pre_entry_id = text("预录入编号", 9)
    risk = text("风险评估参数", 10)
    seq_no = text("数据中心统一编号", 18)
    tgd_no = text("关联单据号", 18)
    trade_country = text("启运国/运抵国", 3)
    trade_mode = text("监管方式", 4)
    trade_code = text("境内收发货人编号", 18)
    traf_mode = text("运输方式代码", 1)
    traf_name = text("运输工具代码及名称", 50)
    trade_name = text("境内收发货人名称", 100)
    trans_mode = text("成交方式", 1)
    type = text("单据类型", 6)
    typist_no = text("录入员IC卡号", 30)
    wrap_type = text("包装种类", 2)
    chk_surety = text("担保验放标志", 1)
    bill_type = text("备案清单类型", 1)
    cop_code_scc = text("录入单位统一编码", 18)
    trade_co_scc = text("收发货人统一编码", 18)
    agent_code_scc = text("申报代码统一编码", 18)
    owner_code_scc = text("消费使用/生产销售单位单位统一编码", 18)
    promise_itmes = text("价格说明", 32)
    trade_area_code = text("贸易国别", 3)
    check_flow = text("查验分流", 1)
    tax_aamin_mark = text("税收征管标记", 1)
    mark_no = text("标记唛码", 400)
    desp_port_code = text("启运港代码", 8)
    enty_port_code = text("入境口岸代码", 8)
    goods_place = text("存放地点", 100)
    bl_no = text("B/L号", 50)
    insp_org_code = text("口岸检验检疫机关", 10)
    spec_decl_flag = text("特种业务标识", 10)
    purp_org_code = text("目的地海关", 4)
    desp_date = date("启运日期")
    cmpl_dschrg_dt = date("卸毕日期")
    correlation_reason_flag = text("关联理由", 2)
    vsa_org_code = text("领证机关", 10)
    orig_box_flag = text("原集装箱标识", 1)
    declare_name = text("申报人员姓名", 50)
    no_other_pack = text("无其他包装", 1)
    org_code = text("检验检疫受理机关", 10)
    overseas_consignor_code = text("境外发货人代码", 50)
    overseas_consignor_cname = text("境外收发货人名称", 150)
    overseas_consignor_ename = text("境外发货人名称（外文）", 100)
    overseas_consignor_addr = text("境外收发货人地址", 100)
    overseas_consignee_code = text("境外收货人编码", 50)
    overseas_consignee_ename = text("境外收货人名称(外文)", 400)
    domestic_consignee_ename = text("境内收发货人名称（外文）", 400)
    correlation_no = text("关联号码", 500)
    edi_remark = text("EDI申报备注", 128)
    edi_remark2 = text("EDI申报备注2", 128)
    trade_ciq_code = text("境内收发货人检验检疫编码", 10)
    owner_ciq_code = text("消费使用/生产销售单位检验检疫编码", 10)
    decl_ciq_code = text("申报单位检验检疫编码", 10)

    # DecFreeTxt — 报关单自由文本信息
    bon_no = text("监管仓号", 32)
    cus_fie = text("货场代码", 8)
    dec_bp_no = text("报关员联系方式", 32)
    dec_no = text("申报人员证号", 13)
    rel_id = text("关联报关单号", 18)
    rel_man_no = text("关联备案号", 12)
    voy_no = text("航次号", 32)

    # DecTpAccess — 两段准入申请 (import only)
    transition_apply = text("转场申请", 1)
    transition_site = text("转入场所场地", 11)
    conditional_liftoff_apply = text("附条件提离申请", 1)
    port_dest_merge_check_apply = text("口岸与目的地合并检查申请", 1)

    # Platform state
    status = models.CharField(
        "状态", max_length=16, choices=DeclarationStatus.choices, default=DeclarationStatus.DRAFT
    )
    client_seq_no = models.CharField(
        "客户端报关单编号", max_length=18, unique=True, null=True, blank=True,
        help_text="DecSign/ClientSeqNo, allocated once before the first sending (see numbering.py)",
    )
    self_tax = models.BooleanField("自报自缴", default=False)
    # Not a DecMessage element: the enterprise's own number (an ERP order, a file reference), so
    # that importing the same file twice is recognised (services/drafts.py). Unique when given.
    internal_no = models.CharField(
        "企业内部编号", max_length=64, blank=True, default="",
        help_text="企业自编的唯一编号(如ERP单号), 不随报文发送; 同一企业内不能重复",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近操作时间", auto_now=True)
    declared_at = models.DateTimeField("申报时间", null=True, blank=True)
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    reject_reason = models.TextField("退单原因", blank=True)
    fail_reason = models.TextField("失败原因", blank=True)
    version = models.PositiveIntegerField("版本", default=1, help_text="optimistic lock: +1 on every change")
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name="复制自"
    )

    class Meta:
        verbose_name = verbose_name_plural = "报关单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "status", "created_at"], name="decl_ent_status_created"),
            models.Index(fields=["enterprise", "ie_flag", "created_at"], name="decl_ent_ieflag_created"),
            # the list's default order and the 申报日期 filter/sort
            models.Index(fields=["enterprise", "-created_at", "-id"], name="decl_ent_created_id"),
            models.Index(fields=["enterprise", "declared_at"], name="decl_ent_declared"),
            models.Index(fields=["enterprise", "trade_code"], name="decl_ent_trade_code"),
            models.Index(fields=["seq_no"], name="decl_seq_no"),
            models.Index(fields=["entry_id"], name="decl_entry_id"),
            models.Index(fields=["bill_no"], name="decl_bill_no"),
            models.Index(fields=["trade_name"], name="decl_trade_name"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "internal_no"], condition=~models.Q(internal_no=""),
                                    name="uniq_decl_internal_no"),
        ]

    def __str__(self) -> str:
        number = self.entry_id or self.seq_no or self.client_seq_no
        return f"报关单 {number}" if number else f"报关单 #{self.pk or '新建'}"


class ClientSeqCounter(models.Model):
    """Last ClientSeqNo number handed out for an enterprise (see ``numbering.py``)."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name="企业"
    )
    last = models.PositiveBigIntegerField("已分配序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "客户端编号计数器"

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.last}"
