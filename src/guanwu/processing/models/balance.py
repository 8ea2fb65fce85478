"""余额: per 账册 and 料件, the running quantities the list checks read (services.balances keeps
them one list at a time with ``apply_list``; ``recompute_balances`` rebuilds them from the list lines)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from guanwu.tenancy.models import TenantModel

from .book import Book


def _qty(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=28, decimal_places=9, default=Decimal(0))


class MaterialBalance(TenantModel):
    """One 料件 of a book (``gds_seqno`` = its 序号): imported (进口 料件 lists posted), consumed
    (出口 成品 lists posted x 单耗), returned (料件退运), domestic_sold (内销), reserved (lists
    declared and not yet answered). balance = imported - consumed - returned - domestic_sold - reserved."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="balances", verbose_name="账册")
    gds_seqno = models.BigIntegerField("料件序号")
    imported = _qty("进口数量")
    consumed = _qty("耗用数量")
    returned = _qty("退运数量")
    domestic_sold = _qty("内销数量")
    reserved = _qty("预占数量")

    class Meta:
        verbose_name = verbose_name_plural = "料件余额"
        ordering = ["book_id", "gds_seqno"]
        constraints = [models.UniqueConstraint(fields=["book", "gds_seqno"], name="uniq_proc_balance_material")]

    def __str__(self) -> str:
        return f"{self.book_id}/{self.gds_seqno}: {self.balance}"

    @property
    def balance(self) -> Decimal:
        return self.imported - self.consumed - self.returned - self.domestic_sold - self.reserved
