"""The customs side's own data: manifests, arrival reports, and what it has received.

Nothing here belongs to an enterprise: the simulator knows declarations only by the messages
in the exchange folders, as customs does.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from guanwu.core.counters import next_value
from guanwu.params.enums import IEFlag


class Manifest(models.Model):
    """舱单: what the carrier declared it carries; sea and air declarations must match one."""

    bill_no = models.CharField("提运单号", max_length=50, unique=True)
    traf_mode = models.CharField("运输方式", max_length=1, default="2", help_text="2 水路运输, 5 航空运输, ...")
    traf_name = models.CharField("运输工具名称", max_length=100, blank=True, help_text="船名/航班号")
    voyage_no = models.CharField("航次号", max_length=32, blank=True)
    gross_wt = models.DecimalField("毛重(千克)", max_digits=19, decimal_places=5, null=True, blank=True)
    pack_no = models.PositiveIntegerField("件数", null=True, blank=True)
    i_e_flag = models.CharField("进出口", max_length=1, choices=IEFlag.choices, default=IEFlag.IMPORT)
    customs_code = models.CharField("关区代码", max_length=4, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "舱单"
        verbose_name_plural = "舱单"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.bill_no


class ArrivalReport(models.Model):
    """运抵报告: the goods of a bill have arrived at the supervised location."""

    bill_no = models.CharField("提运单号", max_length=50, db_index=True)
    arrived_at = models.DateTimeField("运抵时间", default=timezone.now)
    customs_code = models.CharField("关区代码", max_length=4, blank=True)
    location = models.CharField("监管场所/存放地点", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "运抵报告"
        verbose_name_plural = "运抵报告"
        ordering = ("-arrived_at", "-id")

    def __str__(self) -> str:
        return f"{self.bill_no} {timezone.localtime(self.arrived_at):%Y-%m-%d %H:%M}"


class SimState(models.TextChoices):
    FAILED = "failed", "导入失败"
    DECLARED = "declared", "已接收待审核"
    ACCEPTED = "accepted", "海关已接收"
    INSPECTION = "inspection", "查验"
    RELEASED = "released", "已放行"
    CLOSED = "closed", "已结关"
    REJECTED = "rejected", "退单"


ACTIVE_STATES = (SimState.DECLARED, SimState.ACCEPTED, SimState.INSPECTION, SimState.RELEASED)


class SimDeclaration(models.Model):
    """A DecMessage customs has taken, keyed by its ClientSeqNo, and where it stands."""

    client_seq_no = models.CharField("客户端编号", max_length=64, unique=True)
    ie_flag = models.CharField("进出口", max_length=1, blank=True)
    custom_master = models.CharField("申报地海关", max_length=4, blank=True)
    seq_no = models.CharField("统一编号", max_length=18, blank=True)
    entry_id = models.CharField("海关编号", max_length=18, blank=True)
    state = models.CharField("状态", max_length=12, choices=SimState.choices, default=SimState.DECLARED)
    next_event_at = models.DateTimeField("下一回执时间", null=True, blank=True)
    plan_inspect = models.BooleanField("计划查验", default=False)
    plan_reject = models.BooleanField("计划退单", default=False)
    reject_reason = models.TextField("退单原因", blank=True)
    file_name = models.CharField("报文文件", max_length=255, blank=True)
    message = models.BinaryField("报文", blank=True, default=b"")
    head = models.JSONField("表头摘要", default=dict, blank=True)
    history = models.JSONField("回执记录", default=list, blank=True)
    duplicates = models.PositiveIntegerField("重复收到次数", default=0)
    created_at = models.DateTimeField("接收时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "模拟海关报关单"
        verbose_name_plural = "模拟海关报关单"
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["seq_no"], condition=~Q(seq_no=""), name="sim_decl_seq_no_unique"),
        ]
        indexes = [models.Index(fields=["next_event_at"], name="sim_decl_next_event")]

    def __str__(self) -> str:
        return self.entry_id or self.seq_no or self.client_seq_no


class SimCounter(models.Model):
    """Running numbers (统一编号 per year, 海关编号 per customs/year/direction)."""

    name = models.CharField(max_length=40, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"

    def __str__(self) -> str:
        return f"{self.name}={self.last}"

    @classmethod
    def next(cls, name: str) -> int:
        """The next number of ``name``; call inside a transaction."""
        return next_value(cls, {"name": name})


class SimSasState(models.TextChoices):
    """Where a processing-trade message stands at the simulated customs (names as messages/sas
    codes.STATES where they mean the same)."""

    FAILED = "failed", "导入失败"
    STORED = "stored", "暂存(未申报)"
    DECLARED = "declared", "已接收待审核"
    MANUAL_REVIEW = "manual_review", "转人工审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "海关退单"


class SimSasMessage(models.Model):
    """A 加工贸易 message (EMS101 资质申请, EMS111 账册备案/变更, INV101 核注清单) customs has
    taken, keyed by its 预录入统一编号, and the receipts still due (``stage``)."""

    kind = models.CharField("报文类型", max_length=8)  # EMS101 / EMS111 / INV101
    seq_no = models.CharField("预录入统一编号", max_length=18, unique=True)
    etps_preent_no = models.CharField("企业内部编号", max_length=64, blank=True)
    business_no = models.CharField("业务编号", max_length=20, blank=True,
                                   help_text="审批通过后: 账册编号 / 档案库编号 / 清单编号")
    entry_seq_no = models.CharField("报关单统一编号", max_length=18, blank=True)
    state = models.CharField("状态", max_length=16, choices=SimSasState.choices, default=SimSasState.DECLARED)
    stage = models.CharField("待发回执", max_length=16, blank=True,
                             help_text="audit 审核, manual 人工审核, entry 生成报关单(INV202), ledger 记账(INV211)")
    next_event_at = models.DateTimeField("下一回执时间", null=True, blank=True)
    file_name = models.CharField("报文文件", max_length=255, blank=True)
    message = models.BinaryField("报文", blank=True, default=b"")
    check_lines = models.JSONField("检查信息", default=list, blank=True)
    movements = models.JSONField("料件余量变动", default=dict, blank=True,
                                 help_text="核注清单审核通过时记入账册的 {料件序号: 数量}")
    history = models.JSONField("回执记录", default=list, blank=True)
    created_at = models.DateTimeField("接收时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "模拟海关加工贸易报文"
        verbose_name_plural = "模拟海关加工贸易报文"
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["next_event_at"], name="sim_sas_next_event")]

    def __str__(self) -> str:
        return f"{self.kind} {self.business_no or self.seq_no}"


class SimSasBook(models.Model):
    """What customs approved: a 加工贸易账册 (EMS111, ``number`` the 账册编号) with its 料件,
    成品, 单损耗 and material balances, or a 企业资质 (EMS101, ``number`` the 档案库编号).

    ``imgs``/``exgs``: ``{"<序号>": {"gds_mtno", "gdecd", "gds_nm", "dcl_unitcd", ...}}``;
    ``cms``: ``[{"endprd_seqno", "mtpck_seqno", "ucns_verno", "ucns_qty"}]``; ``balances``:
    ``{"<料件序号>": "<decimal>"}`` (imported less consumed through the BOM by export lists)."""

    kind = models.CharField("报文类型", max_length=8)  # EMS101 / EMS111
    number = models.CharField("账册编号/档案库编号", max_length=20, unique=True)
    master_cuscd = models.CharField("主管海关", max_length=4, blank=True)
    chg_tms_cnt = models.PositiveIntegerField("变更次数", default=0)
    imgs = models.JSONField("料件", default=dict, blank=True)
    exgs = models.JSONField("成品", default=dict, blank=True)
    cms = models.JSONField("单损耗", default=list, blank=True)
    balances = models.JSONField("料件余量", default=dict, blank=True)
    created_at = models.DateTimeField("审批时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "模拟海关账册/资质"
        verbose_name_plural = "模拟海关账册/资质"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.number


class CebKind(models.TextChoices):
    ORDER = "order", "订单/订仓单(CEB303)"
    LIST = "list", "出口清单(CEB603)"
    SUMMARY = "summary", "汇总申请单(CEB701)"
    WAYBILL = "waybill", "物流运单(CEB505)"
    ARRIVAL = "arrival", "运抵单(CEB507)"
    DEPARTURE = "departure", "离境单(CEB509)"


class CebState(models.TextChoices):
    DRAFT = "draft", "电子口岸已暂存"
    DECLARED = "declared", "电子口岸申报中"
    STORED = "stored", "海关入库"
    AUDITED = "audited", "海关审结"
    INSPECTION = "inspection", "海关查验"
    RELEASED = "released", "放行"
    CLOSED = "closed", "结关"
    REJECTED = "rejected", "海关退单"
    DELETED = "deleted", "已删除"


CEB_ACTIVE_STATES = (CebState.DECLARED, CebState.STORED, CebState.AUDITED, CebState.INSPECTION, CebState.RELEASED)


class SimCebDocument(models.Model):
    """A 跨境电商 (CEB) document customs has taken, per sender (the BaseTransfer copCode), and
    where it stands: orders by 电商平台代码 + 订单编号, lists, summaries, arrivals and departures by
    企业唯一编号 (copNo), waybills by 物流企业代码 + 运单编号. ``generated`` marks the waybills,
    arrivals and departures the simulator plays for the logistics side (see families/ceb.py)."""

    kind = models.CharField("单证类别", max_length=10, choices=CebKind.choices)
    sender = models.CharField("传输企业代码", max_length=18, blank=True)
    key = models.CharField("业务编号", max_length=100)
    number = models.CharField("海关编号", max_length=20, blank=True, db_index=True,
                              help_text="清单编号 invtNo / 汇总申请编号 sumNo")
    pre_no = models.CharField("电子口岸编号", max_length=18, blank=True)
    state = models.CharField("状态", max_length=12, choices=CebState.choices, default=CebState.DECLARED)
    return_status = models.CharField("最近回执状态", max_length=10, blank=True)
    generated = models.BooleanField("模拟物流生成", default=False)
    plan_inspect = models.BooleanField("计划查验", default=False)
    next_event_at = models.DateTimeField("下一回执时间", null=True, blank=True)
    arrived_at = models.DateTimeField("运抵时间", null=True, blank=True)
    departed_at = models.DateTimeField("离境时间", null=True, blank=True)
    summary_no = models.CharField("汇总申请编号", max_length=18, blank=True)
    data = models.JSONField("报文摘要", default=dict, blank=True)
    message = models.BinaryField("报文", blank=True, default=b"")
    history = models.JSONField("回执记录", default=list, blank=True)
    created_at = models.DateTimeField("接收时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "模拟海关跨境电商单证"
        verbose_name_plural = "模拟海关跨境电商单证"
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["kind", "sender", "key"], name="sim_ceb_doc_unique"),
        ]
        indexes = [models.Index(fields=["next_event_at"], name="sim_ceb_next_event")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or self.key}"
