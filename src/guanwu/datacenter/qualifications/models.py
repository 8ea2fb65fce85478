"""企业资质: the enterprise's own qualifications (加工贸易企业资质, AEO 认证, 报关单位备案 ...),
with their certificate number, issuer, validity, 主管海关 and the scanned certificate."""

from __future__ import annotations

from django.db import models

from guanwu.core.uploads import tenant_upload_path
from guanwu.datacenter.licences.models import ValidityRecord


class QualificationType(models.TextChoices):
    PROCESSING = "processing", "加工贸易企业资质"
    AEO = "aeo", "海关AEO认证"
    CUSTOMS_REG = "customs_reg", "报关单位备案"
    CIQ_REG = "ciq_reg", "出入境检验检疫备案"
    FOREIGN_TRADE = "foreign_trade", "对外贸易经营者备案"
    BONDED = "bonded", "保税监管场所资质"
    OTHER = "other", "其他资质"


def upload_to(instance: Qualification, filename: str) -> str:
    return tenant_upload_path("qualifications", instance, filename)


class Qualification(ValidityRecord):
    qual_type = models.CharField("资质类型", max_length=20, choices=QualificationType.choices)
    cert_no = models.CharField("证书编号", max_length=64)
    issuer = models.CharField("发证机关", max_length=100, blank=True)
    issue_date = models.DateField("发证日期", null=True, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止", null=True, blank=True, help_text="长期有效可不填")
    master_customs = models.CharField("主管海关", max_length=4, blank=True)
    scope = models.CharField("资质范围", max_length=255, blank=True)
    note = models.CharField("备注", max_length=255, blank=True)
    attachment = models.FileField("附件", upload_to=upload_to, max_length=255, blank=True)
    attachment_name = models.CharField("附件文件名", max_length=128, blank=True)
    attachment_size = models.PositiveIntegerField("附件大小", null=True, blank=True)

    class Meta(ValidityRecord.Meta):
        verbose_name = verbose_name_plural = "企业资质"
        constraints = [models.UniqueConstraint(fields=["enterprise", "qual_type", "cert_no"],
                                               name="uniq_qualification_no")]

    def __str__(self) -> str:
        return f"{self.get_qual_type_display()} {self.cert_no}"
