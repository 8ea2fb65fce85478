"""商品数据库 (Commodity, learned from declarations or imported) and 保税商品库 (BondedItem).

Item fields carry the DecList names (``code_ts``, ``g_name``, ``g_model`` ...) so that a library
entry fills a goods item 1:1.
"""

from __future__ import annotations

from django.db import models

from guanwu.params.enums import IEFlag
from guanwu.tenancy.models import Enterprise, TenantModel


def _text(label: str, length: int, **kwargs) -> models.CharField:
    return models.CharField(label, max_length=length, blank=True, **kwargs)


class CommoditySource(models.TextChoices):
    LEARNED = "learned", "报关单学习"
    IMPORTED = "imported", "导入"
    MANUAL = "manual", "手工新增"


# What a library entry gives a goods item (the picker API answers these, item-shaped).
ITEM_FIELDS = (
    "code_ts", "ciq_code", "ciq_name", "g_name", "g_model", "g_unit", "first_unit", "second_unit",
    "origin_country", "destination_country", "trade_curr", "decl_price", "district_code", "dest_code", "duty_mode",
)


class Commodity(TenantModel):
    """One distinct goods of an enterprise: (trade company, I/E, HS code, normalised name and
    申报要素), identified by ``dedupe_key`` (see ``search.dedupe_key``)."""

    # no index of its own: the unique key and every index below start with the enterprise (one
    # index less to write for each imported or learned entry)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, verbose_name="企业", related_name="+", db_index=False
    )
    dedupe_key = models.CharField("去重键", max_length=32, editable=False)
    trade_code = _text("境内收发货人编号", 18)
    trade_name = _text("境内收发货人名称", 100)
    ie_flag = _text("进出口标志", 1, choices=IEFlag.choices)
    code_ts = _text("商品编号", 10)
    ciq_code = _text("检验检疫编码", 20)
    ciq_name = _text("检验检疫名称", 50)
    g_name = _text("商品名称", 255)
    g_model = _text("规格型号", 255)
    g_unit = _text("申报计量单位", 3)
    first_unit = _text("法定第一计量单位", 3)
    second_unit = _text("法定第二计量单位", 3)
    origin_country = _text("原产国(地区)", 3)
    destination_country = _text("最终目的国(地区)", 3)
    trade_curr = _text("币制", 3)
    decl_price = models.DecimalField("最近申报单价", max_digits=19, decimal_places=4, null=True, blank=True)
    district_code = _text("境内目的地/境内货源地", 5)
    dest_code = _text("目的地代码", 8)
    duty_mode = _text("征免方式", 1)
    usage_count = models.PositiveIntegerField("使用次数", default=0)
    first_used_at = models.DateTimeField("首次使用", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    # the declaration it was last learned from; a plain id (no foreign key): deleting a draft
    # declaration must not scan the library, and learned declarations are never deleted
    last_declaration_id = models.PositiveBigIntegerField("最近报关单", null=True, blank=True, editable=False)
    source = models.CharField("来源", max_length=10, choices=CommoditySource.choices, default=CommoditySource.LEARNED)
    name_pinyin = _text("名称拼音", 100)
    name_initials = _text("名称首字母", 50)
    search = models.TextField("检索词", blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "商品数据库"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "dedupe_key"], name="uniq_commodity_dedupe"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "code_ts"], name="commodity_ent_code"),
            # the picker without a keyword: by trade company (code or name prefix), then newest
            models.Index(fields=["enterprise", "trade_name", "-updated_at", "-id"],
                         name="commodity_ent_trade_name_upd"),
            models.Index(fields=["enterprise", "trade_code", "updated_at", "id"], name="commodity_ent_trade_code_upd"),
            models.Index(fields=["enterprise", "updated_at", "id"], name="commodity_ent_updated_id"),
        ]

    def __str__(self) -> str:
        return f"{self.code_ts} {self.g_name}"


class CommodityLearning(TenantModel):
    """Marks a declaration whose goods the library has learned (accepted and released count once)."""

    declaration = models.OneToOneField(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="+", verbose_name="报关单"
    )
    items = models.PositiveSmallIntegerField("学习商品项数", default=0)
    learned_at = models.DateTimeField("学习时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "商品学习记录"

    def __str__(self) -> str:
        return f"{self.declaration_id}: {self.items}"


class BondedItem(TenantModel):
    """保税商品库: one 备案序号 of a 手册/账册 (备案号), with what fills a goods item."""

    ems_no = models.CharField("备案号", max_length=12)
    item_no = models.PositiveIntegerField("备案序号")
    part_no = _text("料号", 32)
    code_ts = _text("商品编号", 10)
    g_name = _text("商品名称", 255)
    g_model = _text("规格型号", 255)
    g_unit = _text("申报计量单位", 3)
    first_unit = _text("法定第一计量单位", 3)
    second_unit = _text("法定第二计量单位", 3)
    origin_country = _text("原产国(地区)", 3)
    decl_price = models.DecimalField("申报单价", max_digits=19, decimal_places=4, null=True, blank=True)
    trade_curr = _text("币制", 3)
    # 料件 (I) or 成品 (E) of a 加工贸易账册 (fed by guanwu.processing on approval: a book numbers its
    # 料件 and 成品 separately, so 备案序号 1 exists twice); blank for a row keyed in or imported.
    goods_kind = _text("料件成品标志", 1, choices=[("I", "料件"), ("E", "成品")])
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "保税商品库"
        ordering = ["ems_no", "item_no"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "ems_no", "goods_kind", "item_no"],
                                    name="uniq_bonded_item_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.ems_no}-{self.item_no} {self.g_name}"
