"""加工贸易账册 (NEMS, EMS111): head, 料件, 成品, 单损耗 (BOM), 随附单据, versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.core.uploads import tenant_upload_path
from guanwu.tenancy.models import TenantModel

from .common import AttachedDocument, Status, Tracked
from .fields import date, datetime, decimal, integer, text


def _upload(instance: object, filename: str) -> str:
    return tenant_upload_path("processing", instance, filename)


class Book(Tracked):
    """One 加工贸易账册. Fields are the snake_case of the NemsHead elements; ``ems_no`` (账册编号)
    is filled by the approval receipt; ``chg_tms_cnt`` counts the 变更 declared."""

    seq_no = text("预录入统一编号", 18)
    ems_no = text("账册编号", 64)
    chg_tms_cnt = integer("变更次数", 19)
    etps_preent_no = text("企业内部编号", 64)
    master_cuscd = text("主管海关", 4)
    bizop_etps_sccd = text("经营企业社会信用代码", 18)
    bizop_etpsno = text("经营企业编号", 10)
    bizop_etps_nm = text("经营企业名称", 512)
    rvsngd_etps_sccd = text("加工企业社会信用代码", 18)
    rcvgd_etpsno = text("加工企业编号", 10)
    rcvgd_etps_nm = text("加工企业名称", 512)
    dcl_etps_sccd = text("申报企业社会信用代码", 18)
    dcl_etpsno = text("申报企业编号", 10)
    dcl_etps_nm = text("申报企业名称", 512)
    dcl_etps_typecd = text("申报企业类型代码", 1)
    ems_typecd = text("账册类型代码", 1)
    dcl_typecd = text("申报类型代码", 1)
    finish_valid_date = date("结束有效日期")
    apcret_no = text("批准证编号", 64)
    netwk_etps_arcrp_no = text("联网企业档案库编号", 64)
    max_tovr_amt = decimal("最大周转金额(万美元)", 25, 5)
    actl_imp_total_amt = decimal("实际进口总金额", 19, 5)
    actl_exp_total_amt = decimal("实际出口总金额", 19, 5)
    mtpck_item_cnt = decimal("料件项数", 19, 5)
    endprd_item_cnt = decimal("成品项数", 19, 5)
    dcl_time = datetime("申报时间")
    ucns_dcl_segcd = text("单耗申报环节代码", 1)
    dcl_markcd = text("申报标记代码", 1)
    emapv_stucd = text("审批状态代码", 1)
    pause_impexp_markcd = text("暂停进出口标记代码", 1)
    pause_chg_markcd = text("暂停变更标记代码", 1)
    putrec_appr_time = datetime("备案批准日期")
    chg_appr_time = datetime("变更批准日期")
    rcnt_vclr_time = datetime("最近核销日期")
    vclr_apply_time = datetime("核销申请时间")
    vclr_prid_val = integer("核销周期(天)", 19)
    adjacc_markcd = text("核算标记代码", 4)
    adjacc_tms_cnt = integer("核算次数", 19)
    ucns_verno_cntr_flag = text("单耗版本号控制标志", 1)
    rcase_markcd = text("涉案标记代码", 1)
    etps_poses_sadja_qua_flag = text("企业具备自核资格标志", 1)
    imp_max_account = decimal("最大进口金额(美元)", 19, 5)
    usage_typecd = text("账册用途", 4)
    input_etps_typecd = text("录入单位编码", 10)
    input_etps_sccd = text("录入单位社会信用代码", 18)
    input_etps_nm = text("录入单位名称", 512)
    input_time = date("录入日期")
    rmk = text("备注", 512)
    change_pending = models.BooleanField("变更中", default=False,
                                         help_text="an approved book being changed: a 变更 not yet approved")

    class Meta:
        verbose_name = verbose_name_plural = "加工贸易账册"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "status"], name="proc_book_ent_status"),
            models.Index(fields=["enterprise", "ems_no"], name="proc_book_ent_ems_no"),
        ]

    def __str__(self) -> str:
        return self.ems_no or self.etps_preent_no or f"账册 {self.pk}"

    @property
    def approved_once(self) -> bool:
        """Has customs given it a number (then a change is a 变更, never a delete)."""
        return bool(self.ems_no)


class BookGoods(TenantModel):
    """What a book's 料件 (NemsImgList) and 成品 (NemsExgList) share: the goods keyed by 序号
    ``gds_seqno`` in their book (each adds its ``book`` with its own related name)."""

    gds_seqno = integer("商品序号", 19)
    gds_mtno = text("料号", 32)
    gdecd = text("商品编码", 10)
    gds_nm = text("商品名称", 512)
    endprd_gds_spcf_model_desc = text("规格型号", 512)
    dcl_unitcd = text("申报计量单位", 3)
    lawf_unitcd = text("法定计量单位", 3)
    secd_lawf_unitcd = text("第二法定计量单位", 3)
    dcl_uprc_amt = decimal("申报单价", 25, 5)
    dcl_currcd = text("币制", 3)
    dcl_qty = decimal("申报数量", 19, 5)
    lvyrlf_modecd = text("征免方式", 6)
    qty_cntr_markcd = text("数量控制标志", 1)
    modf_markcd = text("修改标志", 1)
    etps_exe_markcd = text("企业执行标志", 1)
    cusm_exe_markcd = text("海关执行标志", 1)
    appr_max_surp_qty = decimal("批准最大余数量", 19, 5)
    vclr_prid_init_qty = decimal("核销周期初始数量", 19, 5)
    ucns_tqsn_flag = text("单耗质疑标志", 1)
    csttn_flag = text("磋商标志", 1)
    rmk = text("备注", 512)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.gds_seqno} {self.gds_nm}"


class BookMaterial(BookGoods):
    """账册料件 (NemsImgList): an imported material, keyed by 序号 ``gds_seqno`` in its book."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="materials", verbose_name="账册")
    adjmtr_markcd = text("主料标志", 1)

    class Meta:
        verbose_name = verbose_name_plural = "账册料件"
        ordering = ["book_id", "gds_seqno", "id"]
        constraints = [models.UniqueConstraint(fields=["book", "gds_seqno"], name="uniq_proc_material_seqno")]


