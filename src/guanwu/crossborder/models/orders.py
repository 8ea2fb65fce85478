"""9710 出口订单 and 9810 出口订仓单: the CEB303 OrderHead / OrderList elements.

One model for both: ``order_type`` B (9710 B2B 出口订单) or W (9810 海外仓订仓单, whose
``order_no`` is the 订仓单编号 and ``ebp_code``/``ebp_name`` the 海外仓's, 202205 revision note).
"""

from __future__ import annotations

from django.db import models

from .common import CebDocument
from .fields import decimal, integer, text


class OrderType(models.TextChoices):
    B2B = "B", "9710 B2B出口订单"
    WAREHOUSE = "W", "9810 海外仓订仓单"


TRADE_MODE_OF_ORDER_TYPE = {OrderType.B2B: "9710", OrderType.WAREHOUSE: "9810"}


class Order(CebDocument):
    """出口订单 (9710) or 出口订仓单 (9810): one CEB303 Order."""

    order_type = models.CharField("订单类型", max_length=1, choices=OrderType.choices, default=OrderType.B2B)
    order_no = models.CharField("订单编号", max_length=60)
    ebp_code = text("电商平台代码", 18)
    ebp_name = text("电商平台名称", 100)
    ebc_code = text("电商企业代码", 18)
    ebc_name = text("电商企业名称", 100)
    goods_value = decimal("商品金额")
    freight = decimal("运杂费")
    currency = text("币制", 3)
    note = text("备注", 1000)
    # 9810 海外仓 (platform fields, not CEB303 elements: the message carries the 海外仓 in ebpCode/ebpName)
    warehouse_country = text("海外仓所在国(地区)", 3)
    warehouse_address = text("海外仓地址", 200)

    class Meta:
        verbose_name = verbose_name_plural = "出口订单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "order_type", "status"], name="cb_order_status"),
            models.Index(fields=["enterprise", "order_no"], name="cb_order_no"),
            models.Index(fields=["guid"], name="cb_order_guid"),
            models.Index(fields=["batch", "order_type"], name="cb_order_batch"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "ebp_code", "order_no"], name="cb_order_unique_no"),
        ]

    def __str__(self) -> str:
        return self.order_no

    @property
    def trade_mode(self) -> str:
        return TRADE_MODE_OF_ORDER_TYPE.get(self.order_type, "")


class OrderLine(models.Model):
    """订单商品表体: one goods line (``g_num`` ties it to the list's goods line)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name="订单")
    g_num = integer("序号")
    item_no = text("企业商品货号", 30)
    item_name = text("企业商品名称", 250)
    item_describe = text("企业商品描述", 1000)
    bar_code = text("条形码", 50)
    unit = text("计量单位", 3)
    currency = text("币制", 3)
    qty = decimal("数量")
    price = decimal("单价")
    total_price = decimal("总价")
    note = text("备注", 1000)

    class Meta:
        verbose_name = verbose_name_plural = "订单商品"
        ordering = ["order_id", "g_num", "id"]

    def __str__(self) -> str:
        return f"{self.g_num} {self.item_name}"
