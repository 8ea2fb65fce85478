"""客户管理: the customers an enterprise declares for, with approval state and auxiliary information.

A customer is usually a domestic consignee or consignor (境内收发货人) the enterprise declares
for; its 海关编码 and 统一社会信用代码 are what a declaration's ``trade_code`` / ``trade_co_scc``
carry, which ties the customer to its declarations (business monitoring, the approval rule).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from guanwu.tenancy.models import Enterprise, TenantModel

CODE_PREFIX = "CU"
CODE_DIGITS = 7
CODE_START = 1_000_000  # the first code is CU1000001: seven digits, like the seed's CU1631154


class CustomerStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "审核驳回"


class Customer(TenantModel):
    code = models.CharField("客户代码", max_length=16, editable=False)
    name = models.CharField("客户名称", max_length=200)
    scc = models.CharField("社会信用代码", max_length=18, blank=True)
    ciq_code = models.CharField("检验检疫代码", max_length=10, blank=True)
    customs_code = models.CharField("海关编码", max_length=10, blank=True)
    phone = models.CharField("联系方式", max_length=50, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    address = models.CharField("公司地址", max_length=300, blank=True)
    country = models.CharField("所属国", max_length=3, default="CHN", help_text="国别(地区)代码表的代码")
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    email = models.CharField("E-MAIL", max_length=254, blank=True)
    status = models.CharField(
        "客户状态", max_length=16, choices=CustomerStatus.choices, default=CustomerStatus.PENDING, db_index=True
    )
    # search helpers for pickers (拼音 and initials of the name), kept by the services
    pinyin = models.CharField("名称拼音", max_length=600, blank=True, editable=False)
    initials = models.CharField("名称首字母", max_length=200, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="审核人", editable=False,
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    review_opinion = models.TextField("审核意见", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="创建人", editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近修改时间", auto_now=True)
    # when the details now under review were submitted (新增, or a change that goes back to
    # review); a review, a contact or a note does not move it
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "客户"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "code"], name="customer_uniq_code"),
            models.UniqueConstraint(
                fields=["enterprise", "scc"], condition=~Q(scc=""), name="customer_uniq_scc"
            ),
            models.UniqueConstraint(
                fields=["enterprise", "customs_code"], condition=~Q(customs_code=""), name="customer_uniq_customs"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status", "updated_at"], name="customer_ent_status"),
            models.Index(fields=["enterprise", "status", "submitted_at"], name="customer_ent_submitted"),
            models.Index(fields=["enterprise", "name"], name="customer_ent_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    @property
    def is_approved(self) -> bool:
        return self.status == CustomerStatus.APPROVED


class CustomerCodeCounter(models.Model):
    """The last customer number handed out in an enterprise: codes are never reused."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name="企业"
    )
    last = models.PositiveIntegerField("已分配序号", default=CODE_START)

    class Meta:
        verbose_name = verbose_name_plural = "客户代码计数器"

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.last}"


# -- 辅助信息: more contacts, addresses, bank accounts and follow-up notes ---------------------


class CustomerChild(models.Model):
    """Base of the auxiliary rows: each belongs to one customer (and so to its enterprise) through
    its ``customer`` key; they are read only through the customer's enterprise."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]


class CustomerContact(CustomerChild):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name="客户")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=50, blank=True)
    mobile = models.CharField("手机", max_length=20, blank=True)
    email = models.CharField("E-MAIL", max_length=254, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta(CustomerChild.Meta):
        verbose_name = verbose_name_plural = "客户联系人"

    def __str__(self) -> str:
        return self.name


class AddressKind(models.TextChoices):
    REGISTERED = "registered", "注册地址"
    OFFICE = "office", "办公地址"
    RECEIVING = "receiving", "收货地址"
    SHIPPING = "shipping", "发货地址"
    OTHER = "other", "其他"


class CustomerAddress(CustomerChild):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses", verbose_name="客户")
    kind = models.CharField("地址类型", max_length=16, choices=AddressKind.choices, default=AddressKind.OFFICE)
    address = models.CharField("地址", max_length=300)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)

    class Meta(CustomerChild.Meta):
        verbose_name = verbose_name_plural = "客户地址"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.address}"


class CustomerBankAccount(CustomerChild):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="bank_accounts", verbose_name="客户"
    )
    bank_name = models.CharField("开户银行", max_length=100)
    account_name = models.CharField("账户名称", max_length=200, blank=True)
    account_no = models.CharField("银行账号", max_length=40)
    currency = models.CharField("币制", max_length=3, default="CNY")
    swift = models.CharField("SWIFT代码", max_length=11, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta(CustomerChild.Meta):
        verbose_name = verbose_name_plural = "客户银行账户"

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_no}"


class CustomerNote(CustomerChild):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="notes", verbose_name="客户")
    content = models.TextField("内容", max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="记录人",
    )

    class Meta(CustomerChild.Meta):
        verbose_name = verbose_name_plural = "客户备忘"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.content[:40]
