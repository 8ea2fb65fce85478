"""许可证 and 证书 of an enterprise.

A ``Licence`` is a permit with quantity limits per goods line (进口许可证, 自动进口许可证, 两用物项
许可证 ...). ``docu_code`` is the 监管证件代码 it satisfies on a declaration's 随附单证 (licence-docs
table: 进口许可证 "1", 自动进口许可证 "7", 自动进口许可证(新旧机电产品) "O" ...); ``licence_type``
is the 许可证类别 of the CIQ part (licence-types table), cited on goods items (产品资质). A released
declaration that cites the licence consumes its lines (``LicenceUsage``, one row per line and
declaration); ``LicenceLine.used_qty`` keeps their sum so balances are read without aggregation.

A ``Certificate`` (原产地证书, 3C, 检验检疫证书 ...) has no quantities: number, issuer, dates, the
goods it covers and the scanned original.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from guanwu.core.uploads import tenant_upload_path
from guanwu.tenancy.models import TenantModel

EXPIRY_WARNING_DAYS = 30


class ValidityStatus(models.TextChoices):
    """How a licence or certificate stands today (computed, never stored)."""

    NOT_YET = "not_yet", "未生效"
    VALID = "valid", "有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "已过期"
    EXHAUSTED = "exhausted", "已用完"


def validity_status(valid_from: dt.date | None, valid_to: dt.date | None, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if valid_from and valid_from > today:
        return ValidityStatus.NOT_YET
    if valid_to and valid_to < today:
        return ValidityStatus.EXPIRED
    if valid_to and valid_to <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return ValidityStatus.EXPIRING
    return ValidityStatus.VALID


class ValidityRecord(TenantModel):
    """A record with a validity (许可证, 证书, 企业资质): who made it and when, newest first."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近修改时间", auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def status(self, today: dt.date | None = None) -> str:
        return validity_status(getattr(self, "valid_from", None), self.valid_to, today)  # type: ignore[attr-defined]

    def status_label(self, today: dt.date | None = None) -> str:
        return ValidityStatus(self.status(today)).label


class Licence(ValidityRecord):
    licence_no = models.CharField("许可证编号", max_length=40)
    docu_code = models.CharField(
        "监管证件代码", max_length=1, blank=True,
        help_text="报关单随附单证中引用本许可证时的单证代码 (监管证件代码表)",
    )
    licence_type = models.CharField(
        "许可证类别", max_length=5, blank=True, help_text="检验检疫许可证类别 (许可证类别代码表)"
    )
    holder_name = models.CharField("持证单位名称", max_length=100)
    holder_code = models.CharField("持证单位代码", max_length=18, blank=True, help_text="海关编码或统一社会信用代码")
    issuer = models.CharField("发证机关", max_length=100, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    note = models.CharField("备注", max_length=255, blank=True)

    class Meta(ValidityRecord.Meta):
        verbose_name = verbose_name_plural = "许可证"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "licence_no"], name="uniq_licence_no_per_enterprise"),
        ]
        indexes = [models.Index(fields=["enterprise", "valid_to"], name="licence_ent_valid_to")]

    def __str__(self) -> str:
        return f"许可证 {self.licence_no}"

    def status(self, today: dt.date | None = None) -> str:
        """Expired/not yet valid first, then 已用完 when every line is consumed, else by date."""
        status = super().status(today)
        if status in (ValidityStatus.EXPIRED, ValidityStatus.NOT_YET):
            return status
        if self.is_exhausted:
            return ValidityStatus.EXHAUSTED
        return status

    @property
    def is_exhausted(self) -> bool:
        lines = list(self.lines.all())
        return bool(lines) and all(line.remaining <= 0 for line in lines)


