"""Every change to customers: create, edit, delete, approve/reject, auxiliary information.

Each write runs in one transaction with its operation-log row. The approval switch is the
enterprise's business setting ``customer_approval``: on, a new or edited customer waits for an
admin (待审核); off, it is 审核通过 at once. Only admins approve or reject.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from guanwu.audit import services as audit
from guanwu.audit.records import RecordService
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.core.fields import FieldSpec, RowsSpec, to_text
from guanwu.core.ids import possible_ids
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise

from .models import (
    CODE_DIGITS,
    CODE_PREFIX,
    Customer,
    CustomerAddress,
    CustomerBankAccount,
    CustomerCodeCounter,
    CustomerContact,
    CustomerNote,
    CustomerStatus,
)
from .registry import DOMESTIC_COUNTRY, RegistryInfo, registry_check

# The fields a user keys (form, API, import), in the order of the seed's 审核详情 dialog.
FIELDS = ("name", "scc", "ciq_code", "customs_code", "phone", "contact", "address", "country", "postcode",
          "note", "email")
UPPER_FIELDS = ("scc", "customs_code")
# The 客户信息 form: order and widths (of 12) of four rows without gaps; the checks are ``clean``'s.
CUSTOMER_SPEC = FieldSpec.from_model(Customer, [
    "name", "scc", "ciq_code", "customs_code", "phone", "contact", "country", "address", "postcode", "email", "note",
], overrides={
    "name": {"cols": 6, "attrs": (("autofocus", "autofocus"),), "example": "西安丝路国际贸易有限公司", "width": 30},
    "scc": {"upper": True, "example": "91610131MA6TX0101N", "width": 22},
    "ciq_code": {"placeholder": "10位数字", "example": "6100600101", "width": 14},
    "customs_code": {"upper": True, "example": "6101930101", "width": 14},
    "phone": {"example": "029-88886666"}, "contact": {"example": "张伟"},
    "country": {"code_table": "countries", "required": False, "placeholder": "代码/名称/拼音", "example": "CHN",
                "width": 18},
    "address": {"cols": 6, "example": "陕西省西安市未央区凤城八路 66 号", "width": 34},
    "postcode": {"example": "710016"}, "email": {"example": "trade@example.cn", "width": 24},
    "note": {"cols": 12, "kind": "text", "width": 24},
})
# The Excel template's (and export's) order: the seed's 审核详情 dialog.
IMPORT_SPEC = FieldSpec(tuple(CUSTOMER_SPEC[name] for name in FIELDS), "客户")
# What ``clean`` reads with: the 社会信用代码 is required of domestic customers only (registry
# check), and the country is checked below with its own message.
_CLEANING = CUSTOMER_SPEC.replace("country", kind="str", code_table="", upper=True)
POSTCODE_CN = re.compile(r"^\d{6}$")
PHONE = re.compile(r"^[0-9+\-() /转,;，、]*$")


# -- reading -----------------------------------------------------------------------------------


class CustomerServices(RecordService):
    """The shared reads (another enterprise's id is 404) under the module's pages; the writes are
    the functions below (approval state, customer code, search keys, name warnings)."""

    model, spec, what = Customer, CUSTOMER_SPEC, "客户"

    def status_label(self, obj: Customer) -> str:
        return obj.get_status_display()

    def create(self, actor: Actor, data: dict[str, Any], attachment: Any = None) -> Customer:
        return create_customer(actor, data)

    def update(self, actor: Actor, pk: Any, data: dict[str, Any] | None, attachment: Any = None, *,
               remove_attachment: bool = False) -> Customer:
        return update_customer(actor, pk, data)


CUSTOMERS = CustomerServices()
customers, get_customer = CUSTOMERS.queryset, CUSTOMERS.get


def search(actor: Actor, *, q: str = "", status: str = "") -> QuerySet[Customer]:
    """Customers matching ``q`` in name, pinyin, initials or any code; ``status`` filters."""
    qs = customers(actor)
    if status:
        if status not in CustomerStatus.values:
            raise ServiceError.fields([FieldError("status", "客户状态只能是 pending、approved 或 rejected")])
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        lower, upper = q.lower(), q.upper()
        qs = qs.filter(
            Q(name__icontains=q) | Q(code__icontains=upper) | Q(scc__startswith=upper)
            | Q(customs_code__startswith=upper) | Q(pinyin__contains=lower) | Q(initials__startswith=lower)
        )
    return qs


def approval_required(enterprise: Enterprise) -> bool:
    """The enterprise's 客户审核 switch, read fresh (an actor may carry an old copy)."""
    fresh = Enterprise.objects.only("settings").get(pk=enterprise.pk)
    return bool(fresh.setting("customer_approval"))


# -- checking ----------------------------------------------------------------------------------


def clean(data: dict[str, Any], *, base: dict[str, str] | None = None) -> tuple[dict[str, str], list[FieldError]]:
    """Normalised values of ``FIELDS`` (``base`` for the ones ``data`` leaves out) and the format errors."""
    errors: list[FieldError] = []
    values = _CLEANING.clean({**(base or {}), **{name: data[name] for name in FIELDS if name in data}}, errors)
    values["country"] = values["country"] or DOMESTIC_COUNTRY
    if not params.code_exists("countries", values["country"]):
        errors.append(FieldError("country", f"所属国代码 {values['country']} 不在国别(地区)代码表中"))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(FieldError("email", "E-MAIL 格式不正确"))
    if values["postcode"] and values["country"] == DOMESTIC_COUNTRY and not POSTCODE_CN.match(values["postcode"]):
        errors.append(FieldError("postcode", "境内邮政编码应为6位数字"))
    if values["phone"] and not PHONE.match(values["phone"]):
        errors.append(FieldError("phone", "联系方式只能包含数字、空格和 + - ( ) 等分隔符"))
    return values, errors


def duplicate_errors(actor: Actor, values: dict[str, str], *, exclude_pk: int | None = None) -> list[FieldError]:
    """The same 社会信用代码 or 海关编码 already used by another customer of the enterprise."""
    errors: list[FieldError] = []
    others = customers(actor).exclude(pk=exclude_pk)
    for name in UPPER_FIELDS:
        if values.get(name):
            other = others.filter(**{name: values[name]}).only("code", "name").first()
            if other is not None:
                message = f"{CUSTOMER_SPEC[name].label} {values[name]} 已被客户 {other.name}({other.code}) 使用"
                errors.append(FieldError(name, message))
    return errors


def name_warnings(actor: Actor, name: str, *, exclude_pk: int | None = None) -> list[FieldError]:
    """Another customer of the enterprise with the same name (any case, full- or half-width
    brackets and letters): allowed, but most often the same company entered twice."""
    name = to_text(name)
    if not name:
        return []
    variants = {name, unicodedata.normalize("NFKC", name), name.replace("(", "（").replace(")", "）")}
    condition = Q()
    for variant in variants:
        condition |= Q(name__iexact=variant)
    others = list(customers(actor).exclude(pk=exclude_pk).filter(condition).only("code", "name")[:3])
    if not others:
        return []
    listed = "、".join(f"{c.name}({c.code})" for c in others)
    return [FieldError("name", f"已有同名客户 {listed}, 请确认不是重复录入")]


def registry_errors(values: dict[str, str]) -> list[FieldError]:
    info = RegistryInfo(
        name=values["name"], scc=values["scc"], customs_code=values["customs_code"], ciq_code=values["ciq_code"],
        country=values["country"],
    )
    return registry_check().verify(info)


def verify(actor: Actor, data: dict[str, Any], *, exclude_pk: int | None = None) -> list[FieldError]:
    """工商信息校验 without saving: formats, check characters, registry, duplicates."""
    return _checks(actor, data, exclude_pk=exclude_pk)[1]


def verify_warnings(actor: Actor, data: dict[str, Any], *, exclude_pk: int | None = None) -> list[FieldError]:
    """What 工商信息校验 points out without refusing it (a customer of the same name)."""
    return name_warnings(actor, to_text(data.get("name")), exclude_pk=exclude_pk)


def _unique_fields(errors: list[FieldError]) -> list[FieldError]:
    """One message per field, the first found (a format error before a duplicate)."""
    seen: set[str] = set()
    out = []
    for error in errors:
        if error.field not in seen:
            seen.add(error.field)
            out.append(error)
    return out


def _checks(actor: Actor, data: dict[str, Any], *, base: dict[str, str] | None = None,
            exclude_pk: int | None = None) -> tuple[dict[str, str], list[FieldError]]:
    values, errors = clean(data, base=base)
    errors += registry_errors(values) + duplicate_errors(actor, values, exclude_pk=exclude_pk)
    return values, _unique_fields(errors)


def _checked(actor: Actor, data: dict[str, Any], *, base: dict[str, str] | None = None,
             exclude_pk: int | None = None) -> dict[str, str]:
    values, errors = _checks(actor, data, base=base, exclude_pk=exclude_pk)
    if errors:
        raise ServiceError.fields(errors, message="客户信息校验未通过")
    return values


def _search_keys(name: str) -> tuple[str, str]:
    syllables = lazy_pinyin(name)
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER)
    return "".join(syllables).lower()[:600], "".join(initials).lower()[:200]


