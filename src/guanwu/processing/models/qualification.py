"""企业资质申请 (EMS101, the seed's section 一): head = 资质数据明细, 料件/成品 rows, 随附单据."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.core.uploads import tenant_upload_path
from guanwu.tenancy.models import TenantModel

from .common import AttachedDocument, GoodsKind, Status, Tracked
from .fields import date, datetime, decimal, integer, text


def _upload(instance: object, filename: str) -> str:
    return tenant_upload_path("processing", instance, filename)


class QualificationApplication(Tracked):
    """One 企业资质申请. Fields are the snake_case of the NemsTrHeadType elements (EMS101,
    ``messages/sas/data/ems101_fields.csv``), in the seed's order."""

    seq_no = text("预录入统一编号", 18)
    netwk_etps_arcrp_no = text("档案库编号", 64)
    chg_tms_cnt = integer("变更次数", 19)
    etps_preent_no = text("企业内部编号", 64)
    bizop_etpsno = text("经营单位编码", 10)
    bizop_etps_sccd = text("经营单位社会信用代码", 18)
    bizop_etps_nm = text("经营单位名称", 512)
    rcvgd_etpsno = text("加工单位编码", 10)
    rvsngd_etps_sccd = text("加工单位社会信用代码", 18)
    rcvgd_etps_nm = text("加工单位名称", 512)
    dcl_etpsno = text("申报单位编码", 10)
    dcl_etps_sccd = text("申报单位社会信用代码", 18)
    dcl_etps_nm = text("申报单位名称", 512)
    dcl_etps_typecd = text("申报单位类型", 1)
    conc_addr = text("联系地址", 255)
    dcl_typecd = text("申报类型", 1)
    finish_valid_date = date("结束有效期")
    prcs_prdc_ablt_amt = decimal("加工生产能力(万美元)", 25, 5)
    master_cuscd = text("主管海关", 4)
    input_etps_typecd = text("录入单位编码", 10)
    input_etps_sccd = text("录入单位社会信用代码", 18)
    putrec_appr_time = datetime("备案批准日期")
    chg_appr_time = datetime("变更批准日期")
    input_time = date("录入日期")
    risk_assure_markcd = text("风险担保标志", 1)
    qua_typecd = text("资质类型", 1)
    apcret_no = text("批准证编号", 64)
    rmk = text("备注", 512)
    change_pending = models.BooleanField("变更中", default=False,
                                         help_text="an approved application being changed: a 变更 not yet approved")

    class Meta:
        verbose_name = verbose_name_plural = "企业资质申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "status"], name="proc_qual_ent_status")]

    def __str__(self) -> str:
        return self.seq_no or self.etps_preent_no or f"企业资质申请 {self.pk}"

    @property
    def approved_once(self) -> bool:
        """Has customs given it a 档案库编号 (then 修改 is a 变更 of the record, never a new 备案)."""
        return bool(self.netwk_etps_arcrp_no)


class QualificationGoods(TenantModel):
    """料件 (kind I) or 成品 (kind E) row of a 企业资质申请: the seed's grid columns."""

    application = models.ForeignKey(QualificationApplication, on_delete=models.CASCADE, related_name="goods",
                                     verbose_name="企业资质申请")
    kind = models.CharField("料件/成品", max_length=1, choices=GoodsKind.choices)
    gds_seqno = integer("序号", 19)
    gds_mtno = text("料号", 32)
    gdecd = text("商品编码", 10)
    gds_nm = text("商品名称", 512)
    endprd_gds_spcf_model_desc = text("规格型号", 512)
    dcl_unitcd = text("申报计量单位", 3)
    lawf_unitcd = text("法定计量单位", 3)
    dcl_uprc_amt = decimal("申报单价", 25, 5)
    dcl_currcd = text("币制", 3)
    dcl_qty = decimal("申报数量", 19, 5)
    dcl_total_amt = decimal("申报总价", 25, 5)
    natcd = text("产销国(地区)", 3)
    modf_markcd = text("修改标志", 1)
    rmk = text("备注", 512)

    class Meta:
        verbose_name = verbose_name_plural = "企业资质料件成品"
        ordering = ["application_id", "kind", "gds_seqno", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "gds_seqno"], name="uniq_proc_qual_goods_seqno"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.gds_seqno} {self.gds_nm}"


class QualificationDocument(AttachedDocument):
    """随附单据 of a 企业资质申请."""

    application = models.ForeignKey(QualificationApplication, on_delete=models.CASCADE, related_name="documents",
                                     verbose_name="企业资质申请")
    file = models.FileField("文件", upload_to=_upload, max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业资质随附单据"
        ordering = ["application_id", "id"]


class QualificationVersion(TenantModel):
    """One declared state of an application: 备案 (``chg_tms_cnt`` 0) or a 变更 (1, 2, ...), with
    head and goods as sent (``snapshot``), as ``BookVersion`` keeps a book's."""

    application = models.ForeignKey(QualificationApplication, on_delete=models.CASCADE, related_name="versions",
                                     verbose_name="企业资质申请")
    chg_tms_cnt = models.PositiveIntegerField("变更次数")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DECLARED)
    snapshot = models.JSONField("申请内容", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="申报人")
    created_at = models.DateTimeField("申报时间", auto_now_add=True)
    approved_at = models.DateTimeField("审批日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业资质申请版本"
        ordering = ["application_id", "-chg_tms_cnt", "-id"]
        constraints = [models.UniqueConstraint(fields=["application", "chg_tms_cnt"], name="uniq_proc_qual_version")]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.chg_tms_cnt}"