class LicenceLine(models.Model):
    """One goods line: HS code (8 or 10 digits), name, the allowed quantity in ``unit``."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="lines", verbose_name="许可证")
    line_no = models.PositiveSmallIntegerField("序号")
    code_ts = models.CharField("商品编号", max_length=10)
    g_name = models.CharField("商品名称", max_length=255)
    qty = models.DecimalField("许可数量", max_digits=19, decimal_places=5)
    unit = models.CharField("计量单位", max_length=3)
    used_qty = models.DecimalField("已核销数量", max_digits=19, decimal_places=5, default=Decimal(0))

    class Meta:
        verbose_name = verbose_name_plural = "许可证商品"
        ordering = ["licence_id", "line_no"]
        constraints = [models.UniqueConstraint(fields=["licence", "line_no"], name="uniq_licence_line_no")]

    def __str__(self) -> str:
        return f"{self.line_no}. {self.code_ts} {self.g_name}"

    @property
    def remaining(self) -> Decimal:
        return self.qty - self.used_qty


class LicenceUsage(models.Model):
    """What one released declaration consumed of one licence line (once per declaration)."""

    line = models.ForeignKey(LicenceLine, on_delete=models.CASCADE, related_name="usages", verbose_name="许可证商品")
    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="+", verbose_name="报关单"
    )
    qty = models.DecimalField("核销数量", max_digits=19, decimal_places=5)
    g_nos = models.CharField("报关单商品项号", max_length=150, blank=True)
    note = models.CharField("说明", max_length=255, blank=True)
    created_at = models.DateTimeField("核销时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "许可证核销记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "declaration"], name="uniq_licence_usage_per_declaration"),
        ]

    def __str__(self) -> str:
        return f"{self.line} - {self.qty}"


class CertificateType(models.TextChoices):
    ORIGIN = "origin", "原产地证书"
    CCC = "ccc", "3C认证证书"
    INSPECTION = "inspection", "检验检疫证书"
    HEALTH = "health", "卫生证书"
    PHYTOSANITARY = "phytosanitary", "植物检疫证书"
    VETERINARY = "veterinary", "兽医(卫生)证书"
    FUMIGATION = "fumigation", "熏蒸证书"
    TEST_REPORT = "test_report", "检测报告"
    OTHER = "other", "其他证书"


def certificate_upload_to(instance: Certificate, filename: str) -> str:
    """Stored names are generated: the uploaded name is kept only for display."""
    return tenant_upload_path("certificates", instance, filename)


class Certificate(ValidityRecord):
    cert_type = models.CharField("证书类型", max_length=20, choices=CertificateType.choices)
    cert_no = models.CharField("证书编号", max_length=64)
    issuer = models.CharField("签发机构", max_length=100, blank=True)
    issue_date = models.DateField("签发日期", null=True, blank=True)
    valid_to = models.DateField("有效期至", null=True, blank=True)
    note = models.CharField("备注", max_length=255, blank=True)
    attachment = models.FileField("附件", upload_to=certificate_upload_to, max_length=255, blank=True)
    attachment_name = models.CharField("附件文件名", max_length=128, blank=True)
    attachment_size = models.PositiveIntegerField("附件大小", null=True, blank=True)

    class Meta(ValidityRecord.Meta):
        verbose_name = verbose_name_plural = "证书"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "cert_type", "cert_no"], name="uniq_certificate_no"),
        ]
        indexes = [models.Index(fields=["enterprise", "valid_to"], name="certificate_ent_valid_to")]

    def __str__(self) -> str:
        return f"{self.get_cert_type_display()} {self.cert_no}"


class CertificateGoods(models.Model):
    """Goods a certificate covers: free lines of HS code and name."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="goods", verbose_name="证书")
    line_no = models.PositiveSmallIntegerField("序号")
    code_ts = models.CharField("商品编号", max_length=10, blank=True)
    g_name = models.CharField("商品名称", max_length=255, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "证书商品"
        ordering = ["certificate_id", "line_no"]

    def __str__(self) -> str:
        return f"{self.code_ts} {self.g_name}".strip()