def _next_code(enterprise: Enterprise) -> str:
    CustomerCodeCounter.objects.get_or_create(enterprise=enterprise)
    counter = CustomerCodeCounter.objects.select_for_update().get(enterprise=enterprise)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{CODE_PREFIX}{counter.last:0{CODE_DIGITS}d}"


def _status_text(status: str) -> str:
    return str(CustomerStatus(status).label)


# -- writing -----------------------------------------------------------------------------------


@transaction.atomic
def create_customer(actor: Actor, data: dict[str, Any]) -> Customer:
    """Add a customer: 待审核 when the enterprise's 客户审核 switch is on, else 审核通过."""
    values = _checked(actor, data)
    status = CustomerStatus.PENDING if approval_required(actor.enterprise) else CustomerStatus.APPROVED
    pinyin, initials = _search_keys(values["name"])
    customer = Customer.objects.create(
        enterprise=actor.enterprise, code=_next_code(actor.enterprise), status=status, created_by=actor.user,
        pinyin=pinyin, initials=initials, submitted_at=timezone.now(), **values,
    )
    audit.record(
        actor, customer, "新增客户", after=_status_text(status),
        changes={name: [None, value] for name, value in values.items() if value},
    )
    customer.warnings = name_warnings(actor, customer.name, exclude_pk=customer.pk)
    return customer


