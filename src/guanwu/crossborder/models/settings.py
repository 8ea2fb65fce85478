"""设置: the enterprise's 企业简码 and message defaults, the logistics companies' 物流简码."""

from __future__ import annotations

from django.db import models

from guanwu.tenancy.models import TenantModel

from .fields import text


class CrossborderSettings(TenantModel):
    """One row per enterprise (created on first use): the 企业简码 of its batch numbers and what
    its messages carry when the file does not say (the enterprise itself as 电商企业/申报企业)."""

    short_code = text("企业简码", 10, help_text="商品批次号中的企业简码: 大写字母或数字")
    customs_code = text("申报地海关代码", 4)
    port_code = text("出口口岸代码", 4)
    ebp_code = text("电商平台代码", 18)
    ebp_name = text("电商平台名称", 100)
    agent_code = text("申报企业代码", 18)
    agent_name = text("申报企业名称", 100)
    dxp_id = text("报文传输编号", 30, help_text="BaseTransfer/dxpId: 向中国电子口岸数据中心申请的传输节点标识")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "跨境设置"
        constraints = [models.UniqueConstraint(fields=["enterprise"], name="cb_settings_enterprise")]

    def __str__(self) -> str:
        return f"跨境设置 {self.short_code or ''}".strip()


class LogisticsCompany(TenantModel):
    """A logistics company the enterprise ships with: its 物流简码 starts the batch numbers."""

    logistics_code = text("物流企业代码", 18)
    logistics_name = text("物流企业名称", 100)
    short_code = models.CharField("物流简码", max_length=10, help_text="商品批次号开头的物流简码: 大写字母或数字")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "物流企业"
        ordering = ["short_code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "short_code"], name="cb_logistics_short_code"),
        ]

    def __str__(self) -> str:
        return f"{self.short_code} {self.logistics_name}".strip()
