"""商品批次号: 物流简码 + 日期 + 企业简码 + 两位流水号 (seed 003, 9710 出口订单管理 step 4 注)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.tenancy.models import TenantModel


class Batch(TenantModel):
    """One 商品批次号 of the enterprise: its orders, lists and summaries carry it. Created by the
    first import or order that names it (the number is checked by ``services.batches``)."""

    batch_no = models.CharField("商品批次号", max_length=40)
    logistics_short_code = models.CharField("物流简码", max_length=10)
    batch_date = models.DateField("日期")
    enterprise_short_code = models.CharField("企业简码", max_length=10)
    serial = models.PositiveSmallIntegerField("流水号")
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "商品批次"
        ordering = ["-batch_date", "-batch_no"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "batch_no"], name="cb_batch_no")]
        indexes = [models.Index(fields=["enterprise", "batch_date"], name="cb_batch_date")]

    def __str__(self) -> str:
        return self.batch_no