@transaction.atomic
def update_customer(actor: Actor, pk: Any, data: dict[str, Any] | None, *, partial: bool = True) -> Customer:
    """Change a customer's details. ``partial``: fields left out keep their value (else they are
    emptied). A real change goes back to 待审核 when 客户审核 is on (审核通过 when it is off)."""
    customer = get_customer(actor, pk, for_update=True)
    before = {name: getattr(customer, name) for name in FIELDS}
    values = _checked(actor, data or {}, base=before if partial else None, exclude_pk=customer.pk)
    changes = audit.diff(before, values)
    customer.warnings = name_warnings(actor, values["name"], exclude_pk=customer.pk) if "name" in changes else []
    if not changes:
        return customer
    old_status = customer.status
    new_status = CustomerStatus.PENDING if approval_required(actor.enterprise) else CustomerStatus.APPROVED
    for name in changes:
        setattr(customer, name, values[name])
    customer.submitted_at = timezone.now()  # changed details are submitted (for review) anew
    update = [*changes, "status", "updated_at", "submitted_at"]
    if "name" in changes:
        customer.pinyin, customer.initials = _search_keys(customer.name)
        update += ["pinyin", "initials"]
    customer.status = new_status
    if new_status != old_status or new_status == CustomerStatus.PENDING:
        # a resubmission: the last review no longer describes these details
        customer.reviewed_by, customer.reviewed_at, customer.review_opinion = None, None, ""
        update += ["reviewed_by", "reviewed_at", "review_opinion"]
    customer.save(update_fields=update)
    audit.record(
        actor, customer, "修改客户", before=_status_text(old_status), after=_status_text(new_status), changes=changes
    )
    return customer