class BookProduct(BookGoods):
    """账册成品 (NemsExgList): a finished product, keyed by 序号 ``gds_seqno`` in its book."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="products", verbose_name="账册")

    class Meta:
        verbose_name = verbose_name_plural = "账册成品"
        ordering = ["book_id", "gds_seqno", "id"]
        constraints = [models.UniqueConstraint(fields=["book", "gds_seqno"], name="uniq_proc_product_seqno")]


class BookBom(TenantModel):
    """单损耗 (NemsCmList): per 成品序号 and 单耗版本号, how much of a 料件 one unit consumes.
    ``ucns_qty`` (单耗) = 净耗 / (1 - (有形 + 无形损耗率) / 100), kept by the services."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="boms", verbose_name="账册")
    g_seqno = integer("序号", 19)
    endprd_seqno = integer("成品序号", 19)
    endprd_gds_mtno = text("成品料号", 32)
    endprd_gdecd = text("成品商品编码", 10)
    endprd_gds_nm = text("成品商品名称", 512)
    mtpck_seqno = integer("料件序号", 19)
    mtpck_gds_mtno = text("料件料号", 32)
    mtpck_gdecd = text("料件商品编码", 10)
    mtpck_gds_nm = text("料件商品名称", 512)
    ucns_verno = text("单耗版本号", 8)
    ucns_qty = decimal("单耗", 19, 9)
    net_useup_qty = decimal("净耗", 19, 9)
    tgbl_loss_rate = decimal("有形损耗率", 19, 9)
    intgb_loss_rate = decimal("无形损耗率", 19, 9)
    ucns_dcl_stucd = text("单耗申报状态", 1)
    bond_mtpck_prpr = decimal("保税料件比例", 19, 9)
    modf_markcd = text("修改标志", 1)
    etps_exe_markcd = text("企业执行标志", 1)
    valid_date = date("单耗有效期")
    rmk = text("备注", 512)

    class Meta:
        verbose_name = verbose_name_plural = "账册单损耗"
        ordering = ["book_id", "endprd_seqno", "ucns_verno", "mtpck_seqno", "id"]
        constraints = [
            models.UniqueConstraint(fields=["book", "endprd_seqno", "ucns_verno", "mtpck_seqno"],
                                    name="uniq_proc_bom_line"),
        ]
        indexes = [
            models.Index(fields=["book", "mtpck_seqno"], name="proc_bom_book_mtpck"),
            # covering the balances' joins with the BOM (services.balances: the rebuild, the check): no table lookups
            models.Index(fields=["book", "endprd_seqno", "ucns_verno", "modf_markcd", "mtpck_seqno", "ucns_qty"],
                         name="proc_bom_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.endprd_seqno}/{self.ucns_verno} -> {self.mtpck_seqno}"


class BookDocument(AttachedDocument):
    """随附单据 of an 账册."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="documents", verbose_name="账册")
    file = models.FileField("文件", upload_to=_upload, max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "账册随附单据"
        ordering = ["book_id", "id"]


class BookVersion(TenantModel):
    """One declared state of a book: 备案 (``chg_tms_cnt`` 0) or a 变更 (1, 2, ...), with the whole
    book as sent (``snapshot``) and what changed against the previous version (``diff``:
    ``{"head": {field: [old, new]}, "materials"|"products"|"boms": {"added": [...], "changed": [...],
    "deleted": [...]}}``)."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="versions", verbose_name="账册")
    chg_tms_cnt = models.PositiveIntegerField("变更次数")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DECLARED)
    snapshot = models.JSONField("账册内容", default=dict)
    diff = models.JSONField("变更内容", default=dict, blank=True)
    summary = models.CharField("变更摘要", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="申报人")
    created_at = models.DateTimeField("申报时间", auto_now_add=True)
    approved_at = models.DateTimeField("审批日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "账册版本"
        ordering = ["book_id", "-chg_tms_cnt", "-id"]
        constraints = [models.UniqueConstraint(fields=["book", "chg_tms_cnt"], name="uniq_proc_book_version")]

    def __str__(self) -> str:
        return f"{self.book_id} v{self.chg_tms_cnt}"
