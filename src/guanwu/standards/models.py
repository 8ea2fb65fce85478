"""规范申报企业专属库 (issue 17; seed 002 《海关进出口商品规范申报企业专属库》).

* ``ReviewUpload`` / ``ReviewedRow``: the customs side (seed section 3): a file of reviewed
  declaration data uploaded by platform staff (or published by the simulator's monthly review),
  checked by rules before anything is written; its rows, each with the 审核结论 and the reason per
  element. Customs data: not tenant-owned; an enterprise sees it only through its library.
* ``LibraryEntry``: 企业库 (5.2), the enterprise's historical declaration items and the reviewed
  rows about it, de-duplicated on (商品编码, normalised 商品名称, normalised 申报要素) and marked
  规范数据 / 不规范数据 / 系统匹配数据 / 企业自选数据. The public library (5.3) is the 规范 entries
  left public, shown without any party field.
* ``Authorisation``: 企业端授权确认 (5.1), one per enterprise, by an admin.
* ``MonthlyMessage``: 企业信息 (5.4), one per enterprise and review upload.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.tenancy.models import TenantModel


class Conclusion(models.TextChoices):
    STANDARD = "standard", "规范"
    NONSTANDARD = "nonstandard", "不规范"


class Mark(models.TextChoices):
    STANDARD = "standard", "规范数据"
    NONSTANDARD = "nonstandard", "不规范数据"
    MATCHED = "matched", "系统匹配数据"
    OWN_CHOICE = "own_choice", "企业自选数据"


class UploadSource(models.TextChoices):
    STAFF = "staff", "海关人员上传"
    SIMULATOR = "simulator", "模拟海关月度审核"


class UploadStatus(models.TextChoices):
    ACCEPTED = "accepted", "已导入"
    REJECTED = "rejected", "未导入 (文件不符合规则)"


class ReviewUpload(models.Model):
    """One file of customs-reviewed declaration data (seed 3: 文件上传时系统根据相应规则进行校验).

    A file that breaks a rule is kept with ``status`` rejected and its ``report`` (the broken
    rows: ``[{"row": n, "errors": ["..."]}]``), and no ``ReviewedRow`` is written."""

    source = models.CharField("来源", max_length=16, choices=UploadSource.choices, default=UploadSource.STAFF)
    period = models.CharField("审核期间", max_length=7, blank=True, help_text="YYYY-MM")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="上传人",
    )
    file_name = models.CharField("文件名", max_length=255, blank=True)
    file = models.FileField("文件", upload_to="standards/reviews/", max_length=255, blank=True)
    status = models.CharField("状态", max_length=16, choices=UploadStatus.choices, default=UploadStatus.ACCEPTED)
    row_count = models.PositiveIntegerField("数据行数", default=0)
    standard_count = models.PositiveIntegerField("规范行数", default=0)
    nonstandard_count = models.PositiveIntegerField("不规范行数", default=0)
    rejected_count = models.PositiveIntegerField("不符合规则行数", default=0)
    report = models.JSONField("校验报告", default=list, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "海关审核数据文件"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name or f"审核数据 {self.period}"


class ReviewedRow(models.Model):
    """One reviewed declaration item of an upload. Party codes as customs gave them; the library
    build finds an enterprise's rows by its 海关编码 or 统一社会信用代码."""

    upload = models.ForeignKey(ReviewUpload, on_delete=models.CASCADE, related_name="rows", verbose_name="文件")
    line = models.PositiveIntegerField("行号", default=0)
    entry_id = models.CharField("海关编号", max_length=18, blank=True)
    code_ts = models.CharField("商品编码", max_length=10)
    g_name = models.CharField("商品名称", max_length=255)
    g_model = models.CharField("申报要素", max_length=255, blank=True)
    key = models.CharField("查重键", max_length=40, help_text="sha1 of code_ts + normalised name + elements")
    trade_mode = models.CharField("监管方式", max_length=4, blank=True)
    ie_flag = models.CharField("进出口标志", max_length=1)
    agent_code = models.CharField("申报单位海关编码", max_length=10, blank=True)
    agent_scc = models.CharField("申报单位社会信用代码", max_length=18, blank=True)
    trade_code = models.CharField("收发货人海关编码", max_length=10, blank=True)
    trade_scc = models.CharField("收发货人社会信用代码", max_length=18, blank=True)
    decl_date = models.DateField("申报日期")
    conclusion = models.CharField("审核结论", max_length=16, choices=Conclusion.choices)
    reasons = models.JSONField("不规范原因", default=list, blank=True, help_text='[["要素名称", "原因"], ...]')

    class Meta:
        verbose_name = verbose_name_plural = "海关审核数据"
        ordering = ["upload_id", "line", "id"]
        indexes = [
            models.Index(fields=["agent_code"], name="std_row_agent_code"),
            models.Index(fields=["agent_scc"], name="std_row_agent_scc"),
            models.Index(fields=["trade_code"], name="std_row_trade_code"),
            models.Index(fields=["trade_scc"], name="std_row_trade_scc"),
            models.Index(fields=["code_ts", "conclusion"], name="std_row_code_concl"),
        ]

    def __str__(self) -> str:
        return f"{self.code_ts} {self.g_name} ({self.get_conclusion_display()})"


