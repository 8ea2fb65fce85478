"""Statuses and the parts every processing-trade document shares."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.tenancy.models import TenantModel


class Status(models.TextChoices):
    """Platform status of a 企业资质申请, 账册 or 核注清单: ``draft``/``sent`` are ours, the others
    the states the receipts imply (``guanwu.messages.sas.codes.STATES``)."""

    DRAFT = "draft", "暂存"
    SENT = "sent", "已发送(单一窗口暂存)"
    DECLARED = "declared", "已申报"
    FAILED = "failed", "导入失败"
    ACCEPTED = "accepted", "海关入库成功"
    MANUAL_REVIEW = "manual_review", "转人工审核"
    APPROVED = "approved", "审核通过"
    PRE_VERIFIED = "pre_verified", "预核扣"
    VERIFIED = "verified", "已核扣"
    WRITTEN_OFF = "written_off", "已核销"
    REJECTED = "rejected", "海关退单"
    DELETED = "deleted", "删单"


# Statuses in which the document is with the Single Window/customs: no edit, no delete.
LOCKED_STATUSES = frozenset({
    Status.DECLARED, Status.ACCEPTED, Status.MANUAL_REVIEW, Status.APPROVED, Status.PRE_VERIFIED,
    Status.VERIFIED, Status.WRITTEN_OFF, Status.DELETED,
})
# Statuses in which the user may edit and declare again.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.SENT, Status.FAILED, Status.REJECTED})


class GoodsKind(models.TextChoices):
    """料件 (imported material) or 成品 (finished product): the 料件成品标志 codes."""

    MATERIAL = "I", "料件"
    PRODUCT = "E", "成品"


class Tracked(TenantModel):
    """Head of a document: who made it, when, and its platform status."""

    status = models.CharField("数据状态", max_length=16, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    declared_at = models.DateTimeField("申报时间", null=True, blank=True)
    approved_at = models.DateTimeField("审批日期", null=True, blank=True)
    client_seq_no = models.CharField("报文编号", max_length=64, blank=True, db_index=True,
                                     help_text="EnvelopInfo/message_id of the last sending; receipts are matched by it")

    class Meta:
        abstract = True

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class AttachedDocument(TenantModel):
    """随附单据: a file attached to a 企业资质申请 or an 账册 (the 随附单据 tab)."""

    acmp_form_typecd = models.CharField("随附单证类型", max_length=8, blank=True)
    acmp_form_no = models.CharField("随附单证编号", max_length=64, blank=True)
    acmp_form_file_nm = models.CharField("文件名", max_length=255, blank=True)
    rmk = models.CharField("备注", max_length=255, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True
