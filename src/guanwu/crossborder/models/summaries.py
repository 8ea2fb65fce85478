"""汇总申请单 (CEB701 SummaryApplyHead / SummaryApplyList) and its result (CEB792)."""

from __future__ import annotations

from django.db import models

from .common import CebDocument
from .fields import datetime, decimal, integer, text
from .lists import ExportList


class SummaryFlag(models.TextChoices):
    SINGLE = "1", "按收发货人单一汇总"
    WITH_OWNER = "2", "按收发货人和生产销售单位汇总"


class Summary(CebDocument):
    """汇总申请单: released lists gathered into one 报关单 (by 清单编号, or by a time range)."""

    customs_code = text("申报地海关代码", 4)
    cop_no = text("企业唯一编号", 30)
    pre_no = text("电子口岸编号", 18)
    sum_no = text("汇总申请编号", 18)
    agent_code = text("申报单位代码", 18)
    agent_name = text("申报单位名称", 100)
    ebc_code = text("收发货人代码", 18)
    ebc_name = text("收发货人名称", 100)
    decl_agent_code = text("报关单位代码", 18)
    decl_agent_name = text("报关单位名称", 100)
    start_time = datetime("汇总开始时间")
    end_time = datetime("汇总结束时间")
    loct_no = text("监管场所代码", 10)
    summary_flag = text("收发货人汇总标志", 1, choices=SummaryFlag.choices, default=SummaryFlag.SINGLE)
    item_name_flag = text("按商品名汇总标志", 1, default="0", help_text="1 按商品名称汇总, 0 不按")
    msg_count = integer("报文总数")
    msg_seq_no = integer("报文序号")
    note = text("备注", 1000)
    # CEB792 汇总结果单
    decl_seq_no = text("汇总统一编号", 18)
    dec_tmp_no = text("电子口岸暂存编号", 18)
    dec_pre_no = text("电子口岸预录入编号", 18)
    entry_id = text("报关单编号", 18)
    dec_state = text("报关单状态", 3)
    op_date = datetime("汇总处理时间")
    result_gross_weight = decimal("汇总毛重(公斤)")
    result_net_weight = decimal("汇总净重(公斤)")
    declaration = models.ForeignKey(
        "declarations.Declaration", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="出口报关单",
    )

    class Meta:
        verbose_name = verbose_name_plural = "汇总申请单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "status"], name="cb_summary_status"),
            models.Index(fields=["guid"], name="cb_summary_guid"),
            models.Index(fields=["cop_no"], name="cb_summary_cop_no"),
            models.Index(fields=["sum_no"], name="cb_summary_sum_no"),
        ]
        constraints = [models.UniqueConstraint(fields=["enterprise", "cop_no"], name="cb_summary_cop_no_unique")]

    def __str__(self) -> str:
        return self.sum_no or self.cop_no


class SummaryLine(models.Model):
    """汇总申请单表体: one list to summarise (``export_list`` when the 清单编号 is the enterprise's)."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="lines", verbose_name="汇总申请单")
    invt_no = models.CharField("清单编号", max_length=20)
    export_list = models.ForeignKey(
        ExportList, on_delete=models.SET_NULL, null=True, blank=True, related_name="summary_lines",
        verbose_name="出口清单",
    )

    class Meta:
        verbose_name = verbose_name_plural = "汇总清单"
        ordering = ["summary_id", "id"]

    def __str__(self) -> str:
        return self.invt_no