def can_delete(actor: Actor, customer: Customer) -> bool:
    return actor.is_admin or customer.status != CustomerStatus.APPROVED


@transaction.atomic
def delete_customer(actor: Actor, pk: Any) -> Customer:
    """Operators may delete customers that are not approved yet; admins any customer."""
    customer = get_customer(actor, pk, for_update=True)
    if not can_delete(actor, customer):
        actor.require_admin("删除已审核通过的客户")
    audit.record(actor, customer, "删除客户", before=customer.get_status_display(), after="已删除",
                 changes={"客户代码": customer.code, "客户名称": customer.name})
    customer.delete()
    return customer


@transaction.atomic
def delete_customers(actor: Actor, ids: Iterable[Any]) -> str:
    """Delete several customers: all of them, or none when one may not be deleted."""
    names = [delete_customer(actor, pk).name for pk in ids]
    return f"已删除 {len(names)} 个客户: {'、'.join(names)}"


# -- approval ----------------------------------------------------------------------------------

REVIEWS = {
    # action: (new status, statuses it applies to, action label)
    "approve": (CustomerStatus.APPROVED, (CustomerStatus.PENDING, CustomerStatus.REJECTED), "审核通过"),
    "reject": (CustomerStatus.REJECTED, (CustomerStatus.PENDING, CustomerStatus.APPROVED), "审核驳回"),
}
OPINION_MAX = 500


def _opinion(action: str, opinion: str | None) -> str:
    opinion = to_text(opinion)
    if action == "reject" and not opinion:
        raise ServiceError.fields([FieldError("opinion", "审核驳回请填写审核意见, 说明需要修改的内容")],
                                  message="审核驳回请填写审核意见")
    if len(opinion) > OPINION_MAX:
        raise ServiceError.fields([FieldError("opinion", f"审核意见不能超过 {OPINION_MAX} 个字")])
    return opinion


def _review_one(actor: Actor, customer: Customer, action: str, opinion: str) -> Customer:
    new_status, _from, action_label = REVIEWS[action]
    old_status = customer.status
    customer.status = new_status
    customer.reviewed_by = actor.user
    customer.reviewed_at = timezone.now()
    customer.review_opinion = opinion
    customer.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_opinion", "updated_at"])
    audit.record(actor, customer, action_label, before=_status_text(old_status), after=_status_text(new_status),
                 opinion=opinion)
    return customer


@transaction.atomic
def review(actor: Actor, pk: Any, action: str, opinion: str | None = "") -> Customer:
    """审核通过 (``approve``) or 审核驳回 (``reject``, with an opinion) one customer; admins only."""
    if action not in REVIEWS:
        raise ServiceError(f"未知的审核操作: {action}")
    actor.require_admin("客户审核")
    customer = get_customer(actor, pk, for_update=True)
    opinion = _opinion(action, opinion)
    new_status, allowed, _label = REVIEWS[action]
    if customer.status not in allowed:
        raise ServiceError(f"客户 {customer.name} 已是{_status_text(new_status)}状态, 无需重复审核")
    return _review_one(actor, customer, action, opinion)


def approve(actor: Actor, pk: Any, opinion: str | None = "") -> Customer:
    return review(actor, pk, "approve", opinion)


def reject(actor: Actor, pk: Any, opinion: str | None = "") -> Customer:
    return review(actor, pk, "reject", opinion)


