"""A simple tenant model for measuring the import pipeline (benchmarks only)."""

from django.db import models

from guanwu.tenancy.models import TenantModel


class BenchItem(TenantModel):
    code_ts = models.CharField("商品编号", max_length=10)
    name = models.CharField("商品名称", max_length=100)
    country = models.CharField("原产国", max_length=3)
    qty = models.DecimalField("数量", max_digits=19, decimal_places=5)
    price = models.DecimalField("单价", max_digits=19, decimal_places=4)
    currency = models.CharField("币制", max_length=3)
    day = models.DateField("日期", null=True)

    def __str__(self) -> str:
        return self.name
