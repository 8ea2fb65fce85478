"""报关单表体: goods items (DecList) and their licence lines (DecGoodsLimit, DecGoodsLimitVin)."""

from __future__ import annotations

from django.db import models

from .declaration import Declaration
from .fields import date, decimal, integer, text


class DeclarationItem(models.Model):
    """One goods item (商品项); fields named after the DecList elements."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="items", verbose_name="报关单"
    )

    class_mark = text("归类标志", 1)
    code_ts = text("商品编号", 10)
    contr_item = integer("备案序号", 19)
    decl_price = decimal("申报单价", 19, 4)
    decl_total = decimal("申报总价", 19, 4)
    duty_mode = text("征免方式", 1)
    exg_no = text("货号", 30)
    exg_version = integer("版本号", 8)
    factor = decimal("申报计量单位与法定单位比例因子", 11, 3)
    first_unit = text("第一计量单位（法定单位）", 3)
    first_qty = decimal("第一法定数量", 19, 5)
    g_unit = text("成交计量单位", 3)
    g_model = text("商品规格、型号", 255)
    g_name = text("商品名称", 255)
    g_no = models.PositiveSmallIntegerField("商品序号")
    g_qty = decimal("成交数量", 19, 5)
    origin_country = text("原产国", 3)
    second_unit = text("第二计量单位", 3)
    second_qty = decimal("第二法定数量", 19, 5)
    trade_curr = text("成交币制", 3)
    use_to = text("用途/生产厂家", 2)
    work_usd = decimal("工缴费", 19, 4)
    destination_country = text("最终目的国（地区）", 3)
    ciq_code = text("监管类别名称", 20)
    decl_goods_ename = text("商品英文名称", 100)
    orig_place_code = text("原产地区代码", 50)
    purpose = text("用途代码", 4)
    prod_valid_dt = text("产品有效期", 20)
    prod_qgp = text("产品保质期", 20)
    goods_attr = text("货物属性代码", 20)
    stuff = text("成份/原料/组份", 400)
    uncode = text("UN编码", 20)
    dang_name = text("危险货物名称", 80)
    dang_pack_type = text("危包类别", 4)
    dang_pack_spec = text("危包规格", 24)
    eng_man_ent_cnm = text("境外生产企业名称", 100)
    no_dang_flag = text("非危险化学品", 1)
    dest_code = text("目的地代码", 8)
    goods_spec = text("检验检疫货物规格", 2000)
    goods_model = text("货物型号", 2000)
    goods_brand = text("货物品牌", 2000)
    produce_date = text("生产日期", 2000)
    prod_batch_no = text("生产批号", 2000)
    district_code = text("境内目的地/境内货源地", 5)
    ciq_name = text("检验检疫名称", 50)
    mnufctr_reg_no = text("生产单位注册号", 20)
    mnufctr_reg_name = text("生产单位名称", 150)
    rcep_orig_place_code = text("优惠贸易协定项下原产地", 3)
    control_explain_code = text("禁限管制识别码", 4)

    class Meta:
        verbose_name = verbose_name_plural = "商品项"
        ordering = ["declaration_id", "g_no"]
        constraints = [models.UniqueConstraint(fields=["declaration", "g_no"], name="uniq_declaration_item_g_no")]

    def __str__(self) -> str:
        return f"{self.g_no}. {self.code_ts} {self.g_name}"


class DeclarationGoodsLimit(models.Model):
    """产品资质 / 许可证信息 of one goods item (DecGoodsLimit); GoodsNo is the item's g_no."""

    item = models.ForeignKey(
        DeclarationItem, on_delete=models.CASCADE, related_name="goods_limits", verbose_name="商品项"
    )
    lic_type_code = text("许可证类别代码", 5)
    licence_no = text("许可证编号", 40)
    lic_wrtof_detail_no = text("许可证核销明细序号", 4)
    lic_wrtof_qty = text("许可证核销数量", 20)
    lic_wrtof_qty_unit = text("许可证核销数量单位", 3)

    class Meta:
        verbose_name = verbose_name_plural = "产品许可证"
        ordering = ["item_id", "id"]

    def __str__(self) -> str:
        return f"{self.lic_type_code} {self.licence_no}"

    @property
    def goods_no(self) -> int:
        return self.item.g_no


class DeclarationGoodsLimitVin(models.Model):
    """许可证VIN信息 of a vehicle licence line; LicenceNo and LicTypeCode come from the licence line."""

    goods_limit = models.ForeignKey(
        DeclarationGoodsLimit, on_delete=models.CASCADE, related_name="vins", verbose_name="产品许可证"
    )
    vin_no = text("VIN序号", 100)
    bill_lad_date = date("提/运单日期")
    quality_qgp = text("质量保质期", 100)
    motor_no = text("发动机号或电机号", 100)
    vin_code = text("车辆识别代码（VIN）", 20)
    chassis_no = text("底盘(车架)号", 10)
    invoice_num = decimal("发票所列数量", 19, 5)
    prod_cnnm = text("品名（中文名称）", 500)
    prod_ennm = text("品名（英文名称）", 500)
    model_en = text("型号（英文）", 500)
    price_per_unit = text("单价", 20)
    invoice_no = text("发票号", 30)

    class Meta:
        verbose_name = verbose_name_plural = "许可证VIN信息"
        ordering = ["goods_limit_id", "id"]

    def __str__(self) -> str:
        return self.vin_code or self.vin_no
