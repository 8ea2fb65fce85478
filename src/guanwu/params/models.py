from __future__ import annotations

from django.db import models


class CodeTable(models.Model):
    """One customs parameter table (关区, 国别, 币制, ...), addressed by a slug in the API."""

    slug = models.SlugField("标识", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    source = models.CharField("来源文件", max_length=120, blank=True)
    version = models.PositiveIntegerField("版本", default=1, help_text="每次重新载入加一, 使缓存失效")
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "参数代码表"
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class CodeEntry(models.Model):
    table = models.ForeignKey(CodeTable, on_delete=models.CASCADE, related_name="entries", verbose_name="代码表")
    code = models.CharField("代码", max_length=20)
    name = models.CharField("中文名称", max_length=200)
    en_name = models.CharField("英文名称", max_length=200, blank=True)
    old_code = models.CharField("原报关代码", max_length=20, blank=True)
    old_ciq_code = models.CharField("原报检代码", max_length=20, blank=True)
    extra = models.JSONField("其他", default=dict, blank=True)
    pinyin = models.CharField("拼音", max_length=400, blank=True)
    initials = models.CharField("拼音首字母", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "参数代码"
        ordering = ["table", "code"]
        indexes = [models.Index(fields=["table", "code"])]

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"


class TariffVersion(models.Model):
    """A published tariff (税则); several can be loaded, each effective from its date."""

    name = models.CharField("名称", max_length=60)
    effective_date = models.DateField("生效日期", unique=True)
    source = models.CharField("来源", max_length=200, blank=True)
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "税则版本"
        ordering = ["-effective_date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_date})"


class TariffItem(models.Model):
    version = models.ForeignKey(TariffVersion, on_delete=models.CASCADE, related_name="items", verbose_name="税则版本")
    code_ts = models.CharField("商品编号", max_length=10)
    name = models.CharField("商品名称", max_length=300)
    first_unit = models.CharField("第一法定单位", max_length=3, blank=True)
    second_unit = models.CharField("第二法定单位", max_length=3, blank=True)
    mfn_rate = models.DecimalField("最惠国税率", max_digits=9, decimal_places=4, null=True, blank=True)
    general_rate = models.DecimalField("普通税率", max_digits=9, decimal_places=4, null=True, blank=True)
    export_rate = models.DecimalField("出口税率", max_digits=9, decimal_places=4, null=True, blank=True)
    vat_rate = models.DecimalField("增值税率", max_digits=9, decimal_places=4, null=True, blank=True)
    consumption_rate = models.DecimalField("消费税率", max_digits=9, decimal_places=4, null=True, blank=True)
    licence_codes = models.CharField("监管条件", max_length=30, blank=True)
    elements = models.JSONField("申报要素", default=list, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    pinyin = models.CharField("拼音", max_length=600, blank=True)
    initials = models.CharField("拼音首字母", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "商品税则"
        ordering = ["version", "code_ts"]
        constraints = [models.UniqueConstraint(fields=["version", "code_ts"], name="uniq_tariff_code")]

    def __str__(self) -> str:
        return f"{self.code_ts} {self.name}"


class CiqName(models.Model):
    """检验检疫名称: a 10-digit HS code + 3-digit CIQ code = the 13-digit 检验检疫编码."""

    version = models.ForeignKey(TariffVersion, on_delete=models.CASCADE, related_name="ciq_names")
    code_ts = models.CharField("商品编号", max_length=10, db_index=True)
    ciq_code = models.CharField("检验检疫编码", max_length=3)
    name = models.CharField("检验检疫名称", max_length=300)
    status = models.CharField("状态", max_length=10, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "检验检疫名称"
        ordering = ["code_ts", "ciq_code"]

    def __str__(self) -> str:
        return f"{self.code_ts}{self.ciq_code} {self.name}"


class CodeUsage(models.Model):
    """How often an enterprise's declarations named a code: the pickers' first ranking key.

    Counted when a declaration is declared (``params.usage.record``), one use per declaration
    and code; read per search for the enterprise and table (a few dozen rows).
    """

    enterprise = models.ForeignKey("tenancy.Enterprise", on_delete=models.CASCADE, verbose_name="企业",
                                   related_name="+")
    table = models.CharField("代码表", max_length=40)
    code = models.CharField("代码", max_length=20)
    uses = models.PositiveIntegerField("使用次数", default=0)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "代码使用次数"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "table", "code"], name="code_usage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.code}: {self.uses}"