class LibraryEntry(TenantModel):
    """One de-duplicated row of an enterprise's 企业库 (seed 5.2).

    ``key`` = sha1(商品编码 | normalised 商品名称 | normalised 申报要素), unique per enterprise.
    The row shows the latest occurrence (historical item or reviewed row) with that key; the
    mark comes from the latest customs review of it (规范/不规范), else 系统匹配数据 (the
    enterprise's own history) or 企业自选数据 once the enterprise chose it. ``is_public`` only
    matters for 规范 rows (public by default, the enterprise may close it); ``public_closed``
    remembers the enterprise's choice across rebuilds."""

    key = models.CharField("查重键", max_length=40)
    code_ts = models.CharField("商品编码", max_length=10)
    g_name = models.CharField("商品名称", max_length=255)
    g_model = models.CharField("申报要素", max_length=255, blank=True)
    trade_mode = models.CharField("监管方式", max_length=4, blank=True)
    ie_flag = models.CharField("进出口标志", max_length=1, blank=True)
    as_agent = models.BooleanField("作为申报单位", default=False)
    as_owner = models.BooleanField("作为收发货人", default=False)
    decl_date = models.DateField("申报日期", null=True, blank=True)
    mark = models.CharField("标记类型", max_length=16, choices=Mark.choices, default=Mark.MATCHED)
    is_public = models.BooleanField("公开", default=False)
    public_closed = models.BooleanField("企业已关闭公开", default=False)
    reasons = models.JSONField("不规范原因", default=list, blank=True)
    history_count = models.PositiveIntegerField("历史申报次数", default=0)
    reviewed_count = models.PositiveIntegerField("海关审核次数", default=0)
    reviewed_row = models.ForeignKey(
        ReviewedRow, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核数据"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="设为自选人",
    )
    search_text = models.TextField(
        "检索词", blank=True, editable=False,
        help_text="keyword index tokens of name + elements (normalise.search_text, guanwu.core.fulltext)")
    built_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业库数据"
        ordering = ["-decl_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "key"], name="uniq_std_library_key")]
        indexes = [
            models.Index(fields=["enterprise", "-decl_date", "-id"], name="std_lib_ent_date"),
            # the query's coded conditions, covering: a count reads the index only
            models.Index(fields=["enterprise", "mark", "ie_flag", "as_agent", "as_owner", "trade_mode", "decl_date"],
                         name="std_lib_ent_conditions"),
            models.Index(fields=["enterprise", "code_ts", "decl_date"], name="std_lib_ent_code"),
            models.Index(fields=["mark", "is_public", "code_ts"], name="std_lib_public_code"),
            models.Index(fields=["mark", "is_public", "-decl_date", "-id"], name="std_lib_public_date"),
        ]

    def __str__(self) -> str:
        return f"{self.code_ts} {self.g_name}"


class Authorisation(TenantModel):
    """企业端授权确认 (seed 5.1: 法人卡授权; here the enterprise admin's confirmation)."""

    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间")

    class Meta:
        verbose_name = verbose_name_plural = "企业端授权"
        constraints = [models.UniqueConstraint(fields=["enterprise"], name="uniq_std_authorisation")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} 已授权 {self.confirmed_at:%Y-%m-%d}"


class MonthlyMessage(TenantModel):
    """企业信息 (seed 5.4): the review overview for a period, the enterprise's reviewed data as
    申报单位 and as 收发货人, and its 不规范 count."""

    upload = models.ForeignKey(
        ReviewUpload, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages", verbose_name="审核数据"
    )
    period = models.CharField("审核期间", max_length=7, help_text="YYYY-MM")
    title = models.CharField("标题", max_length=200)
    pushed_at = models.DateTimeField("推送时间", db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="阅读人",
    )
    total_reviewed = models.PositiveIntegerField("本期审核数据总量", default=0)
    total_standard = models.PositiveIntegerField("本期规范数据量", default=0)
    total_nonstandard = models.PositiveIntegerField("本期不规范数据量", default=0)
    as_agent_count = models.PositiveIntegerField("作为申报单位的数据量", default=0)
    as_owner_count = models.PositiveIntegerField("作为收发货人的数据量", default=0)
    nonstandard_count = models.PositiveIntegerField("本企业不规范数据量", default=0)
    date_from = models.DateField("申报日期起", null=True, blank=True)
    date_to = models.DateField("申报日期止", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业消息"
        ordering = ["-pushed_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "read_at", "-pushed_at"], name="std_msg_ent_read")]

    def __str__(self) -> str:
        return self.title


__all__ = [
    "Authorisation", "Conclusion", "LibraryEntry", "Mark", "MonthlyMessage", "ReviewUpload",
    "ReviewedRow", "UploadSource", "UploadStatus",
]