@transaction.atomic
def review_many(actor: Actor, ids: Iterable[Any], action: str, opinion: str | None = "") -> str:
    """Batch 审核通过 / 审核驳回: customers already in the target state are left as they are."""
    if action not in REVIEWS:
        raise ServiceError(f"未知的审核操作: {action}")
    actor.require_admin("客户审核")
    opinion = _opinion(action, opinion)
    new_status, allowed, action_label = REVIEWS[action]
    rows = list(customers(actor).select_for_update().filter(pk__in=possible_ids(ids)).order_by("pk"))
    if not rows:
        raise NotFound("所选客户不存在或无权访问")
    done = [_review_one(actor, c, action, opinion) for c in rows if c.status in allowed]
    skipped = len(rows) - len(done)
    message = f"{action_label} {len(done)} 个客户"
    if skipped:
        message += f", {skipped} 个已是{_status_text(new_status)}状态, 未重复处理"
    return message


def history(actor: Actor, customer: Customer):
    """The 操作记录 of a customer, newest first."""
    return audit.for_object(actor, customer)


# -- 辅助信息 ------------------------------------------------------------------------------------

SWIFT = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
ACCOUNT_NO = re.compile(r"^[0-9A-Z-]{4,40}$")
MOBILE = re.compile(r"^[0-9+\- ]{5,20}$")


def _contact_check(values: dict[str, Any], err: Callable[[str, str], None]) -> None:
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            err("email", "E-MAIL 格式不正确")
    if values["mobile"] and not MOBILE.match(values["mobile"]):
        err("mobile", "手机号码只能包含数字、空格和 + -")
    if values["phone"] and not PHONE.match(values["phone"]):
        err("phone", "电话只能包含数字、空格和 + - ( ) 等分隔符")


def _address_check(values: dict[str, Any], err: Callable[[str, str], None]) -> None:
    if values["postcode"] and not re.match(r"^[0-9A-Za-z -]{3,10}$", values["postcode"]):
        err("postcode", "邮政编码格式不正确")


def _bank_check(values: dict[str, Any], err: Callable[[str, str], None]) -> None:
    values["account_no"] = re.sub(r"\s+", "", values["account_no"]).upper()
    values["currency"] = values["currency"] or "CNY"
    if values["account_no"] and not ACCOUNT_NO.match(values["account_no"]):
        err("account_no", "银行账号应为4至40位数字或字母")
    if values["swift"] and not SWIFT.match(values["swift"]):
        err("swift", "SWIFT代码应为8位或11位字母数字")
    if not params.code_exists("currencies", values["currency"]):
        err("currency", f"币制代码 {values['currency']} 不在货币代码表中")


def _aux(key: str, label: str, model: type[models.Model], names: list[str], check: Any = None,
         **overrides: dict[str, Any]) -> RowsSpec:
    return RowsSpec(key, label, FieldSpec.from_model(model, names, overrides), model, parent="customer", order="",
                    check=check)


# A customer's 辅助信息: rows edited one at a time (``RecordService.add_row`` / ``update_row`` /
# ``delete_row``, logged on the customer); they do not touch the approval state.
AUX_KINDS: dict[str, RowsSpec] = {rows.key: rows for rows in (
    _aux("contacts", "联系人", CustomerContact, ["name", "position", "phone", "mobile", "email", "note"],
         _contact_check),
    _aux("addresses", "地址", CustomerAddress, ["kind", "address", "postcode", "contact", "phone"], _address_check,
         address={"cols": 6}),
    _aux("bank-accounts", "银行账户", CustomerBankAccount,
         ["bank_name", "account_name", "account_no", "currency", "swift", "note"], _bank_check,
         currency={"code_table": "currencies", "upper": True, "required": False}, swift={"upper": True}),
    _aux("notes", "备忘", CustomerNote, ["content"]),
)}
CUSTOMERS.detail_rows = tuple(AUX_KINDS.values())


# Add, change or delete a contact, address, bank account or note (logged on the customer).
add_aux, update_aux, delete_aux = CUSTOMERS.add_row, CUSTOMERS.update_row, CUSTOMERS.delete_row
