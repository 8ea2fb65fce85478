"""智能辅助申报: enablement, profiles (预配置), marks and auto state per declaration, runs and
batches, 申报记录, tax assessments (税费确认), agency agreements and the monthly exchange rates.

The declaration itself is never changed here except through ``guanwu.declarations.services``;
everything this module knows about a declaration lives in :class:`AutoDeclaration`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from guanwu.core.counters import next_value
from guanwu.declarations.models import Declaration
from guanwu.params.enums import IEFlag
from guanwu.tenancy.models import TenantModel

USER = settings.AUTH_USER_MODEL


class Enablement(TenantModel):
    """The enterprise's acceptance of the 用户须知 / 企业承诺 (one row per enterprise)."""

    enabled = models.BooleanField("已启用", default=False)
    notice_version = models.CharField("用户须知版本", max_length=20, blank=True)
    accepted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="启用人"
    )
    accepted_at = models.DateTimeField("启用时间", null=True, blank=True)
    disabled_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="停用人"
    )
    disabled_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "智能辅助申报启用"
        constraints = [models.UniqueConstraint(fields=["enterprise"], name="autodeclare_enablement_one")]

    def __str__(self) -> str:
        return "智能辅助申报启用"


class ProfileScope(models.TextChoices):
    ENTERPRISE = "enterprise", "按企业生效"
    USER = "user", "按用户生效"


class Profile(TenantModel):
    """预配置: which marked declarations a run may declare, and what it checks first."""

    name = models.CharField("配置名称", max_length=60)
    enabled = models.BooleanField("启用标志", default=True)
    ie_flag = models.CharField("进出口标志", max_length=1, choices=IEFlag.choices)
    scope = models.CharField("生效方式", max_length=16, choices=ProfileScope.choices, default=ProfileScope.ENTERPRISE)
    agent_code = models.CharField(
        "申报单位", max_length=18, blank=True, help_text="海关10位编码或18位统一社会信用代码"
    )
    trade_code = models.CharField(
        "境内收发货人", max_length=18, blank=True, help_text="海关10位编码或18位统一社会信用代码"
    )
    users = models.ManyToManyField(USER, blank=True, related_name="+", verbose_name="生效用户")
    auto_confirm = models.BooleanField("辅助确认", default=False)
    auto_agreement = models.BooleanField("自动生成代理报关委托协议", default=False)
    manifest_required = models.BooleanField("有舱单申报", default=False)
    arrival_required = models.BooleanField("运抵后申报", default=False)
    compare_required = models.BooleanField("比对后申报", default=False)
    batch_wait_seconds = models.PositiveIntegerField("统计时配置(秒)", default=60)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近操作时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "智能辅助申报预配置"
        ordering = ["-updated_at", "-id"]
        constraints = [
            # The seed's rule: one enabled profile per 申报单位 + 境内收发货人 + 进出口标志.
            models.UniqueConstraint(
                fields=["enterprise", "ie_flag", "agent_code", "trade_code"],
                condition=Q(enabled=True, scope="enterprise"),
                name="autodeclare_profile_unique_enabled",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def options(self) -> list[str]:
        """The labels of the options that are on, for lists and run pages."""
        names = ("auto_confirm", "auto_agreement", "manifest_required", "arrival_required", "compare_required")
        return [str(self._meta.get_field(n).verbose_name) for n in names if getattr(self, n)]


class AutoStatus(models.TextChoices):
    """The 智能辅助申报 state of a declaration. Only ``waiting`` (and ``declaring``, in a worker's
    hands) is in the pool; ``manual`` left it when declared by hand, ``unmarked`` when its mark
    was cancelled: the status follows the mark."""

    WAITING = "waiting", "待申报"
    DECLARING = "declaring", "申报中"
    SUCCEEDED = "succeeded", "申报成功(自动)"
    FAILED = "failed", "申报失败"
    MANUAL = "manual", "已手动申报"
    UNMARKED = "unmarked", "已取消标记"


class RunStatus(models.TextChoices):
    RUNNING = "running", "申报执行中"
    WAITING = "waiting", "等待下一批次"
    STOPPED = "stopped", "已停止"


class EnterpriseType(models.TextChoices):
    AGENT = "agent", "申报单位"
    TRADE = "trade", "境内收发货人"


class Run(TenantModel):
    """One 开始申报 … 停止申报: batches every ``wait_seconds`` until stopped."""

    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    enterprise_type = models.CharField("生效企业类型", max_length=8, choices=EnterpriseType.choices)
    profiles = models.ManyToManyField(Profile, related_name="runs", verbose_name="预配置")
    wait_seconds = models.PositiveIntegerField("批次间隔(秒)", default=60)
    batch_count = models.PositiveIntegerField("累计批次", default=0)
    total_succeeded = models.PositiveIntegerField("累计成功", default=0)
    total_failed = models.PositiveIntegerField("累计失败", default=0)
    current_batch = models.ForeignKey(
        "Batch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="当前批次"
    )
    next_batch_at = models.DateTimeField("下一批次时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("心跳", null=True, blank=True)
    started_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="启动人"
    )
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    stopped_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="停止人"
    )
    stopped_at = models.DateTimeField("停止时间", null=True, blank=True)
    stop_reason = models.CharField("停止原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "智能辅助申报执行"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=~Q(status="stopped"), name="autodeclare_one_active_run"
            ),
        ]

    def __str__(self) -> str:
        return f"智能辅助申报执行 #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status != RunStatus.STOPPED


