"""出口清单 (CEB603 InventoryHead / InventoryList) and the waybills (CEB505) they travel on."""

from __future__ import annotations

from django.db import models

from guanwu.tenancy.models import TenantModel

from .common import CebDocument
from .fields import date, datetime, decimal, integer, text
from .orders import Order


class Waybill(TenantModel):
    """物流运单: the logistics side of a list (运单 CEB505, 运抵 CEB507, 离境 CEB509), played by the
    logistics company (the simulator in the demo); the platform records what it hears of it."""

    logistics_code = text("物流企业代码", 18)
    logistics_name = text("物流企业名称", 100)
    logistics_no = models.CharField("物流运单编号", max_length=32)
    freight = decimal("运费")
    insured_fee = decimal("保价费")
    currency = text("币制", 3)
    gross_weight = decimal("毛重")
    pack_no = integer("件数")
    goods_info = text("主要货物信息", 200)
    # returnStatus of each logistics message, as last heard (CEB506 / CEB508 / CEB510)
    waybill_status = text("运单回执状态", 10)
    waybill_info = text("运单回执信息", 1000)
    arrival_status = text("运抵回执状态", 10)
    arrival_info = text("运抵回执信息", 1000)
    arrived_at = datetime("运抵时间")
    departure_status = text("离境回执状态", 10)
    departure_info = text("离境回执信息", 1000)
    departed_at = datetime("离境时间")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "物流运单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "logistics_code", "logistics_no"], name="cb_waybill_no"),
        ]
        indexes = [models.Index(fields=["logistics_no"], name="cb_waybill_logistics_no")]

    def __str__(self) -> str:
        return self.logistics_no


class StatisticsFlag(models.TextChoices):
    SIMPLIFIED = "A", "简化申报"
    SUMMARY = "B", "汇总申报"


class ExportList(CebDocument):
    """出口清单: one CEB603 Inventory, linked to its order (by 订单编号) and waybill (by 物流运单编号)."""

    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="export_lists", verbose_name="订单"
    )
    waybill = models.ForeignKey(
        Waybill, on_delete=models.SET_NULL, null=True, blank=True, related_name="export_lists",
        verbose_name="物流运单",
    )
    customs_code = text("申报地海关代码", 4)
    ebp_code = text("电商平台代码", 18)
    ebp_name = text("电商平台名称", 100)
    order_no = text("订单编号", 60)
    logistics_code = text("物流企业代码", 18)
    logistics_name = text("物流企业名称", 100)
    logistics_no = text("物流运单编号", 32)
    cop_no = text("企业唯一编号", 30)
    pre_no = text("电子口岸编码", 18)
    invt_no = text("海关清单编码", 20)
    ie_flag = text("进出口标记", 1, default="E")
    port_code = text("出口口岸代码", 4)
    ie_date = date("出口日期")
    statistics_flag = text("申报业务类型", 1, choices=StatisticsFlag.choices, default=StatisticsFlag.SIMPLIFIED)
    agent_code = text("申报企业代码", 18)
    agent_name = text("申报企业名称", 100)
    ebc_code = text("收发货人代码", 18)
    ebc_name = text("收发货人名称", 100)
    owner_code = text("生产销售企业代码", 18)
    owner_name = text("生产销售企业名称", 100)
    iac_code = text("区内企业代码", 18)
    iac_name = text("区内企业名称", 100)
    ems_no = text("账册编号", 30)
    trade_mode = text("贸易方式", 4)
    traf_mode = text("运输方式", 1)
    traf_name = text("运输工具名称", 100)
    voyage_no = text("航班航次号", 32)
    bill_no = text("提运单号", 37)
    total_package_no = text("总包号", 37)
    loct_no = text("监管场所代码", 10)
    license_no = text("许可证号", 19)
    country = text("运抵国(地区)", 3)
    pod = text("指运港代码", 4)
    freight = decimal("运费")
    f_currency = text("运费币制", 3)
    f_flag = text("运费标志", 1, default="3")
    insured_fee = decimal("保费")
    i_currency = text("保费币制", 3)
    i_flag = text("保费标志", 1, default="3")
    wrap_type = text("包装种类", 1)
    pack_no = integer("件数")
    gross_weight = decimal("毛重(kg)")
    net_weight = decimal("净重(kg)")
    note = text("备注", 1000)

    class Meta:
        verbose_name = verbose_name_plural = "出口清单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "status"], name="cb_list_status"),
            models.Index(fields=["enterprise", "order_no"], name="cb_list_order_no"),
            models.Index(fields=["enterprise", "invt_no"], name="cb_list_invt_no"),
            models.Index(fields=["guid"], name="cb_list_guid"),
            models.Index(fields=["cop_no"], name="cb_list_cop_no"),
            models.Index(fields=["logistics_no"], name="cb_list_logistics_no"),
            models.Index(fields=["batch"], name="cb_list_batch"),
        ]
        constraints = [models.UniqueConstraint(fields=["enterprise", "cop_no"], name="cb_list_cop_no_unique")]

    def __str__(self) -> str:
        return self.invt_no or self.cop_no


class ExportListLine(models.Model):
    """出口清单表体: one goods line."""

    export_list = models.ForeignKey(ExportList, on_delete=models.CASCADE, related_name="lines", verbose_name="清单")
    g_num = integer("序号")
    item_no = text("企业商品货号", 20)
    item_record_no = text("账册备案料号", 30)
    item_name = text("企业商品名称", 250)
    g_code = text("商品编码", 10)
    g_name = text("商品名称", 250)
    g_model = text("规格型号", 250)
    bar_code = text("条形码", 50, default="无")
    country = text("目的国", 3)
    currency = text("币制", 3)
    qty = decimal("申报数量")
    qty1 = decimal("法定数量")
    qty2 = decimal("第二数量")
    unit = text("申报计量单位", 3)
    unit1 = text("法定计量单位", 3)
    unit2 = text("第二计量单位", 3)
    price = decimal("单价")
    total_price = decimal("总价")
    note = text("备注", 1000)

    class Meta:
        verbose_name = verbose_name_plural = "清单商品"
        ordering = ["export_list_id", "g_num", "id"]

    def __str__(self) -> str:
        return f"{self.g_num} {self.g_name}"