class Batch(TenantModel):
    """One 批次: the marked declarations a run found at one moment, each handled once."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="batches", verbose_name="执行")
    seq = models.PositiveIntegerField("批次序号")
    batch_no = models.CharField("批次号", max_length=20, unique=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    total = models.PositiveIntegerField("报关单数", default=0)
    succeeded = models.PositiveIntegerField("成功", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    waited = models.PositiveIntegerField("待申报", default=0)
    manual = models.PositiveIntegerField("已手动申报", default=0)
    returned = models.PositiveIntegerField("退回申报池", default=0, help_text="停止申报时尚未处理、退回申报池的票数")

    class Meta:
        verbose_name = verbose_name_plural = "智能辅助申报批次"
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="autodeclare_batch_seq")]

    def __str__(self) -> str:
        return self.batch_no


class AutoDeclaration(TenantModel):
    """The 智能辅助申报 state of one declaration: its mark, auto status, last batch and reason."""

    declaration = models.OneToOneField(
        Declaration, on_delete=models.CASCADE, related_name="auto", verbose_name="报关单"
    )
    marked = models.BooleanField("智能辅助申报标记", default=True)
    marked_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="标记人"
    )
    marked_at = models.DateTimeField("标记时间", null=True, blank=True)
    auto_status = models.CharField(
        "智能申报状态", max_length=16, choices=AutoStatus.choices, default=AutoStatus.WAITING
    )
    queued_batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="queued", verbose_name="排队批次"
    )
    claimed_by = models.CharField("处理进程", max_length=80, blank=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="批次"
    )
    batch_no = models.CharField("批次号", max_length=20, blank=True)
    profile = models.ForeignKey(
        Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="预配置"
    )
    run = models.ForeignKey(Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField("原因", blank=True)
    reason_code = models.CharField("原因类别", max_length=32, blank=True)
    attempts = models.PositiveIntegerField("处理次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近操作时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "智能辅助申报单"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "marked", "auto_status"], name="autodecl_ent_mark_status"),
            models.Index(fields=["queued_batch", "auto_status"], name="autodecl_queue"),
            models.Index(fields=["enterprise", "batch_no"], name="autodecl_ent_batch"),
            models.Index(fields=["enterprise", "updated_at"], name="autodecl_ent_updated"),
        ]

    def __str__(self) -> str:
        return f"智能辅助申报 {self.declaration}"


class RecordLevel(models.TextChoices):
    INFO = "info", "信息"
    SUCCESS = "success", "成功"
    WAIT = "wait", "待申报"
    FAIL = "fail", "失败"
    MANUAL = "manual", "已手动申报"
    REJECTED = "rejected", "退单"


# The outcome levels: exactly one such line per declaration and batch. A batch's 报关单数 is the
# sum of its outcomes and of what a stop sent back to the pool (``Batch.returned``).
OUTCOME_LEVELS = (RecordLevel.SUCCESS, RecordLevel.FAIL, RecordLevel.WAIT, RecordLevel.MANUAL)


class AutoRecord(TenantModel):
    """One 申报记录 line. ``success``/``fail``/``wait``/``manual`` lines are the outcome of a
    declaration in a batch (one each); a ``wait`` line without a batch says why a declaration
    waits outside any batch (written when the reason changes); a ``rejected`` line records customs'
    退单/导入失败 of what the batch sent; ``info`` lines tell the steps and the manual actions."""

    auto = models.ForeignKey(AutoDeclaration, on_delete=models.CASCADE, related_name="records")
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, null=True, blank=True, related_name="records")
    level = models.CharField("类别", max_length=8, choices=RecordLevel.choices, default=RecordLevel.INFO)
    reason_code = models.CharField("原因类别", max_length=32, blank=True)
    message = models.TextField("内容")
    user_name = models.CharField("操作人", max_length=150, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "智能辅助申报记录"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["batch", "level"], name="autorec_batch_level"),
            models.Index(fields=["auto", "created_at"], name="autorec_auto_created"),
        ]

    def __str__(self) -> str:
        return self.message[:60]


class Counter(models.Model):
    """Running numbers of this module (batch numbers)."""

    name = models.CharField(max_length=40, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号计数器"

    def __str__(self) -> str:
        return f"{self.name}={self.last}"

    @classmethod
    def next(cls, name: str) -> int:
        """The next number of ``name``; call inside a transaction (the row stays locked until commit)."""
        return next_value(cls, {"name": name})


# -- 税费 ------------------------------------------------------------------------------------


class ExchangeRate(models.Model):
    """海关月度汇率: CNY for one unit of a currency, for declarations of that month.

    Platform staff maintain the table in Django admin; ``is_demo`` rows come with the demo and
    say so wherever a computation uses them."""

    month = models.DateField("适用月份", help_text="当月第一天")
    currency = models.CharField("币制", max_length=3, help_text="如 USD、EUR")
    rate = models.DecimalField("折算率(人民币/1外币)", max_digits=18, decimal_places=6)
    is_demo = models.BooleanField("演示汇率", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "海关月度汇率"
        ordering = ["-month", "currency"]
        constraints = [models.UniqueConstraint(fields=["month", "currency"], name="autodeclare_rate_month_curr")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.currency} {self.rate}"


class TaxStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "未确认"
    CONFIRMED = "confirmed", "已确认"


class TaxAssessment(TenantModel):
    """税费计算: duty, consumption tax and VAT of a 自报自缴 declaration, and its confirmation.

    A confirmation holds until 修改 changes a taxable field of the (still editable) declaration:
    then it is computed again and needs a new confirmation (``services.tax.declaration_changed``).
    Reads, 申报 and receipts never touch it. ``declaration_version`` is the version it was
    computed from."""

    declaration = models.OneToOneField(
        Declaration, on_delete=models.CASCADE, related_name="tax_assessment", verbose_name="报关单"
    )
    status = models.CharField("税费确认状态", max_length=16, choices=TaxStatus.choices, default=TaxStatus.UNCONFIRMED)
    declaration_version = models.PositiveIntegerField("报关单版本")
    rate_month = models.DateField("汇率月份", null=True, blank=True)
    demo_rates = models.BooleanField("使用演示汇率", default=False)
    lines = models.JSONField("计税明细", default=list, blank=True)
    problems = models.JSONField("无法计算的项目", default=list, blank=True)
    customs_value = models.DecimalField("完税价格(人民币)", max_digits=18, decimal_places=2, default=0)
    duty = models.DecimalField("关税", max_digits=18, decimal_places=2, default=0)
    consumption_tax = models.DecimalField("消费税", max_digits=18, decimal_places=2, default=0)
    vat = models.DecimalField("增值税", max_digits=18, decimal_places=2, default=0)
    total = models.DecimalField("税费合计", max_digits=18, decimal_places=2, default=0)
    computed_at = models.DateTimeField("计算时间", auto_now=True)
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="确认人"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "税费计算确认"
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"税费确认 {self.declaration}"


# -- 代理报关委托协议 --------------------------------------------------------------------------


class AgencyAgreement(TenantModel):
    """代理报关委托协议 between the 境内收发货人 (principal) and the 申报单位 (agent)."""

    declaration = models.OneToOneField(
        Declaration, on_delete=models.CASCADE, related_name="agency_agreement", verbose_name="报关单"
    )
    agreement_no = models.CharField("协议编号", max_length=32, unique=True)
    data = models.JSONField("协议内容", default=dict)
    automatic = models.BooleanField("自动生成", default=False)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="生成人"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "代理报关委托协议"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"代理报关委托协议 {self.agreement_no}"


__all__ = [
    "OUTCOME_LEVELS",
    "AgencyAgreement",
    "AutoDeclaration",
    "AutoRecord",
    "AutoStatus",
    "Batch",
    "Counter",
    "Enablement",
    "EnterpriseType",
    "ExchangeRate",
    "Profile",
    "ProfileScope",
    "RecordLevel",
    "Run",
    "RunStatus",
    "TaxAssessment",
    "TaxStatus",
]


# -- 回执推送: notifications, e-mail, webhooks -------------------------------------------------


class NotifyEvent(models.TextChoices):
    DECLARED = "declared", "申报成功(自动)"
    REJECTED = "rejected", "退单/导入失败"
    RELEASED = "released", "放行"
    RUN_FINISHED = "run_finished", "智能辅助申报结束"


CHANNELS = ("inapp", "email", "webhook")
DEFAULT_EVENT_CHANNELS: dict[str, dict[str, bool]] = {
    NotifyEvent.DECLARED: {"inapp": False, "email": False, "webhook": True},
    NotifyEvent.REJECTED: {"inapp": True, "email": True, "webhook": True},
    NotifyEvent.RELEASED: {"inapp": False, "email": False, "webhook": True},
    NotifyEvent.RUN_FINISHED: {"inapp": True, "email": True, "webhook": True},
}


class NotificationSettings(TenantModel):
    """Where an enterprise wants its receipts and run results pushed, per event and channel."""

    email_enabled = models.BooleanField("发送邮件", default=False)
    email_to = models.CharField("收件人", max_length=500, blank=True, help_text="多个地址用逗号分隔; 空为企业 E-MAIL")
    webhook_enabled = models.BooleanField("推送 Webhook", default=False)
    webhook_url = models.URLField("Webhook 地址", max_length=500, blank=True)
    webhook_secret = models.CharField("签名密钥", max_length=64, blank=True)
    events = models.JSONField("事件与渠道", default=dict, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "回执推送设置"
        constraints = [models.UniqueConstraint(fields=["enterprise"], name="autodeclare_notify_settings_one")]

    def __str__(self) -> str:
        return "回执推送设置"

    def wants(self, event: str, channel: str) -> bool:
        chosen = (self.events or {}).get(event) or DEFAULT_EVENT_CHANNELS.get(event, {})
        return bool(chosen.get(channel, DEFAULT_EVENT_CHANNELS.get(event, {}).get(channel, False)))


class Notification(TenantModel):
    """One message of the in-app notification centre, for one member of the enterprise."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name="接收人")
    event = models.CharField("事件", max_length=20, choices=NotifyEvent.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "user", "read_at"], name="autonotify_unread")]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待投递"
    SUCCEEDED = "succeeded", "已送达"
    FAILED = "failed", "投递失败"


class WebhookDelivery(TenantModel):
    """One webhook call and its attempts: the delivery log."""

    event = models.CharField("事件", max_length=20, choices=NotifyEvent.choices)
    url = models.URLField("地址", max_length=500)
    payload = models.JSONField("内容")
    status = models.CharField("状态", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    last_status_code = models.PositiveIntegerField("响应状态码", null=True, blank=True)
    last_error = models.CharField("错误", max_length=500, blank=True)
    response_body = models.TextField("响应内容", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "Webhook 投递记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.url}"
